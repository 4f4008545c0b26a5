// Defines how the in-guest runtime keeps signals the guest's: its handlers wrapped (run with
// interception on), rt_sigaction and rt_sigprocmask emulated, SIGSYS never blocked in the
// kernel, the guest's own SIGSYS (seccomp, kill) delivered as natively.
#pragma once

#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <cstdint>
#include <cstring>

#include <snare/backend/in_guest/runtime/detail/state.hpp>

namespace snare::in_guest::detail {
inline namespace v1 {

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

/// Gives a guest handler's ucontext the mask the guest would see there: SIGSYS in it when the
/// interrupted code blocked it (the guest's blocking, which the kernel never sees).
inline void mask_to_guest(void* ucv, bool sigsys_blocked) noexcept {
  auto* uc = static_cast<ucontext_t*>(ucv);
  std::uint64_t m;
  std::memcpy(&m, &uc->uc_sigmask, sizeof m);
  m = sigsys_blocked ? (m | sigsys_bit) : (m & ~sigsys_bit);
  std::memcpy(&uc->uc_sigmask, &m, sizeof m);
}

/// After a guest handler: the mask its return restores (which it may have edited) keeps SIGSYS
/// deliverable in the kernel, and the guest's blocking of it becomes the thread's.
inline void mask_from_guest(void* ucv) noexcept {
  auto* uc = static_cast<ucontext_t*>(ucv);
  std::uint64_t m;
  std::memcpy(&m, &uc->uc_sigmask, sizeof m);
  tls.sigsys_blocked = (m & sigsys_bit) != 0;
  m &= ~sigsys_bit;
  std::memcpy(&uc->uc_sigmask, &m, sizeof m);
}

/// The handler the kernel holds for each signal the guest handles (other than SIGSYS).
inline void on_signal(int sig, siginfo_t* info, void* ucv) noexcept {
  kernel_sigaction a = proc.guest[sig];
  if (a.flags & SA_RESETHAND) {  // what the kernel would have done to its own copy
    proc.guest[sig] = kernel_sigaction{};
    register_action(sig, kernel_sigaction{});
  }
  if (!has_function(a)) return;  // changed while arriving
  mask_to_guest(ucv, tls.sigsys_blocked);
  if (a.mask & sigsys_bit) tls.sigsys_blocked = true;  // sa_mask, which the kernel got without it
  run_guest_handler(a, sig, info, ucv);
  mask_from_guest(ucv);  // the sigreturn restores the (possibly edited) mask: SIGSYS's too
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
  mask_to_guest(uc, tls.sigsys_blocked);
  if ((sig == SIGSYS && !(a.flags & SA_NODEFER)) || (a.mask & sigsys_bit)) tls.sigsys_blocked = true;
  run_guest_handler(a, sig, info, uc);
  mask_from_guest(uc);  // the runtime's sigreturn restores this mask: the guest's edit kept
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
    kernel_sigaction a;  // read as the kernel would: unreadable -> EFAULT, nothing changed
    if (read_guest(&a, act, sizeof a) != static_cast<long>(sizeof a)) return -EFAULT;
    if (sig != SIGSYS && !(sig == SIGSEGV && proc.owns_sigsegv) && !(sig == SIGBUS && proc.owns_sigbus)) {
      long r = register_action(sig, a);
      if (r < 0) return r;
    }
    proc.guest[sig] = a;
  }
  // The kernel too writes the old action after setting the new one.
  if (oact != nullptr && write_guest(oact, &old, sizeof old) != static_cast<long>(sizeof old)) return -EFAULT;
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
    if (read_guest(&copy, set, sizeof copy) != static_cast<long>(sizeof copy)) return -EFAULT;
    has = (copy & sigsys_bit) != 0;
    copy &= ~sigsys_bit;
  }
  long r = sys(SYS_rt_sigprocmask, f.args[0], set != nullptr ? arg(&copy) : 0, arg(oset), kernel_sigset_size);
  // EFAULT from an unwritable oset comes after the kernel changed the mask: keep SIGSYS's too.
  if (r != 0 && !(r == -EFAULT && set != nullptr && oset != nullptr)) return r;
  if (set != nullptr) {
    if (f.args[0] == SIG_BLOCK && has) tls.sigsys_blocked = true;
    if (f.args[0] == SIG_UNBLOCK && has) tls.sigsys_blocked = false;
    if (f.args[0] == SIG_SETMASK) tls.sigsys_blocked = has;
  }
  if (r == 0 && oset != nullptr) *oset = old_blocked ? (*oset | sigsys_bit) : (*oset & ~sigsys_bit);
  raise_pending_sigsys();
  return r;
}

/// A call whose argument `i` points to a temporary signal mask (rt_sigsuspend, ppoll,
/// epoll_pwait, epoll_pwait2): run with SIGSYS taken out of it.
inline long run_with_mask_arg(syscall_frame f, int i) noexcept {
  auto* set = reinterpret_cast<const std::uint64_t*>(f.args[i]);
  std::uint64_t copy = 0;
  if (set != nullptr) {
    // Unreadable: the kernel's EFAULT, from the call as it came.
    if (read_guest(&copy, set, sizeof copy) != static_cast<long>(sizeof copy)) return sys(f);
    copy &= ~sigsys_bit;
    f.args[i] = arg(&copy);
  }
  return sys(f);
}

/// pselect6: the mask is behind arg 5 ({const sigset_t*, size_t}).
inline long run_pselect6(syscall_frame f) noexcept {
  long copy[2];
  std::uint64_t mask = 0;
  if (f.args[5] == 0) return sys(f);
  // Unreadable: the kernel's EFAULT, from the call as it came.
  if (read_guest(copy, reinterpret_cast<const void*>(f.args[5]), sizeof copy) !=
      static_cast<long>(sizeof copy))
    return sys(f);
  if (copy[0] != 0) {
    if (read_guest(&mask, reinterpret_cast<const void*>(copy[0]), sizeof mask) !=
        static_cast<long>(sizeof mask))
      return sys(f);
    mask &= ~sigsys_bit;
    copy[0] = arg(&mask);
    f.args[5] = arg(copy);
  }
  return sys(f);
}

}  // namespace v1
}  // namespace snare::in_guest::detail
