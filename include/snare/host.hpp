// Defines snare::host_features(): cached probes of what this kernel, CPU and hypervisor
// really provide (layer 0), each a yes/no with a one-line reason saying what was tried and
// what happened. Backends refuse clearly with them, tests skip with their reasons, and
// `snare-strace --host` prints them. See docs/host.md.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <snare/host/detail/decide.hpp>
#include <snare/host/detail/probe.hpp>
#include <snare/host/feature.hpp>

namespace snare {

/// The host's features, each probed the first time it is asked for and then kept.
/// Probes fork short-lived children (reaped before the probe returns): ask before starting
/// anything that reaps every child (a tracer loop in another thread of the process).
///
/// SNARE_HOST_DENY (environment, a comma-separated list of feature names, or "all"; read at
/// each get) makes the listed features absent without probing them, with that as the
/// reason: it shows what a tool or test does on a host without them. It never makes a
/// feature present.
class host_feature_set {
 public:
  /// Returns the probe of `f`, running it on the first call (thread-safe).
  const host_probe& get(host_feature f) {
    static const host_probe withheld{false, "withheld by SNARE_HOST_DENY (not probed)"};
    return denied(f) ? withheld : probed(f);
  }
  const host_probe& operator[](host_feature f) { return get(f); }
  /// Says whether `f` is available (probes it when not yet done).
  bool has(host_feature f) { return get(f).available; }

  /// Says whether SNARE_HOST_DENY withholds `f` (then absent whatever the host has).
  static bool withheld(host_feature f) { return denied(f); }

  /// Runs every probe not yet run.
  void probe_all() {
    for (const auto& i : host_feature_table) get(i.feature);
  }

  /// Prints the table (feature, yes/no, reason, what needs it) to `out`, probing all.
  void print(std::FILE* out) {
    probe_all();
    std::size_t width = 0;
    for (const auto& i : host_feature_table) width = i.name.size() > width ? i.name.size() : width;
    std::fprintf(out, "%-*s  %-3s  %s\n", static_cast<int>(width), "feature", "has", "reason (needed by)");
    for (const auto& i : host_feature_table) {
      const auto& p = get(i.feature);
      std::fprintf(out, "%-*.*s  %-3s  %s (needed by %.*s)\n", static_cast<int>(width),
                   static_cast<int>(i.name.size()), i.name.data(), p.available ? "yes" : "no",
                   p.reason.c_str(), static_cast<int>(i.needed_by.size()), i.needed_by.data());
    }
  }

 private:
  static bool denied(host_feature f) {
    const char* env = std::getenv("SNARE_HOST_DENY");
    if (!env) return false;
    std::string_view list(env), name = name_of(f);
    while (!list.empty()) {
      auto comma = list.find(',');
      auto item = list.substr(0, comma);
      if (item == name || item == "all") return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    return false;
  }

  // Returns the cached probe of f, SNARE_HOST_DENY aside.
  const host_probe& probed(host_feature f) {
    auto i = static_cast<std::size_t>(f);
    std::call_once(once_[i], [&] { probes_[i] = run(f); });
    return probes_[i];
  }

  host_probe run(host_feature f) {
    namespace h = detail::host;
    host_probe v;
    switch (f) {
      case host_feature::ptrace:
        v = h::probe_ptrace();
        break;
      case host_feature::seccomp_filter:
        v = h::probe_seccomp_filter();
        break;
      case host_feature::seccomp_user_notif:
        v = h::probe_user_notif();
        break;
      case host_feature::notif_sync_wake_up:
        v = h::probe_sync_wake_up();
        break;
      case host_feature::notif_addfd_send:
        v = h::probe_addfd_send();
        break;
      case host_feature::notif_wait_killable_recv:
        v = h::probe_wait_killable_recv();
        break;
      case host_feature::pidfd_thread:
        v = h::probe_pidfd_thread();
        break;
      case host_feature::rdtsc_trapping:
        v = h::probe_rdtsc_trapping();
        break;
      case host_feature::cpuid_faulting:
        v = h::probe_cpuid_faulting();
        break;
      case host_feature::i386_int80:
        v = h::probe_int80();
        break;
      case host_feature::x32_abi:
        v = h::probe_x32();
        break;
      case host_feature::kvm:
        v = h::probe_kvm(h::detect_kvm_flavour());
        break;
      case host_feature::kvm_rdtsc_trap:
        v = h::decide_kvm_trap(probed(host_feature::kvm), h::detect_kvm_flavour(),
                               "RDTSC at CPL3 with CR4.TSD");
        break;
      case host_feature::kvm_cpuid_trap:
        v = h::decide_kvm_trap(probed(host_feature::kvm), h::detect_kvm_flavour(), "CPUID");
        break;
      case host_feature::syscall_user_dispatch:
        v = h::probe_sud();
        break;
      case host_feature::pmu:
        v = h::probe_pmu();
        break;
      case host_feature::unprivileged_user_namespaces:
        v = h::probe_user_namespaces();
        break;
      case host_feature::user_namespace:
      case host_feature::pid_namespace:
      case host_feature::mount_namespace:
      case host_feature::net_namespace:
      case host_feature::uts_namespace:
      case host_feature::ipc_namespace:
        v = h::probe_namespace(f);
        break;
      case host_feature::pseudo_terminal:
        v = h::probe_pseudo_terminal();
        break;
      case host_feature::hw_watchpoints:
        v = h::probe_hw_watchpoints();
        break;
    }
    return v;
  }

  std::array<std::once_flag, host_feature_count> once_{};
  std::array<host_probe, host_feature_count> probes_{};
};

/// Returns the process's host feature set (one per process, probes cached).
inline host_feature_set& host_features() {
  static host_feature_set set;
  return set;
}

}  // namespace snare
