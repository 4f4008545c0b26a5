// Defines which typed syscall table the engines use for a tool: the tool's own
// `syscall_table` (a list of typed calls) when it names one, else the x86-64 table.
#pragma once

#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::detail {

/// The typed calls engines know when a tool names none: every x86-64 syscall.
using default_syscall_table = sys::x86_64::all_types;

template <class Tool>
struct syscall_table_of {
  using type = default_syscall_table;
};
template <class Tool>
requires requires { typename Tool::syscall_table; }
struct syscall_table_of<Tool> {
  using type = typename Tool::syscall_table;
};

}  // namespace snare::detail

namespace snare {
/// The list of typed calls the engine dispatches for Tool.
template <class Tool>
using syscall_table_t = typename detail::syscall_table_of<Tool>::type;
}  // namespace snare
