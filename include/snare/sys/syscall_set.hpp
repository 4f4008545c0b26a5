// Defines snare::syscall_set, a constexpr set of syscall numbers: what a tool subscribes to,
// what the BPF filter lets through, and the calls of a syscall class (sys::x86_64::in_class).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace snare {

/// Syscall numbers handled by the engines' tables: 0 .. max_syscall_number - 1. Calls with
/// larger numbers are unknown calls (generic handlers only).
inline constexpr long max_syscall_number = 1024;

/// A constexpr set of native syscall numbers, plus an "every number" flag.
class syscall_set {
 public:
  constexpr syscall_set() noexcept = default;
  /// Returns the set holding every syscall number, known or not.
  static constexpr syscall_set everything() noexcept {
    syscall_set s;
    s.all_ = true;
    return s;
  }
  /// Adds `nr` (ignored when out of range).
  constexpr void add(long nr) noexcept {
    if (nr >= 0 && nr < max_syscall_number) bits_[nr / 64] |= std::uint64_t{1} << (nr % 64);
  }
  /// Returns whether `nr` is in the set.
  constexpr bool contains(long nr) const noexcept {
    if (all_) return nr >= 0;
    return nr >= 0 && nr < max_syscall_number && (bits_[nr / 64] >> (nr % 64)) & 1;
  }
  /// Returns whether the set holds every number.
  constexpr bool is_everything() const noexcept { return all_; }
  /// Returns whether the set is empty.
  constexpr bool empty() const noexcept { return size() == 0; }
  /// Returns the count of numbers in the set (max_syscall_number when everything).
  constexpr std::size_t size() const noexcept {
    if (all_) return max_syscall_number;
    std::size_t n = 0;
    for (auto w : bits_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }
  /// Returns the first N numbers of the set in increasing order (zeros after the last one):
  /// with N = size(), every number, for a pack expansion at compile time.
  template <std::size_t N>
  constexpr std::array<long, N> to_array() const noexcept {
    std::array<long, N> out{};
    std::size_t i = 0;
    for (long nr = 0; nr < max_syscall_number && i < N; ++nr)
      if (contains(nr)) out[i++] = nr;
    return out;
  }
  /// Returns the numbers in either set.
  friend constexpr syscall_set operator|(syscall_set a, const syscall_set& b) noexcept {
    for (std::size_t i = 0; i < a.bits_.size(); ++i) a.bits_[i] |= b.bits_[i];
    a.all_ = a.all_ || b.all_;
    return a;
  }
  /// Returns the numbers in both sets.
  friend constexpr syscall_set operator&(syscall_set a, const syscall_set& b) noexcept {
    if (b.all_) return a;
    if (a.all_) return b;
    for (std::size_t i = 0; i < a.bits_.size(); ++i) a.bits_[i] &= b.bits_[i];
    return a;
  }
  friend constexpr bool operator==(const syscall_set&, const syscall_set&) = default;

 private:
  std::array<std::uint64_t, max_syscall_number / 64> bits_{};
  bool all_ = false;
};

}  // namespace snare
