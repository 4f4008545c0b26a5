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
  law_run<decltype(tool)> r;
  // Every call of these programs is in the x86-64 table.
  auto all_calls_typed = [&] {
    REQUIRE(r.state.calls > 0);
    REQUIRE(r.state.typed == r.state.calls);
  };
  SECTION("success") {
    r = run_law(tool, TestType::program({"true"}));
    REQUIRE(r.code == 0);
    all_calls_typed();
  }
  SECTION("exit status") {
    r = run_law(tool, TestType::program({"sh", "-c", "exit 3"}));
    REQUIRE(r.code == 3);
    CHECK(r.state.last_status == (3 << 8));
    all_calls_typed();
  }
  SECTION("killed by a signal: 128+N") {
    r = run_law(tool, TestType::program({"sh", "-c", "kill -9 $$"}));
    REQUIRE(r.code == 137);
    CHECK(r.state.last_status == SIGKILL);
    all_calls_typed();
  }
  SECTION("a command that cannot run: 127") {
    snare::run_options quiet;
    quiet.report_exec_failure = false;
    r = run_law(tool, {"/nonexistent/command"}, quiet);
    REQUIRE(r.code == 127);
    // Backends differ in whether the command's process exists before its exec fails; its
    // start and its calls are reported together or not at all.
    CHECK((r.state.process_starts == 0) == (r.state.calls == 0));
    CHECK(r.state.typed == r.state.calls);
  }
  SECTION("real programs") {
    r = run_law(tool, TestType::program({"ls", "/"}));
    REQUIRE(r.code == 0);
    all_calls_typed();
    r = run_law(tool, TestType::program({"cat", "/etc/hostname"}));
    REQUIRE(r.code == 0);
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
    auto r = run_law(tool, TestType::program({"sh", "-c", "for i in 1 2 3; do /bin/true; done"}));
    REQUIRE(r.code == 0);
    REQUIRE(r.state.calls > 0);
    REQUIRE(r.state.typed == r.state.calls);
    if (::access("/usr/bin/python3", X_OK) == 0) {
      r = run_law(tool, TestType::program({"python3", "-c", "import os; os.getpid()"}));
      REQUIRE(r.code == 0);
      REQUIRE(r.state.calls > 0);
      REQUIRE(r.state.typed == r.state.calls);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("threads: every syscall and lifecycle event is seen exactly once", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  lifecycle_counter<typename TestType::backend> tool;
  auto r = run_law(tool, {TestType::guest("threads"), "16", "200"});
  REQUIRE(r.code == 0);
  CHECK(r.state.getppid == 16 * 200);
  CHECK(r.state.thread_starts == 17);
  CHECK(r.state.thread_exits == 17);
  CHECK(r.state.started_tids.size() == 17);  // each thread is told apart by its own tid
  CHECK(r.state.started_tids.count(0) == 0);
  CHECK(r.state.process_starts == 1);
  CHECK(r.state.process_exits == 1);
  CHECK(r.state.last_status == 0);
  CHECK(r.state.execs == 1);
}

TEMPLATE_LIST_TEST_CASE("thread, process and global state reach the handlers", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  state_keeper<typename TestType::backend> tool;
  auto r = run_law(tool, {TestType::guest("threads"), "4", "10", "9"});
  REQUIRE(r.code == 9);
  CHECK(r.state.most_in_a_thread == 10);  // each thread counts in its own state
  CHECK(r.state.getppid_at_exit == 40);   // the run's state sees every thread's calls
  CHECK(r.state.exit_groups_at_exit == std::vector<long>{9});
  CHECK(r.state.exit_status == (9 << 8));
}

TEMPLATE_LIST_TEST_CASE("a new thread's state is built from its creator's (snare::from_parent)", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  skip_if(TestType::thread_creator_unknown);
  state_inheritor<typename TestType::backend> tool;
  // The main thread calls getppid 7 times, then starts 4 threads that call it 3 times each.
  auto r = run_law(tool, {TestType::guest("threads"), "4", "3", "0", "7"});
  REQUIRE(r.code == 0);
  std::vector<long> got = r.state.thread_inherited;
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
    auto r = run_law(tool, {TestType::guest("forkbomb"), "2"});
    REQUIRE(r.code == 0);
    std::vector<long> got = r.state.generations;
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
    auto r = run_law(tool, {TestType::guest("forkbomb"), "7"});  // 2^8 - 1 processes
    REQUIRE(r.code == 0);
    CHECK(r.state.getppid == 255);
    CHECK(r.state.process_starts == 255);
    CHECK(r.state.process_exits == 255);
    CHECK(r.state.thread_starts == 255);
    CHECK(r.state.thread_exits == 255);
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
    skip_if(TestType::ignores_follow_forks);
    lifecycle_counter<backend> tool;
    snare::run_options o;
    o.follow_forks = false;
    auto r = run_law(tool, {TestType::guest("forkbomb"), "3"}, o);
    REQUIRE(r.code == 0);
    CHECK(r.state.getppid == 1);
    CHECK(r.state.process_starts == 1);
    CHECK(r.state.process_exits == 1);
    CHECK(r.state.thread_exits == 1);
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
    auto r = run_law(tool, {TestType::guest("exec_thread")});
    REQUIRE(r.code == 7);
    CHECK(r.state.execs == 2);
    CHECK(r.state.process_starts == 1);
    CHECK(r.state.process_exits == 1);
    CHECK(r.state.thread_starts == 2);
    check_silent_thread_ends<TestType>(r.state.thread_exits, 2);  // the leader ends by the exec
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
    auto r = run_law(tool, {TestType::guest("vfork")});
    REQUIRE(r.code == 5);
    CHECK(r.state.execs == 2);
    CHECK(r.state.process_starts == 2);
    CHECK(r.state.process_exits == 2);
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
    auto r = run_law(tool, {TestType::guest("stopcont")});
    REQUIRE(r.code == 0);
    CHECK(r.state.process_starts == 3);
    CHECK(r.state.process_exits == 3);
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
    auto r = run_law(tool, {TestType::guest("kill_blocking")});
    REQUIRE(r.code == 0);
    CHECK(r.state.process_exits == 2);
    check_silent_thread_ends<TestType>(r.state.thread_exits, 2);  // the child's, killed
  }
}

TEMPLATE_LIST_TEST_CASE("SIGKILL during a blocking syscall: of the whole process while a thread blocks",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  skip_if(TestType::misses_quiet_tasks);  // the blocked thread makes no getppid call
  lifecycle_counter<typename TestType::backend> tool;
  auto r = run_law(tool, {TestType::guest("kill_blocking"), "self"});
  REQUIRE(r.code == 128 + SIGKILL);
  CHECK(r.state.process_exits == 1);
  CHECK(r.state.last_status == SIGKILL);
  check_silent_thread_ends<TestType>(r.state.thread_exits, 2);  // both killed
  CHECK(r.state.thread_starts == 2);
}
