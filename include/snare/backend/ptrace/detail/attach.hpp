// Defines how the ptrace engine attaches to running processes (every thread, as strace
// does) and detaches from them, leaving each task as it was: a signal it was about to get
// is delivered, a call it was in runs or restarts as the kernel would, a group-stop stays.
#pragma once

#include <dirent.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

// Says whether task `tid` has exited (state Z or X in /proc/<tid>/stat, or no such task).
inline bool task_is_dead(pid_t tid) noexcept {
  char path[64], buf[512];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(tid));
  FILE* f = std::fopen(path, "re");
  if (f == nullptr) return true;
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  return close == nullptr || close[1] != ' ' || close[2] == 'Z' || close[2] == 'X';
}

template <class Tool>
int engine<Tool>::attach(std::span<const pid_t> pids) {
  const char* name = "attach";
  if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
  // Both are set up in the guest before its exec (PR_SET_TSC, arch_prctl): not from outside.
  if (plan_.trap_rdtsc || plan_.trap_cpuid)
    return this->refuse_option("intercept RDTSC or CPUID in a process it attaches to");
  attach_mode_ = true;
  // No snare filter in an attached process: every call stops at its entry and exit. No
  // PTRACE_O_EXITKILL: the tracer's end must not kill what it attached to. No
  // PTRACE_O_TRACESECCOMP: the process's own filters' RET_TRACE fails with ENOSYS, as before.
  syscall_mode_ = true;
  long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT;
  if (options_.follow_forks) opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  for (pid_t pid : pids) {
    const int e = seize_process(pid, opts);
    if (e != 0) {
      if (options_.report_exec_failure)
        std::fprintf(stderr, "snare: attach: ptrace(PTRACE_SEIZE, %d): %s\n", static_cast<int>(pid),
                     std::strerror(e));
      continue;
    }
    const pid_t tgid = read_tgid(pid);
    if (root_ < 0) root_ = tgid;
    this->attached_.push_back(tgid);
  }
  if (root_ < 0) {
    this->finish(exit_status{});
    return 1;
  }
  if (options_.stop) (void)waker_.start(*options_.stop);
  loop();
  if (detached_) {
    this->finish(exit_status{});
    return 0;
  }
  return this->finish(root_reaped_ ? exit_status::from_wait_status(root_status_) : exit_status{});
}

// Seizes every thread of the process of `pid`, reading /proc/PID/task again until a pass
// finds no new thread (one may be cloned by a thread not yet seized), and interrupts each:
// its first stop is that interrupt, where its start is told (events.hpp, begin_start).
// Threads cloned by a seized thread are the kernel's to attach (PTRACE_O_TRACECLONE); their
// seize here fails (EPERM: traced already) and is left to the clone event. Returns 0, or
// the errno of the first thread's seize (ESRCH: no such process).
template <class Tool>
int engine<Tool>::seize_process(pid_t pid, long ptrace_options) {
  auto ids = snare::detail::read_task_ids(pid);
  if (!ids) return ESRCH;
  const pid_t tgid = ids->tgid;
  if (records_.find_process(tgid) != nullptr) return 0;  // named twice
  char dir[64];
  std::snprintf(dir, sizeof dir, "/proc/%d/task", static_cast<int>(tgid));
  std::unordered_set<pid_t> tried;
  int first_error = 0;
  bool any = false;
  for (bool grew = true; grew;) {
    grew = false;
    DIR* d = ::opendir(dir);
    if (d == nullptr) break;  // the process is gone
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      const long v = std::strtol(e->d_name, &end, 10);
      if (v <= 0 || *end != '\0') continue;
      const auto tid = static_cast<pid_t>(v);
      if (!tried.insert(tid).second) continue;
      if (::ptrace(PTRACE_SEIZE, tid, 0, ptrace_options) != 0) {
        if (!any && first_error == 0) first_error = errno;
        continue;
      }
      ::ptrace(PTRACE_INTERRUPT, tid, 0, 0);
      add_thread(tid, tgid);
      any = grew = true;
    }
    ::closedir(d);
  }
  if (any) return 0;
  return first_error != 0 ? first_error : ESRCH;
}

// Puts back the registers of a thread whose handler injected a call and is ended by the
// detach: the call it stopped at runs again (entry), keeps its result (exit), or restarts
// as the kernel would (another stop). Signals held back meanwhile are raised again.
template <class Tool>
void engine<Tool>::put_back(thread_t& t) noexcept {
  if (!t.injected) return;
  user_regs_struct r = t.saved;
  if (t.stop == stop_kind::entry) {
    regs::rewind_syscall(r);
    regs::set_syscall_number(r, t.nr);
  } else if (t.stop != stop_kind::exit) {
    regs::restart_interrupted_call(r);
  }
  set_regs(t, r);
  t.injected = false;
  raise_deferred_signals(t);
}

// Detaches from every task of an attached run (ptrace(2), "Detaching"): each is stopped with
// PTRACE_INTERRUPT and detached at its next stop, with the signal of a signal-delivery-stop
// (so that it is not lost; the kernel delivers it on detach); 0 at any other stop, where a
// call in progress completes or restarts and a group-stop stays in effect (the kernel puts a
// task detached in a group-stop back into it). A handler still running (waiting, or in an
// injected call) is ended first, as at the end of a run; its thread's registers are put back.
// Tasks born meanwhile (a fork's child, traced by the kernel) are detached at their first
// stop. The tool is told nothing more: the tasks have not ended.
template <class Tool>
void engine<Tool>::detach_all() noexcept {
  detached_ = true;
  waker_.end();
  std::unordered_set<pid_t> awaited, done;
  auto detach = [&](pid_t tid, int sig) {
    ::ptrace(PTRACE_DETACH, tid, 0, sig);
    done.insert(tid);
    awaited.erase(tid);
  };
  // A thread whose handler waits (wait_until) is stopped at its stop now; one in an injected
  // call runs and is caught at its next stop.
  std::unordered_map<pid_t, thread_t*> busy;
  waiters_.clear();
  records_.for_each_thread([&](thread_t& t) {
    if (!t.worker.busy()) return;
    const bool was_injecting = t.injecting;
    t.dead = true;  // its inject or wait returns no_such_process; the handler ends
    t.injecting = false;
    try {
      while (t.worker.busy()) t.worker.resume();
    } catch (...) {
    }
    if (was_injecting) {
      busy[t.tid] = &t;
      return;
    }
    put_back(t);
    // A signal's handler ended: the signal goes on, as it came.
    const bool at_signal = t.job == job_kind::event && t.event_handlers == &engine::signal_handlers;
    detach(t.tid, at_signal ? t.event_value : 0);
  });
  for (auto& [tid, h] : held_) detach(tid, 0);  // a new task's first stop, held
  held_.clear();
  records_.for_each_thread([&](thread_t& t) {
    if (done.count(t.tid) != 0) return;
    // A zombie (a leader whose process lives on in other threads) reports no stop again; the
    // kernel detaches it when the process ends or the tracer's process exits.
    if (task_is_dead(t.tid)) return;
    if (::ptrace(PTRACE_INTERRUPT, t.tid, 0, 0) == 0) awaited.insert(t.tid);
  });
  while (!awaited.empty()) {
    int status = 0;
    const pid_t p = ::waitpid(-1, &status, __WALL);
    if (p < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: nothing left to detach from
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (p == root_) {
        root_status_ = status;
        root_reaped_ = true;
      }
      awaited.erase(p);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    const int sig = WSTOPSIG(status);
    const int event = status >> 16;
    if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK) {
      unsigned long child = 0;
      if (::ptrace(PTRACE_GETEVENTMSG, p, 0, &child) == 0 && child > 0 &&
          done.count(static_cast<pid_t>(child)) == 0)
        awaited.insert(static_cast<pid_t>(child));  // its first stop is still to come
    }
    if (auto it = busy.find(p); it != busy.end()) {
      put_back(*it->second);
      busy.erase(it);
    }
    // A signal-delivery-stop: no event, not a syscall stop.
    const bool signal_stop = event == 0 && sig != (SIGTRAP | 0x80);
    detach(p, signal_stop ? sig : 0);
  }
  waiters_.end_all(records_);
  records_.clear();
}

}  // namespace snare::backend::ptrace_detail
