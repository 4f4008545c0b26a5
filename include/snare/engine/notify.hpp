// Defines how an engine tells the tool of a guest event: one function per event, a no-op
// when the tool has no handler for it (found at compile time, snare/tool/handlers.hpp), so
// every backend notifies the same way and none repeats the detection.
#pragma once

#include <sys/types.h>

#include <type_traits>

#include <snare/tool/action.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/handlers.hpp>

namespace snare::engine {

/// Calls tool.on_thread_start(g) when the tool has it.
template <class Tool, class Guest>
void notify_thread_start(Tool& tool, Guest& g) {
  if constexpr (has_thread_start_handler<Tool, Guest>) tool.on_thread_start(g);
}
/// Calls tool.on_thread_exit(g), or tool.on_thread_exit(end, g) with how the thread ended,
/// when the tool has it.
template <class Tool, class Guest>
void notify_thread_exit(Tool& tool, exit_status end, Guest& g) {
  if constexpr (requires { tool.on_thread_exit(g); })
    tool.on_thread_exit(g);
  else if constexpr (has_thread_exit_handler<Tool, Guest>)
    tool.on_thread_exit(end, g);
}
/// Calls tool.on_thread_exiting(g) when the tool has it: the thread is leaving (exit,
/// exit_group, a fatal signal, another thread's execve), before on_thread_exit, which for a
/// leader with live threads comes only when the last of them ends.
template <class Tool, class Guest>
void notify_thread_exiting(Tool& tool, Guest& g) {
  if constexpr (has_thread_exiting_handler<Tool, Guest>) tool.on_thread_exiting(g);
}
/// The same, from the thread's wait status (-1: unknown).
template <class Tool, class Guest>
void notify_thread_exit(Tool& tool, int wait_status, Guest& g) {
  notify_thread_exit(tool, exit_status::from_wait_status(wait_status), g);
}
/// Calls tool.on_process_start(g) when the tool has it.
template <class Tool, class Guest>
void notify_process_start(Tool& tool, Guest& g) {
  if constexpr (has_process_start_handler<Tool, Guest>) tool.on_process_start(g);
}
/// Calls tool.on_process_exit(status, g) when the tool has it: with the snare::exit_status
/// when the handler takes one, else with the wait status as an int (-1: unknown).
template <class Tool, class Guest>
void notify_process_exit(Tool& tool, int wait_status, Guest& g) {
  if constexpr (requires(int ws) { tool.on_process_exit(ws, g); })
    tool.on_process_exit(wait_status, g);
  else if constexpr (has_process_exit_handler<Tool, Guest>)
    tool.on_process_exit(exit_status::from_wait_status(wait_status), g);
}
/// Calls tool.on_detach(kept) (or tool.on_detach()) when the tool has it: a stop request
/// detached the tool from an attached run (snare::attach); no event follows. `kept`: the
/// process carries snare's seccomp filter, so the tracer stays its tracer and serves the
/// filter silently until it ends (docs/attach.md).
template <class Tool>
void notify_detach(Tool& tool, bool kept) {
  if constexpr (requires { tool.on_detach(kept); })
    tool.on_detach(kept);
  else if constexpr (requires { tool.on_detach(); })
    tool.on_detach();
}

/// Calls tool.on_unknown_exit(pid, wait_status) when the tool has it: the tracer reaped a
/// child it never traced (one the guest made with CLONE_PARENT, which makes the tracer its
/// parent, or a task that ended before its first report). strace says "Exit of unknown pid
/// N ignored" then.
template <class Tool>
void notify_unknown_exit(Tool& tool, pid_t pid, int wait_status) {
  if constexpr (requires { tool.on_unknown_exit(pid, wait_status); }) tool.on_unknown_exit(pid, wait_status);
}
/// Calls tool.on_unknown_detach(pid) when the tool has it: a process the run does not follow
/// came traced without a fork event (its parent used CLONE_PTRACE), and was let go untraced.
/// strace says "Detached unknown pid N" then.
template <class Tool>
void notify_unknown_detach(Tool& tool, pid_t pid) {
  if constexpr (requires { tool.on_unknown_detach(pid); }) tool.on_unknown_detach(pid);
}

/// Calls tool.on_process_detach(pid) when the tool has it: process `pid` exec'd in a run
/// with run_options::detach_on_exec and was let go (strace's -b execve); no event of it
/// follows.
template <class Tool>
void notify_process_detach(Tool& tool, pid_t pid) {
  if constexpr (requires { tool.on_process_detach(pid); }) tool.on_process_detach(pid);
}

/// Calls tool.on_exec(g) when the tool has it.
template <class Tool, class Guest>
void notify_exec(Tool& tool, Guest& g) {
  if constexpr (has_exec_handler<Tool, Guest>) tool.on_exec(g);
}
/// Calls tool.on_stop(sig, g) when the tool has it: the thread entered a group-stop by
/// `sig` (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU), as it would without the tracer.
template <class Tool, class Guest>
void notify_stop(Tool& tool, int sig, Guest& g) {
  if constexpr (has_stop_handler<Tool, Guest>) tool.on_stop(sig, g);
}
/// Calls tool.on_timer(g) when the tool has it: the thread's timer (set_timer) expired.
template <class Tool, class Guest>
void notify_timer(Tool& tool, Guest& g) {
  if constexpr (has_timer_handler<Tool, Guest>) tool.on_timer(g);
}
/// Calls tool.on_rdtsc(e, g) when the tool has it.
template <class Tool, class Guest>
void notify_rdtsc(Tool& tool, rdtsc_event& e, Guest& g) {
  if constexpr (has_rdtsc_handler<Tool, Guest>) tool.on_rdtsc(e, g);
}
/// Calls tool.on_cpuid(e, g) when the tool has it.
template <class Tool, class Guest>
void notify_cpuid(Tool& tool, cpuid_event& e, Guest& g) {
  if constexpr (has_cpuid_handler<Tool, Guest>) tool.on_cpuid(e, g);
}
/// Calls tool.on_signal(sig, g) when the tool has it and returns the signal to deliver: sig
/// itself (no handler, or one returning void or snare::deliver()), another, or 0 (dropped).
template <class Tool, class Guest>
int notify_signal(Tool& tool, int sig, Guest& g) {
  if constexpr (has_signal_handler<Tool, Guest>) {
    if constexpr (std::is_same_v<decltype(tool.on_signal(sig, g)), signal_action>) {
      signal_action a = tool.on_signal(sig, g);
      return a.keeps_original() ? sig : a.signal();
    } else {
      tool.on_signal(sig, g);
    }
  }
  return sig;
}

/// Says whether the tool wants any lifecycle event of a process or thread.
template <class Tool, class Guest>
inline constexpr bool wants_lifecycle =
    has_thread_start_handler<Tool, Guest> || has_thread_exit_handler<Tool, Guest> ||
    has_process_start_handler<Tool, Guest> || has_process_exit_handler<Tool, Guest> ||
    has_exec_handler<Tool, Guest>;

}  // namespace snare::engine
