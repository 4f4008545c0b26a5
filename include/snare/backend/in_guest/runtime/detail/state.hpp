// Defines the in-guest runtime's state (per thread: the SUD selector; per process: the hooks,
// the guest's signal actions, the rewriting tables), kernel constants and the raw call.
#pragma once

#include <signal.h>
#include <sys/syscall.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <snare/backend/in_guest/runtime/detail/asm.hpp>
#include <snare/backend/in_guest/runtime/hooks.hpp>

namespace snare::in_guest::detail {
inline namespace v1 {

// Kernel constants glibc 2.36's headers may lack (include/uapi/linux/prctl.h, signal.h).
inline constexpr int pr_set_syscall_user_dispatch = 59;
inline constexpr int pr_sys_dispatch_on = 1;
inline constexpr char selector_allow = 0;   // SYSCALL_DISPATCH_FILTER_ALLOW
inline constexpr char selector_block = 1;   // SYSCALL_DISPATCH_FILTER_BLOCK
inline constexpr int si_user_dispatch = 2;  // SYS_USER_DISPATCH: SIGSYS from SUD
inline constexpr int si_seccomp = 1;        // SYS_SECCOMP: SIGSYS from SECCOMP_RET_TRAP
inline constexpr unsigned long sa_restorer_flag = 0x04000000;
inline constexpr std::uint64_t sigsys_bit = std::uint64_t{1} << (SIGSYS - 1);
inline constexpr long kernel_sigset_size = 8;

/// The kernel's struct sigaction for rt_sigaction (x86-64: handler, flags, restorer, mask).
struct kernel_sigaction {
  std::uintptr_t handler;  // SIG_DFL 0, SIG_IGN 1, else the function
  unsigned long flags;
  std::uintptr_t restorer;
  std::uint64_t mask;
};
inline constexpr std::uintptr_t sig_dfl = 0, sig_ign = 1;
inline bool has_function(const kernel_sigaction& a) noexcept { return a.handler > sig_ign; }

/// What each thread has: SUD's selector byte, the guest's own (virtual) blocking of SIGSYS,
/// which the kernel never sees, and the ip of the call being run (for forwarded SIGSYS).
struct thread_state {
  char selector;
  bool sigsys_blocked;
  bool sigsys_pending;  // a SIGSYS sent while the guest blocked it, raised again at unblock
  std::uint64_t trap_ip;
  std::uint64_t child_word;    // set_child_word: for the next clone with a new stack
  std::uint64_t creator_word;  // this thread's creator's child_word (creator_word())
};
// Initial-exec TLS: a fixed offset from %fs, no __tls_get_addr call (which could allocate) and
// valid in a new thread as soon as the kernel gives it its TLS (CLONE_SETTLS).
[[gnu::tls_model("initial-exec")]] inline thread_local constinit thread_state tls{};

/// What the process has: the hooks, the guest's view of its signal actions (the kernel holds
/// the runtime's wrappers), the LD_PRELOAD entry execve keeps, SUD's allowed range.
struct process_state {
  hooks h{};
  bool installed = false;
  install_report report{};
  kernel_sigaction guest[65]{};
  char preload[4096]{};  // "LD_PRELOAD=<value>" or empty
  char why_not_rewriting[160]{};
  std::atomic<bool> rewrite_lock{false};
  char maps_buf[4096]{}, maps_line[512]{};  // mapping_of's, under rewrite_lock
  std::atomic<long> sud_traps{0}, rewritten_calls{0}, sites_rewritten{0};
  // Sites found not rewritable (direct-mapped by address), so their later traps skip the
  // reading of /proc/self/maps.
  std::atomic<std::uintptr_t> not_rewritable[256]{};
  // Every rewritten site (open addressing), so that a fault from `call *%rax` with a number
  // past page 0 is known to be a syscall and not the guest's own bad call.
  static constexpr std::size_t site_slots = 8192;
  std::atomic<std::uintptr_t> sites[site_slots]{};
  bool owns_sigsegv = false;   // the kernel's SIGSEGV action is the runtime's
  bool owns_sigbus = false;    // the kernel's SIGBUS action is the runtime's
  bool refuse_i386 = false;    // install_options::refuse_i386
  bool some_interest = false;  // install_options::interest given
  std::uint64_t interest[8]{};
};
inline constinit process_state proc{};

// Page 0: a sled up to sled_end, then `movabs $snare_ig_v1_trampoline, %r11; jmp *%r11`
// (r11 is the syscall instruction's to clobber); a rewritten site with number n lands at n.
// The sled is short because every call runs it: (512 - n) / 2 instructions, where a nop sled
// over the whole page cost about 400 ns per call here. Past the jump, a second sled to a
// second jump at the page's end catches numbers up to 4079; numbers 512..527 would land inside
// the first jump and numbers past the page fault (docs/in_guest.md: no such syscall exists).
inline constexpr std::uintptr_t page0_size = 4096;
inline constexpr std::uintptr_t sled_end = 512;
inline constexpr std::uintptr_t second_sled_end = page0_size - 16;

inline long sys(long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                long a5 = 0) noexcept {
  return snare_ig_v1_syscall(nr, a0, a1, a2, a3, a4, a5);
}
inline long sys(const syscall_frame& f) noexcept {
  return sys(f.nr, f.args[0], f.args[1], f.args[2], f.args[3], f.args[4], f.args[5]);
}
template <class T>
long arg(T* p) noexcept {
  return reinterpret_cast<long>(p);
}

/// Copies up to `n` bytes of the guest's memory at `src` into `dst` without ever faulting, as
/// the kernel reads a call's arguments: process_vm_readv on this process, one page at a time,
/// so an unreadable byte is an error and not a SIGSEGV in the runtime. `to_nul`: stops after a
/// NUL. Returns the bytes copied (up to n, or to the NUL), or -1 when an unreadable byte comes
/// first. Where process_vm_readv is refused (a seccomp filter, as Docker's default profile has
/// without CAP_SYS_PTRACE), reads directly, byte by byte up to the NUL for strings. `pid`: this
/// process's, when the caller has it (0: asked here).
inline long read_guest(void* dst, const void* src, std::size_t n, bool to_nul = false,
                       long pid = 0) noexcept {
  if (pid == 0) pid = sys(SYS_getpid);
  auto* d = static_cast<char*>(dst);
  auto from = reinterpret_cast<std::uintptr_t>(src);
  std::size_t done = 0;
  while (done < n) {
    std::size_t chunk = 4096 - ((from + done) & 4095);
    if (chunk > n - done) chunk = n - done;
    struct {
      void* base;
      std::size_t len;
    } local{d + done, chunk}, remote{reinterpret_cast<void*>(from + done), chunk};
    long got = sys(SYS_process_vm_readv, pid, arg(&local), 1, arg(&remote), 1, 0);
    if (got == -EFAULT || got == 0) return -1;
    if (got < 0) {  // refused: the runtime's old direct read (faults where the kernel says EFAULT)
      const char* s = reinterpret_cast<const char*>(from);
      for (; done < n; ++done) {
        d[done] = s[done];
        if (to_nul && d[done] == '\0') return static_cast<long>(done + 1);
      }
      return static_cast<long>(n);
    }
    if (got != static_cast<long>(chunk)) return -1;  // within one page: all or nothing
    if (to_nul) {
      for (std::size_t i = done; i < done + chunk; ++i) {
        if (d[i] == '\0') return static_cast<long>(i + 1);
      }
    }
    done += chunk;
  }
  return static_cast<long>(n);
}

/// Copies `n` bytes to the guest's memory at `dst` without ever faulting (process_vm_writev on
/// this process): returns n, or -1 when the kernel could not write them all. Where the call is
/// refused (a seccomp filter), writes directly.
inline long write_guest(void* dst, const void* src, std::size_t n) noexcept {
  struct {
    const void* base;
    std::size_t len;
  } local{src, n}, remote{dst, n};
  long put = sys(SYS_process_vm_writev, sys(SYS_getpid), arg(&local), 1, arg(&remote), 1, 0);
  if (put == static_cast<long>(n)) return put;
  if (put >= 0 || put == -EFAULT) return -1;
  std::memcpy(dst, src, n);
  return static_cast<long>(n);
}

/// Whether the hooks want calls with number `nr` (install_options::interest).
inline bool wants(long nr) noexcept {
  if (!proc.some_interest || nr < 0 || nr >= 512) return true;
  return (proc.interest[nr / 64] >> (nr % 64)) & 1;
}

/// Turns SUD on for the calling thread with its own selector (ALLOW until the caller blocks).
inline long enable_sud() noexcept {
  tls.selector = selector_allow;
  return sys(SYS_prctl, pr_set_syscall_user_dispatch, pr_sys_dispatch_on, arg(snare_ig_v1_begin),
             snare_ig_v1_end - snare_ig_v1_begin, arg(&tls.selector));
}

/// Turns SUD on in a new thread or process, or ends the process by SIGSYS with a message when
/// the kernel refuses (a seccomp filter loaded before install(), in a way the runtime did not
/// see): a thread that ran the guest's code without interception would be a silent hole.
inline void enable_sud_or_die() noexcept {
  long r = enable_sud();
  if (r >= 0) return;
  static constexpr char msg[] =
      "snare in_guest runtime: a new thread or process could not turn Syscall User Dispatch on "
      "(prctl refused); ending the process\n";
  sys(SYS_write, 2, arg(msg), sizeof msg - 1);
  struct {
    std::uintptr_t handler = 0;
    unsigned long flags = 0;
    std::uintptr_t restorer = 0;
    std::uint64_t mask = 0;
  } dfl;
  sys(SYS_rt_sigaction, SIGSYS, arg(&dfl), 0, 8);
  sys(SYS_tgkill, sys(SYS_getpid), sys(SYS_gettid),
      SIGSYS);  // this thread: at once (SIGSYS is never blocked)
  sys(SYS_exit_group, 128 + SIGSYS);
}

}  // namespace v1
}  // namespace snare::in_guest::detail
