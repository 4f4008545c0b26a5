// Defines snare::backend::hypercall_detail::syscall_service: how a micro-VM performs its
// guest's system calls, the way Linux would. What is the VM's own (memory, TLS, threads,
// signals, exit) is emulated; everything else runs in the host process, where guest
// pointers are host pointers. Fork and exec are refused with ENOSYS.
#pragma once

#include <linux/kvm.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <span>
#include <string>

#include <snare/backend/hypercall/detail/kvm.hpp>
#include <snare/backend/hypercall/detail/signals.hpp>
#include <snare/backend/hypercall/detail/threads.hpp>
#include <snare/sys/call.hpp>

namespace snare::backend::hypercall_detail {

/// The guest's system calls, performed for the calling vCPU. The base of vm (vm.hpp), above
/// thread_group.
class syscall_service : public thread_group {
 public:
  /// Performs syscall `c` for the guest, the way Linux would: memory, TLS, signal-state and
  /// exit calls are emulated by the VM; fork/clone/exec return -ENOSYS (with a diagnostic);
  /// everything else runs in the host process, where guest pointers are host pointers.
  /// Returns the raw value (-errno on failure).
  long execute(const sys::raw_call& c) noexcept {
    auto a = c.args;
    switch (c.number) {
      case SYS_brk: {
        std::lock_guard l(mu_);
        return mem_.do_brk(a[0]);
      }
      case SYS_mmap: {
        std::lock_guard l(mu_);
        return mem_.do_mmap(a[0], a[1], a[2], a[3], a[4], a[5]);
      }
      case SYS_munmap: {
        std::lock_guard l(mu_);
        return mem_.do_munmap(a[0], a[1]);
      }
      case SYS_mprotect: {
        std::lock_guard l(mu_);
        return mem_.do_mprotect(a[0], a[1]);
      }
      case SYS_madvise: {
        std::lock_guard l(mu_);
        return mem_.do_madvise(a[0], a[1], a[2]);
      }
      case SYS_mremap: {
        std::lock_guard l(mu_);
        return mem_.do_mremap(a[0], a[1], a[2], a[3]);
      }
      case SYS_arch_prctl:
        return arch_prctl(a[0], a[1]);
      case SYS_exit:
        return thread_exit(static_cast<int>(a[0] & 0xFF));
      case SYS_exit_group:
        finish(exit_status::exited(static_cast<int>(a[0] & 0xFF)));
        return 0;
      case SYS_set_tid_address:
        current_->clear_child_tid = a[0];
        return current_->tid;
      case SYS_set_robust_list:
        return 0;
      case SYS_rseq:
        return -ENOSYS;
      case SYS_rt_sigaction: {
        std::lock_guard l(mu_);
        return signals_.sigaction(mem_, a[0], a[1], a[2], a[3]);
      }
      case SYS_rt_sigprocmask: {
        long r;
        {
          std::lock_guard l(mu_);
          r = signals_.sigprocmask(mem_, a[0], a[1], a[2], a[3]);
        }
        return r == 0 ? deliver_pending() : r;
      }
      case SYS_rt_sigreturn:
        return sigreturn();
      case SYS_sigaltstack:
        if (a[1] != 0) {
          stack_t none{nullptr, SS_DISABLE, 0};
          if (!mem_.write_bytes(a[1], std::as_bytes(std::span(&none, 1)))) return -EFAULT;
        }
        return 0;
      case SYS_clone:
        if ((a[0] & (CLONE_VM | CLONE_THREAD)) == (CLONE_VM | CLONE_THREAD))
          return clone_thread(a[0], a[1], a[2], a[3], a[4]);
        [[fallthrough]];
      case SYS_fork:
      case SYS_vfork:
      case SYS_execve:
      case SYS_execveat:
        note("unsupported syscall " + std::to_string(c.number) +
             " (fork/exec are not supported by the hypercall backend yet; threads are)");
        return -ENOSYS;
      case SYS_clone3:  // libcs fall back to clone on ENOSYS, which starts threads
        return -ENOSYS;
      // The VM is the guest's whole world, one process: a signal to any other pid, a process
      // group or every process (-1) finds nobody there (ESRCH), and never reaches the host's
      // processes, which the call would otherwise signal with the tracer's rights.
      case SYS_kill:
        if (static_cast<pid_t>(a[0]) == ::getpid() || a[0] == 0) return self_signal(static_cast<int>(a[1]));
        return -ESRCH;
      case SYS_tkill:
        if (is_own_thread(static_cast<pid_t>(a[0]))) return self_signal(static_cast<int>(a[1]));
        return -ESRCH;
      case SYS_tgkill:
        if (is_own_thread(static_cast<pid_t>(a[1]))) return self_signal(static_cast<int>(a[2]));
        return -ESRCH;
      case SYS_rt_sigqueueinfo:  // to itself: run by the host as for any call; to others: none
        if (static_cast<pid_t>(a[0]) == ::getpid()) break;
        return -ESRCH;
      case SYS_rt_tgsigqueueinfo:
        if (is_own_thread(static_cast<pid_t>(a[1]))) break;
        return -ESRCH;
      case SYS_pidfd_open:  // a pidfd of a host process would let pidfd_send_signal reach it
        if (static_cast<pid_t>(a[0]) == ::getpid()) break;
        return -ESRCH;
      case SYS_readlink:  // /proc/self is the tracer: answer /proc/self/exe with the guest's file
        if (is_proc_self_exe(a[0])) return copy_exe_path(a[1], a[2]);
        break;
      case SYS_readlinkat:
        if (is_proc_self_exe(a[1])) return copy_exe_path(a[2], a[3]);
        break;
      case SYS_close:
        if (static_cast<int>(a[0]) >= reserved_fd_floor) return -EBADF;
        break;
      case SYS_dup2:
      case SYS_dup3:
        if (static_cast<int>(a[1]) >= reserved_fd_floor) return -EBADF;
        break;
      case SYS_close_range:
        if (a[0] >= static_cast<std::uint64_t>(reserved_fd_floor)) return 0;
        a[1] = std::min<std::uint64_t>(a[1], reserved_fd_floor - 1);
        break;
      default:
        break;
    }
    return host_syscall(c.number, a[0], a[1], a[2], a[3], a[4], a[5]);
  }

 protected:
  explicit syscall_service(vm_options opts) : thread_group(std::move(opts)) {}
  ~syscall_service() = default;

 private:
  // --- emulated process state ------------------------------------------------------------

  bool is_proc_self_exe(std::uint64_t path) const noexcept {
    static constexpr char self_exe[] = "/proc/self/exe";
    char buf[sizeof self_exe]{};
    auto n = mem_.read_bytes(path, std::as_writable_bytes(std::span(buf)));
    return n && *n == sizeof buf && std::memcmp(buf, self_exe, sizeof buf) == 0;
  }
  long copy_exe_path(std::uint64_t buf, std::uint64_t size) noexcept {
    std::size_t n = std::min<std::size_t>(exe_path_.size(), size);
    if (!mem_.write_bytes(buf, std::as_bytes(std::span(exe_path_.data(), n)))) return -EFAULT;
    return static_cast<long>(n);
  }

  long arch_prctl(std::uint64_t code, std::uint64_t addr) noexcept {
    constexpr std::uint64_t set_gs = 0x1001, set_fs = 0x1002, get_fs = 0x1003, get_gs = 0x1004;
    if (code == set_fs || code == set_gs) {
      kvm_sregs s{};
      if (!kvm_ioctl(current_->fd.get(), KVM_GET_SREGS, &s)) return -EIO;
      (code == set_fs ? s.fs : s.gs).base = addr;
      if (!kvm_ioctl(current_->fd.get(), KVM_SET_SREGS, &s)) return -EIO;
      return 0;
    }
    if (code == get_fs || code == get_gs) {
      kvm_sregs s{};
      if (!kvm_ioctl(current_->fd.get(), KVM_GET_SREGS, &s)) return -EIO;
      std::uint64_t v = (code == get_fs ? s.fs : s.gs).base;
      return mem_.write_bytes(addr, std::as_bytes(std::span(&v, 1))) ? 0 : -EFAULT;
    }
    return -EINVAL;
  }

  // --- signals (signals.hpp) -------------------------------------------------------------

  // A signal the guest sends itself (kill/tkill/tgkill, so raise() and abort()): ignored,
  // fatal, left pending while blocked, or run in the guest's handler right when the call
  // returns, on a frame laid out as Linux's rt_sigframe.
  long self_signal(int sig) noexcept {
    if (sig == 0) return 0;
    if (sig < 1 || sig > 64) return -EINVAL;
    self_signal_effect effect;
    {
      std::lock_guard l(mu_);
      effect = signals_.send_self(sig);
    }
    switch (effect) {
      case self_signal_effect::ignored:
      case self_signal_effect::pending:
        return 0;
      case self_signal_effect::handled:
        return deliver_signal(sig, 0);
      case self_signal_effect::fatal:
        break;
    }
    note("the guest sent itself signal " + std::to_string(sig));
    finish(exit_status::killed(sig));
    return 0;
  }

  // Runs the handler of `sig` when the current syscall (returning `ret`) returns to the guest.
  long deliver_signal(int sig, long ret) noexcept {
    signal_state::delivery d;
    {
      std::lock_guard l(mu_);
      d = signals_.begin_delivery(sig);
    }
    auto pushed = push_signal_frame(mem_, regs(), sig, d, ret);
    if (!pushed) {
      bool no_restorer = pushed.error() == std::errc::operation_not_supported;
      note(no_restorer ? "signal " + std::to_string(sig) + " has a handler without SA_RESTORER"
                       : "no room for the frame of signal " + std::to_string(sig));
      finish(exit_status::killed(no_restorer ? sig : SIGSEGV));
      return ret;
    }
    current_->dirty |= KVM_SYNC_X86_REGS;
    return ret;
  }

  // Delivers the lowest pending signal that is no longer blocked, if any (after sigprocmask).
  long deliver_pending() noexcept {
    int sig = 0;
    {
      std::lock_guard l(mu_);
      sig = signals_.take_unblocked_pending();
    }
    return sig == 0 ? 0 : self_signal(sig);
  }

  // rt_sigreturn: the registers and mask saved in the frame at rsp - 8 come back.
  long sigreturn() noexcept {
    auto back = pop_signal_frame(mem_, regs());
    if (!back) {
      note("rt_sigreturn with no signal frame");
      finish(exit_status::killed(SIGSEGV));
      return 0;
    }
    current_->dirty |= KVM_SYNC_X86_REGS;
    {
      std::lock_guard l(mu_);
      signals_.restore_mask(back->mask);
    }
    return back->value;  // what the interrupted call returned
  }

  signal_state signals_;  // guarded by mu_
};

}  // namespace snare::backend::hypercall_detail
