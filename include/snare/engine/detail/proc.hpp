// Defines snare::detail::read_task_ids: a guest task's identity read from /proc, which
// backends use when the kernel event that told them of the task did not say (proc(5)).
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>

namespace snare::detail {

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

}  // namespace snare::detail
