// Defines what the ptrace engine reads of the call at a syscall or seccomp stop, and how: one
// PTRACE_GET_SYSCALL_INFO (Linux 5.3) gives the number, the arguments, the instruction
// pointer and the filter's SECCOMP_RET_DATA, where PTRACE_GETREGS and PTRACE_GETEVENTMSG take
// two requests and 2.4 times as long on the machine measured (benchmarks/reference/
// ptrace_requests.c, docs/benchmarks.md). An older kernel answers EIO: the registers then.
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include <snare/arch/native.hpp>
#include <snare/backend/ptrace/regs.hpp>
#include <snare/dispatch/dispatch.hpp>

namespace snare::backend::ptrace_detail {

/// The call at a syscall or seccomp stop, as the engine needs it.
struct syscall_stop {
  long nr = -1;               // the call's number (seccomp stops)
  dispatch::raw_args args{};  // its arguments (seccomp stops)
  std::uint64_t ip = 0;       // the instruction pointer, after the syscall instruction
  std::uint32_t data = 0;     // SECCOMP_RET_DATA of the filter that trapped it (seccomp stops)
  long ret = 0;               // the return value (exit stops)
  bool entry = false;         // a syscall-entry stop (read only when asked: attached runs)
  bool foreign = false;       // an entry of another ABI: i386's int 0x80, x32 (entry stops)
};

/// Whether the call at an entry stop is of an ABI other than the tracer's: its audit arch
/// (PTRACE_GET_SYSCALL_INFO's `arch`; unknown from the registers: 0) is another, or its
/// number has x32's bit. snare's seccomp filter refuses those calls (bpf/filter.hpp).
constexpr bool foreign_abi(std::uint32_t audit_arch, long nr) noexcept {
  if (audit_arch != 0 && audit_arch != arch::native::audit_arch) return true;
  if constexpr (requires { arch::native::x32_syscall_bit; })
    return nr >= 0 && (nr & arch::native::x32_syscall_bit) != 0;
  return false;
}

/// How a stop's call is read: the one request, or (set on the first EIO) the registers.
struct syscall_info_reader {
  bool registers_only = false;

  /// Reads the call at the seccomp or exit stop of `tid` into `s` with PTRACE_GET_SYSCALL_INFO.
  /// Returns 1 when it did, 0 when the thread is gone, -1 when the caller must read the
  /// registers instead: the kernel lacks the request (from then on, always), or the stop is
  /// another kind (the engine reads no entry stop: it stops at seccomp stops instead), but
  /// for an entry stop when `entries` (an attached run without snare's filter stops at every
  /// entry: PTRACE_SYSCALL).
  int read(pid_t tid, syscall_stop& s, bool entries = false) noexcept {
    if (registers_only) return -1;
    __ptrace_syscall_info info;  // glibc's name for the kernel's struct ptrace_syscall_info
    if (::ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) {
      if (errno != EIO) return 0;
      registers_only = true;
      return -1;
    }
    s.ip = info.instruction_pointer;
    switch (info.op) {
      case PTRACE_SYSCALL_INFO_SECCOMP:
        s.nr = static_cast<long>(info.seccomp.nr);
        for (std::size_t i = 0; i < s.args.size(); ++i) s.args[i] = info.seccomp.args[i];
        s.data = info.seccomp.ret_data;
        return 1;
      case PTRACE_SYSCALL_INFO_ENTRY:
        if (!entries) return -1;
        s.entry = true;
        s.nr = static_cast<long>(info.entry.nr);
        for (std::size_t i = 0; i < s.args.size(); ++i) s.args[i] = info.entry.args[i];
        s.foreign = foreign_abi(info.arch, s.nr);
        return 1;
      case PTRACE_SYSCALL_INFO_EXIT:
        s.ret = static_cast<long>(info.exit.rval);
        return 1;
      default:
        return -1;
    }
  }

  /// Fills `s` from the registers, but for `data`, which PTRACE_GETEVENTMSG gives then. With
  /// `entries`, a stop whose return register holds -ENOSYS is taken for an entry stop (what
  /// the kernel puts there on entry; an exit with that result is taken for one too).
  static void from_registers(const user_regs_struct& r, syscall_stop& s, bool entries = false) noexcept {
    s.nr = native_regs::syscall_number(r);
    s.args = native_regs::arguments(r);
    s.ip = native_regs::instruction_pointer(r);
    s.ret = native_regs::return_value(r);
    s.entry = entries && s.ret == -ENOSYS;
    // 32-bit code and x32 tell from the registers; int 0x80 from 64-bit code does not
    // (entered_by_int80).
    s.foreign = s.entry && (native_regs::compat_mode(r) || foreign_abi(0, s.nr));
  }

  /// Whether the call at the entry stop of `tid` was made by `int 0x80`: the two bytes before
  /// its instruction pointer `ip` (one PTRACE_PEEKTEXT; the registers' path only, where the
  /// call's audit arch is unknown). False when they cannot be read.
  static bool entered_by_int80(pid_t tid, std::uint64_t ip) noexcept {
    errno = 0;
    const long word = ::ptrace(PTRACE_PEEKTEXT, tid, ip - native_regs::syscall_size, 0);
    if (errno != 0) return false;
    return (static_cast<std::uint64_t>(word) & 0xffff) == native_regs::int80_word;
  }
};

}  // namespace snare::backend::ptrace_detail
