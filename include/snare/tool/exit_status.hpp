// Defines snare::exit_status: how a guest process or thread ended (exited with a code, killed
// by a signal, with or without a core dump, from its wait status (wait(2)); or, for a thread,
// superseded by another thread's execve). Part of the tool model: see snare/tool.hpp.
#pragma once

#include <sys/wait.h>

#include <cstdint>

namespace snare {

/// How a guest process or thread ended. Made from a wait status; `shell_code()` is the int
/// run() returns (the code, or 128+N for signal N, as a shell reports it).
class exit_status {
 public:
  enum class kind : std::uint8_t { unknown, exited, killed, superseded };

  constexpr exit_status() noexcept = default;
  /// Returns the status of a process that exited with `code` (0..255).
  static constexpr exit_status exited(int code) noexcept { return {kind::exited, code & 0xff, 0, false}; }
  /// Returns the status of a process killed by signal `sig`, `core` when it dumped core.
  static constexpr exit_status killed(int sig, bool core = false) noexcept {
    return {kind::killed, 0, sig, core};
  }
  /// Returns the end of a process's leader thread when another thread of the process, `tid`,
  /// called execve: the kernel ends the leader and gives its id to the exec'ing thread,
  /// which carries on (execve(2), "All threads other than the calling thread are destroyed";
  /// strace prints "+++ superseded by execve in pid TID +++"). Threads only.
  static constexpr exit_status superseded(int tid) noexcept { return {kind::superseded, tid, 0, false}; }
  /// Returns the status a wait status describes; unknown for anything else (-1: the backend
  /// could not know, docs/seccomp_notify.md).
  static constexpr exit_status from_wait_status(int ws) noexcept {
    if (ws < 0) return {};
    if (WIFEXITED(ws)) return exited(WEXITSTATUS(ws));
    if (WIFSIGNALED(ws)) return killed(WTERMSIG(ws), WCOREDUMP(ws));
    return {};
  }

  /// Returns what kind of end this was.
  constexpr kind what() const noexcept { return kind_; }
  constexpr bool is_exited() const noexcept { return kind_ == kind::exited; }
  constexpr bool is_killed() const noexcept { return kind_ == kind::killed; }
  constexpr bool is_superseded() const noexcept { return kind_ == kind::superseded; }
  /// Returns the id the exec'ing thread had before it took the leader's (0 unless
  /// is_superseded()).
  constexpr int superseded_by() const noexcept { return kind_ == kind::superseded ? code_ : 0; }
  /// Returns the exit code (0 unless is_exited()).
  constexpr int code() const noexcept { return kind_ == kind::exited ? code_ : 0; }
  /// Returns the killing signal (0 unless is_killed()), and whether a core was dumped.
  constexpr int signal() const noexcept { return signal_; }
  constexpr bool core_dumped() const noexcept { return core_; }
  /// Returns the code a shell reports: the exit code, 128+N when killed by signal N, 1 when
  /// unknown or superseded.
  constexpr int shell_code() const noexcept {
    return kind_ == kind::exited ? code_ : kind_ == kind::killed ? 128 + signal_ : 1;
  }
  /// Returns the wait status this end would give (0x80 marks a core dump); -1 when unknown
  /// or superseded.
  constexpr int wait_status() const noexcept {
    return kind_ == kind::exited ? code_ << 8 : kind_ == kind::killed ? (signal_ | (core_ ? 0x80 : 0)) : -1;
  }
  friend constexpr bool operator==(const exit_status&, const exit_status&) = default;

 private:
  constexpr exit_status(kind k, int code, int sig, bool core) noexcept
      : kind_(k), code_(code), signal_(sig), core_(core) {}
  kind kind_ = kind::unknown;
  int code_ = 0;
  int signal_ = 0;
  bool core_ = false;
};

}  // namespace snare
