// Defines the decoder of the Video4Linux2 ioctls of linux/videodev2.h (strace's v4l2.c), a
// first part: the capabilities, the formats' descriptions, the inputs and standards, the
// buffer type of stream on and off, the framebuffer, buffer requests and cropping. The
// other VIDIOC_* requests print by name with their argument in hex (docs/format-ioctl.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The VIDIOC_* requests decoded here, sorted by number (their names also come from the
/// generated table).
inline constexpr ioctl_entry v4l2_ioctls[] = {
    {0x40045612, "VIDIOC_STREAMON"},  {0x40045613, "VIDIOC_STREAMOFF"}, {0x40085618, "VIDIOC_S_STD"},
    {0x4014563c, "VIDIOC_S_CROP"},    {0x4030560b, "VIDIOC_S_FBUF"},    {0x80045626, "VIDIOC_G_INPUT"},
    {0x80085617, "VIDIOC_G_STD"},     {0x8030560a, "VIDIOC_G_FBUF"},    {0x80685600, "VIDIOC_QUERYCAP"},
    {0xc0045627, "VIDIOC_S_INPUT"},   {0xc0145608, "VIDIOC_REQBUFS"},   {0xc014563b, "VIDIOC_G_CROP"},
    {0xc02c563a, "VIDIOC_CROPCAP"},   {0xc0405602, "VIDIOC_ENUM_FMT"},  {0xc0485619, "VIDIOC_ENUMSTD"},
    {0xc050561a, "VIDIOC_ENUMINPUT"},
};
static_assert(ioctl_table_sorted(v4l2_ioctls), "v4l2_ioctls must stay sorted by request");

/// Appends a pixel format as strace's print_pixelformat: v4l2_fourcc('Y', 'U', 'Y', 'V')
/// /* V4L2_PIX_FMT_YUYV */ (unprintable bytes as '\xNN'), its number with -X raw.
inline void put_v4l2_fourcc(std::string& out, std::uint32_t v) {
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
  auto name = find_name(v4l2_pix_fmts_xlat.field, v);
  if (!name.empty()) out.append(" /* ").append(name).append(" */");
}

/// Appends a struct v4l2_capability (104 bytes): the names, the version and the
/// capabilities; the device's own capabilities when set.
template <class P>
void put_v4l2_capability(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{driver="), put_ioctl_cstring(p, b, 16);
  out.append(", card="), put_ioctl_cstring(p, b + 16, 32);
  out.append(", bus_info="), put_ioctl_cstring(p, b + 48, 32);
  out.append(", version="), put_kernel_version(out, ioctl_field<std::uint32_t>(b, 80));
  out.append(", capabilities="),
      put_flags(out, v4l2_device_capabilities_flags_xlat, ioctl_field<std::uint32_t>(b, 84));
  if (auto dev = ioctl_field<std::uint32_t>(b, 88))
    out.append(", device_caps="), put_flags(out, v4l2_device_capabilities_flags_xlat, dev);
  out.push_back('}');
}

/// Appends a struct v4l2_rect at `b`: {left, top, width, height}.
inline void put_v4l2_rect(std::string& out, const unsigned char* b) {
  out.append("{left="), put_dec(out, ioctl_field<std::int32_t>(b, 0));
  out.append(", top="), put_dec(out, ioctl_field<std::int32_t>(b, 4));
  out.append(", width="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
  out.append(", height="), put_udec(out, ioctl_field<std::uint32_t>(b, 12));
  out.push_back('}');
}

/// Prints the argument of V4L2 request `code` (see ioctl_step); unknown for the requests
/// not decoded yet.
template <class P>
ioctl_step put_v4l2_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(v4l2_ioctls, code);
  if (!e) return ioctl_step::unknown;
  std::string& out = p.out();
  // strace reads each struct whole (umove_or_printaddr): the request's size.
  const std::size_t size = (code >> 16) & 0x3fff;
  unsigned char b[104];
  static_assert(sizeof b >= 104, "the largest struct here is v4l2_capability");
  auto read = [&]() {
    if (size > sizeof b || !p.read_exact(arg, size)) return false;
    std::memcpy(b, scratch().data(), size);
    return true;
  };
  const std::uint32_t dir = code >> 30;
  if (dir == 2) {  // _IOR: the kernel fills it in
    if (!exit) return ioctl_step::more;
    if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
  } else if (dir == 1 && exit) {
    return ioctl_step::done;
  }
  switch (code) {
    case 0x80685600:  // VIDIOC_QUERYCAP
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      put_v4l2_capability(p, b);
      return ioctl_step::done;
    case 0x40045612:  // VIDIOC_STREAMON, VIDIOC_STREAMOFF: [buffer type]
    case 0x40045613:
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      out.push_back('['), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 0)),
          out.push_back(']');
      return ioctl_step::done;
    case 0x80085617:  // VIDIOC_G_STD, VIDIOC_S_STD: [v4l2_std_id in hex]
    case 0x40085618:
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      out.push_back('['), put_hex(out, ioctl_field<std::uint64_t>(b, 0)), out.push_back(']');
      return ioctl_step::done;
    case 0x80045626:  // VIDIOC_G_INPUT, VIDIOC_S_INPUT (printed at entry only): [unsigned]
    case 0xc0045627:
      if (exit && dir != 2) return ioctl_step::done;
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      out.push_back('['), put_udec(out, ioctl_field<std::uint32_t>(b, 0)), out.push_back(']');
      return ioctl_step::done;
    case 0x4014563c:  // VIDIOC_S_CROP: {type, c}
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      out.append("{type="), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 0));
      out.append(", c="), put_v4l2_rect(out, b + 4);
      out.push_back('}');
      return ioctl_step::done;
    case 0x8030560a:  // VIDIOC_G_FBUF, VIDIOC_S_FBUF: capability, flags, base
    case 0x4030560b:
      if (!read()) return put_ptr(out, arg), ioctl_step::done;
      out.append("{capability="), put_hex(out, ioctl_field<std::uint32_t>(b, 0));
      out.append(", flags="), put_hex(out, ioctl_field<std::uint32_t>(b, 4));
      out.append(", base="), put_ptr(out, ioctl_field<std::uint64_t>(b, 8));
      out.push_back('}');
      return ioctl_step::done;
    default:
      break;
  }
  // VIDIOC_ENUMSTD, VIDIOC_ENUMINPUT, VIDIOC_ENUM_FMT: the index (and the buffer type) at
  // entry, the rest at exit (strace re-reads the struct; one unreadable at entry printed its
  // address, and nothing follows).
  const bool input = code == 0xc050561a, fmt = code == 0xc0405602;
  const bool reqbufs = code == 0xc0145608, cropcap = code == 0xc02c563a, crop = code == 0xc014563b;
  if (!exit) {
    if (!read()) return put_ptr(out, arg), ioctl_step::done;
    if (reqbufs) {  // count, type, memory: the count the kernel granted at exit
      out.append("{type="), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 4));
      out.append(", memory="), put_enum(out, v4l2_memories_xlat, ioctl_field<std::uint32_t>(b, 8));
      out.append(", count="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
      return ioctl_step::more;
    }
    if (cropcap || crop) {  // the buffer type at entry
      out.append("{type="), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 0));
      return ioctl_step::more;
    }
    out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    if (fmt) out.append(", type="), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 4));
    return ioctl_step::more;
  }
  if (!read()) return ioctl_step::done;
  if (!p.failed()) {
    if (reqbufs) {
      out.append(" => "), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    } else if (cropcap) {  // type, bounds, defrect, pixelaspect
      out.append(", bounds="), put_v4l2_rect(out, b + 4);
      out.append(", defrect="), put_v4l2_rect(out, b + 20);
      out.append(", pixelaspect="), put_udec(out, ioctl_field<std::uint32_t>(b, 36));
      out.push_back('/'), put_udec(out, ioctl_field<std::uint32_t>(b, 40));
    } else if (crop) {
      out.append(", c="), put_v4l2_rect(out, b + 4);
    } else if (fmt) {  // index, type, flags, description[32], pixelformat
      out.append(", flags="),
          put_flags(out, v4l2_format_description_flags_xlat, ioctl_field<std::uint32_t>(b, 8));
      out.append(", description="), put_ioctl_cstring(p, b + 12, 32);
      out.append(", pixelformat="), put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(b, 44));
    } else if (input) {  // index, name[32], type
      out.append(", name="), put_ioctl_cstring(p, b + 4, 32);
      out.append(", type="), put_enum(out, v4l2_input_types_xlat, ioctl_field<std::uint32_t>(b, 36));
    } else {  // index, id (u64), name[24], frameperiod {numerator, denominator}, framelines
      out.append(", name="), put_ioctl_cstring(p, b + 16, 24);
      out.append(", frameperiod="), put_udec(out, ioctl_field<std::uint32_t>(b, 40));
      out.push_back('/'), put_udec(out, ioctl_field<std::uint32_t>(b, 44));
      out.append(", framelines="), put_udec(out, ioctl_field<std::uint32_t>(b, 48));
    }
  }
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
