// Defines snare::stop_source: how a program that embeds a tracer ends a run from another
// thread or from a signal handler (async-signal-safe), and what the engines do with it.
// The guests are never left stopped, nor running with a filter that nobody serves: a stop
// sends them a signal and the run goes on serving them until they have all ended
// (docs/fidelity.md, "The tracer is told to stop").
#pragma once

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>

namespace snare {

/// A request to end a run, made from any thread or a signal handler. The first request
/// sends its signal to every guest process the tracer knows (with SIGCONT to a stopped
/// one), as a terminal sends SIGINT to a foreground job; the run then ends when they have
/// ended, so a guest that handles the signal may finish its work (or live on, as it would
/// natively). A second request, or a request for SIGKILL, kills them all. A request made
/// while no run is in progress applies to the next run, which then signals its guest as
/// soon as it has started. One source serves one run at a time.
class stop_source {
 public:
  stop_source() noexcept : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  stop_source(const stop_source&) = delete;
  stop_source& operator=(const stop_source&) = delete;
  ~stop_source() {
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  /// Asks the run to end by sending `sig` (1..64) to the guests. Async-signal-safe: atomic
  /// stores and one write(2) to an eventfd.
  void request(int sig = SIGTERM) noexcept {
    if (sig <= 0 || sig > 64) sig = SIGTERM;
    int none = 0;
    first_signal_.compare_exchange_strong(none, sig);
    requests_.fetch_add(1);
    wake();
  }
  /// Says whether a request was made since the last run ended.
  bool requested() const noexcept { return requests_.load() != 0; }

  // --- for the engines ---

  /// The eventfd that becomes readable at each request (-1 if it could not be made: then
  /// the ptrace engine sees requests only when it next wakes for a guest event, and
  /// seccomp_notify not at all).
  int wake_fd() const noexcept { return wake_fd_; }
  /// Returns the signal a request made since the last call asks for: the first request's
  /// signal, SIGKILL from the second on; 0 when there is none. Called by the engine only.
  int take() noexcept {
    drain();
    const int n = requests_.load();
    if (n == taken_) return 0;
    const int first = first_signal_.load();
    const int sig = taken_ == 0 && n == 1 ? (first != 0 ? first : SIGTERM) : SIGKILL;
    taken_ = n;
    return sig;
  }
  /// Says whether a request has come that take() has not returned yet (no syscall).
  bool pending() const noexcept { return requests_.load() != taken_; }
  /// Forgets the requests of a run that has ended.
  void reset() noexcept {
    drain();
    requests_.store(0);
    first_signal_.store(0);
    taken_ = 0;
  }

 private:
  void wake() noexcept {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    const int saved = errno;  // a signal handler leaves errno as it found it
    (void)!::write(wake_fd_, &one, sizeof one);
    errno = saved;
  }
  void drain() noexcept {
    std::uint64_t n = 0;
    if (wake_fd_ >= 0) (void)!::read(wake_fd_, &n, sizeof n);
  }

  int wake_fd_;
  std::atomic<int> requests_{0};
  std::atomic<int> first_signal_{0};
  int taken_ = 0;  // requests the engine has acted on
};

namespace engine {

/// Wakes a waitpid(-1) loop on a stop request: a child of the tracer that waits until the
/// stop source's eventfd is readable and then exits, which waitpid reports. Made
/// with exit signal 0 (no SIGCHLD; collected with __WALL) and killed with its parent
/// (PR_SET_PDEATHSIG). Holds no other descriptor of the tracer. Used by the ptrace engine,
/// whose only wait is waitpid.
class stop_waker {
 public:
  stop_waker() = default;
  stop_waker(const stop_waker&) = delete;
  stop_waker& operator=(const stop_waker&) = delete;
  ~stop_waker() { end(); }

  /// Starts a waker for `src` unless one runs; returns false when it could not be started.
  bool start(const stop_source& src) noexcept {
    if (pid_ > 0) return true;
    const int fd = src.wake_fd();
    if (fd < 0) return false;
    const pid_t parent = ::getpid();
    const long pid = ::syscall(SYS_clone, 0UL, 0UL, 0UL, 0UL, 0UL);
    if (pid < 0) return false;
    if (pid == 0) {
      // The child: async-signal-safe calls only.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(0);
      if (::dup2(fd, 0) < 0) ::_exit(1);
      ::syscall(SYS_close_range, 1U, ~0U, 0U);
      // Wait until a request makes the eventfd readable; the engine reads it (take()).
      pollfd p{0, POLLIN, 0};
      while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
      }
      ::_exit(0);
    }
    pid_ = static_cast<pid_t>(pid);
    return true;
  }
  /// Says whether a waker runs.
  bool running() const noexcept { return pid_ > 0; }
  /// Says whether `pid`, just reported by waitpid, was the waker (which is then gone).
  bool is(pid_t pid) noexcept {
    if (pid <= 0 || pid != pid_) return false;
    pid_ = -1;
    return true;
  }
  /// Kills and collects the waker.
  void end() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace engine
}  // namespace snare
