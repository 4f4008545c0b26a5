// Defines the signal state of a micro-VM's guest (snare::backend::hypercall_detail::
// signal_state: dispositions, mask, pending signals) and the x86-64 rt_sigframe its handlers
// run on. Only signals the guest sends itself exist for it: nothing else is ever delivered
// into the VM, so this is the whole of signal delivery, with no lock and no vCPU of its own
// (syscalls.hpp calls it under the VM's lock with the calling vCPU's registers).
#pragma once

#include <linux/kvm.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <snare/backend/hypercall/detail/address_space.hpp>
#include <snare/backend/hypercall/detail/guest_kernel.hpp>
#include <snare/result.hpp>
#include <snare/sys/abi.hpp>

namespace snare::backend::hypercall_detail {

/// What a signal the guest sends itself does at once.
enum class self_signal_effect : std::uint8_t {
  ignored,  ///< SIG_IGN, or a default of "ignore"
  pending,  ///< blocked: kept until sigprocmask unblocks it
  handled,  ///< its handler runs when the current call returns (deliver it)
  fatal,    ///< the default action ends the guest
};

/// The kernel's x86-64 rt_sigframe (pretcode, struct ucontext, siginfo), with no FPU state
/// (fpstate = 0): signals arrive only inside a libc call, where vector registers are
/// caller-saved anyway.
struct signal_frame {
  std::uint64_t pretcode;
  std::uint64_t uc_flags, uc_link;
  std::uint64_t ss_sp;
  std::int32_t ss_flags, ss_pad;
  std::uint64_t ss_size;
  std::uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  std::uint16_t cs, gs, fs, ss;
  std::uint64_t err, trapno, oldmask, cr2, fpstate, reserved1[8];
  std::uint64_t uc_sigmask;
  std::int32_t si_signo, si_errno, si_code, si_pad;
  std::int32_t sender_pid, sender_uid;  // si_pid, si_uid (macros in <signal.h>)
  std::uint8_t si_rest[104];
};
static_assert(sizeof(signal_frame) ==
              8 + 40 + 256 + 8 + 128);  // pretcode, ucontext head, sigcontext, mask, siginfo

/// The guest's signal dispositions, mask and pending set. Dispositions are kept so that libc
/// sees its own settings back; a signal reaches the guest only when it sends it itself.
/// Not synchronised: the VM calls it under its lock.
class signal_state {
 public:
  /// The disposition of a signal being delivered, and the mask its handler's return restores.
  struct delivery {
    sys::abi::x86_64::sigaction action;
    std::uint64_t old_mask;
  };

  /// Emulates rt_sigaction(2) on guest memory `mem`; returns 0 or -errno.
  long sigaction(address_space& mem, std::uint64_t sig, std::uint64_t act, std::uint64_t oldact,
                 std::uint64_t size) noexcept {
    if (sig < 1 || sig > 64 || size != 8) return -EINVAL;
    if (act != 0 && (sig == SIGKILL || sig == SIGSTOP)) return -EINVAL;
    sys::abi::x86_64::sigaction next{};
    if (act != 0 && !mem.read_bytes(act, std::as_writable_bytes(std::span(&next, 1)))) return -EFAULT;
    if (oldact != 0 && !mem.write_bytes(oldact, std::as_bytes(std::span(&actions_[sig], 1)))) return -EFAULT;
    if (act != 0) actions_[sig] = next;
    return 0;
  }

  /// Emulates rt_sigprocmask(2) on guest memory `mem`; returns 0 or -errno.
  long sigprocmask(address_space& mem, std::uint64_t how, std::uint64_t set, std::uint64_t oldset,
                   std::uint64_t size) noexcept {
    if (size != 8) return -EINVAL;
    std::uint64_t old = mask_;
    if (set != 0) {
      std::uint64_t s = 0;
      if (!mem.read_bytes(set, std::as_writable_bytes(std::span(&s, 1)))) return -EFAULT;
      if (how == SIG_BLOCK)
        mask_ |= s;
      else if (how == SIG_UNBLOCK)
        mask_ &= ~s;
      else if (how == SIG_SETMASK)
        mask_ = s;
      else
        return -EINVAL;
    }
    if (oldset != 0 && !mem.write_bytes(oldset, std::as_bytes(std::span(&old, 1)))) return -EFAULT;
    return 0;
  }

  /// Says what signal `sig` (1..64) sent by the guest to itself does now; a blocked one is
  /// recorded as pending.
  self_signal_effect send_self(int sig) noexcept {
    std::uint64_t handler = actions_[sig].handler;
    bool ignored_by_default = sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
    if (handler == reinterpret_cast<std::uint64_t>(SIG_IGN) || (handler == 0 && ignored_by_default))
      return self_signal_effect::ignored;
    if (handler != 0 && sig != SIGKILL && sig != SIGSTOP) {
      if (mask_ & bit(sig)) {
        pending_ |= bit(sig);
        return self_signal_effect::pending;
      }
      return self_signal_effect::handled;
    }
    return self_signal_effect::fatal;
  }

  /// Takes the lowest pending signal that is no longer blocked; 0 when there is none.
  int take_unblocked_pending() noexcept {
    std::uint64_t ready = pending_ & ~mask_;
    if (ready == 0) return 0;
    int sig = __builtin_ctzll(ready) + 1;
    pending_ &= ~bit(sig);
    return sig;
  }

  /// Starts delivering `sig`: blocks what its handler runs with (sa_mask, and `sig` unless
  /// SA_NODEFER), resets the disposition for SA_RESETHAND; returns what the frame needs.
  delivery begin_delivery(int sig) noexcept {
    delivery d{actions_[sig], mask_};
    constexpr std::uint64_t sa_nodefer = 0x40000000, sa_resethand = 0x80000000;
    mask_ |= d.action.mask | ((d.action.flags & sa_nodefer) ? 0 : bit(sig));
    mask_ &= ~(bit(SIGKILL) | bit(SIGSTOP));
    if (d.action.flags & sa_resethand) actions_[sig].handler = 0;
    return d;
  }

  /// Sets the mask a handler's rt_sigreturn restores (SIGKILL and SIGSTOP stay unblocked).
  void restore_mask(std::uint64_t mask) noexcept { mask_ = mask & ~(bit(SIGKILL) | bit(SIGSTOP)); }

 private:
  static constexpr std::uint64_t bit(int sig) noexcept { return std::uint64_t{1} << (sig - 1); }

  sys::abi::x86_64::sigaction actions_[65]{};
  std::uint64_t mask_ = 0;
  std::uint64_t pending_ = 0;  // self-sent signals waiting while blocked
};

/// Lays out the frame of a delivery of `sig` below the guest's stack and points the
/// registers `r` of a syscall exit at the handler, as Linux does; the call returned `ret`.
/// Errors: operation_not_supported when the handler has no SA_RESTORER (there is no vDSO
/// to return through), bad_address when the frame does not fit in guest memory.
inline result<void> push_signal_frame(address_space& mem, kvm_regs& r, int sig,
                                      const signal_state::delivery& d, long ret) noexcept {
  constexpr std::uint64_t sa_restorer = 0x04000000;
  if (!(d.action.flags & sa_restorer)) return std::errc::operation_not_supported;
  // At a syscall exit the user's rip and rflags are in rcx and r11.
  signal_frame f{};
  f.pretcode = d.action.restorer;
  f.r8 = r.r8, f.r9 = r.r9, f.r10 = r.r10, f.r11 = r.r11, f.r12 = r.r12, f.r13 = r.r13, f.r14 = r.r14;
  f.r15 = r.r15, f.rdi = r.rdi, f.rsi = r.rsi, f.rbp = r.rbp, f.rbx = r.rbx, f.rdx = r.rdx;
  f.rax = static_cast<std::uint64_t>(ret), f.rcx = r.rcx, f.rsp = r.rsp, f.rip = r.rcx, f.eflags = r.r11;
  f.cs = kernel_layout::user_cs, f.ss = kernel_layout::user_ss;
  f.ss_flags = SS_DISABLE;
  f.uc_sigmask = d.old_mask;
  f.oldmask = d.old_mask;
  f.si_signo = sig, f.si_code = -6 /* SI_TKILL */, f.sender_pid = ::getpid(),
  f.sender_uid = static_cast<std::int32_t>(::getuid());
  // Below the red zone, and so that rsp + 8 is 16-byte aligned at the handler's entry.
  std::uint64_t at = ((r.rsp - 128 - sizeof f) & ~std::uint64_t{15}) - 8;
  if (!mem.write_bytes(at, std::as_bytes(std::span(&f, 1)))) return std::errc::bad_address;
  r.rsp = at;
  r.rdi = static_cast<std::uint64_t>(sig);
  r.rsi = at + offsetof(signal_frame, si_signo);
  r.rdx = at + offsetof(signal_frame, uc_flags);
  r.rcx = d.action.handler;                          // where the syscall entry returns to
  r.r11 = f.eflags & ~std::uint64_t{0x400 | 0x100};  // DF and TF clear in the handler
  r.rflags = r.r11 | 0x2;
  return {};
}

/// What rt_sigreturn gives back besides the registers: the mask to restore and the value
/// of the call the signal interrupted.
struct sigreturn_result {
  std::uint64_t mask;
  long value;
};

/// Restores the registers `r` saved in the frame at rsp - 8 (the handler's return popped
/// pretcode); nullopt, with `r` unchanged, when there is no frame there.
inline std::optional<sigreturn_result> pop_signal_frame(const address_space& mem, kvm_regs& r) noexcept {
  signal_frame f;
  auto got = mem.read_bytes(r.rsp - 8, std::as_writable_bytes(std::span(&f, 1)));
  if (!got || *got != sizeof f) return std::nullopt;
  r.r8 = f.r8, r.r9 = f.r9, r.r10 = f.r10, r.r12 = f.r12, r.r13 = f.r13, r.r14 = f.r14, r.r15 = f.r15;
  r.rdi = f.rdi, r.rsi = f.rsi, r.rbp = f.rbp, r.rbx = f.rbx, r.rdx = f.rdx, r.rsp = f.rsp;
  r.rcx = f.rip;  // the syscall entry returns there
  r.r11 = f.eflags;
  r.rflags = (f.eflags & 0xCD5) | 0x202;  // arithmetic flags and DF; IF on, as at user level
  return sigreturn_result{f.uc_sigmask, static_cast<long>(f.rax)};
}

}  // namespace snare::backend::hypercall_detail
