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

namespace snare::test::conformance {
/// Counts getppid in the run's global state, with the threads that called it.
template <class Backend>
struct global_counter {
  using backend = Backend;
  struct global_state {
    long calls = 0;
    std::set<pid_t> tids;
    std::set<pid_t> pids;
  };
  void on(snare::sys::getppid, auto& g) {
    g.global().call([](global_state& s, const snare::global_caller& from) {
      ++s.calls;
      s.tids.insert(from.tid);
      s.pids.insert(from.pid);
    });
  }
};
}  // namespace snare::test::conformance

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

namespace snare::test::conformance {
/// Records, at each getppid, what the handle says of the calling thread and its process.
template <class Backend>
struct fact_recorder {
  using backend = Backend;
  struct seen {
    pid_t pid, tid;
    std::optional<pid_t> ppid;
    bool main_thread, root_process, root_thread;
  };
  std::vector<seen> calls;
  std::optional<std::uint64_t> page_size, random, entry;
  int auxv_error = 0;
  void on(snare::sys::getppid, auto& g) {
    calls.push_back(
        {g.pid(), g.tid(), g.ppid(), g.is_main_thread(), g.is_root_process(), g.is_root_thread()});
    if (auto aux = g.auxv()) {
      page_size = aux->get(AT_PAGESZ);
      random = aux->get(AT_RANDOM);
      entry = aux->get(AT_ENTRY);
    } else {
      auxv_error = static_cast<int>(aux.error());
    }
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a handler knows its thread is the main thread of the root process", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  {
    fact_recorder<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("threads"), "2", "1", "0", "1"}) == 0);
    REQUIRE(tool.calls.size() == 3);
    int mains = 0;
    for (const auto& c : tool.calls) {
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
      REQUIRE(run_cmd(tool, {TestType::guest("forkbomb"), "1"}) == 0);
      REQUIRE(tool.calls.size() == 3);
      const auto root =
          std::find_if(tool.calls.begin(), tool.calls.end(), [](auto& c) { return c.root_process; });
      REQUIRE(root != tool.calls.end());
      CHECK_FALSE(root->ppid.has_value());
      for (const auto& c : tool.calls) {
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
  REQUIRE(run_cmd(tool, {TestType::guest("threads"), "0", "0", "0", "1"}) == 0);
  CHECK(tool.auxv_error == 0);
  CHECK(tool.page_size == std::optional<std::uint64_t>(static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE))));
  REQUIRE(tool.random.has_value());  // the 16 random bytes the kernel put on the stack
  CHECK(*tool.random != 0);
  REQUIRE(tool.entry.has_value());
  CHECK(*tool.entry != 0);
}

namespace snare::test::conformance {
/// At getppid, writes r12 = 4243 where the guest left 4242 (the regs guest checks it).
template <class Backend>
struct register_writer {
  using backend = Backend;
  long wrote = 0;
  void on(snare::sys::getppid, auto& g) {
    auto r = g.registers();
    if (r.r12 != 4242) return;
    r.r12 = 4243;
    auto ok = g.set_registers(r);
    wrote += ok ? 1 : 0;
  }
};
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
    REQUIRE(run_cmd(tool, {TestType::guest("regs")}) == 0);
    CHECK(tool.wrote == 1);
  }
}

namespace snare::test::conformance {
/// At getppid, injects calls that take pointers into scratch memory on the guest's stack:
/// uname into a reserved struct, access of pushed paths, nanosleep of a pushed timespec.
template <class Backend>
struct stack_user {
  using backend = Backend;
  std::string sysname;
  long uname_ret = -1, access_root = -1, access_missing = -1, nanosleep_ret = -1;
  int commit_error = -1;
  void on(snare::sys::getppid, auto& g) {
    auto stack = g.stack();
    auto u = stack.template reserve<struct utsname>();
    auto root = stack.push_cstr("/");
    auto missing = stack.push_cstr("/nonexistent/snare");
    auto ts = stack.push(timespec{0, 1000});
    auto committed = stack.commit();
    commit_error = committed ? 0 : static_cast<int>(committed.error());
    if (!committed) return;
    auto raw = [](std::uint64_t a, std::uint64_t b = 0) {
      return std::array<std::uint64_t, 6>{a, b, 0, 0, 0, 0};
    };
    uname_ret = g.inject(snare::sys::uname(raw(u.address))).value_or(-9999);
    access_root = g.inject(snare::sys::access(raw(root.address, F_OK))).value_or(-9999);
    access_missing = g.inject(snare::sys::access(raw(missing.address, F_OK))).value_or(-9999);
    nanosleep_ret = g.inject(snare::sys::nanosleep(raw(ts.address))).value_or(-9999);
    if (auto got = g.read(u)) sysname = got->sysname;
  }
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
    REQUIRE(run_cmd(tool, {TestType::guest("threads"), "0", "0", "0", "1"}) == 0);
    CHECK(tool.commit_error == 0);
    CHECK(tool.uname_ret == 0);
    CHECK(tool.sysname == "Linux");
    CHECK(tool.access_root == 0);
    CHECK(tool.access_missing == -ENOENT);
    CHECK(tool.nanosleep_ret == 0);
  }
}

namespace snare::test::conformance {
/// Makes a process a daemon when it calls setsid; records how each process ended.
template <class Backend>
struct daemonizer {
  using backend = Backend;
  std::vector<snare::exit_status> ends;
  int daemons = 0;
  void on(snare::sys::setsid, auto& g) {
    g.daemonize();
    ++daemons;
  }
  void on_process_exit(snare::exit_status end, auto&) { ends.push_back(end); }
};
template <class Guest>
concept has_daemonize = requires(Guest& g) {
  g.daemonize();
};
}  // namespace snare::test::conformance

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
    REQUIRE(run_cmd(tool, {TestType::guest("daemon")}) == 0);
    CHECK(tool.daemons == 1);
    REQUIRE(tool.ends.size() == 2);
    CHECK(std::count(tool.ends.begin(), tool.ends.end(), snare::exit_status::exited(0)) == 1);
    // The daemon was killed; a backend that cannot know how a process other than the first
    // ended says "unknown" (subject.hpp).
    const auto daemon_end =
        TestType::unknown_descendant_exit ? snare::exit_status{} : snare::exit_status::killed(SIGKILL);
    CHECK(std::count(tool.ends.begin(), tool.ends.end(), daemon_end) == 1);
  }
}

namespace snare::test::conformance {
/// Counts the clock reads that reach the tool as syscalls.
template <class Backend>
struct clock_counter {
  using backend = Backend;
  int clock_gettime = 0, gettimeofday = 0, time = 0;
  void on(snare::sys::clock_gettime, auto&) { ++clock_gettime; }
  void on(snare::sys::gettimeofday, auto&) { ++gettimeofday; }
  void on(snare::sys::time, auto&) { ++time; }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("vdso_as_syscalls: every clock read of the guest reaches the tool", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  snare::run_options options;
  options.vdso_as_syscalls = true;
  clock_counter<backend> tool;
  const int code =
      snare::run<backend>(tool, {TestType::guest("clock")}, with_tool_object<decltype(tool)>(options));
  if (TestType::refuses_vdso_as_syscalls) {
    CHECK(code == snare::exit_host_unsupported);  // said on stderr, the guest never started
    CHECK(tool.clock_gettime + tool.gettimeofday + tool.time == 0);
  } else {
    REQUIRE(code == 0);
    CHECK(tool.clock_gettime == 5);
    CHECK(tool.gettimeofday == 2);
    CHECK(tool.time == 1);
  }
}

namespace snare::test::conformance {
/// Reverie's at_random test: at exec, the 16 bytes AT_RANDOM points to become 0..15, before
/// the new image reads them (its stack protector and pointer guard come from them).
template <class Backend>
struct random_fixer {
  using backend = Backend;
  int written = 0;
  void on_exec(auto& g) {
    auto aux = g.auxv();
    if (!aux || !aux->get(AT_RANDOM)) return;
    std::array<std::byte, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i);
    auto n = g.write_bytes(*aux->get(AT_RANDOM), bytes);
    written += n && *n == bytes.size();
  }
};
}  // namespace snare::test::conformance

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
    REQUIRE(run_cmd(tool, {TestType::guest("at_random")}) == 0);
    CHECK(tool.written == 1);
  }
}

namespace snare::test::conformance {
/// Observes kill, so that the guest's signal probes are traced calls.
template <class Backend>
struct kill_watcher {
  using backend = Backend;
  int kills = 0;
  void on(snare::sys::kill, auto&) { ++kills; }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("signals reach the processes the guest's world has, and no other", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  kill_watcher<typename TestType::backend> tool;
  int code = -1;
  const std::string out = capture_stdout([&] { code = run_cmd(tool, {TestType::guest("kill_others")}); });
  REQUIRE(code == 0);
  CHECK(tool.kills == 4);
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
