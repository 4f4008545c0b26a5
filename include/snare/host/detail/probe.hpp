// Defines the observation half of snare's host probes: each runs the real thing (in a
// forked child where it could harm or change the caller) and hands what it saw to the
// decision functions of decide.hpp.
#pragma once

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <snare/arch/native.hpp>
#include <snare/arch/x86_64.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/host/detail/decide.hpp>
#include <snare/host/feature.hpp>

namespace snare::detail::host {

// uapi values newer than some headers (the kernel's own numbers, include/uapi/linux/*.h).
inline constexpr unsigned long notif_set_flags_ioctl = 0x40082104;   // SECCOMP_IOW(4, __u64)
inline constexpr unsigned long notif_addfd_ioctl = 0x40182103;       // SECCOMP_IOW(3, seccomp_notif_addfd)
inline constexpr unsigned long notif_fd_sync_wake_up = 1;            // SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
inline constexpr unsigned addfd_flag_send = 1u << 1;                 // SECCOMP_ADDFD_FLAG_SEND
inline constexpr unsigned filter_flag_new_listener = 1u << 3;        // SECCOMP_FILTER_FLAG_NEW_LISTENER
inline constexpr unsigned filter_flag_wait_killable_recv = 1u << 5;  // SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
inline constexpr unsigned pidfd_thread_flag = O_EXCL;                // PIDFD_THREAD (Linux 6.9)
inline constexpr int pr_set_syscall_user_dispatch = 59;
inline constexpr unsigned long pr_sys_dispatch_on = 1;
inline constexpr long i386_getpid = 20;

/// Sets `sig` to its default action with the raw syscall, past any sanitizer's interposed
/// sigaction, so a probe child dies of the signal as the kernel sends it.
inline void default_signal(int sig) noexcept {
  arch::native::kernel_sigaction act{};
  ::syscall(SYS_rt_sigaction, sig, &act, nullptr, sizeof act.mask);
}

/// Forks a probe child that sends no SIGCHLD (exit signal 0): the kernel then never reaps
/// it on its own, even when the caller ignores SIGCHLD (a daemon), and waitpid(__WALL)
/// still collects it. Returns its pid in the parent, 0 in the child, -1 with errno.
inline pid_t fork_probe_child() noexcept {
  return static_cast<pid_t>(::syscall(SYS_clone, 0UL, 0UL, 0UL, 0UL, 0UL));
}

/// Waits for probe child `pid`; returns false (errno set) when it cannot be waited for.
inline bool wait_probe_child(pid_t pid, int& status) noexcept {
  for (;;) {
    if (::waitpid(pid, &status, __WALL) == pid) return true;
    if (errno != EINTR) return false;
  }
}

/// Runs body(report) in a forked child (async-signal-safe code only), which sends the
/// report back unless it dies first; returns what the parent saw. Core dumps are off.
template <class Body>
child_outcome run_in_child(Body&& body) noexcept {
  child_outcome o;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    o.fork_errno = errno;
    return o;
  }
  pid_t pid = fork_probe_child();
  if (pid < 0) {
    o.fork_errno = errno;
    ::close(p[0]);
    ::close(p[1]);
    return o;
  }
  if (pid == 0) {
    ::close(p[0]);
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    default_signal(SIGSEGV);
    default_signal(SIGSYS);
    child_report r;
    body(r);
    (void)!::write(p[1], &r, sizeof r);
    ::_exit(0);
  }
  ::close(p[1]);
  child_report r;
  auto n = retry_eintr([&] { return ::read(p[0], &r, sizeof r); });
  ::close(p[0]);
  if (n == static_cast<ssize_t>(sizeof r)) {
    o.reported = true;
    o.report = r;
  }
  if (!wait_probe_child(pid, o.wait_status)) o.wait_errno = errno;
  return o;
}

/// Installs, in the calling (child) process, a filter that sends one unused syscall number
/// to a new listener, and returns the listener fd (-1 with errno on failure).
inline int make_listener(unsigned extra_flags = 0) noexcept {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1023, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0x7fc00000U),  // SECCOMP_RET_USER_NOTIF
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof code / sizeof code[0]), code};
  return static_cast<int>(
      ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, filter_flag_new_listener | extra_flags, &prog));
}

/// Reads a small integer from a /proc or /sys file; -1 when absent or unreadable.
inline int read_int_file(const char* path) noexcept {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[32] = {};
  auto n = retry_eintr([&] { return ::read(fd, buf, sizeof buf - 1); });
  ::close(fd);
  if (n <= 0) return -1;
  return std::atoi(buf);
}

inline host_probe probe_ptrace() {
  int go[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return {false, "cannot make a pipe: " + errno_text(errno)};
  pid_t pid = fork_probe_child();
  if (pid < 0) {
    int e = errno;
    ::close(go[0]);
    ::close(go[1]);
    return {false, "cannot fork a probe child: " + errno_text(e)};
  }
  if (pid == 0) {
    ::close(go[1]);
    char c;
    (void)!::read(go[0], &c, 1);  // until the parent closes its end
    ::_exit(0);
  }
  ::close(go[0]);
  int seize_errno = ::ptrace(PTRACE_SEIZE, pid, 0, 0) == 0 ? 0 : errno;
  ::kill(pid, SIGKILL);
  ::close(go[1]);
  int status = 0;
  (void)wait_probe_child(pid, status);
  return decide_ptrace(seize_errno, read_int_file("/proc/sys/kernel/yama/ptrace_scope"));
}

// The x86 debug registers in the user area (struct user's u_debugreg: DR0-DR3 addresses,
// DR6 status, DR7 control), written and read with PTRACE_POKEUSER/PEEKUSER.
inline constexpr std::size_t debugreg_offset(unsigned n) noexcept {
  return offsetof(struct user, u_debugreg) + n * sizeof(long);
}

/// Probes hardware watchpoints: a traced child stops, the parent sets DR0 to a variable and
/// DR7 to a 4-byte write watchpoint on it (L0, R/W0 = 01, LEN0 = 11), the child writes the
/// variable and must stop with SIGTRAP and DR6's B0 set. Hypervisors may refuse DR7 (EIO,
/// EINVAL) or never fire it.
inline host_probe probe_hw_watchpoints() {
#if !defined(__x86_64__)
  return {false, "the debug registers are probed on x86-64 only"};
#else
  static volatile int watched = 0;
  pid_t pid = fork_probe_child();
  if (pid < 0) return {false, "cannot fork a probe child: " + errno_text(errno)};
  if (pid == 0) {
    if (::ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) ::_exit(2);
    ::raise(SIGSTOP);
    watched = 1;  // the watchpoint's trap stops the child here
    ::_exit(0);
  }
  auto end = [pid](host_probe p) {
    ::kill(pid, SIGKILL);
    int status = 0;
    (void)wait_probe_child(pid, status);
    return p;
  };
  int status = 0;
  if (!wait_probe_child(pid, status)) return {false, "cannot wait for the probe child: " + errno_text(errno)};
  if (!WIFSTOPPED(status)) return {false, "the probe child " + status_text(status) + " before its SIGSTOP"};
  const auto address = reinterpret_cast<unsigned long>(&watched);
  const unsigned long dr7 = 1ul | (1ul << 16) | (3ul << 18);
  if (::ptrace(PTRACE_POKEUSER, pid, debugreg_offset(0), address) != 0)
    return end({false, "PTRACE_POKEUSER of DR0 failed: " + errno_text(errno)});
  if (::ptrace(PTRACE_POKEUSER, pid, debugreg_offset(7), dr7) != 0)
    return end({false, "PTRACE_POKEUSER of DR7 (a write watchpoint) failed: " + errno_text(errno)});
  if (::ptrace(PTRACE_CONT, pid, 0, 0) != 0) return end({false, "PTRACE_CONT failed: " + errno_text(errno)});
  if (!wait_probe_child(pid, status))
    return end({false, "cannot wait for the probe child: " + errno_text(errno)});
  if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP)
    return end({false, "a write watchpoint set in DR0/DR7 did not fire: the probe child " +
                           (WIFSTOPPED(status) ? "stopped with signal " + std::to_string(WSTOPSIG(status))
                                               : status_text(status))});
  errno = 0;
  long dr6 = ::ptrace(PTRACE_PEEKUSER, pid, debugreg_offset(6), 0);
  if (errno != 0) return end({false, "PTRACE_PEEKUSER of DR6 failed: " + errno_text(errno)});
  if ((dr6 & 1) == 0) return end({false, "the probe child trapped, but DR6 does not say DR0 fired"});
  return end({true, "a write watchpoint set in DR0/DR7 fired in a traced child (DR6.B0)"});
#endif
}

inline host_probe probe_seccomp_filter() {
  auto o = run_in_child([](child_report& r) {
    r.step = 0;
    sock_filter code[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    sock_fprog prog{1, code};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
      r.err = errno;
  });
  return decide_call(o, "seccomp(SECCOMP_SET_MODE_FILTER) of an allow-all filter");
}

inline host_probe probe_user_notif() {
  auto o = run_in_child([](child_report& r) {
    r.step = 0;
    if (make_listener() < 0) r.err = errno;
  });
  return decide_call(o, "seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER)");
}

inline host_probe probe_wait_killable_recv() {
  auto o = run_in_child([](child_report& r) {
    r.step = 0;
    if (make_listener(filter_flag_wait_killable_recv) < 0) r.err = errno;
  });
  return decide_call(o, "a seccomp listener with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19)");
}

// Runs op(listener) in a forked child that made a seccomp listener first (step 0); op
// returns the errno of its call (step 1), 0 when it succeeded.
template <class Op>
child_outcome run_on_listener(Op op) noexcept {
  return run_in_child([&](child_report& r) {
    r.step = 0;
    int fd = make_listener();
    if (fd < 0) {
      r.err = errno;
      return;
    }
    r.step = 1;
    r.err = op(fd);
  });
}

inline host_probe probe_sync_wake_up() {
  auto o = run_on_listener(
      [](int fd) { return ::ioctl(fd, notif_set_flags_ioctl, notif_fd_sync_wake_up) == 0 ? 0 : errno; });
  return decide_listener_call(
      o, "SECCOMP_IOCTL_NOTIF_SET_FLAGS(SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) (Linux 6.6)");
}

inline host_probe probe_addfd_send() {
  return decide_addfd_send(run_on_listener([](int fd) {
    struct {
      std::uint64_t id;
      std::uint32_t flags, srcfd, newfd, newfd_flags;
    } addfd{~std::uint64_t{0}, addfd_flag_send, 0, 0, 0};
    return ::ioctl(fd, notif_addfd_ioctl, &addfd) == 0 ? 0 : errno;
  }));
}

inline host_probe probe_pidfd_thread() {
  long fd = ::syscall(SYS_pidfd_open, static_cast<pid_t>(::syscall(SYS_gettid)), pidfd_thread_flag);
  if (fd >= 0) {
    ::close(static_cast<int>(fd));
    return {true, "pidfd_open(gettid(), PIDFD_THREAD) succeeded"};
  }
  int e = errno;
  return {false, "pidfd_open(gettid(), PIDFD_THREAD) failed: " + errno_text(e) +
                     (e == EINVAL ? " (needs Linux 6.9)" : "")};
}

inline host_probe probe_rdtsc_trapping() {
  return decide_rdtsc_trapping(run_in_child([](child_report& r) {
    r.step = 0;
    if (::prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) {
      r.err = errno;
      return;
    }
    std::uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    r.step = 1;
    r.value = static_cast<long>(lo);
  }));
}

inline host_probe probe_cpuid_faulting() {
  return decide_cpuid_faulting(run_in_child([](child_report& r) {
    r.step = 0;
    if (::syscall(SYS_arch_prctl, 0x1012 /* ARCH_SET_CPUID */, 0) != 0) {
      r.err = errno;
      return;
    }
    std::uint32_t a = 0, b, c = 0, d;
    asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    r.step = 1;
    r.value = static_cast<long>(a);
  }));
}

inline host_probe probe_int80() {
  return decide_int80(run_in_child([](child_report& r) {
    r.step = 0;
    r.err = static_cast<int>(::syscall(SYS_getpid));
    long ret;
    asm volatile("int $0x80" : "=a"(ret) : "a"(i386_getpid) : "memory");
    r.value = ret;
  }));
}

// In a child, as every probe that makes an unusual call: a caller under a filter that
// kills on a foreign ABI (systemd's SystemCallArchitectures=native) must not die of it.
inline host_probe probe_x32() {
  auto o = run_in_child([](child_report& r) {
    r.step = 0;
    r.err = static_cast<int>(::syscall(SYS_getpid));
    long ret = ::syscall(arch::x86_64::x32_syscall_bit | SYS_getpid);
    r.value = ret < 0 ? -errno : ret;
  });
  if (auto f = child_failure(o); !f.empty()) return {false, "getpid with the x32 bit: " + f};
  return decide_x32(o.report.value, o.report.err);
}

/// Returns the KVM flavour from the loaded modules, then the CPU flags.
inline kvm_flavour detect_kvm_flavour() noexcept {
  if (::access("/sys/module/kvm_pvm", F_OK) == 0) return kvm_flavour::pvm;
  if (::access("/sys/module/kvm_intel", F_OK) == 0) return kvm_flavour::vmx;
  if (::access("/sys/module/kvm_amd", F_OK) == 0) return kvm_flavour::svm;
  return kvm_flavour::unknown;
}

/// Opens /dev/kvm, checks the API version and creates (and drops) one VM.
inline host_probe probe_kvm(kvm_flavour flavour) {
  int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd < 0) return {false, "cannot open /dev/kvm: " + errno_text(errno)};
  unique_fd kvm(fd);
  int version = ::ioctl(kvm.get(), KVM_GET_API_VERSION, 0);
  if (version != KVM_API_VERSION)
    return {false, "/dev/kvm opened, yet KVM_GET_API_VERSION says " + std::to_string(version) + ", not " +
                       std::to_string(KVM_API_VERSION)};
  int vm = ::ioctl(kvm.get(), KVM_CREATE_VM, 0);
  if (vm < 0)
    return {false, "/dev/kvm opened (API " + std::to_string(version) +
                       "), yet KVM_CREATE_VM failed: " + errno_text(errno)};
  ::close(vm);
  return {true, "/dev/kvm opened, API " + std::to_string(version) + ", KVM_CREATE_VM succeeded; " +
                    kvm_flavour_name(flavour)};
}

// The SUD probe's selector and what its SIGSYS handler saw (the child's own copies).
inline volatile char sud_selector = 0;
inline volatile int sud_trapped = 0;

inline host_probe probe_sud() {
  return decide_sud(run_in_child([](child_report& r) {
    r.step = 0;
    struct sigaction sa {};
    sa.sa_handler = [](int) {
      sud_selector = 0;  // allow again, or the handler's own sigreturn would trap
      sud_trapped = 1;
    };
    ::sigaction(SIGSYS, &sa, nullptr);
    if (::prctl(pr_set_syscall_user_dispatch, pr_sys_dispatch_on, 0, 0, &sud_selector) != 0) {
      r.err = errno;
      return;
    }
    r.step = 1;
    sud_selector = 1;  // SYSCALL_DISPATCH_FILTER_BLOCK
    long ret;
    asm volatile("syscall" : "=a"(ret) : "a"(SYS_getppid) : "rcx", "r11", "memory");
    sud_selector = 0;
    r.value = sud_trapped;
  }));
}

inline host_probe probe_pmu() {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = PERF_COUNT_HW_BRANCH_INSTRUCTIONS;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  long fd = ::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd < 0) return decide_pmu(errno, 0);
  unique_fd counter(static_cast<int>(fd));
  ::ioctl(counter.get(), PERF_EVENT_IOC_ENABLE, 0);
  volatile long sink = 0;
  for (long i = 0; i < 10000; ++i) sink = sink + i;
  ::ioctl(counter.get(), PERF_EVENT_IOC_DISABLE, 0);
  long long count = 0;
  if (::read(counter.get(), &count, sizeof count) != static_cast<ssize_t>(sizeof count)) count = 0;
  return decide_pmu(0, count);
}

inline host_probe probe_user_namespaces() {
  auto o = run_in_child([](child_report& r) {
    r.step = 0;
    // Unprivileged is the question: drop to nobody first when running as root.
    if (::geteuid() == 0 &&
        (::syscall(SYS_setgroups, 0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
         ::setresuid(65534, 65534, 65534) != 0)) {
      r.err = errno;
      return;
    }
    if (::unshare(CLONE_NEWUSER) != 0) r.err = errno;
  });
  return decide_call(o, "unshare(CLONE_NEWUSER) as an unprivileged user");
}

/// Writes `data` to /proc/self/`file` in the calling (child) process; 0 or the errno.
inline int write_proc_self(const char* file, const char* data, std::size_t n) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/%s", file);
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = ::write(fd, data, n) == static_cast<ssize_t>(n) ? 0 : errno;
  ::close(fd);
  return err;
}

/// Probes a namespace kind as snare::command makes it, as this process's user: step 0 a new
/// user namespace with this user mapped to root (always for user_namespace; for the other
/// kinds only when not root, as a command then needs one); step 1 unshare of the kind; step
/// 2 its use (a tmpfs mounted, the host name set, pid 1 in a forked child).
inline host_probe probe_namespace(host_feature f) {
  int flag = f == host_feature::pid_namespace     ? CLONE_NEWPID
             : f == host_feature::mount_namespace ? CLONE_NEWNS
             : f == host_feature::net_namespace   ? CLONE_NEWNET
             : f == host_feature::uts_namespace   ? CLONE_NEWUTS
             : f == host_feature::ipc_namespace   ? CLONE_NEWIPC
                                                  : CLONE_NEWUSER;
  const bool as_root = ::geteuid() == 0;
  char uid_map[32], gid_map[32];
  std::snprintf(uid_map, sizeof uid_map, "0 %u 1\n", static_cast<unsigned>(::geteuid()));
  std::snprintf(gid_map, sizeof gid_map, "0 %u 1\n", static_cast<unsigned>(::getegid()));
  auto o = run_in_child([&](child_report& r) {
    r.step = 0;
    if (flag == CLONE_NEWUSER || !as_root) {
      if (::unshare(CLONE_NEWUSER) != 0) {
        r.err = errno;
        return;
      }
      int e = write_proc_self("setgroups", "deny", 4);
      if (e == 0 || e == ENOENT) e = write_proc_self("uid_map", uid_map, std::strlen(uid_map));
      if (e == 0) e = write_proc_self("gid_map", gid_map, std::strlen(gid_map));
      if ((r.err = e) != 0 || flag == CLONE_NEWUSER) return;
    }
    r.step = 1;
    if (::unshare(flag) != 0) {
      r.err = errno;
      return;
    }
    r.step = 2;
    if (flag == CLONE_NEWNS) {
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          ::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, nullptr) != 0)
        r.err = errno;
    } else if (flag == CLONE_NEWUTS) {
      if (::sethostname("snare-probe", 11) != 0) r.err = errno;
    } else if (flag == CLONE_NEWPID) {
      pid_t pid = ::fork();
      if (pid == 0) ::_exit(::getpid() == 1 ? 0 : 1);
      int st = 0;
      if (pid < 0 || !wait_probe_child(pid, st))
        r.err = errno;
      else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        r.err = ESRCH;  // not pid 1
    }
  });
  const char* kind = flag == CLONE_NEWPID   ? "CLONE_NEWPID"
                     : flag == CLONE_NEWNS  ? "CLONE_NEWNS"
                     : flag == CLONE_NEWNET ? "CLONE_NEWNET"
                     : flag == CLONE_NEWUTS ? "CLONE_NEWUTS"
                     : flag == CLONE_NEWIPC ? "CLONE_NEWIPC"
                                            : "CLONE_NEWUSER";
  const char* then = flag == CLONE_NEWNS    ? "a tmpfs mount"
                     : flag == CLONE_NEWUTS ? "sethostname"
                     : flag == CLONE_NEWPID ? "a forked child that is pid 1"
                                            : "";
  std::string what = std::string("unshare(") + kind + ")";
  if (flag == CLONE_NEWUSER)
    what += " with this user mapped to root";
  else if (!as_root)
    what = "unshare(CLONE_NEWUSER) with this user mapped to root, then " + what;
  if (*then) what += std::string(" and ") + then;
  return decide_call(o, what);
}

/// Probes a new pseudo-terminal: posix_openpt, grantpt, unlockpt, opening its slave.
inline host_probe probe_pseudo_terminal() {
  std::string what = "posix_openpt, grantpt, unlockpt and opening the slave";
  int m = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0) return {false, "posix_openpt failed: " + errno_text(errno)};
  unique_fd master(m);
  char name[128];
  if (::grantpt(m) != 0 || ::unlockpt(m) != 0 || ::ptsname_r(m, name, sizeof name) != 0)
    return {false, what + " failed: " + errno_text(errno)};
  unique_fd slave(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return {false, std::string("opening ") + name + " failed: " + errno_text(errno)};
  if (!::isatty(slave.get())) return {false, std::string(name) + " is not a terminal"};
  return {true, what + " succeeded"};
}

}  // namespace snare::detail::host
