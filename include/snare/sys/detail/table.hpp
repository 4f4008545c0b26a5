// Defines the internals of the syscall lookups: searches over a generated descriptor array
// and its by-name index, and the class sets computed from the descriptors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/sys/arg.hpp>
#include <snare/sys/syscall_set.hpp>

namespace snare::sys::detail {

template <std::size_t N>
constexpr const syscall_desc* find_descriptor(const std::array<syscall_desc, N>& table, long nr) noexcept {
  if (nr < 0 || static_cast<std::size_t>(nr) >= N) return nullptr;
  const syscall_desc& d = table[static_cast<std::size_t>(nr)];
  return d.number == nr ? &d : nullptr;
}

// Reads the name without comparing an element's address with null: GCC's UBSan
// instrumentation makes that comparison non-constant.
template <std::size_t N>
constexpr std::string_view find_name(const std::array<syscall_desc, N>& table, long nr) noexcept {
  if (nr < 0 || static_cast<std::size_t>(nr) >= N) return {};
  const syscall_desc& d = table[static_cast<std::size_t>(nr)];
  return d.number == nr ? d.name : std::string_view{};
}

// Binary search over the numbers sorted by name: O(log n) at run time, cheap in constexpr.
template <std::size_t N, std::size_t M>
constexpr long find_number(const std::array<syscall_desc, N>& table,
                           const std::array<std::uint16_t, M>& by_name, std::string_view name) noexcept {
  std::size_t lo = 0, hi = M;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    std::string_view here = table[by_name[mid]].name;
    if (here == name) return table[by_name[mid]].number;
    if (here < name)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

template <std::uint16_t Classes, std::size_t N>
constexpr syscall_set numbers_in_class(const std::array<syscall_desc, N>& table) noexcept {
  syscall_set s;
  for (const syscall_desc& d : table)
    if (d.number >= 0 && (d.classes & Classes) == Classes) s.add(d.number);
  return s;
}

}  // namespace snare::sys::detail
