// Defines strace::run_on<Backend>: snare-strace's tracer on Backend, one instantiation whose
// run-time subscription says which calls stop the guest. Included by one translation unit
// per backend.
#pragma once

#include <errno.h>  // program_invocation_name: the name strace prefixes its messages with
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/subscription/runtime.hpp>
#include <snare/tracer.hpp>

#include "specs.hpp"
#include "tool.hpp"

namespace strace {

/// Returns the command line with -E's environment and -u's user (snare::command).
inline snare::command command_of(const options& o) {
  auto c = snare::command::from_argv(o.command);
  for (const auto& [name, value] : o.env) {
    if (value)
      c.env(name, *value);
    else
      c.env_remove(name);
  }
  if (o.user)
    c.user(o.user->uid, o.user->gid, std::vector<gid_t>(o.user->groups.begin(), o.user->groups.end()));
  return c;
}

/// Says whether `name` names a file, as strace's startup_child looks it up before it forks:
/// the path itself when it has a '/', else each directory of PATH (an empty entry: ".").
inline bool command_exists(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), F_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/bin:/usr/bin";
  for (std::size_t at = 0;;) {
    const std::size_t colon = dirs.find(':', at);
    std::string dir = dirs.substr(at, colon == std::string::npos ? std::string::npos : colon - at);
    if (::access(((dir.empty() ? std::string(".") : dir) + "/" + name).c_str(), F_OK) == 0) return true;
    if (colon == std::string::npos) return false;
    at = colon + 1;
  }
}

/// Runs the command of `o` under Backend's tracer, stopping the guest for `calls` only; or,
/// with -p (ptrace only), attaches to the processes of `o.attach_pids` and serves them until
/// they end or a signal to snare-strace detaches: exited(0) then, as strace -p, exited(1)
/// when none could be attached.
template <class Backend>
snare::exit_status run_on(const snare::runtime_subscription& calls, session& s, const options& o) {
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  // -b execve: a process is let go at its exec (without snare's filter, which it would keep).
  ro.detach_on_exec = o.detach_on_execve;
  // -p: the calls outside the trace set need not stop the process (docs/attach.md).
  if (o.attach_pids.size() == 1 && o.command.empty() && !calls.calls().is_everything() && !o.detach_on_execve)
    ro.attach_filter = snare::attach_filter_policy::when_harmless;
  ro.stop = s.stop_source();
  // The session saw the failed execve and says so as strace (session::report_exec_failure).
  ro.tool_reports_exec_failure = std::is_same_v<Backend, snare::backend::ptrace>;
  s.set_exits_observed(Backend::can_observe_exit);
  using tool_type = tool<Backend::can_observe_exit, Backend::can_observe_signals>;
  tool_type t{&s, calls};
  snare::tracer<Backend, tool_type> tracer(t, ro);
  if constexpr (std::is_same_v<Backend, snare::backend::ptrace>) {
    if (const pid_t tracee = s.daemon_tracee(); tracee > 0) {  // -D: no "attached" message
      (void)tracer.attach(std::span<const pid_t>(&tracee, 1));
      return tracer.status();
    }
    if (!o.attach_pids.empty() && !o.command.empty()) {
      // -p PID with a command: one run starts the command and attaches to the processes
      // (strace's startup_child, then startup_attach); its status is the command's. A
      // missing command ends it before any attach, as strace's lookup does (127, as a
      // launched run's: session::report_exec_failure).
      if (!command_exists(o.command.front())) {
        std::fprintf(stderr, "%s: Can't stat '%s': %s\n", program_invocation_name, o.command.front().c_str(),
                     std::strerror(ENOENT));
        return snare::exit_status::exited(127);
      }
      s.start_attached(o.attach_pids, true);
      const std::vector<pid_t> pids(o.attach_pids.begin(), o.attach_pids.end());
      tracer.run_and_attach(command_of(o), pids);
      return tracer.status();
    }
    if (!o.attach_pids.empty()) {
      s.start_attached(o.attach_pids);
      const std::vector<pid_t> pids(o.attach_pids.begin(), o.attach_pids.end());
      const int code = tracer.attach(pids);
      const bool none = code == 1 && !tracer.detached() && tracer.status() == snare::exit_status{};
      if (o.tracer_info && !s.kept() && !none) {
        std::fprintf(stderr, "%s: the attached processes' calls were trapped by %s", program_invocation_name,
                     tracer.attach_path());
        if (!tracer.attach_filter_refusal().empty())
          std::fprintf(stderr, " (no seccomp filter: %s)", tracer.attach_filter_refusal().c_str());
        std::fputc('\n', stderr);
      }
      return snare::exit_status::exited(none ? 1 : 0);
    }
  }
  if (o.env.empty() && !o.user)
    tracer.run(o.command);
  else
    tracer.run(command_of(o));
  return tracer.status();
}

}  // namespace strace
