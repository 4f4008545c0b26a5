// Defines the vocabulary of snare's host probes: snare::host_feature, its names and what
// needs each, and snare::host_probe (yes/no and the reason). See snare/host.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace snare {

/// A feature of the host that some backend, capability or test relies on.
enum class host_feature : std::uint8_t {
  ptrace,                        ///< PTRACE_SEIZE of a child works (Yama, containers)
  seccomp_filter,                ///< seccomp-BPF filters can be installed
  seccomp_user_notif,            ///< SECCOMP_RET_USER_NOTIF and listener fds (Linux 5.0)
  notif_sync_wake_up,            ///< SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6)
  notif_addfd_send,              ///< SECCOMP_ADDFD_FLAG_SEND (Linux 5.14)
  notif_wait_killable_recv,      ///< SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19)
  pidfd_thread,                  ///< pidfd_open(tid, PIDFD_THREAD) (Linux 6.9)
  rdtsc_trapping,                ///< PR_TSC_SIGSEGV really makes RDTSC fault
  cpuid_faulting,                ///< ARCH_SET_CPUID really makes CPUID fault
  i386_int80,                    ///< the i386 `int 0x80` syscall entry
  x32_abi,                       ///< the x32 syscall ABI
  kvm,                           ///< a usable /dev/kvm (open, API 12, create a VM)
  kvm_rdtsc_trap,                ///< a KVM guest's RDTSC can be trapped (CR4.TSD; not on PVM)
  kvm_cpuid_trap,                ///< a KVM guest's CPUID can be trapped (not on PVM)
  syscall_user_dispatch,         ///< Syscall User Dispatch (Linux 5.11)
  pmu,                           ///< hardware PMU counters (retired branches)
  unprivileged_user_namespaces,  ///< unshare(CLONE_NEWUSER) without privileges
  user_namespace,                ///< a new user namespace with this process's user mapped (snare::command)
  pid_namespace,                 ///< a new pid namespace (in a new user namespace without root)
  mount_namespace,               ///< a new mount namespace with a tmpfs mounted in it
  net_namespace,                 ///< a new network namespace
  uts_namespace,                 ///< a new UTS namespace whose host name can be set
  ipc_namespace,                 ///< a new IPC namespace
  pseudo_terminal,               ///< a new pseudo-terminal (posix_openpt, grantpt, unlockpt)
  hw_watchpoints,                ///< x86 debug registers through ptrace: a write watchpoint fires
};

/// The number of host features.
inline constexpr std::size_t host_feature_count = 25;

/// A host feature's name (as `snare-strace --host` and SNARE_HOST_DENY spell it) and what
/// in snare needs it.
struct host_feature_info {
  host_feature feature;
  std::string_view name;
  std::string_view needed_by;
};

/// Every host feature, in enum order.
inline constexpr std::array<host_feature_info, host_feature_count> host_feature_table{{
    {host_feature::ptrace, "ptrace", "the ptrace backend"},
    {host_feature::seccomp_filter, "seccomp_filter", "the ptrace and seccomp_notify backends"},
    {host_feature::seccomp_user_notif, "seccomp_user_notif", "the seccomp_notify backend"},
    {host_feature::notif_sync_wake_up, "notif_sync_wake_up", "seccomp_notify: faster wake-ups (optional)"},
    {host_feature::notif_addfd_send, "notif_addfd_send", "seccomp_notify: g.reply_fd"},
    {host_feature::notif_wait_killable_recv, "notif_wait_killable_recv",
     "seccomp_notify: signals during a pending call (planned)"},
    {host_feature::pidfd_thread, "pidfd_thread", "seccomp_notify: timely thread-exit events (optional)"},
    {host_feature::rdtsc_trapping, "rdtsc_trapping", "on_rdtsc on ptrace; snare-dettime's RDTSC"},
    {host_feature::cpuid_faulting, "cpuid_faulting", "on_cpuid on ptrace"},
    {host_feature::i386_int80, "i386_int80", "tests: the int 0x80 no-bypass check"},
    {host_feature::x32_abi, "x32_abi", "tests: the x32 no-bypass check (refused either way)"},
    {host_feature::kvm, "kvm", "the hypercall (KVM) backend"},
    {host_feature::kvm_rdtsc_trap, "kvm_rdtsc_trap", "on_rdtsc on hypercall"},
    {host_feature::kvm_cpuid_trap, "kvm_cpuid_trap", "on_cpuid on hypercall"},
    {host_feature::syscall_user_dispatch, "syscall_user_dispatch", "the in_guest backend"},
    {host_feature::pmu, "pmu",
     "precise timers (set_timer_precise, read_clock: ptrace), deterministic scheduling"},
    {host_feature::unprivileged_user_namespaces, "unprivileged_user_namespaces",
     "guests in new namespaces without root (planned)"},
    {host_feature::user_namespace, "user_namespace", "snare::command: unshare(ns::user), map_root"},
    {host_feature::pid_namespace, "pid_namespace", "snare::command: unshare(ns::pid)"},
    {host_feature::mount_namespace, "mount_namespace", "snare::command: unshare(ns::mount), mounts"},
    {host_feature::net_namespace, "net_namespace", "snare::command: unshare(ns::net)"},
    {host_feature::uts_namespace, "uts_namespace", "snare::command: unshare(ns::uts), hostname"},
    {host_feature::ipc_namespace, "ipc_namespace", "snare::command: unshare(ns::ipc)"},
    {host_feature::pseudo_terminal, "pseudo_terminal", "snare::command: pty"},
    {host_feature::hw_watchpoints, "hw_watchpoints", "the gdbserver's hardware watchpoints (Z2-Z4)"},
}};

/// Returns the name of a host feature ("rdtsc_trapping").
constexpr std::string_view name_of(host_feature f) noexcept {
  return host_feature_table[static_cast<std::size_t>(f)].name;
}

/// Returns the feature named `name`, or nothing when no feature has that name.
constexpr std::optional<host_feature> host_feature_named(std::string_view name) noexcept {
  for (const auto& i : host_feature_table)
    if (i.name == name) return i.feature;
  return std::nullopt;
}

/// What a probe found: whether the feature is there and a one-line reason saying what was
/// tried and what happened.
struct host_probe {
  bool available = false;
  std::string reason;
  explicit operator bool() const noexcept { return available; }
};

}  // namespace snare
