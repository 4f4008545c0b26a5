// Tests what the hypercall backend offers tools beyond the conformance laws that every
// backend holds (tests/conformance): refusing dynamic executables, probes, several VMs under
// one tool, CPUID answered by the tool, how each guest thread ended.
#include <sys/syscall.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
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

namespace {
struct start_counter {
  int process_starts = 0;
  void on_process_start(auto&) { ++process_starts; }
};
}  // namespace

// The exit codes themselves are a conformance law (tests/conformance); here, what is the
// hypercall backend's own: a dynamic executable is refused, and nothing starts.
TEST_CASE("a command that cannot run gives 127 before any process starts", "[hypercall][engine]") {
  require_kvm();
  start_counter tool;
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
// Records every thread's start and end, and how many thread ends came before the process's.
struct thread_end_recorder {
  std::vector<pid_t> starts;
  std::vector<std::pair<pid_t, snare::exit_status>> ends;
  std::vector<snare::exit_status> processes;
  std::size_t ends_before_process = 0;
  void on_thread_start(auto& g) { starts.push_back(g.tid()); }
  void on_thread_exit(snare::exit_status s, auto& g) { ends.emplace_back(g.tid(), s); }
  void on_process_exit(snare::exit_status s, auto&) {
    processes.push_back(s);
    ends_before_process = ends.size();
  }
};
}  // namespace

// The conformance law counts the thread ends of a process killed while a thread blocks; this
// checks what each one says, for the other ways a process with threads ends.
TEST_CASE("every thread of a process that ends is told how it ended", "[hypercall][threads][exit]") {
  require_kvm();
  struct way {
    std::vector<std::string> args;
    std::size_t threads;
    snare::exit_status process;  // what every thread that did not call exit(2) itself says
  };
  auto [args, threads, process] =
      GENERATE(way{{"join", "4"}, 5, snare::exit_status::exited(3)},  // the workers exit(0) themselves
               way{{"leave"}, 3, snare::exit_status::exited(5)},      // exit_group with threads blocked
               way{{"crash"}, 4, snare::exit_status::killed(SIGSEGV)},
               way{{"abort"}, 3, snare::exit_status::killed(SIGABRT)});
  INFO("mode " << args[0]);
  thread_end_recorder tool;
  std::vector<std::string> argv{guest("hypercall_guest_threads")};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> cargv;
  for (auto& a : argv) cargv.push_back(a.c_str());
  int code = -1;
  capture_stdout([&] { code = snare::run<hypercall>(tool, cargv); });
  CHECK(code == process.shell_code());
  REQUIRE(tool.starts.size() == threads);
  REQUIRE(tool.ends.size() == threads);
  REQUIRE(tool.processes.size() == 1);
  CHECK(tool.processes[0].wait_status() == process.wait_status());  // an int: Catch prints it
  CHECK(tool.ends_before_process == threads);
  // The first thread's end comes last, with its process's status, as on ptrace.
  CHECK(tool.ends.back().first == tool.starts.front());
  for (auto& [tid, end] : tool.ends) {
    INFO("thread " << tid);
    CHECK(std::count(tool.starts.begin(), tool.starts.end(), tid) == 1);
    bool worker = args[0] == "join" && tid != tool.starts.front();
    CHECK(end.wait_status() == (worker ? snare::exit_status::exited(0) : process).wait_status());
  }
}
