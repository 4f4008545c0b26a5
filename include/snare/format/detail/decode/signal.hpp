// Defines the decoders of signals (strace's signal.c, sigaltstack.c, printsiginfo.c):
// siginfo_t, struct sigaction, sigset_t and stack_t.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
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

/// Appends a siginfo as strace does: {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}.
/// `note(pid)` appends what follows si_pid (the printer's append_pid_note, a tgid).
template <class Note = no_pid_note>
void put_siginfo(std::string& out, const sys::abi::siginfo& si, Note note = {}) {
  static constexpr xlat_entry generic_codes[] = {{0, "SI_USER"},           {0x80, "SI_KERNEL"},
                                                 {0xffffffff, "SI_QUEUE"}, {0xfffffffe, "SI_TIMER"},
                                                 {0xfffffffd, "SI_MESGQ"}, {0xfffffffc, "SI_ASYNCIO"},
                                                 {0xfffffffb, "SI_SIGIO"}, {0xfffffffa, "SI_TKILL"}};
  static constexpr xlat_entry chld_codes[] = {{1, "CLD_EXITED"},  {2, "CLD_KILLED"},  {3, "CLD_DUMPED"},
                                              {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}};
  static constexpr xlat_entry segv_codes[] = {
      {1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}};
  static constexpr xlat_entry bus_codes[] = {{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}};
  if (si.si_signo == 0) return out.append("{}"), void();  // nothing filled in (waitid WNOHANG)
  out.append("{si_signo=");
  put_signal(out, si.si_signo);
  out.append(", si_code=");
  auto code = static_cast<std::uint32_t>(si.si_code);
  bool fault = si.si_signo == 11 || si.si_signo == 7 || si.si_signo == 4 || si.si_signo == 8;
  std::string_view name = find_name(generic_codes, code);
  if (si.si_code > 0 && si.si_code < 0x80) {
    if (si.si_signo == 17)
      name = find_name(chld_codes, code);
    else if (si.si_signo == 11)
      name = find_name(segv_codes, code);
    else if (si.si_signo == 7)
      name = find_name(bus_codes, code);
  }
  if (name.empty())
    put_dec(out, si.si_code);
  else
    out.append(name);
  if (si.si_errno != 0) {  // strace's print_err: the errno's name, or the value unsigned
    out.append(", si_errno=");
    auto e = static_cast<std::uint32_t>(si.si_errno);
    std::string_view ename = e < 4096 ? errno_info(static_cast<int>(e)).name : std::string_view{};
    if (ename.empty())
      put_udec(out, e);
    else
      out.append(ename);
  }
  if (si.si_signo == 17 && si.si_code > 0 && si.si_code < 0x80) {
    out.append(", si_pid=");
    put_dec(out, si.u.chld.pid);
    note(si.u.chld.pid);
    out.append(", si_uid=");
    put_udec(out, si.u.chld.uid);
    out.append(", si_status=");
    if (si.si_code == 1)
      put_dec(out, si.u.chld.status);
    else
      put_signal(out, si.u.chld.status);
    out.append(", si_utime=");
    put_dec(out, si.u.chld.utime);
    out.append(", si_stime=");
    put_dec(out, si.u.chld.stime);
  } else if (si.si_code <= 0) {
    out.append(", si_pid=");
    put_dec(out, si.u.kill.pid);
    note(si.u.kill.pid);
    out.append(", si_uid=");
    put_id(out, si.u.kill.uid);
    // sigqueue and the like carry a value: si_int and si_ptr, when it is not 0 (SI_USER
    // and SI_TKILL carry none).
    std::uint64_t ptr;
    std::memcpy(&ptr, si.u.raw + 8, sizeof ptr);
    if (si.si_code != 0 && si.si_code != -6 && ptr != 0) {
      out.append(", si_int=");
      put_dec(out, static_cast<std::int32_t>(ptr & 0xffffffffu));
      out.append(", si_ptr=");
      put_ptr(out, ptr);
    }
  } else if (fault) {
    out.append(", si_addr=");
    put_ptr(out, si.u.fault.addr);
  }
  out.push_back('}');
}

/// Appends the siginfo_t at `addr`; false when it cannot be read.
template <class P>
bool put_siginfo_at(P& p, std::uint64_t addr) {
  sys::abi::siginfo si;
  if (!p.read_obj(addr, si)) return false;
  put_siginfo(p.out(), si, [&](std::int32_t pid) { p.append_pid_note(pid, pid_type::tgid); });
  return true;
}

/// Appends the kernel's struct sigaction at `addr`: {sa_handler=SIG_DFL, sa_mask=[], ...}.
template <class P>
bool put_sigaction(P& p, std::uint64_t addr) {
  sys::abi::x86_64::sigaction sa;
  if (!p.read_obj(addr, sa)) return false;
  std::string& out = p.out();
  out.append("{sa_handler=");
  if (sa.handler <= 1)
    put_named(out, sa.handler == 0 ? "SIG_DFL" : "SIG_IGN", [&] { put_hex(out, sa.handler); });
  else
    put_hex(out, sa.handler);
  out.append(", sa_mask=");
  put_sigset(out, sa.mask, 8);
  out.append(", sa_flags=");
  put_flags(out, sa_flags_xlat, sa.flags);
  if (sa.flags & 0x04000000) {
    out.append(", sa_restorer=");
    put_hex(out, sa.restorer);
  }
  out.push_back('}');
  return true;
}

/// Appends the `size`-byte sigset_t at `addr`; false when unreadable or not `min`..8 bytes
/// (strace prints the address of a set shorter than a word, or than 1 byte for
/// rt_sigpending, or longer than the kernel's 64 signals).
template <class P>
bool put_sigset_at(P& p, std::uint64_t addr, std::uint64_t size, std::uint64_t min = 8) {
  if (size < min || size > 8) return false;
  std::uint64_t mask = 0;
  if (!p.read_exact(addr, static_cast<std::size_t>(size))) return false;
  std::memcpy(&mask, scratch().data(), static_cast<std::size_t>(size));
  put_sigset(p.out(), mask, static_cast<unsigned>(size));
  return true;
}

/// Appends the stack_t at `addr`: {ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=8192}.
template <class P>
bool put_stack(P& p, std::uint64_t addr) {
  sys::abi::stack s;
  if (!p.read_obj(addr, s)) return false;
  static constexpr xlat_entry ss[] = {{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {0x80000000u, "SS_AUTODISARM"}};
  std::string& out = p.out();
  out.append("{ss_sp=");
  put_ptr(out, s.ss_sp);
  out.append(", ss_flags=");
  put_flags(out, xlat{{}, 0, ss, "0", "SS_???"}, static_cast<std::uint32_t>(s.ss_flags));
  out.append(", ss_size=");
  put_udec(out, s.ss_size);
  out.push_back('}');
  return true;
}

/// rt_sigpending: a set of 1 to 8 bytes (the old sigpending's 4 included), at exit.
template <>
struct decoder<sys::call_id::rt_sigpending> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 0) return false;
    if (p.put_unfilled_pointer(0, exit)) return true;
    if (!put_sigset_at(p, p.arg(0), p.arg(1), 1)) put_ptr(p.out(), p.arg(0));
    return true;
  }
};

/// rt_sigtimedwait: the signal it returns by name, = 14 (SIGALRM).
template <class P>
void put_signal_return(P& p) {
  put_dec(p.out(), p.ret());
  p.out().append(" (");
  put_signal(p.out(), static_cast<int>(p.ret()));
  p.out().push_back(')');
}
template <>
struct decoder<sys::call_id::rt_sigtimedwait> {
  template <class P>
  static void put_return(P& p) {
    put_signal_return(p);
  }
};
template <>
struct decoder<sys::call_id::rt_sigtimedwait_time64> : decoder<sys::call_id::rt_sigtimedwait> {};

}  // namespace snare::format::detail
