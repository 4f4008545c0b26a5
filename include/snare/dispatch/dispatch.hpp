// Defines the dispatch from a syscall number to the tool's typed handler: a `switch` over the
// numbers of the calls the tool handles, generated at compile time, which the compiler lowers
// as it would a hand-written one (a compare tree, bit tests or a jump table) with the handlers
// inlined; every other number goes to the generic handler (no virtual call, no allocation).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

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
  if constexpr (std::is_same_v<Call, unknown_call>) {
    return unknown_call{nr, args};
  } else if constexpr (requires { Call(args); }) {
    return Call(args);  // the generated calls: one copy of the registers
  } else {
    Call c{};
    for (std::size_t i = 0; i < 6; ++i) c.set_raw(i, args[i]);
    return c;
  }
}

// The thunks: build the typed call, call the handler, hand back what it changed. Always
// inlined where the switch reaches them through a constant address (number_switch).
template <class Tool, class Guest, class Call>
[[gnu::always_inline]] inline action entry_thunk(Tool& tool, Guest& g, long nr, raw_args& args) {
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
[[gnu::always_inline]] inline long exit_thunk(Tool& tool, Guest& g, long nr, const raw_args& args, long ret) {
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
// shared unknown_call thunk (so an unhandled call instantiates nothing of its own).
template <bool Handled>
struct served_as {
  template <class Call>
  using type = unknown_call;
};
template <>
struct served_as<true> {
  template <class Call>
  using type = Call;
};

// The thunk of Call as a constant: Thunk<Tool, Guest, Call>::fn.
template <class Tool, class Guest, class Call>
struct entry_thunk_of {
  static constexpr action (*fn)(Tool&, Guest&, long, raw_args&) = &entry_thunk<Tool, Guest, Call>;
};
template <class Tool, class Guest, class Call>
struct exit_thunk_of {
  static constexpr long (*fn)(Tool&, Guest&, long, const raw_args&, long) = &exit_thunk<Tool, Guest, Call>;
};

// The calls of a table the tool handles (Handled... says which, call by call), compacted:
// their count, numbers and thunks, and after them the thunk of every other number (the
// unknown_call thunk: a generic handler, or the pending action).
template <template <class, class, class> class Thunk, class Tool, class Guest, class... Calls>
struct handled_calls {
  using fn = std::remove_const_t<decltype(Thunk<Tool, Guest, unknown_call>::fn)>;
  template <bool... Handled>
  struct with {
    static constexpr std::size_t size = (std::size_t{Handled} + ... + 0);
    struct arrays {
      long numbers[size + 1];
      fn thunks[size + 1];
    };
    static constexpr arrays compacted = [] {
      arrays a{};
      std::size_t i = 0;
      ((Handled ? void((a.numbers[i] = Calls::number,
                        a.thunks[i++] =
                            Thunk<Tool, Guest, typename served_as<Handled>::template type<Calls>>::fn))
                : void()),
       ...);
      a.numbers[size] = -1;
      a.thunks[size] = Thunk<Tool, Guest, unknown_call>::fn;
      return a;
    }();
    static constexpr const long (&numbers)[size + 1] = compacted.numbers;
    static constexpr const fn (&thunks)[size + 1] = compacted.thunks;
  };
};

// Says whether the numbers of a call set are distinct and in 0 .. max_syscall_number - 1.
template <class Set>
constexpr bool distinct_numbers() noexcept {
  std::array<bool, max_syscall_number> seen{};
  for (std::size_t i = 0; i < Set::size; ++i) {
    const long n = Set::numbers[i];
    if (n < 0 || n >= max_syscall_number || std::exchange(seen[static_cast<std::size_t>(n)], true))
      return false;
  }
  return true;
}

// A `switch` on the numbers of Set's calls that calls the thunk of the call whose number is
// `nr`, else Set's last thunk. The thunk's address is a constant at each case, so the call is
// direct and the thunk inlined: the compiler lowers it as it would a hand-written switch
// (benchmarks/micro/dispatch.cpp). The cases are written out 64 at a time; those past the
// last call get negative labels (no syscall has one) that fall through, and the compiler
// drops them. More than 64 calls: the next 64 in a switch after.
template <class Set>
struct number_switch {
  static_assert(distinct_numbers<Set>(),
                "snare: the syscall table names two typed calls with the same number, or one out of range");

  // The labels of the cases from Base on: the calls' numbers, then negative numbers.
  struct label_block {
    long at[64];
  };
  template <std::size_t Base>
  static constexpr label_block labels = [] {
    label_block b{};
    for (std::size_t i = 0; i < 64; ++i)
      b.at[i] = Base + i < Set::size ? Set::numbers[Base + i] : -1 - static_cast<long>(Base + i);
    return b;
  }();

  /// Calls the thunk of `nr` with `args` (no switch at all when the tool handles no call).
  template <class... Args>
  static auto call(long nr, Args&... args) {
    if constexpr (Set::size == 0) {
      (void)nr;
      return Set::thunks[0](args...);
    } else {
      return cases<0>(nr, args...);
    }
  }

 private:
  template <std::size_t Base, class... Args>
  static auto cases(long nr, Args&... args) {
    switch (nr) {
#define SNARE_DISPATCH_CASE(i)                                                     \
  case labels<Base>.at[i]:                                                         \
    if constexpr (Base + (i) < Set::size) return Set::thunks[Base + (i)](args...); \
    break;
#define SNARE_DISPATCH_CASE4(i) \
  SNARE_DISPATCH_CASE(i) SNARE_DISPATCH_CASE(i + 1) SNARE_DISPATCH_CASE(i + 2) SNARE_DISPATCH_CASE(i + 3)
#define SNARE_DISPATCH_CASE16(i) \
  SNARE_DISPATCH_CASE4(i) SNARE_DISPATCH_CASE4(i + 4) SNARE_DISPATCH_CASE4(i + 8) SNARE_DISPATCH_CASE4(i + 12)
      SNARE_DISPATCH_CASE16(0)
      SNARE_DISPATCH_CASE16(16)
      SNARE_DISPATCH_CASE16(32)
      SNARE_DISPATCH_CASE16(48)
#undef SNARE_DISPATCH_CASE16
#undef SNARE_DISPATCH_CASE4
#undef SNARE_DISPATCH_CASE
      default:
        break;
    }
    if constexpr (Base + 64 < Set::size)
      return cases<Base + 64>(nr, args...);
    else
      return Set::thunks[Set::size](args...);
  }
};

}  // namespace detail

/// The dispatch of Tool with guest handle Guest over the typed calls of Table.
template <class Tool, class Guest, class Table>
struct table;

template <class Tool, class Guest, template <class...> class List, class... Calls>
struct table<Tool, Guest, List<Calls...>> {
  /// The calls the tool handles at entry and at exit, with their thunks.
  using entry_calls =
      typename detail::handled_calls<detail::entry_thunk_of, Tool, Guest,
                                     Calls...>::template with<has_entry_handler<Tool, Calls, Guest>...>;
  using exit_calls =
      typename detail::handled_calls<detail::exit_thunk_of, Tool, Guest,
                                     Calls...>::template with<has_exit_handler<Tool, Calls, Guest>...>;

  /// Calls the tool's entry handler for call `nr`; `args` holds the (possibly changed)
  /// arguments afterwards. Returns the action the handler chose.
  static action on_entry(Tool& tool, Guest& g, long nr, raw_args& args) {
    return detail::number_switch<entry_calls>::call(nr, tool, g, nr, args);
  }
  /// Calls the tool's exit handler for call `nr`; returns the value the guest sees.
  static long on_exit(Tool& tool, Guest& g, long nr, const raw_args& args, long ret) {
    return detail::number_switch<exit_calls>::call(nr, tool, g, nr, args, ret);
  }
};

}  // namespace snare::dispatch
