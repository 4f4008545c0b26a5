// Defines the dispatch from a syscall number to the tool's typed handler: a constexpr table
// of plain function pointers indexed by number (no virtual call, no allocation per event).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <snare/subscription/subscription.hpp>
#include <snare/tool/action.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/handlers.hpp>

namespace snare::dispatch {

/// The six raw argument registers of a call, changed in place by handlers (sys::raw_args).
using sys::raw_args;

namespace detail {

template <class Call>
constexpr Call make_call(long nr, const raw_args& args) noexcept {
  Call c{};
  if constexpr (std::is_same_v<Call, unknown_call>) c.number = nr;
  for (std::size_t i = 0; i < 6; ++i) c.set_raw(i, args[i]);
  return c;
}

template <class Tool, class Guest, class Call>
action entry_thunk(Tool& tool, Guest& g, long nr, raw_args& args) {
  if constexpr (has_entry_handler<Tool, Call, Guest>) {
    Call c = make_call<Call>(nr, args);
    using R = decltype(tool.on(c, g));
    if constexpr (std::is_same_v<R, action>) {
      action a = tool.on(c, g);
      args = c.raw_args();
      return a;
    } else {
      static_assert(std::is_void_v<R>,
                    "snare: an entry handler on(call, guest) returns void or snare::action");
      tool.on(c, g);
      args = c.raw_args();
      return g.pending_action();
    }
  } else {
    (void)tool, (void)nr, (void)args;
    return g.pending_action();
  }
}

template <class Tool, class Guest, class Call>
long exit_thunk(Tool& tool, Guest& g, long nr, const raw_args& args, long ret) {
  if constexpr (has_exit_handler<Tool, Call, Guest>) {
    Call c = make_call<Call>(nr, args);
    using R = decltype(tool.on_exit(c, ret, g));
    if constexpr (std::is_void_v<R>) {
      tool.on_exit(c, ret, g);
      return ret;
    } else {
      static_assert(std::is_convertible_v<R, long>,
                    "snare: an exit handler on_exit(call, ret, guest) returns void or the new return value");
      return static_cast<long>(tool.on_exit(c, ret, g));
    }
  } else {
    (void)tool, (void)g, (void)nr, (void)args;
    return ret;
  }
}

// The call type whose thunk serves Call: Call itself when the tool handles it, else the
// shared unknown_call thunk, which does nothing but return.
template <class Tool, class Guest, class Call>
using entry_target = std::conditional_t<has_entry_handler<Tool, Call, Guest>, Call, unknown_call>;
template <class Tool, class Guest, class Call>
using exit_target = std::conditional_t<has_exit_handler<Tool, Call, Guest>, Call, unknown_call>;

}  // namespace detail

/// The dispatch tables of Tool with guest handle Guest over the typed calls of Table.
template <class Tool, class Guest, class Table>
struct table;

template <class Tool, class Guest, template <class...> class List, class... Calls>
struct table<Tool, Guest, List<Calls...>> {
  using entry_fn = action (*)(Tool&, Guest&, long, raw_args&);
  using exit_fn = long (*)(Tool&, Guest&, long, const raw_args&, long);

  static constexpr std::array<entry_fn, max_syscall_number> entries = [] {
    std::array<entry_fn, max_syscall_number> t{};
    for (auto& e : t) e = &detail::entry_thunk<Tool, Guest, unknown_call>;
    // A call without a handler shares the unknown_call thunk (which only returns the
    // pending action): one instantiation per handled call, not one per typed call.
    ((t[Calls::number] = &detail::entry_thunk<Tool, Guest, detail::entry_target<Tool, Guest, Calls>>), ...);
    return t;
  }();
  static constexpr std::array<exit_fn, max_syscall_number> exits = [] {
    std::array<exit_fn, max_syscall_number> t{};
    for (auto& e : t) e = &detail::exit_thunk<Tool, Guest, unknown_call>;
    ((t[Calls::number] = &detail::exit_thunk<Tool, Guest, detail::exit_target<Tool, Guest, Calls>>), ...);
    return t;
  }();

  /// Calls the tool's entry handler for call `nr`; `args` holds the (possibly changed)
  /// arguments afterwards. Returns the action the handler chose.
  static action on_entry(Tool& tool, Guest& g, long nr, raw_args& args) {
    if (nr >= 0 && nr < max_syscall_number) return entries[static_cast<std::size_t>(nr)](tool, g, nr, args);
    return detail::entry_thunk<Tool, Guest, unknown_call>(tool, g, nr, args);
  }
  /// Calls the tool's exit handler for call `nr`; returns the value the guest sees.
  static long on_exit(Tool& tool, Guest& g, long nr, const raw_args& args, long ret) {
    if (nr >= 0 && nr < max_syscall_number)
      return exits[static_cast<std::size_t>(nr)](tool, g, nr, args, ret);
    return detail::exit_thunk<Tool, Guest, unknown_call>(tool, g, nr, args, ret);
  }
};

}  // namespace snare::dispatch
