// Defines how the formatter learns the path behind a file descriptor for `-y` output:
// the fd_resolver concept, the no-op resolver and one that reads /proc/<pid>/fd/<n>.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <charconv>
#include <concepts>
#include <string>

namespace snare::format {

/// Satisfied by anything that can name what a guest fd refers to. Minimal complete
/// definition: `r.append_fd_path(fd, out) -> bool` appends the path (or `socket:[123]`,
/// `pipe:[45]`, ...) of `fd` in the traced process to `out` and returns true, or leaves
/// `out` unchanged and returns false when the fd is not open or cannot be read. `fd` may
/// be AT_FDCWD (-100), which names the working directory. Must not throw.
/// Models: no_fd_paths, proc_fd_resolver; a test may supply a map.
template <class R>
concept fd_resolver = requires(R& r, int fd, std::string& out) {
  { r.append_fd_path(fd, out) } -> std::convertible_to<bool>;
};

/// Resolves nothing: fds print as plain numbers even when options::show_fd_paths is set.
struct no_fd_paths {
  /// Returns false.
  bool append_fd_path(int, std::string&) const noexcept { return false; }
};

/// Resolves fds of a live process by reading the links /proc/<pid>/fd/<n> and
/// /proc/<pid>/cwd (for AT_FDCWD), as strace -y does.
class proc_fd_resolver {
 public:
  /// Resolves the fds of process `pid`.
  explicit proc_fd_resolver(pid_t pid) noexcept : pid_(pid) {}

  /// Appends the link target of fd `fd`; false when the link cannot be read.
  bool append_fd_path(int fd, std::string& out) const noexcept {
    char link[64] = "/proc/";
    char* p = link + 6;
    p = std::to_chars(p, link + sizeof link, pid_).ptr;
    if (fd == -100) {
      constexpr char cwd[] = "/cwd";
      for (char c : cwd) *p++ = c;
    } else {
      constexpr char fd_dir[] = "/fd/";
      for (std::size_t i = 0; i + 1 < sizeof fd_dir; ++i) *p++ = fd_dir[i];
      if (fd < 0) return false;
      p = std::to_chars(p, link + sizeof link - 1, fd).ptr;
      *p = '\0';
    }
    char target[4096];
    ssize_t n = ::readlink(link, target, sizeof target);
    if (n <= 0) return false;
    try {
      out.append(target, static_cast<std::size_t>(n));
    } catch (...) {
      return false;
    }
    return true;
  }

  /// Returns the process whose fds are resolved.
  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_;
};

}  // namespace snare::format
