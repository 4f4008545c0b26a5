// Defines the session's side of -p: a run that attaches to running processes (where the
// trace starts, how the -o file numbers its lines) and the detach at its end (strace's
// " <detached ...>" and "Process N detached", or the keeper of snare's filter); the other
// ends of a trace that are not the guest's own: a launched run's cut off at an interrupt,
// which strace makes a detach, and a command that never ran; and the tasks the tracer meets
// but does not trace ("Detached unknown pid N").
#include <dirent.h>
#include <errno.h>  // program_invocation_name
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "session.hpp"

namespace strace {

void session::start_attached(const std::vector<int>& pids, bool with_command) {
  started_ = true;  // no spawn work to hide but the command's (spawning_, on_thread_start)
  launching_ = with_command;
  attach_roots_.assign(pids.begin(), pids.end());
  root_ = pids.empty() ? -1 : pids.front();
  // strace numbers every line of an -o file when it starts with more than one task.
  std::size_t tasks = 0;
  for (int pid : pids) {
    char dir[64];
    std::snprintf(dir, sizeof dir, "/proc/%d/task", pid);
    if (DIR* d = ::opendir(dir)) {
      while (dirent* e = ::readdir(d)) tasks += std::atoi(e->d_name) > 0;
      ::closedir(d);
    }
  }
  several_attached_ = tasks > 1 || with_command;  // strace counts the command's task too
}

void session::on_detach(bool kept) {
  // strace ends a line left open by the detach so, in the -o file or on stderr.
  if (opts_.output_separately) {
    for (auto& [tid, t] : open_lines_) write(tid, " <detached ...>\n");
    open_lines_.clear();
  } else if (open_ != nullptr) {
    write(open_tid_, " <detached ...>\n");
    open_ = nullptr;
    open_tid_ = -1;
  }
  if (!(opts_.quiet & quiet_attach)) {
    std::fflush(out_);
    for (auto& [tid, pid] : live_)
      if (visible(tid)) std::fprintf(stderr, "%s: Process %d detached\n", program_invocation_name, tid);
  }
  if (!kept) return;
  kept_ = true;
  if (!(opts_.quiet & quiet_attach))
    std::fprintf(stderr,
                 "%s: process %d carries snare's seccomp filter: snare-strace's keeper (pid %d) "
                 "serves it until it ends\n",
                 program_invocation_name, root_, static_cast<int>(::getpid()));
  finish();
  if (on_keep_ != nullptr) on_keep_();
}

void session::on_process_detach(pid_t pid) {
  std::vector<pid_t> tids;
  for (auto& [tid, owner] : live_)
    if (owner == pid) tids.push_back(tid);
  const bool shown =
      std::find_if(tids.begin(), tids.end(), [&](pid_t t) { return visible(t); }) != tids.end();
  for (pid_t tid : tids) {
    // strace's droptcb ends the line left open so (its execve's, at the exec event).
    if (opts_.output_separately ? open_lines_.erase(tid) != 0 : open_ != nullptr && open_tid_ == tid) {
      write(tid, " <detached ...>\n");
      if (open_tid_ == tid) open_ = nullptr, open_tid_ = -1;
    }
    held_lines_.erase(tid);
    if (counted(tid)) --live_threads_;
    live_.erase(tid);
  }
  if (pid == root_ || pid == spawned_) root_detached_ = true;
  if (shown && !(opts_.quiet & quiet_attach)) {
    std::fflush(out_);
    std::fprintf(stderr, "%s: Process %d detached\n", program_invocation_name, static_cast<int>(pid));
  }
  pids_.forget(pid);
}

bool session::cut_off() {
  if (cut_) return true;
  if (stop_ == nullptr || !stop_->requested() || !attach_roots_.empty() || daemon_tracee_ != 0) return false;
  cut_ = true;
  auto end_line = [&](pid_t tid, const std::string& s) {
    std::FILE* f = file_for(tid);
    std::fwrite(s.data(), 1, s.size(), f);
  };
  if (status_filtered()) {
    // The entries were held for their result: strace publishes them at the detach when the
    // status set has detached (strace.c, droptcb).
    for (auto& [tid, line] : held_lines_) end_line(tid, line + " <detached ...>\n");
  } else if (opts_.output_separately) {
    for (auto& [tid, t] : open_lines_) end_line(tid, " <detached ...>\n");
  } else if (open_ != nullptr) {
    end_line(open_tid_, " <detached ...>\n");
  } else if (partial_) {
    // A line left open by a path that keeps no open_ (a race with the interrupt): ended too,
    // so that the trace always ends with whole lines.
    std::fputs(" <detached ...>\n", out_);
  }
  open_lines_.clear();
  held_lines_.clear();
  open_ = nullptr;
  open_tid_ = -1;
  std::fflush(nullptr);
  return true;
}

int session::report_exec_failure(const std::string& command) {
  if ((started_ && spawning_ < 0) || exec_errno_ == 0) return 0;
  std::fflush(out_);
  if (exec_errno_ == ENOENT) {
    // strace looks the command up itself before it forks (strace.c, startup_child).
    std::fprintf(stderr, "%s: Can't stat '%s': %s\n", program_invocation_name, command.c_str(),
                 std::strerror(ENOENT));
    return 127;
  }
  // strace's child says why its exec failed and exits with 1, which strace traces.
  std::fprintf(stderr, "%s: exec: %s\n", program_invocation_name, std::strerror(exec_errno_));
  std::fflush(stderr);
  if (!opts_.summary && !(opts_.quiet & quiet_exit))
    write(spawned_, prefix(spawned_) + "+++ exited with 1 +++\n");
  return 1;
}

void session::on_unknown_task(int pid, bool exited) {
  // strace's messages (strace.c, maybe_allocate_tcb), on stderr whatever -o says.
  if (exited ? (opts_.quiet & quiet_exit) != 0 : (opts_.quiet & quiet_attach) != 0) return;
  std::fflush(out_);
  if (exited)
    std::fprintf(stderr, "%s: Exit of unknown pid %d ignored\n", program_invocation_name, pid);
  else
    std::fprintf(stderr, "%s: Detached unknown pid %d\n", program_invocation_name, pid);
}

}  // namespace strace
