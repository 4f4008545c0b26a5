// Defines strace::run_on<Backend>: snare-strace's tracer on Backend, one instantiation whose
// run-time subscription says which calls stop the guest. Included by one translation unit
// per backend.
#pragma once

#include <snare/subscription/runtime.hpp>
#include <snare/tracer.hpp>

#include "specs.hpp"
#include "tool.hpp"

namespace strace {

/// Runs the command of `o` under Backend's tracer, stopping the guest for `calls` only.
template <class Backend>
snare::exit_status run_on(const snare::runtime_subscription& calls, session& s, const options& o) {
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  ro.stop = s.stop_source();
  s.set_exits_observed(Backend::can_observe_exit);
  using tool_type = tool<Backend::can_observe_exit, Backend::can_observe_signals>;
  tool_type t{&s, calls};
  snare::tracer<Backend, tool_type> tracer(t, ro);
  tracer.run(o.command);
  return tracer.status();
}

}  // namespace strace
