// Defines handler detection (has_entry_handler, has_rdtsc_handler, ...: which handlers a tool
// defines for a guest handle type) and explicit subscriptions (snare::syscalls, all_syscalls).
// Part of the tool model: see snare/tool.hpp.
#pragma once

#include <cstddef>
#include <utility>

#include <snare/tool/action.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare {

/// An explicit subscription to exactly these typed calls.
template <class... Calls>
struct syscalls {
  static constexpr long numbers[] = {Calls::number..., -1};
  static constexpr std::size_t size = sizeof...(Calls);
};

/// An explicit subscription to every syscall.
struct all_syscalls {};

/// Handler detection: each concept says whether Tool defines the handler for Guest.
template <class Tool, class Call, class Guest>
concept has_entry_handler = requires(Tool& t, Call& c, Guest& g) {
  t.on(c, g);
};
template <class Tool, class Guest>
concept has_generic_entry_handler = has_entry_handler<Tool, unknown_call, Guest>;
/// Says whether Tool's entry handler for Call takes the call by non-const reference (to
/// change its arguments): it accepts an lvalue but not an rvalue.
template <class Tool, class Call, class Guest>
concept takes_call_by_reference =
    has_entry_handler<Tool, Call, Guest> && !requires(Tool & t, Call&& c, Guest& g) {
  t.on(std::move(c), g);
};
template <class Tool, class Call, class Guest>
concept has_exit_handler = requires(Tool& t, Call& c, long ret, Guest& g) {
  t.on_exit(c, ret, g);
};
template <class Tool, class Guest>
concept has_generic_exit_handler = has_exit_handler<Tool, unknown_call, Guest>;
template <class Tool, class Guest>
concept has_signal_handler = requires(Tool& t, int sig, Guest& g) {
  t.on_signal(sig, g);
};
template <class Tool, class Guest>
concept has_stop_handler = requires(Tool& t, int sig, Guest& g) {
  t.on_stop(sig, g);
};
template <class Tool, class Guest>
concept has_thread_start_handler = requires(Tool& t, Guest& g) {
  t.on_thread_start(g);
};
template <class Tool, class Guest>
concept has_thread_exit_handler = requires(Tool& t, Guest& g) {
  t.on_thread_exit(g);
}
|| requires(Tool& t, exit_status status, Guest& g) { t.on_thread_exit(status, g); };
template <class Tool, class Guest>
concept has_thread_exiting_handler = requires(Tool& t, Guest& g) {
  t.on_thread_exiting(g);
};
template <class Tool, class Guest>
concept has_process_start_handler = requires(Tool& t, Guest& g) {
  t.on_process_start(g);
};
template <class Tool, class Guest>
concept has_process_exit_handler = requires(Tool& t, int status, Guest& g) {
  t.on_process_exit(status, g);
}
|| requires(Tool& t, exit_status status, Guest& g) { t.on_process_exit(status, g); };
template <class Tool, class Guest>
concept has_exec_handler = requires(Tool& t, Guest& g) {
  t.on_exec(g);
};
template <class Tool, class Guest>
concept has_timer_handler = requires(Tool& t, Guest& g) {
  t.on_timer(g);
};
template <class Tool, class Guest>
concept has_rdtsc_handler = requires(Tool& t, rdtsc_event& e, Guest& g) {
  t.on_rdtsc(e, g);
};
template <class Tool, class Guest>
concept has_cpuid_handler = requires(Tool& t, cpuid_event& e, Guest& g) {
  t.on_cpuid(e, g);
};

/// Says whether the tool states its subscription explicitly.
template <class Tool>
concept has_explicit_subscription = requires {
  typename Tool::subscription;
};

}  // namespace snare
