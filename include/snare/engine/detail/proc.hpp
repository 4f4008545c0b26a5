// Defines what backends read from /proc when the kernel event that told them of a task did
// not say (proc(5)): a task's identity (read_task_ids), whether a process is stopped
// (process_is_stopped), the signal it sends its parent at its end (read_exit_signal), and
// the processes descending from a set of processes (descendants_of).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>

namespace snare::detail {

/// Returns thread `tid` (an id in the caller's pid namespace) as the thread sees itself: the
/// last id of its NSpid line in /proc/<tid>/status (proc(5)), for ids the guest's kernel
/// reads in its own namespace (sigevent's thread id); `tid` itself when there is no NSpid.
inline pid_t innermost_tid(pid_t tid) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", tid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return tid;
  char buf[4096];
  auto n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
  if (n <= 0) return tid;
  buf[n] = '\0';
  const char* line = std::strstr(buf, "\nNSpid:");
  if (line == nullptr) return tid;
  pid_t last = tid;
  char* p = const_cast<char*>(line) + 7;
  for (;;) {
    char* end = nullptr;
    long v = std::strtol(p, &end, 10);
    if (end == p) break;
    last = static_cast<pid_t>(v);
    p = end;
    if (*p == '\n' || *p == '\0') break;
  }
  return last;
}

/// A task's thread-group id (its process) and its process's parent, from /proc/<tid>/status.
struct task_ids {
  pid_t tgid = 0;
  pid_t ppid = 0;
};

/// Reads the Tgid and PPid lines of /proc/<tid>/status; nullopt when the task is gone.
inline std::optional<task_ids> read_task_ids(pid_t tid) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", tid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char buf[2048];
  auto n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  const char* t = std::strstr(buf, "\nTgid:");
  const char* p = std::strstr(buf, "\nPPid:");
  if (t == nullptr || p == nullptr) return std::nullopt;
  return task_ids{static_cast<pid_t>(std::strtol(t + 6, nullptr, 10)),
                  static_cast<pid_t>(std::strtol(p + 6, nullptr, 10))};
}

/// Says whether process `pid` is in a group-stop: state T in /proc/<pid>/stat.
inline bool process_is_stopped(pid_t pid) noexcept {
  char path[64], buf[512];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  auto n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  return close != nullptr && close[1] == ' ' && close[2] == 'T';
}

/// Returns the signal task `tid` sends its parent when it ends (field 38, exit_signal, of
/// /proc/<tid>/stat; proc(5)): clone's CSIGNAL byte, 0 for a thread; -1 when it is gone.
inline int read_exit_signal(pid_t tid) noexcept {
  char path[64], buf[1024];
  std::snprintf(path, sizeof path, "/proc/%d/stat", tid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return -1;
  auto n = retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf - 1); });
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  if (p == nullptr) return -1;
  // The space after ')' opens field 3 (state); each further one opens the next field.
  for (int field = 2; field < 38 && p != nullptr; ++field) p = std::strchr(p + 1, ' ');
  if (p == nullptr) return -1;
  return static_cast<int>(std::strtol(p + 1, nullptr, 10));
}

/// Returns the processes that descend from one of `roots` now (children, their children...;
/// the roots themselves excluded), from the PPid lines of /proc/<pid>/status. A process
/// whose parent died before this call (an orphan, now init's or a subreaper's) is not found.
inline std::vector<pid_t> descendants_of(std::span<const pid_t> roots) {
  std::unordered_map<pid_t, std::vector<pid_t>> children;
  if (DIR* d = ::opendir("/proc")) {
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (pid <= 0 || *end != '\0') continue;
      if (auto ids = read_task_ids(static_cast<pid_t>(pid)))
        children[ids->ppid].push_back(static_cast<pid_t>(pid));
    }
    ::closedir(d);
  }
  std::vector<pid_t> found, todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    auto it = children.find(p);
    if (it == children.end()) continue;
    for (pid_t c : it->second) {
      found.push_back(c);
      todo.push_back(c);
    }
    children.erase(it);  // each parent once, whatever the ppid graph holds
  }
  return found;
}

}  // namespace snare::detail
