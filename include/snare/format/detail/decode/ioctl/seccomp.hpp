// Defines the decoder of the SECCOMP_IOCTL_NOTIF_* ioctls of linux/seccomp.h (strace's
// seccomp_ioctl.c): the notification a supervisor receives (its syscall by name for the
// arch it names), the response it sends, the id check and the fd it adds.
#pragma once

#include <cstdint>
#include <string>

#include <snare/arch/i386.hpp>
#include <snare/arch/x86_64.hpp>
#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/i386.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::format::detail {

/// The flags of struct seccomp_notif_resp (linux/seccomp.h).
inline constexpr xlat_entry seccomp_resp_flags_bits[] = {{0x1, "SECCOMP_USER_NOTIF_FLAG_CONTINUE"}};
inline constexpr xlat seccomp_resp_flags_xlat{
    {}, 0, seccomp_resp_flags_bits, "0", "SECCOMP_USER_NOTIF_FLAG_???"};

/// The flags of struct seccomp_notif_addfd (linux/seccomp.h).
inline constexpr xlat_entry seccomp_addfd_flags_bits[] = {
    {0x1, "SECCOMP_ADDFD_FLAG_SETFD"},
    {0x2, "SECCOMP_ADDFD_FLAG_SEND"},
};
inline constexpr xlat seccomp_addfd_flags_xlat{
    {}, 0, seccomp_addfd_flags_bits, "0", "SECCOMP_ADDFD_FLAG_???"};

/// The open flags of an added fd: open's bits without an access mode (strace's
/// open_mode_flags).
inline constexpr xlat seccomp_newfd_flags_xlat{{}, 0, open_bits, "0", "O_???"};

/// The audit arches seccomp_data.arch names (linux/audit.h), the ones snare has tables for.
inline constexpr xlat_entry seccomp_audit_arch_field[] = {
    {0xc00000b7, "AUDIT_ARCH_AARCH64"}, {0x40000028, "AUDIT_ARCH_ARM"},   {0x40000003, "AUDIT_ARCH_I386"},
    {0xc00000f3, "AUDIT_ARCH_RISCV64"}, {0x80000016, "AUDIT_ARCH_S390X"}, {0xc000003e, "AUDIT_ARCH_X86_64"},
};
inline constexpr xlat seccomp_audit_arch_xlat{
    seccomp_audit_arch_field, ~std::uint64_t{0}, {}, {}, "AUDIT_ARCH_???"};

// _IOC(dir, '!', nr, size) of linux/seccomp.h; ID_VALID_WRONG_DIR is the _IOR form that
// kernels before 5.17 also accept.
inline constexpr std::uint32_t seccomp_ioctl_notif_recv = 0xc0502100;
inline constexpr std::uint32_t seccomp_ioctl_notif_send = 0xc0182101;
inline constexpr std::uint32_t seccomp_ioctl_notif_id_valid = 0x40082102;
inline constexpr std::uint32_t seccomp_ioctl_notif_addfd = 0x40182103;
inline constexpr std::uint32_t seccomp_ioctl_notif_id_valid_wrong_dir = 0x80082102;

/// The SECCOMP_IOCTL requests, sorted by number.
inline constexpr ioctl_entry seccomp_ioctls[] = {
    {seccomp_ioctl_notif_id_valid, "SECCOMP_IOCTL_NOTIF_ID_VALID"},
    {seccomp_ioctl_notif_addfd, "SECCOMP_IOCTL_NOTIF_ADDFD"},
    {seccomp_ioctl_notif_id_valid_wrong_dir, "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR"},
    {seccomp_ioctl_notif_send, "SECCOMP_IOCTL_NOTIF_SEND"},
    {seccomp_ioctl_notif_recv, "SECCOMP_IOCTL_NOTIF_RECV"},
};
static_assert(ioctl_table_sorted(seccomp_ioctls), "seccomp_ioctls must stay sorted by request");

/// Appends syscall number `nr` of audit arch `arch`: `__NR_gettid` (abbrev), 186 (raw),
/// `186 /* __NR_gettid */` (verbose); the number alone when the arch or number is unknown.
inline void put_audit_syscall(std::string& out, std::uint32_t nr, std::uint32_t arch) {
  std::string_view name;
  if (arch == arch::x86_64::audit_arch && !(nr & arch::x86_64::x32_syscall_bit))
    name = sys::name_of<arch::x86_64>(nr);
  else if (arch == arch::i386::audit_arch)
    name = sys::name_of<arch::i386>(nr);
  if (name.empty() || !xlat_abbrev()) put_udec(out, nr);
  if (name.empty() || xlat_raw()) return;
  out.append(xlat_verbose() ? " /* __NR_" : "__NR_").append(name);
  if (xlat_verbose()) out.append(" */");
}

/// Appends the struct seccomp_notif (80 bytes) read at `addr` as `n`.
template <class P>
void put_seccomp_notif(P& p, const unsigned char* n) {
  std::string& out = p.out();
  field_sep f{out};
  out.push_back('{');
  put_hex(f("id"), ioctl_field<std::uint64_t>(n, 0));
  f("pid");
  p.put_pid(ioctl_field<std::int32_t>(n, 8), pid_type::tgid);
  put_hex(f("flags"), ioctl_field<std::uint32_t>(n, 12));
  // struct seccomp_data at 16: nr, arch (u32), instruction_pointer, args[6] (u64).
  auto arch = ioctl_field<std::uint32_t>(n, 20);
  f("data").push_back('{');
  field_sep g{out};
  put_audit_syscall(g("nr"), ioctl_field<std::uint32_t>(n, 16), arch);
  put_enum(g("arch"), seccomp_audit_arch_xlat, arch);
  put_ptr(g("instruction_pointer"), ioctl_field<std::uint64_t>(n, 24));
  g("args").push_back('[');
  for (std::size_t i = 0; i < 6; ++i) {
    if (i) out.append(", ");
    put_hex(out, ioctl_field<std::uint64_t>(n, 32 + 8 * i));
  }
  out.append("]}}");
}

/// Appends `error` of a notification response: `-ENOSR` for a negated errno (abbrev),
/// the number otherwise, both with -X verbose (strace's print_err).
inline void put_negated_errno(std::string& out, std::int32_t error) {
  std::string_view name = error < 0 ? errno_info(-error).name : std::string_view{};
  if (name.empty() || !xlat_abbrev()) put_dec(out, error);
  if (name.empty() || xlat_raw()) return;
  out.append(xlat_verbose() ? " /* -" : "-").append(name);
  if (xlat_verbose()) out.append(" */");
}

/// Prints the argument of SECCOMP_IOCTL request `code` (see ioctl_step); unknown for other
/// requests.
template <class P>
ioctl_step put_seccomp_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (!find_ioctl_entry(seccomp_ioctls, code)) return ioctl_step::unknown;
  std::string& out = p.out();
  if (code == seccomp_ioctl_notif_recv) {
    // At entry the struct only when the caller put something in it, then ` => `; at exit
    // what the kernel wrote (the address after a failure).
    // An unreadable one printed its address at entry: nothing follows at exit.
    unsigned char n[80];
    if (!p.read_obj(arg, n)) return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
    if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
    if (!exit) {
      bool zero = true;
      for (unsigned char c : n) zero = zero && c == 0;
      if (zero) return ioctl_step::more;
    }
    put_seccomp_notif(p, n);
    if (!exit) out.append(" => ");
    return exit ? ioctl_step::done : ioctl_step::more;
  }
  if (exit) return ioctl_step::done;
  if (code == seccomp_ioctl_notif_send) {
    // id (u64), val (s64), error (s32), flags (u32)
    unsigned char r[24];
    if (!p.read_obj(arg, r)) return put_ptr(out, arg), ioctl_step::done;
    field_sep f{out};
    out.push_back('{');
    put_hex(f("id"), ioctl_field<std::uint64_t>(r, 0));
    put_dec(f("val"), ioctl_field<std::int64_t>(r, 8));
    put_negated_errno(f("error"), ioctl_field<std::int32_t>(r, 16));
    put_flags(f("flags"), seccomp_resp_flags_xlat, ioctl_field<std::uint32_t>(r, 20));
    out.push_back('}');
  } else if (code == seccomp_ioctl_notif_addfd) {
    // id (u64), flags, srcfd, newfd, newfd_flags (u32)
    unsigned char a[24];
    if (!p.read_obj(arg, a)) return put_ptr(out, arg), ioctl_step::done;
    field_sep f{out};
    out.push_back('{');
    put_hex(f("id"), ioctl_field<std::uint64_t>(a, 0));
    put_flags(f("flags"), seccomp_addfd_flags_xlat, ioctl_field<std::uint32_t>(a, 8));
    f("srcfd");
    p.put_fd(ioctl_field<std::int32_t>(a, 12));
    put_dec(f("newfd"), ioctl_field<std::int32_t>(a, 16));
    put_flags(f("newfd_flags"), seccomp_newfd_flags_xlat, ioctl_field<std::uint32_t>(a, 20));
    out.push_back('}');
  } else {  // the id to check, a u64 in hex
    put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_hex(out, v); });
  }
  return ioctl_step::done;
}

}  // namespace snare::format::detail
