// Defines snare::capability (what a backend can do at all), snare::needs (a tool's explicit
// statement of them), and snare::require_capability: the compile-time check that fails,
// naming the capability and the backend, when a backend lacks one.
// Part of the tool model: see snare/tool.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace snare {

/// Names a capability a backend may have (see snare/backend/concept.hpp).
enum class capability : std::uint8_t {
  can_modify_args,
  can_inject,
  can_read_memory,
  can_write_memory,
  can_intercept_rdtsc,
  can_intercept_cpuid,
  can_add_fd,
  can_observe_exit,
  can_observe_signals,
  can_backtrace,
  can_follow_process_tree,  ///< the guest may fork, vfork and exec; every process is followed
};

/// Returns the name of a capability ("can_intercept_rdtsc").
constexpr std::string_view name_of(capability c) noexcept {
  constexpr std::string_view names[] = {"can_modify_args",
                                        "can_inject",
                                        "can_read_memory",
                                        "can_write_memory",
                                        "can_intercept_rdtsc",
                                        "can_intercept_cpuid",
                                        "can_add_fd",
                                        "can_observe_exit",
                                        "can_observe_signals",
                                        "can_backtrace",
                                        "can_follow_process_tree"};
  return names[static_cast<std::size_t>(c)];
}

/// An explicit statement of capabilities a tool needs: `using needs = snare::needs<...>;`.
template <capability... Caps>
struct needs {};

/// Every capability, in enum order.
inline constexpr capability all_capabilities[] = {
    capability::can_modify_args,
    capability::can_inject,
    capability::can_read_memory,
    capability::can_write_memory,
    capability::can_intercept_rdtsc,
    capability::can_intercept_cpuid,
    capability::can_add_fd,
    capability::can_observe_exit,
    capability::can_observe_signals,
    capability::can_backtrace,
    capability::can_follow_process_tree,
};

/// Returns whether backend B (any type with the eleven `static constexpr bool can_*` flags,
/// see snare/backend/concept.hpp) has capability C.
template <class B>
constexpr bool has_capability(capability c) noexcept {
  switch (c) {
    case capability::can_modify_args:
      return B::can_modify_args;
    case capability::can_inject:
      return B::can_inject;
    case capability::can_read_memory:
      return B::can_read_memory;
    case capability::can_write_memory:
      return B::can_write_memory;
    case capability::can_intercept_rdtsc:
      return B::can_intercept_rdtsc;
    case capability::can_intercept_cpuid:
      return B::can_intercept_cpuid;
    case capability::can_add_fd:
      return B::can_add_fd;
    case capability::can_observe_exit:
      return B::can_observe_exit;
    case capability::can_observe_signals:
      return B::can_observe_signals;
    case capability::can_backtrace:
      return B::can_backtrace;
    case capability::can_follow_process_tree:
      return B::can_follow_process_tree;
  }
  return false;
}

namespace detail {

// Instantiated only when Backend lacks C: the static_assert whose condition names C fires,
// and the compiler's "in instantiation of backend_lacks_capability<Backend, C>" line names
// the backend. One literal per capability, since C++20 messages must be literals.
template <class Backend, capability C>
struct backend_lacks_capability {
  static_assert(C != capability::can_modify_args,
                "snare: the tool changes syscall arguments (capability can_modify_args), which this "
                "backend lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_inject,
                "snare: the tool injects syscalls (capability can_inject), which this backend lacks: see "
                "backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_read_memory,
                "snare: the tool reads guest memory (capability can_read_memory), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_write_memory,
                "snare: the tool writes guest memory (capability can_write_memory), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_intercept_rdtsc,
                "snare: the tool handles RDTSC (capability can_intercept_rdtsc), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_intercept_cpuid,
                "snare: the tool handles CPUID (capability can_intercept_cpuid), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_add_fd,
                "snare: the tool adds file descriptors to the guest (capability can_add_fd), which "
                "this backend lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_observe_exit,
                "snare: the tool handles syscall exits (capability can_observe_exit), which this "
                "backend lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_observe_signals,
                "snare: the tool handles signals (capability can_observe_signals), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_backtrace,
                "snare: the tool takes guest backtraces (capability can_backtrace), which this backend "
                "lacks: see backend_lacks_capability<Backend, ...> above");
  static_assert(C != capability::can_follow_process_tree,
                "snare: the tool follows a guest that forks or execs (capability can_follow_process_tree), "
                "which this backend lacks: see backend_lacks_capability<Backend, ...> above");
  static constexpr bool value = false;
};

template <class Backend, capability C>
struct capability_check {
  static constexpr bool value = true;
};
template <class Backend, capability C>
requires(!has_capability<Backend>(C)) struct capability_check<Backend, C> {
  static constexpr bool value = backend_lacks_capability<Backend, C>::value;
};

template <class Backend, class Needs>
struct explicit_needs_check {
  static constexpr bool value = true;
};
template <class Backend, capability... Caps>
struct explicit_needs_check<Backend, needs<Caps...>> {
  static constexpr bool value = (capability_check<Backend, Caps>::value && ...);
};

template <class Tool>
struct explicit_needs_of {
  using type = needs<>;
};
template <class Tool>
requires requires { typename Tool::needs; }
struct explicit_needs_of<Tool> {
  using type = typename Tool::needs;
};

}  // namespace detail

/// Fails to compile, naming the capability and the backend, when Backend lacks C. Guest
/// operations call it, so a tool fails where it uses what the backend cannot do.
template <class Backend, capability C>
constexpr void require_capability() noexcept {
  static_assert(detail::capability_check<Backend, C>::value);
}

}  // namespace snare
