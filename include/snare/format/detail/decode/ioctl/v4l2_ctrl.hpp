// Defines the printers of the V4L2 control requests (linux/videodev2.h,
// linux/v4l2-controls.h) as strace's v4l2.c prints them: a control id by name or as its
// class plus an offset, VIDIOC_G/S_CTRL, VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL and
// VIDIOC_G/S/TRY_EXT_CTRLS. Each takes the call's argument at entry or at exit (`exit`)
// and returns the ioctl_step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/v4l2_format.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Reads the `n` bytes (at most 256) at `addr` into `b`; false when unreadable.
template <class P>
bool read_v4l2(P& p, std::uint64_t addr, unsigned char* b, std::size_t n) {
  if (n > 256 || !p.read_exact(addr, n)) return false;
  std::memcpy(b, scratch().data(), n);
  return true;
}

// Slots of the entry_state past ioctl's three arguments (printer::keep): whether a
// request's entry asked for its exit, and the id a control query asked about.
inline constexpr std::size_t v4l2_exit_slot = 3, v4l2_id_slot = 4;

/// Returns whether the entry of the call finished its argument (strace's RVAL_IOCTL_DECODED
/// at entry: nothing follows at exit). Without an entry_state, false: the exit's own
/// re-reading decides.
template <class P>
bool v4l2_entry_finished(const P& p) noexcept {
  std::int32_t more = 0;
  return p.saved(v4l2_exit_slot, more) && more == 0;
}

/// Appends a control id as strace's print_v4l2_cid: its name (V4L2_CID_BRIGHTNESS), else its
/// class and offset (V4L2_CTRL_CLASS_USER+0x1234), else `0x... /* V4L2_CID_??? */`; with
/// `next_flags` (a query's id), the V4L2_CTRL_FLAG_NEXT_* bits first. The number with -X raw.
inline void put_v4l2_cid(std::string& out, std::uint32_t cid, bool next_flags) {
  if (xlat_raw()) return put_hex(out, cid);
  if (next_flags) {
    constexpr std::uint32_t mask = 0xc0000000;  // V4L2_CTRL_FLAG_NEXT_CTRL | _NEXT_COMPOUND
    if (auto flags = cid & mask) {
      put_flags(out, v4l2_control_query_flags_xlat, flags);
      out.push_back('|');
      cid &= ~mask;
    }
  }
  if (auto name = find_name(v4l2_control_ids_xlat.field, cid); !name.empty())
    return put_named(out, name, [&] { put_hex(out, cid); });
  // The class is the greatest one not above the id (the table is sorted by value).
  const xlat_entry* cls = nullptr;
  for (const auto& e : v4l2_control_classes_xlat.field)
    if (e.value <= cid) cls = &e;
  if (!cls || cid - cls->value >= 0x10000) return put_unknown(out, v4l2_control_ids_xlat, cid);
  std::string name(cls->name);
  name.push_back('+');
  put_hex(name, cid - cls->value);
  put_named(out, name, [&] { put_hex(out, cid); });
}

/// VIDIOC_G_CTRL, VIDIOC_S_CTRL: struct v4l2_control {id, value}; the value set at entry
/// and the one the kernel left (`value=1 => 2`, G's at exit only).
template <class P>
ioctl_step put_v4l2_control(P& p, std::uint64_t arg, bool exit, bool get) {
  std::string& out = p.out();
  unsigned char b[8];
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{id="), put_v4l2_cid(out, ioctl_field<std::uint32_t>(b, 0), false);
    if (!get) out.append(", value="), put_dec(out, ioctl_field<std::int32_t>(b, 4));
    return ioctl_step::more;
  }
  if (!p.failed() && read_v4l2(p, arg, b, sizeof b)) {
    out.append(get ? ", value=" : " => ");
    put_dec(out, ioctl_field<std::int32_t>(b, 4));
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// VIDIOC_QUERYCTRL (struct v4l2_queryctrl, 68 bytes; `ext` false) and VIDIOC_QUERY_EXT_CTRL
/// (struct v4l2_query_ext_ctrl, 232 bytes): the id at entry (and ` => ` the id the kernel
/// found, when another), the type and name at exit, the limits and flags unless abbreviated
/// (`...` then), as strace.
template <class P>
ioctl_step put_v4l2_queryctrl(P& p, std::uint64_t arg, bool exit, bool ext) {
  std::string& out = p.out();
  unsigned char b[232];
  const std::size_t size = ext ? 232 : 68;
  if (!exit) {
    if (!read_v4l2(p, arg, b, size)) return put_ptr(out, arg), ioctl_step::done;
    const auto id = ioctl_field<std::uint32_t>(b, 0);
    p.keep(v4l2_id_slot, static_cast<std::int32_t>(id));  // strace's tcb private data
    out.append("{id="), put_v4l2_cid(out, id, true);
    return ioctl_step::more;
  }
  if (p.failed() || !read_v4l2(p, arg, b, size)) return out.push_back('}'), ioctl_step::done;
  const auto id = ioctl_field<std::uint32_t>(b, 0);
  std::int32_t asked = 0;
  if (p.saved(v4l2_id_slot, asked) && static_cast<std::uint32_t>(asked) != id)
    out.append(" => "), put_v4l2_cid(out, id, false);
  out.append(", type="), put_enum(out, v4l2_control_types_xlat, ioctl_field<std::uint32_t>(b, 4));
  out.append(", name="), put_ioctl_cstring(p, b + 8, 32);
  if (!p.opts().verbose) return out.append(", ...}"), ioctl_step::done;
  // The reserved words (hex) only when one is set.
  auto reserved = [&](std::size_t off, std::size_t n) {
    bool zero = true;
    for (std::size_t k = 0; k < n; ++k) zero = zero && ioctl_field<std::uint32_t>(b, off + 4 * k) == 0;
    if (zero) return;
    out.append(", reserved=");
    put_v4l2_local_array(p, n,
                         [&](std::size_t k) { put_hex(out, ioctl_field<std::uint32_t>(b, off + 4 * k)); });
  };
  if (!ext) {  // minimum, maximum, step, default_value (s32), flags, reserved[2]
    out.append(", minimum="), put_dec(out, ioctl_field<std::int32_t>(b, 40));
    out.append(", maximum="), put_dec(out, ioctl_field<std::int32_t>(b, 44));
    out.append(", step="), put_dec(out, ioctl_field<std::int32_t>(b, 48));
    out.append(", default_value="), put_dec(out, ioctl_field<std::int32_t>(b, 52));
    out.append(", flags="), put_flags(out, v4l2_control_flags_xlat, ioctl_field<std::uint32_t>(b, 56));
    reserved(60, 2);
  } else {  // minimum, maximum (s64), step (u64), default_value (s64), flags, elem_size, elems,
            // nr_of_dims, dims[4], reserved[32]
    out.append(", minimum="), put_dec(out, ioctl_field<std::int64_t>(b, 40));
    out.append(", maximum="), put_dec(out, ioctl_field<std::int64_t>(b, 48));
    out.append(", step="), put_udec(out, ioctl_field<std::uint64_t>(b, 56));
    out.append(", default_value="), put_dec(out, ioctl_field<std::int64_t>(b, 64));
    out.append(", flags="), put_flags(out, v4l2_control_flags_xlat, ioctl_field<std::uint32_t>(b, 72));
    out.append(", elem_size="), put_udec(out, ioctl_field<std::uint32_t>(b, 76));
    out.append(", elems="), put_udec(out, ioctl_field<std::uint32_t>(b, 80));
    const auto dims = ioctl_field<std::uint32_t>(b, 84);
    out.append(", nr_of_dims="), put_udec(out, dims);
    out.append(", dims=");
    put_v4l2_local_array(p, dims < 4 ? dims : 4,
                         [&](std::size_t k) { put_udec(out, ioctl_field<std::uint32_t>(b, 88 + 4 * k)); });
    reserved(104, 32);
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// Appends the controls of a struct v4l2_ext_controls (struct v4l2_ext_control, packed, 20
/// bytes each: id, size, reserved2, then a string of `size` bytes or value and value64).
/// Returns whether they printed whole.
template <class P>
bool put_v4l2_ext_control_array(P& p, std::uint64_t addr, std::uint32_t count) {
  std::string& out = p.out();
  out.append("controls=");
  return put_v4l2_array(p, addr, count, 20, [&](const unsigned char* c) {
    out.append("{id="), put_enum(out, v4l2_control_ids_xlat, ioctl_field<std::uint32_t>(c, 0));
    const auto size = ioctl_field<std::uint32_t>(c, 4);
    out.append(", size="), put_udec(out, size);
    if (size > 0) {
      out.append(", string="), p.put_buffer(ioctl_field<std::uint64_t>(c, 12), size);
    } else {
      out.append(", value="), put_dec(out, ioctl_field<std::int32_t>(c, 12));
      out.append(", value64="), put_dec(out, ioctl_field<std::int64_t>(c, 12));
    }
    out.push_back('}');
  });
}

/// VIDIOC_G_EXT_CTRLS, VIDIOC_S_EXT_CTRLS, VIDIOC_TRY_EXT_CTRLS: struct v4l2_ext_controls
/// (32 bytes: ctrl_class, count, error_idx, request_fd, reserved, controls): the controls
/// set at entry (S, TRY) and those the kernel left (` => {controls=...}`), the error index
/// when the call failed; strace reads them at exit even then.
template <class P>
ioctl_step put_v4l2_ext_controls(P& p, std::uint64_t arg, bool exit, bool get) {
  std::string& out = p.out();
  unsigned char b[32];
  if (!exit) {
    if (!read_v4l2(p, arg, b, sizeof b)) return put_ptr(out, arg), ioctl_step::done;
    const auto count = ioctl_field<std::uint32_t>(b, 4);
    out.append("{ctrl_class="), put_enum(out, v4l2_control_classes_xlat, ioctl_field<std::uint32_t>(b, 0));
    out.append(", count="), put_udec(out, count);
    if (count == 0) return out.push_back('}'), ioctl_step::done;
    if (get) return ioctl_step::more;
    out.append(", ");
    if (!put_v4l2_ext_control_array(p, ioctl_field<std::uint64_t>(b, 24), count))
      return out.push_back('}'), ioctl_step::done;
    return ioctl_step::more;
  }
  if (!read_v4l2(p, arg, b, sizeof b)) return out.push_back('}'), ioctl_step::done;
  out.append(get ? ", " : "} => {");
  put_v4l2_ext_control_array(p, ioctl_field<std::uint64_t>(b, 24), ioctl_field<std::uint32_t>(b, 4));
  if (p.failed()) out.append(", error_idx="), put_udec(out, ioctl_field<std::uint32_t>(b, 8));
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
