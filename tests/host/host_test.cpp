// Tests snare/host.hpp: the decision of every probe from what it could observe (a child's
// report and wait status), then the real probes on this host.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include <snare/host.hpp>

namespace h = snare::detail::host;

namespace {
// Wait statuses as waitpid reports them.
constexpr int exited(int code) { return code << 8; }
constexpr int killed(int sig) { return sig; }

h::child_outcome reported(int step, int err, long value, int status = exited(0)) {
  h::child_outcome o;
  o.wait_status = status;
  o.reported = true;
  o.report = {step, err, value};
  return o;
}
h::child_outcome died(int sig) {
  h::child_outcome o;
  o.wait_status = killed(sig);
  return o;
}
bool says(const snare::host_probe& p, const std::string& text) {
  return p.reason.find(text) != std::string::npos;
}
}  // namespace

TEST_CASE("RDTSC trapping is there only when RDTSC really faults", "[host]") {
  SECTION("SIGSEGV at RDTSC: yes") {
    auto p = h::decide_rdtsc_trapping(died(SIGSEGV));
    CHECK(p.available);
    CHECK(says(p, "RDTSC raised SIGSEGV"));
  }
  SECTION("PR_SET_TSC accepted, RDTSC ran: no, the hypervisor ignores it") {
    auto p = h::decide_rdtsc_trapping(reported(1, 0, 1234));
    CHECK_FALSE(p.available);
    CHECK(says(p, "accepted, yet RDTSC did not fault"));
  }
  SECTION("PR_SET_TSC refused: no, with its errno") {
    auto p = h::decide_rdtsc_trapping(reported(0, EINVAL, 0));
    CHECK_FALSE(p.available);
    CHECK(says(p, "failed: EINVAL"));
  }
  SECTION("no fork, or another death: no") {
    h::child_outcome nofork;
    nofork.fork_errno = EAGAIN;
    CHECK(says(h::decide_rdtsc_trapping(nofork), "cannot fork"));
    CHECK_FALSE(h::decide_rdtsc_trapping(died(SIGKILL)).available);
    CHECK(says(h::decide_rdtsc_trapping(died(SIGKILL)), "killed by SIGKILL"));
  }
}

TEST_CASE("CPUID faulting is there only when CPUID really faults", "[host]") {
  CHECK(h::decide_cpuid_faulting(died(SIGSEGV)).available);
  auto nodev = h::decide_cpuid_faulting(reported(0, ENODEV, 0));
  CHECK_FALSE(nodev.available);
  CHECK(says(nodev, "the CPU has no CPUID faulting"));
  auto ignored = h::decide_cpuid_faulting(reported(1, 0, 13));
  CHECK_FALSE(ignored.available);
  CHECK(says(ignored, "CPUID did not fault"));
}

TEST_CASE("the i386 int 0x80 entry is there when it returns the caller's pid", "[host]") {
  CHECK(h::decide_int80(reported(0, 4242, 4242)).available);
  auto segv = h::decide_int80(died(SIGSEGV));
  CHECK_FALSE(segv.available);
  CHECK(says(segv, "killed by SIGSEGV"));
  CHECK(says(segv, "no i386 syscall entry"));
  auto enosys = h::decide_int80(reported(0, 4242, -ENOSYS));
  CHECK_FALSE(enosys.available);
  CHECK(says(enosys, "ENOSYS"));
}

TEST_CASE("the x32 ABI is there when getpid with the x32 bit returns the pid", "[host]") {
  CHECK(h::decide_x32(77, 77).available);
  auto no = h::decide_x32(-ENOSYS, 77);
  CHECK_FALSE(no.available);
  CHECK(says(no, "no x32 ABI"));
  CHECK_FALSE(h::decide_x32(78, 77).available);
}

TEST_CASE("ptrace of children: the errno and the Yama scope say why not", "[host]") {
  CHECK(h::decide_ptrace(0, 1).available);
  CHECK(says(h::decide_ptrace(0, -1), "no Yama LSM"));
  auto scope3 = h::decide_ptrace(EPERM, 3);
  CHECK_FALSE(scope3.available);
  CHECK(says(scope3, "disabled for every process"));
  auto container = h::decide_ptrace(EPERM, 1);
  CHECK_FALSE(container.available);
  CHECK(says(container, "seccomp-confined container"));
}

TEST_CASE("seccomp calls and listener flags: the step and errno that failed", "[host]") {
  CHECK(h::decide_call(reported(0, 0, 0), "seccomp()").available);
  auto refused = h::decide_call(reported(0, EACCES, 0), "seccomp()");
  CHECK_FALSE(refused.available);
  CHECK(says(refused, "EACCES"));
  CHECK(says(h::decide_call(died(SIGSYS), "seccomp()"), "killed by SIGSYS before reporting"));
  CHECK(h::decide_listener_call(reported(1, 0, 0), "SET_FLAGS").available);
  CHECK(
      says(h::decide_listener_call(reported(0, ENOSYS, 0), "SET_FLAGS"), "cannot create a seccomp listener"));
  CHECK_FALSE(h::decide_listener_call(reported(1, EINVAL, 0), "SET_FLAGS").available);
  SECTION("ADDFD_FLAG_SEND: ENOENT for an unknown id means the flag is known") {
    CHECK(h::decide_addfd_send(reported(1, ENOENT, 0)).available);
    auto old = h::decide_addfd_send(reported(1, EINVAL, 0));
    CHECK_FALSE(old.available);
    CHECK(says(old, "needs Linux 5.14"));
  }
}

TEST_CASE("Syscall User Dispatch is there when a blocked call raises SIGSYS", "[host]") {
  CHECK(h::decide_sud(reported(1, 0, 1)).available);
  CHECK_FALSE(h::decide_sud(reported(1, 0, 0)).available);
  CHECK(says(h::decide_sud(reported(0, EINVAL, 0)), "needs Linux 5.11"));
}

TEST_CASE("hardware PMU counters: no PMU, refused, or counting", "[host]") {
  CHECK(h::decide_pmu(0, 10000).available);
  CHECK(says(h::decide_pmu(ENOENT, 0), "no hardware PMU"));
  CHECK(says(h::decide_pmu(EACCES, 0), "perf_event_paranoid"));
  CHECK_FALSE(h::decide_pmu(0, 0).available);
}

TEST_CASE("KVM traps follow the flavour: hardware yes, PVM no", "[host]") {
  snare::host_probe kvm{true, "ok"}, none{false, "cannot open /dev/kvm"};
  CHECK(h::decide_kvm_trap(kvm, h::kvm_flavour::vmx, "CPUID").available);
  CHECK(h::decide_kvm_trap(kvm, h::kvm_flavour::svm, "CPUID").available);
  auto pvm = h::decide_kvm_trap(kvm, h::kvm_flavour::pvm, "CPUID");
  CHECK_FALSE(pvm.available);
  CHECK(says(pvm, "PVM"));
  CHECK_FALSE(h::decide_kvm_trap(kvm, h::kvm_flavour::unknown, "CPUID").available);
  CHECK(says(h::decide_kvm_trap(none, h::kvm_flavour::vmx, "CPUID"), "cannot open /dev/kvm"));
}

TEST_CASE("the feature table names every feature once, in enum order", "[host]") {
  for (std::size_t i = 0; i < snare::host_feature_count; ++i) {
    const auto& info = snare::host_feature_table[i];
    CHECK(static_cast<std::size_t>(info.feature) == i);
    CHECK(snare::host_feature_named(info.name) == info.feature);
    CHECK_FALSE(info.needed_by.empty());
  }
  CHECK_FALSE(snare::host_feature_named("no_such_feature"));
  STATIC_REQUIRE(snare::name_of(snare::host_feature::rdtsc_trapping) == "rdtsc_trapping");
}

TEST_CASE("the real probes answer with a reason and agree with each other", "[host]") {
  auto& host = snare::host_features();
  auto start = std::chrono::steady_clock::now();
  host.probe_all();
  auto took = std::chrono::steady_clock::now() - start;
  const double ms = std::chrono::duration<double, std::milli>(took).count();
  INFO("all probes took " << ms << " ms");
  for (const auto& info : snare::host_feature_table) {
    const auto& p = host.get(info.feature);
    INFO(info.name << ": " << p.reason);
    CHECK_FALSE(p.reason.empty());
    CHECK(p.reason.find('\n') == std::string::npos);
    CHECK(&host.get(info.feature) == &p);  // cached: asked twice, probed once
  }
  // A listener's flags need the listener; the KVM traps need KVM.
  if (host.has(snare::host_feature::notif_sync_wake_up) || host.has(snare::host_feature::notif_addfd_send))
    CHECK(host.has(snare::host_feature::seccomp_user_notif));
  if (host.has(snare::host_feature::kvm_cpuid_trap) || host.has(snare::host_feature::kvm_rdtsc_trap))
    CHECK(host.has(snare::host_feature::kvm));
  // The probes' children are all reaped.
  errno = 0;
  CHECK(::waitpid(-1, nullptr, __WALL | WNOHANG) == -1);
  CHECK(errno == ECHILD);
}

TEST_CASE("the probes answer the same in a program that ignores SIGCHLD", "[host]") {
  // A daemon often ignores SIGCHLD, and the kernel then reaps its children itself: the
  // probes' children must still be waited for, not read as dead before reporting.
  const snare::host_feature checked[] = {
      snare::host_feature::rdtsc_trapping, snare::host_feature::cpuid_faulting,
      snare::host_feature::i386_int80,     snare::host_feature::ptrace,
      snare::host_feature::seccomp_filter, snare::host_feature::x32_abi};
  auto& host = snare::host_features();
  std::string expected;
  for (auto f : checked) expected += host.has(f) ? '1' : '0';
  int p[2];
  REQUIRE(::pipe(p) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGCHLD, SIG_IGN);
    snare::host_feature_set fresh;  // probes anew, with SIGCHLD ignored
    std::string got;
    for (auto f : checked) got += fresh.has(f) ? '1' : '0';
    (void)!::write(p[1], got.data(), got.size());
    ::_exit(0);
  }
  ::close(p[1]);
  char buf[16] = {};
  auto n = ::read(p[0], buf, sizeof buf);
  ::close(p[0]);
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == expected);
}

TEST_CASE("SNARE_HOST_DENY withholds features, never adds them", "[host]") {
  auto& host = snare::host_features();
  const char* outer = std::getenv("SNARE_HOST_DENY");  // the suite may run under one too
  const std::string saved = outer ? outer : "";
  bool had_pidfd = host.has(snare::host_feature::pidfd_thread);
  ::setenv("SNARE_HOST_DENY", "rdtsc_trapping,pidfd_thread", 1);
  CHECK_FALSE(host.has(snare::host_feature::rdtsc_trapping));
  CHECK_FALSE(host.has(snare::host_feature::pidfd_thread));
  CHECK(snare::host_feature_set::withheld(snare::host_feature::pidfd_thread));
  CHECK(host.get(snare::host_feature::pidfd_thread).reason == "withheld by SNARE_HOST_DENY (not probed)");
  ::setenv("SNARE_HOST_DENY", "all", 1);
  for (const auto& info : snare::host_feature_table) CHECK_FALSE(host.has(info.feature));
  if (outer)
    ::setenv("SNARE_HOST_DENY", saved.c_str(), 1);
  else
    ::unsetenv("SNARE_HOST_DENY");
  CHECK(host.has(snare::host_feature::pidfd_thread) == had_pidfd);
}
