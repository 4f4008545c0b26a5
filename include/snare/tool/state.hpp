// Defines a tool's state traits: snare::thread_state_t, process_state_t and global_state_t
// (snare::no_state when the tool declares none).
// Part of the tool model: see snare/tool.hpp.
#pragma once

namespace snare {

/// The state type used when a tool declares none.
struct no_state {};

namespace detail {
template <class Tool>
struct thread_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::thread_state; }
struct thread_state_of<Tool> {
  using type = typename Tool::thread_state;
};
template <class Tool>
struct process_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::process_state; }
struct process_state_of<Tool> {
  using type = typename Tool::process_state;
};
template <class Tool>
struct global_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::global_state; }
struct global_state_of<Tool> {
  using type = typename Tool::global_state;
};
}  // namespace detail

/// The per-thread, per-process and global state types of a tool (no_state when undeclared).
template <class Tool>
using thread_state_t = typename detail::thread_state_of<Tool>::type;
template <class Tool>
using process_state_t = typename detail::process_state_of<Tool>::type;
template <class Tool>
using global_state_t = typename detail::global_state_of<Tool>::type;

}  // namespace snare
