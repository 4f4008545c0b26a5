// Tests the hypercall backend as a snare backend: the same tool model as the other backends
// (typed handlers, argument changes, suppress/fail, inject/tail_inject, exit handlers,
// state, lifecycle events) on real static guests, probes, and several VMs under one tool.
#include <sys/syscall.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <snare/backend/hypercall.hpp>
#include <snare/tracer.hpp>

#include "support.hpp"

using snare::backend::hypercall;
using namespace snare::test;

namespace {

// Captures the guest's stdout (host fd 1) while `f` runs.
template <class F>
std::string capture_stdout(F&& f) {
  int out = ::memfd_create("engine-out", MFD_CLOEXEC);
  // O_APPEND: a memfd has no atomic file position, so two guests writing at once could
  // land at the same offset (seen natively too); appends never overwrite each other.
  ::fcntl(out, F_SETFL, O_APPEND);
  std::fflush(nullptr);
  int saved = ::dup(1);
  ::dup2(out, 1);
  f();
  ::dup2(saved, 1);
  ::close(saved);
  std::string s = slurp(out);
  ::close(out);
  return s;
}

struct counting_tool {
  struct thread_state_t {
    int writes = 0;
  };
  using thread_state = thread_state_t;
  using process_state = std::vector<long>;
  using global_state = int;
  int process_starts = 0, thread_starts = 0, thread_exits = 0;
  int exit_status = -1;
  int writes_seen = 0;
  long last_brk = 0;
  void on(snare::sys::write, auto& g) { writes_seen = ++g.thread_state().writes; }
  void on(snare::sys::exit_group call, auto& g) {
    g.process_state().push_back(static_cast<long>(call.raw(0)));
  }
  void on_exit(snare::sys::brk, long ret, auto& g) {
    last_brk = ret;
    g.global().call([](int& n) { ++n; });
  }
  void on_process_start(auto&) { ++process_starts; }
  void on_thread_start(auto&) { ++thread_starts; }
  void on_thread_exit(auto&) { ++thread_exits; }
  void on_process_exit(int status, auto& g) {
    exit_status = status;
    REQUIRE(g.process_state().size() == 1);
  }
};

// Cuts every write to 5 bytes (argument change), fails close(2) with EBADF, and answers
// getpid by injecting gettid (the guest then sees its tid).
struct rewriting_tool {
  int closes = 0;
  long injected = 0;
  void on(snare::sys::write& call, auto&) { call.set_raw(2, std::min<std::uint64_t>(call.raw(2), 5)); }
  snare::action on(snare::sys::close, auto&) {
    ++closes;
    return snare::fail(EBADF);
  }
  void on(snare::sys::exit_group, auto& g) {
    auto tid = g.inject(snare::sys::gettid{});
    REQUIRE(tid);
    injected = *tid;
  }
};

// Replaces the guest's exit_group(n) by exit_group(n + 1) with tail_inject.
struct exit_bumper {
  void on(snare::sys::exit_group call, auto& g) {
    snare::sys::exit_group other = call;
    other.set_raw(0, call.raw(0) + 1);
    REQUIRE(g.tail_inject(other));
  }
};

// Changes write's return value at exit: the guest believes it wrote 1 byte and retries.
struct short_writer {
  int writes = 0;
  long on_exit(snare::sys::write, long ret, auto&) {
    ++writes;
    return ret > 0 ? 1 : ret;
  }
};

struct throwing_tool {
  void on(snare::sys::write, auto&) { throw std::runtime_error("handler failed"); }
};

struct probe_tool {
  struct record {
    std::string vm;
    std::uint64_t id;
    std::array<std::uint64_t, 5> args;
    std::chrono::steady_clock::time_point when;
  };
  std::vector<record> probes;
  void on_probe(const hypercall::probe_event& e, auto& g) {
    probes.push_back({g.name(), e.id, e.args, e.host_time});
  }
};

}  // namespace

TEST_CASE("typed handlers, state and lifecycle events run on the hypercall backend", "[hypercall][engine]") {
  require_kvm();
  counting_tool tool;
  int code = 0;
  auto out = capture_stdout([&] {
    code = snare::run<hypercall>(tool, {guest("hypercall_guest_hello"), "9"});
  });
  CHECK(code == 9);
  CHECK(out.find("heap ok") != std::string::npos);
  CHECK(tool.process_starts == 1);
  CHECK(tool.thread_starts == 1);
  CHECK(tool.thread_exits == 1);
  CHECK(tool.exit_status == (9 << 8));
  CHECK(tool.writes_seen >= 1);
  CHECK(tool.last_brk > 0);
}

TEST_CASE("handlers change arguments, fail calls and inject calls", "[hypercall][engine]") {
  require_kvm();
  if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
  rewriting_tool tool;
  int code = -1;
  auto out = capture_stdout([&] {
    code = snare::run<hypercall>(tool, {"/bin/busybox", "echo", "abcdefghij"});
  });
  // echo writes "abcdefghij\n" in one call; cut to 5 bytes, busybox writes the rest again.
  CHECK(out == "abcdefghij\n");
  CHECK(code == 0);
  CHECK(tool.injected > 0);
}

TEST_CASE("tail_inject replaces the current call", "[hypercall][engine]") {
  require_kvm();
  exit_bumper tool;
  int code = -1;
  capture_stdout([&] { code = snare::run<hypercall>(tool, {guest("hypercall_guest_hello"), "41"}); });
  CHECK(code == 42);
}

TEST_CASE("exit handlers replace return values", "[hypercall][engine]") {
  require_kvm();
  short_writer tool;
  int code = -1;
  auto out = capture_stdout([&] {
    code = snare::run<hypercall>(tool, {guest("hypercall_guest_hello"), "0", "xy"});
  });
  // Every write really writes its whole buffer but reports 1 byte, so glibc's stdio writes
  // the rest again from the next byte: the output is every suffix of the text in turn.
  const std::string text = "hello argc=3\nargv[1]=0\nargv[2]=xy\nheap ok\nenv=(unset)\n";
  std::string expected;
  for (std::size_t i = 0; i < text.size(); ++i) expected += text.substr(i);
  CHECK(out == expected);
  CHECK(tool.writes == static_cast<int>(text.size()));
  CHECK(code == 0);
}

TEST_CASE("a handler's exception stops the guest and is rethrown", "[hypercall][engine]") {
  require_kvm();
  throwing_tool tool;
  CHECK_THROWS_WITH(capture_stdout([&] { snare::run<hypercall>(tool, {guest("hypercall_guest_hello")}); }),
                    "handler failed");
}

TEST_CASE("a command that cannot run gives 127", "[hypercall][engine]") {
  require_kvm();
  counting_tool tool;
  snare::run_options quiet;
  quiet.report_exec_failure = false;
  CHECK(snare::run<hypercall>(tool, {"/nonexistent"}, quiet) == 127);
  CHECK(snare::run<hypercall>(tool, {"/bin/sh", "-c", "true"}, quiet) == 127);  // dynamic
  CHECK(tool.process_starts == 0);
}

TEST_CASE("guest probes reach the tool with host timestamps", "[hypercall][probe]") {
  require_kvm();
  probe_tool tool;
  auto before = std::chrono::steady_clock::now();
  int code = -1;
  auto out = capture_stdout([&] {
    code = snare::run<hypercall>(tool, {guest("hypercall_guest_probe"), "100"});
  });
  CHECK(code == 0);
  CHECK(out == "probe returned 0\n");
  REQUIRE(tool.probes.size() == 3);
  for (std::uint64_t i = 0; i < 3; ++i) {
    CHECK(tool.probes[i].id == 100 + i);
    CHECK(tool.probes[i].args == std::array<std::uint64_t, 5>{i, i * 10, 7, 8, 9});
    CHECK(tool.probes[i].when >= before);
    if (i > 0) CHECK(tool.probes[i].when >= tool.probes[i - 1].when);
  }
}

TEST_CASE("a probe outside the VM returns -ENOSYS and does nothing else", "[hypercall][probe]") {
  auto native = run_native({guest("hypercall_guest_probe"), "1"});
  CHECK(native.code == 0);
  CHECK(native.out == "probe returned " + std::to_string(-ENOSYS) + "\n");
}

TEST_CASE("two VMs run at once under one tool, each with its name", "[hypercall][probe][multi]") {
  require_kvm();
  probe_tool tool;
  std::vector<hypercall::vm_spec> vms{{"left", {guest("hypercall_guest_probe"), "10"}},
                                      {"right", {guest("hypercall_guest_probe"), "20"}}};
  std::vector<int> codes;
  auto out = capture_stdout(
      [&] { codes = snare::backend::run_vms(tool, std::span<const hypercall::vm_spec>(vms)); });
  CHECK(codes == std::vector<int>{0, 0});
  CHECK(out == "probe returned 0\nprobe returned 0\n");
  std::map<std::string, std::vector<std::uint64_t>> ids;
  for (auto& p : tool.probes) ids[p.vm].push_back(p.id);
  CHECK(ids["left"] == std::vector<std::uint64_t>{10, 11, 12});
  CHECK(ids["right"] == std::vector<std::uint64_t>{20, 21, 22});
}

namespace {
struct cpuid_tool {
  void on_cpuid(snare::cpuid_event& e, auto&) {
    if (e.leaf == 0) {
      std::memcpy(&e.ebx, "Snar", 4);
      std::memcpy(&e.edx, "eVir", 4);
      std::memcpy(&e.ecx, "tCPU", 4);
    }
  }
};
}  // namespace

TEST_CASE("CPUID is answered by the tool where KVM can trap it", "[hypercall][cpuid]") {
  snare::test::require_host(snare::host_feature::kvm_cpuid_trap);
  cpuid_tool tool;
  auto out = capture_stdout([&] { snare::run<hypercall>(tool, {guest("hypercall_guest_cpuid")}); });
  CHECK(out.find("vendor=SnareVirtCPU") != std::string::npos);
}

TEST_CASE("where KVM cannot trap CPUID the tool is refused, or runs without it in degrade mode",
          "[hypercall][cpuid][host]") {
  require_kvm();
  // Withheld when this KVM could trap it, so the run is the same on every KVM flavour.
  ::setenv("SNARE_HOST_DENY", "kvm_cpuid_trap", 1);
  cpuid_tool tool;
  snare::run_options quiet;
  quiet.report_exec_failure = false;
  int code = -1;
  auto out =
      capture_stdout([&] { code = snare::run<hypercall>(tool, {guest("hypercall_guest_cpuid")}, quiet); });
  CHECK(code == snare::exit_host_unsupported);
  CHECK(out.empty());  // the guest never ran
  quiet.on_missing_host_feature = snare::host_policy::degrade;
  out = capture_stdout([&] { code = snare::run<hypercall>(tool, {guest("hypercall_guest_cpuid")}, quiet); });
  ::unsetenv("SNARE_HOST_DENY");
  CHECK(code == 0);
  CHECK(out.find("vendor=") != std::string::npos);
  CHECK(out.find("vendor=SnareVirtCPU") == std::string::npos);  // the real CPUID
}

namespace {
struct thread_tool {
  struct per_thread {
    int calls = 0;
  };
  using thread_state = per_thread;
  int starts = 0, exits = 0, max_calls_in_a_thread = 0;
  std::map<int, int> calls_by_tid;
  void on(snare::sys::futex, auto& g) {
    ++calls_by_tid[g.tid()];
    max_calls_in_a_thread = std::max(max_calls_in_a_thread, ++g.thread_state().calls);
  }
  void on(snare::sys::madvise, auto& g) { ++calls_by_tid[g.tid()]; }
  std::set<int> started_tids;
  void on_thread_start(auto& g) {
    ++starts;
    started_tids.insert(g.tid());
  }
  void on_thread_exit(auto&) { ++exits; }
};
}  // namespace

TEST_CASE("each guest thread is a thread to the tool", "[hypercall][engine][threads]") {
  require_kvm();
  thread_tool tool;
  int code = -1;
  auto out = capture_stdout([&] {
    code = snare::run<hypercall>(tool, {guest("hypercall_guest_threads"), "join", "4"});
  });
  CHECK(code == 3);
  CHECK(out == "threads=4 counter=4000 sum=100\n");
  CHECK(tool.starts == 5);               // main + 4
  CHECK(tool.started_tids.size() == 5);  // each on its own host thread
  CHECK(tool.started_tids.count(0) == 0);
  CHECK(tool.exits == 5);
  // Every worker frees its stack guard with madvise on exit (glibc): five tids in all.
  CHECK(tool.calls_by_tid.size() >= 2);
}
