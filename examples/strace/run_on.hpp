// Defines strace::run_on<Backend>: the table of Backend's tracers, one per specialisation,
// indexed at run time. Included by one translation unit per backend.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

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

template <class Backend, class Subscription>
snare::exit_status run_one(session& s, const options& o) {
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  ro.stop = s.stop_source();
  s.set_exits_observed(Backend::can_observe_exit);
  using tool_type = tool<Subscription, Backend::can_observe_exit, Backend::can_observe_signals>;
  tool_type t{&s};
  snare::tracer<Backend, tool_type> tracer(t, ro);
  if (o.env.empty() && !o.user)
    tracer.run(o.command);
  else
    tracer.run(command_of(o));
  return tracer.status();
}

/// Runs the command under Backend's tracer specialised for spec_subscriptions[spec].
template <class Backend>
snare::exit_status run_on(std::size_t spec, session& s, const options& o) {
  using fn = snare::exit_status (*)(session&, const options&);
  static constexpr auto table = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<fn, sizeof...(I)>{&run_one<Backend, std::tuple_element_t<I, spec_subscriptions>>...};
  }
  (std::make_index_sequence<spec_count>{});
  return table[spec < spec_count ? spec : spec_count - 1](s, o);
}

}  // namespace strace
