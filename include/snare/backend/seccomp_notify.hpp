// Defines snare::backend::seccomp_notify: the backend that traps subscribed syscalls with a
// seccomp filter returning SECCOMP_RET_USER_NOTIF and answers them from the supervisor
// through the listener fd: one notify round trip per call, no ptrace stop.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include <snare/backend/concept.hpp>
#include <snare/host/feature.hpp>

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
  static constexpr bool can_backtrace = false;           // no register file of the guest thread
  static constexpr bool can_follow_process_tree = true;  // the filter is inherited by every child

  /// The engine running one guest under Tool.
  template <class Tool>
  using engine = seccomp_notify_detail::engine<Tool>;

  /// The host features every run needs: seccomp filters and user notification.
  static constexpr std::array<host_feature, 2> host_requirements{host_feature::seccomp_filter,
                                                                 host_feature::seccomp_user_notif};
  /// Returns the host feature capability `c` needs here: none (what this backend can do
  /// needs nothing beyond host_requirements).
  static constexpr std::optional<host_feature> host_feature_for(capability) noexcept { return std::nullopt; }
};

}  // namespace snare::backend

#include <snare/backend/seccomp_notify/engine.hpp>
