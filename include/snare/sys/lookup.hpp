// Defines the architecture-generic syscall lookups: snare::sys::table<Arch> (specialised by
// each generated table) and number <-> name <-> descriptor over any architecture.
// Per-architecture shortcuts live in the generated headers.
#pragma once

#include <cstdint>
#include <string_view>

#include <snare/sys/arg.hpp>
#include <snare/sys/call_list.hpp>
#include <snare/sys/detail/table.hpp>
#include <snare/sys/syscall_set.hpp>

namespace snare::sys {

/// The syscall table of architecture `Arch`. Each generated header specialises it with
///   `descriptors` (a std::array<syscall_desc, max+1> indexed by number),
///   `by_name` (the numbers sorted by name),
/// and for typed tables `by_number<Nr>` and `all_types` (a call_list).
template <class Arch>
struct table;

/// Returns the descriptor of syscall `nr` of `Arch`, or nullptr when it has none.
template <class Arch>
constexpr const syscall_desc* descriptor(long nr) noexcept {
  return detail::find_descriptor(table<Arch>::descriptors, nr);
}

/// Returns the name of syscall `nr` of `Arch`, or an empty string_view when it has none.
template <class Arch>
constexpr std::string_view name_of(long nr) noexcept {
  return detail::find_name(table<Arch>::descriptors, nr);
}

/// Returns the number of the syscall of `Arch` called `name`, or -1 when it has none.
template <class Arch>
constexpr long number_of(std::string_view name) noexcept {
  return detail::find_number(table<Arch>::descriptors, table<Arch>::by_name, name);
}

/// The typed call of syscall `Nr` of `Arch` (x86-64 and aarch64).
template <class Arch, long Nr>
using call_t = typename table<Arch>::template by_number<Nr>::type;

/// The syscall numbers of `Arch` in every class of `Classes`, as a constexpr syscall_set.
template <class Arch, std::uint16_t Classes>
inline constexpr auto class_numbers = detail::numbers_in_class<Classes>(table<Arch>::descriptors);

}  // namespace snare::sys
