// Defines the session's thread and process events of the in_guest backend
// (run_in_guest.cpp): the guests tell their starts and ends themselves, and the session
// turns them into its ptrace-side events (the lines come through session::guest_line).
#include <sys/wait.h>

#include <vector>

#include "session.hpp"

namespace strace {

void session::guest_thread_start(pid_t pid, pid_t tid) {
  if (live_.count(tid)) return;  // told again by an exec
  on_thread_start(pid, tid);
  if (!started_) {
    // The root's calls before the tool object loaded (its execve among them) are not seen.
    started_ = true;
    root_ = pid;
  }
}

void session::guest_thread_exit(pid_t pid, pid_t tid, int code) {
  if (!live_.count(tid)) return;
  thread_info t;
  process_info p;
  on_thread_exit(pid, tid, t, p, snare::exit_status::exited(code));
}

void session::guest_process_exit(pid_t pid, int status) {
  std::vector<pid_t> threads;
  for (auto& [tid, owner] : live_)
    if (owner == pid && tid != pid) threads.push_back(tid);
  const auto end = WIFSIGNALED(status) ? snare::exit_status::killed(WTERMSIG(status), WCOREDUMP(status))
                                       : snare::exit_status::exited(WEXITSTATUS(status));
  for (pid_t tid : threads) {
    thread_info t;
    process_info p;
    on_thread_exit(pid, tid, t, p, end);
  }
  if (!live_.count(pid)) return;  // told already (a reaping parent and the tracer)
  live_.erase(pid);
  on_process_exit(pid, status);
}

}  // namespace strace
