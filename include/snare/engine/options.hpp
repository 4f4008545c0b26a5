// Defines snare::run_options: how a tracer starts and follows the guest, shared by backends,
// and what a run does when the host lacks a feature the backend or the tool needs.
#pragma once

#include <cstdint>

namespace snare {

class stop_source;  // snare/engine/stop.hpp

/// What a run does when the tool needs an interception the host cannot provide (on_rdtsc
/// without RDTSC trapping, on_cpuid without CPUID faulting; see docs/host.md).
enum class host_policy : std::uint8_t {
  strict,   ///< refuse to start the guest: exit_host_unsupported, with the reason on stderr
  degrade,  ///< run without that interception and say so once on stderr
};

/// The exit code of a run refused because the host lacks a feature the backend or the tool
/// needs: 69, EX_UNAVAILABLE of <sysexits.h>, distinct from 127 (the command cannot run).
inline constexpr int exit_host_unsupported = 69;

/// How snare::attach traps the calls of the process it attaches to (docs/attach.md).
enum class attach_filter_policy : std::uint8_t {
  never,          ///< every call stops (PTRACE_SYSCALL), as strace -p; nothing stays behind
  when_harmless,  ///< the subscription injected as a seccomp filter where the kernel takes it
                  ///< without a change to the process (no_new_privs set in every thread
                  ///< already, or CAP_SYS_ADMIN); else as never. One process only; after a
                  ///< detach the tracer stays as a silent keeper until the process ends
};

/// Options of one run. Backends ignore options that do not apply to them.
struct run_options {
  /// Reports the events of the processes the guest forks (threads of a reported process
  /// are always reported). When false only the first process's events reach the tool; its
  /// descendants run but are not reported. ptrace: they are not traced either (the guest
  /// has no seccomp filter then and stops at every call; docs/fidelity.md); seccomp_notify:
  /// they carry the filter.
  bool follow_forks = true;
  /// Pins the guest (and so its whole tree) to this CPU; -1 leaves placement to the kernel.
  int pin_cpu = -1;
  /// Prints "snare: cannot run 'cmd': reason" on stderr when the command cannot be run, and
  /// the host checks' refusals and warnings.
  bool report_exec_failure = true;
  /// Leaves the report of a failed execve of the command (its errno) to the tool, which saw
  /// the failed call (ptrace: an strace-like tool prints it its own way, strace's "exec:
  /// Permission denied"); the run still returns 127. Setup failures and host checks are
  /// reported as report_exec_failure says. Other backends ignore it.
  bool tool_reports_exec_failure = false;
  /// ptrace: lets a process go at each successful execve but the command's first one
  /// (strace's -b execve): it runs on untraced, the tool is told (on_process_detach) and
  /// hears nothing more of it. The guests then carry no seccomp filter (every call stops,
  /// PTRACE_SYSCALL), which a process let go could not keep. Other backends ignore it.
  bool detach_on_exec = false;
  /// What happens when the tool needs an interception this host lacks.
  host_policy on_missing_host_feature = host_policy::strict;
  /// Makes the guest's vDSO clock functions (clock_gettime, gettimeofday, time,
  /// clock_getres, getcpu) real syscalls, at every exec, so that the tool sees and may
  /// answer every one (vdso(7); engine/vdso.hpp). ptrace: patched at each exec; hypercall:
  /// always so (its guest has no vDSO); seccomp_notify refuses the run
  /// (exit_host_unsupported, with the reason on stderr): it learns of an exec too late.
  bool vdso_as_syscalls = false;
  /// Where requests to end the run come from (snare/engine/stop.hpp), owned by the caller
  /// and outliving the run; null: the tracer's own, which tracer::stop() requests on.
  stop_source* stop = nullptr;
  /// Whether snare::attach injects the subscription into the attached process as a
  /// seccomp filter, so that other calls never stop it (ptrace; docs/attach.md).
  attach_filter_policy attach_filter = attach_filter_policy::never;
  /// The in_guest backend's tool object: the shared object built from the tool's source
  /// (snare_add_in_guest_tool), preloaded into the guest (LD_PRELOAD) and dlopen()ed by the
  /// tracer to run g.global().call; null: SNARE_IN_GUEST_OBJECT from the environment.
  /// Other backends ignore it.
  const char* in_guest_object = nullptr;
};

}  // namespace snare
