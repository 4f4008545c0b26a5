// Defines which syscalls a tool wants, derived at compile time from its handlers or from its
// explicit `subscription`: a constexpr set of numbers for entries and one for exits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <snare/tool/handlers.hpp>

namespace snare {

/// Syscall numbers handled by the engine's tables: 0 .. max_syscall_number - 1. Calls with
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
  constexpr bool empty() const noexcept {
    if (all_) return false;
    for (auto w : bits_)
      if (w) return false;
    return true;
  }
  /// Returns the count of numbers in the set (max_syscall_number when everything).
  constexpr std::size_t size() const noexcept {
    if (all_) return max_syscall_number;
    std::size_t n = 0;
    for (long i = 0; i < max_syscall_number; ++i) n += contains(i);
    return n;
  }
  friend constexpr bool operator==(const syscall_set&, const syscall_set&) = default;

 private:
  std::array<std::uint64_t, max_syscall_number / 64> bits_{};
  bool all_ = false;
};

/// A compile-time list of typed calls (a syscall table or a subset of one).
template <class... Calls>
struct call_list {
  static constexpr std::size_t size = sizeof...(Calls);
};

/// What a tool subscribes to: entries (the engine stops the guest there) and exits.
struct subscription_info {
  syscall_set entry;
  syscall_set exit;
};

namespace detail {
template <class Tool, class Guest, template <class...> class List, class... Calls>
constexpr subscription_info derive_subscription(List<Calls...>) noexcept {
  subscription_info s;
  constexpr bool generic_entry = has_generic_entry_handler<Tool, Guest>;
  constexpr bool generic_exit = has_generic_exit_handler<Tool, Guest>;
  if constexpr (has_explicit_subscription<Tool>) {
    using sub = typename Tool::subscription;
    if constexpr (std::is_same_v<sub, all_syscalls>) {
      s.entry = syscall_set::everything();
    } else {
      for (long nr : sub::numbers)
        if (nr >= 0) s.entry.add(nr);
    }
  } else if constexpr (generic_entry || generic_exit) {
    s.entry = syscall_set::everything();
  } else {
    ((has_entry_handler<Tool, Calls, Guest> || has_exit_handler<Tool, Calls, Guest>
          ? s.entry.add(Calls::number)
          : void()),
     ...);
  }
  if constexpr (generic_exit) {
    s.exit = s.entry;
  } else {
    ((has_exit_handler<Tool, Calls, Guest> && s.entry.contains(Calls::number) ? s.exit.add(Calls::number)
                                                                              : void()),
     ...);
  }
  return s;
}
}  // namespace detail

/// The subscription of Tool with guest handle Guest over the typed calls of Table (a
/// call_list, sys::type_list or any list template of typed calls): explicit when the tool states it, else
/// derived from its handlers.
template <class Tool, class Guest, class Table>
inline constexpr subscription_info subscription_of = detail::derive_subscription<Tool, Guest>(Table{});

}  // namespace snare
