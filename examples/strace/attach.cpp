// Defines the session's side of -p: a run that attaches to running processes (where the
// trace starts, how the -o file numbers its lines) and the detach at its end (strace's
// " <detached ...>" and "Process N detached", or the keeper of snare's filter); and the
// tasks the tracer meets but does not trace ("Detached unknown pid N").
#include <dirent.h>
#include <errno.h>  // program_invocation_name
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "session.hpp"

namespace strace {

void session::start_attached(const std::vector<int>& pids) {
  started_ = true;  // no spawn work to hide: every call is the process's own
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
  several_attached_ = tasks > 1;
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
