// Defines the contract between the in-guest runtime (the interception mechanism inside a
// guest process) and whoever installs it: the trapped call's frame, the hooks the runtime
// calls, install() and untrapped_syscall(). The runtime knows nothing of snare's tools.
// The definitions are in runtime/runtime.hpp (include it in the shared object that installs).
#pragma once

#include <cstdint>

#include <snare/result.hpp>

namespace snare::in_guest {

/// A trapped call as the guest made it (x86-64 syscall ABI): number from rax, arguments
/// from rdi, rsi, rdx, r10, r8, r9; `ip` is the address after the syscall instruction.
struct syscall_frame {
  long nr;
  long args[6];
  std::uint64_t ip;
  std::uint64_t sp;
  long ret;  // the result the guest will see (set by exit, or by enter when it skips)
};

/// What the runtime calls. Every hook runs with interception off for the calling thread
/// (the hook's own calls are never trapped), errno saved and restored around it, and must
/// be async-signal-safe with respect to the guest (see "Heap" below).
struct hooks {
  /// Before the call. May change nr/args. Returns true to run the (possibly changed) call,
  /// false to skip it: the guest then sees frame.ret.
  bool (*enter)(syscall_frame&) noexcept = nullptr;
  /// After a call that ran (also after a failed execve; not after a successful one, nor
  /// after exit/exit_group; for clone/fork/vfork: in the parent). May change frame.ret.
  void (*exit)(syscall_frame&) noexcept = nullptr;
  /// In a new thread (clone with CLONE_THREAD) before its first guest instruction.
  void (*thread_start)() noexcept = nullptr;
  /// In a new process (fork, vfork, clone without CLONE_THREAD) before its first guest
  /// instruction. A child made with CLONE_VM (posix_spawn's clone, vfork with a stack) shares
  /// its parent's memory, and without CLONE_SETTLS its parent thread's TLS, until it execs or
  /// exits (the parent waits with CLONE_VFORK): the hooks then run in it on the parent's
  /// state, which this hook must not reset.
  void (*process_start)() noexcept = nullptr;
};

/// How to install: `rewrite = false` runs SUD only (every call a SIGSYS; for benchmarks and
/// tests).
struct install_options {
  bool rewrite = true;  // false: SUD only (for benchmarks, tests)
  /// The LD_PRELOAD value an execve must keep (re-added when the new environment drops it);
  /// nullptr: LD_PRELOAD as install() finds it in the environment.
  const char* preload = nullptr;
  /// The numbers whose calls reach the hooks, as a bitmap over [0, 512) (bit n % 64 of word
  /// n / 64); nullptr: every call. A call with another number runs without the hooks: from a
  /// rewritten site at once (`syscall; ret`, no save of registers), after a SIGSYS otherwise.
  /// The runtime still runs the calls it must handle itself (the clone family, execve, the
  /// signal calls) through its own path. Numbers past 511 always reach the hooks.
  const std::uint64_t* interest = nullptr;
  /// true: every 32-bit call (`int $0x80`, i386 numbers) fails with ENOSYS, as snare's
  /// seccomp filter refuses a foreign ABI, so that the hooks cannot be bypassed that way;
  /// false: run as the kernel gives them, without the hooks (docs/in_guest.md).
  bool refuse_i386 = false;
};

/// How this process intercepts: whether SUD is on and whether sites are rewritten, and why not.
struct install_report {
  bool sud = false;
  bool rewriting = false;
  const char* why_not_rewriting = "";
};

/// Turns interception on in this process (this thread; later threads and children by the
/// runtime). Errors: SUD absent (ENOSYS/EINVAL from prctl) -> the error, nothing installed.
inline snare::result<install_report> install(const hooks&, const install_options& = {}) noexcept;

/// What the runtime has done in this process since install() (a child starts from its
/// parent's counts): SIGSYS traps, calls that came through a rewritten site (not counted
/// atomically: threads racing through rewritten sites may lose a count), sites rewritten.
struct runtime_stats {
  long sud_traps = 0;
  long rewritten_calls = 0;
  long sites_rewritten = 0;
};
/// Returns this process's runtime_stats.
inline runtime_stats stats() noexcept;

/// Sets the word the next thread or process this thread creates with a new stack (clone,
/// clone3) finds in creator_word() at its start hook: for the enter hook of that call. The
/// word is carried by the call itself (on the child's new stack), so concurrent creations
/// never mix; the runtime clears it once the call ran. A child without a new stack (fork)
/// starts as a copy of its parent and needs none.
inline void set_child_word(std::uint64_t word) noexcept;
/// Returns, in a thread_start/process_start hook, the word its creator set for it
/// (set_child_word), 0 when none.
inline std::uint64_t creator_word() noexcept;
/// Copies `n` bytes at `src` in this process to `dst` with plain loads whose fault cannot kill
/// the guest: a SIGSEGV or SIGBUS of the copy resumes it with -EFAULT, as the kernel's
/// copy_from_user (for hooks reading the guest's memory without process_vm_readv). Returns 0;
/// -EFAULT when part of the range is unreadable (`dst` then partly written); -EAGAIN when the
/// runtime cannot catch the fault now (not installed, or this thread blocks SIGSEGV or SIGBUS,
/// whose fault the kernel then turns into the default action): read another way then. Costs
/// one rt_sigprocmask (the thread's mask) besides the copy.
inline long copy_from_guest(void* dst, const void* src, unsigned long n) noexcept;

/// Runs a syscall that is never trapped (the runtime's own code range / selector), for hooks
/// and the backend's inject. Returns the raw result (-errno on failure).
inline long untrapped_syscall(long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                              long a5 = 0) noexcept;

}  // namespace snare::in_guest
