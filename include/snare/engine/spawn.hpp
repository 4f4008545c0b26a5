// Defines what backends share to start a guest: the PATH lookup, CPU pinning, fork (or clone
// into new namespaces) with a start gate the tracer opens once it is attached, the launch
// plan of a snare::command applied in the child (engine/detail/launch.hpp), a child-side
// setup hook run before exec, an exec-failure report channel (exit code 127 with a clear
// message), and the exit-code convention.
#pragma once

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <snare/detail/posix.hpp>
#include <snare/engine/command.hpp>
#include <snare/engine/detail/launch.hpp>
#include <snare/engine/options.hpp>
#include <snare/result.hpp>

namespace snare::detail {

/// Returns the path execve should run for `file`, searched in PATH as execvp does when it
/// has no slash (execvp(3)); ENOENT / EACCES when nothing runnable is found. Used by the
/// backends that exec by path (seccomp_notify, hypercall); ptrace's child calls execvp
/// itself, which also runs a script without `#!` through /bin/sh.
inline result<std::string> find_program(std::string_view file) {
  if (file.empty()) return std::errc::no_such_file_or_directory;
  auto runnable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (file.find('/') != std::string_view::npos) {
    std::string p(file);
    if (runnable(p)) return p;
    return ::access(p.c_str(), F_OK) == 0 ? std::errc::permission_denied
                                          : std::errc::no_such_file_or_directory;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string p = (dir.empty() ? std::string(".") : dir) + "/" + std::string(file);
    if (runnable(p)) return p;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::errc::no_such_file_or_directory;
}

/// Pins the calling thread to CPU `cpu` (nothing when cpu < 0); returns 0 or the errno of
/// sched_setaffinity. Async-signal-safe: spawned children call it before exec.
inline int pin_to_cpu(int cpu) noexcept {
  if (cpu < 0) return 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return ::sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}

/// Resets every signal the calling process catches to its default action, leaving ignored
/// ones ignored: what execve does (execve(2)), done early in a guest child that still runs
/// the tracer's code. Async-signal-safe.
inline void reset_caught_signals() noexcept {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0) continue;
    if (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN) continue;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(sig, &dfl, nullptr);
  }
}

/// Installs `prog` as a seccomp filter of the calling thread's process with `flags`, from a
/// spawned child before exec (async-signal-safe). Without CAP_SYS_ADMIN the kernel accepts
/// a filter only under no_new_privs (seccomp(2)), which also makes exec ignore setuid
/// bits and file capabilities: so the filter is tried without it first, and no_new_privs
/// is set only when that is refused (EACCES). A tracer running as root thus leaves setuid
/// programs (sudo, ping, passwd) their privileges, as they have them natively. Returns the
/// seccomp() value (a listener fd with SECCOMP_FILTER_FLAG_NEW_LISTENER, else 0), or -1
/// with errno.
inline long install_seccomp_filter(const sock_fprog& prog, unsigned flags) noexcept {
  long r = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (r >= 0 || errno != EACCES) return r;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/// A child started by spawn(): its pid, the gate the parent opens, the failure report pipe.
struct spawned_child {
  pid_t pid = -1;
  int gate_fd = -1;    // parent writes one byte: the child may go on to exec
  int report_fd = -1;  // child writes {stage, errno, step, item} when setup or exec fails
};

/// Where a child failed before it became the guest (reported through the report pipe).
enum class spawn_stage : int { exec = 1, setup = 2, launch = 3 };

/// Writes a failure report from the child (async-signal-safe) and exits with 127.
[[noreturn]] inline void child_fail(int report_fd, spawn_stage stage, int err,
                                    launch_failure at = {}) noexcept {
  int msg[4] = {static_cast<int>(stage), err, static_cast<int>(at.step), at.item};
  (void)!::write(report_fd, msg, sizeof msg);
  ::_exit(127);
}

/// Forks a child (in the plan's new namespaces) that waits at the gate, applies the launch
/// plan (streams, directory, mounts...: apply_in_child), pins itself to
/// options.pin_cpu, runs `setup()` (returns 0 or an errno; only async-signal-safe work:
/// prctl, seccomp), and execs the plan's program with PATH lookup, or calls its function.
/// Closes the plan's child ends in the parent. Returns the child; errors when fork/clone or
/// a pipe fails.
template <class Setup>
result<spawned_child> spawn(launch_plan& plan, const run_options& options, Setup&& setup) noexcept {
  if (plan.file.empty() && !plan.is_function()) return std::errc::invalid_argument;
  int gate[2], report[2];
  if (::pipe2(gate, O_CLOEXEC) != 0) return result<spawned_child>::from_errno(errno);
  if (::pipe2(report, O_CLOEXEC) != 0) {
    int e = errno;
    ::close(gate[0]), ::close(gate[1]);
    return result<spawned_child>::from_errno(e);
  }
  if (plan.is_function()) std::fflush(nullptr);  // else the child's copy of the buffers is written twice
  pid_t pid = fork_for(plan);
  if (pid < 0) {
    int e = errno;
    ::close(gate[0]), ::close(gate[1]), ::close(report[0]), ::close(report[1]);
    return result<spawned_child>::from_errno(e);
  }
  if (pid == 0) {
    ::close(gate[1]);
    ::close(report[0]);
    // The tracer's handlers are not the guest's: a signal before execve takes its default
    // action, as it would after (snare::stop requests land here early).
    reset_caught_signals();
    // Die with the tracer even before it attaches.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    char c;
    if (retry_eintr([&] { return ::read(gate[0], &c, 1); }) != 1) ::_exit(127);
    ::close(gate[0]);
    // Before the filter: the tool sees none of the setup's calls.
    if (auto at = apply_in_child(plan); at.step != launch_step::none)
      child_fail(report[1], spawn_stage::launch, at.err, at);
    if (int err = pin_to_cpu(options.pin_cpu); err != 0) child_fail(report[1], spawn_stage::setup, err);
    if (int err = setup(); err != 0) child_fail(report[1], spawn_stage::setup, err);
    run_function_guest(plan);
    ::execvpe(plan.file.c_str(), plan.argv.data(), plan.envp.data());
    child_fail(report[1], spawn_stage::exec, errno);
  }
  plan.close_child_ends();
  ::close(gate[0]);
  ::close(report[1]);
  return spawned_child{pid, gate[1], report[0]};
}

/// Forks a child that waits at the gate, then runs `setup()` and execs argv with PATH
/// lookup, in the tracer's environment, directory and streams. Errors when argv is empty or
/// fork/pipe fail.
template <class Setup>
result<spawned_child> spawn(std::span<const char* const> argv, const run_options& options,
                            Setup&& setup) noexcept {
  if (argv.empty() || argv[0] == nullptr) return std::errc::invalid_argument;
  launch_plan plan;
  launch_io io;
  try {
    if (prepare_launch(command::from_argv(argv), plan, io)) return std::errc::invalid_argument;
  } catch (const std::bad_alloc&) {
    return std::errc::not_enough_memory;
  }
  return spawn(plan, options, std::forward<Setup>(setup));
}

/// Opens the gate: the child goes on to setup and exec.
inline result<void> open_gate(spawned_child& c) noexcept {
  char one = 1;
  auto r = checked([&] { return ::write(c.gate_fd, &one, 1); });
  ::close(c.gate_fd);
  c.gate_fd = -1;
  if (!r) return r.error();
  return {};
}

/// After the guest is gone: reads the child's failure report, prints it (the launch step
/// that failed described from `plan` when given; an exec's failure unless `quiet_exec`)
/// and returns 127; returns -1 when the child reported nothing (it reached its program).
inline int read_spawn_failure(spawned_child& c, const char* command, bool print,
                              const launch_plan* plan = nullptr, bool quiet_exec = false) noexcept {
  int msg[4] = {0, 0, 0, 0};
  auto n = retry_eintr([&] { return ::read(c.report_fd, msg, sizeof msg); });
  ::close(c.report_fd);
  c.report_fd = -1;
  if (n != static_cast<ssize_t>(sizeof msg)) return -1;
  if (print) {
    if (msg[0] == static_cast<int>(spawn_stage::exec)) {
      if (!quiet_exec) std::fprintf(stderr, "snare: cannot run '%s': %s\n", command, std::strerror(msg[1]));
    } else if (msg[0] == static_cast<int>(spawn_stage::launch) && plan != nullptr) {
      try {
        std::string why = describe(*plan, launch_failure{static_cast<launch_step>(msg[2]), msg[3], msg[1]});
        std::fprintf(stderr, "snare: cannot set up the guest for '%s': %s\n", command, why.c_str());
      } catch (...) {
        std::fprintf(stderr, "snare: cannot set up the guest for '%s': %s\n", command, std::strerror(msg[1]));
      }
    } else {
      std::fprintf(stderr, "snare: cannot set up the guest for '%s': %s\n", command, std::strerror(msg[1]));
    }
  }
  return 127;
}

/// Returns the exit code a shell would report for a wait status: the exit status, or
/// 128+N when killed by signal N.
constexpr int exit_code_of(int wait_status) noexcept {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

}  // namespace snare::detail
