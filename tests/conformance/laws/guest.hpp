// Defines the conformance laws on what a handler learns of and does to its guest beyond
// calls: the facts (parent, main thread, root process, auxiliary vector), registers, scratch
// memory on the guest's stack for injected calls, daemons, the vDSO's clock functions, and
// the run's global state, reached after the run and told which thread calls it. Include
// through laws.hpp; laws/events.hpp has the handlers that wait and inject.
#pragma once

#include <elf.h>
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.hpp"

TEMPLATE_LIST_TEST_CASE("the global state outlives the run and its calls name the calling thread", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  global_counter<typename TestType::backend> tool;
  snare::tracer<typename TestType::backend, decltype(tool)> tracer(tool, with_tool_object<decltype(tool)>());
  // 3 threads call getppid 5 times each; the main thread calls it twice first.
  REQUIRE(tracer.run(std::vector<std::string>{TestType::guest("threads"), "3", "5", "0", "2"}) == 0);
  const auto& s = tracer.global_state();
  CHECK(s.calls == 17);
  CHECK(s.tids.size() == 4);  // the main thread and three others
  CHECK(s.pids.size() == 1);
  // The next run starts from a fresh global state.
  REQUIRE(tracer.run(std::vector<std::string>{TestType::guest("threads"), "1", "1"}) == 0);
  CHECK(tracer.global_state().calls == 1);
}

TEMPLATE_LIST_TEST_CASE("a handler knows its thread is the main thread of the root process", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  {
    fact_recorder<backend> tool;
    auto r = run_law(tool, {TestType::guest("threads"), "2", "1", "0", "1"});
    REQUIRE(r.code == 0);
    const auto& calls = r.state.calls;
    REQUIRE(calls.size() == 3);
    int mains = 0;
    for (const auto& c : calls) {
      mains += c.main_thread;
      CHECK(c.main_thread == (c.tid == c.pid));
      CHECK(c.root_process);
      CHECK(c.root_thread == c.main_thread);
      CHECK_FALSE(c.ppid.has_value());  // the run's first process has no parent in the run
    }
    CHECK(mains == 1);
  }
}

TEMPLATE_LIST_TEST_CASE("a handler knows its process's parent in a tree of processes", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  {
    if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
      skip_lacking<backend>(snare::capability::can_follow_process_tree);
    } else {
      fact_recorder<backend> tool;
      auto r = run_law(tool, {TestType::guest("forkbomb"), "1"});
      REQUIRE(r.code == 0);
      const auto& calls = r.state.calls;
      REQUIRE(calls.size() == 3);
      const auto root = std::find_if(calls.begin(), calls.end(), [](auto& c) { return c.root_process; });
      REQUIRE(root != calls.end());
      CHECK_FALSE(root->ppid.has_value());
      for (const auto& c : calls) {
        if (c.pid == root->pid) continue;
        CHECK_FALSE(c.root_process);
        CHECK(c.main_thread);
        CHECK(c.ppid == std::optional<pid_t>(root->pid));  // each child's parent is the root
      }
    }
  }
}

TEMPLATE_LIST_TEST_CASE("a handler reads its process's auxiliary vector", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  skip_if(TestType::auxv_unreadable);
  fact_recorder<typename TestType::backend> tool;
  auto r = run_law(tool, {TestType::guest("threads"), "0", "0", "0", "1"});
  REQUIRE(r.code == 0);
  CHECK(r.state.auxv_error == 0);
  CHECK(r.state.page_size ==
        std::optional<std::uint64_t>(static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE))));
  REQUIRE(r.state.random.has_value());  // the 16 random bytes the kernel put on the stack
  CHECK(*r.state.random != 0);
  REQUIRE(r.state.entry.has_value());
  CHECK(*r.state.entry != 0);
}

namespace snare::test::conformance {
/// Says whether Guest's registers can be written through set_registers.
template <class Guest>
concept writes_registers = requires(Guest& g) {
  g.set_registers(g.registers());
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a handler writes the guest's registers", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using guest = typename snare::tracer<backend, register_writer<backend>>::guest_type;
  if constexpr (!writes_registers<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no guest registers to write")
            .c_str());
  } else {
    register_writer<backend> tool;
    auto r = run_law(tool, {TestType::guest("regs")});
    REQUIRE(r.code == 0);
    CHECK(r.state.wrote == 1);
  }
}

namespace snare::test::conformance {
template <class Guest>
concept has_daemonize = requires(Guest& g) {
  g.daemonize();
};
template <class Guest>
concept has_guest_stack = requires(Guest& g) {
  g.stack();
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("injected calls take pointers into scratch memory on the guest's stack", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using guest = typename snare::tracer<backend, stack_user<backend>>::guest_type;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else if constexpr (!has_guest_stack<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no guest stack").c_str());
  } else {
    stack_user<backend> tool;
    auto r = run_law(tool, {TestType::guest("threads"), "0", "0", "0", "1"});
    REQUIRE(r.code == 0);
    CHECK(r.state.commit_error == 0);
    CHECK(r.state.uname_ret == 0);
    CHECK(std::string(r.state.sysname) == "Linux");
    CHECK(r.state.access_root == 0);
    CHECK(r.state.access_missing == -ENOENT);
    CHECK(r.state.nanosleep_ret == 0);
  }
}

TEMPLATE_LIST_TEST_CASE("the run ends when only daemons remain, and they are killed", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using guest = typename snare::tracer<backend, daemonizer<backend>>::guest_type;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else if constexpr (!has_daemonize<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no daemonize").c_str());
  } else {
    daemonizer<backend> tool;
    // The first process exits 0 at once; its child, a daemon, would wait 20 s for SIGALRM.
    auto r = run_law(tool, {TestType::guest("daemon")});
    REQUIRE(r.code == 0);
    CHECK(r.state.daemons == 1);
    const auto& ends = r.state.ends;
    REQUIRE(ends.size() == 2);
    CHECK(std::count(ends.begin(), ends.end(), snare::exit_status::exited(0)) == 1);
    // The daemon was killed; a backend that cannot know how a process other than the first
    // ended says "unknown" (subject.hpp).
    const auto daemon_end =
        TestType::unknown_descendant_exit ? snare::exit_status{} : snare::exit_status::killed(SIGKILL);
    CHECK(std::count(ends.begin(), ends.end(), daemon_end) == 1);
  }
}

TEMPLATE_LIST_TEST_CASE("vdso_as_syscalls: every clock read of the guest reaches the tool", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  snare::run_options options;
  options.vdso_as_syscalls = true;
  clock_counter<backend> tool;
  auto r = run_law(tool, {TestType::guest("clock")}, options);
  if (TestType::refuses_vdso_as_syscalls) {
    CHECK(r.code == snare::exit_host_unsupported);  // said on stderr, the guest never started
    CHECK(r.state.clock_gettime + r.state.gettimeofday + r.state.time == 0);
  } else {
    REQUIRE(r.code == 0);
    CHECK(r.state.clock_gettime == 5);
    CHECK(r.state.gettimeofday == 2);
    CHECK(r.state.time == 1);
  }
}

TEMPLATE_LIST_TEST_CASE("an exec handler writes the bytes AT_RANDOM points to before the image runs",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    skip_if(TestType::exec_told_late);
    random_fixer<backend> tool;
    auto r = run_law(tool, {TestType::guest("at_random")});
    REQUIRE(r.code == 0);
    CHECK(r.state.written == 1);
  }
}

TEMPLATE_LIST_TEST_CASE("signals reach the processes the guest's world has, and no other", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  kill_watcher<typename TestType::backend> tool;
  law_run<decltype(tool)> r;
  const std::string out = capture_stdout([&] { r = run_law(tool, {TestType::guest("kill_others")}); });
  REQUIRE(r.code == 0);
  CHECK(r.state.kills == 4);
  if (TestType::one_process_world) {
    // The VM is the guest's whole world: nobody else to signal, and the host's processes
    // are never reached (kill(-1) would otherwise reach every one with the tracer's rights).
    CHECK(out == "kill(-1) ESRCH\nkill(1) ESRCH\nkill(-pgrp) ESRCH\npidfd_open(1) ESRCH\nkill(self) 0\n");
  } else {
    // A traced process tree reaches what it reaches natively (signal 0 sends nothing).
    CHECK(out.find("kill(self) 0\n") != std::string::npos);
    CHECK(out.find("kill(-1) ") != std::string::npos);
  }
}
