// Defines the printers of the V4L2 structs that describe an image or a data format
// (linux/videodev2.h) as strace's v4l2.c prints them: the pixel format's fourcc, a
// rectangle, and struct v4l2_format's union by buffer type (pix, pix_mp, win, vbi, sliced,
// sdr, meta), which VIDIOC_G/S/TRY_FMT and VIDIOC_CREATE_BUFS share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends a fourcc as strace's print_pixelformat: v4l2_fourcc('Y', 'U', 'Y', 'V')
/// /* V4L2_PIX_FMT_YUYV */ (unprintable bytes as '\xNN'; the name when `names` has one),
/// its number with -X raw.
inline void put_v4l2_fourcc(std::string& out, std::uint32_t v,
                            std::span<const xlat_entry> names = v4l2_pix_fmts_xlat.field) {
  if (xlat_raw()) return put_hex(out, v);
  static constexpr char digits[] = "0123456789abcdef";
  out.append("v4l2_fourcc(");
  for (unsigned i = 0; i < 4; ++i) {
    const auto c = static_cast<unsigned char>(v >> (8 * i));
    if (i) out.append(", ");
    out.push_back('\'');
    if (c >= ' ' && c < 0x7f) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else {
      out.append("\\x").push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xf]);
    }
    out.push_back('\'');
  }
  out.push_back(')');
  auto name = find_name(names, v);
  if (!name.empty()) out.append(" /* ").append(name).append(" */");
}

/// Appends a struct v4l2_rect at `b`: {left, top, width, height}.
inline void put_v4l2_rect(std::string& out, const unsigned char* b) {
  out.append("{left="), put_dec(out, ioctl_field<std::int32_t>(b, 0));
  out.append(", top="), put_dec(out, ioctl_field<std::int32_t>(b, 4));
  out.append(", width="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
  out.append(", height="), put_udec(out, ioctl_field<std::uint32_t>(b, 12));
  out.push_back('}');
}

/// Appends `n` elements of a struct's own array as strace's print_local_array: `[a, b]`, cut
/// to the string limit with `...` unless verbose; `put(k)` prints element k.
template <class P, class Put>
void put_v4l2_local_array(P& p, std::size_t n, Put put) {
  std::string& out = p.out();
  out.push_back('[');
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    put(k);
  }
  out.push_back(']');
}

/// Appends `count` structs of `size` bytes (at most 32) at `addr` as strace's print_array
/// (NULL, [], the address when the first is unreadable, `... /* addr */` where memory
/// ends, `...` past the string limit unless verbose); `put(bytes)` prints one. Returns
/// whether every element was shown or abbreviated (print_array's result).
template <class P, class Put>
bool put_v4l2_array(P& p, std::uint64_t addr, std::uint64_t count, std::size_t size, Put put) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), false;
  if (count == 0) return out.append("[]"), false;
  unsigned char buf[32];
  // strace prints the address of an array whose end wraps around.
  if (size > sizeof buf || count > ~std::uint64_t{0} / size || addr + count * size <= addr)
    return put_hex(out, addr), false;
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.read_exact(addr + k * size, size)) {
      if (k == 0) return put_hex(out, addr), false;
      p.put_unreadable_tail(addr + k * size);
      out.push_back(']');
      return false;
    }
    if (k == 0) out.push_back('[');
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...]");
      return true;
    }
    std::memcpy(buf, scratch().data(), size);
    put(static_cast<const unsigned char*>(buf));
  }
  out.push_back(']');
  return true;
}

/// Appends struct v4l2_pix_format at `b` (48 bytes).
inline void put_v4l2_pix_format(std::string& out, const unsigned char* b) {
  out.append("{width="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
  out.append(", height="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
  out.append(", pixelformat="), put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(b, 8));
  out.append(", field="), put_enum(out, v4l2_fields_xlat, ioctl_field<std::uint32_t>(b, 12));
  out.append(", bytesperline="), put_udec(out, ioctl_field<std::uint32_t>(b, 16));
  out.append(", sizeimage="), put_udec(out, ioctl_field<std::uint32_t>(b, 20));
  out.append(", colorspace="), put_enum(out, v4l2_colorspaces_xlat, ioctl_field<std::uint32_t>(b, 24));
  out.push_back('}');
}

/// Appends struct v4l2_pix_format_mplane at `b`: its planes (20 bytes each, at most 8) up
/// to num_planes.
template <class P>
void put_v4l2_pix_format_mplane(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{width="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
  out.append(", height="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
  out.append(", pixelformat="), put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(b, 8));
  out.append(", field="), put_enum(out, v4l2_fields_xlat, ioctl_field<std::uint32_t>(b, 12));
  out.append(", colorspace="), put_enum(out, v4l2_colorspaces_xlat, ioctl_field<std::uint32_t>(b, 16));
  const unsigned planes = b[180];
  out.append(", plane_fmt=");
  put_v4l2_local_array(p, planes < 8 ? planes : 8, [&](std::size_t k) {
    out.append("{sizeimage="), put_udec(out, ioctl_field<std::uint32_t>(b, 20 + 20 * k));
    out.append(", bytesperline="), put_udec(out, ioctl_field<std::uint32_t>(b, 24 + 20 * k));
    out.push_back('}');
  });
  out.append(", num_planes="), put_udec(out, planes);
  out.push_back('}');
}

/// Appends struct v4l2_window at `b` (its clips read from the tracee); returns whether the
/// clips printed whole (strace decodes S_FMT again at exit only then).
template <class P>
bool put_v4l2_window(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{w="), put_v4l2_rect(out, b);
  out.append(", field="), put_enum(out, v4l2_fields_xlat, ioctl_field<std::uint32_t>(b, 16));
  out.append(", chromakey="), put_hex(out, ioctl_field<std::uint32_t>(b, 20));
  const std::uint32_t clipcount = ioctl_field<std::uint32_t>(b, 32);
  out.append(", clips=");
  // struct v4l2_clip: a rect and a next pointer, 24 bytes.
  bool whole = put_v4l2_array(
      p, ioctl_field<std::uint64_t>(b, 24), clipcount, 24,
      [&](const unsigned char* c) { out.append("{c="), put_v4l2_rect(out, c), out.push_back('}'); });
  out.append(", clipcount="), put_udec(out, clipcount);
  out.append(", bitmap="), put_ptr(out, ioctl_field<std::uint64_t>(b, 40));
  if (b[48]) out.append(", global_alpha="), put_hex(out, b[48]);
  out.push_back('}');
  return whole;
}

/// Appends struct v4l2_vbi_format at `b`.
template <class P>
void put_v4l2_vbi_format(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{sampling_rate="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
  out.append(", offset="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
  out.append(", samples_per_line="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
  out.append(", sample_format="), put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(b, 12));
  out.append(", start=");
  put_v4l2_local_array(p, 2, [&](std::size_t k) { put_dec(out, ioctl_field<std::int32_t>(b, 16 + 4 * k)); });
  out.append(", count=");
  put_v4l2_local_array(p, 2,
                       [&](std::size_t k) { put_udec(out, ioctl_field<std::uint32_t>(b, 24 + 4 * k)); });
  out.append(", flags="), put_flags(out, v4l2_vbi_flags_xlat, ioctl_field<std::uint32_t>(b, 32));
  out.push_back('}');
}

/// Appends struct v4l2_sliced_vbi_format at `b`: service_lines[2][24] of u16 in hex.
template <class P>
void put_v4l2_sliced_vbi_format(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{service_set="), put_flags(out, v4l2_sliced_flags_xlat, ioctl_field<std::uint16_t>(b, 0));
  out.append(", service_lines=");
  put_v4l2_local_array(p, 2, [&](std::size_t i) {
    put_v4l2_local_array(
        p, 24, [&](std::size_t k) { put_hex(out, ioctl_field<std::uint16_t>(b, 2 + 48 * i + 2 * k)); });
  });
  out.append(", io_size="), put_udec(out, ioctl_field<std::uint32_t>(b, 100));
  out.push_back('}');
}

/// Appends the union of struct v4l2_format for buffer type `type` (`fmt` at the union's
/// start) after `prefix`: `fmt.pix={...}`. Returns false, having printed nothing, for a
/// type with no union member, and false after a window whose clips did not print whole.
template <class P>
bool put_v4l2_format_fmt(P& p, std::uint32_t type, const unsigned char* fmt, std::string_view prefix) {
  std::string& out = p.out();
  switch (type) {
    case 1:  // V4L2_BUF_TYPE_VIDEO_CAPTURE, _OUTPUT
    case 2:
      out.append(prefix).append("fmt.pix="), put_v4l2_pix_format(out, fmt);
      return true;
    case 9:  // V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, _OUTPUT_MPLANE
    case 10:
      out.append(prefix).append("fmt.pix_mp="), put_v4l2_pix_format_mplane(p, fmt);
      return true;
    case 3:  // V4L2_BUF_TYPE_VIDEO_OVERLAY, _OUTPUT_OVERLAY
    case 8:
      out.append(prefix).append("fmt.win=");
      return put_v4l2_window(p, fmt);
    case 4:  // V4L2_BUF_TYPE_VBI_CAPTURE, _OUTPUT
    case 5:
      out.append(prefix).append("fmt.vbi="), put_v4l2_vbi_format(p, fmt);
      return true;
    case 6:  // V4L2_BUF_TYPE_SLICED_VBI_CAPTURE, _OUTPUT
    case 7:
      out.append(prefix).append("fmt.sliced="), put_v4l2_sliced_vbi_format(p, fmt);
      return true;
    case 11:  // V4L2_BUF_TYPE_SDR_CAPTURE, _OUTPUT: the size only when set
    case 12: {
      out.append(prefix).append("fmt.sdr={pixelformat=");
      put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(fmt, 0), v4l2_sdr_fmts_xlat.field);
      if (auto size = ioctl_field<std::uint32_t>(fmt, 4)) out.append(", buffersize="), put_udec(out, size);
      out.push_back('}');
      return true;
    }
    case 13:  // V4L2_BUF_TYPE_META_CAPTURE, _OUTPUT
    case 14:
      out.append(prefix).append("fmt.meta={dataformat=");
      put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(fmt, 0), v4l2_meta_fmts_xlat.field);
      out.append(", buffersize="), put_udec(out, ioctl_field<std::uint32_t>(fmt, 4));
      out.push_back('}');
      return true;
    default:
      return false;
  }
}

}  // namespace snare::format::detail
