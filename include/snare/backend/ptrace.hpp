// Defines snare::backend::ptrace: the backend that traces a process tree with ptrace and a
// seccomp-BPF filter (SECCOMP_RET_TRACE for subscribed calls, RET_ALLOW for the rest).
#pragma once

#include <asm/prctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include <snare/backend/concept.hpp>
#include <snare/result.hpp>

namespace snare::backend {

namespace ptrace_detail {
template <class Tool>
class engine;
}  // namespace ptrace_detail

/// The ptrace backend: every capability but adding fds from the tracer;
/// CPUID interception needs CPUID faulting in the CPU (see cpuid_faulting_available()).
struct ptrace {
  static constexpr std::string_view name = "ptrace";
  static constexpr bool can_modify_args = true;
  static constexpr bool can_inject = true;
  static constexpr bool can_read_memory = true;
  static constexpr bool can_write_memory = true;
  static constexpr bool can_intercept_rdtsc = true;
  static constexpr bool can_intercept_cpuid = true;
  static constexpr bool can_add_fd = false;  // no add-fd operation (seccomp_notify has one)
  static constexpr bool can_observe_exit = true;
  static constexpr bool can_observe_signals = true;
  static constexpr bool can_backtrace = true;

  /// The engine running one guest under Tool.
  template <class Tool>
  using engine = ptrace_detail::engine<Tool>;

  /// Returns whether ptrace and seccomp filters work here (errors: the failing errno).
  static result<void> available() noexcept {
    if (::prctl(PR_GET_SECCOMP) < 0) return result<void>::from_errno(errno);
    return {};
  }

  /// Returns whether this CPU and kernel support CPUID faulting (ARCH_SET_CPUID); the error
  /// is ENODEV when the CPU lacks it. Tools with on_cpuid cannot run without it (run()
  /// reports "cannot set up the guest" and 127). Known gap: the kernel turns CPUID faulting
  /// off at execve, and the engine enables it only before the first exec.
  static result<void> cpuid_faulting_available() noexcept {
    pid_t pid = ::fork();
    if (pid < 0) return result<void>::from_errno(errno);
    if (pid == 0) {
      long r = ::syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
      ::_exit(r == 0 ? 0 : (errno & 0xff));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    return result<void>::from_errno(WIFEXITED(status) ? WEXITSTATUS(status) : ENODEV);
  }
};

}  // namespace snare::backend

#include <snare/backend/ptrace/engine.hpp>
