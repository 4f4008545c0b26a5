// Defines snare::backend::ptrace: the backend that traces a process tree with ptrace and a
// seccomp-BPF filter (SECCOMP_RET_TRACE for subscribed calls, RET_ALLOW for the rest).
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include <snare/backend/concept.hpp>
#include <snare/host/feature.hpp>

namespace snare::backend {

namespace ptrace_detail {
template <class Tool>
class engine;
}  // namespace ptrace_detail

/// The ptrace backend: every capability but adding fds from the tracer. RDTSC and CPUID
/// interception need host features (RDTSC trapping, CPUID faulting) that hosts differ in:
/// see host_feature_for and docs/host.md.
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
  static constexpr bool can_follow_process_tree = true;

  /// The engine running one guest under Tool.
  template <class Tool>
  using engine = ptrace_detail::engine<Tool>;

  /// The host features every run needs: ptrace of a child, and seccomp filters.
  static constexpr std::array<host_feature, 2> host_requirements{host_feature::ptrace,
                                                                 host_feature::seccomp_filter};
  /// Returns the host feature capability `c` needs here: RDTSC trapping (PR_TSC_SIGSEGV
  /// honoured) for on_rdtsc, CPUID faulting (ARCH_SET_CPUID) for on_cpuid.
  static constexpr std::optional<host_feature> host_feature_for(capability c) noexcept {
    if (c == capability::can_intercept_rdtsc) return host_feature::rdtsc_trapping;
    if (c == capability::can_intercept_cpuid) return host_feature::cpuid_faulting;
    return std::nullopt;
  }
};

}  // namespace snare::backend

#include <snare/backend/ptrace/engine.hpp>
