// Defines snare::call_list, a compile-time list of typed calls: a table's calls
// (sys::x86_64::all_types), the table a tool names (`using syscall_table = ...`), or a subset.
#pragma once

#include <cstddef>

namespace snare {

/// A list of typed calls with no behaviour; snare/sys/hana.hpp turns it into a Boost.Hana
/// tuple_t where type-level work needs one.
template <class... Calls>
struct call_list {
  static constexpr std::size_t size = sizeof...(Calls);
};

}  // namespace snare
