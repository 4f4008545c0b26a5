// Defines a tool's state traits: snare::thread_state_t, process_state_t and global_state_t
// (snare::no_state when the tool declares none), and snare::from_parent, the constructor tag
// by which a state type says how a new thread's or process's state is built from its
// parent's.
// Part of the tool model: see snare/tool.hpp.
#pragma once

#include <snare/detail/member_type.hpp>

namespace snare {

/// The state type used when a tool declares none.
struct no_state {};

namespace detail {
template <class Tool>
using thread_state_member = typename Tool::thread_state;
template <class Tool>
using process_state_member = typename Tool::process_state;
template <class Tool>
using global_state_member = typename Tool::global_state;
}  // namespace detail

/// The tag of a state's constructor from its parent's: a thread_state with a constructor
/// `thread_state(snare::from_parent_t, const thread_state& parent)` gets, for each new thread
/// whose creating thread the backend knows, the state built from that thread's state as it
/// was when the new thread was reported (for ptrace: the parent's clone/fork/vfork event); a
/// process_state with such a constructor gets its parent process's at fork. Without the
/// constructor, or when the parent is not known, the state is value-initialised.
struct from_parent_t {
  explicit from_parent_t() = default;
};
inline constexpr from_parent_t from_parent{};

/// Says whether State is built from its parent's (it has the from_parent constructor).
template <class State>
concept inherits_from_parent = requires(const State& parent) {
  State(from_parent, parent);
};

/// The per-thread, per-process and global state types of a tool (no_state when undeclared).
template <class Tool>
using thread_state_t = detail::member_type_or_t<no_state, detail::thread_state_member, Tool>;
template <class Tool>
using process_state_t = detail::member_type_or_t<no_state, detail::process_state_member, Tool>;
template <class Tool>
using global_state_t = detail::member_type_or_t<no_state, detail::global_state_member, Tool>;

}  // namespace snare
