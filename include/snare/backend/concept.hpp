// Defines the backend concept (the policy that traps guest events), its capability flags,
// and the compile-time check that a tool only uses capabilities its backend has.
//
// Minimal complete definition of a backend `B` (models: snare::backend::ptrace; to come:
// snare::backend::seccomp_notify, snare::backend::hypercall):
//
//   struct B {
//     static constexpr std::string_view name = "b";   // shown in diagnostics
//     // One flag per snare::capability, all eleven present:
//     static constexpr bool can_modify_args, can_inject, can_read_memory, can_write_memory,
//         can_intercept_rdtsc, can_intercept_cpuid, can_add_fd, can_observe_exit,
//         can_observe_signals, can_backtrace, can_follow_process_tree;
//     // The host features the backend always needs (snare/host.hpp), checked before
//     // any guest starts, and the one a capability needs on this backend, if any:
//     static constexpr std::array<snare::host_feature, N> host_requirements{...};
//     static constexpr std::optional<snare::host_feature> host_feature_for(snare::capability);
//     // The engine that runs one guest under one tool:
//     template <class Tool> class engine {
//      public:
//       using guest_type = ...;                     // the handle handlers receive; models
//                                                   // snare::guest_handle (guest/handle.hpp)
//       // Serves one run; `global` is the run's global state, owned by the tracer so that
//       // the tool reads it after the run.
//       engine(Tool& tool, const snare::run_options& options, snare::global_state_t<Tool>& global);
//       // Starts argv[0] (PATH lookup) with argv and serves events until every guest
//       // process is gone; returns the guest's exit code (128+N when killed by signal N,
//       // 127 when the command cannot be run, exit_host_unsupported when the host lacks
//       // what the run needs: detail::check_host). Rethrows a handler's exception.
//       int run(std::span<const char* const> argv);
//       // The same for a snare::command prepared by snare::detail::prepare_launch
//       // (engine/detail/launch.hpp; what tracer::run(command) calls): applies what the
//       // backend can give, refuses the rest before the guest starts (127 and the reason).
//       int run(snare::detail::launch_plan& plan);
//     };
//   };
//
// A backend's engine should be built from the shared layers so every backend behaves the
// same: snare::subscription_of (which calls, which exits), snare::bpf::build_filter (the
// seccomp program, with its return action for trapped calls), snare::dispatch (number ->
// typed handler), snare::fiber (one fiber per guest thread) and snare::guest_base (the
// handle's common operations and capability checks).
//
// A capability is compile-time: it says the backend can do it at all. Whether this host
// supports it (CPUID faulting, for instance) is a run-time question answered by the host
// probes (snare/host.hpp) before the guest starts: refused, or run without it
// (run_options::on_missing_host_feature); tests skip with the probe's reason.
#pragma once

#include <concepts>
#include <optional>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>

#include <snare/engine/options.hpp>
#include <snare/host/feature.hpp>
#include <snare/result.hpp>
#include <snare/tool.hpp>

namespace snare {

/// Satisfied by a backend policy (snare::backend::ptrace, ...): see the minimal complete definition above.
template <class B>
concept backend_policy = requires {
  { B::name } -> std::convertible_to<std::string_view>;
  { B::can_modify_args } -> std::convertible_to<bool>;
  { B::can_inject } -> std::convertible_to<bool>;
  { B::can_read_memory } -> std::convertible_to<bool>;
  { B::can_write_memory } -> std::convertible_to<bool>;
  { B::can_intercept_rdtsc } -> std::convertible_to<bool>;
  { B::can_intercept_cpuid } -> std::convertible_to<bool>;
  { B::can_add_fd } -> std::convertible_to<bool>;
  { B::can_observe_exit } -> std::convertible_to<bool>;
  { B::can_observe_signals } -> std::convertible_to<bool>;
  { B::can_backtrace } -> std::convertible_to<bool>;
  { B::can_follow_process_tree } -> std::convertible_to<bool>;
  { B::host_requirements } -> std::ranges::range;
  { B::host_feature_for(capability{}) } -> std::same_as<std::optional<host_feature>>;
};

namespace detail {
template <class Tool, class Guest, template <class...> class List, class... Calls>
constexpr bool any_exit_handler(List<Calls...>*) noexcept {
  return has_generic_exit_handler<Tool, Guest> || (has_exit_handler<Tool, Calls, Guest> || ...);
}
template <class Tool, class Guest, template <class...> class List, class... Calls>
constexpr bool any_call_by_reference(List<Calls...>*) noexcept {
  return takes_call_by_reference<Tool, unknown_call, Guest> ||
         (takes_call_by_reference<Tool, Calls, Guest> || ...);
}
}  // namespace detail

/// Checks at compile time that Tool's handlers and its explicit `needs` only use
/// capabilities Backend has (Guest is the backend's handle type, Table the list of typed
/// calls the engine dispatches: sys::x86_64::all_types, ...). Returns true.
template <class Backend, class Tool, class Guest, class Table>
constexpr bool check_tool_capabilities() noexcept {
  if constexpr (detail::any_exit_handler<Tool, Guest>(static_cast<Table*>(nullptr)))
    require_capability<Backend, capability::can_observe_exit>();
  // Nested, so that backends that can modify arguments never instantiate the fold over
  // every typed call (a measurable share of a tool's compile time).
  if constexpr (!Backend::can_modify_args) {
    if constexpr (detail::any_call_by_reference<Tool, Guest>(static_cast<Table*>(nullptr)))
      require_capability<Backend, capability::can_modify_args>();
  }
  if constexpr (has_signal_handler<Tool, Guest> || has_stop_handler<Tool, Guest>)
    require_capability<Backend, capability::can_observe_signals>();
  if constexpr (has_rdtsc_handler<Tool, Guest>)
    require_capability<Backend, capability::can_intercept_rdtsc>();
  if constexpr (has_cpuid_handler<Tool, Guest>)
    require_capability<Backend, capability::can_intercept_cpuid>();
  static_assert(detail::explicit_needs_check<Backend, typename detail::explicit_needs_of<Tool>::type>::value);
  return true;
}

}  // namespace snare
