// Defines spawn_guest: starts a command with a seccomp filter whose listener fd ends up in
// the supervisor and nowhere else, without the child making any syscall the filter could trap
// before the supervisor holds the listener.
#pragma once

#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <snare/backend/seccomp_notify/detail/abi.hpp>
#include <snare/detail/posix.hpp>
#include <snare/engine/command.hpp>
#include <snare/engine/detail/launch.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/result.hpp>

namespace snare::detail::seccomp {

/// The page the child and the supervisor share during the handshake.
struct spawn_handshake {
  std::atomic<int> state{0};  // 0 starting, 1 listener installed, 2 supervisor holds it, -1 failed
  // -1 also after the acknowledgement: the guest's first execve failed (errno in `error`).
  std::atomic<int> listener_fd{-1};
  std::atomic<int> error{0};
  std::atomic<int> step{0};  // a launch step that failed (launch_step), with its item
  std::atomic<int> item{0};
};
static_assert(std::atomic<int>::is_always_lock_free, "the handshake needs lock-free atomics across fork");

/// Owns the shared handshake page (unmapped on destruction); kept for the whole run so the
/// supervisor can learn that the child's first execve failed.
class handshake_page {
 public:
  handshake_page() noexcept = default;
  explicit handshake_page(void* p) noexcept : p_(static_cast<spawn_handshake*>(p)) {}
  handshake_page(handshake_page&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  handshake_page& operator=(handshake_page&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~handshake_page() {
    if (p_) ::munmap(p_, sizeof(spawn_handshake));
  }
  spawn_handshake* get() const noexcept { return p_; }

 private:
  spawn_handshake* p_ = nullptr;
};

/// The guest started by spawn_guest: its pid, a pidfd on it, and the filter's listener.
struct spawned_guest {
  pid_t pid = -1;
  unique_fd pidfd;
  unique_fd listener;
  /// The guest's own copy of the listener lives at this fd number until its first execve
  /// completes (the fd is close-on-exec); see neutralise_child_listener.
  int child_listener_fd = -1;
  /// The handshake page: tells whether the first execve failed (exec_error).
  handshake_page page;

  /// Returns the errno of the child's failed first execve, or 0 (it ran, or has not tried).
  int exec_error() const noexcept {
    auto* h = page.get();
    return h && h->state.load(std::memory_order_acquire) == -1 ? h->error.load(std::memory_order_relaxed) : 0;
  }
};

namespace spawn_child {
// Runs in the forked child only: async-signal-safe calls, no allocation.

[[noreturn]] inline void fail(spawn_handshake* h, int err) noexcept {
  h->error.store(err, std::memory_order_relaxed);
  h->state.store(-1, std::memory_order_release);
  ::_exit(127);
}

inline double now_seconds() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // the vDSO: no syscall, nothing the filter sees
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] inline void run(spawn_handshake* h, const char* path, const launch_plan& plan,
                             const sock_fprog* prog, unsigned filter_flags, int pin_cpu,
                             bool may_yield) noexcept {
  // Signals: the supervisor may block or handle some; the guest starts clean. SIGILL's default
  // action is what ends this child should the supervisor vanish mid-handshake (below).
  sigset_t none;
  ::sigemptyset(&none);
  reset_caught_signals();  // the supervisor's handlers (engine/spawn.hpp)
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGILL, SIG_DFL);
  // The command's setup, before the filter: nothing of it is trapped.
  if (auto at = apply_in_child(plan); at.step != launch_step::none) {
    h->step.store(static_cast<int>(at.step), std::memory_order_relaxed);
    h->item.store(at.item, std::memory_order_relaxed);
    fail(h, at.err);
  }
  if (int err = pin_to_cpu(pin_cpu); err != 0) fail(h, err);
  // no_new_privs only when the supervisor is unprivileged (engine/spawn.hpp).
  long fd = install_seccomp_filter(*prog, SECCOMP_FILTER_FLAG_NEW_LISTENER | filter_flags);
  if (fd < 0) fail(h, errno);
  // From here on every syscall may be trapped, and nobody answers until the supervisor holds
  // the listener: publish it through memory and wait in user space.
  h->listener_fd.store(static_cast<int>(fd), std::memory_order_relaxed);
  h->state.store(1, std::memory_order_release);
  const double give_up = now_seconds() + 30.0;
  while (h->state.load(std::memory_order_acquire) != 2) {
    __builtin_ia32_pause();
    // Under a real-time policy on one CPU the supervisor never runs while this spins: yield
    // when the caller says the filter lets sched_yield through (it would block otherwise).
    if (may_yield) ::syscall(SYS_sched_yield);
    // A dead supervisor never answers; any syscall here could block forever on our own copy
    // of the listener, so end without one.
    if (now_seconds() > give_up) __builtin_trap();
  }
  if (plan.is_function()) {
    // No execve closes this copy of the listener: the supervisor holds its own now (a close
    // the tool may see, when it subscribes to close).
    ::close(static_cast<int>(fd));
    run_function_guest(plan);
  }
  ::execve(path, plan.argv.data(), plan.envp.data());
  fail(h, errno);
}

}  // namespace spawn_child

/// Starts the guest of a prepared launch (snare::command; engine/detail/launch.hpp): its
/// program (searched in PATH) or its function, with `program` installed as its seccomp
/// filter after the launch's setup, pinned to CPU `pin_cpu` when >= 0, and returns the guest
/// with the listener. Pass `child_may_yield` when `program` lets sched_yield through: the
/// child then yields while it waits for the supervisor (needed under SCHED_FIFO on one CPU),
/// else it spins. `filter_flags` are added to SECCOMP_FILTER_FLAG_NEW_LISTENER
/// (seccomp(2)). A command that cannot run is not an error here: the child's execve fails
/// in the guest, as under ptrace, and spawned_guest::exec_error() says why once it has.
/// Errors: invalid_argument for an empty program, the errno of the launch's setup (its step
/// in `*failed`, when given), of prctl/seccomp when the filter is refused, of clone(2) when
/// the namespaces are refused, ECHILD when the child died during the handshake.
inline result<spawned_guest> spawn_guest(launch_plan& plan, std::span<const sock_filter> program,
                                         int pin_cpu = -1, bool child_may_yield = false,
                                         unsigned filter_flags = 0, launch_failure* failed = nullptr) {
  if (plan.file.empty() && !plan.is_function()) return std::errc::invalid_argument;
  // A command that cannot be found still starts a child, whose execve then fails in the
  // guest as under ptrace (the tool sees the attempt; exec_error() tells the caller).
  std::string path;
  if (plan.is_function()) {
  } else if (auto found = find_program(plan.file)) {
    path = std::move(*found);
  } else if (plan.file.find('/') != std::string::npos) {
    path = plan.file;
  } else {
    const char* env_path = std::getenv("PATH");
    std::string_view dirs = env_path && *env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
    path = std::string(dirs.substr(0, dirs.find(':'))) + "/" + plan.file;
  }
  sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};

  void* page =
      ::mmap(nullptr, sizeof(spawn_handshake), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return result<spawned_guest>::from_errno(errno);
  auto* h = new (page) spawn_handshake{};
  handshake_page owner(page);

  if (plan.is_function()) std::fflush(nullptr);  // else the child's copy of the buffers is written twice
  pid_t pid = fork_for(plan);
  if (pid < 0) {
    int e = errno;
    if (failed && plan.clone_flags != 0) *failed = launch_failure{launch_step::clone, 0, e};
    return result<spawned_guest>::from_errno(e);
  }
  if (pid == 0) spawn_child::run(h, path.c_str(), plan, &prog, filter_flags, pin_cpu, child_may_yield);
  plan.close_child_ends();

  spawned_guest g;
  g.pid = pid;
  auto reap = [&](std::errc e) -> result<spawned_guest> {
    int status = 0;
    ::kill(pid, SIGKILL);
    retry_eintr([&] { return ::waitpid(pid, &status, 0); });
    return e;
  };
  // The child is ours and unreaped, so its pid cannot be recycled under this pidfd.
  auto pidfd = checked([&] { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); });
  if (!pidfd) return reap(pidfd.error());
  g.pidfd.reset(*pidfd);

  // Wait for the listener, with a growing sleep: the child makes no syscall we could wait on.
  long nap_ns = 10'000;
  while (true) {
    int s = h->state.load(std::memory_order_acquire);
    if (s == 1) break;
    if (s == -1) {
      if (failed)
        *failed =
            launch_failure{static_cast<launch_step>(h->step.load(std::memory_order_relaxed)),
                           h->item.load(std::memory_order_relaxed), h->error.load(std::memory_order_relaxed)};
      return reap(static_cast<std::errc>(h->error.load(std::memory_order_relaxed)));
    }
    siginfo_t si{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
      return reap(std::errc::no_child_process);
    timespec ts{0, nap_ns};
    ::nanosleep(&ts, nullptr);
    nap_ns = std::min(nap_ns * 2, 1'000'000L);
  }
  g.child_listener_fd = h->listener_fd.load(std::memory_order_relaxed);
  auto fd = checked(
      [&] { return static_cast<int>(::syscall(SYS_pidfd_getfd, g.pidfd.get(), g.child_listener_fd, 0)); });
  if (!fd) return reap(fd.error());
  g.listener.reset(*fd);
  h->state.store(2, std::memory_order_release);
  g.page = std::move(owner);
  return g;
}

/// Starts `argv` (argv[0] searched in PATH) in the environment `envp` (null: the
/// supervisor's), otherwise as spawn_guest(plan, ...) does.
inline result<spawned_guest> spawn_guest(std::span<const char* const> argv,
                                         std::span<const sock_filter> program, char* const* envp = nullptr,
                                         int pin_cpu = -1, bool child_may_yield = false,
                                         unsigned filter_flags = 0) {
  if (argv.empty() || argv[0] == nullptr) return std::errc::invalid_argument;
  launch_plan plan;
  launch_io io;
  if (prepare_launch(command::from_argv(argv), plan, io)) return std::errc::invalid_argument;
  if (envp != nullptr) {
    plan.envp.clear();
    for (char* const* e = envp; *e; ++e) plan.envp.push_back(*e);
    plan.envp.push_back(nullptr);
  }
  return spawn_guest(plan, program, pin_cpu, child_may_yield, filter_flags);
}

/// Closes the guest's own copy of the listener while its first execve is trapped: replaces
/// fd `child_fd` of the task of notification `id` with /dev/null (close-on-exec), so that a
/// dying supervisor leaves no listener behind and the pending execve fails instead of hanging.
inline result<void> neutralise_child_listener(int listener, std::uint64_t id, int child_fd) noexcept {
  unique_fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devnull) return result<void>::from_errno(errno);
  auto r = notif_addfd(listener, id, devnull.get(), child_fd, /*cloexec=*/true, /*send=*/false);
  if (!r) return r.error();
  return {};
}

}  // namespace snare::detail::seccomp
