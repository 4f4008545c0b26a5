// Defines snare::engine::core: what every backend's engine holds and does the same way
// (the types a tool's handlers are dispatched through, the compile-time capability check,
// the tool, the run's options, the host check before the guest starts, which processes are
// followed, the "cannot run" report). A backend's engine derives from it and adds only its
// event source and guest operations; handlers are told through engine/notify.hpp, and the
// thread and process records are engine/records.hpp's.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstdio>
#include <span>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/notify.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/stop.hpp>
#include <snare/subscription/active.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare::engine {

/// The base of every backend's engine for Tool on Backend, whose guest handle is Guest. What
/// the tool subscribes to, `subscription` (`.entry`, `.exit`), comes from its
/// active_subscription base: a compile-time constant, or the tool's run-time subscription.
template <class Backend, class Tool, class Guest>
class core : public active_subscription<Tool, Guest, syscall_table_t<Tool>> {
 public:
  /// The handle handlers receive, the typed calls dispatched (the tool's syscall_table, or
  /// the native table), the dispatch over them.
  using guest_type = Guest;
  using table_type = syscall_table_t<Tool>;
  using dispatch_type = dispatch::table<Tool, Guest, table_type>;
  using subscription_type = active_subscription<Tool, Guest, table_type>;

  /// Serves a run of `tool` whose global state is `global` (owned by the caller, the
  /// tracer, so that it outlives the run). Throws std::invalid_argument when the tool's
  /// run-time subscription names calls its handlers cannot receive (narrow_subscription);
  /// never for a compile-time one.
  core(Tool& tool, const run_options& options,
       global_state_t<Tool>& global) noexcept(!has_runtime_subscription<Tool>)
      : subscription_type(tool), tool_(&tool), options_(options), global_(&global) {
    // Here rather than at class scope: Guest is complete once an engine is constructed.
    static_assert(check_tool_capabilities<Backend, Tool, Guest, table_type>());
  }

  /// Returns the tool and the options of this run.
  Tool& tool() noexcept { return *tool_; }
  const run_options& options() const noexcept { return options_; }
  /// Returns how the run's first guest process ended (after run(); exited(127) when the
  /// command could not run, exited(exit_host_unsupported) when the host refused it).
  const exit_status& status() const noexcept { return status_; }
  /// Returns the run's global state (guest handles reach it by message call).
  global_state_t<Tool>& global_state() noexcept { return *global_; }
  /// Returns the run's first guest process (-1 before it started).
  pid_t root_process() const noexcept { return root_; }

 protected:
  /// Returns argv[0], or "" for an empty command line (for messages).
  static const char* command_of(std::span<const char* const> argv) noexcept {
    return argv.empty() || argv[0] == nullptr ? "" : argv[0];
  }

  /// Checks the host for a run of argv (backend features and the tool's interceptions,
  /// engine/host_check.hpp) and keeps the plan; false when the run is refused, and the
  /// engine then returns exit_host_unsupported.
  bool host_allows(std::span<const char* const> argv) {
    plan_ = detail::check_host<Backend, Tool, Guest>(options_, command_of(argv));
    return !plan_.refused;
  }

  /// Prints "snare: cannot run 'command': why" when the options ask for it; returns 127.
  int cannot_run(const char* command, const char* why) noexcept {
    if (options_.report_exec_failure) std::fprintf(stderr, "snare: cannot run '%s': %s\n", command, why);
    return finish(exit_status::exited(127));
  }

  /// Prints "snare: the B backend cannot <what>" (when the options ask for messages) and
  /// refuses the run: for an option this backend cannot honour.
  int refuse_option(const char* what) noexcept {
    if (options_.report_exec_failure)
      std::fprintf(stderr, "snare: the %.*s backend cannot %s\n", static_cast<int>(Backend::name.size()),
                   Backend::name.data(), what);
    return refused();
  }

  /// Returns exit_host_unsupported, kept as the run's status (the host check refused it).
  int refused() noexcept { return finish(exit_status::exited(exit_host_unsupported)); }

  /// Keeps how the run ended and returns its shell code (what run() returns).
  int finish(exit_status s) noexcept {
    status_ = s;
    return s.shell_code();
  }

  /// Says whether the events of process `tgid` reach the tool (run_options::follow_forks;
  /// every process an attach named is followed).
  bool followed(pid_t tgid) const noexcept {
    if (silenced_) return false;
    return options_.follow_forks || tgid == root_ ||
           std::find(attached_.begin(), attached_.end(), tgid) != attached_.end();
  }

  /// Returns the signal a stop request made since the last call asks the guests to get
  /// (0: none; snare/engine/stop.hpp).
  int take_stop_request() noexcept { return options_.stop ? options_.stop->take() : 0; }

  Tool* tool_;
  run_options options_;
  global_state_t<Tool>* global_;
  detail::host_plan plan_{};     // what the host check switched on
  pid_t root_ = -1;              // the first guest process
  std::vector<pid_t> attached_;  // the processes an attach named (root_ is the first)
  bool silenced_ = false;        // the tool was detached: no process is followed any more
  exit_status status_{};         // how it ended
};

}  // namespace snare::engine
