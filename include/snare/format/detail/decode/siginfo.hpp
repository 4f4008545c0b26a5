// Defines put_siginfo, which prints a siginfo_t as strace's printsiginfo.c does: the signal,
// its si_code by the generic name or the signal's own, and the union member that code and
// signal select (sender, timer, fault address, poll band and fd, seccomp's syscall).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include <snare/format/detail/decode/ioctl/seccomp.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends a user or group id: -1 for (uid_t)-1, else unsigned (strace's PRINT_FIELD_ID).
inline void put_id(std::string& out, std::uint32_t id) {
  if (id == 0xffffffffu) return out.append("-1"), void();
  put_udec(out, id);
}

/// Appends nothing after a siginfo's si_pid (put_siginfo's default).
struct no_pid_note {
  void operator()(std::int32_t) const noexcept {}
};

/// Appends errno value `e` unsigned: its name (-X abbrev), the number (raw), or
/// `2 /* ENOENT */` (verbose); the number alone when it has no name (strace's print_err).
inline void put_errno_u(std::string& out, std::uint32_t e) {
  std::string_view name = e < 4096 ? errno_info(static_cast<int>(e)).name : std::string_view{};
  if (name.empty() || !xlat_abbrev()) put_udec(out, e);
  if (name.empty() || xlat_raw()) return;
  out.append(xlat_verbose() ? " /* " : "").append(name);
  if (xlat_verbose()) out.append(" */");
}

/// Returns the si_code names of signal `signo` (x86-64 numbering), or null.
inline const xlat* si_codes_of(std::int32_t signo) noexcept {
  switch (signo) {
    case 5:
      return &sigtrap_codes_xlat;
    case 17:
      return &sigchld_codes_xlat;
    case 29:
      return &sigpoll_codes_xlat;
    case 4:
      return &sigill_codes_xlat;
    case 8:
      return &sigfpe_codes_xlat;
    case 11:
      return &sigsegv_codes_xlat;
    case 7:
      return &sigbus_codes_xlat;
    case 31:
      return &sigsys_codes_xlat;
    default:
      return nullptr;
  }
}

/// Appends si_code `code` of signal `signo`: the generic name (SI_USER, SI_TIMER), else the
/// signal's (SEGV_MAPERR), else the code in hex with no comment (strace's print_si_code:
/// print_xlat_ex with the name it found); -X raw and verbose as for any named value.
inline void put_si_code(std::string& out, std::int32_t code, std::int32_t signo) {
  auto key = static_cast<std::uint64_t>(static_cast<std::int64_t>(code));
  std::string_view name = find_name(siginfo_codes_xlat.field, key);
  if (const xlat* own = si_codes_of(signo); name.empty() && own) name = find_name(own->field, key);
  if (name.empty() || !xlat_abbrev()) put_hex(out, static_cast<std::uint32_t>(code));
  if (name.empty() || xlat_raw()) return;
  out.append(xlat_verbose() ? " /* " : "").append(name);
  if (xlat_verbose()) out.append(" */");
}

/// Appends a siginfo as strace does: {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...};
/// `{}` when si_signo is 0 (nothing filled in). `note(pid)` appends what follows si_pid (the
/// printer's append_pid_note, a tgid); `fd(n)` appends si_fd (the printer's put_fd; by
/// default the number).
/// Offsets in the union are x86-64's (asm-generic/siginfo.h).
template <class Note = no_pid_note, class Fd = std::nullptr_t>
void put_siginfo(std::string& out, const sys::abi::siginfo& si, Note note = {}, Fd fd = nullptr) {
  auto at = [&]<class T>(std::size_t off, T) {
    T v;
    std::memcpy(&v, si.u.raw + off, sizeof v);
    return v;
  };
  auto field = [&](std::string_view name) -> std::string& {
    return out.append(", ").append(name).append("=");
  };
  auto source = [&] {  // strace's printsigsource
    put_dec(field("si_pid"), at(0, std::int32_t{}));
    note(at(0, std::int32_t{}));
    put_id(field("si_uid"), at(4, std::uint32_t{}));
  };
  auto value = [&] {  // printsigval
    put_dec(field("si_int"), at(8, std::int32_t{}));
    put_ptr(field("si_ptr"), at(8, std::uint64_t{}));
  };
  auto band_fd = [&] {
    put_dec(field("si_band"), at(0, std::int64_t{}));
    auto n = at(8, std::int32_t{});
    field("si_fd");
    if constexpr (std::is_same_v<Fd, std::nullptr_t>)
      put_dec(out, n);
    else
      fd(n);
  };
  out.push_back('{');
  if (si.si_signo == 0) return out.push_back('}');
  out.append("si_signo=");
  put_signal(out, si.si_signo);
  out.append(", si_code=");
  put_si_code(out, si.si_code, si.si_signo);
  if (si.si_code == 32767) return out.push_back('}');  // SI_NOINFO: no info follows
  if (si.si_errno != 0) put_errno_u(field("si_errno"), static_cast<std::uint32_t>(si.si_errno));
  if (si.si_code <= 0) {  // SI_FROMUSER
    switch (si.si_code) {
      case 0:   // SI_USER
      case -6:  // SI_TKILL
        source();
        break;
      case -2:  // SI_TIMER
        put_hex(field("si_timerid"), at(0, std::uint32_t{}));
        put_dec(field("si_overrun"), at(4, std::int32_t{}));
        value();
        break;
      case -5:  // SI_SIGIO
        band_fd();
        break;
      default:
        source();
        if (at(8, std::uint64_t{}) != 0) value();
    }
    return out.push_back('}');
  }
  switch (si.si_signo) {
    case 17:  // SIGCHLD
      source();
      field("si_status");
      if (si.si_code == 1)  // CLD_EXITED: an exit status, else a signal
        put_dec(out, at(8, std::int32_t{}));
      else
        put_signal(out, at(8, std::int32_t{}));
      put_clock_t(field("si_utime"), at(16, std::uint64_t{}));  // `1 /* 0.01 s */`
      put_clock_t(field("si_stime"), at(24, std::uint64_t{}));
      break;
    case 4:  // SIGILL
    case 8:  // SIGFPE
    case 5:  // SIGTRAP (strace built without si_perf_* prints no more)
      put_ptr(field("si_addr"), at(0, std::uint64_t{}));
      break;
    case 7:  // SIGBUS: BUS_MCEERR_AR, BUS_MCEERR_AO carry the address's lsb
      put_ptr(field("si_addr"), at(0, std::uint64_t{}));
      if (si.si_code == 4 || si.si_code == 5) put_hex(field("si_addr_lsb"), at(8, std::uint16_t{}));
      break;
    case 11:  // SIGSEGV: SEGV_BNDERR's bounds, SEGV_PKUERR's key
      put_ptr(field("si_addr"), at(0, std::uint64_t{}));
      if (si.si_code == 3) {
        put_ptr(field("si_lower"), at(16, std::uint64_t{}));
        put_ptr(field("si_upper"), at(24, std::uint64_t{}));
      } else if (si.si_code == 4) {
        put_udec(field("si_pkey"), at(16, std::uint32_t{}));
      }
      break;
    case 29:  // SIGIO: the POLL_* codes carry a band and an fd
      if (si.si_code >= 1 && si.si_code <= 6) band_fd();
      break;
    case 31: {  // SIGSYS
      put_ptr(field("si_call_addr"), at(0, std::uint64_t{}));
      auto arch = at(12, std::uint32_t{});
      put_audit_syscall(field("si_syscall"), at(8, std::uint32_t{}), arch);
      put_enum(field("si_arch"), seccomp_audit_arch_xlat, arch);
      break;
    }
    default:
      if (at(0, std::int32_t{}) != 0 || at(4, std::uint32_t{}) != 0) source();
      if (at(8, std::uint64_t{}) != 0) value();
  }
  out.push_back('}');
}

}  // namespace snare::format::detail
