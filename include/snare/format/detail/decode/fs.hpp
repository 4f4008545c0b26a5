// Defines the decoders of file-system calls (strace's open.c, mknod.c, stat.c, statx.c,
// umask.c, dirent.c, quota.c, statfs.c): modes, devices, struct stat, statx and statfs,
// directory listings, and the calls that print fewer or special arguments.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/stat.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends quotactl's cmd as strace does: QCMD(Q_GETQUOTA, USRQUOTA).
inline void put_quotactl_cmd(std::string& out, std::uint64_t v) {
  out.append("QCMD(");
  put_enum(out, quotactl_cmd_xlat, (v & 0xffffffffu) >> 8);
  out.append(", ");
  put_enum(out, quota_type_xlat, v & 0xff);
  out.push_back(')');
}

/// Appends the `len` bytes of directory entries at `addr` in full, as strace's decode_dents
/// does under -v: `[{d_ino=..., d_off=..., d_reclen=24, d_name=".", d_type=DT_DIR}, ...]`
/// (getdents64: d_type before d_name), `... /* 0x... */` where memory ends, a short tail
/// in hex.
template <class P>
void put_dirents_verbose(P& p, std::uint64_t addr, std::uint64_t len, bool is64) {
  struct head {
    std::uint64_t d_ino, d_off;
    std::uint16_t d_reclen;
    unsigned char d_type;  // getdents64's; getdents' first name byte
  };
  constexpr std::uint64_t header_size_old = 18, header_size64 = 19;  // offsetof(d_name)
  const std::uint64_t header_size = is64 ? header_size64 : header_size_old;
  constexpr std::uint64_t name_max = 256;  // strace's D_NAME_LEN_MAX
  std::string& out = p.out();
  std::uint64_t count = 0;
  for (;;) {
    if (len < header_size) {
      if (len == 0) {
        if (count++ == 0) out.push_back('[');
      } else {
        bool ok = p.read_exact(addr, static_cast<std::size_t>(len));
        if (ok)
          put_quoted(out, scratch(), true);
        else
          put_ptr(out, addr);
      }
      break;
    }
    head h{};
    if (!p.read_exact(addr, static_cast<std::size_t>(header_size))) {
      if (count) {
        out.append("... /* ");
        put_hex(out, addr);
        out.append(" */");
      } else {
        put_ptr(out, addr);
      }
      break;
    }
    std::memcpy(&h, scratch().data(), std::min<std::size_t>(sizeof h, static_cast<std::size_t>(header_size)));
    if (count++ == 0) out.push_back('[');
    out.append("{d_ino=");
    put_udec(out, h.d_ino);
    out.append(", d_off=");
    put_udec(out, h.d_off);
    out.append(", d_reclen=");
    put_udec(out, h.d_reclen);
    std::uint64_t reclen = h.d_reclen, next_len = 0;
    if (reclen > len) {  // strace: "cannot happen"
      out.append(" /* ");
      put_udec(out, reclen - len);
      out.append(" bytes overflow */");
      reclen = len;
    } else if (reclen < header_size) {
      out.append(" /* ");
      put_udec(out, header_size - reclen);
      out.append(" bytes underflow */");
      reclen = header_size;
      next_len = len - header_size;
    } else {
      next_len = len - reclen;
    }
    std::uint64_t next_addr = next_len ? addr + reclen : 0;
    len = next_len;
    // The tail: the name (and for getdents the type byte after it).
    std::uint64_t tail = reclen - header_size, name_at = addr + header_size;
    bool ok = true;
    auto put_name = [&](std::uint64_t name_len) {
      if (name_len == 0) return;
      name_len = std::min(name_len, name_max);
      out.append(", d_name=");
      std::size_t mark = out.size();
      p.put_cstring(name_at, static_cast<std::size_t>(name_len - 1));
      ok = out[mark] == '"';  // else the address: the name could not be read
    };
    if (is64) {
      out.append(", d_type=");
      put_enum(out, dirent_types_xlat, h.d_type);
      put_name(tail);
    } else if (tail != 0) {
      put_name(tail - 1);
      out.append(", d_type=");
      unsigned char t = 0;
      if (p.read_obj(name_at + tail - 1, t)) {
        put_enum(out, dirent_types_xlat, t);
      } else {
        put_ptr(out, name_at + tail - 1);
        ok = false;
      }
    }
    out.push_back('}');
    if (next_addr) {
      out.append(", ");
      if (!ok) {
        out.append("...");
        break;
      }
    }
    if (!next_addr) break;
    addr = next_addr;
  }
  if (count) out.push_back(']');
}

/// Appends a directory listing as strace abbreviates it: 0x... /* 12 entries */; in full
/// with -v (put_dirents_verbose).
template <class P>
void put_dirents(P& p, std::uint64_t addr, bool exit) {
  if (p.opts().verbose && exit && !p.failed() &&
      static_cast<std::uint64_t>(p.ret()) <= (p.arg(2) & 0xffffffffu))
    return put_dirents_verbose(p, addr, static_cast<std::uint64_t>(p.ret()),
                               p.desc().id == sys::call_id::getdents64);
  std::uint64_t count = 0;
  if (exit && p.ret() > 0) {
    std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(p.ret(), 1 << 20));
    if (!p.read_exact(addr, n)) return put_hex(p.out(), addr);
    const std::string& s = scratch();
    for (std::size_t at = 0; at + 18 <= n; ++count) {
      std::uint16_t reclen;
      std::memcpy(&reclen, s.data() + at + 16, 2);
      if (reclen == 0) break;
      at += reclen;
    }
  }
  put_hex(p.out(), addr);
  p.out().append(" /* ");
  put_udec(p.out(), count);
  p.out().append(count == 1 ? " entry */" : " entries */");
}

/// The kernel's struct statfs on x86-64.
struct abi_statfs {
  std::int64_t f_type, f_bsize;
  std::uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
  std::int32_t f_fsid[2];
  std::int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
static_assert(sizeof(abi_statfs) == 120);

/// Appends the struct statfs at `addr` as strace does: {f_type=EXT2_SUPER_MAGIC,
/// f_bsize=4096, ..., f_fsid={val=[0x1, 0x2]}, f_namelen=255, f_frsize=4096,
/// f_flags=ST_VALID|ST_RELATIME}, the flags only when ST_VALID says they are set.
template <class P>
bool put_statfs(P& p, std::uint64_t addr) {
  abi_statfs b;
  if (!p.read_obj(addr, b)) return false;
  std::string& out = p.out();
  auto field = [&](const char* name, std::uint64_t v) {
    out.append(", ");
    out.append(name);
    out.push_back('=');
    put_udec(out, v);
  };
  out.append("{f_type=");
  put_enum(out, fs_magic_xlat, static_cast<std::uint64_t>(b.f_type));
  field("f_bsize", static_cast<std::uint64_t>(b.f_bsize));
  field("f_blocks", b.f_blocks);
  field("f_bfree", b.f_bfree);
  field("f_bavail", b.f_bavail);
  field("f_files", b.f_files);
  field("f_ffree", b.f_ffree);
  out.append(", f_fsid={val=[");
  put_hex(out, static_cast<std::uint32_t>(b.f_fsid[0]));
  out.append(", ");
  put_hex(out, static_cast<std::uint32_t>(b.f_fsid[1]));
  out.append("]}");
  field("f_namelen", static_cast<std::uint64_t>(b.f_namelen));
  field("f_frsize", static_cast<std::uint64_t>(b.f_frsize));
  if (b.f_flags & 0x20) {  // ST_VALID
    out.append(", f_flags=");
    put_flags(out, statfs_flags_xlat, static_cast<std::uint64_t>(b.f_flags));
  }
  out.push_back('}');
  return true;
}

/// Appends `, /* bytes 24..31 */ "\x80..."` for the bytes of [start, total) at `addr`
/// that are not all zero, `, ???` when they cannot be read, nothing when all are zero: the
/// tail of an extensible struct larger than snare knows (strace's print_nonzero_bytes).
template <class P>
void put_nonzero_tail(P& p, std::uint64_t addr, std::uint64_t start, std::uint64_t total) {
  if (start >= total) return;
  auto len = static_cast<std::size_t>(std::min<std::uint64_t>(total, 4096) - start);
  std::string& out = p.out();
  if (!p.read_exact(addr + start, len)) return out.append(", ???"), void();
  const std::string& s = scratch();
  if (s.find_first_not_of('\0') == std::string::npos) return;
  out.append(", /* bytes ");
  put_udec(out, start);
  out.append("..");
  put_udec(out, start + len - 1);
  out.append(" */ ");
  std::string bytes = s.substr(0, std::min(len, p.opts().string_limit));
  put_quoted(out, bytes, true);
  if (bytes.size() < len) out.append("...");
}

/// Appends the struct open_how of openat2 (`size` bytes at `addr`): {flags=O_RDONLY,
/// mode=0644 (with O_CREAT, O_TMPFILE or a mode), resolve=RESOLVE_BENEATH}. False when
/// shorter than its first version or unreadable.
template <class P>
bool put_open_how(P& p, std::uint64_t addr, std::uint64_t size) {
  struct {
    std::uint64_t flags, mode, resolve;
  } how;
  if (size < sizeof how || !p.read_obj(addr, how)) return false;
  std::string& out = p.out();
  out.append("{flags=");
  put_flags(out, open_xlat, how.flags);
  if ((how.flags & (0100 | 020000000)) != 0 || how.mode != 0) {
    out.append(", mode=");
    put_octal(out, how.mode);
  }
  out.append(", resolve=");
  put_flags(out, open_resolve_xlat, how.resolve);
  put_nonzero_tail(p, addr, sizeof how, size);
  out.push_back('}');
  return true;
}

/// openat2: the struct open_how, its size from the fourth argument.
template <>
struct decoder<sys::call_id::openat2> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    if (p.arg(2) == 0 || !put_open_how(p, p.arg(2), p.arg(3))) put_ptr(p.out(), p.arg(2));
    return true;
  }
};

/// getcwd: at exit the path the kernel wrote, its length from the result with the NUL, not
/// cut at the string limit (strace's printpathn); the address after a failure.
template <>
struct decoder<sys::call_id::getcwd> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 0 || !exit) return false;
    if (p.failed() || p.ret() <= 0) return put_ptr(p.out(), p.arg(0)), true;
    std::size_t limit = p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0;
    p.put_cstring(p.arg(0), std::min<std::size_t>(static_cast<std::size_t>(p.ret() - 1), limit));
    return true;
  }
};

/// swapon: the flags, then the priority in decimal: SWAP_FLAG_PREFER|10 (strace's swapon.c).
template <>
struct decoder<sys::call_id::swapon> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    static constexpr xlat_entry bits[] = {{0x8000, "SWAP_FLAG_PREFER"},
                                          {0x10000, "SWAP_FLAG_DISCARD"},
                                          {0x20000, "SWAP_FLAG_DISCARD_ONCE"},
                                          {0x40000, "SWAP_FLAG_DISCARD_PAGES"}};
    if (i != 1) return false;
    auto v = static_cast<std::uint32_t>(p.arg(1));
    std::uint32_t prio = v & 0x7fff, flags = v & ~0x7fffu;  // SWAP_FLAG_PRIO_MASK
    if (flags != 0) {
      put_flags(p.out(), xlat{{}, 0, bits, "0", "SWAP_FLAG_???"}, flags);
      p.out().push_back('|');
    }
    put_udec(p.out(), prio);
    return true;
  }
};

/// open and openat: the mode only with O_CREAT or O_TMPFILE.
template <std::size_t FlagsArg>
struct open_decoder {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return (p.arg(FlagsArg) & (0100 | 020000000)) == 0 ? std::min(n, FlagsArg + 1) : n;
  }
};
template <>
struct decoder<sys::call_id::open> : open_decoder<1> {};
template <>
struct decoder<sys::call_id::openat> : open_decoder<2> {};

/// mknod and mknodat: the device only for character and block devices, as makedev().
template <std::size_t ModeArg>
struct mknod_decoder {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    std::uint64_t type = p.arg(ModeArg) & 0170000;
    return type != 0020000 && type != 0060000 ? std::min(n, ModeArg + 1) : n;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    // Symbolic, unlike open's, and a umode_t: the low 16 bits (strace's mknod.c).
    if (i == ModeArg) return put_mode(p.out(), p.arg(i) & 0xffff), true;
    if (i == ModeArg + 1) return put_dev(p.out(), p.arg(i) & 0xffffffffu), true;  // an unsigned int dev
    return false;
  }
};
template <>
struct decoder<sys::call_id::mknod> : mknod_decoder<1> {};
template <>
struct decoder<sys::call_id::mknodat> : mknod_decoder<2> {};

/// statx: the sync type first, AT_STATX_SYNC_AS_STAT (0) or its bits, then the AT_ flags.
template <>
struct decoder<sys::call_id::statx> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    std::string& out = p.out();
    std::uint64_t flags = p.arg(2) & 0xffffffffu, sync = flags & 0x6000;
    if (sync == 0)
      out.append("AT_STATX_SYNC_AS_STAT");
    else
      out.append(sync & 0x2000
                     ? (sync & 0x4000 ? "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC" : "AT_STATX_FORCE_SYNC")
                     : "AT_STATX_DONT_SYNC");
    if (flags & ~std::uint64_t{0x6000}) {
      out.push_back('|');
      put_flags(out, at_xlat, flags & ~std::uint64_t{0x6000});
    }
    return true;
  }
};

/// setxattr, lsetxattr, fsetxattr: the value without a trailing NUL; its address when the
/// size is over XATTR_SIZE_MAX (65536), as strace's xattr.c.
struct setxattr_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    if (p.arg(3) > 65536) return put_ptr(p.out(), p.arg(2)), true;
    p.put_buffer(p.arg(2), p.arg(3), true);
    return true;
  }
};
template <>
struct decoder<sys::call_id::setxattr> : setxattr_decoder {};
template <>
struct decoder<sys::call_id::lsetxattr> : setxattr_decoder {};
template <>
struct decoder<sys::call_id::fsetxattr> : setxattr_decoder {};

/// getxattr, lgetxattr, fgetxattr: the value read, without a trailing NUL, at exit.
struct getxattr_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 2 || !exit) return false;
    if (p.failed() || p.ret() > 65536) return put_ptr(p.out(), p.arg(2)), true;
    p.put_buffer(p.arg(2), static_cast<std::uint64_t>(p.ret()), true);
    return true;
  }
};
template <>
struct decoder<sys::call_id::getxattr> : getxattr_decoder {};
template <>
struct decoder<sys::call_id::lgetxattr> : getxattr_decoder {};
template <>
struct decoder<sys::call_id::fgetxattr> : getxattr_decoder {};

/// listxattr, llistxattr, flistxattr: the list's address when the size asked is 0.
struct listxattr_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 1 || !exit || (p.arg(2) != 0 && !p.failed())) return false;
    put_ptr(p.out(), p.arg(1));
    return true;
  }
};
template <>
struct decoder<sys::call_id::listxattr> : listxattr_decoder {};
template <>
struct decoder<sys::call_id::llistxattr> : listxattr_decoder {};
template <>
struct decoder<sys::call_id::flistxattr> : listxattr_decoder {};

/// landlock_create_ruleset: struct landlock_ruleset_attr, `, ...` when `size` is larger
/// than its one field, the address when smaller (strace's landlock.c).
template <>
struct decoder<sys::call_id::landlock_create_ruleset> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    std::uint64_t addr = p.arg(0), size = p.arg(1), access;
    if (addr == 0) return p.out().append("NULL"), true;
    if (size < 8 || !p.read_obj(addr, access)) return put_ptr(p.out(), addr), true;
    p.out().append("{handled_access_fs=");
    put_flags(p.out(), landlock_access_fs_xlat, access);
    if (size > 8) p.out().append(", ...");
    p.out().push_back('}');
    return true;
  }
  // LANDLOCK_CREATE_RULESET_VERSION returns the ABI version, not an fd.
  template <class P>
  static void put_return(P& p) {
    if (p.arg(2) & 1) return put_dec(p.out(), p.ret());
    p.put_return_value();
  }
};

/// umask: the previous mask in octal.
template <>
struct decoder<sys::call_id::umask> {
  template <class P>
  static void put_return(P& p) {
    put_octal(p.out(), static_cast<std::uint64_t>(p.ret()));
  }
};

/// landlock_add_rule: the rule type by name, and for LANDLOCK_RULE_PATH_BENEATH its struct
/// landlock_path_beneath_attr (packed: 12 bytes), as strace's landlock.c; other types' attributes
/// as addresses.
template <>
struct decoder<sys::call_id::landlock_add_rule> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    constexpr std::uint32_t rule_path_beneath = 1;
    auto type = static_cast<std::uint32_t>(p.arg(1));
    std::string& out = p.out();
    if (i == 1) {
      static constexpr xlat_entry types[] = {{rule_path_beneath, "LANDLOCK_RULE_PATH_BENEATH"}};
      put_enum(out, xlat{types, ~std::uint64_t{0}, {}, {}, "LANDLOCK_RULE_???"}, type);
      return true;
    }
    if (i != 2) return false;
    std::uint64_t addr = p.arg(2);
    if (type != rule_path_beneath || addr == 0 || !p.read_exact(addr, 12)) return put_ptr(out, addr), true;
    std::uint64_t access;
    std::int32_t parent_fd;
    std::memcpy(&access, scratch().data(), 8);
    std::memcpy(&parent_fd, scratch().data() + 8, 4);
    out.append("{allowed_access=");
    put_flags(out, landlock_access_fs_xlat, access);
    out.append(", parent_fd=");
    p.put_fd(parent_fd);
    out.push_back('}');
    return true;
  }
};

}  // namespace snare::format::detail
