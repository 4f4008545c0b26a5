// Defines the conformance laws on a guest's life: exit codes, threads, processes, exec,
// state, job-control and fatal signals. Include through laws.hpp.
#pragma once

#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.hpp"

TEMPLATE_LIST_TEST_CASE("a traced command exits with its own exit code", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  every_call_counter<typename TestType::backend> tool;
  // Every call of these programs is in the x86-64 table.
  auto all_calls_typed = [&] {
    REQUIRE(tool.calls > 0);
    REQUIRE(tool.typed == tool.calls);
  };
  SECTION("success") {
    REQUIRE(run_cmd(tool, TestType::program({"true"})) == 0);
    all_calls_typed();
  }
  SECTION("exit status") {
    REQUIRE(run_cmd(tool, TestType::program({"sh", "-c", "exit 3"})) == 3);
    CHECK(tool.last_status == (3 << 8));
    all_calls_typed();
  }
  SECTION("killed by a signal: 128+N") {
    REQUIRE(run_cmd(tool, TestType::program({"sh", "-c", "kill -9 $$"})) == 137);
    CHECK(tool.last_status == SIGKILL);
    all_calls_typed();
  }
  SECTION("a command that cannot run: 127") {
    snare::run_options quiet;
    quiet.report_exec_failure = false;
    REQUIRE(snare::run<typename TestType::backend>(tool, {"/nonexistent/command"}, quiet) == 127);
    // Backends differ in whether the command's process exists before its exec fails; its
    // start and its calls are reported together or not at all.
    CHECK((tool.process_starts == 0) == (tool.calls == 0));
    CHECK(tool.typed == tool.calls);
  }
  SECTION("real programs") {
    REQUIRE(run_cmd(tool, TestType::program({"ls", "/"})) == 0);
    REQUIRE(run_cmd(tool, TestType::program({"cat", "/etc/hostname"})) == 0);
    all_calls_typed();
  }
}

TEMPLATE_LIST_TEST_CASE("a shell running commands and an interpreter run under the tracer", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    every_call_counter<backend> tool;
    REQUIRE(run_cmd(tool, TestType::program({"sh", "-c", "for i in 1 2 3; do /bin/true; done"})) == 0);
    if (::access("/usr/bin/python3", X_OK) == 0)
      REQUIRE(run_cmd(tool, TestType::program({"python3", "-c", "import os; os.getpid()"})) == 0);
    REQUIRE(tool.calls > 0);
    REQUIRE(tool.typed == tool.calls);
  }
}

TEMPLATE_LIST_TEST_CASE("threads: every syscall and lifecycle event is seen exactly once", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  lifecycle_counter<typename TestType::backend> tool;
  REQUIRE(run_cmd(tool, {TestType::guest("threads"), "16", "200"}) == 0);
  CHECK(tool.getppid == 16 * 200);
  CHECK(tool.thread_starts == 17);
  CHECK(tool.thread_exits == 17);
  CHECK(tool.started_tids.size() == 17);  // each thread is told apart by its own tid
  CHECK(tool.started_tids.count(0) == 0);
  CHECK(tool.process_starts == 1);
  CHECK(tool.process_exits == 1);
  CHECK(tool.last_status == 0);
  CHECK(tool.execs == 1);
}

namespace snare::test::conformance {
/// Keeps a getppid count in each state: per thread, per run (global, through its message
/// calls), and each process's exit_group codes in its process state.
template <class Backend>
struct state_keeper {
  using backend = Backend;
  struct per_thread {
    long getppid = 0;
  };
  using thread_state = per_thread;
  using process_state = std::vector<long>;
  using global_state = long;
  long most_in_a_thread = 0, global_at_exit = -1;
  std::vector<long> exit_groups_at_exit;
  int exit_status = -1;
  void on(snare::sys::getppid, auto& g) {
    most_in_a_thread = std::max(most_in_a_thread, ++g.thread_state().getppid);
    g.global().call([](long& n) { ++n; });
  }
  void on(snare::sys::exit_group call, auto& g) {
    g.process_state().push_back(static_cast<long>(call.raw(0)));
  }
  void on_process_exit(int status, auto& g) {
    exit_status = status;
    exit_groups_at_exit = g.process_state();
    global_at_exit = g.global().call([](long& n) { return n; });
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("thread, process and global state reach the handlers", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  state_keeper<typename TestType::backend> tool;
  REQUIRE(run_cmd(tool, {TestType::guest("threads"), "4", "10", "9"}) == 9);
  CHECK(tool.most_in_a_thread == 10);  // each thread counts in its own state
  CHECK(tool.global_at_exit == 40);    // the run's state sees every thread's calls
  CHECK(tool.exit_groups_at_exit == std::vector<long>{9});
  CHECK(tool.exit_status == (9 << 8));
}

namespace snare::test::conformance {
/// Builds each new thread's state from its creator's, and each new process's from its
/// parent's (snare::from_parent); records what every thread and process started from.
template <class Backend>
struct state_inheritor {
  using backend = Backend;
  struct thread_state {
    long getppid = 0;
    long inherited = -1;  // the creator's getppid count when this thread started
    thread_state() = default;
    thread_state(snare::from_parent_t, const thread_state& creator) : inherited(creator.getppid) {}
  };
  struct process_state {
    long generation = 0;
    process_state() = default;
    process_state(snare::from_parent_t, const process_state& parent) : generation(parent.generation + 1) {}
  };
  std::vector<long> thread_inherited;  // per thread, at its exit
  std::vector<long> generations;       // per process, at its first trapped getppid
  void on(snare::sys::getppid, auto& g) {
    if (++g.thread_state().getppid == 1) generations.push_back(g.process_state().generation);
  }
  void on_thread_exit(auto& g) { thread_inherited.push_back(g.thread_state().inherited); }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a new thread's state is built from its creator's (snare::from_parent)", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  skip_if(TestType::thread_creator_unknown);
  state_inheritor<typename TestType::backend> tool;
  // The main thread calls getppid 7 times, then starts 4 threads that call it 3 times each.
  REQUIRE(run_cmd(tool, {TestType::guest("threads"), "4", "3", "0", "7"}) == 0);
  std::vector<long> got = tool.thread_inherited;
  std::sort(got.begin(), got.end());
  // The main thread has no creator among the guest's threads; each worker starts from 7.
  CHECK(got == std::vector<long>{-1, 7, 7, 7, 7});
}

TEMPLATE_LIST_TEST_CASE("a new process's state is built from its parent's (snare::from_parent)", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    state_inheritor<backend> tool;
    // A tree of depth 2: each process calls getppid, then forks two children.
    REQUIRE(run_cmd(tool, {TestType::guest("forkbomb"), "2"}) == 0);
    std::vector<long> got = tool.generations;
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<long>{0, 1, 1, 2, 2, 2, 2});
  }
}

TEMPLATE_LIST_TEST_CASE("a fork bomb of hundreds of processes loses no event", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    lifecycle_counter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("forkbomb"), "7"}) == 0);  // 2^8 - 1 processes
    CHECK(tool.getppid == 255);
    CHECK(tool.process_starts == 255);
    CHECK(tool.process_exits == 255);
    CHECK(tool.thread_starts == 255);
    CHECK(tool.thread_exits == 255);
  }
}

TEMPLATE_LIST_TEST_CASE("without follow_forks only the first process is reported", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    lifecycle_counter<backend> tool;
    snare::run_options o;
    o.follow_forks = false;
    REQUIRE(snare::run<backend>(tool, {TestType::guest("forkbomb"), "3"}, o) == 0);
    CHECK(tool.getppid == 1);
    CHECK(tool.process_starts == 1);
    CHECK(tool.process_exits == 1);
    CHECK(tool.thread_exits == 1);
  }
}

TEMPLATE_LIST_TEST_CASE("exec from a non-leader thread", "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    lifecycle_counter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("exec_thread")}) == 7);
    CHECK(tool.execs == 2);
    CHECK(tool.process_starts == 1);
    CHECK(tool.process_exits == 1);
    CHECK(tool.thread_starts == 2);
    CHECK(tool.thread_exits == 2);
  }
}

TEMPLATE_LIST_TEST_CASE("vfork and exec in the child", "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    lifecycle_counter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("vfork")}) == 5);
    CHECK(tool.execs == 2);
    CHECK(tool.process_starts == 2);
    CHECK(tool.process_exits == 2);
  }
}

namespace snare::test::conformance {
/// Counts SIGUSR1 and SIGUSR2; suppresses SIGUSR1 or turns SIGUSR2 into SIGUSR1 on request.
template <class Backend>
struct signal_tool {
  using backend = Backend;
  enum class mode { observe, suppress_usr1, usr2_to_usr1 } m = mode::observe;
  int usr1 = 0, usr2 = 0;
  snare::signal_action on_signal(int sig, auto&) {
    if (sig == SIGUSR1) ++usr1;
    if (sig == SIGUSR2) ++usr2;
    if (m == mode::suppress_usr1 && sig == SIGUSR1) return snare::suppress_signal();
    if (m == mode::usr2_to_usr1 && sig == SIGUSR2) return snare::replace_signal(SIGUSR1);
    return snare::deliver();
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("signals are observed, suppressed and replaced", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_observe_signals)) {
    skip_lacking<backend>(snare::capability::can_observe_signals);
  } else {
    signal_tool<backend> tool;
    SECTION("observed") {
      REQUIRE(run_cmd(tool, {TestType::guest("signals")}) == 32);
      CHECK(tool.usr1 == 3);
      CHECK(tool.usr2 == 2);
    }
    SECTION("suppressed") {
      tool.m = signal_tool<backend>::mode::suppress_usr1;
      REQUIRE(run_cmd(tool, {TestType::guest("signals")}) == 2);
      CHECK(tool.usr1 == 3);
    }
    SECTION("replaced") {
      tool.m = signal_tool<backend>::mode::usr2_to_usr1;
      REQUIRE(run_cmd(tool, {TestType::guest("signals")}) == 50);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("SIGSTOP, SIGTSTP and SIGCONT behave as without the tracer", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    lifecycle_counter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("stopcont")}) == 0);
    CHECK(tool.process_starts == 3);
    CHECK(tool.process_exits == 3);
  }
}

TEMPLATE_LIST_TEST_CASE("SIGKILL during a blocking syscall: of a child process", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
    skip_lacking<backend>(snare::capability::can_follow_process_tree);
  } else {
    skip_if(TestType::misses_quiet_tasks);  // the killed child makes no getppid call
    lifecycle_counter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("kill_blocking")}) == 0);
    CHECK(tool.process_exits == 2);
    CHECK(tool.thread_exits == 2);
  }
}

TEMPLATE_LIST_TEST_CASE("SIGKILL during a blocking syscall: of the whole process while a thread blocks",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  skip_if(TestType::misses_quiet_tasks);  // the blocked thread makes no getppid call
  lifecycle_counter<typename TestType::backend> tool;
  REQUIRE(run_cmd(tool, {TestType::guest("kill_blocking"), "self"}) == 128 + SIGKILL);
  CHECK(tool.process_exits == 1);
  CHECK(tool.last_status == SIGKILL);
  CHECK(tool.thread_exits == 2);
  CHECK(tool.thread_starts == 2);
}
