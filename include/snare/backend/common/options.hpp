// Defines snare::run_options: how a tracer starts and follows the guest, shared by backends.
#pragma once

namespace snare {

/// Options of one run. Backends ignore options that do not apply to them.
struct run_options {
  /// Reports the events of the processes the guest forks (threads of a reported process
  /// are always reported). When false only the first process's events reach the tool; its
  /// descendants still run (under the same seccomp filter) but are not reported.
  bool follow_forks = true;
  /// Pins the guest (and so its whole tree) to this CPU; -1 leaves placement to the kernel.
  int pin_cpu = -1;
  /// Prints "snare: cannot run 'cmd': reason" on stderr when the command cannot be run.
  bool report_exec_failure = true;
};

}  // namespace snare
