// Defines the printers of the structures a few simple ioctl forms point to (ioctl.hpp's
// ioctl_forms): RNDADDENTROPY's struct rand_pool_info, FITRIM's struct fstrim_range,
// FS_IOC_FSGETXATTR/FSSETXATTR's struct fsxattr and COUNTER_ADD_WATCH_IOCTL's struct
// counter_watch (strace's random_ioctl.c, fs_x_ioctl.c, counter_ioctl.c).
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends the struct rand_pool_info at `addr` (RNDADDENTROPY): its counts and its buffer as
/// a string of buf_size bytes. False when unreadable.
template <class P>
bool put_rand_pool(P& p, std::uint64_t addr) {
  std::int32_t counts[2];
  if (!p.read_obj(addr, counts)) return false;
  std::string& out = p.out();
  out.append("{entropy_count=");
  put_dec(out, counts[0]);
  out.append(", buf_size=");
  put_dec(out, counts[1]);
  out.append(", buf=");
  p.put_buffer(addr + sizeof counts, static_cast<std::uint32_t>(counts[1]));
  out.push_back('}');
  return true;
}

/// Appends the struct fstrim_range at `addr` (FITRIM): {start=0x..., len=..., minlen=...}.
template <class P>
bool put_fstrim_range(P& p, std::uint64_t addr) {
  std::uint64_t r[3];
  if (!p.read_obj(addr, r)) return false;
  std::string& out = p.out();
  out.append("{start=");
  put_hex(out, r[0]);
  out.append(", len=");
  put_udec(out, r[1]);
  out.append(", minlen=");
  put_udec(out, r[2]);
  out.push_back('}');
  return true;
}

/// Appends the struct fsxattr at `addr` (linux/fs.h): the XFS flags, sizes and project id,
/// with fsx_nextents when the kernel filled it in (`get`).
template <class P>
bool put_fsxattr(P& p, std::uint64_t addr, bool get) {
  // fsx_xflags, fsx_extsize, fsx_nextents, fsx_projid, fsx_cowextsize, fsx_pad[8]: the
  // whole struct must be readable, as strace reads it.
  std::uint32_t x[7];
  if (!p.read_obj(addr, x)) return false;
  std::string& out = p.out();
  out.append("{fsx_xflags=");
  put_flags(out, fs_xflags_xlat, x[0]);
  out.append(", fsx_extsize=");
  put_udec(out, x[1]);
  if (get) out.append(", fsx_nextents="), put_udec(out, x[2]);
  out.append(", fsx_projid=");
  put_hex(out, x[3]);
  out.append(", fsx_cowextsize=");
  put_udec(out, x[4]);
  out.push_back('}');
  return true;
}

/// Appends the struct counter_watch at `addr` (linux/counter.h): {component={type=...,
/// scope=..., parent=0, id=0}, event=..., channel=0}.
template <class P>
bool put_counter_watch(P& p, std::uint64_t addr) {
  std::uint8_t w[6];  // component.{type, scope, parent, id}, event, channel
  if (!p.read_obj(addr, w)) return false;
  std::string& out = p.out();
  out.append("{component={type=");
  put_enum(out, counter_component_type_xlat, w[0]);
  out.append(", scope=");
  put_enum(out, counter_scope_xlat, w[1]);
  out.append(", parent=");
  put_udec(out, w[2]);
  out.append(", id=");
  put_udec(out, w[3]);
  out.append("}, event=");
  put_enum(out, counter_event_xlat, w[4]);
  out.append(", channel=");
  put_udec(out, w[5]);
  out.push_back('}');
  return true;
}

}  // namespace snare::format::detail
