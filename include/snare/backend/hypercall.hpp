// Defines snare::backend::hypercall: the backend that runs a static x86-64 executable in a
// KVM micro-VM owned by the tracer, where every syscall instruction is a VM exit to the host
// tool (a hypercall) and the host performs the call; guest programs may also fire probes.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/backend/hypercall/detail/kvm.hpp>
#include <snare/backend/hypercall/detail/vm.hpp>
#include <snare/host/feature.hpp>

namespace snare::backend {

namespace hypercall_detail {
template <class Tool>
class engine;
}  // namespace hypercall_detail

/// The hypercall (KVM) backend. The guest is one static or static-pie x86-64 ELF; each of
/// its threads is a vCPU served by a host thread of its own. Its memory is host memory at
/// the same addresses, so handlers read and write it
/// directly and the host runs forwarded calls on the guest's own pointers. It changes
/// arguments, injects calls (the host runs them at once), sees exits, and gives tools the
/// probes guests fire with snare::probe() (snare/guest_probe.hpp). Only the signals a guest
/// sends itself reach it (its handlers run), and tools see no signal events; no fds are added (the guest
/// shares the tracer's fd table) and there are no backtraces. fork/vfork/exec fail with ENOSYS. See
/// docs/hypercall.md.
struct hypercall {
  static constexpr std::string_view name = "hypercall";
  static constexpr bool can_modify_args = true;  // the host runs the call with the handler's arguments
  static constexpr bool can_inject = true;       // the host runs injected calls synchronously
  static constexpr bool can_read_memory = true;  // guest memory is host memory
  static constexpr bool can_write_memory = true;
  static constexpr bool can_intercept_rdtsc = true;   // CR4.TSD; host feature kvm_rdtsc_trap (not PVM)
  static constexpr bool can_intercept_cpuid = true;   // CPUID faulting; host feature kvm_cpuid_trap (not PVM)
  static constexpr bool can_add_fd = false;           // the guest's fds are the tracer's: nothing to add
  static constexpr bool can_observe_exit = true;      // the result is known before the guest resumes
  static constexpr bool can_observe_signals = false;  // only self-sent signals exist, handled by the VM
  static constexpr bool can_backtrace = false;
  static constexpr bool can_follow_process_tree = false;  // one process: fork/vfork/exec give ENOSYS

  /// The engine running one guest under Tool.
  template <class Tool>
  using engine = hypercall_detail::engine<Tool>;

  /// A probe fired by a guest with snare::probe(id, args...): the id, five arguments and
  /// the host time at which the VM exit arrived. Tools receive it in
  /// `void on_probe(const snare::backend::hypercall::probe_event&, Guest&)`.
  using probe_event = hypercall_detail::probe_event;

  /// One guest of a multi-VM run (run_vms): the name the tool sees (g.name()) and argv.
  struct vm_spec {
    std::string name;
    std::vector<std::string> argv;
  };

  /// The host feature every run needs: a usable /dev/kvm.
  static constexpr std::array<host_feature, 1> host_requirements{host_feature::kvm};
  /// Returns the host feature capability `c` needs here: a KVM that takes the guest's
  /// RDTSC (CR4.TSD) or CPUID to the host, which PVM does not (it runs guest user code on
  /// the host CPU).
  static constexpr std::optional<host_feature> host_feature_for(capability c) noexcept {
    if (c == capability::can_intercept_rdtsc) return host_feature::kvm_rdtsc_trap;
    if (c == capability::can_intercept_cpuid) return host_feature::kvm_cpuid_trap;
    return std::nullopt;
  }
};

}  // namespace snare::backend

#include <snare/backend/hypercall/engine.hpp>
