// Defines the decoders of the mount calls (strace's mount.c, move_mount.c, fsmount.c,
// fsconfig.c, mount_setattr.c): mount's flags with the old magic and the arguments its
// flags make the kernel ignore, and the new mount API's flags, commands and mount_attr.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

// Names from strace's xlat/{mount_flags,move_mount_flags,fsmount_flags,fsmount_attr_flags,
// mount_attr_attr,mount_attr_propagation,mount_setattr_flags,fsconfig_cmds}.in; values
// from <linux/mount.h> and <linux/fcntl.h>.
inline constexpr xlat_entry mount_all_bits[] = {
    {1u << 0, "MS_RDONLY"},     {1u << 1, "MS_NOSUID"},      {1u << 2, "MS_NODEV"},
    {1u << 3, "MS_NOEXEC"},     {1u << 4, "MS_SYNCHRONOUS"}, {1u << 5, "MS_REMOUNT"},
    {1u << 6, "MS_MANDLOCK"},   {1u << 7, "MS_DIRSYNC"},     {1u << 8, "MS_NOSYMFOLLOW"},
    {1u << 10, "MS_NOATIME"},   {1u << 11, "MS_NODIRATIME"}, {1u << 12, "MS_BIND"},
    {1u << 13, "MS_MOVE"},      {1u << 14, "MS_REC"},        {1u << 15, "MS_SILENT"},
    {1u << 16, "MS_POSIXACL"},  {1u << 17, "MS_UNBINDABLE"}, {1u << 18, "MS_PRIVATE"},
    {1u << 19, "MS_SLAVE"},     {1u << 20, "MS_SHARED"},     {1u << 21, "MS_RELATIME"},
    {1u << 22, "MS_KERNMOUNT"}, {1u << 23, "MS_I_VERSION"},  {1u << 24, "MS_STRICTATIME"},
    {1u << 25, "MS_LAZYTIME"},  {1u << 26, "MS_SUBMOUNT"},   {1u << 27, "MS_NOREMOTELOCK"},
    {1u << 28, "MS_NOSEC"},     {1u << 29, "MS_BORN"},       {1u << 30, "MS_ACTIVE"},
    {1u << 31, "MS_NOUSER"},
};
inline constexpr xlat mount_all_xlat{{}, 0, mount_all_bits, "0", "MS_???"};

inline constexpr xlat_entry move_mount_bits[] = {
    {0x1, "MOVE_MOUNT_F_SYMLINKS"},  {0x2, "MOVE_MOUNT_F_AUTOMOUNTS"},  {0x4, "MOVE_MOUNT_F_EMPTY_PATH"},
    {0x10, "MOVE_MOUNT_T_SYMLINKS"}, {0x20, "MOVE_MOUNT_T_AUTOMOUNTS"}, {0x40, "MOVE_MOUNT_T_EMPTY_PATH"},
    {0x100, "MOVE_MOUNT_SET_GROUP"},
};
inline constexpr xlat move_mount_xlat{{}, 0, move_mount_bits, "0", "MOVE_MOUNT_???"};

inline constexpr xlat_entry fsmount_bits[] = {{0x1, "FSMOUNT_CLOEXEC"}};
inline constexpr xlat fsmount_xlat{{}, 0, fsmount_bits, "0", "FSMOUNT_???"};

// fsmount's attr_flags and mount_attr's attr_set/attr_clr: the first seven are fsmount's.
inline constexpr xlat_entry mount_attr_bits[] = {
    {0x1, "MOUNT_ATTR_RDONLY"},      {0x2, "MOUNT_ATTR_NOSUID"},     {0x4, "MOUNT_ATTR_NODEV"},
    {0x8, "MOUNT_ATTR_NOEXEC"},      {0x10, "MOUNT_ATTR_NOATIME"},   {0x20, "MOUNT_ATTR_STRICTATIME"},
    {0x80, "MOUNT_ATTR_NODIRATIME"}, {0x100000, "MOUNT_ATTR_IDMAP"}, {0x200000, "MOUNT_ATTR_NOSYMFOLLOW"},
};
inline constexpr xlat fsmount_attr_xlat{
    {}, 0, std::span<const xlat_entry>(mount_attr_bits, 7), "0", "MOUNT_ATTR_???"};
inline constexpr xlat mount_attr_xlat{{}, 0, mount_attr_bits, "0", "MOUNT_ATTR_???"};

inline constexpr xlat_entry mount_propagation_names[] = {
    {1u << 17, "MS_UNBINDABLE"},
    {1u << 18, "MS_PRIVATE"},
    {1u << 19, "MS_SLAVE"},
    {1u << 20, "MS_SHARED"},
};
inline constexpr xlat mount_propagation_xlat{mount_propagation_names, ~std::uint64_t{0}, {}, {}, "MS_???"};

inline constexpr xlat_entry mount_setattr_bits[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},
    {0x1000, "AT_EMPTY_PATH"},
    {0x8000, "AT_RECURSIVE"},
};
inline constexpr xlat mount_setattr_xlat{{}, 0, mount_setattr_bits, "0", "AT_???"};

inline constexpr xlat_entry fsconfig_cmd_names[] = {
    {0, "FSCONFIG_SET_FLAG"},   {1, "FSCONFIG_SET_STRING"},      {2, "FSCONFIG_SET_BINARY"},
    {3, "FSCONFIG_SET_PATH"},   {4, "FSCONFIG_SET_PATH_EMPTY"},  {5, "FSCONFIG_SET_FD"},
    {6, "FSCONFIG_CMD_CREATE"}, {7, "FSCONFIG_CMD_RECONFIGURE"},
};
inline constexpr xlat fsconfig_cmd_xlat{fsconfig_cmd_names, ~std::uint64_t{0}, {}, {}, "FSCONFIG_???"};

/// mount: MS_MGC_VAL apart; the type's address for MS_REMOUNT and the data's too for
/// MS_BIND, MS_MOVE and the propagation changes (the kernel ignores them there).
template <>
struct decoder<sys::call_id::mount> {
  static constexpr std::uint64_t mgc_mask = 0xffff0000, mgc_val = 0xc0ed0000;  // MS_MGC_MSK, MS_MGC_VAL
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::uint64_t flags = p.arg(3);
    bool old_magic = (flags & mgc_mask) == mgc_val;
    if (old_magic) flags &= ~mgc_mask;
    bool ignore_type = false, ignore_data = false;
    if (flags & (1u << 5))  // MS_REMOUNT
      ignore_type = true;
    else if (flags & ((1u << 12) | (1u << 13) | (1u << 20) | (1u << 18) | (1u << 19) | (1u << 17)))
      ignore_type = ignore_data = true;
    std::string& out = p.out();
    switch (i) {
      case 2:
        if (ignore_type) return put_ptr(out, p.arg(2)), true;
        return p.put_cstring(p.arg(2), p.opts().string_limit), true;
      case 3:
        if (old_magic) {
          put_named(out, "MS_MGC_VAL", [&] { put_hex(out, mgc_val); });
          if (flags != 0) out.push_back('|');
        }
        if (flags != 0 || !old_magic) put_flags(out, mount_all_xlat, flags);
        return true;
      case 4:
        if (ignore_data) return put_ptr(out, p.arg(4)), true;
        return p.put_cstring(p.arg(4), p.opts().string_limit), true;
      default:
        return false;
    }
  }
};

/// move_mount: its flags.
template <>
struct decoder<sys::call_id::move_mount> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 4) return false;
    put_flags(p.out(), move_mount_xlat, static_cast<std::uint32_t>(p.arg(4)));
    return true;
  }
};

/// fsmount: its flags and the mount attributes.
template <>
struct decoder<sys::call_id::fsmount> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 1) return put_flags(p.out(), fsmount_xlat, static_cast<std::uint32_t>(p.arg(1))), true;
    if (i == 2) return put_flags(p.out(), fsmount_attr_xlat, static_cast<std::uint32_t>(p.arg(2))), true;
    return false;
  }
};

/// fsconfig: the key and value as the command uses them (a string, a path, binary bytes
/// in hex, or unused: the address), aux as a dirfd, an fd or a number.
template <>
struct decoder<sys::call_id::fsconfig> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    auto cmd = static_cast<std::uint32_t>(p.arg(1));
    std::string& out = p.out();
    auto aux = static_cast<std::int32_t>(p.arg(4));
    switch (i) {
      case 1:
        put_enum(out, fsconfig_cmd_xlat, cmd);
        return true;
      case 2:
        if (cmd <= 5) return put_key(p, p.arg(2)), true;
        return put_ptr(out, p.arg(2)), true;
      case 3:
        if (cmd == 1) return put_key(p, p.arg(3)), true;
        if (cmd == 3 || cmd == 4)
          return p.put_cstring(p.arg(3), p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0), true;
        if (cmd == 2 && aux >= 0 && aux <= 1024 * 1024) return put_binary(p, p.arg(3), aux), true;
        return put_ptr(out, p.arg(3)), true;
      case 4:
        if (cmd == 3 || cmd == 4) return p.put_fd(aux), true;
        if (cmd == 5) {
          if (aux == -100) return put_dec(out, aux), true;
          return p.put_fd(aux), true;
        }
        return put_dec(out, aux), true;
      default:
        return false;
    }
  }
  // A NUL-terminated string read from at most 256 bytes, `...` after when they hold no
  // NUL (strace's printstr_ex with 256 and QUOTE_0_TERMINATED): the string limit applies.
  template <class P>
  static void put_key(P& p, std::uint64_t addr) {
    p.put_cstring_n(addr, 256);
  }
  // `n` bytes, every one in hex.
  template <class P>
  static void put_binary(P& p, std::uint64_t addr, std::int32_t n) {
    if (addr == 0) return p.out().append("NULL"), void();
    std::size_t shown = std::min<std::size_t>(static_cast<std::size_t>(n), p.opts().string_limit);
    if (!p.read_exact(addr, shown)) return put_hex(p.out(), addr);
    const std::string& s = scratch();
    put_quoted(p.out(),
               std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s.data()), shown), true);
    if (shown < static_cast<std::size_t>(n)) p.out().append("...");
  }
};

/// mount_setattr: its flags and struct mount_attr (`usize` bytes; the address when shorter
/// than its first version, 32 bytes, or unreadable), the tail past what snare knows.
template <>
struct decoder<sys::call_id::mount_setattr> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 2) return put_flags(p.out(), mount_setattr_xlat, static_cast<std::uint32_t>(p.arg(2))), true;
    if (i != 3) return false;
    std::uint64_t addr = p.arg(3), size = p.arg(4);
    sys::abi::mount_attr a{};
    if (addr == 0) return p.out().append("NULL"), true;
    if (size < sizeof a || !p.read_obj(addr, a)) return put_hex(p.out(), addr), true;
    std::string& out = p.out();
    out.append("{attr_set=");
    put_flags(out, mount_attr_xlat, a.attr_set);
    out.append(", attr_clr=");
    put_flags(out, mount_attr_xlat, a.attr_clr);
    out.append(", propagation=");
    put_enum(out, mount_propagation_xlat, a.propagation);
    out.append(", userns_fd=");
    if (a.userns_fd > 0x7fffffff || ((a.attr_set | a.attr_clr) & 0x100000) == 0)  // MOUNT_ATTR_IDMAP
      put_udec(out, a.userns_fd);
    else
      p.put_fd(static_cast<std::int32_t>(a.userns_fd));
    put_nonzero_tail(p, addr, sizeof a, size);
    out.push_back('}');
    return true;
  }
};

}  // namespace snare::format::detail
