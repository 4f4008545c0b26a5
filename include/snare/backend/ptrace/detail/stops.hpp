// Defines the ptrace engine's event loop: waitpid(-1, __WALL) until every guest is gone,
// each stop sorted to its handler (syscall, seccomp, new task, exec, group-stop, signal),
// handlers in wait_until woken after each event, and stop requests served.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <unordered_set>
#include <vector>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/engine/notify.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
void engine<Tool>::loop() {
  for (;;) {
    int status = 0;
    pid_t tid = 0;
    if (!debug_replay_.empty()) {  // stops a debugger's stop-the-world took (detail/debug.hpp)
      std::tie(tid, status) = debug_replay_.front();
      debug_replay_.erase(debug_replay_.begin());
    } else {
      tid = ::waitpid(-1, &status, __WALL);
    }
    if (tid < 0) {
      if (errno == EINTR) continue;
      tracees_gone_ = true;  // ECHILD: every guest is gone
      break;
    }
    if (waker_.is(tid)) {
      on_stop_request();
      if (detached_) break;
      continue;
    }
    handle(tid, status);
    if (!waiters_.empty()) wake_waiters();
    // Once the first process is reaped, a record whose task no longer exists (left by an
    // event the kernel never sent) is retired, so that it cannot hold the run open.
    if (root_reaped_ && !WIFSTOPPED(status)) retire_stale_records();
    // With no guest task left, the waker would be the only child: end it so that waitpid
    // says ECHILD (a task not yet reported still reports; the loop goes on then).
    if (records_.empty()) waker_.end();
    // A request the waker could not carry (it is not running): serve it now.
    if (options_.stop && !waker_.running() && options_.stop->pending()) on_stop_request();
    if (detached_) break;
  }
}

// Resumes the handlers whose wait_until condition holds. When every thread the engine
// knows waits, none can wake: the run ends with an error rather than hang.
template <class Tool>
void engine<Tool>::wake_waiters() {
  waiters_.wake([this](thread_t& t) {
    serving_ = t.tid;  // as in handle(): kept should the handler throw
    t.worker.resume();
    if (!t.worker.busy()) finish_job(t);
    serving_ = -1;
  });
  if (waiters_.empty() || !held_.empty()) return;
  std::size_t threads = 0;
  records_.for_each_thread([&](thread_t&) { ++threads; });
  if (waiters_.size() == threads)
    throw std::runtime_error("snare: every guest thread waits in wait_until, and nothing can wake one");
}

template <class Tool>
void engine<Tool>::retire_stale_records() {
  std::vector<pid_t> stale;
  records_.for_each_thread([&](thread_t& t) {
    if (::kill(t.tid, 0) != 0 && errno == ESRCH) stale.push_back(t.tid);
  });
  for (pid_t tid : stale) {
    auto rec = records_.take(tid);
    retire(*rec, exit_status{}, true);  // how it ended is unknown
    records_.release(std::move(rec));
  }
}

// A request to stop the run: signal every guest process (SIGCONT too to one in a group-
// stop, so that it acts on it) and go on serving them until they end.
// In an attached run the request detaches instead (detail/attach.hpp).
template <class Tool>
void engine<Tool>::on_stop_request() {
  if (attach_mode_) {
    // Without snare's filter: detach. With it the tracer cannot leave (the filter's calls
    // would fail with ENOSYS): the tool is told nothing more and the filter's stops go on
    // being served, silently, until the processes end. Later requests change nothing.
    if (const int sig = this->take_stop_request(); sig != 0 && !keeping_) {
      if (!attach_too_.empty() && !root_reaped_) {  // the command gets the signal (strace.c, cleanup)
        ::kill(root_, SIGCONT);
        ::kill(root_, sig);
      }
      if (syscall_mode_) {
        detach_all();
        return snare::engine::notify_detach(*tool_, false);
      }
      keep_silently();
    }
    if (!records_.empty()) (void)waker_.start(*options_.stop);
    return;
  }
  if (int sig = this->take_stop_request(); sig != 0) {
    stop_signal_ = sig;  // also for the processes recorded from now on (add_thread)
    records_.for_each_process([&](process_t& p) { ::kill(p.pid, sig); });
    // SIGCONT once to each process with a thread in a group-stop.
    std::unordered_set<pid_t> continued;
    if (sig != SIGKILL)
      records_.for_each_thread([&](thread_t& t) {
        if (t.group_stopped && continued.insert(t.proc->pid).second) ::kill(t.proc->pid, SIGCONT);
      });
  }
  if (!records_.empty()) (void)waker_.start(*options_.stop);
}

template <class Tool>
void engine<Tool>::handle(pid_t tid, int status) {
  // The task whose stop is served: left stopped should a handler's exception end the run
  // here (attach's detach then lets it go; detail/attach.hpp).
  struct served {
    pid_t& s;
    pid_t before = s;
    int n = std::uncaught_exceptions();
    ~served() {
      if (std::uncaught_exceptions() == n) s = before;  // a nested handle() gives it back
    }
  } mark{serving_};
  serving_ = tid;
  if (WIFEXITED(status) || WIFSIGNALED(status)) return on_gone(tid, status);
  if (!WIFSTOPPED(status)) return;
  if (find(tid) == nullptr && let_go_unfollowed(tid)) return;
  if ((status >> 16) == PTRACE_EVENT_STOP && find(tid) == nullptr && hold_first_stop(tid, status)) return;
  thread_t& t = find_or_add(tid);
  t.group_stopped = false;
  t.have_regs = false;  // it ran since they were read
  if (!t.started) {
    if (debug_hold_child(t, status)) return;
    return begin_start(t, status);
  }
  handle_stop(t, status);
}

// Sorts one stop of a started thread to its handler.
template <class Tool>
void engine<Tool>::handle_stop(thread_t& t, int status) {
  int sig = WSTOPSIG(status);
  int event = status >> 16;
  if (t.precise == thread_t::precise_stage::stepping && on_precise_step(t, sig, event)) return;
  if (sig == (SIGTRAP | 0x80)) return on_syscall_stop(t);
  if (sig == SIGTRAP && event != 0) {
    switch (event) {
      case PTRACE_EVENT_SECCOMP:
        return on_seccomp_stop(t);
      case PTRACE_EVENT_CLONE:
      case PTRACE_EVENT_FORK:
      case PTRACE_EVENT_VFORK:
        return on_new_task(t, event);
      case PTRACE_EVENT_EXEC:
        if (debug_take(t, thread_t::debug_hold::exec, SIGTRAP)) return;
        return on_exec(t);
      case PTRACE_EVENT_EXIT:  // PTRACE_O_TRACEEXIT: the thread is leaving, still stopped
        if (followed(t)) snare::engine::notify_thread_exiting(*tool_, t.g);
        return resume(t);
      case PTRACE_EVENT_VFORK_DONE:
        if (debug_take(t, thread_t::debug_hold::vfork_done, SIGTRAP)) return;
        return resume(t);
      case PTRACE_EVENT_STOP:
        return resume(t);  // first stop of a new task, or an interrupt
      default:
        return resume(t);
    }
  }
  if (event == PTRACE_EVENT_STOP) {
    // Group-stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): stay stopped as without a tracer,
    // yet keep reporting (PTRACE_LISTEN) so SIGCONT and SIGKILL are seen.
    if (followed(t)) snare::engine::notify_stop(*tool_, sig, t.g);
    t.group_stopped = true;
    ::ptrace(PTRACE_LISTEN, t.tid, 0, 0);
    return;
  }
  on_signal(t, sig);
}

}  // namespace snare::backend::ptrace_detail
