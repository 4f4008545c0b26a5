// Defines the conformance laws on what a handler learns of and does to its guest beyond
// calls: the facts (parent, main thread, root process, auxiliary vector), registers, scratch
// memory on the guest's stack for injected calls, calls injected from the handlers of
// thread and process start, exec and signals, and the run's global state, reached after
// the run and told which thread calls it. Include through laws.hpp.
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
  snare::tracer<typename TestType::backend, decltype(tool)> tracer(tool);
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
/// Injects a call from the handlers of thread start, process start and exec, and counts
/// those whose result is right (gettid is the thread's id, getpid the process's, uname into
/// the guest's stack says Linux).
template <class Backend>
struct event_injector {
  using backend = Backend;
  int thread_starts = 0, thread_ok = 0, process_starts = 0, process_ok = 0, execs = 0, exec_ok = 0;
  void on_thread_start(auto& g) {
    ++thread_starts;
    auto r = g.inject(snare::sys::gettid{});
    thread_ok += r && *r == g.tid();
  }
  void on_process_start(auto& g) {
    ++process_starts;
    auto r = g.inject(snare::sys::getpid{});
    process_ok += r && *r == g.pid();
  }
  void on_exec(auto& g) {
    ++execs;
    auto stack = g.stack();
    auto u = stack.template reserve<struct utsname>();
    if (!stack.commit()) return;
    auto r = g.inject(snare::sys::uname(std::array<std::uint64_t, 6>{u.address, 0, 0, 0, 0, 0}));
    auto got = g.read(u);
    exec_ok += r && *r == 0 && got && std::string(got->sysname) == "Linux";
  }
};
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
    REQUIRE(run_cmd(tool, {TestType::guest("threads"), "2", "1"}) == 0);
    CHECK(tool.thread_starts == 3);
    CHECK(tool.thread_ok == 3);
    CHECK(tool.process_starts == 1);
    CHECK(tool.process_ok == 1);
    CHECK(tool.exec_ok == tool.execs);
    if constexpr (snare::has_capability<backend>(snare::capability::can_follow_process_tree)) {
      // A shell forks and execs the guest: two processes, two execs.
      event_injector<backend> tree;
      std::string cmd = TestType::guest("threads") + " 1 1";
      REQUIRE(run_cmd(tree, TestType::program({"sh", "-c", cmd + "; exit $?"})) == 0);
      CHECK(tree.process_starts == 2);
      CHECK(tree.process_ok == 2);
      CHECK(tree.execs >= 2);
      CHECK(tree.exec_ok == tree.execs);
      CHECK(tree.thread_ok == tree.thread_starts);
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
  const int code = snare::run<backend>(tool, {TestType::guest("clock")}, options);
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
    snare::tracer<backend, tool_type> tracer(tool);
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
