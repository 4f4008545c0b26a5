// Defines the internals of the syscall lookups: searches over a generated descriptor array
// and its by-name index, and the class bitmaps computed from the descriptors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/sys/arg.hpp>

namespace snare::sys {

/// A set of syscall numbers 0..Bits-1 as a bitmap; constexpr throughout.
template <std::size_t Bits>
struct number_set {
  static constexpr std::size_t capacity = Bits;
  std::array<std::uint64_t, (Bits + 63) / 64> words{};

  /// Returns whether `nr` is in the set (false for numbers outside 0..Bits-1).
  constexpr bool contains(long nr) const noexcept {
    if (nr < 0 || static_cast<std::size_t>(nr) >= Bits) return false;
    return (words[static_cast<std::size_t>(nr) / 64] >> (static_cast<std::size_t>(nr) % 64)) & 1u;
  }
  /// Adds `nr`; numbers outside 0..Bits-1 are ignored.
  constexpr void insert(long nr) noexcept {
    if (nr < 0 || static_cast<std::size_t>(nr) >= Bits) return;
    words[static_cast<std::size_t>(nr) / 64] |= std::uint64_t{1} << (static_cast<std::size_t>(nr) % 64);
  }
  /// Returns how many numbers the set holds.
  constexpr std::size_t size() const noexcept {
    std::size_t n = 0;
    for (auto w : words)
      for (; w; w &= w - 1) ++n;
    return n;
  }
  /// Returns whether the set holds no number.
  constexpr bool empty() const noexcept { return size() == 0; }
  /// Returns the numbers of the set in increasing order (N must be at least size()).
  template <std::size_t N>
  constexpr std::array<long, N> to_array() const noexcept {
    std::array<long, N> out{};
    std::size_t i = 0;
    for (std::size_t nr = 0; nr < Bits && i < N; ++nr)
      if (contains(static_cast<long>(nr))) out[i++] = static_cast<long>(nr);
    return out;
  }
  friend constexpr number_set operator|(number_set a, const number_set& b) noexcept {
    for (std::size_t i = 0; i < a.words.size(); ++i) a.words[i] |= b.words[i];
    return a;
  }
  friend constexpr number_set operator&(number_set a, const number_set& b) noexcept {
    for (std::size_t i = 0; i < a.words.size(); ++i) a.words[i] &= b.words[i];
    return a;
  }
  friend constexpr bool operator==(const number_set&, const number_set&) = default;
};

}  // namespace snare::sys

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
constexpr number_set<N> numbers_in_class(const std::array<syscall_desc, N>& table) noexcept {
  number_set<N> s;
  for (const syscall_desc& d : table)
    if (d.number >= 0 && (d.classes & Classes) == Classes) s.insert(d.number);
  return s;
}

}  // namespace snare::sys::detail
