// Defines the conformance laws on handlers of events besides calls that wait and inject:
// thread and process start, exec and signal handlers injecting calls, a signal delayed,
// a thread's CPU-time timer, and handlers waiting (wait_until) while the other threads are
// served. Include through laws.hpp.
#pragma once

#include <signal.h>
#include <sys/utsname.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.hpp"

namespace snare::test::conformance {
/// Injects gettid from SIGUSR1's handler, counts right results; drops SIGUSR1 on request.
template <class Backend>
struct signal_injector {
  using backend = Backend;
  bool drop_usr1 = false;
  int signals = 0, signal_ok = 0;
  snare::signal_action on_signal(int sig, auto& g) {
    if (sig != SIGUSR1) return snare::deliver();
    ++signals;
    auto r = g.inject(snare::sys::gettid{});
    signal_ok += r && *r == g.tid();
    return drop_usr1 ? snare::suppress_signal() : snare::deliver();
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("thread start, process start and exec handlers inject calls", "[engine][fiber]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    event_injector<backend> tool;
    auto r = run_law(tool, {TestType::guest("threads"), "2", "1"});
    REQUIRE(r.code == 0);
    CHECK(r.state.thread_starts == 3);
    CHECK(r.state.thread_ok == 3);
    CHECK(r.state.process_starts == 1);
    CHECK(r.state.process_ok == 1);
    CHECK(r.state.exec_ok == r.state.execs);
    if constexpr (snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
      // A shell forks and execs the guest: two processes, two execs.
      std::string cmd = TestType::guest("threads") + " 1 1";
      auto tree = run_law(tool, TestType::program({"sh", "-c", cmd + "; exit $?"}));
      REQUIRE(tree.code == 0);
      CHECK(tree.state.process_starts == 2);
      CHECK(tree.state.process_ok == 2);
      CHECK(tree.state.execs >= 2);
      CHECK(tree.state.exec_ok == tree.state.execs);
      CHECK(tree.state.thread_ok == tree.state.thread_starts);
    }
  }
}

TEMPLATE_LIST_TEST_CASE(
    "a signal handler injects a call, then the signal keeps its siginfo and the call it interrupted "
    "restarts or fails as natively",
    "[engine][fiber]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else if constexpr (!snare::has_capability<backend>(snare::capability::can_observe_signals)) {
    skip_lacking<backend>(snare::capability::can_observe_signals);
  } else {
    signal_injector<backend> tool;
    SECTION("SA_RESTART: the read resumes after the guest's handler") {
      REQUIRE(run_cmd(tool, {TestType::guest("siginject"), "restart"}) == 0);
    }
    SECTION("no SA_RESTART: the read fails with EINTR") {
      REQUIRE(run_cmd(tool, {TestType::guest("siginject"), "eintr"}) == 0);
    }
    SECTION("dropped: the read resumes as if no signal came") {
      tool.drop_usr1 = true;
      REQUIRE(run_cmd(tool, {TestType::guest("siginject"), "eintr"}) == 10);
    }
    CHECK(tool.signals == 1);
    CHECK(tool.signal_ok == 1);
  }
}

namespace snare::test::conformance {
/// Reverie's delay_signal test in snare's terms: SIGVTALRM is delayed by a nanosleep the
/// handler injects (the guest thread waits, the tracer does not), SIGALRM is dropped, and
/// SIGUSR1 is held back and sent again (an injected tgkill) at the thread's next call.
template <class Backend>
struct signal_delayer {
  using backend = Backend;
  struct thread_state {
    int held = 0;         // a signal held back until the next call
    bool resent = false;  // the next SIGUSR1 is the one sent again
  };
  long slept = -1;
  int held = 0, resent = 0;
  snare::signal_action on_signal(int sig, auto& g) {
    auto& t = g.thread_state();
    if (sig == SIGVTALRM) {
      auto stack = g.stack();
      auto ts = stack.push(timespec{0, 50'000'000});
      if (stack.commit())
        slept = g.inject(snare::sys::nanosleep(std::array<std::uint64_t, 6>{ts.address})).value_or(-1);
      return snare::deliver();
    }
    if (sig == SIGALRM) return snare::suppress_signal();
    if (sig == SIGUSR1 && !t.resent) {
      t.held = sig;
      ++held;
      return snare::suppress_signal();
    }
    t.resent = false;
    return snare::deliver();
  }
  void on(snare::sys::getppid, auto& g) {
    auto& t = g.thread_state();
    if (t.held == 0) return;
    t.resent = true;
    auto r = g.inject(snare::sys::tgkill(std::array<std::uint64_t, 6>{static_cast<std::uint64_t>(g.pid()),
                                                                      static_cast<std::uint64_t>(g.tid()),
                                                                      static_cast<std::uint64_t>(t.held)}));
    resent += r && *r == 0;
    t.held = 0;
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a signal handler delays a signal, drops one and holds one back until the next call",
                        "[engine][fiber]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else if constexpr (!snare::has_capability<backend>(snare::capability::can_observe_signals)) {
    skip_lacking<backend>(snare::capability::can_observe_signals);
  } else {
    signal_delayer<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("delay_signal")}) == 0);
    CHECK(tool.slept == 0);
    CHECK(tool.held == 1);
    CHECK(tool.resent == 1);
  }
}

namespace snare::test::conformance {
/// Arms a 20 ms CPU-time timer at getppid and again from each on_timer, four expiries in all.
template <class Backend>
struct timer_user {
  using backend = Backend;
  int armed = 0, expired = 0, wrong_thread = 0, failed = 0;
  pid_t armed_tid = 0;
  void arm(auto& g) {
    auto r = g.set_timer(std::chrono::milliseconds(20));
    if (r) {
      ++armed;
      armed_tid = g.tid();
    } else {
      ++failed;
    }
  }
  void on(snare::sys::getppid, auto& g) { arm(g); }
  void on_timer(auto& g) {
    ++expired;
    if (g.tid() != armed_tid) ++wrong_thread;
    if (expired < 4) arm(g);
  }
};
template <class Guest>
concept has_timer = requires(Guest& g) {
  g.set_timer(std::chrono::nanoseconds(1));
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a thread's CPU-time timer runs on_timer in that thread and its signal is hidden",
                        "[engine][fiber]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using guest = typename snare::tracer<backend, timer_user<backend>>::guest_type;
  if constexpr (!has_timer<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no set_timer").c_str());
  } else {
    timer_user<backend> tool;
    // 400 ms of CPU time: room for four expiries of 20 ms, and more, which must not come.
    REQUIRE(run_cmd(tool, {TestType::guest("cpu_burn"), "400"}) == 0);
    CHECK(tool.failed == 0);
    CHECK(tool.armed == 4);
    CHECK(tool.expired == 4);
    CHECK(tool.wrong_thread == 0);
  }
}

namespace snare::test::conformance {
/// A deterministic scheduler in a few lines: the worker threads' getppid calls alternate
/// strictly, each handler waiting (wait_until) for its thread's turn in the global state.
template <class Backend>
struct turn_taker {
  using backend = Backend;
  struct global_state {
    std::vector<pid_t> threads;  // in order of their first call
    std::size_t turn = 0;        // the index of the thread whose call goes next
    std::vector<std::size_t> order;
  };
  int failed = 0;
  std::size_t most_waiting = 0, waiting = 0;
  void on(snare::sys::getppid, auto& g) {
    const pid_t me = g.tid();
    std::size_t mine = g.global().call([&](global_state& s) {
      auto it = std::find(s.threads.begin(), s.threads.end(), me);
      if (it != s.threads.end()) return static_cast<std::size_t>(it - s.threads.begin());
      s.threads.push_back(me);
      return s.threads.size() - 1;
    });
    most_waiting = std::max(most_waiting, ++waiting);
    auto ok =
        g.wait_until([&] { return g.global().call([&](global_state& s) { return s.turn % 2 == mine; }); });
    --waiting;
    if (!ok) ++failed;
    g.global().call([&](global_state& s) {
      s.order.push_back(mine);
      ++s.turn;
    });
  }
};
template <class Guest>
concept waits = requires(Guest& g) {
  g.wait_until([] { return true; });
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a handler waits for its turn while the other threads' calls are served",
                        "[engine][fiber]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using tool_type = turn_taker<backend>;
  using guest = typename snare::tracer<backend, tool_type>::guest_type;
  if constexpr (!waits<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no wait_until").c_str());
  } else {
    tool_type tool;
    snare::tracer<backend, tool_type> tracer(tool, with_tool_object<tool_type>());
    // Two threads call getppid 4 times each, at once.
    REQUIRE(tracer.run(std::vector<std::string>{TestType::guest("threads"), "2", "4"}) == 0);
    CHECK(tool.failed == 0);
    const auto& s = tracer.global_state();
    CHECK(s.threads.size() == 2);
    CHECK(s.order == std::vector<std::size_t>{0, 1, 0, 1, 0, 1, 0, 1});
    CHECK(tool.most_waiting >= 1);
  }
}

namespace snare::test::conformance {
/// Each worker thread's start handler waits until both workers have started: start handlers
/// that could not wait side by side would never return.
template <class Backend>
struct start_waiter {
  using backend = Backend;
  struct global_state {
    int workers_started = 0;
  };
  int waited = 0, failed = 0;
  void on(snare::sys::getppid, auto&) {}  // each worker's first call (seccomp_notify sees it there)
  void on_thread_start(auto& g) {
    if (g.is_main_thread()) return;
    g.global().call([](global_state& s) { ++s.workers_started; });
    auto ok =
        g.wait_until([&] { return g.global().call([](global_state& s) { return s.workers_started >= 2; }); });
    ok ? ++waited : ++failed;
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("thread start handlers wait side by side", "[engine][fiber]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  using guest = typename snare::tracer<backend, start_waiter<backend>>::guest_type;
  if constexpr (!waits<guest>) {
    snare::test::skip(
        (std::string("the ") + std::string(backend::name) + " backend has no wait_until").c_str());
  } else {
    start_waiter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("threads"), "2", "1"}) == 0);
    CHECK(tool.waited == 2);
    CHECK(tool.failed == 0);
  }
}
