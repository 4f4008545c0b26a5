// Defines snare::backend::seccomp_notify: the backend that traps subscribed syscalls with a
// seccomp filter returning SECCOMP_RET_USER_NOTIF and answers them from the supervisor
// through the listener fd: one notify round trip per call, no ptrace stop.
#pragma once

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string_view>

#include <snare/backend/concept.hpp>
#include <snare/result.hpp>

namespace snare::backend {

namespace seccomp_notify_detail {
template <class Tool>
class engine;
}  // namespace seccomp_notify_detail

/// The seccomp user-notification backend. It observes arguments, reads and writes guest
/// memory (checked against the pending notification), lets a call run, answers it with a
/// value or an errno, and installs fds into the guest. It cannot change arguments, run a
/// syscall in the guest, see syscall exits or signals, nor take backtraces: a tool that
/// needs those fails to compile naming the capability and this backend.
/// See docs/seccomp_notify.md for what the lifecycle events can and cannot tell.
struct seccomp_notify {
  static constexpr std::string_view name = "seccomp_notify";
  static constexpr bool can_modify_args = false;  // the kernel runs the call with its own registers
  static constexpr bool can_inject = false;       // the supervisor is not the guest thread
  static constexpr bool can_read_memory = true;   // process_vm_readv + NOTIF_ID_VALID
  static constexpr bool can_write_memory = true;  // process_vm_writev + NOTIF_ID_VALID
  static constexpr bool can_intercept_rdtsc = false;
  static constexpr bool can_intercept_cpuid = false;
  static constexpr bool can_add_fd = true;         // SECCOMP_IOCTL_NOTIF_ADDFD (and its SEND form)
  static constexpr bool can_observe_exit = false;  // CONTINUE hands the call to the kernel for good
  static constexpr bool can_observe_signals = false;
  static constexpr bool can_backtrace = false;  // no register file of the guest thread

  /// The engine running one guest under Tool.
  template <class Tool>
  using engine = seccomp_notify_detail::engine<Tool>;

  /// Returns whether this kernel supports SECCOMP_RET_USER_NOTIF (errors: the errno of
  /// SECCOMP_GET_ACTION_AVAIL, EOPNOTSUPP when the action is unknown).
  static result<void> available() noexcept {
    std::uint32_t action = SECCOMP_RET_USER_NOTIF;
    if (::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0)
      return result<void>::from_errno(errno);
    return {};
  }
};

}  // namespace snare::backend

#include <snare/backend/seccomp_notify/engine.hpp>
