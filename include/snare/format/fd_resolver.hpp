// Defines how the formatter learns the path behind a file descriptor for `-y` output:
// the fd_resolver concept, the no-op resolver and one that reads /proc/<pid>/fd/<n>.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include <snare/format/detail/fd_details.hpp>
#include <snare/format/options.hpp>

namespace snare::format {

/// Satisfied by anything that can name what a guest fd refers to. Minimal complete
/// definition: `r.append_fd_path(fd, out) -> bool` appends the path (or `socket:[123]`,
/// `pipe:[45]`, ...) of `fd` in the traced process to `out` and returns true, or leaves
/// `out` unchanged and returns false when the fd is not open or cannot be read. `fd` may
/// be AT_FDCWD (-100), which names the working directory. Must not throw.
/// Models: no_fd_paths, proc_fd_resolver; a test may supply a map. Optional: `r.netlink_protocol(fd)
/// -> int`, the netlink protocol of a socket (-1 when not one), which netlink messages are
/// decoded by; `r.append_fd_details(fd, path, opts, out) -> bool`, which appends strace's
/// -yy form `<...>` of an fd whose path is `path` (a socket's protocol and addresses, a
/// device's numbers, a pidfd's process) as `opts` asks, or returns false to have the path
/// printed; `r.append_pid_note(pid, pid_type, out)`, what follows a pid the call passes or
/// returns (strace -Y's `<comm>`, --decode-pids=pidns's ` /* N in strace's PID NS */`);
/// `r.translate_pid(pid) -> int`, a tgid of the traced thread's pid namespace as `pid()`
/// numbers it (kcmp's fds are resolved only for the traced process); `r.mapping_start(path)
/// -> std::uint64_t`, where the process maps an anonymous-inode file (0: nowhere), which
/// -e kvm=vcpu reads a vcpu's kvm_run at.
template <class R>
concept fd_resolver = requires(R& r, int fd, std::string& out) {
  { r.append_fd_path(fd, out) } -> std::convertible_to<bool>;
};

/// Says which id of a task a pid argument or result names, as /proc/PID/status's NSpid,
/// NStgid, NSpgid and NSsid lines do (strace's enum pid_type): a process group's id is
/// looked up among the groups, not the tasks.
enum class pid_type : unsigned char { tid, tgid, pgid, sid };

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

  /// Returns the netlink protocol (NETLINK_ROUTE, ...) of socket `fd`, or -1 when `fd` is
  /// not a netlink socket or cannot be read: the socket's inode from /proc/<pid>/fd/<fd>,
  /// looked up in /proc/<pid>/net/netlink (the process's network namespace), whose second
  /// column is the protocol and last the inode (strace asks sock_diag for the same fact).
  int netlink_protocol(int fd) const noexcept {
    if (fd < 0) return -1;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/fd/%d", static_cast<int>(pid_), fd);
    char link[64];
    ssize_t n = ::readlink(path, link, sizeof link);
    std::string_view target(link, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (target.substr(0, 8) != "socket:[") return -1;
    unsigned long inode = 0;
    auto [end, ec] = std::from_chars(target.data() + 8, target.data() + target.size(), inode);
    if (ec != std::errc{} || end == target.data() + 8) return -1;
    std::snprintf(path, sizeof path, "/proc/%d/net/netlink", static_cast<int>(pid_));
    int f = ::open(path, O_RDONLY | O_CLOEXEC);
    if (f < 0) return -1;
    // The table is small (one line per netlink socket of the namespace): read it whole.
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(f, buf, sizeof buf)) > 0;) {
      try {
        text.append(buf, static_cast<std::size_t>(n));
      } catch (...) {
        break;
      }
    }
    ::close(f);
    std::size_t pos = text.find('\n');  // the header line
    while (pos != std::string::npos && pos + 1 < text.size()) {
      std::size_t eol = text.find('\n', pos + 1);
      std::string_view line(text.data() + pos + 1, (eol == std::string::npos ? text.size() : eol) - pos - 1);
      pos = eol;
      // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
      unsigned long fields[10]{};
      std::size_t k = 0, i = 0;
      while (k < 10 && i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ') ++j;
        std::from_chars(line.data() + i, line.data() + j, fields[k], k == 0 || k == 3 ? 16 : 10);
        ++k;
        i = j;
      }
      if (k == 10 && fields[9] == inode) return static_cast<int>(fields[1]);
    }
    return -1;
  }

  /// Appends what strace's -yy prints for fd `fd` whose link is `path`, in strace's order:
  /// with options::show_socket_details a socket as `<TCP:[1.2.3.4:80->5.6.7.8:99]>` (asked of
  /// NETLINK_SOCK_DIAG; `<UNIX:[1234]>` when it says nothing of that inode), with
  /// show_device_numbers a device as `</dev/null<char 1:3>>`, with show_pidfd_pids a pidfd
  /// as `<pid:42>`. Returns false, appending nothing, for any other fd.
  bool append_fd_details(int fd, std::string_view path, const options& o, std::string& out) const noexcept {
    try {
      if (o.show_socket_details && path.substr(0, 8) == "socket:[" && path.back() == ']') {
        unsigned long inode = 0;
        auto [end, ec] = std::from_chars(path.data() + 8, path.data() + path.size() - 1, inode);
        if (ec == std::errc{} && end == path.data() + path.size() - 1 && inode != 0) {
          char link[64], proto[256];
          std::snprintf(link, sizeof link, "/proc/%d/fd/%d", static_cast<int>(pid_), fd);
          ssize_t n = ::getxattr(link, "system.sockprotoname", proto, sizeof proto - 1);
          std::string_view name(proto, n > 0 ? strnlen(proto, static_cast<std::size_t>(n)) : 0);
          out.push_back('<');
          if (!detail::append_socket_details(inode, name, out)) out.append(path);
          out.push_back('>');
          return true;
        }
      }
      if (o.show_device_numbers) {
        std::size_t mark = out.size();
        out.push_back('<');
        if (detail::append_device(path, out)) return out.push_back('>'), true;
        out.resize(mark);
      }
      if (o.show_pidfd_pids && path == "anon_inode:[pidfd]") {
        long pid = detail::pidfd_pid(pid_, fd);
        out.push_back('<');
        if (pid > 0)
          out.append("pid:"), detail::put_dec(out, pid);
        else
          out.append(path);
        out.push_back('>');
        return true;
      }
    } catch (...) {
    }
    return false;
  }

  /// Returns whether `path`, the link of fd `fd` ending in " (deleted)", is the kernel's mark
  /// of an unlinked file rather than the file's name: no file at `path`, or another one
  /// (strace's get_proc_pid_fd_path).
  bool fd_path_deleted(int fd, std::string_view path) const noexcept {
    try {
      char link[64];
      std::snprintf(link, sizeof link, "/proc/%d/fd/%d", static_cast<int>(pid_), fd);
      struct stat st_link, st_path;
      if (::stat(link, &st_link) != 0) return false;
      std::string p(path);
      return ::lstat(p.c_str(), &st_path) != 0 || st_link.st_ino != st_path.st_ino ||
             st_link.st_dev != st_path.st_dev;
    } catch (...) {
      return false;
    }
  }

  /// Returns the pid that pidfd `fd` refers to (the `Pid:` of its fdinfo), or -1.
  long pidfd_pid(int fd) const noexcept {
    try {
      return detail::pidfd_pid(pid_, fd);
    } catch (...) {
      return -1;
    }
  }

  /// Returns the process whose fds are resolved.
  pid_t pid() const noexcept { return pid_; }

  /// Returns the start of the process's first mapping of the anonymous-inode file `path`
  /// (device 00:00 in /proc/PID/maps, as strace's vcpu lookup), or 0 when it has none.
  std::uint64_t mapping_start(std::string_view path) const noexcept {
    char name[64];
    std::snprintf(name, sizeof name, "/proc/%d/maps", static_cast<int>(pid_));
    std::FILE* f = std::fopen(name, "re");
    if (!f) return 0;
    std::uint64_t found = 0;
    char line[4096 + 128];
    while (found == 0 && std::fgets(line, sizeof line, f)) {
      unsigned long long start = 0, end = 0, offset = 0, inode = 0;
      unsigned major = 0, minor = 0;
      int at = 0;
      if (std::sscanf(line, "%llx-%llx %*s %llx %x:%x %llu %n", &start, &end, &offset, &major, &minor, &inode,
                      &at) < 6 ||
          at == 0)
        continue;
      std::string_view rest(line + at);
      while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' ')) rest.remove_suffix(1);
      if (major == 0 && rest == path) found = start;
    }
    std::fclose(f);
    return found;
  }

 private:
  pid_t pid_;
};

}  // namespace snare::format
