// Defines snare::tracer<Backend, Tool>, snare::run<Backend>(tool, argv or command),
// snare::output<Backend>(tool, command) and snare::attach<Backend>(tool, pids): start a
// command (or attach to running processes) under a tool, serve its events, return its exit
// code (and, for output, what it wrote).
#pragma once

#include <sys/types.h>

#include <concepts>
#include <csignal>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/engine/command.hpp>
#include <snare/engine/detail/launch.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/stop.hpp>
#include <snare/tool.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare {

/// Runs guests under one tool with one backend. The tool is held by reference and must
/// outlive the tracer; its state is reachable after the run (counts, logs).
template <backend_policy Backend, class Tool>
class tracer {
 public:
  using engine_type = typename Backend::template engine<Tool>;
  using guest_type = typename engine_type::guest_type;

  explicit tracer(Tool& tool, run_options options = {}) : tool_(&tool), options_(options) {}

  /// Starts argv[0] (PATH lookup) and serves events until every guest process is gone.
  /// Returns the guest's exit code: its status, 128+N when killed by signal N, 127 when the
  /// command cannot be run (with a message on stderr), exit_host_unsupported (69) when the
  /// host lacks a feature the backend or the tool needs (checked before the guest starts:
  /// missing_host_features; run_options::on_missing_host_feature may run without an
  /// interception instead). Rethrows a handler's exception.
  int run(std::span<const char* const> argv) {
    return serve([&](engine_type& engine) { return engine.run(argv); });
  }
  int run(std::initializer_list<const char*> argv) {
    return run(std::span<const char* const>(argv.begin(), argv.size()));
  }
  int run(const std::vector<std::string>& argv) {
    std::vector<const char*> v;
    v.reserve(argv.size());
    for (auto& a : argv) v.push_back(a.c_str());
    return run(std::span<const char* const>(v));
  }

  /// Starts `cmd` (snare::command: its environment, directory, streams, namespaces...) and
  /// serves events until every guest process is gone; returns its exit code as
  /// run(argv) does, 127 too when the command's launch cannot be prepared or its setup fails
  /// in the child (a file that cannot be opened, a missing directory; with the reason on
  /// stderr), exit_host_unsupported when the host cannot give a namespace it asks for.
  /// What the guest writes to pipes (stdio::pipe) is read and dropped: output() keeps it.
  /// (A template, so that a braced command line `{"ls", "-l"}` still means argv.)
  template <std::same_as<command> Command>
  int run(const Command& cmd) {
    return launch(cmd).code;
  }

  /// Runs `cmd` as run(cmd) does and returns its status with what it wrote to the streams
  /// that are pipes, or its pseudo-terminal (command::pty): stdout and stderr left inherited
  /// become pipes, as Rust's Command::output does.
  run_output output(command cmd) {
    if (!cmd.has_pty() && cmd.stream(1).what() == stdio::kind::inherit) cmd.std_out(stdio::pipe());
    if (!cmd.has_pty() && cmd.stream(2).what() == stdio::kind::inherit) cmd.std_err(stdio::pipe());
    return launch(cmd);
  }

  /// Attaches to the running processes `pids` (each with all its threads, PTRACE_SEIZE; a
  /// thread's id names its process) and serves their events as run() does: the start of
  /// each attached process and thread, then its calls, signals, exec and exit; the processes
  /// they fork when run_options::follow_forks. A stop request (stop()) detaches from every
  /// task and leaves it running as before (docs/attach.md); the tracer never kills them.
  /// With run_options::attach_filter the subscription may be injected as a seccomp filter:
  /// a stop request then tells the tool (on_detach) and the tracer stays as the filter's
  /// silent keeper, so attach() returns when the process ends (status() tells how).
  /// Returns 0 once detached (detached() is then true and status() unknown), the first
  /// process's shell code when the processes ended while traced (status() tells how), 1 when
  /// none could be attached (each reason on stderr, as strace words it: "snare: attach:
  /// ptrace(PTRACE_SEIZE, N): No such process"), exit_host_unsupported when the host lacks
  /// ptrace or the tool needs an interception set up before exec (on_rdtsc, on_cpuid).
  /// Backends other than ptrace cannot attach: a call fails to compile. Rethrows a
  /// handler's exception (after detaching).
  int attach(std::span<const pid_t> pids) {
    if constexpr (can_attach) {
      detached_ = false;
      return serve([&](engine_type& engine) {
        const int code = engine.attach(pids);
        detached_ = engine.detached();
        attach_path_ = engine.attach_path();
        filter_refusal_ = engine.attach_filter_refusal();
        return code;
      });
    } else {
      static_assert(
          can_attach,
          "snare::attach needs a backend that can attach to running processes: use snare::backend::ptrace");
      return 1;
    }
  }
  int attach(std::initializer_list<pid_t> pids) {
    return attach(std::span<const pid_t>(pids.begin(), pids.size()));
  }
  int attach(const std::vector<pid_t>& pids) { return attach(std::span<const pid_t>(pids)); }
  /// Starts `cmd` as run(cmd) does and, in the same run, attaches to the running processes
  /// `pids` as attach() does (strace -p PID COMMAND): every task is served by one loop
  /// until all have ended. No seccomp filter goes into any of them: every call stops
  /// (PTRACE_SYSCALL), and without run_options::follow_forks their children run untraced.
  /// A process that cannot be attached is told on stderr; the command runs all the same.
  /// A stop request sends its signal to the command (SIGCONT first), then detaches from
  /// every task, the command's too (strace's cleanup): detached() is then true. Returns the
  /// command's exit code; status() is how it ended (unknown once detached before its end).
  /// Backends other than ptrace cannot attach: a call fails to compile.
  template <std::same_as<command> Command>
  int run_and_attach(const Command& cmd, std::span<const pid_t> pids) {
    static_assert(
        can_attach,
        "snare::tracer::run_and_attach needs a backend that can attach: use snare::backend::ptrace");
    detached_ = false;
    return launch(cmd, pids).code;
  }
  /// Says whether the last attach ended by detaching (its processes live on).
  bool detached() const noexcept { return detached_; }
  /// Returns how the last attach trapped the processes' calls: "seccomp-filter" (the
  /// subscription injected as a seccomp filter, run_options::attach_filter) or
  /// "ptrace-syscall" (a stop at every call's entry and exit, PTRACE_SYSCALL, as strace -p);
  /// "" before. attach_filter_refusal() says why a filter asked for was not injected.
  const char* attach_path() const noexcept { return attach_path_; }
  const std::string& attach_filter_refusal() const noexcept { return filter_refusal_; }

  /// Asks the run in progress (or the next one) to end: sends `sig` to every guest process
  /// the tracer knows and serves them until they have ended; a second request kills them
  /// with SIGKILL. Async-signal-safe and callable from any thread (snare::stop_source).
  /// Uses run_options::stop when the options name one. In an attached run (attach) it
  /// detaches instead: the attached processes get no signal. A backend that cannot stop a run
  /// says so in its docs (the hypercall backend: not yet).
  void stop(int sig = SIGTERM) noexcept { (options_.stop ? *options_.stop : own_stop_).request(sig); }

  /// Returns the global state of the last run (Reverie's `GlobalTool` value the tracer hands
  /// back): what the handlers left in it through g.global().call(...), kept until the next
  /// run starts; value-initialised before the first run.
  global_state_t<Tool>& global_state() noexcept { return *global_; }

  /// Returns the options of this tracer.
  const run_options& options() const noexcept { return options_; }

  /// Returns how the last run's first guest process ended: exited with a code, or killed
  /// by a signal (with or without a core dump), which run()'s int cannot tell apart from
  /// an exit with 128+N. Unknown before the first run, or when a handler's exception ended it.
  const exit_status& status() const noexcept { return status_; }

 private:
  static constexpr bool can_attach = requires(engine_type & e, std::span<const pid_t> p) { e.attach(p); };

  // Runs one guest through start(engine) with a fresh global state and the run's stop
  // source; keeps how it ended.
  template <class Start>
  int serve(Start&& start) {
    status_ = {};  // unknown, should a handler's exception end the run
    run_options options = options_;
    if (options.stop == nullptr) options.stop = &own_stop_;
    struct forget_requests {
      stop_source* s;
      ~forget_requests() { s->reset(); }
    } forget{options.stop};
    global_ = std::make_unique<global_state_t<Tool>>();  // each run starts with a fresh one
    engine_type engine(*tool_, options, *global_);
    int code = start(engine);
    status_ = engine.status();
    return code;
  }

  run_output launch(const command& cmd, std::span<const pid_t> attach_too = {}) {
    detail::launch_plan plan;
    detail::launch_io io;
    if (auto no = detail::prepare_launch(cmd, plan, io)) {
      if (options_.report_exec_failure)
        std::fprintf(stderr, "snare: cannot run '%s': %s\n", cmd.program().c_str(), no->why.c_str());
      status_ = exit_status::exited(no->code);
      return {status_, no->code, {}, {}};
    }
    // Started before the guest, finished after it: the guest never blocks on a full pipe.
    detail::output_pump pump(std::move(io));
    int code = serve([&](engine_type& engine) {
      if constexpr (can_attach) {
        if (attach_too.empty()) return engine.run(plan);
        engine.attach_too(attach_too);
        const int c = engine.run(plan);
        detached_ = engine.detached();
        return c;
      } else {
        return engine.run(plan);
      }
    });
    pump.finish();
    return {status_, code, std::move(pump.out()), std::move(pump.err())};
  }

  Tool* tool_;
  run_options options_;
  exit_status status_{};
  std::unique_ptr<global_state_t<Tool>> global_ = std::make_unique<global_state_t<Tool>>();
  stop_source own_stop_;
  bool detached_ = false;
  const char* attach_path_ = "";
  std::string filter_refusal_;
};

/// Runs argv under `tool` with Backend and returns the guest's exit code (see tracer::run).
template <backend_policy Backend, class Tool>
int run(Tool& tool, std::span<const char* const> argv, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).run(argv);
}
template <backend_policy Backend, class Tool>
int run(Tool& tool, std::initializer_list<const char*> argv, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).run(argv);
}
template <backend_policy Backend, class Tool>
int run(Tool& tool, const std::vector<std::string>& argv, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).run(argv);
}

/// Runs `cmd` (snare::command) under `tool` with Backend and returns the guest's exit code
/// (see tracer::run).
template <backend_policy Backend, class Tool, std::same_as<command> Command>
int run(Tool& tool, const Command& cmd, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).run(cmd);
}

/// Attaches to the running processes `pids` under `tool` with Backend and serves them until
/// they end or a stop request (run_options::stop) detaches (see tracer::attach).
template <backend_policy Backend, class Tool>
int attach(Tool& tool, std::span<const pid_t> pids, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).attach(pids);
}
template <backend_policy Backend, class Tool>
int attach(Tool& tool, std::initializer_list<pid_t> pids, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).attach(pids);
}

/// Runs `cmd` under `tool` with Backend and returns its status and captured output (see
/// tracer::output).
template <backend_policy Backend, class Tool>
run_output output(Tool& tool, command cmd, run_options options = {}) {
  return tracer<Backend, Tool>(tool, options).output(std::move(cmd));
}

}  // namespace snare
