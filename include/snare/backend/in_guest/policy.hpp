// Defines snare::backend::in_guest, the policy class alone (its capabilities and host
// requirements), so that the guest-side headers (agent.hpp, guest.hpp) name it without the
// tracer's engine. Include <snare/backend/in_guest.hpp> for the backend with its engine.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include <snare/backend/concept.hpp>
#include <snare/host/feature.hpp>

namespace snare::backend {

namespace in_guest_detail {
template <class Tool>
class engine;
}  // namespace in_guest_detail

/// The in-guest backend. A handler runs in the trapping thread itself: it may change the
/// call's arguments, run other calls there (inject: a direct call the runtime does not
/// trap), see exits, and read and write memory (its own address space, through
/// process_vm_readv/writev on itself, so that a bad pointer is an error, never a crash).
/// It sees no signals (the guest's handlers run as natively; SIGSYS is the runtime's), no
/// RDTSC or CPUID, cannot add fds from the tracer (the handler can open them itself) and
/// takes no backtraces yet. Dynamic executables only: a static one is refused (127).
struct in_guest {
  static constexpr std::string_view name = "in_guest";
  static constexpr bool can_modify_args = true;          // the frame the runtime passes is the call
  static constexpr bool can_inject = true;               // runtime's untrapped_syscall in the thread
  static constexpr bool can_read_memory = true;          // process_vm_readv on itself
  static constexpr bool can_write_memory = true;         // process_vm_writev on itself
  static constexpr bool can_intercept_rdtsc = false;     // would need PR_TSC_SIGSEGV + SIGSEGV ownership
  static constexpr bool can_intercept_cpuid = false;     // would need ARCH_SET_CPUID + SIGSEGV ownership
  static constexpr bool can_add_fd = false;              // no tracer-side fd install (SCM_RIGHTS not wired)
  static constexpr bool can_observe_exit = true;         // the runtime's exit hook
  static constexpr bool can_observe_signals = false;     // the runtime owns SIGSYS only; no delivery hook
  static constexpr bool can_backtrace = false;           // not wired (libunwind local would work; not done)
  static constexpr bool can_follow_process_tree = true;  // the runtime re-arms SUD in children, after exec

  /// The engine (tracer side) running one guest under Tool.
  template <class Tool>
  using engine = in_guest_detail::engine<Tool>;

  /// The host features every run needs: Syscall User Dispatch.
  static constexpr std::array<host_feature, 1> host_requirements{host_feature::syscall_user_dispatch};
  /// Returns the host feature capability `c` needs here: none beyond host_requirements.
  static constexpr std::optional<host_feature> host_feature_for(capability) noexcept { return std::nullopt; }
};

}  // namespace snare::backend
