// Defines the ptrace engine's side of the debugger seam (detail/debugger.hpp): which stops a
// debugger takes (those of the processes it debugs: debug_processes, the root by default),
// stopping the debugged processes' other threads ("all-stop"), and giving the threads back,
// with one instruction to run (a step) or a signal to deliver.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>

namespace snare::backend::ptrace_detail {

namespace debug_detail {
// Returns the state letter of /proc/<tid>/stat (proc(5): R, S, D, t, T, Z, X...), 0 when gone.
inline char task_state(pid_t tid) noexcept {
  char path[64], buf[512];
  std::snprintf(path, sizeof path, "/proc/%d/stat", tid);
  snare::detail::unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return 0;
  auto n = snare::detail::retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  return close != nullptr && close[1] == ' ' ? close[2] : 0;
}
}  // namespace debug_detail

// Offers thread t's stop to the debugger: only a debugged process's, and only when one is set.
// True when the debugger keeps the thread (it releases it with debug_release, perhaps already).
template <class Tool>
bool engine<Tool>::debug_take(thread_t& t, typename thread_t::debug_hold why, int sig) {
  if (!debugging(t.proc->pid)) return false;
  const pid_t pid = t.proc->pid;
  t.stepping = false;  // a step ends at its trap, or at any other stop the debugger sees
  t.held_by_debugger = why;
  t.debug_signal = sig;
  bool kept = false;
  switch (why) {
    case thread_t::debug_hold::exec:
      kept = debugger_->on_exec(pid, t.tid);
      break;
    case thread_t::debug_hold::syscall_entry:
    case thread_t::debug_hold::syscall_exit:  // `sig` is the call's number
      kept = debugger_->on_syscall(pid, t.tid, sig, why == thread_t::debug_hold::syscall_entry);
      break;
    case thread_t::debug_hold::fork:
    case thread_t::debug_hold::vfork:  // `sig` is the child's pid
      kept = debugger_->on_fork_event(pid, t.tid, sig, why == thread_t::debug_hold::vfork);
      break;
    case thread_t::debug_hold::vfork_done:
      kept = debugger_->on_vfork_done(pid, t.tid);
      break;
    default:
      kept = debugger_->on_signal(pid, t.tid, sig);
      break;
  }
  if (!kept && t.held_by_debugger == why) {
    t.held_by_debugger = thread_t::debug_hold::none;
    return false;
  }
  return true;
}

/// Returns the process (thread group) of thread `tid`, 0 when the engine has no such thread.
template <class Tool>
pid_t engine<Tool>::debug_process_of(pid_t tid) noexcept {
  thread_t* t = find(tid);
  return t != nullptr && !t->dead ? t->proc->pid : 0;
}

/// Returns the threads of process `pid` the engine knows, its first thread first.
template <class Tool>
std::vector<pid_t> engine<Tool>::debug_threads(pid_t pid) {
  std::vector<pid_t> out;
  records_.for_each_thread([&](thread_t& t) {
    if (!t.dead && t.proc->pid == pid) out.push_back(t.tid);
  });
  std::sort(out.begin(), out.end(),
            [pid](pid_t a, pid_t b) { return (a == pid) != (b == pid) ? a == pid : a < b; });
  return out;
}

/// Stops every running thread of the debugged processes but `except` (PTRACE_INTERRUPT, then a
/// wait for that thread): all-stop. A thread that stops for another reason first (a syscall,
/// a signal) keeps that stop, which the event loop serves once the debugger releases the
/// thread (debug_replay_); a thread's end is served as soon as the debugger returns. Threads
/// already in a stop are left as they are.
template <class Tool>
void engine<Tool>::debug_stop_others(pid_t except) {
  // Stops released earlier and not served yet are held again: the debugger expects events
  // only of the threads it lets run now (stepping one thread over a breakpoint).
  for (auto it = debug_replay_.begin(); it != debug_replay_.end();) {
    thread_t* t = WIFSTOPPED(it->second) ? find(it->first) : nullptr;
    if (t == nullptr || t->tid == except || !debugging(t->proc->pid)) {
      ++it;
      continue;
    }
    t->held_by_debugger = thread_t::debug_hold::deferred;
    t->debug_status = it->second;
    it = debug_replay_.erase(it);
  }
  std::vector<thread_t*> others;
  records_.for_each_thread([&](thread_t& t) {
    if (t.tid != except && !t.dead && debugging(t.proc->pid) &&
        t.held_by_debugger == thread_t::debug_hold::none)
      others.push_back(&t);
  });
  for (thread_t* t : others) {
    const char state = debug_detail::task_state(t->tid);
    if (state == 0 || state == 'Z' || state == 'X') continue;
    int status = 0;
    pid_t got = 0;
    if (state == 't' || state == 'T') {
      // Stopped already: with a report not yet collected (taken now, so that it reaches the
      // debugger only when the thread is released), or one the engine holds (left as is).
      got = snare::detail::retry_eintr([&] { return ::waitpid(t->tid, &status, __WALL | WNOHANG); });
    } else {
      if (::ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) != 0) continue;
      // Waits a second at most: a thread that cannot stop now (a vfork parent whose child
      // waits for this very loop) runs on, and its interrupt stop, when it comes, resumes it.
      for (int tries = 0; tries < 1000 && got == 0; ++tries) {
        got = snare::detail::retry_eintr([&] { return ::waitpid(t->tid, &status, __WALL | WNOHANG); });
        if (got == 0) ::usleep(1000);
      }
    }
    if (got != t->tid) continue;
    t->have_regs = false;
    // An interrupt stop; a new thread's first stop (the same report) is its own: deferred, so
    // that the engine starts the thread (begin_start) when it is released.
    if (t->started && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP &&
        (status >> 16) == PTRACE_EVENT_STOP) {
      t->held_by_debugger = thread_t::debug_hold::interrupt;
    } else if (WIFSTOPPED(status)) {
      t->held_by_debugger = thread_t::debug_hold::deferred;  // served when released
      t->debug_status = status;
    } else {
      debug_replay_.emplace_back(got, status);  // its end: served once the debugger returns
    }
  }
}

/// Gives back thread `tid`, which the debugger keeps: it goes on from its stop (an exec
/// event, a signal: `sig` delivered when not 0, through the tool's on_signal as any signal;
/// a deferred stop of its own is served as it came, `sig` unused), running one instruction
/// only when `step` (then stopping with SIGTRAP).
template <class Tool>
void engine<Tool>::debug_release(pid_t tid, int sig, bool step) {
  thread_t* t = find(tid);
  if (t != nullptr) t->debug_released = true;  // a child whose first stop has not come yet runs
  if (t == nullptr || t->held_by_debugger == thread_t::debug_hold::none) return;
  const auto why = std::exchange(t->held_by_debugger, thread_t::debug_hold::none);
  t->stepping = step;
  t->have_regs = false;  // the debugger may have written them
  switch (why) {
    case thread_t::debug_hold::exec:
      return on_exec(*t);
    case thread_t::debug_hold::signal:
      if (sig != 0) return deliver_signal(*t, sig);
      return resume(*t);
    case thread_t::debug_hold::deferred:  // its own stop, served now by the loop (with the step)
      debug_replay_.emplace_back(tid, t->debug_status);
      return;
    case thread_t::debug_hold::syscall_entry:
    case thread_t::debug_hold::syscall_exit: {
      // The call as it stands now (the debugger may have changed its registers), served as
      // it would have been without the debugger; a signal cannot be delivered from here.
      syscall_stop s;
      if (!read_call(*t, s, why == thread_t::debug_hold::syscall_entry && !syscall_mode_)) return;
      if (why == thread_t::debug_hold::syscall_entry) return serve_entry_job(*t, s);
      return serve_exit(*t, s.ret);
    }
    case thread_t::debug_hold::fork:
    case thread_t::debug_hold::vfork:
    case thread_t::debug_hold::vfork_done:
    case thread_t::debug_hold::interrupt:
    case thread_t::debug_hold::none:
      return resume(*t);  // no signal can be delivered from an event or interrupt stop
  }
}

// Keeps a new child process of a debugged process at its first stop (status) for the
// debugger, which releases it (debug_release: then it starts as any task does); true when
// kept. Only while the debugger asks (debug_hold_children), and once.
template <class Tool>
bool engine<Tool>::debug_hold_child(thread_t& t, int status) {
  if (debugger_ == nullptr || !debug_hold_children_ || t.debug_released || t.tid != t.proc->pid ||
      t.proc->pid == root_)
    return false;
  const auto parent = parent_of(t.proc->pid);
  if (!parent || !debugging(*parent)) return false;
  t.debug_released = true;  // held once: its release replays this stop, which then starts it
  t.held_by_debugger = thread_t::debug_hold::deferred;
  t.debug_status = status;
  return true;
}

/// Makes the calls in `calls` of the debugged processes stop for the debugger at their entry and
/// exit (debugger::on_syscall), among those that stop for the tool (its subscription): a call
/// the tool does not subscribe to never leaves the kernel, so cannot be caught. Null: none.
template <class Tool>
void engine<Tool>::debug_catch_syscalls(const syscall_set* calls) noexcept {
  debug_catching_ = calls != nullptr;
  debug_catch_ = calls != nullptr ? *calls : syscall_set{};
}

/// Drops the SIGTRAP of thread `tid`'s held stop, if that is what it holds (the debugger puts
/// the thread back onto a breakpoint it hit, to hit it again when it runs: gdbserver's
/// cancel_breakpoint); true when dropped.
template <class Tool>
bool engine<Tool>::debug_drop_trap(pid_t tid) noexcept {
  thread_t* t = find(tid);
  if (t == nullptr) return false;
  const int st = t->debug_status;
  if (t->held_by_debugger != thread_t::debug_hold::deferred || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP ||
      (st >> 16) != 0)
    return false;
  t->held_by_debugger = thread_t::debug_hold::interrupt;  // released without the signal
  return true;
}

/// Returns the registers of thread `tid`, stopped. Errors: no_such_process.
template <class Tool>
result<user_regs_struct> engine<Tool>::debug_registers(pid_t tid) noexcept {
  thread_t* t = find(tid);
  if (t == nullptr || !load_registers(*t)) return std::errc::no_such_process;
  return t->regs;
}

/// Writes the registers of thread `tid`, stopped. Errors: no_such_process.
template <class Tool>
result<void> engine<Tool>::debug_set_registers(pid_t tid, const user_regs_struct& r) noexcept {
  thread_t* t = find(tid);
  if (t == nullptr || !set_regs(*t, r)) return std::errc::no_such_process;
  return {};
}

/// Kills every guest process (SIGKILL, which ends even stopped tracees); the event loop reaps
/// them and the run ends.
template <class Tool>
void engine<Tool>::debug_kill_all() noexcept {
  records_.for_each_process([](process_t& p) { ::kill(p.pid, SIGKILL); });
  for (auto& [tid, h] : held_) ::kill(tid, SIGKILL);
}

}  // namespace snare::backend::ptrace_detail
