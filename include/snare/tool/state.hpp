// Defines a tool's state traits: snare::thread_state_t, process_state_t and global_state_t
// (snare::no_state when the tool declares none).
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

/// The per-thread, per-process and global state types of a tool (no_state when undeclared).
template <class Tool>
using thread_state_t = detail::member_type_or_t<no_state, detail::thread_state_member, Tool>;
template <class Tool>
using process_state_t = detail::member_type_or_t<no_state, detail::process_state_member, Tool>;
template <class Tool>
using global_state_t = detail::member_type_or_t<no_state, detail::global_state_member, Tool>;

}  // namespace snare
