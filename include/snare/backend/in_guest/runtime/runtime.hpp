// Defines the in-guest runtime behind runtime/hooks.hpp: Syscall User Dispatch (SUD) with a
// per-thread selector, the SIGSYS handler that runs the hooks and the call, and what threads,
// fork, vfork, exec and signals need. Include it in the one shared object the guest preloads
// (LD_PRELOAD); docs/in_guest.md describes the mechanism and its limits.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <cpuid.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <snare/backend/in_guest/runtime/hooks.hpp>

// The runtime's own code: every syscall instruction the runtime executes is in this section,
// whose bounds are SUD's always-allowed range, so they are never trapped whatever the selector
// says. Header-only with one definition per shared object: the block is a COMDAT group
// (`.section ...,"axG",...,comdat`), so the linker keeps one copy however many translation
// units include this header; its symbols are hidden (each shared object has its own runtime)
// and versioned in their names (`snare_ig_v1_*`), as the C++ side is by its inline namespace
// (snare::in_guest::detail::v1): a change of the register block or the frame layouts bumps both.
//
// snare_ig_v1_syscall(nr, a0..a5): the plain call (x86-64 C ABI in, syscall ABI out).
// snare_ig_v1_restorer: the sa_restorer of every handler the runtime registers (rt_sigreturn
//   from inside the allowed range), and where a trapped rt_sigreturn of the guest is redone.
// snare_ig_v1_clone(nr, a0..a5): clone/clone3 with a new stack. The parent returns the result;
//   the child (rax 0, rsp = the new stack) finds the register block the parent wrote at
//   ((stack - 512) & ~15), calls snare_ig_v1_child_entry on the stack below it (SUD on, hooks),
//   then loads the guest's registers, rax 0, rsp = the new stack, and jumps to the guest's ip,
//   which the parent also stored at stack - 8: inside the 128-byte red zone, which the kernel
//   leaves alone when it pushes a signal frame, so a signal between `mov ...,%rsp` and `jmp`
//   cannot overwrite it.
// snare_ig_v1_trampoline (outside the allowed range; it makes no call itself): where page 0's
//   nop sled leads a rewritten site (`call *%rax`, return address = the site + 2). It keeps the
//   rest of the red zone (128 bytes down first), all general registers and the extended state
//   (xsavec64 or xsave64, whose size install() reads from CPUID leaf 0xd), calls snare_ig_v1_rewritten_entry
//   with the saved registers and returns the result in rax. An rt_sigreturn reaching it (a site
//   rewritten for another number) goes back to the guest's stack and through
//   snare_ig_v1_trapping_syscall, a syscall instruction outside the allowed range that SUD traps
//   and that is never rewritten, so the SIGSYS path redoes it exactly.
// Block layout (8-byte slots): 0 unused, 1 rdi, 2 rsi, 3 rdx, 4 r10, 5 r8, 6 r9, 7 rbx, 8 rbp,
//   9 r12, 10 r13, 11 r14, 12 r15, 13 rcx, 14 r11, 15 rsp, 16 rip, 17 kind (1 thread, 0 process).
// clang-format off
asm(R"(
  .pushsection .text.snare_ig_v1,"axG",@progbits,snare_ig_v1_group,comdat
  .globl snare_ig_v1_begin, snare_ig_v1_end, snare_ig_v1_syscall, snare_ig_v1_restorer, snare_ig_v1_clone
  .hidden snare_ig_v1_begin, snare_ig_v1_end, snare_ig_v1_syscall, snare_ig_v1_restorer, snare_ig_v1_clone
  .type snare_ig_v1_syscall, @function
  .type snare_ig_v1_clone, @function
  .p2align 4
snare_ig_v1_begin:
snare_ig_v1_syscall:
  mov %rdi, %rax
  mov %rsi, %rdi
  mov %rdx, %rsi
  mov %rcx, %rdx
  mov %r8, %r10
  mov %r9, %r8
  mov 8(%rsp), %r9
  syscall
  ret
  .p2align 4
snare_ig_v1_restorer:
  mov $15, %eax
  syscall
  hlt
  .p2align 4
snare_ig_v1_clone:
  mov %rdi, %rax
  mov %rsi, %rdi
  mov %rdx, %rsi
  mov %rcx, %rdx
  mov %r8, %r10
  mov %r9, %r8
  mov 8(%rsp), %r9
  syscall
  test %rax, %rax
  jnz 1f
  lea -512(%rsp), %rdi
  and $-16, %rdi
  mov %rdi, %rsp
  call snare_ig_v1_child_entry
  mov %rax, %rsp
  mov 8(%rsp), %rdi
  mov 16(%rsp), %rsi
  mov 24(%rsp), %rdx
  mov 32(%rsp), %r10
  mov 40(%rsp), %r8
  mov 48(%rsp), %r9
  mov 56(%rsp), %rbx
  mov 64(%rsp), %rbp
  mov 72(%rsp), %r12
  mov 80(%rsp), %r13
  mov 88(%rsp), %r14
  mov 96(%rsp), %r15
  mov 104(%rsp), %rcx
  mov 112(%rsp), %r11
  xor %eax, %eax
  mov 120(%rsp), %rsp
  jmp *-8(%rsp)
1:
  ret
snare_ig_v1_end:
  .popsection

  .pushsection .text.snare_ig_v1_outside,"axG",@progbits,snare_ig_v1_outside_group,comdat
  .globl snare_ig_v1_trapping_syscall, snare_ig_v1_trampoline
  .hidden snare_ig_v1_trapping_syscall, snare_ig_v1_trampoline
  .p2align 4
snare_ig_v1_trapping_syscall:
  syscall
  ud2
  .p2align 4
snare_ig_v1_trampoline:
  cmp $15, %rax
  jne 1f
  add $8, %rsp
  jmp snare_ig_v1_trapping_syscall
1:
  lea -128(%rsp), %rsp
  push %rbp
  mov %rsp, %rbp
  push %rax
  push %rbx
  push %rcx
  push %rdx
  push %rsi
  push %rdi
  push %r8
  push %r9
  push %r10
  push %r11
  push %r12
  push %r13
  push %r14
  push %r15
  mov snare_ig_v1_xsave_size(%rip), %rcx
  sub %rcx, %rsp
  and $-64, %rsp
  xor %eax, %eax
  mov %rax, 512(%rsp)
  mov %rax, 520(%rsp)
  mov %rax, 528(%rsp)
  mov %rax, 536(%rsp)
  mov %rax, 544(%rsp)
  mov %rax, 552(%rsp)
  mov %rax, 560(%rsp)
  mov %rax, 568(%rsp)
  mov $-1, %eax
  mov $-1, %edx
  cmpb $0, snare_ig_v1_xsavec(%rip)
  je 2f
  xsavec64 (%rsp)
  jmp 3f
2:
  xsave64 (%rsp)
3:
  lea -112(%rbp), %rdi
  call snare_ig_v1_rewritten_entry
  mov $-1, %eax
  mov $-1, %edx
  xrstor64 (%rsp)
  lea -112(%rbp), %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %r11
  pop %r10
  pop %r9
  pop %r8
  pop %rdi
  pop %rsi
  pop %rdx
  pop %rcx
  pop %rbx
  pop %rax
  pop %rbp
  lea 128(%rsp), %rsp
  ret
  .popsection
)");
// clang-format on

namespace snare::in_guest::detail {
inline namespace v1 {

extern "C" {
[[gnu::visibility("hidden")]] long snare_ig_v1_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
                                                       long a5) noexcept;
[[gnu::visibility("hidden")]] long snare_ig_v1_clone(long nr, long a0, long a1, long a2, long a3, long a4,
                                                     long a5) noexcept;
[[gnu::visibility("hidden")]] void snare_ig_v1_restorer() noexcept;
[[gnu::visibility("hidden")]] void snare_ig_v1_trampoline() noexcept;
[[gnu::visibility("hidden")]] extern char snare_ig_v1_trapping_syscall[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_begin[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_end[];
}

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
  std::atomic<long> sud_traps{0}, rewritten_calls{0}, sites_rewritten{0};
  // Sites found not rewritable (direct-mapped by address), so their later traps skip the
  // reading of /proc/self/maps.
  std::atomic<std::uintptr_t> not_rewritable[256]{};
  // Every rewritten site (open addressing), so that a fault from `call *%rax` with a number
  // past page 0 is known to be a syscall and not the guest's own bad call.
  static constexpr std::size_t site_slots = 8192;
  std::atomic<std::uintptr_t> sites[site_slots]{};
  bool owns_sigsegv = false;  // the kernel's SIGSEGV action is the runtime's (when rewriting)
};
inline constinit process_state proc{};

// Page 0: a nop sled up to sled_end, then `movabs $snare_ig_v1_trampoline, %r11; jmp *%r11`
// (r11 is the syscall instruction's to clobber); a rewritten site with number n lands at n.
// The sled is short because every call runs its nops: (512 - n) / 4 cycles or so, where a
// sled over the whole page cost about 400 ns per call here. Past the jump, a second sled to a
// second jump at the page's end catches numbers up to 4079; numbers 512..527 would land inside
// the first jump and numbers past the page fault (docs/in_guest.md: no such syscall exists).
inline constexpr std::uintptr_t page0_size = 4096;
inline constexpr std::uintptr_t sled_end = 512;
inline constexpr std::uintptr_t second_sled_end = page0_size - 16;

}  // namespace v1
}  // namespace snare::in_guest::detail

// The xsave area's size for the trampoline (CPUID leaf 0xd, set by install()).
extern "C" {
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned long snare_ig_v1_xsave_size = 4096;
// Whether the trampoline saves with xsavec (compacted: components in their initial state, such
// as unused AVX-512 registers, cost nothing); xrstor reads either form.
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned char snare_ig_v1_xsavec = 0;
}

namespace snare::in_guest::detail {
inline namespace v1 {

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

/// Turns SUD on for the calling thread with its own selector (ALLOW until the caller blocks).
inline long enable_sud() noexcept {
  tls.selector = selector_allow;
  return sys(SYS_prctl, pr_set_syscall_user_dispatch, pr_sys_dispatch_on, arg(snare_ig_v1_begin),
             snare_ig_v1_end - snare_ig_v1_begin, arg(&tls.selector));
}

/// Runs the guest's handler `a` for `sig` with interception on, restoring the selector after
/// (the handler may have interrupted a hook, which runs with it off).
inline void run_guest_handler(const kernel_sigaction& a, int sig, siginfo_t* info, void* uc) noexcept {
  char old = tls.selector;
  tls.selector = selector_block;
  if (a.flags & SA_SIGINFO) {
    reinterpret_cast<void (*)(int, siginfo_t*, void*)>(a.handler)(sig, info, uc);
  } else {
    reinterpret_cast<void (*)(int)>(a.handler)(sig);
  }
  tls.selector = old;
}

inline long register_action(int sig, const kernel_sigaction& a) noexcept;

/// The handler the kernel holds for each signal the guest handles (other than SIGSYS).
inline void on_signal(int sig, siginfo_t* info, void* ucv) noexcept {
  kernel_sigaction a = proc.guest[sig];
  if (a.flags & SA_RESETHAND) {  // what the kernel would have done to its own copy
    proc.guest[sig] = kernel_sigaction{};
    register_action(sig, kernel_sigaction{});
  }
  if (!has_function(a)) return;  // changed while arriving
  run_guest_handler(a, sig, info, ucv);
  // A handler may edit the mask its sigreturn restores: SIGSYS must stay deliverable.
  auto* uc = static_cast<ucontext_t*>(ucv);
  std::uint64_t m;
  std::memcpy(&m, &uc->uc_sigmask, sizeof m);
  if (m & sigsys_bit) tls.sigsys_blocked = true;
  m &= ~sigsys_bit;
  std::memcpy(&uc->uc_sigmask, &m, sizeof m);
}

/// Gives the kernel the runtime's version of the guest's action `a` for `sig`.
inline long register_action(int sig, const kernel_sigaction& a) noexcept {
  kernel_sigaction k = a;
  k.mask &= ~sigsys_bit;
  if (has_function(a)) {
    k.handler = reinterpret_cast<std::uintptr_t>(&on_signal);
    k.flags = (a.flags & ~SA_RESETHAND) | SA_SIGINFO | sa_restorer_flag;
    k.restorer = reinterpret_cast<std::uintptr_t>(&snare_ig_v1_restorer);
  }
  return sys(SYS_rt_sigaction, sig, arg(&k), 0, kernel_sigset_size);
}

/// Dies by `sig` as the guest would natively (default action, or a forced signal it blocks or
/// ignores): the default action back in the kernel, then the signal again (the runtime's
/// handlers are SA_NODEFER, so it arrives as this call returns).
inline void die_by(int sig) noexcept {
  kernel_sigaction dfl{};
  sys(SYS_rt_sigaction, sig, arg(&dfl), 0, kernel_sigset_size);
  sys(SYS_tgkill, sys(SYS_getpid), sys(SYS_gettid), sig);
}

/// Sends the SIGSYS kept pending while the guest blocked it, once it no longer does (it
/// arrives as tgkill returns; its siginfo is then tgkill's, not the first sender's).
inline void raise_pending_sigsys() noexcept {
  if (tls.sigsys_blocked || !tls.sigsys_pending) return;
  tls.sigsys_pending = false;
  sys(SYS_tgkill, sys(SYS_getpid), sys(SYS_gettid), SIGSYS);
}

/// Runs the guest's handler for a signal whose kernel action is the runtime's (SIGSYS, and
/// SIGSEGV when rewriting), with its mask and flags applied as the kernel would have.
inline void deliver_to_guest(const kernel_sigaction& a, int sig, siginfo_t* info, void* uc) noexcept {
  if (a.flags & SA_RESETHAND) proc.guest[sig] = kernel_sigaction{};
  std::uint64_t self = std::uint64_t{1} << (sig - 1);
  std::uint64_t block = (a.mask | ((a.flags & SA_NODEFER) ? 0 : self)) & ~sigsys_bit, old = 0;
  sys(SYS_rt_sigprocmask, SIG_BLOCK, arg(&block), arg(&old), kernel_sigset_size);
  bool was_blocked = tls.sigsys_blocked;
  if (sig == SIGSYS && (!(a.flags & SA_NODEFER) || (a.mask & sigsys_bit))) tls.sigsys_blocked = true;
  run_guest_handler(a, sig, info, uc);
  tls.sigsys_blocked = was_blocked;
  sys(SYS_rt_sigprocmask, SIG_SETMASK, arg(&old), 0, kernel_sigset_size);
  raise_pending_sigsys();
}

/// A SIGSYS that is not SUD's (seccomp's SECCOMP_RET_TRAP, kill, tgkill): the guest's, as if
/// the runtime were not there.
inline void forward_sigsys(int sig, siginfo_t* info, void* uc) noexcept {
  kernel_sigaction a = proc.guest[SIGSYS];
  bool forced = info->si_code == si_seccomp;  // force_sig_seccomp: blocked or ignored -> dies
  if (forced && tls.trap_ip != 0) info->si_call_addr = reinterpret_cast<void*>(tls.trap_ip);
  if (!forced && tls.sigsys_blocked) {
    tls.sigsys_pending = true;  // as natively: pending until the guest unblocks it
    return;
  }
  if (has_function(a) && !(forced && tls.sigsys_blocked)) {
    deliver_to_guest(a, sig, info, uc);
    return;
  }
  if (a.handler == sig_ign && !forced) return;
  if (a.handler != sig_dfl && !forced) return;  // blocked by the guest, sent by kill: dropped (docs)
  die_by(SIGSYS);
}

/// rt_sigaction as the guest sees it: its actions kept here, the kernel's wrapped.
inline long emulate_sigaction(const syscall_frame& f) noexcept {
  int sig = static_cast<int>(f.args[0]);
  auto* act = reinterpret_cast<const kernel_sigaction*>(f.args[1]);
  auto* oact = reinterpret_cast<kernel_sigaction*>(f.args[2]);
  if (f.args[3] != kernel_sigset_size || sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
    return sys(f);
  kernel_sigaction old = proc.guest[sig];
  if (act != nullptr) {
    kernel_sigaction a = *act;
    if (sig != SIGSYS && !(sig == SIGSEGV && proc.owns_sigsegv)) {
      long r = register_action(sig, a);
      if (r < 0) return r;
    }
    proc.guest[sig] = a;
  }
  if (oact != nullptr) *oact = old;
  return 0;
}

/// rt_sigprocmask as the guest sees it: SIGSYS is never blocked in the kernel (SUD's SIGSYS
/// would kill the process), the guest's blocking of it is kept per thread.
inline long emulate_sigprocmask(const syscall_frame& f) noexcept {
  auto* set = reinterpret_cast<const std::uint64_t*>(f.args[1]);
  auto* oset = reinterpret_cast<std::uint64_t*>(f.args[2]);
  if (f.args[3] != kernel_sigset_size) return sys(f);
  bool old_blocked = tls.sigsys_blocked, has = false;
  std::uint64_t copy = 0;
  if (set != nullptr) {
    copy = *set;
    has = (copy & sigsys_bit) != 0;
    copy &= ~sigsys_bit;
  }
  long r = sys(SYS_rt_sigprocmask, f.args[0], set != nullptr ? arg(&copy) : 0, arg(oset), kernel_sigset_size);
  if (r != 0) return r;
  if (set != nullptr) {
    if (f.args[0] == SIG_BLOCK && has) tls.sigsys_blocked = true;
    if (f.args[0] == SIG_UNBLOCK && has) tls.sigsys_blocked = false;
    if (f.args[0] == SIG_SETMASK) tls.sigsys_blocked = has;
  }
  if (oset != nullptr) *oset = old_blocked ? (*oset | sigsys_bit) : (*oset & ~sigsys_bit);
  raise_pending_sigsys();
  return r;
}

/// A call whose argument `i` points to a temporary signal mask (rt_sigsuspend, ppoll,
/// epoll_pwait, epoll_pwait2): run with SIGSYS taken out of it.
inline long run_with_mask_arg(syscall_frame f, int i) noexcept {
  auto* set = reinterpret_cast<const std::uint64_t*>(f.args[i]);
  std::uint64_t copy = 0;
  if (set != nullptr) {
    copy = *set & ~sigsys_bit;
    f.args[i] = arg(&copy);
  }
  return sys(f);
}

/// pselect6: the mask is behind arg 5 ({const sigset_t*, size_t}).
inline long run_pselect6(syscall_frame f) noexcept {
  auto* data = reinterpret_cast<const long*>(f.args[5]);
  long copy[2];
  std::uint64_t mask = 0;
  if (data != nullptr && data[0] != 0) {
    mask = *reinterpret_cast<const std::uint64_t*>(data[0]) & ~sigsys_bit;
    copy[0] = arg(&mask);
    copy[1] = data[1];
    f.args[5] = arg(copy);
  }
  return sys(f);
}

/// execve/execveat with the runtime's LD_PRELOAD kept in the new environment (added, or put
/// in front of the guest's own value, when the environment lacks it).
inline long run_exec(syscall_frame f) noexcept {
  int ei = f.nr == SYS_execve ? 2 : 3;
  auto** envp = reinterpret_cast<char**>(f.args[ei]);
  if (proc.preload[0] == '\0') return sys(f);
  constexpr std::size_t key = 11;  // strlen("LD_PRELOAD=")
  const char* mine = proc.preload + key;
  std::size_t n = 0;
  long found = -1;
  for (; envp != nullptr && envp[n] != nullptr; ++n) {
    if (std::strncmp(envp[n], "LD_PRELOAD=", key) == 0) found = static_cast<long>(n);
  }
  if (found >= 0 && std::strstr(envp[found] + key, mine) != nullptr) return sys(f);
  std::size_t theirs = found >= 0 ? std::strlen(envp[found] + key) : 0;
  std::size_t bytes = (n + 2) * sizeof(char*) + std::strlen(proc.preload) + 1 + theirs + 1;
  // Never the guest's heap (the call may come from inside malloc); the stack when it fits.
  alignas(16) char local[4096];
  char* buf = local;
  bool mapped = bytes > sizeof local;
  if (mapped) {
    long m = sys(SYS_mmap, 0, static_cast<long>(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
    if (m < 0 && m > -4096) return sys(f);  // run it as the guest asked
    buf = reinterpret_cast<char*>(m);
  }
  auto** env = reinterpret_cast<char**>(buf);
  char* s = buf + (n + 2) * sizeof(char*);
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<long>(i) != found) env[k++] = envp[i];
  }
  env[k++] = s;
  env[k] = nullptr;
  std::size_t len = std::strlen(proc.preload);
  std::memcpy(s, proc.preload, len);
  if (theirs != 0) {
    s[len++] = ':';
    std::memcpy(s + len, envp[found] + key, theirs);
    len += theirs;
  }
  s[len] = '\0';
  f.args[ei] = arg(env);
  long r = sys(f);
  if (mapped) sys(SYS_munmap, arg(buf), static_cast<long>(bytes));
  return r;
}

/// The clone family. With a new stack the child starts in snare_ig_v1_clone (see the asm);
/// without one it returns here as a copy of this handler (`child` set). vfork without a new
/// stack runs without CLONE_VM (the parent still waits): the child's later SIGSYS frames would
/// otherwise overwrite this handler's frame on the shared stack (docs/in_guest.md).
inline long run_clone(const syscall_frame& in, const greg_t* g, bool& child) noexcept {
  syscall_frame f = in;
  std::uint64_t flags = 0, stack = 0;
  struct {
    std::uint64_t v[32];
  } cl{};
  switch (f.nr) {
    case SYS_fork:
      break;
    case SYS_vfork:
      f.nr = SYS_clone;
      f.args[0] = CLONE_VFORK | SIGCHLD;
      f.args[1] = f.args[2] = f.args[3] = f.args[4] = 0;
      break;
    case SYS_clone:
      flags = static_cast<std::uint64_t>(f.args[0]);
      stack = static_cast<std::uint64_t>(f.args[1]);
      if (stack == 0 && (flags & CLONE_VM) && (flags & CLONE_VFORK))
        f.args[0] &= ~static_cast<long>(CLONE_VM);
      break;
    case SYS_clone3: {
      auto size = static_cast<std::size_t>(f.args[1]);
      if (f.args[0] == 0 || size < 64 || size > sizeof cl) return sys(f);  // the kernel's answer
      std::memcpy(&cl, reinterpret_cast<const void*>(f.args[0]), size);
      flags = cl.v[0];
      if (cl.v[5] != 0) stack = cl.v[5] + cl.v[6];  // stack + stack_size
      if (stack == 0 && (flags & CLONE_VM) && (flags & CLONE_VFORK)) {
        cl.v[0] &= ~static_cast<std::uint64_t>(CLONE_VM);
        f.args[0] = arg(&cl);
      }
      break;
    }
    default:
      break;
  }
  if (stack != 0) {
    auto* b = reinterpret_cast<std::uint64_t*>((stack - 512) & ~std::uint64_t{15});
    const int order[] = {REG_RBX, REG_RBP, REG_R12, REG_R13, REG_R14, REG_R15};
    b[0] = 0;
    for (int i = 0; i < 6; ++i) b[1 + i] = static_cast<std::uint64_t>(f.args[i]);
    for (int i = 0; i < 6; ++i) b[7 + i] = static_cast<std::uint64_t>(g[order[i]]);
    b[13] = in.ip;                                   // rcx, as the kernel leaves it
    b[14] = static_cast<std::uint64_t>(g[REG_EFL]);  // r11
    b[15] = stack;
    b[16] = in.ip;
    b[17] = (flags & CLONE_THREAD) ? 1 : 0;
    reinterpret_cast<std::uint64_t*>(stack)[-1] = in.ip;
    long r = snare_ig_v1_clone(f.nr, f.args[0], f.args[1], f.args[2], f.args[3], f.args[4], f.args[5]);
    tls.selector = selector_allow;  // a CLONE_VM child without its own TLS wrote the same byte
    return r;
  }
  long r = sys(f);
  if (r == 0) {
    child = true;
    enable_sud();
    if (proc.h.process_start != nullptr) proc.h.process_start();
  }
  return r;
}

/// Runs the guest's (possibly changed) call for the SIGSYS handler.
inline long perform(const syscall_frame& f, const greg_t* g, bool& child) noexcept {
  switch (f.nr) {
    case SYS_rt_sigaction:
      return emulate_sigaction(f);
    case SYS_rt_sigprocmask:
      return emulate_sigprocmask(f);
    case SYS_rt_sigsuspend:
      return run_with_mask_arg(f, 0);
    case SYS_ppoll:
      return run_with_mask_arg(f, 3);
    case SYS_epoll_pwait:
    case SYS_epoll_pwait2:
      return run_with_mask_arg(f, 4);
    case SYS_pselect6:
      return run_pselect6(f);
    case SYS_execve:
    case SYS_execveat:
      return run_exec(f);
    case SYS_clone:
    case SYS_clone3:
    case SYS_fork:
    case SYS_vfork:
      return run_clone(f, g, child);
    default:
      return sys(f);
  }
}

/// Finds the mapping holding `addr` in /proc/self/maps (read with the runtime's own calls, into
/// the stack): its PROT_* bits and whether it is special (shared, or the vDSO, vsyscall, vvar).
struct mapping_info {
  bool found = false;
  int prot = 0;
  bool special = true;
};
inline mapping_info mapping_of(std::uintptr_t addr) noexcept {
  mapping_info mi;
  long fd = sys(SYS_openat, AT_FDCWD, arg("/proc/self/maps"), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return mi;
  char buf[4096];
  char line[512];
  std::size_t len = 0;
  bool found = false;
  for (;;) {
    long n = sys(SYS_read, fd, arg(buf), sizeof buf);
    if (n <= 0) break;
    for (long i = 0; i < n && !found; ++i) {
      char c = buf[i];
      if (c != '\n') {
        if (len + 1 < sizeof line) line[len++] = c;
        continue;
      }
      line[len] = '\0';
      len = 0;
      char* end = nullptr;
      std::uintptr_t lo = std::strtoull(line, &end, 16);
      if (end == nullptr || *end != '-') continue;
      std::uintptr_t hi = std::strtoull(end + 1, &end, 16);
      if (addr < lo || addr >= hi || end == nullptr) continue;
      const char* p = end + 1;
      mi.prot =
          (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
      // A shared mapping is never written: the store would reach the file or other processes.
      mi.special = p[3] != 'p' || (std::strchr(p, '[') != nullptr && std::strstr(p, "[heap]") == nullptr &&
                                   std::strstr(p, "[stack") == nullptr);
      mi.found = found = true;
    }
    if (found) break;
  }
  sys(SYS_close, fd);
  return mi;
}

/// Records a rewritten site (under the rewrite lock); false when the table is full.
inline bool record_site(std::uintptr_t site) noexcept {
  for (std::size_t i = 0; i < process_state::site_slots; ++i) {
    auto& slot = proc.sites[((site >> 1) + i) % process_state::site_slots];
    std::uintptr_t cur = slot.load(std::memory_order_relaxed);
    if (cur == site) return true;
    if (cur == 0) {
      slot.store(site, std::memory_order_release);
      return true;
    }
  }
  return false;
}

/// Whether `site` is one the runtime rewrote.
inline bool is_rewritten_site(std::uintptr_t site) noexcept {
  for (std::size_t i = 0; i < process_state::site_slots; ++i) {
    std::uintptr_t cur =
        proc.sites[((site >> 1) + i) % process_state::site_slots].load(std::memory_order_acquire);
    if (cur == site) return true;
    if (cur == 0) return false;
  }
  return false;
}

/// Rewrites the trapped site before `ip` into `call *%rax` when that is exact: SUD's trap came
/// from a real `syscall` (0f 05) with a number the sled covers, in a read-only executable
/// mapping that is not the vDSO nor the runtime's, the 2 bytes inside one page and one cache
/// line (one 16-bit store, so a thread racing through sees the old or the new instruction),
/// the page made writable only for the store and given back its protection. One rewrite at a
/// time per process; a busy lock leaves the site to its next trap.
inline void try_rewrite(std::uint64_t ip, long nr) noexcept {
  if (!proc.report.rewriting || nr < 0 || static_cast<std::uintptr_t>(nr) >= sled_end ||
      nr == SYS_rt_sigreturn)
    return;
  std::uintptr_t site = ip - 2;
  if (site == reinterpret_cast<std::uintptr_t>(snare_ig_v1_trapping_syscall)) return;
  if (site >= reinterpret_cast<std::uintptr_t>(snare_ig_v1_begin) &&
      site < reinterpret_cast<std::uintptr_t>(snare_ig_v1_end))
    return;
  if ((site & 4095) == 4095 || (site & 63) == 63) return;
  auto& no = proc.not_rewritable[(site >> 1) & 255];
  if (no.load(std::memory_order_relaxed) == site) return;
  if (proc.rewrite_lock.exchange(true, std::memory_order_acquire)) return;
  auto* bytes = reinterpret_cast<volatile unsigned char*>(site);
  const mapping_info mi = mapping_of(site);
  const long prot = mi.prot;
  if (mi.found && !mi.special && prot == (PROT_READ | PROT_EXEC) && bytes[0] == 0x0f && bytes[1] == 0x05) {
    std::uintptr_t page = site & ~std::uintptr_t{4095};
    if (record_site(site) && sys(SYS_mprotect, static_cast<long>(page), 4096, prot | PROT_WRITE) == 0) {
      std::uint16_t call_rax = 0xd0ff;  // ff d0
      asm volatile("movw %w0, (%1)" : : "r"(call_rax), "r"(site) : "memory");
      sys(SYS_mprotect, static_cast<long>(page), 4096, prot);
      proc.sites_rewritten.fetch_add(1, std::memory_order_relaxed);
    }
  } else {
    no.store(site, std::memory_order_relaxed);
  }
  proc.rewrite_lock.store(false, std::memory_order_release);
}

/// Maps page 0 (the nop sled and the jump to the trampoline) and reads the xsave size; on
/// failure writes the reason into proc.why_not_rewriting and returns false.
inline bool setup_rewriting() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0 || (c & bit_OSXSAVE) == 0) {
    std::strcpy(proc.why_not_rewriting,
                "the CPU or kernel lacks XSAVE (CPUID.1:ECX.OSXSAVE), which the trampoline needs");
    return false;
  }
  __cpuid_count(0xd, 0, a, b, c, d);
  snare_ig_v1_xsave_size = b + 64;  // room to align down to 64
  __cpuid_count(0xd, 1, a, b, c, d);
  snare_ig_v1_xsavec = (a & 2) != 0 ? 1 : 0;  // CPUID.(0xd,1):EAX bit 1: XSAVEC
  constexpr long map_fixed_noreplace = 0x100000;
  long m = sys(SYS_mmap, 0, page0_size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | map_fixed_noreplace, -1, 0);
  if (m != 0) {
    if (m > 0) sys(SYS_munmap, m, page0_size);  // a kernel without MAP_FIXED_NOREPLACE put it elsewhere
    char min_addr[32] = "?";
    long fd = sys(SYS_openat, AT_FDCWD, arg("/proc/sys/vm/mmap_min_addr"), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      long n = sys(SYS_read, fd, arg(min_addr), sizeof min_addr - 1);
      min_addr[n > 0 ? n : 0] = '\0';
      if (n > 0 && min_addr[n - 1] == '\n') min_addr[n - 1] = '\0';
      sys(SYS_close, fd);
    }
    std::snprintf(
        proc.why_not_rewriting, sizeof proc.why_not_rewriting,
        "mapping page 0 was refused (%s): vm.mmap_min_addr is %s and the process lacks CAP_SYS_RAWIO",
        m == -EEXIST ? "EEXIST, something is mapped there" : std::strerror(static_cast<int>(-m)), min_addr);
    return false;
  }
  // Built on the stack, copied to address 0 by `rep movsb`: C++ may not write through a null
  // pointer (the optimizer and UBSan both assume it never happens).
  unsigned char page[page0_size];
  std::memset(page, 0x90, page0_size);  // nop
  auto target = reinterpret_cast<std::uint64_t>(&snare_ig_v1_trampoline);
  for (std::uintptr_t at : {sled_end, second_sled_end}) {
    page[at] = 0x49;  // movabs $target, %r11
    page[at + 1] = 0xbb;
    std::memcpy(page + at + 2, &target, sizeof target);
    page[at + 10] = 0x41;  // jmp *%r11
    page[at + 11] = 0xff;
    page[at + 12] = 0xe3;
    page[at + 13] = 0xcc;  // int3: never reached
    page[at + 14] = 0xcc;
    page[at + 15] = 0xcc;
  }
  std::uintptr_t dst = 0, count = page0_size;
  const unsigned char* src = page;
  asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
  // Execute-only where the CPU has protection keys (the kernel then gives PROT_EXEC alone an
  // access-disabled key), so a read through a null pointer still faults there.
  sys(SYS_mprotect, 0, page0_size, PROT_EXEC);
  return true;
}

inline void handle_trap(greg_t* g, bool intercepted) noexcept;

/// The SIGSYS handler: SUD's traps become hook calls and the call itself, run from the
/// runtime's code; other SIGSYS go to the guest.
inline void on_sigsys(int sig, siginfo_t* info, void* ucv) noexcept {
  if (info->si_code != si_user_dispatch) {
    forward_sigsys(sig, info, ucv);
    return;
  }
  handle_trap(static_cast<ucontext_t*>(ucv)->uc_mcontext.gregs, true);
}

/// The SIGSEGV handler while rewriting: a rewritten site whose number lies past page 0's sled
/// (`call *%rax` faulted at address rax, the return address right after a site the runtime
/// rewrote) is a syscall, run as a trapped one; anything else is the guest's.
inline void on_sigsegv(int sig, siginfo_t* info, void* ucv) noexcept {
  greg_t* g = static_cast<ucontext_t*>(ucv)->uc_mcontext.gregs;
  auto rip = static_cast<std::uintptr_t>(g[REG_RIP]);
  if (info->si_code > 0 && reinterpret_cast<std::uintptr_t>(info->si_addr) == rip &&
      rip == static_cast<std::uintptr_t>(g[REG_RAX])) {
    std::uintptr_t ret = *reinterpret_cast<const std::uintptr_t*>(g[REG_RSP]);
    if (ret >= 2 && is_rewritten_site(ret - 2)) {
      g[REG_RSP] += 8;
      g[REG_RIP] = static_cast<greg_t>(ret);
      handle_trap(g, tls.selector == selector_block);
      return;
    }
  }
  kernel_sigaction a = proc.guest[SIGSEGV];
  if (has_function(a)) {
    deliver_to_guest(a, sig, info, ucv);
    return;
  }
  if (a.handler == sig_ign && info->si_code <= 0) return;  // sent by kill and ignored
  die_by(SIGSEGV);
}

/// A trapped call (SUD's SIGSYS, or a faulting rewritten site): the hooks and the call, the
/// result into rax, and the site rewritten when it can be. `intercepted` false: a call made
/// with interception off (a hook's own, through a rewritten site): run without the hooks.
inline void handle_trap(greg_t* g, bool intercepted) noexcept {
  char old_selector = tls.selector;
  tls.selector = selector_allow;
  int saved_errno = errno;
  syscall_frame f{g[REG_RAX],
                  {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]},
                  static_cast<std::uint64_t>(g[REG_RIP]),
                  static_cast<std::uint64_t>(g[REG_RSP]),
                  -ENOSYS};
  proc.sud_traps.fetch_add(1, std::memory_order_relaxed);
  long trapped_nr = f.nr;
  std::uint64_t outer_ip = tls.trap_ip;
  tls.trap_ip = f.ip;
  bool run = !intercepted || proc.h.enter == nullptr || proc.h.enter(f);
  if (run && f.nr == SYS_rt_sigreturn) {
    // Redo it from the allowed range on the guest's stack: this handler's own sigreturn lands
    // on snare_ig_v1_restorer with the guest's rsp, which then restores the guest's frame.
    g[REG_RIP] = reinterpret_cast<greg_t>(&snare_ig_v1_restorer);
    tls.trap_ip = outer_ip;
    errno = saved_errno;
    tls.selector = intercepted ? selector_block : old_selector;
    return;
  }
  bool child = false;
  if (run) {
    f.ret = perform(f, g, child);
    if (intercepted && !child && proc.h.exit != nullptr) proc.h.exit(f);
  }
  if (!child) try_rewrite(f.ip, trapped_nr);
  g[REG_RAX] = f.ret;
  tls.trap_ip = outer_ip;
  errno = saved_errno;
  // SUD traps only at BLOCK; a fault keeps whatever the thread had.
  tls.selector = intercepted ? selector_block : old_selector;
}

/// The registers snare_ig_v1_trampoline saved, lowest address first.
struct trampoline_regs {
  std::uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rbx, rax, rbp;
  std::uint64_t red_zone[16];
  std::uint64_t ret;  // the rewritten site + 2
};

/// A call from a rewritten site: the hooks and the call, as on_sigsys does them.
inline void run_rewritten(trampoline_regs* r) noexcept {
  char old_selector = tls.selector;
  tls.selector = selector_allow;
  int saved_errno = errno;
  proc.rewritten_calls.fetch_add(1, std::memory_order_relaxed);
  auto l = [](std::uint64_t v) { return static_cast<long>(v); };
  syscall_frame f{l(r->rax),
                  {l(r->rdi), l(r->rsi), l(r->rdx), l(r->r10), l(r->r8), l(r->r9)},
                  r->ret,
                  reinterpret_cast<std::uint64_t>(&r->ret + 1),
                  -ENOSYS};
  greg_t g[NGREG]{};
  g[REG_RBX] = static_cast<greg_t>(r->rbx);
  g[REG_RBP] = static_cast<greg_t>(r->rbp);
  g[REG_R12] = static_cast<greg_t>(r->r12);
  g[REG_R13] = static_cast<greg_t>(r->r13);
  g[REG_R14] = static_cast<greg_t>(r->r14);
  g[REG_R15] = static_cast<greg_t>(r->r15);
  g[REG_EFL] = 0x202;  // IF and the always-one bit, what r11 holds after a syscall
  std::uint64_t outer_ip = tls.trap_ip;
  tls.trap_ip = f.ip;
  // A rewritten site reached with interception off (a hook's own call through libc, or a
  // thread not yet intercepted) runs the call alone, as the syscall instruction would have.
  const bool intercepted = old_selector == selector_block;
  bool run = !intercepted || proc.h.enter == nullptr || proc.h.enter(f);
  if (run) {
    bool child = false;
    f.ret = perform(f, g, child);
    if (intercepted && !child && proc.h.exit != nullptr) proc.h.exit(f);
  }
  r->rax = static_cast<std::uint64_t>(f.ret);
  tls.trap_ip = outer_ip;
  errno = saved_errno;
  tls.selector = old_selector;
}

}  // namespace v1
}  // namespace snare::in_guest::detail

/// Where a child with a new stack starts (called from snare_ig_v1_clone, on the new stack
/// below the register block `b`): SUD on, the start hook, interception on; returns `b`.
extern "C" [[gnu::used, gnu::visibility("hidden")]] inline std::uint64_t* snare_ig_v1_child_entry(
    std::uint64_t* b) noexcept {
  namespace d = snare::in_guest::detail;
  d::enable_sud();
  int saved_errno = errno;
  if (b[17] != 0) {
    if (d::proc.h.thread_start != nullptr) d::proc.h.thread_start();
  } else if (d::proc.h.process_start != nullptr) {
    d::proc.h.process_start();
  }
  errno = saved_errno;
  d::tls.selector = d::selector_block;
  return b;
}

/// Where snare_ig_v1_trampoline calls in, with the registers it saved.
extern "C" [[gnu::used, gnu::visibility("hidden")]] inline void snare_ig_v1_rewritten_entry(
    snare::in_guest::detail::trampoline_regs* r) noexcept {
  snare::in_guest::detail::run_rewritten(r);
}

namespace snare::in_guest {

inline runtime_stats stats() noexcept {
  return {detail::proc.sud_traps.load(), detail::proc.rewritten_calls.load(),
          detail::proc.sites_rewritten.load()};
}

inline long untrapped_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) noexcept {
  return detail::sys(nr, a0, a1, a2, a3, a4, a5);
}

inline snare::result<install_report> install(const hooks& h, const install_options& o) noexcept {
  namespace d = detail;
  if (d::proc.installed) return d::proc.report;
  d::proc.h = h;
  const char* pre = o.preload != nullptr ? o.preload : std::getenv("LD_PRELOAD");
  if (pre != nullptr && std::strlen(pre) + 12 <= sizeof d::proc.preload) {
    std::memcpy(d::proc.preload, "LD_PRELOAD=", 11);
    std::memcpy(d::proc.preload + 11, pre, std::strlen(pre) + 1);
  }
  // The guest's actions as they are now (other preloads' constructors may have set some).
  for (int sig = 1; sig <= 64; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    d::sys(SYS_rt_sigaction, sig, 0, d::arg(&d::proc.guest[sig]), d::kernel_sigset_size);
  }
  d::kernel_sigaction sa{reinterpret_cast<std::uintptr_t>(&d::on_sigsys),
                         SA_SIGINFO | SA_NODEFER | d::sa_restorer_flag,
                         reinterpret_cast<std::uintptr_t>(&d::snare_ig_v1_restorer), 0};
  d::kernel_sigaction old_sigsys{};
  long r = d::sys(SYS_rt_sigaction, SIGSYS, d::arg(&sa), d::arg(&old_sigsys), d::kernel_sigset_size);
  if (r < 0) return result<install_report>::from_errno(static_cast<int>(-r));
  r = d::enable_sud();
  if (r < 0) {
    d::sys(SYS_rt_sigaction, SIGSYS, d::arg(&old_sigsys), 0, d::kernel_sigset_size);
    return result<install_report>::from_errno(static_cast<int>(-r));
  }
  for (int sig = 1; sig <= 64; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSYS) continue;
    if (d::has_function(d::proc.guest[sig])) d::register_action(sig, d::proc.guest[sig]);
  }
  // SIGSYS must be deliverable for SUD: a blocked one would kill the thread.
  std::uint64_t unblock = d::sigsys_bit, old_mask = 0;
  d::sys(SYS_rt_sigprocmask, SIG_UNBLOCK, d::arg(&unblock), d::arg(&old_mask), d::kernel_sigset_size);
  d::tls.sigsys_blocked = (old_mask & d::sigsys_bit) != 0;
  d::proc.report.sud = true;
  if (!o.rewrite) std::strcpy(d::proc.why_not_rewriting, "install_options::rewrite is false");
  d::proc.report.rewriting = o.rewrite && d::setup_rewriting();
  if (d::proc.report.rewriting) {
    // SA_ONSTACK: a guest that handles stack overflow on an alternate stack keeps doing so.
    d::kernel_sigaction segv{reinterpret_cast<std::uintptr_t>(&d::on_sigsegv),
                             SA_SIGINFO | SA_NODEFER | SA_ONSTACK | d::sa_restorer_flag,
                             reinterpret_cast<std::uintptr_t>(&d::snare_ig_v1_restorer), 0};
    d::proc.owns_sigsegv = d::sys(SYS_rt_sigaction, SIGSEGV, d::arg(&segv), 0, d::kernel_sigset_size) == 0;
  }
  d::proc.report.why_not_rewriting = d::proc.why_not_rewriting;
  d::proc.installed = true;
  d::tls.selector = d::selector_block;
  return d::proc.report;
}

}  // namespace snare::in_guest
