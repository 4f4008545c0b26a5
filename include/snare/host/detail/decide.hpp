// Defines the decision half of snare's host probes: what a probe observed (a forked child's
// report and wait status, a syscall's return value) turned into yes/no and a one-line
// reason. Pure functions, so unit tests cover every outcome on any host.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <snare/host/feature.hpp>

namespace snare::detail::host {

using snare::host_probe;

/// What a probe child told its parent through a pipe: the step it reached (each probe
/// numbers its own steps from 0), the errno of that step when it failed, and a value.
struct child_report {
  int step = -1;
  int err = 0;
  long value = 0;
};

/// Everything a parent learns from one probe child.
struct child_outcome {
  int fork_errno = 0;  // non-zero: no child was made
  int wait_errno = 0;  // non-zero: the child could not be waited for (wait_status unknown)
  int wait_status = 0;
  bool reported = false;  // the child wrote its report before ending
  child_report report{};
};

/// Returns "EINVAL (Invalid argument)" for err.
inline std::string errno_text(int err) {
  const char* name = strerrorname_np(err);
  return std::string(name ? name : "errno " + std::to_string(err)) + " (" + std::strerror(err) + ")";
}

/// Returns how a wait status reads: "exited with 3", "killed by SIGSEGV".
inline std::string status_text(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return std::string("killed by ") +
           (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
  }
  return "ended with wait status " + std::to_string(status);
}

/// Returns the host_probe for a probe whose forked child did not get as far as its checks
/// (no fork, an unexpected death); empty reason when the child reported normally.
inline std::string child_failure(const child_outcome& o) {
  if (o.fork_errno != 0) return "cannot fork a probe child: " + errno_text(o.fork_errno);
  if (o.wait_errno != 0) return "cannot wait for the probe child: " + errno_text(o.wait_errno);
  if (!o.reported) return "the probe child " + status_text(o.wait_status) + " before reporting";
  return {};
}

/// Decides a probe run as "step 0 is one call; yes when it succeeds": seccomp filters,
/// user notification, its flags, unprivileged user namespaces. `what` names the call.
inline host_probe decide_call(const child_outcome& o, const std::string& what) {
  if (auto f = child_failure(o); !f.empty()) return {false, what + ": " + f};
  if (o.report.err != 0) return {false, what + " failed in a forked child: " + errno_text(o.report.err)};
  return {true, what + " succeeded in a forked child"};
}

/// Decides RDTSC trapping. The child: step 0 prctl(PR_SET_TSC, PR_TSC_SIGSEGV); step 1
/// RDTSC, which must kill it with SIGSEGV; a child that reports step 1 read the real TSC.
inline host_probe decide_rdtsc_trapping(const child_outcome& o) {
  const std::string prctl = "prctl(PR_SET_TSC, PR_TSC_SIGSEGV)";
  if (o.fork_errno != 0 || o.wait_errno != 0) return {false, child_failure(o)};
  if (WIFSIGNALED(o.wait_status) && WTERMSIG(o.wait_status) == SIGSEGV && !o.reported)
    return {true, prctl + " accepted and RDTSC raised SIGSEGV in a forked child"};
  if (o.reported && o.report.step == 0 && o.report.err != 0)
    return {false, prctl + " failed: " + errno_text(o.report.err)};
  if (o.reported && o.report.step == 1)
    return {false, prctl +
                       " accepted, yet RDTSC did not fault in a forked child (the kernel or hypervisor "
                       "ignores the setting)"};
  return {false, "RDTSC probe: " + child_failure(o)};
}

/// Decides CPUID faulting. The child: step 0 arch_prctl(ARCH_SET_CPUID, 0); step 1 CPUID,
/// which must kill it with SIGSEGV.
inline host_probe decide_cpuid_faulting(const child_outcome& o) {
  const std::string call = "arch_prctl(ARCH_SET_CPUID, 0)";
  if (o.fork_errno != 0 || o.wait_errno != 0) return {false, child_failure(o)};
  if (WIFSIGNALED(o.wait_status) && WTERMSIG(o.wait_status) == SIGSEGV && !o.reported)
    return {true, call + " accepted and CPUID raised SIGSEGV in a forked child"};
  if (o.reported && o.report.step == 0 && o.report.err != 0) {
    std::string why = call + " failed: " + errno_text(o.report.err);
    if (o.report.err == ENODEV) why += ": the CPU has no CPUID faulting";
    return {false, why};
  }
  if (o.reported && o.report.step == 1)
    return {false, call + " accepted, yet CPUID did not fault in a forked child"};
  return {false, "CPUID probe: " + child_failure(o)};
}

/// Decides the i386 `int 0x80` entry. The child runs getpid through int 0x80 (step 0) and
/// reports the value, which must equal `pid` (its own pid, also sent as report.err).
inline host_probe decide_int80(const child_outcome& o) {
  if (o.fork_errno != 0 || o.wait_errno != 0) return {false, child_failure(o)};
  if (WIFSIGNALED(o.wait_status) && !o.reported)
    return {false, "int 0x80 (i386 getpid) " + status_text(o.wait_status) + " in a forked child" +
                       (WTERMSIG(o.wait_status) == SIGSEGV
                            ? ": this kernel has no i386 syscall entry (IA32 emulation off)"
                            : ": refused (a seccomp filter of the caller's?)")};
  if (!o.reported) return {false, "int 0x80 probe: " + child_failure(o)};
  if (o.report.value == o.report.err)
    return {true, "int 0x80 (i386 getpid) returned the child's pid in a forked child"};
  return {false,
          "int 0x80 (i386 getpid) returned " + std::to_string(o.report.value) + " in a forked child" +
              (o.report.value < 0 ? ": " + errno_text(static_cast<int>(-o.report.value)) : std::string())};
}

/// Decides the x32 ABI from getpid called with the x32 bit: its value and the real pid.
inline host_probe decide_x32(long ret, long pid) {
  if (ret == pid) return {true, "getpid with the x32 bit (0x40000027) returned the pid"};
  if (ret < 0 && ret > -4096)
    return {false,
            "getpid with the x32 bit (0x40000027) failed: " + errno_text(static_cast<int>(-ret)) +
                (ret == -ENOSYS ? ": the kernel has no x32 ABI (CONFIG_X86_X32_ABI off, or x32 disabled)"
                                : std::string())};
  return {false, "getpid with the x32 bit returned " + std::to_string(ret) + ", not the pid"};
}

/// Decides ptrace of children: the errno of PTRACE_SEIZE on a forked child (0: it worked)
/// and the Yama ptrace_scope (-1 when Yama is absent).
inline host_probe decide_ptrace(int seize_errno, int yama_scope) {
  std::string yama = yama_scope < 0 ? "no Yama LSM" : "Yama ptrace_scope " + std::to_string(yama_scope);
  if (seize_errno == 0) return {true, "PTRACE_SEIZE of a forked child succeeded (" + yama + ")"};
  std::string why = "PTRACE_SEIZE of a forked child failed: " + errno_text(seize_errno) + " (" + yama;
  if (yama_scope == 3)
    why += ": ptrace is disabled for every process";
  else if (seize_errno == EPERM)
    why += "; a seccomp-confined container or an LSM may forbid ptrace";
  return {false, why + ")"};
}

/// Decides SECCOMP_ADDFD_FLAG_SEND: the errno of NOTIF_ADDFD with that flag and an id no
/// notification has. ENOENT means the flag passed validation (Linux 5.14+).
inline host_probe decide_addfd_send(const child_outcome& o) {
  const std::string what = "SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND";
  if (auto f = child_failure(o); !f.empty()) return {false, what + ": " + f};
  if (o.report.step == 0) return {false, "cannot create a seccomp listener: " + errno_text(o.report.err)};
  if (o.report.err == ENOENT)
    return {true, what + " passed flag validation (ENOENT for an unknown notification id)"};
  return {false, what + " failed: " + errno_text(o.report.err) +
                     (o.report.err == EINVAL ? ": flag unknown (needs Linux 5.14)" : "")};
}

/// Decides a feature that needs a seccomp listener first (step 0: create it) and then one
/// call on it (step 1), named `what`.
inline host_probe decide_listener_call(const child_outcome& o, const std::string& what) {
  if (auto f = child_failure(o); !f.empty()) return {false, what + ": " + f};
  if (o.report.step == 0 && o.report.err != 0)
    return {false, "cannot create a seccomp listener: " + errno_text(o.report.err)};
  if (o.report.err != 0) return {false, what + " failed in a forked child: " + errno_text(o.report.err)};
  return {true, what + " succeeded in a forked child"};
}

/// Decides Syscall User Dispatch. The child: step 0 prctl(PR_SET_SYSCALL_USER_DISPATCH);
/// step 1 a blocked syscall, which must raise SIGSYS (value 1 when its handler ran).
inline host_probe decide_sud(const child_outcome& o) {
  const std::string call = "prctl(PR_SET_SYSCALL_USER_DISPATCH)";
  if (auto f = child_failure(o); !f.empty()) return {false, "Syscall User Dispatch probe: " + f};
  if (o.report.step == 0)
    return {false, call + " failed: " + errno_text(o.report.err) +
                       (o.report.err == EINVAL ? " (needs Linux 5.11)" : "")};
  if (o.report.value == 1)
    return {true, call + " accepted and a blocked syscall raised SIGSYS in a forked child"};
  return {false, call + " accepted, yet a blocked syscall raised no SIGSYS"};
}

/// Decides hardware PMU counters: the errno of perf_event_open for retired branches (0:
/// opened) and the count read after a loop.
inline host_probe decide_pmu(int open_errno, long long count) {
  const std::string call = "perf_event_open(PERF_COUNT_HW_BRANCH_INSTRUCTIONS, user only)";
  if (open_errno != 0) {
    std::string why = call + " failed: " + errno_text(open_errno);
    if (open_errno == ENOENT || open_errno == EOPNOTSUPP || open_errno == ENODEV)
      why += ": no hardware PMU (a virtual machine without PMU passthrough)";
    else if (open_errno == EACCES || open_errno == EPERM)
      why += ": refused by kernel.perf_event_paranoid or a security policy";
    return {false, why};
  }
  if (count <= 0) return {false, call + " opened, yet it counted no branch in a loop"};
  return {true, call + " counted " + std::to_string(count) + " branches in a loop"};
}

/// The kinds of KVM snare tells apart: hardware VMX or SVM, or PVM (a software
/// hypervisor that runs guest user code on the host CPU).
enum class kvm_flavour { none, vmx, svm, pvm, unknown };

/// Returns the display name of a KVM flavour.
inline const char* kvm_flavour_name(kvm_flavour f) noexcept {
  switch (f) {
    case kvm_flavour::vmx:
      return "VMX (kvm_intel)";
    case kvm_flavour::svm:
      return "SVM (kvm_amd)";
    case kvm_flavour::pvm:
      return "PVM (kvm_pvm)";
    case kvm_flavour::unknown:
      return "of unknown flavour";
    case kvm_flavour::none:
      break;
  }
  return "absent";
}

/// Decides a guest-event trap of the KVM backend (RDTSC through CR4.TSD, CPUID through
/// emulated CPUID faulting) from the KVM host_probe and flavour: hardware VMX and SVM take
/// both to KVM; PVM runs guest user code directly on the host CPU, where neither traps.
inline host_probe decide_kvm_trap(const host_probe& kvm, kvm_flavour flavour, const std::string& what) {
  if (!kvm.available) return {false, "no usable KVM: " + kvm.reason};
  if (flavour == kvm_flavour::pvm)
    return {false, std::string("KVM is ") + kvm_flavour_name(flavour) +
                       ": guest user code runs on the host CPU, so " + what + " is not trapped"};
  if (flavour == kvm_flavour::unknown)
    return {false,
            "KVM's flavour is unknown (no kvm_intel, kvm_amd or kvm_pvm module): " + what + " not assumed"};
  return {true, std::string("KVM is ") + kvm_flavour_name(flavour) + ": " + what +
                    " exits to KVM (derived from the flavour)"};
}

}  // namespace snare::detail::host
