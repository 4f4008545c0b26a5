// Defines the decoder of the Video4Linux2 ioctls of linux/videodev2.h (strace's v4l2.c): the
// capabilities, the formats (v4l2_format.hpp) and their descriptions, buffers and their
// requests, stream parameters, inputs, standards and tuners, controls (v4l2_ctrl.hpp),
// frame sizes and intervals, the framebuffer and cropping. Other VIDIOC_* requests print by
// name with their argument in hex (docs/format-ioctl.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/v4l2_ctrl.hpp>
#include <snare/format/detail/decode/ioctl/v4l2_format.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The VIDIOC_* requests decoded here, sorted by number (their names also come from the
/// generated table).
inline constexpr ioctl_entry v4l2_ioctls[] = {
    {0x40045612, "VIDIOC_STREAMON"},
    {0x40045613, "VIDIOC_STREAMOFF"},
    {0x40085618, "VIDIOC_S_STD"},
    {0x4014563c, "VIDIOC_S_CROP"},
    {0x4030560b, "VIDIOC_S_FBUF"},
    {0x4054561e, "VIDIOC_S_TUNER"},
    {0x80045626, "VIDIOC_G_INPUT"},
    {0x80085617, "VIDIOC_G_STD"},
    {0x8030560a, "VIDIOC_G_FBUF"},
    {0x80685600, "VIDIOC_QUERYCAP"},
    {0xc0045627, "VIDIOC_S_INPUT"},
    {0xc008561b, "VIDIOC_G_CTRL"},
    {0xc008561c, "VIDIOC_S_CTRL"},
    {0xc0145608, "VIDIOC_REQBUFS"},
    {0xc014563b, "VIDIOC_G_CROP"},
    {0xc0205647, "VIDIOC_G_EXT_CTRLS"},
    {0xc0205648, "VIDIOC_S_EXT_CTRLS"},
    {0xc0205649, "VIDIOC_TRY_EXT_CTRLS"},
    {0xc02c563a, "VIDIOC_CROPCAP"},
    {0xc02c564a, "VIDIOC_ENUM_FRAMESIZES"},
    {0xc034564b, "VIDIOC_ENUM_FRAMEINTERVALS"},
    {0xc0405602, "VIDIOC_ENUM_FMT"},
    {0xc0445624, "VIDIOC_QUERYCTRL"},
    {0xc0485619, "VIDIOC_ENUMSTD"},
    {0xc050561a, "VIDIOC_ENUMINPUT"},
    {0xc054561d, "VIDIOC_G_TUNER"},
    {0xc0585609, "VIDIOC_QUERYBUF"},
    {0xc058560f, "VIDIOC_QBUF"},
    {0xc0585611, "VIDIOC_DQBUF"},
    {0xc0cc5615, "VIDIOC_G_PARM"},
    {0xc0cc5616, "VIDIOC_S_PARM"},
    {0xc0d05604, "VIDIOC_G_FMT"},
    {0xc0d05605, "VIDIOC_S_FMT"},
    {0xc0d05640, "VIDIOC_TRY_FMT"},
    {0xc0e85667, "VIDIOC_QUERY_EXT_CTRL"},
    {0xc100565c, "VIDIOC_CREATE_BUFS"},
};
static_assert(ioctl_table_sorted(v4l2_ioctls), "v4l2_ioctls must stay sorted by request");

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

/// VIDIOC_G_FMT, VIDIOC_S_FMT, VIDIOC_TRY_FMT: struct v4l2_format (208 bytes: type, then
/// the union at 8): the type at entry, S's and TRY's format too, the format at exit (after
/// ` => ` for S and TRY); strace decodes no exit after a type with no union member or a
/// window whose clips did not print whole.
template <class P>
ioctl_step put_v4l2_format(P& p, std::uint64_t arg, bool exit, bool get) {
  std::string& out = p.out();
  unsigned char b[208];
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    const auto type = ioctl_field<std::uint32_t>(b, 0);
    out.append("{type="), put_enum(out, v4l2_buf_types_xlat, type);
    if (get) return ioctl_step::more;
    if (!put_v4l2_format_fmt(p, type, b + 8, ", ")) return out.push_back('}'), ioctl_step::done;
    return ioctl_step::more;
  }
  if (!p.failed() && read_v4l2(p, arg, b, sizeof b))
    put_v4l2_format_fmt(p, ioctl_field<std::uint32_t>(b, 0), b + 8, get ? ", " : "} => {");
  out.push_back('}');
  return ioctl_step::done;
}

/// Appends the flags of a struct v4l2_buffer as strace: the flags, then the timestamp type
/// and source (V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_TIMESTAMP_UNKNOWN|V4L2_BUF_FLAG_TSTAMP_SRC_EOF);
/// the number with -X raw.
inline void put_v4l2_buffer_flags(std::string& out, std::uint32_t v) {
  if (xlat_raw()) return put_hex(out, v);
  constexpr std::uint32_t ts_type_mask = 0xe000, ts_src_mask = 0x70000;  // linux/videodev2.h
  if (auto flags = v & ~(ts_type_mask | ts_src_mask))
    put_flags(out, v4l2_buf_flags_xlat, flags), out.push_back('|');
  put_enum(out, v4l2_buf_flags_ts_type_xlat, v & ts_type_mask);
  out.push_back('|');
  put_enum(out, v4l2_buf_flags_ts_src_xlat, v & ts_src_mask);
}

/// VIDIOC_QUERYBUF, VIDIOC_QBUF, VIDIOC_DQBUF: struct v4l2_buffer (88 bytes): the type and
/// index at entry (DQBUF's index at exit), then memory, where, length, bytesused, flags (and
/// DQBUF's timestamp) and `...`, as strace.
template <class P>
ioctl_step put_v4l2_buffer(P& p, std::uint64_t arg, bool exit, bool dqbuf) {
  std::string& out = p.out();
  unsigned char b[88];
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{type="), put_enum(out, v4l2_buf_types_xlat, ioctl_field<std::uint32_t>(b, 4));
    if (!dqbuf) out.append(", index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    return ioctl_step::more;
  }
  if (!p.failed() && read_v4l2(p, arg, b, sizeof b)) {
    if (dqbuf) out.append(", index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    const auto memory = ioctl_field<std::uint32_t>(b, 60);
    out.append(", memory="), put_enum(out, v4l2_memories_xlat, memory);
    if (memory == 1)  // V4L2_MEMORY_MMAP
      out.append(", m.offset="), put_hex(out, ioctl_field<std::uint32_t>(b, 64));
    else if (memory == 2)  // V4L2_MEMORY_USERPTR
      out.append(", m.userptr="), put_ptr(out, ioctl_field<std::uint64_t>(b, 64));
    out.append(", length="), put_udec(out, ioctl_field<std::uint32_t>(b, 72));
    out.append(", bytesused="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
    out.append(", flags="), put_v4l2_buffer_flags(out, ioctl_field<std::uint32_t>(b, 12));
    if (dqbuf) {  // struct timeval at 24
      out.append(", timestamp={tv_sec="), put_dec(out, ioctl_field<std::int64_t>(b, 24));
      out.append(", tv_usec="), put_udec(out, ioctl_field<std::uint64_t>(b, 32)), out.push_back('}');
    }
    out.append(", ...");
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// Appends struct v4l2_captureparm or v4l2_outputparm (same layout) at `b`; `capture`
/// names the mode and buffers fields.
inline void put_v4l2_streamparm_parm(std::string& out, const unsigned char* b, bool capture) {
  out.append(capture ? "parm.capture={capability=" : "parm.output={capability=");
  put_flags(out, v4l2_streaming_capabilities_xlat, ioctl_field<std::uint32_t>(b, 0));
  out.append(capture ? ", capturemode=" : ", outputmode=");
  put_flags(out, v4l2_capture_modes_xlat, ioctl_field<std::uint32_t>(b, 4));
  out.append(", timeperframe="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
  out.push_back('/'), put_udec(out, ioctl_field<std::uint32_t>(b, 12));
  out.append(", extendedmode="), put_hex(out, ioctl_field<std::uint32_t>(b, 16));
  out.append(capture ? ", readbuffers=" : ", writebuffers="),
      put_udec(out, ioctl_field<std::uint32_t>(b, 20));
  out.push_back('}');
}

/// VIDIOC_G_PARM, VIDIOC_S_PARM: struct v4l2_streamparm (204 bytes: type, the union at 4);
/// only the video capture and output types have their parameters shown.
template <class P>
ioctl_step put_v4l2_streamparm(P& p, std::uint64_t arg, bool exit, bool get) {
  std::string& out = p.out();
  unsigned char b[204];
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    const auto type = ioctl_field<std::uint32_t>(b, 0);
    out.append("{type="), put_enum(out, v4l2_buf_types_xlat, type);
    if (type != 1 && type != 2) return out.push_back('}'), ioctl_step::done;
    if (get) return ioctl_step::more;
    out.append(", "), put_v4l2_streamparm_parm(out, b + 4, type == 1);
    return ioctl_step::more;
  }
  if (p.failed() || !read_v4l2(p, arg, b, sizeof b)) return out.push_back('}'), ioctl_step::done;
  out.append(get ? ", " : "} => {");
  put_v4l2_streamparm_parm(out, b + 4, ioctl_field<std::uint32_t>(b, 0) == 1);
  out.push_back('}');
  return ioctl_step::done;
}

/// VIDIOC_G_TUNER, VIDIOC_S_TUNER: struct v4l2_tuner (84 bytes): the index at entry, S's
/// fields too; the fields at exit (after ` => ` for S).
template <class P>
ioctl_step put_v4l2_tuner(P& p, std::uint64_t arg, bool exit, bool get) {
  std::string& out = p.out();
  unsigned char b[84];
  auto fields = [&] {
    out.append("name="), put_ioctl_cstring(p, b + 4, 32);
    out.append(", type="), put_enum(out, v4l2_tuner_types_xlat, ioctl_field<std::uint32_t>(b, 36));
    out.append(", capability="),
        put_flags(out, v4l2_tuner_capabilities_xlat, ioctl_field<std::uint32_t>(b, 40));
    out.append(", rangelow="), put_udec(out, ioctl_field<std::uint32_t>(b, 44));
    out.append(", rangehigh="), put_udec(out, ioctl_field<std::uint32_t>(b, 48));
    out.append(", rxsubchans="),
        put_flags(out, v4l2_tuner_rxsubchanses_xlat, ioctl_field<std::uint32_t>(b, 52));
    out.append(", audmode="), put_enum(out, v4l2_tuner_audmodes_xlat, ioctl_field<std::uint32_t>(b, 56));
    out.append(", signal="), put_dec(out, ioctl_field<std::int32_t>(b, 60));
    out.append(", afc="), put_dec(out, ioctl_field<std::int32_t>(b, 64));
  };
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    if (!get) out.append(", "), fields();
    return ioctl_step::more;
  }
  if (p.failed() || !read_v4l2(p, arg, b, sizeof b)) return out.push_back('}'), ioctl_step::done;
  out.append(get ? ", " : "} => {");
  fields();
  out.push_back('}');
  return ioctl_step::done;
}

/// Appends a struct v4l2_fract at `b`: numerator/denominator.
inline void put_v4l2_fract(std::string& out, const unsigned char* b) {
  put_udec(out, ioctl_field<std::uint32_t>(b, 0));
  out.push_back('/');
  put_udec(out, ioctl_field<std::uint32_t>(b, 4));
}

/// VIDIOC_ENUM_FRAMESIZES (struct v4l2_frmsizeenum, 44 bytes; `intervals` false) and
/// VIDIOC_ENUM_FRAMEINTERVALS (struct v4l2_frmivalenum, 52 bytes): what is asked at entry,
/// the type and the discrete or stepwise sizes or intervals at exit.
template <class P>
ioctl_step put_v4l2_frame_enum(P& p, std::uint64_t arg, bool exit, bool intervals) {
  std::string& out = p.out();
  unsigned char b[52];
  const std::size_t size = intervals ? 52 : 44;
  if (!exit) {
    if (!read_v4l2(p, arg, b, size)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    out.append(", pixel_format="), put_v4l2_fourcc(out, ioctl_field<std::uint32_t>(b, 4));
    if (intervals) {
      out.append(", width="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
      out.append(", height="), put_udec(out, ioctl_field<std::uint32_t>(b, 12));
    }
    return ioctl_step::more;
  }
  if (!p.failed() && read_v4l2(p, arg, b, size)) {
    auto u = [&](const char* name, std::size_t off) {
      out.append(name), put_udec(out, ioctl_field<std::uint32_t>(b, off));
    };
    if (!intervals) {  // type at 8, the union at 12
      const auto type = ioctl_field<std::uint32_t>(b, 8);
      out.append(", type="), put_enum(out, v4l2_framesize_types_xlat, type);
      if (type == 1) {  // V4L2_FRMSIZE_TYPE_DISCRETE
        u(", discrete={width=", 12), u(", height=", 16), out.push_back('}');
      } else if (type == 3) {  // V4L2_FRMSIZE_TYPE_STEPWISE
        u(", stepwise={min_width=", 12), u(", max_width=", 16), u(", step_width=", 20);
        u(", min_height=", 24), u(", max_height=", 28), u(", step_height=", 32), out.push_back('}');
      }
    } else {  // type at 16, the union at 20
      const auto type = ioctl_field<std::uint32_t>(b, 16);
      out.append(", type="), put_enum(out, v4l2_frameinterval_types_xlat, type);
      if (type == 1) {  // V4L2_FRMIVAL_TYPE_DISCRETE
        out.append(", discrete="), put_v4l2_fract(out, b + 20);
      } else if (type == 2 || type == 3) {  // _CONTINUOUS, _STEPWISE
        out.append(", stepwise={min="), put_v4l2_fract(out, b + 20);
        out.append(", max="), put_v4l2_fract(out, b + 28);
        out.append(", step="), put_v4l2_fract(out, b + 36), out.push_back('}');
      }
    }
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// VIDIOC_CREATE_BUFS: struct v4l2_create_buffers (256 bytes: index, count, memory, the
/// format at 16) at entry; what the kernel made is the result's comment (put_v4l2_result).
template <class P>
ioctl_step put_v4l2_create_buffers(P& p, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  if (exit) return ioctl_step::done;
  unsigned char b[256];
  if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
  const auto type = ioctl_field<std::uint32_t>(b, 16);
  out.append("{count="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
  out.append(", memory="), put_enum(out, v4l2_memories_xlat, ioctl_field<std::uint32_t>(b, 8));
  out.append(", format={type="), put_enum(out, v4l2_buf_types_xlat, type);
  put_v4l2_format_fmt(p, type, b + 24, ", ");
  out.append("}}");
  return ioctl_step::more;
}

/// Appends the comment strace puts after a V4L2 request's successful result (its auxstr):
/// VIDIOC_CREATE_BUFS's ` ({index=0, count=2})`; nothing for the other requests.
template <class P>
void put_v4l2_result(P& p, std::uint32_t code, std::uint64_t arg) {
  unsigned char b[256];  // read whole, as at entry: one unreadable there has no comment
  if (code != 0xc100565c || !p.opts().decode_structs || !read_v4l2(p, arg, b, sizeof b)) return;
  std::string& out = p.out();
  out.append(" ({index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
  out.append(", count="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
  out.append("})");
}

/// Prints the argument of the V4L2 requests decoded at entry and again at exit whose entry
/// may finish the argument (a type with nothing to show, an unreadable array); unknown for
/// the other requests.
template <class P>
ioctl_step put_v4l2_ioctl_struct(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (exit && v4l2_entry_finished(p)) return ioctl_step::done;
  ioctl_step s = ioctl_step::unknown;
  switch (code) {
    case 0xc0d05604:  // VIDIOC_G_FMT, VIDIOC_S_FMT, VIDIOC_TRY_FMT
    case 0xc0d05605:
    case 0xc0d05640:
      s = put_v4l2_format(p, arg, exit, code == 0xc0d05604);
      break;
    case 0xc0585609:  // VIDIOC_QUERYBUF, VIDIOC_QBUF, VIDIOC_DQBUF
    case 0xc058560f:
    case 0xc0585611:
      s = put_v4l2_buffer(p, arg, exit, code == 0xc0585611);
      break;
    case 0xc0cc5615:  // VIDIOC_G_PARM, VIDIOC_S_PARM
    case 0xc0cc5616:
      s = put_v4l2_streamparm(p, arg, exit, code == 0xc0cc5615);
      break;
    case 0xc008561b:  // VIDIOC_G_CTRL, VIDIOC_S_CTRL
    case 0xc008561c:
      s = put_v4l2_control(p, arg, exit, code == 0xc008561b);
      break;
    case 0xc054561d:  // VIDIOC_G_TUNER, VIDIOC_S_TUNER (_IOW, yet strace decodes it at exit)
    case 0x4054561e:
      s = put_v4l2_tuner(p, arg, exit, code == 0xc054561d);
      break;
    case 0xc0445624:  // VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL
    case 0xc0e85667:
      s = put_v4l2_queryctrl(p, arg, exit, code == 0xc0e85667);
      break;
    case 0xc0205647:  // VIDIOC_G_EXT_CTRLS, VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS
    case 0xc0205648:
    case 0xc0205649:
      s = put_v4l2_ext_controls(p, arg, exit, code == 0xc0205647);
      break;
    case 0xc02c564a:  // VIDIOC_ENUM_FRAMESIZES, VIDIOC_ENUM_FRAMEINTERVALS
    case 0xc034564b:
      s = put_v4l2_frame_enum(p, arg, exit, code == 0xc034564b);
      break;
    case 0xc100565c:  // VIDIOC_CREATE_BUFS
      s = put_v4l2_create_buffers(p, arg, exit);
      break;
    default:
      return ioctl_step::unknown;
  }
  if (!exit) p.keep(v4l2_exit_slot, s == ioctl_step::more);
  return s;
}

/// Prints the argument of V4L2 request `code` (see ioctl_step); unknown for the requests
/// not decoded yet.
template <class P>
ioctl_step put_v4l2_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(v4l2_ioctls, code);
  if (!e) return ioctl_step::unknown;
  // A call -e verbose= leaves out: the argument in hex (strace's v4l2_ioctl returns
  // RVAL_DECODED then, and ioctl.c prints it).
  if (!p.opts().decode_structs) return exit ? ioctl_step::done : (put_hex(p.out(), arg), ioctl_step::done);
  if (auto s = put_v4l2_ioctl_struct(p, code, arg, exit); s != ioctl_step::unknown) return s;
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
