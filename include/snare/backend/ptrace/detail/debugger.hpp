// Defines the ptrace engine's debugger seam: what a debugger (snare/gdb/server.hpp) is told
// of the processes it debugs (the root process, until engine::debug_processes names others),
// on the tracer's thread inside the event loop, and may keep stopped.
// The engine's side (stop the others, release, registers) is in detail/debug.hpp.
#pragma once

#include <sys/types.h>

#include <snare/sys/call.hpp>

namespace snare::backend::ptrace_detail {

/// A debugger of some of the guest's processes (engine::debug_processes; the root by default). Each call runs
/// on the tracer's thread, inside the engine's event loop, with the thread stopped; a debugger that keeps a
/// thread stopped (returns true) later gives it back with engine::debug_release, and may serve its client
/// (read registers and memory, stop the other threads) before it returns. A virtual call:
/// made at exec events, signal stops and the stops of subscribed calls, never for others.
class debugger {
 public:
  virtual ~debugger() = default;
  /// Thread `tid` of debugged process `pid` exec'd: the new image has not run an instruction yet.
  virtual bool on_exec(pid_t pid, pid_t tid) = 0;
  /// A thread of a debugged process is at a signal-delivery-stop for `sig` (SIGTRAP for a
  /// breakpoint or a finished step), after the engine took out its own signals (timers,
  /// redeliveries, RDTSC/CPUID emulation) and before the tool's on_signal.
  virtual bool on_signal(pid_t pid, pid_t tid, int sig) = 0;
  /// A thread of a debugged process is at the entry (`entry`) or the exit of call `nr`, one
  /// the debugger catches (engine::debug_catch_syscalls), before the tool's handler for it.
  /// Not pure: a debugger that catches no call need not define it.
  virtual bool on_syscall(pid_t pid, pid_t tid, long nr, bool entry) {
    (void)pid, (void)tid, (void)nr, (void)entry;
    return false;
  }
  /// A thread of a debugged process entered call `nr` with `args`, one the tool subscribes to
  /// (the others never stop), before the tool's handler: a virtual call per subscribed call
  /// while a debugger is set. Its result comes to on_call_exit (none for a call that does
  /// not return, such as exit or a successful execve).
  virtual void on_call(pid_t tid, long nr, const sys::raw_args& args) { (void)tid, (void)nr, (void)args; }
  virtual void on_call_exit(pid_t tid, long ret) { (void)tid, (void)ret; }
  /// Thread `tid` of debugged process `pid` forked (or, with `vfork`, vforked) `child`, which stays
  /// at its first stop when the debugger asked so (engine::debug_hold_children) until
  /// engine::debug_release. Not pure: false (the parent goes on) by default.
  virtual bool on_fork_event(pid_t pid, pid_t tid, pid_t child, bool vfork) {
    (void)pid, (void)tid, (void)child, (void)vfork;
    return false;
  }
  /// Thread `tid` of debugged process `pid` is back from a vfork (the child exec'd or exited).
  virtual bool on_vfork_done(pid_t pid, pid_t tid) {
    (void)pid, (void)tid;
    return false;
  }
  /// A new thread `tid` of debugged process `pid` is at its first stop, before it runs.
  virtual void on_thread_start(pid_t pid, pid_t tid) { (void)pid, (void)tid; }
  /// Debugged process `pid` forked `child` (not a vfork: that child shares its memory); the
  /// child has run no instruction yet.
  virtual void on_fork(pid_t pid, pid_t child) = 0;
  /// The root process's first thread was reaped with wait status `status` (debugged or not).
  virtual void on_root_exit(int status) = 0;
  /// The first thread of debugged process `pid`, not the root, was reaped with `status`.
  virtual void on_process_exit(pid_t pid, int status) { (void)pid, (void)status; }

 protected:
  debugger() = default;
  debugger(const debugger&) = default;
  debugger& operator=(const debugger&) = default;
};

}  // namespace snare::backend::ptrace_detail
