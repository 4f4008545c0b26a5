// Defines the ptrace backend's register seam: everything the engine reads or writes in a
// stopped thread's registers, for x86-64 (the model: sandbox2's regs.cc, strace's
// src/linux/x86_64/get_syscall_args.c and set_error.c). Another architecture is another
// struct with the same members (aarch64: x8, x0..x5, pc, svc #0 is 4 bytes).
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cstddef>
#include <cstdint>

#include <snare/dispatch/dispatch.hpp>
#include <snare/tool/events.hpp>

namespace snare::backend::ptrace_detail {

/// The registers of a stopped x86-64 thread (PTRACE_GETREGS) as the engine sees them.
struct x86_64_regs {
  using file = user_regs_struct;

  /// The size of the syscall instruction (`syscall`, and `int 0x80`, are both 2 bytes), and
  /// its bytes as a little-endian 16-bit word.
  static constexpr std::uint64_t syscall_size = 2;
  static constexpr std::uint64_t syscall_word = 0x050f;
  /// `int 0x80`'s bytes so (the i386 ABI's entry, open to 64-bit code too).
  static constexpr std::uint64_t int80_word = 0x80cd;
  /// Whether the thread runs 32-bit code: cs is the kernel's __USER32_CS (0x23, not 0x33);
  /// its every call is then i386's.
  static bool compat_mode(const file& r) noexcept { return r.cs == 0x23; }

  /// Returns the number of the call at a syscall stop (orig_rax: rax holds -ENOSYS there).
  static long syscall_number(const file& r) noexcept { return static_cast<long>(r.orig_rax); }
  /// Returns the six argument registers (rdi, rsi, rdx, r10, r8, r9: the syscall ABI).
  static dispatch::raw_args arguments(const file& r) noexcept {
    return {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9};
  }
  static void set_arguments(file& r, const dispatch::raw_args& a) noexcept {
    r.rdi = a[0], r.rsi = a[1], r.rdx = a[2], r.r10 = a[3], r.r8 = a[4], r.r9 = a[5];
  }
  /// Makes the call at this stop `nr` (at an entry stop orig_rax decides; rax matters when
  /// the instruction runs again from user mode).
  static void set_syscall_number(file& r, long nr) noexcept {
    r.orig_rax = static_cast<unsigned long long>(nr);
    r.rax = static_cast<unsigned long long>(nr);
  }
  /// Makes the call at this entry stop run nothing (orig_rax -1: the kernel skips it).
  static void skip_syscall(file& r) noexcept { r.orig_rax = static_cast<unsigned long long>(-1); }
  /// Returns and sets the call's result (rax at an exit stop).
  static long return_value(const file& r) noexcept { return static_cast<long>(r.rax); }
  static void set_return_value(file& r, long v) noexcept { r.rax = static_cast<unsigned long long>(v); }
  /// Returns the instruction pointer; moves it back over the syscall instruction (to run
  /// it again) or forward over `n` bytes (an emulated instruction).
  static std::uint64_t instruction_pointer(const file& r) noexcept { return r.rip; }
  static void rewind_syscall(file& r) noexcept { r.rip -= syscall_size; }
  /// Makes the thread run from `ip` when it resumes.
  static void set_instruction_pointer(file& r, std::uint64_t ip) noexcept { r.rip = ip; }
  /// Does what the kernel does to a call a signal interrupted when no handler runs for the
  /// signal (arch/x86/kernel/signal.c, arch_do_signal_or_restart): a restart code in rax
  /// (-ERESTARTSYS, -ERESTARTNOINTR, -ERESTARTNOHAND) runs the call again; -ERESTART_
  /// RESTARTBLOCK runs restart_syscall. For registers put back after an injected call,
  /// which the kernel does not restart by itself.
  static void restart_interrupted_call(file& r) noexcept {
    if (static_cast<long>(r.orig_rax) < 0) return;
    switch (static_cast<long>(r.rax)) {
      case -512:  // ERESTARTSYS
      case -513:  // ERESTARTNOINTR
      case -514:  // ERESTARTNOHAND
        r.rax = r.orig_rax;
        r.rip -= syscall_size;
        break;
      case -516:      // ERESTART_RESTARTBLOCK
        r.rax = 219;  // __NR_restart_syscall
        r.rip -= syscall_size;
        break;
      default:
        break;
    }
  }
  /// Returns the stack pointer.
  static std::uint64_t stack_pointer(const file& r) noexcept { return r.rsp; }
  /// Says whether the thread runs 64-bit code (CS 0x33, __USER_CS): a 32-bit image has
  /// no `syscall` instruction to run (it faults), so nothing may be run from its text.
  static bool is_native_abi(const file& r) noexcept { return r.cs == 0x33; }
  static void advance(file& r, std::uint64_t n) noexcept { r.rip += n; }

  /// RDTSC / RDTSCP results: edx:eax, and ecx for RDTSCP's aux.
  static void set_tsc(file& r, const rdtsc_event& e) noexcept {
    r.rax = e.tsc & 0xffffffffu;
    r.rdx = e.tsc >> 32;
    if (e.rdtscp) r.rcx = e.aux;
  }
  /// CPUID's inputs (eax, ecx) and outputs (eax, ebx, ecx, edx).
  static void cpuid_inputs(const file& r, cpuid_event& e) noexcept {
    e.leaf = static_cast<std::uint32_t>(r.rax);
    e.subleaf = static_cast<std::uint32_t>(r.rcx);
  }
  static void set_cpuid(file& r, const cpuid_event& e) noexcept {
    r.rax = e.eax, r.rbx = e.ebx, r.rcx = e.ecx, r.rdx = e.edx;
  }

  /// Write single registers of the stopped thread `tid` in place, one PTRACE_POKEUSER each,
  /// where PTRACE_GETREGS and PTRACE_SETREGS are two requests that cost four times one here
  /// (benchmarks/reference/ptrace_requests.c); strace writes them so too (x86_64/set_error.c).
  /// Each has the effect of its set_* twin above; false when the thread is gone.
  static bool poke_return_value(pid_t tid, long v) noexcept { return poke(tid, offsetof(file, rax), v); }
  static bool poke_syscall_number(pid_t tid, long nr) noexcept {
    return poke(tid, offsetof(file, orig_rax), nr) && poke(tid, offsetof(file, rax), nr);
  }
  /// skip_syscall and set_return_value: the call at this entry stop runs nothing, returns v.
  static bool poke_skipped_call(pid_t tid, long v) noexcept {
    return poke(tid, offsetof(file, orig_rax), -1) && poke(tid, offsetof(file, rax), v);
  }
  /// Writes the arguments that differ between `from` (what the registers hold) and `to`.
  static bool poke_arguments(pid_t tid, const dispatch::raw_args& from,
                             const dispatch::raw_args& to) noexcept {
    constexpr std::size_t where[6] = {offsetof(file, rdi), offsetof(file, rsi), offsetof(file, rdx),
                                      offsetof(file, r10), offsetof(file, r8),  offsetof(file, r9)};
    for (std::size_t i = 0; i < 6; ++i)
      if (from[i] != to[i] && !poke(tid, where[i], static_cast<long>(to[i]))) return false;
    return true;
  }

 private:
  static bool poke(pid_t tid, std::size_t offset, long v) noexcept {
    return ::ptrace(PTRACE_POKEUSER, tid, offset, v) == 0;
  }
};

/// The register seam of the architecture snare is built for.
using native_regs = x86_64_regs;

}  // namespace snare::backend::ptrace_detail
