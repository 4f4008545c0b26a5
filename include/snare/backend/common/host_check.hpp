// Defines the check every backend's run makes before the guest starts: what the backend
// and the tool's compile-time needs (on_rdtsc, on_cpuid, explicit `needs`) require of the
// host, against snare::host_features(); and the public snare::missing_host_features.
#pragma once

#include <array>
#include <cstdio>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <snare/backend/common/options.hpp>
#include <snare/host.hpp>
#include <snare/tool.hpp>

namespace snare {

/// A host feature a run needs and this host lacks: the feature, the capability that needs
/// it (none when the backend itself does), and the probe's reason.
struct host_gap {
  host_feature feature;
  std::optional<capability> needed_for;
  std::string reason;
};

namespace detail {

// The capabilities whose host feature a run may do without (host_policy::degrade): an
// interception that then simply never fires.
constexpr bool degradable(capability c) noexcept {
  return c == capability::can_intercept_rdtsc || c == capability::can_intercept_cpuid;
}

// Says whether Tool needs capability C at compile time: by a handler or an explicit `needs`.
template <class Tool, class Guest, capability C>
constexpr bool tool_needs() noexcept {
  if constexpr (C == capability::can_intercept_rdtsc && has_rdtsc_handler<Tool, Guest>) return true;
  if constexpr (C == capability::can_intercept_cpuid && has_cpuid_handler<Tool, Guest>) return true;
  if constexpr (requires { typename Tool::needs; }) return []<capability... Caps>(needs<Caps...>*) {
      return ((Caps == C) || ...);
    }
  (static_cast<typename Tool::needs*>(nullptr));
  return false;
}

inline constexpr capability all_capabilities[] = {
    capability::can_modify_args,
    capability::can_inject,
    capability::can_read_memory,
    capability::can_write_memory,
    capability::can_intercept_rdtsc,
    capability::can_intercept_cpuid,
    capability::can_add_fd,
    capability::can_observe_exit,
    capability::can_observe_signals,
    capability::can_backtrace,
    capability::can_follow_process_tree,
};

// Whether Tool needs each capability of all_capabilities, in that order.
template <class Tool, class Guest, std::size_t... I>
constexpr std::array<bool, sizeof...(I)> tool_needs_table(std::index_sequence<I...>) noexcept {
  return {tool_needs<Tool, Guest, all_capabilities[I]>()...};
}

}  // namespace detail

/// Returns the host features Backend needs and this host lacks (probing them): first the
/// backend's own (host_requirements), then those of the capabilities Tool needs at compile
/// time on that backend (Backend::host_feature_for). Guest is the backend's handle type.
/// Empty when the run can go ahead with every interception.
template <class Backend, class Tool = no_state, class Guest = no_state>
std::vector<host_gap> missing_host_features() {
  std::vector<host_gap> gaps;
  auto& host = host_features();
  for (host_feature f : Backend::host_requirements)
    if (!host.has(f)) gaps.push_back({f, std::nullopt, host.get(f).reason});
  constexpr auto needed =
      detail::tool_needs_table<Tool, Guest>(std::make_index_sequence<std::size(detail::all_capabilities)>{});
  for (std::size_t i = 0; i < needed.size(); ++i) {
    if (!needed[i]) continue;
    capability c = detail::all_capabilities[i];
    if (auto f = Backend::host_feature_for(c); f && !host.has(*f))
      gaps.push_back({*f, c, host.get(*f).reason});
  }
  return gaps;
}

namespace detail {

/// What a run switches on after the host check.
struct host_plan {
  bool refused = false;     // the guest must not start: return exit_host_unsupported
  bool trap_rdtsc = false;  // the tool's on_rdtsc can fire
  bool trap_cpuid = false;  // the tool's on_cpuid can fire
};

/// Checks the host for a run of `command` with Backend and Tool, prints the refusal or the
/// degrade warnings (when options.report_exec_failure), and returns what to switch on.
template <class Backend, class Tool, class Guest>
host_plan check_host(const run_options& options, std::string_view command) {
  host_plan plan;
  plan.trap_rdtsc = has_rdtsc_handler<Tool, Guest>;
  plan.trap_cpuid = has_cpuid_handler<Tool, Guest>;
  const std::string backend(Backend::name);
  for (const auto& gap : missing_host_features<Backend, Tool, Guest>()) {
    const std::string feature(name_of(gap.feature));
    bool degrade = gap.needed_for && degradable(*gap.needed_for) &&
                   options.on_missing_host_feature == host_policy::degrade;
    if (degrade) {
      if (*gap.needed_for == capability::can_intercept_rdtsc) plan.trap_rdtsc = false;
      if (*gap.needed_for == capability::can_intercept_cpuid) plan.trap_cpuid = false;
      if (options.report_exec_failure)
        std::fprintf(
            stderr, "snare: warning: running without %.*s on the %s backend: host feature %s is absent: %s\n",
            static_cast<int>(name_of(*gap.needed_for).size()), name_of(*gap.needed_for).data(),
            backend.c_str(), feature.c_str(), gap.reason.c_str());
      continue;
    }
    plan.refused = true;
    if (!options.report_exec_failure) continue;
    if (gap.needed_for) {
      std::fprintf(
          stderr,
          "snare: cannot run '%.*s' on the %s backend: the tool needs %.*s, which needs host feature %s: "
          "%s%s\n",
          static_cast<int>(command.size()), command.data(), backend.c_str(),
          static_cast<int>(name_of(*gap.needed_for).size()), name_of(*gap.needed_for).data(), feature.c_str(),
          gap.reason.c_str(), degradable(*gap.needed_for) ? " (host_policy::degrade runs without it)" : "");
    } else {
      std::fprintf(stderr, "snare: cannot run '%.*s' on the %s backend, which needs host feature %s: %s\n",
                   static_cast<int>(command.size()), command.data(), backend.c_str(), feature.c_str(),
                   gap.reason.c_str());
    }
  }
  return plan;
}

}  // namespace detail
}  // namespace snare
