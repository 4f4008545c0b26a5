// Defines the in-guest runtime behind runtime/hooks.hpp: Syscall User Dispatch (SUD) with a
// per-thread selector, the SIGSYS handler that runs the hooks and the call, and what threads,
// fork, vfork, exec and signals need. Include it in the one shared object the guest preloads
// (LD_PRELOAD); docs/in_guest.md describes the mechanism and its limits.
#pragma once

#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <snare/backend/in_guest/runtime/detail/asm.hpp>
#include <snare/backend/in_guest/runtime/detail/calls.hpp>
#include <snare/backend/in_guest/runtime/detail/rewrite.hpp>
#include <snare/backend/in_guest/runtime/detail/signals.hpp>
#include <snare/backend/in_guest/runtime/detail/state.hpp>
#include <snare/backend/in_guest/runtime/hooks.hpp>

namespace snare::in_guest::detail {
inline namespace v1 {

inline void handle_trap(ucontext_t* uc, bool intercepted) noexcept;

/// A trapped 32-bit call (`int $0x80` in a 64-bit guest; SUD's si_arch AUDIT_ARCH_I386): run
/// as it came, from the runtime's range, without the hooks (their frame is the x86-64 ABI) and
/// without the runtime's emulations (docs/in_guest.md). The i386 clone family and sigreturns
/// would start a child without SUD or restore a frame from the handler's stack: ENOSYS.
/// With install_options::refuse_i386, every one fails with ENOSYS.
inline void handle_compat_trap(ucontext_t* uc) noexcept {
  greg_t* g = uc->uc_mcontext.gregs;
  char old_selector = tls.selector;
  tls.selector = selector_allow;
  int saved_errno = errno;
  proc.sud_traps.fetch_add(1, std::memory_order_relaxed);
  auto r32 = [&](int reg) { return static_cast<long>(static_cast<std::uint32_t>(g[reg])); };
  long nr = r32(REG_RAX), ret = -ENOSYS;
  // i386: fork 2, sigreturn 119, clone 120, rt_sigreturn 173, vfork 190, clone3 435.
  if (!proc.refuse_i386 && nr != 2 && nr != 119 && nr != 120 && nr != 173 && nr != 190 && nr != 435)
    ret = snare_ig_v1_int80(nr, r32(REG_RBX), r32(REG_RCX), r32(REG_RDX), r32(REG_RSI), r32(REG_RDI),
                            r32(REG_RBP));
  g[REG_RAX] = ret;
  errno = saved_errno;
  tls.selector = old_selector;
}

/// The SIGSYS handler: SUD's traps become hook calls and the call itself, run from the
/// runtime's code; other SIGSYS go to the guest.
inline void on_sigsys(int sig, siginfo_t* info, void* ucv) noexcept {
  if (info->si_code != si_user_dispatch) {
    forward_sigsys(sig, info, ucv);
    return;
  }
  constexpr unsigned audit_arch_x86_64 = 0xc000003e;
  if (info->si_arch != audit_arch_x86_64) {
    handle_compat_trap(static_cast<ucontext_t*>(ucv));
    return;
  }
  handle_trap(static_cast<ucontext_t*>(ucv), true);
}

/// Resumes a fault of snare_ig_v1_copy's one load (si_code > 0: the kernel's, not a kill) at
/// its fixup, which returns -EFAULT; false for any other signal.
inline bool resume_copy_fault(const siginfo_t* info, void* ucv) noexcept {
  greg_t* g = static_cast<ucontext_t*>(ucv)->uc_mcontext.gregs;
  if (info->si_code <= 0 || g[REG_RIP] != reinterpret_cast<greg_t>(&snare_ig_v1_copy_fault)) return false;
  g[REG_RIP] = reinterpret_cast<greg_t>(&snare_ig_v1_copy_fixup);
  return true;
}

/// A SIGSEGV or SIGBUS that is the guest's: its handler, or what the kernel would do.
inline void forward_fault(int sig, siginfo_t* info, void* ucv) noexcept {
  kernel_sigaction a = proc.guest[sig];
  if (has_function(a)) {
    deliver_to_guest(a, sig, info, ucv);
    return;
  }
  if (a.handler == sig_ign && info->si_code <= 0) return;  // sent by kill and ignored
  die_by(sig);
}

/// The SIGBUS handler: a fault of the runtime's copy resumes with -EFAULT, any other is the
/// guest's.
inline void on_sigbus(int sig, siginfo_t* info, void* ucv) noexcept {
  if (resume_copy_fault(info, ucv)) return;
  forward_fault(sig, info, ucv);
}

/// The SIGSEGV handler: a fault of the runtime's copy resumes with -EFAULT; while rewriting, a
/// rewritten site whose number lies past page 0's sled (`call *%rax` faulted at address rax,
/// the return address right after a site the runtime rewrote) is a syscall, run as a trapped
/// one; anything else is the guest's.
inline void on_sigsegv(int sig, siginfo_t* info, void* ucv) noexcept {
  if (resume_copy_fault(info, ucv)) return;
  greg_t* g = static_cast<ucontext_t*>(ucv)->uc_mcontext.gregs;
  auto rip = static_cast<std::uintptr_t>(g[REG_RIP]);
  if (info->si_code > 0 && reinterpret_cast<std::uintptr_t>(info->si_addr) == rip &&
      rip == static_cast<std::uintptr_t>(g[REG_RAX])) {
    std::uintptr_t ret = *reinterpret_cast<const std::uintptr_t*>(g[REG_RSP]);
    if (ret >= 2 && is_rewritten_site(ret - 2)) {
      g[REG_RSP] += 8;
      g[REG_RIP] = static_cast<greg_t>(ret);
      handle_trap(static_cast<ucontext_t*>(ucv), tls.selector == selector_block);
      return;
    }
  }
  forward_fault(sig, info, ucv);
}

/// A trapped call (SUD's SIGSYS, or a faulting rewritten site): the hooks and the call, the
/// result into rax, and the site rewritten when it can be. `intercepted` false: a call made
/// with interception off (a hook's own, through a rewritten site): run without the hooks.
inline void handle_trap(ucontext_t* uc, bool intercepted) noexcept {
  greg_t* g = uc->uc_mcontext.gregs;
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
  const bool hooked = intercepted && wants(f.nr);
  bool run = !hooked || proc.h.enter == nullptr || proc.h.enter(f);
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
    f.ret = perform(f, g, uc->uc_mcontext.fpregs, child);
    if (f.nr == SYS_rt_sigprocmask && f.args[1] != 0) {
      // The handler's sigreturn restores the mask saved at the trap: give it the new one (also
      // after an EFAULT, which the kernel gives for an unwritable oset once the mask changed).
      std::uint64_t now = 0;
      sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, arg(&now), kernel_sigset_size);
      std::memcpy(&uc->uc_sigmask, &now, sizeof now);
    }
    if (hooked && !child && proc.h.exit != nullptr) proc.h.exit(f);
  }
  if (!child) try_rewrite(f.ip, trapped_nr);
  g[REG_RAX] = f.ret;
  tls.trap_ip = outer_ip;
  errno = saved_errno;
  // SUD traps only at BLOCK; a fault keeps whatever the thread had.
  tls.selector = intercepted ? selector_block : old_selector;
}

/// A call from a rewritten site: the hooks and the call, as on_sigsys does them.
inline void run_rewritten(trampoline_regs* r) noexcept {
  if (!is_rewritten_site(r->ret - 2)) {
    // A call into page 0 that no rewritten site made (through a null function pointer):
    // natively a SIGSEGV. The guest's handler runs (from a tgkill: si_code SI_TKILL, the
    // runtime's ucontext), then the process dies by SIGSEGV as the default action would.
    if (has_function(proc.guest[SIGSEGV])) sys(SYS_tgkill, sys(SYS_getpid), sys(SYS_gettid), SIGSEGV);
    die_by(SIGSEGV);
  }
  char old_selector = tls.selector;
  tls.selector = selector_allow;
  int saved_errno = errno;
  // Not a locked add: on the path of every hooked rewritten call it cost about 10 ns here (perf);
  // two threads racing here may lose one count (runtime_stats says so).
  proc.rewritten_calls.store(proc.rewritten_calls.load(std::memory_order_relaxed) + 1,
                             std::memory_order_relaxed);
  auto l = [](std::uint64_t v) { return static_cast<long>(v); };
  syscall_frame f{l(r->rax),
                  {l(r->rdi), l(r->rsi), l(r->rdx), l(r->r10), l(r->r8), l(r->r9)},
                  r->ret,
                  reinterpret_cast<std::uint64_t>(&r->ret + 1),
                  -ENOSYS};
  // Only the slots run_clone reads are set: zeroing all 23 compiled to `rep stos`, a tenth of
  // a hooked rewritten call here (perf).
  greg_t g[NGREG];
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
  const bool hooked = intercepted && wants(f.nr);
  bool run = !hooked || proc.h.enter == nullptr || proc.h.enter(f);
  if (run) {
    bool child = false;
    f.ret = perform(f, g, nullptr, child);
    if (hooked && !child && proc.h.exit != nullptr) proc.h.exit(f);
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
  if (b[0] != 0) d::proc.rewrite_lock.store(false, std::memory_order_relaxed);  // see run_clone
  d::enable_sud_or_die();
  // On the stack below the block now: signals may come.
  d::sys(SYS_rt_sigprocmask, SIG_SETMASK, d::arg(&b[18]), 0, d::kernel_sigset_size);
  int saved_errno = errno;
  d::tls.creator_word = b[21];
  d::tls.child_word = 0;
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

inline void set_child_word(std::uint64_t word) noexcept { detail::tls.child_word = word; }
inline std::uint64_t creator_word() noexcept { return detail::tls.creator_word; }

inline long untrapped_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) noexcept {
  return detail::sys(nr, a0, a1, a2, a3, a4, a5);
}

inline long copy_from_guest(void* dst, const void* src, unsigned long n) noexcept {
  namespace d = detail;
  if (!d::proc.owns_sigsegv || !d::proc.owns_sigbus) return -EAGAIN;
  // A fault the thread blocks is forced to the default action by the kernel: never caught.
  std::uint64_t mask = 0;
  if (d::sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, d::arg(&mask), d::kernel_sigset_size) != 0) return -EAGAIN;
  constexpr std::uint64_t faults = (std::uint64_t{1} << (SIGSEGV - 1)) | (std::uint64_t{1} << (SIGBUS - 1));
  if ((mask & faults) != 0) return -EAGAIN;
  return d::snare_ig_v1_copy(dst, src, n);
}

inline snare::result<install_report> install(const hooks& h, const install_options& o) noexcept {
  namespace d = detail;
  if (d::proc.installed) return d::proc.report;
  d::proc.h = h;
  d::proc.refuse_i386 = o.refuse_i386;
  if (o.interest != nullptr) {
    d::proc.some_interest = true;
    std::memcpy(d::proc.interest, o.interest, sizeof d::proc.interest);
    for (long nr = 0; nr < 512; ++nr) {
      if (!d::wants(nr) && !d::runtime_handles(nr)) snare_ig_v1_direct[nr / 64] |= 1UL << (nr % 64);
    }
  }
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
  auto undo = [&](long err) {
    d::proc.h = hooks{};
    d::proc.some_interest = false;
    for (auto& w : snare_ig_v1_direct) w = 0;
    return result<install_report>::from_errno(static_cast<int>(-err));
  };
  if (r < 0) return undo(r);
  r = d::enable_sud();
  if (r < 0) {
    d::sys(SYS_rt_sigaction, SIGSYS, d::arg(&old_sigsys), 0, d::kernel_sigset_size);
    return undo(r);
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
  // SIGSEGV (rewritten sites past the sled; copy_from_guest) and SIGBUS (copy_from_guest) are
  // the runtime's, SUD only too. SA_ONSTACK: a guest that handles stack overflow on an
  // alternate stack keeps doing so.
  d::kernel_sigaction segv{reinterpret_cast<std::uintptr_t>(&d::on_sigsegv),
                           SA_SIGINFO | SA_NODEFER | SA_ONSTACK | d::sa_restorer_flag,
                           reinterpret_cast<std::uintptr_t>(&d::snare_ig_v1_restorer), 0};
  d::proc.owns_sigsegv = d::sys(SYS_rt_sigaction, SIGSEGV, d::arg(&segv), 0, d::kernel_sigset_size) == 0;
  d::kernel_sigaction bus = segv;
  bus.handler = reinterpret_cast<std::uintptr_t>(&d::on_sigbus);
  d::proc.owns_sigbus = d::sys(SYS_rt_sigaction, SIGBUS, d::arg(&bus), 0, d::kernel_sigset_size) == 0;
  d::proc.report.why_not_rewriting = d::proc.why_not_rewriting;
  d::proc.installed = true;
  d::tls.selector = d::selector_block;
  return d::proc.report;
}

}  // namespace snare::in_guest
