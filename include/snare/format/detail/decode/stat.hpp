// Defines how struct stat and struct statx print (strace's print_struct_stat.c, statx.c):
// abbreviated, {st_mode=S_IFREG|0644, st_size=3, ...}, or in full with -v, every field and
// each time with its date in a comment; device numbers and modes in each -X style.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends a file type, the set-id and sticky bits and the permission bits as strace's
/// print_symbolic_mode_t (struct stat, mknod): S_IFDIR|S_ISVTX|0777, 0644 without a type;
/// the whole mode in octal when its type has no name.
inline void put_mode(std::string& out, std::uint64_t mode) {
  mode &= 0xffffffffu;
  std::uint64_t type = mode & 0170000;
  if (type != 0) {
    auto name = find_name(mode_type_field, type);
    if (name.empty()) return put_octal(out, mode);
    out.append(name);
    out.push_back('|');
  }
  if (mode & 04000) out.append("S_ISUID|");
  if (mode & 02000) out.append("S_ISGID|");
  if (mode & 01000) out.append("S_ISVTX|");
  put_octal(out, mode & ~std::uint64_t{0177000});
}

/// Appends a device number as strace does: makedev(0x1, 0x3).
inline void put_dev(std::string& out, std::uint64_t dev) {
  std::uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~std::uint64_t{0xfff});
  std::uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~std::uint64_t{0xff});
  out.append("makedev(");
  put_hex(out, major);
  out.append(", ");
  put_hex(out, minor);
  out.push_back(')');
}

/// Appends a mode in the -X style: S_IFREG|0640, 0100640 (raw), 0100640 /* S_IFREG|0640 */.
inline void put_mode_x(std::string& out, std::uint64_t mode) {
  if (xlat_abbrev()) return put_mode(out, mode);
  put_octal(out, mode & 0xffffffffu);
  if (xlat_raw()) return;
  out.append(" /* ");
  put_mode(out, mode);
  out.append(" */");
}

/// Appends a device number in the -X style: makedev(0xfe, 0), 0xfe00 (raw), or both.
inline void put_dev_x(std::string& out, std::uint64_t dev) {
  if (xlat_abbrev()) return put_dev(out, dev);
  put_hex(out, dev);
  if (xlat_raw()) return;
  out.append(" /* ");
  put_dev(out, dev);
  out.append(" */");
}

/// Appends `, name=N /* date */, name_nsec=M`: one time of struct stat.
inline void put_stat_time(std::string& out, std::string_view name, std::int64_t sec, std::uint64_t nsec) {
  out.append(", ").append(name).append("=");
  put_dec(out, sec);
  put_time_comment(out, sec, nsec, 9);
  out.append(", ").append(name).append("_nsec=");
  put_udec(out, nsec);
}

/// Appends the struct stat at `addr` (the native layout); in full when `full` (strace -v).
template <class P>
bool put_stat(P& p, std::uint64_t addr) {
  sys::abi::x86_64::stat st;
  if (!p.read_obj(addr, st)) return false;
  const bool full = p.opts().verbose;
  std::string& out = p.out();
  out.push_back('{');
  if (full) {
    out.append("st_dev=");
    put_dev_x(out, st.st_dev);
    out.append(", st_ino=");
    put_udec(out, st.st_ino);
    out.append(", st_mode=");
    put_mode_x(out, st.st_mode);
    out.append(", st_nlink=");
    put_udec(out, st.st_nlink);
    out.append(", st_uid=");
    put_udec(out, st.st_uid);
    out.append(", st_gid=");
    put_udec(out, st.st_gid);
    out.append(", st_blksize=");
    put_udec(out, static_cast<std::uint64_t>(st.st_blksize));
    out.append(", st_blocks=");
    put_udec(out, static_cast<std::uint64_t>(st.st_blocks));
  } else {
    out.append("st_mode=");
    put_mode_x(out, st.st_mode);
  }
  std::uint32_t type = st.st_mode & 0170000;
  if (type == 0020000 || type == 0060000) {
    out.append(", st_rdev=");
    put_dev_x(out, st.st_rdev);
  } else {
    out.append(", st_size=");
    put_udec(out, static_cast<std::uint64_t>(st.st_size));
  }
  if (!full) return out.append(", ...}"), true;
  put_stat_time(out, "st_atime", static_cast<std::int64_t>(st.st_atime_sec), st.st_atime_nsec);
  put_stat_time(out, "st_mtime", static_cast<std::int64_t>(st.st_mtime_sec), st.st_mtime_nsec);
  put_stat_time(out, "st_ctime", static_cast<std::int64_t>(st.st_ctime_sec), st.st_ctime_nsec);
  out.push_back('}');
  return true;
}

/// Appends `, name={tv_sec=N, tv_nsec=M} /* date */`: one time of struct statx.
inline void put_statx_time(std::string& out, std::string_view name, const sys::abi::statx_timestamp& t) {
  out.append(", ").append(name).append("={tv_sec=");
  put_dec(out, t.tv_sec);
  out.append(", tv_nsec=");
  put_udec(out, t.tv_nsec);
  out.push_back('}');
  put_time_comment(out, t.tv_sec, t.tv_nsec, 9);
}

/// Appends the struct statx at `addr`: the fields its mask says the kernel filled in, the
/// size and mode alone unless `full` (strace -v).
template <class P>
bool put_statx(P& p, std::uint64_t addr) {
  sys::abi::statx sx;
  if (!p.read_obj(addr, sx)) return false;
  static constexpr xlat_entry attrs[] = {
      {0x4, "STATX_ATTR_COMPRESSED"},    {0x10, "STATX_ATTR_IMMUTABLE"},  {0x20, "STATX_ATTR_APPEND"},
      {0x40, "STATX_ATTR_NODUMP"},       {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
      {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"}};
  static constexpr xlat attrs_xlat{{}, 0, attrs, "0", "STATX_ATTR_???"};
  // STATX_* mask bits, <linux/stat.h>.
  constexpr std::uint32_t type_ = 0x1, mode_ = 0x2, nlink = 0x4, uid = 0x8, gid = 0x10, atime = 0x20,
                          mtime = 0x40, ctime = 0x80, ino = 0x100, size = 0x200, blocks = 0x400,
                          btime = 0x800, mnt_id = 0x1000, dioalign = 0x2000;
  const bool full = p.opts().verbose;
  const std::uint32_t m = sx.stx_mask;
  std::string& out = p.out();
  out.append("{stx_mask=");
  put_flags(out, statx_mask_xlat, sx.stx_mask);
  if (full) {
    out.append(", stx_blksize=");
    put_udec(out, sx.stx_blksize);
  }
  out.append(", stx_attributes=");
  put_flags(out, attrs_xlat, sx.stx_attributes);
  if (full && (m & nlink)) put_udec(out.append(", stx_nlink="), sx.stx_nlink);
  if (full && (m & uid))
    put_dec(out.append(", stx_uid="),
            sx.stx_uid == 0xffffffffu ? std::int64_t{-1} : std::int64_t{sx.stx_uid});
  if (full && (m & gid))
    put_dec(out.append(", stx_gid="),
            sx.stx_gid == 0xffffffffu ? std::int64_t{-1} : std::int64_t{sx.stx_gid});
  if (m & (type_ | mode_)) put_mode_x(out.append(", stx_mode="), sx.stx_mode);
  if (full && (m & ino)) put_udec(out.append(", stx_ino="), sx.stx_ino);
  if (m & size) put_udec(out.append(", stx_size="), sx.stx_size);
  if (!full) return out.append(", ...}"), true;
  if (m & blocks) put_udec(out.append(", stx_blocks="), sx.stx_blocks);
  out.append(", stx_attributes_mask=");
  put_flags(out, attrs_xlat, sx.stx_attributes_mask);
  if (m & atime) put_statx_time(out, "stx_atime", sx.stx_atime);
  if (m & btime) put_statx_time(out, "stx_btime", sx.stx_btime);
  if (m & ctime) put_statx_time(out, "stx_ctime", sx.stx_ctime);
  if (m & mtime) put_statx_time(out, "stx_mtime", sx.stx_mtime);
  put_udec(out.append(", stx_rdev_major="), sx.stx_rdev_major);
  put_udec(out.append(", stx_rdev_minor="), sx.stx_rdev_minor);
  put_udec(out.append(", stx_dev_major="), sx.stx_dev_major);
  put_udec(out.append(", stx_dev_minor="), sx.stx_dev_minor);
  if (m & mnt_id) put_hex(out.append(", stx_mnt_id="), sx.stx_mnt_id);
  if (m & dioalign) {
    put_udec(out.append(", stx_dio_mem_align="), sx.stx_dio_mem_align);
    put_udec(out.append(", stx_dio_offset_align="), sx.stx_dio_offset_align);
  }
  out.push_back('}');
  return true;
}

}  // namespace snare::format::detail
