// Defines snare::active_subscription: the subscription an engine checks at each event and
// builds its BPF program from. For a tool without a run-time subscription it is the
// compile-time constant, as fast as a hand-written check; for a tool with one
// (has_runtime_subscription) it is a member set once when the engine is made, and the
// program is built then.
#pragma once

#include <memory>

#include <snare/bpf/filter.hpp>
#include <snare/subscription/runtime.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/syscall_set.hpp>

namespace snare {

/// The subscription of Tool with guest handle Guest over the typed calls of Table, fixed at
/// compile time: `subscription` is a static constant (engines read `subscription.entry`,
/// `subscription.exit`), and `compiled_subscription` the same.
template <class Tool, class Guest, class Table, bool AtRunTime = has_runtime_subscription<Tool>>
class active_subscription {
 public:
  /// What the tool's handlers can receive, derived at compile time (subscription_of).
  static constexpr subscription_info compiled_subscription = subscription_of<Tool, Guest, Table>;
  /// What the engine traps and dispatches: the compile-time subscription.
  static constexpr subscription_info subscription = compiled_subscription;

  constexpr explicit active_subscription(Tool&) noexcept {}

 protected:
  /// Returns the BPF program Build{}(entry set) builds (Build: a captureless lambda taking a
  /// const syscall_set&), made at compile time.
  template <class Build>
  static const bpf::program& filter_program(Build) noexcept {
    static constexpr bpf::program program = Build{}(subscription.entry);
    return program;
  }
};

/// The subscription of a tool that chooses it at run time: `subscription` is its
/// runtime_subscription() narrowed from the compile-time one (narrow_subscription), read when
/// the engine is made; the constructor throws std::invalid_argument when it names calls the
/// handlers cannot receive.
template <class Tool, class Guest, class Table>
class active_subscription<Tool, Guest, Table, true> {
 public:
  /// What the tool's handlers can receive, derived at compile time (subscription_of).
  static constexpr subscription_info compiled_subscription = subscription_of<Tool, Guest, Table>;
  /// What the engine traps and dispatches: the tool's run-time subscription.
  subscription_info subscription;

  explicit active_subscription(Tool& tool)
      : subscription(narrow_subscription(compiled_subscription, tool.runtime_subscription())) {}

 protected:
  /// Returns the BPF program `build(entry set)` builds, made now and kept with the engine.
  template <class Build>
  const bpf::program& filter_program(Build build) {
    program_ = std::make_unique<bpf::program>(build(subscription.entry));
    return *program_;
  }

 private:
  std::unique_ptr<bpf::program> program_;
};

}  // namespace snare
