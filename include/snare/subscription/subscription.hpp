// Defines which syscalls a tool wants, derived at compile time from its handlers or from its
// explicit `subscription`: a constexpr set of numbers for entries and one for exits.
#pragma once

#include <snare/sys/call_list.hpp>
#include <snare/sys/syscall_set.hpp>
#include <snare/tool/handlers.hpp>

namespace snare {

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
/// call_list, or any list template of typed calls): explicit when the tool states it, else
/// derived from its handlers.
template <class Tool, class Guest, class Table>
inline constexpr subscription_info subscription_of = detail::derive_subscription<Tool, Guest>(Table{});

}  // namespace snare
