// Defines the decoder of the device-mapper ioctls of linux/dm-ioctl.h (strace's dm.c): the
// struct dm_ioctl header every request passes, then the payload after data_start that the
// request carries in (target specs, a message, a string) or the kernel writes back (target
// specs, dependencies, device names, target versions), abbreviated unless verbose.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/loop.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// DM_*_FLAG of struct dm_ioctl's flags (linux/dm-ioctl.h; DM_EXISTS_FLAG of older
/// kernels, as strace's dm_flags).
inline constexpr xlat_entry dm_flags_bits[] = {
    {1u << 0, "DM_READONLY_FLAG"},
    {1u << 1, "DM_SUSPEND_FLAG"},
    {1u << 2, "DM_EXISTS_FLAG"},
    {1u << 3, "DM_PERSISTENT_DEV_FLAG"},
    {1u << 4, "DM_STATUS_TABLE_FLAG"},
    {1u << 5, "DM_ACTIVE_PRESENT_FLAG"},
    {1u << 6, "DM_INACTIVE_PRESENT_FLAG"},
    {1u << 8, "DM_BUFFER_FULL_FLAG"},
    {1u << 9, "DM_SKIP_BDGET_FLAG"},
    {1u << 10, "DM_SKIP_LOCKFS_FLAG"},
    {1u << 11, "DM_NOFLUSH_FLAG"},
    {1u << 12, "DM_QUERY_INACTIVE_TABLE_FLAG"},
    {1u << 13, "DM_UEVENT_GENERATED_FLAG"},
    {1u << 14, "DM_UUID_FLAG"},
    {1u << 15, "DM_SECURE_DATA_FLAG"},
    {1u << 16, "DM_DATA_OUT_FLAG"},
    {1u << 17, "DM_DEFERRED_REMOVE"},
    {1u << 18, "DM_INTERNAL_SUSPEND_FLAG"},
    {1u << 19, "DM_IMA_MEASUREMENT_FLAG"},
};
inline constexpr xlat dm_flags_xlat{{}, 0, dm_flags_bits, "0", "DM_???"};

/// The command numbers of linux/dm-ioctl.h; a request is _IOWR(0xfd, cmd, struct dm_ioctl).
enum dm_cmd : std::uint32_t {
  dm_version,
  dm_remove_all,
  dm_list_devices,
  dm_dev_create,
  dm_dev_remove,
  dm_dev_rename,
  dm_dev_suspend,
  dm_dev_status,
  dm_dev_wait,
  dm_table_load,
  dm_table_clear,
  dm_table_deps,
  dm_table_status,
  dm_list_versions,
  dm_target_msg,
  dm_dev_set_geometry,
  dm_dev_arm_poll,
};

/// The device-mapper requests strace decodes (DM_GET_TARGET_VERSION and later ones print
/// in hex), sorted by number.
inline constexpr ioctl_entry dm_ioctls[] = {
    {0xc138fd00, "DM_VERSION"},          {0xc138fd01, "DM_REMOVE_ALL"},    {0xc138fd02, "DM_LIST_DEVICES"},
    {0xc138fd03, "DM_DEV_CREATE"},       {0xc138fd04, "DM_DEV_REMOVE"},    {0xc138fd05, "DM_DEV_RENAME"},
    {0xc138fd06, "DM_DEV_SUSPEND"},      {0xc138fd07, "DM_DEV_STATUS"},    {0xc138fd08, "DM_DEV_WAIT"},
    {0xc138fd09, "DM_TABLE_LOAD"},       {0xc138fd0a, "DM_TABLE_CLEAR"},   {0xc138fd0b, "DM_TABLE_DEPS"},
    {0xc138fd0c, "DM_TABLE_STATUS"},     {0xc138fd0d, "DM_LIST_VERSIONS"}, {0xc138fd0e, "DM_TARGET_MSG"},
    {0xc138fd0f, "DM_DEV_SET_GEOMETRY"}, {0xc138fd10, "DM_DEV_ARM_POLL"},
};
static_assert(ioctl_table_sorted(dm_ioctls), "dm_ioctls must stay sorted by request");

/// The fields of struct dm_ioctl (linux/dm-ioctl.h) up to its data: 305 bytes.
struct dm_header {
  static constexpr std::size_t size = 305;
  unsigned char b[size];
  std::uint32_t u32(std::size_t off) const noexcept { return ioctl_field<std::uint32_t>(b, off); }
  std::uint32_t version(std::size_t i) const noexcept { return u32(i * 4); }
  std::uint32_t data_size() const noexcept { return u32(12); }
  std::uint32_t data_start() const noexcept { return u32(16); }
  std::uint32_t target_count() const noexcept { return u32(20); }
  std::uint32_t open_count() const noexcept { return u32(24); }
  std::uint32_t flags() const noexcept { return u32(28); }
  std::uint32_t event_nr() const noexcept { return u32(32); }
  std::uint64_t dev() const noexcept { return ioctl_field<std::uint64_t>(b, 40); }
  const unsigned char* name() const noexcept { return b + 48; }   // DM_NAME_LEN 128
  const unsigned char* uuid() const noexcept { return b + 176; }  // DM_UUID_LEN 129
};

/// Appends a string of at most `len` bytes at `addr` as strace's printstr_ex with
/// QUOTE_0_TERMINATED; returns its length + 1 when a NUL ends it within the bytes read (at
/// most the string limit + 1), else 0 (strace's umovestr), -1 when unreadable.
template <class P>
int put_dm_string(P& p, std::uint64_t addr, std::uint32_t len) {
  if (len == 0) return p.out().append("\"\""), 0;
  std::size_t fetch = std::min<std::size_t>(len, p.opts().string_limit + 1);
  int rc = 0;
  for (std::size_t i = 0; i < fetch; ++i) {
    unsigned char c;
    if (!p.read_obj(addr + i, c)) return put_ptr(p.out(), addr), -1;
    if (c == 0) {
      rc = static_cast<int>(i + 1);
      break;
    }
  }
  p.put_cstring_n(addr, len);
  return rc;
}

/// Appends ", " and the marker of a payload struct out of place (strace's misplaced).
inline void put_dm_misplaced(std::string& out, const char* what) {
  out.append("??? /* misplaced ").append(what).append(" */");
}

/// Appends the struct dm_target_specs after data_start: `, {sector_start=..., ...}` each.
template <class P>
void put_dm_target_specs(P& p, std::uint64_t arg, const dm_header& h, bool exit) {
  std::string& out = p.out();
  if (!p.opts().verbose) {
    if (h.target_count()) out.append(", ...");
    return;
  }
  std::uint32_t offset = h.data_start(), offset_end = 0;
  for (std::uint32_t i = 0; i < h.target_count(); ++i) {
    out.append(", ");
    if (i && offset <= offset_end) return put_dm_misplaced(out, "struct dm_target_spec");
    offset_end = offset + 40;  // sizeof(struct dm_target_spec)
    if (offset_end <= offset || offset_end > h.data_size())
      return put_dm_misplaced(out, "struct dm_target_spec");
    if (i >= p.opts().string_limit) return out.append("..."), void();
    // sector_start, length (u64); status (s32); next (u32); target_type[16]
    unsigned char s[40];
    if (!p.read_obj(arg + offset, s)) return put_ptr(out, arg + offset);
    out.append("{sector_start="), put_udec(out, ioctl_field<std::uint64_t>(s, 0));
    out.append(", length="), put_udec(out, ioctl_field<std::uint64_t>(s, 8));
    if (exit) out.append(", status="), put_dec(out, ioctl_field<std::int32_t>(s, 16));
    out.append(", target_type="), put_ioctl_cstring(p, s + 24, 16);
    out.append(", string="), put_dm_string(p, arg + offset_end, h.data_size() - offset_end);
    out.push_back('}');
    auto next = ioctl_field<std::uint32_t>(s, 20);
    offset = exit ? h.data_start() + next : offset + next;
  }
}

/// Appends the struct dm_target_deps after data_start (DM_TABLE_DEPS' reply).
template <class P>
void put_dm_target_deps(P& p, std::uint64_t arg, const dm_header& h) {
  std::string& out = p.out();
  if (h.data_start() == h.data_size()) return;
  out.append(", ");
  if (!p.opts().verbose) return out.append("..."), void();
  std::uint32_t offset = h.data_start(), offset_end = offset + 8;  // count, padding, dev[]
  if (offset_end <= offset || offset_end > h.data_size())
    return put_dm_misplaced(out, "struct dm_target_deps");
  std::uint32_t s[2];
  if (!p.read_obj(arg + offset, s)) return put_ptr(out, arg + offset);
  if (s[0] > (h.data_size() - offset_end) / 8) return put_dm_misplaced(out, "struct dm_target_deps");
  out.append("{count="), put_udec(out, s[0]), out.append(", deps=");
  p.put_array(arg + offset_end, s[0], 8, [&](std::uint64_t dev) { put_loop_dev(out, dev); });
  out.push_back('}');
}

/// Appends the struct dm_name_lists after data_start (DM_LIST_DEVICES' reply): each
/// device's number, name and, from ABI 4.37, the event number after the name.
template <class P>
void put_dm_name_list(P& p, std::uint64_t arg, const dm_header& h) {
  std::string& out = p.out();
  if (h.data_start() == h.data_size()) return;
  if (!p.opts().verbose) return out.append(", ..."), void();
  std::uint32_t offset = h.data_start(), offset_end = 0;
  for (std::uint32_t count = 0;; ++count) {
    out.append(", ");
    if (count && offset <= offset_end) return put_dm_misplaced(out, "struct dm_name_list");
    offset_end = offset + 12;  // dev (u64), next (u32), name[]
    if (offset_end <= offset || offset_end > h.data_size())
      return put_dm_misplaced(out, "struct dm_name_list");
    if (count >= p.opts().string_limit) return out.append("..."), void();
    unsigned char s[16];
    if (!p.read_obj(arg + offset, s)) return put_ptr(out, arg + offset);
    auto next = ioctl_field<std::uint32_t>(s, 8);
    out.append("{dev="), put_loop_dev(out, ioctl_field<std::uint64_t>(s, 0));
    out.append(", name=");
    int rc = put_dm_string(p, arg + offset_end, h.data_size() - offset_end);
    if (rc > 0 && h.version(1) >= 37) {
      std::uint64_t event_addr = (arg + offset_end + static_cast<std::uint64_t>(rc) + 7) & ~std::uint64_t{7};
      std::uint32_t event_nr;
      if (event_addr + 4 <= arg + offset + next && p.read_obj(event_addr, event_nr))
        out.append(", event_nr="), put_udec(out, event_nr);
    }
    out.push_back('}');
    if (!next) return;
    offset += next;
  }
}

/// Appends the struct dm_target_versions after data_start (DM_LIST_VERSIONS' reply).
template <class P>
void put_dm_target_versions(P& p, std::uint64_t arg, const dm_header& h) {
  std::string& out = p.out();
  if (h.data_start() == h.data_size()) return;
  if (!p.opts().verbose) return out.append(", ..."), void();
  std::uint32_t offset = h.data_start(), offset_end = 0;
  for (std::uint32_t count = 0;; ++count) {
    out.append(", ");
    if (count && offset <= offset_end) return put_dm_misplaced(out, "struct dm_target_versions");
    offset_end = offset + 16;  // next, version[3] (u32), name[]
    if (offset_end <= offset || offset_end > h.data_size())
      return put_dm_misplaced(out, "struct dm_target_versions");
    if (count >= p.opts().string_limit) return out.append("..."), void();
    std::uint32_t s[4];
    if (!p.read_obj(arg + offset, s)) return put_ptr(out, arg + offset);
    out.append("{name="), put_dm_string(p, arg + offset_end, h.data_size() - offset_end);
    out.append(", version=["), put_udec(out, s[1]), out.append(", "), put_udec(out, s[2]);
    out.append(", "), put_udec(out, s[3]), out.append("]}");
    if (!s[0]) return;
    offset += s[0];
  }
}

/// Appends DM_TARGET_MSG's struct dm_target_msg after data_start: the sector and message.
template <class P>
void put_dm_target_msg(P& p, std::uint64_t arg, const dm_header& h) {
  std::string& out = p.out();
  if (h.data_start() == h.data_size()) return;
  out.append(", ");
  if (!p.opts().verbose) return out.append("..."), void();
  std::uint32_t offset = h.data_start(), offset_end = offset + 8;  // sector (u64), message[]
  if (offset_end <= offset || offset_end > h.data_size())
    return put_dm_misplaced(out, "struct dm_target_msg");
  std::uint64_t sector;
  if (!p.read_obj(arg + offset, sector)) return put_ptr(out, arg + offset);
  out.append("{sector="), put_udec(out, sector);
  out.append(", message="), put_dm_string(p, arg + offset_end, h.data_size() - offset_end);
  out.push_back('}');
}

/// Appends the string after data_start (a new name, a geometry, a message's reply).
template <class P>
void put_dm_payload_string(P& p, std::uint64_t arg, const dm_header& h) {
  std::string& out = p.out();
  out.append(", ");
  if (!p.opts().verbose) return out.append("..."), void();
  if (h.data_start() > h.data_size()) return put_dm_misplaced(out, "string");
  out.append("{string="), put_dm_string(p, arg + h.data_start(), h.data_size() - h.data_start());
  out.push_back('}');
}

/// Appends the struct dm_ioctl header `{version=[4, 1, 2], ...}`; returns false when its ABI
/// version or data_size does not allow decoding more (strace's dm_decode_header).
template <class P>
bool put_dm_header(P& p, std::uint32_t cmd, const dm_header& h, bool exit) {
  std::string& out = p.out();
  out.append("{version=[");
  for (std::size_t i = 0; i < 3; ++i) out.append(i ? ", " : ""), put_udec(out, h.version(i));
  out.push_back(']');
  if (h.version(0) != 4)  // DM_VERSION_MAJOR
    return out.append(" /* unsupported device mapper ABI version */}"), false;
  out.append(", data_size="), put_udec(out, h.data_size());
  if (h.data_size() < dm_header::size) return out.append(" /* data_size too small */}"), false;
  const bool params =
      !(cmd == dm_version || cmd == dm_remove_all || cmd == dm_dev_create || cmd == dm_dev_remove ||
        cmd == dm_dev_suspend || cmd == dm_dev_status || cmd == dm_table_clear || cmd == dm_dev_arm_poll);
  if (params) out.append(", data_start="), put_udec(out, h.data_start());
  if (cmd != dm_remove_all && cmd != dm_list_devices && cmd != dm_list_versions) {
    if (h.dev()) out.append(", dev="), put_loop_dev(out, h.dev());
    if (h.name()[0]) out.append(", name="), put_ioctl_cstring(p, h.name(), 128);
    if (h.uuid()[0]) out.append(", uuid="), put_ioctl_cstring(p, h.uuid(), 129);
  }
  if (!exit) {
    if (cmd == dm_table_load) {
      out.append(", target_count="), put_udec(out, h.target_count());
    } else if ((cmd == dm_dev_suspend && !(h.flags() & 2)) || cmd == dm_dev_rename || cmd == dm_dev_remove ||
               cmd == dm_dev_wait) {
      out.append(", event_nr="), put_udec(out, h.event_nr());
    }
  } else if (cmd == dm_dev_create || cmd == dm_dev_rename || cmd == dm_dev_suspend || cmd == dm_dev_status ||
             cmd == dm_dev_wait || (cmd >= dm_table_load && cmd <= dm_table_status) || cmd == dm_target_msg) {
    out.append(", target_count="), put_udec(out, h.target_count());
    out.append(", open_count="), put_udec(out, h.open_count());
    out.append(", event_nr="), put_udec(out, h.event_nr());
  }
  out.append(", flags="), put_flags(out, dm_flags_xlat, h.flags());
  out.push_back('}');
  return true;
}

/// Prints the argument of device-mapper request `code` (see ioctl_step): `[{header},
/// payload]` at entry and ` => [...]` after a success; the address in hex when the header
/// is unreadable or too short. Unknown for other requests. A failure prints nothing more
/// (strace prints the header again when the call changed it, which it compares with a copy
/// it keeps from entry; this decoder keeps none).
template <class P>
ioctl_step put_dm_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (!find_ioctl_entry(dm_ioctls, code)) return ioctl_step::unknown;
  std::string& out = p.out();
  const std::uint32_t cmd = code & 0xff;
  dm_header h;
  const bool readable = p.read_exact(arg, dm_header::size);
  if (readable) std::memcpy(h.b, scratch().data(), dm_header::size);
  if (!readable || h.data_size() < 12) return exit ? ioctl_step::done : (put_hex(out, arg), ioctl_step::done);
  if (exit && p.failed()) return ioctl_step::done;
  if (exit) out.append(" => ");
  out.push_back('[');
  if (put_dm_header(p, cmd, h, exit)) {
    switch (cmd) {
      case dm_dev_wait:
      case dm_table_status:
        if (exit) put_dm_target_specs(p, arg, h, true);
        break;
      case dm_table_load:
        if (!exit) put_dm_target_specs(p, arg, h, false);
        break;
      case dm_table_deps:
        if (exit) put_dm_target_deps(p, arg, h);
        break;
      case dm_list_devices:
        if (exit) put_dm_name_list(p, arg, h);
        break;
      case dm_list_versions:
        if (exit) put_dm_target_versions(p, arg, h);
        break;
      case dm_target_msg:
        if (!exit)
          put_dm_target_msg(p, arg, h);
        else if (h.flags() & (1u << 16))  // DM_DATA_OUT_FLAG
          put_dm_payload_string(p, arg, h);
        break;
      case dm_dev_rename:
      case dm_dev_set_geometry:
        if (!exit) put_dm_payload_string(p, arg, h);
        break;
      default:
        break;
    }
  }
  out.push_back(']');
  return exit ? ioctl_step::done : ioctl_step::more;
}

}  // namespace snare::format::detail
