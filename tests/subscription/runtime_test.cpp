// Run-time subscriptions (snare::runtime_subscription): names, classes and numbers parse with
// clear errors; a tool that opts in gets a BPF program built at start that traps exactly
// the named calls, read back from the kernel, on a real guest under ptrace and
// seccomp_notify (one source for both), and only those calls on every backend (hypercall
// too, which has no BPF program); the set must lie within the tool's handlers; a tool that
// does not opt in keeps the compile-time constant.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/backend/hypercall.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/subscription/runtime.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include <guests.hpp>

namespace {

namespace sys = snare::sys::x86_64;
using both_backends = std::tuple<snare::backend::ptrace, snare::backend::seccomp_notify>;
using all_backends =
    std::tuple<snare::backend::ptrace, snare::backend::seccomp_notify, snare::backend::hypercall>;

constexpr long nr_getppid = sys::getppid::number, nr_geteuid = sys::geteuid::number,
               nr_getuid = sys::getuid::number, nr_shmget = sys::shmget::number;

std::string rt_guest() { return snare::test::guest_path("rt_guest"); }

// The guest without its child, for Backend: the static build for hypercall (one static
// process in a micro-VM), the dynamic one elsewhere.
template <class Backend>
std::vector<std::string> rt_guest_alone() {
  if constexpr (std::is_same_v<Backend, snare::backend::hypercall>)
    return {snare::test::static_guest_path("rt_guest"), "nofork"};
  else
    return {rt_guest(), "nofork"};
}

// The seccomp filter (the most recent one) of `tid`, a task this process traces and that
// is stopped, as the kernel keeps it (PTRACE_SECCOMP_GET_FILTER); null with errno. On the
// heap: handlers run on fibers with small stacks, and a program is 32 KiB.
std::unique_ptr<snare::bpf::program> read_filter(pid_t tid) {
  long n = ::ptrace(PTRACE_SECCOMP_GET_FILTER, tid, 0, nullptr);
  if (n <= 0 || static_cast<std::size_t>(n) > snare::bpf::max_program_size) return nullptr;
  auto p = std::make_unique<snare::bpf::program>();
  if (::ptrace(PTRACE_SECCOMP_GET_FILTER, tid, 0, p->code.data()) != n) return nullptr;
  p->size = static_cast<std::size_t>(n);
  return p;
}

// The filter of process `pid`, which no one traces: seized, interrupted, read, released.
std::unique_ptr<snare::bpf::program> read_filter_of_untraced(pid_t pid) {
  if (::ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) return nullptr;
  std::unique_ptr<snare::bpf::program> p;
  int st = 0;
  if (::ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0 && ::waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st))
    p = read_filter(pid);
  const int e = errno;
  ::ptrace(PTRACE_DETACH, pid, 0, 0);
  errno = e;
  return p;
}

// A generic handler that counts every call it gets, and reads the guest's filter at its
// first getppid: the ptrace engine traces the calling thread, so its filter is read there;
// seccomp_notify does not, so it is read in the child the guest names in getppid's first
// argument (blocked in read(), with the same filter).
struct recorder {
  snare::runtime_subscription calls;
  std::map<long, int> seen;
  bool read_filter_at_getppid = true;
  std::unique_ptr<snare::bpf::program> filter;
  int filter_errno = 0;

  snare::runtime_subscription runtime_subscription() const { return calls; }

  template <class G>
  void on(auto call, G& g) {
    const auto raw = call.to_raw();
    ++seen[raw.number];
    if (!read_filter_at_getppid || raw.number != nr_getppid || filter || filter_errno != 0) return;
    if constexpr (std::is_same_v<typename G::backend_type, snare::backend::ptrace>)
      filter = read_filter(g.tid());
    else
      filter = read_filter_of_untraced(static_cast<pid_t>(raw.args[0]));
    if (!filter) filter_errno = errno;
  }
};

// Typed handlers only: what they can receive bounds a run-time subscription.
struct typed {
  snare::runtime_subscription calls;
  int getppid = 0, geteuid = 0, getuid = 0;
  snare::runtime_subscription runtime_subscription() const { return calls; }
  void on(snare::sys::getppid, auto&) { ++getppid; }
  void on(snare::sys::geteuid, auto&) { ++geteuid; }
  void on(snare::sys::getuid, auto&) { ++getuid; }
};

// Exits too (ptrace): an exit is seen only for a call of the run-time subscription.
struct exits {
  snare::runtime_subscription calls;
  std::map<long, std::vector<long>> returns;
  snare::runtime_subscription runtime_subscription() const { return calls; }
  void on(auto, auto&) {}
  void on_exit(auto call, long ret, auto&) { returns[call.to_raw().number].push_back(ret); }
};

// No run-time subscription: the compile-time path.
struct fixed {
  int getppid = 0;
  void on(snare::sys::getppid, auto&) { ++getppid; }
};

}  // namespace

TEST_CASE("run-time subscriptions parse names, classes and numbers", "[subscription]") {
  SECTION("names, a number and a class") {
    auto s = snare::runtime_subscription::parse("getppid," + std::to_string(nr_geteuid) + ",%ipc");
    CHECK(s.contains(nr_getppid));
    CHECK(s.contains(nr_geteuid));
    CHECK_FALSE(s.contains(nr_getuid));
    constexpr auto ipc = snare::sys::class_numbers<snare::arch::x86_64, snare::sys::class_ipc>;
    STATIC_REQUIRE(ipc.contains(nr_shmget));
    CHECK(s.calls() == (ipc | snare::runtime_subscription().add(nr_getppid).add(nr_geteuid).calls()));
  }
  SECTION("strace's class names") {
    CHECK(snare::syscall_class_named("%net") == snare::sys::class_network);
    CHECK(snare::syscall_class_named("%network") == snare::sys::class_network);
    CHECK(snare::syscall_class_named("%%stat") == snare::sys::class_stat);
    CHECK(snare::syscall_class_named("%nope") == 0);
    CHECK(snare::syscall_class_named("file") == 0);  // strace's legacy spelling is not taken
    auto file = snare::runtime_subscription::parse("%file");
    CHECK(file.calls() == snare::sys::class_numbers<snare::arch::x86_64, snare::sys::class_file>);
  }
  SECTION("all, and empty items between commas") {
    CHECK(snare::runtime_subscription::parse("all").calls().is_everything());
    CHECK(snare::runtime_subscription::parse(",getpid,,").calls().size() == 1);
  }
  SECTION("unknown names, classes and numbers are refused with the item named") {
    std::string error;
    CHECK_FALSE(snare::runtime_subscription::parse("openat,opnat", error));
    CHECK(error ==
          "unknown syscall 'opnat' in \"openat,opnat\": neither a syscall of x86_64, a class such as %file, "
          "nor a "
          "number below 1024");
    CHECK_FALSE(snare::runtime_subscription::parse("%files", error));
    CHECK(error.starts_with("unknown syscall '%files'"));
    CHECK_FALSE(snare::runtime_subscription::parse("1024", error));
    CHECK(error.starts_with("unknown syscall '1024'"));
    CHECK_FALSE(snare::runtime_subscription::parse("-1", error));
    CHECK_FALSE(snare::runtime_subscription::parse(",,", error));
    CHECK(error == "empty syscall list \",,\"");
    CHECK_THROWS_WITH(snare::runtime_subscription::parse("read,wrte"),
                      Catch::StartsWith("snare: unknown syscall 'wrte' in \"read,wrte\""));
  }
  SECTION("the architecture whose names are read can be named") {
    auto s = snare::runtime_subscription::parse<snare::arch::x86_64>("openat");
    CHECK(s.contains(257));
  }
}

TEST_CASE("a run-time subscription is narrowed from what the handlers can receive", "[subscription]") {
  snare::subscription_info bound;
  bound.entry.add(nr_getppid);
  bound.entry.add(nr_geteuid);
  bound.exit.add(nr_geteuid);
  SECTION("within: entries chosen, exits kept among them") {
    auto s = snare::narrow_subscription(bound, snare::runtime_subscription().add(nr_geteuid));
    CHECK(s.entry.size() == 1);
    CHECK(s.entry.contains(nr_geteuid));
    CHECK(s.exit.contains(nr_geteuid));
    auto p = snare::narrow_subscription(bound, snare::runtime_subscription().add(nr_getppid));
    CHECK(p.exit.empty());
  }
  SECTION("outside: refused, naming the calls outside") {
    CHECK_THROWS_WITH(
        snare::narrow_subscription(bound, snare::runtime_subscription::parse("getppid,openat,999")),
        "snare: the run-time subscription names calls the tool has no handler for: openat, 999 "
        "(subscribe within the tool's handlers, or give it a generic one)");
    CHECK_THROWS_WITH(snare::narrow_subscription(bound, snare::runtime_subscription::everything()),
                      Catch::Contains("no handler for: every syscall"));
    CHECK_THROWS_WITH(snare::narrow_subscription(bound, snare::runtime_subscription::parse("%network")),
                      Catch::Contains("socket, connect, accept, ") && Catch::Contains(" calls)"));
  }
  SECTION("a generic handler receives anything") {
    snare::subscription_info any{snare::syscall_set::everything(), snare::syscall_set::everything()};
    auto s = snare::narrow_subscription(any, snare::runtime_subscription::parse("openat,999"));
    CHECK(s.entry.size() == 2);
    CHECK(s.exit == s.entry);
  }
}

TEST_CASE("a tool without a run-time subscription keeps the compile-time constant", "[subscription]") {
  using fixed_engine = snare::backend::ptrace::engine<fixed>;
  // A static constant, usable at compile time, and no per-engine state for it.
  STATIC_REQUIRE(fixed_engine::subscription.entry.contains(nr_getppid));
  STATIC_REQUIRE(fixed_engine::subscription.entry.size() == 1);
  using fixed_base = snare::active_subscription<fixed, fixed_engine::guest_type, fixed_engine::table_type>;
  STATIC_REQUIRE(std::is_empty_v<fixed_base>);
  STATIC_REQUIRE(std::is_nothrow_constructible_v<
                 snare::engine::core<snare::backend::ptrace, fixed, fixed_engine::guest_type>, fixed&,
                 const snare::run_options&, snare::global_state_t<fixed>&>);
  using typed_engine = snare::backend::ptrace::engine<typed>;
  STATIC_REQUIRE(typed_engine::compiled_subscription.entry.size() == 3);
  STATIC_REQUIRE_FALSE(std::is_nothrow_constructible_v<
                       snare::engine::core<snare::backend::ptrace, typed, typed_engine::guest_type>, typed&,
                       const snare::run_options&, snare::global_state_t<typed>&>);
}

TEMPLATE_LIST_TEST_CASE("the BPF program built at run time traps exactly the named calls", "[subscription]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  recorder tool;
  tool.calls = snare::runtime_subscription::parse("getppid," + std::to_string(nr_geteuid) + ",%ipc");
  REQUIRE(snare::run<TestType>(tool, {rt_guest()}) == 0);
  // The handlers got the named calls the guest made, as many times, and nothing else.
  CHECK(tool.seen == std::map<long, int>{{nr_getppid, 3}, {nr_geteuid, 2}, {nr_shmget, 1}});
  // The kernel's copy of the filter traps exactly them (and clone3, which the ptrace engine
  // traps to keep CLONE_UNTRACED children traced).
  INFO("PTRACE_SECCOMP_GET_FILTER: " << std::strerror(tool.filter_errno));
  REQUIRE(tool.filter);
  snare::syscall_set expected = tool.calls.calls();
  if constexpr (std::is_same_v<TestType, snare::backend::ptrace>) expected.add(sys::clone3::number);
  int trapped = 0;
  for (std::uint32_t nr = 0; nr < 2 * snare::max_syscall_number; ++nr) {
    INFO("syscall " << nr);
    const std::uint32_t action =
        snare::bpf::evaluate(*tool.filter, nr, AUDIT_ARCH_X86_64) & SECCOMP_RET_ACTION_FULL;
    CHECK(action == (expected.contains(nr) ? (std::is_same_v<TestType, snare::backend::ptrace>
                                                  ? std::uint32_t{SECCOMP_RET_TRACE}
                                                  : std::uint32_t{SECCOMP_RET_USER_NOTIF})
                                           : std::uint32_t{SECCOMP_RET_ALLOW}));
    trapped += action != SECCOMP_RET_ALLOW;
  }
  CHECK(static_cast<std::size_t>(trapped) == expected.size());
}

TEMPLATE_LIST_TEST_CASE("a generic handler receives exactly the calls of the run-time subscription",
                        "[subscription]", all_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  recorder tool;
  tool.read_filter_at_getppid = false;
  tool.calls = snare::runtime_subscription::parse("getppid,geteuid,%ipc");
  REQUIRE(snare::run<TestType>(tool, rt_guest_alone<TestType>()) == 0);
  CHECK(tool.seen == std::map<long, int>{{nr_getppid, 3}, {nr_geteuid, 2}, {nr_shmget, 1}});
}

TEMPLATE_LIST_TEST_CASE("a run-time subscription narrows a tool's typed handlers", "[subscription]",
                        all_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  typed tool;
  tool.calls = snare::runtime_subscription::parse("getuid");
  REQUIRE(snare::run<TestType>(tool, rt_guest_alone<TestType>()) == 0);
  CHECK(tool.getuid == 2);
  CHECK(tool.getppid == 0);
  CHECK(tool.geteuid == 0);
}

TEMPLATE_LIST_TEST_CASE("a run-time subscription outside the handlers is refused before the guest starts",
                        "[subscription]", all_backends) {
  typed tool;
  tool.calls = snare::runtime_subscription::parse("getppid,openat");
  CHECK_THROWS_WITH(snare::run<TestType>(tool, {rt_guest()}),
                    "snare: the run-time subscription names calls the tool has no handler for: openat "
                    "(subscribe within the tool's handlers, or give it a generic one)");
  CHECK(tool.getppid == 0);
}

TEST_CASE("a run-time subscription chooses the exits a generic exit handler sees", "[subscription]") {
  snare::test::require_host(snare::backend::ptrace::host_requirements.back());
  exits tool;
  tool.calls = snare::runtime_subscription::parse("geteuid,getuid");
  REQUIRE(snare::run<snare::backend::ptrace>(tool, {rt_guest()}) == 0);
  REQUIRE(tool.returns.size() == 2);
  CHECK(tool.returns[nr_geteuid] == std::vector<long>(2, static_cast<long>(::geteuid())));
  CHECK(tool.returns[nr_getuid] == std::vector<long>(2, static_cast<long>(::getuid())));
}

TEST_CASE("a tool without a run-time subscription runs on its compile-time filter", "[subscription]") {
  snare::test::require_host(snare::backend::ptrace::host_requirements.back());
  fixed tool;
  REQUIRE(snare::run<snare::backend::ptrace>(tool, {rt_guest()}) == 0);
  CHECK(tool.getppid == 3);
}
