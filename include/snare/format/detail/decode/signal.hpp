// Defines the decoders of signals (strace's signal.c, sigaltstack.c): siginfo_t at an
// address (its fields: siginfo.hpp), struct sigaction, sigset_t and stack_t.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/siginfo.hpp>
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

/// Appends the siginfo_t at `addr`; false when it cannot be read.
template <class P>
bool put_siginfo_at(P& p, std::uint64_t addr) {
  sys::abi::siginfo si;
  if (!p.read_obj(addr, si)) return false;
  put_siginfo(
      p.out(), si, [&](std::int32_t pid) { p.append_pid_note(pid, pid_type::tgid); },
      [&](std::int32_t fd) { p.put_fd(fd); });
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

/// rt_sigreturn: `{mask=[...]}`, the signal mask the call restores, read from the signal
/// frame at the stack pointer (strace's rt_sigreturn.c with x86_64/arch_rt_sigframe.c: the
/// frame starts a word below it, where the handler's return popped pretcode; its
/// ucontext's uc_sigmask lies 8 + 296 bytes in, after uc_flags, uc_link, uc_stack and the
/// 256-byte sigcontext of asm/sigcontext.h). Nothing when the tracer gave no stack pointer.
template <>
struct decoder<sys::call_id::rt_sigreturn> {
  static constexpr std::uint64_t sigmask_in_frame = 8 + 296;
  template <class P>
  static void put_args(P& p, bool exit) {
    std::uint64_t sp = p.stack_pointer();
    if (exit || sp == 0) return;
    std::uint64_t at = sp - 8 + sigmask_in_frame;
    p.out().append("{mask=");
    if (!put_sigset_at(p, at, 8)) put_ptr(p.out(), at);
    p.out().push_back('}');
  }
};

}  // namespace snare::format::detail
