// Defines which typed syscall table the engines use for a tool: the tool's own
// `syscall_table` (a list of typed calls) when it names one, else every typed call of the
// architecture (the native one unless told otherwise).
#pragma once

#include <snare/arch/native.hpp>
#include <snare/detail/member_type.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/native.hpp>

namespace snare::detail {

template <class Arch>
struct typed_table_of {
  static_assert(
      requires { typename sys::table<Arch>::all_types; },
      "snare: no typed syscall table for this Arch: include its table, <snare/sys/<arch>.hpp> "
      "(x86-64 and aarch64 have one)");
  using type = typename sys::table<Arch>::all_types;
};

/// The typed calls engines know when a tool names none: every syscall of Arch.
template <class Arch = arch::native>
using default_syscall_table = typename typed_table_of<Arch>::type;

template <class Tool>
using syscall_table_member = typename Tool::syscall_table;

}  // namespace snare::detail

namespace snare {
/// The list of typed calls the engine dispatches for Tool: the tool's `syscall_table` when
/// it names one, else every typed call of Arch (whose table header must be included).
template <class Tool, class Arch = arch::native>
using syscall_table_t =
    detail::member_type_or_t<detail::default_syscall_table<Arch>, detail::syscall_table_member, Tool>;
}  // namespace snare
