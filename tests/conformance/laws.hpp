// Defines the backend conformance laws: real guests (tests/guests) under a backend, with
// exact event counts, written once for every backend (as Hana's test/_include/laws/).
//
// Use: a backend's conformance .cpp declares the subjects the laws run over, then includes
// this header, which registers every law as a Catch2 TEMPLATE_LIST_TEST_CASE over them:
//
//   #include <snare/backend/ptrace.hpp>
//   #include "subject.hpp"
//   namespace snare::test::conformance {
//   using subjects = std::tuple<subject<snare::backend::ptrace>>;
//   }  // namespace snare::test::conformance
//   #include "laws.hpp"
//
// A law that needs a capability the backend lacks skips with the capability's name
// (snare::test::skip, exit code 77); one that needs a host feature skips with the probe's
// reason (require_host); one that cannot run for a reason no capability names skips with
// the subject's reason (subject.hpp).
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/host.hpp>
#include <snare/tracer.hpp>

#include "subject.hpp"

namespace snare::test::conformance {

/// Ends the law as skipped: Backend lacks capability `c`.
template <class Backend>
[[noreturn]] void skip_lacking(capability c) {
  std::string why =
      "the " + std::string(Backend::name) + " backend lacks capability " + std::string(name_of(c));
  skip(why.c_str());
}

/// Ends the law as skipped, with the probe's reason, unless the host has every feature
/// Backend itself needs (Backend::host_requirements).
template <class Backend>
void require_backend_host() {
  for (snare::host_feature f : Backend::host_requirements) require_host(f);
}

/// Ends the law as skipped with `reason` (a subject's statement) unless it is null.
inline void skip_if(const char* reason) {
  if (reason) skip(reason);
}

/// Runs argv under Tool's backend with default options.
template <class Tool>
int run_cmd(Tool& tool, const std::vector<std::string>& argv) {
  return snare::run<typename Tool::backend>(tool, argv);
}

/// Runs f() with this process's stdout (which the guest inherits or shares) in a memfd,
/// and returns what was written there.
template <class F>
std::string capture_stdout(F&& f) {
  int out = ::memfd_create("conformance-out", MFD_CLOEXEC);
  REQUIRE(out >= 0);
  std::fflush(nullptr);
  int saved = ::dup(1);
  ::dup2(out, 1);
  try {
    f();
  } catch (...) {
    ::dup2(saved, 1);
    ::close(saved);
    ::close(out);
    throw;
  }
  std::fflush(nullptr);
  ::dup2(saved, 1);
  ::close(saved);
  std::string s;
  char buf[4096];
  ::lseek(out, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(out, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
  ::close(out);
  return s;
}

/// Counts every lifecycle event and getppid calls; remembers the tids of started threads.
template <class Backend>
struct lifecycle_counter {
  using backend = Backend;
  long getppid = 0, thread_starts = 0, thread_exits = 0, process_starts = 0, process_exits = 0, execs = 0;
  int last_status = -1;
  std::set<pid_t> started_tids;
  void on(snare::sys::getppid, auto&) { ++getppid; }
  void on_thread_start(auto& g) {
    ++thread_starts;
    started_tids.insert(g.tid());
  }
  void on_thread_exit(auto&) { ++thread_exits; }
  void on_process_start(auto&) { ++process_starts; }
  void on_process_exit(int status, auto&) {
    ++process_exits;
    last_status = status;
  }
  void on_exec(auto&) { ++execs; }
};

/// Counts every syscall through a generic handler, and the processes started and ended.
template <class Backend>
struct every_call_counter {
  using backend = Backend;
  long calls = 0, typed = 0, process_starts = 0;
  int last_status = -1;
  void on(auto call, auto&) {
    ++calls;
    if constexpr (snare::sys::typed_call<decltype(call)>) ++typed;
  }
  void on_process_start(auto&) { ++process_starts; }
  void on_process_exit(int status, auto&) { last_status = status; }
};

}  // namespace snare::test::conformance

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
  skip_if(TestType::misses_exits_of_killed_threads);
  lifecycle_counter<typename TestType::backend> tool;
  REQUIRE(run_cmd(tool, {TestType::guest("kill_blocking"), "self"}) == 128 + SIGKILL);
  CHECK(tool.process_exits == 1);
  CHECK(tool.last_status == SIGKILL);
  CHECK(tool.thread_exits == 2);
  CHECK(tool.thread_starts == 2);
}

namespace snare::test::conformance {
/// Turns pread64 on the pipe into an injected read that blocks until the other thread
/// writes; the other thread learns it may write when getppid answers 4242.
template <class Backend>
struct injector {
  using backend = Backend;
  bool waiting = false;
  long served_while_waiting = 0;
  long read_result = 0;
  void on(snare::sys::pread64 call, auto& g) {
    if (call.raw(3) != 4242) return;  // the guest's marker; the loader's preads run as they are
    waiting = true;
    auto r = g.inject(
        snare::sys::read(std::array<std::uint64_t, 6>{call.raw(0), call.raw(1), call.raw(2), 0, 0, 0}));
    waiting = false;
    read_result = r ? *r : -1000;
    g.suppress(read_result);
  }
  void on(snare::sys::getppid, auto& g) {
    if (waiting) {
      ++served_while_waiting;
      g.suppress(4242);
    }
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a thread waiting in an injected read does not stop other threads", "[engine][fiber]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    skip_if(TestType::blocking_inject_stops_other_threads);
    injector<backend> tool;
    SECTION("the injected read completes once the other thread writes") {
      REQUIRE(run_cmd(tool, {TestType::guest("inject")}) == 0);
      CHECK(tool.served_while_waiting == 1);
      CHECK(tool.read_result == 1);
    }
    SECTION("a signal to the waiting thread is delivered after the handler, the read still completes") {
      REQUIRE(run_cmd(tool, {TestType::guest("inject"), "signal"}) == 0);
      CHECK(tool.served_while_waiting == 1);
      CHECK(tool.read_result == 1);
    }
    SECTION("SIGKILL while the injected read waits ends the handler with an error") {
      REQUIRE(run_cmd(tool, {TestType::guest("inject"), "kill"}) == 128 + SIGKILL);
      CHECK(tool.served_while_waiting == 1);
      CHECK(tool.read_result == -1000);
    }
  }
}

namespace snare::test::conformance {
/// Answers getppid with the result of an injected gettid.
template <class Backend>
struct gettid_injector {
  using backend = Backend;
  long injected = 0;
  void on(snare::sys::getppid, auto& g) {
    auto tid = g.inject(snare::sys::gettid{});
    REQUIRE(tid);
    injected = *tid;
    g.suppress(*tid);
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("an injected call's result reaches the handler", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    gettid_injector<backend> tool;
    // The guest exits 0 when getppid returned its own tid: the injected gettid's result.
    REQUIRE(run_cmd(tool, {TestType::guest("retval"), "tail"}) == 0);
    CHECK(tool.injected > 0);
  }
}

namespace snare::test::conformance {
/// Cuts an 11-byte write to 5 bytes.
template <class Backend>
struct count_cutter {
  using backend = Backend;
  void on(snare::sys::write& call, auto&) {
    if (call.count() == 11) call.set_count(5);
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("arguments changed by a handler are what the guest's call runs with", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_modify_args)) {
    skip_lacking<backend>(snare::capability::can_modify_args);
  } else {
    count_cutter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("modify")}) == 5);
  }
}

namespace snare::test::conformance {
/// Denies opening /etc/hostname through openat (g.fail) and open (snare::action).
template <class Backend>
struct open_denier {
  using backend = Backend;
  long openat = 0, open = 0;
  void on(snare::sys::openat call, auto& g) {
    auto path = g.read_cstr(call.pathname());
    if (path && *path == "/etc/hostname") {
      ++openat;
      g.fail(EACCES);
    }
  }
  snare::action on(snare::sys::open call, auto& g) {
    auto path = g.read_cstr(call.pathname());
    if (!path || *path != "/etc/hostname") return snare::proceed();
    ++open;
    return snare::fail(EACCES);
  }
};

/// Runs a guest natively with `args`, its stdout on /dev/null; returns its wait status.
inline int run_natively(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    ::execv(argv[0], const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  return st;
}
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a tool denying openat and open cannot be bypassed through int 0x80 or x32",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  const std::string guest = TestType::guest("deny_open");
  open_denier<typename TestType::backend> tool;
  // int 0x80 is tried only where the guest has it: the host's (host feature i386_int80),
  // unless the backend's guests have none of their own. Where it is absent the caller is
  // killed, so there is nothing to bypass (shown below). x32 is tried always.
  const auto& int80 = snare::host_features().get(snare::host_feature::i386_int80);
  const bool try_int80 = int80 && !TestType::lacks_int80;
  std::vector<std::string> args{guest, "/etc/hostname"};
  if (!int80) {
    WARN("int 0x80 left out: host feature i386_int80 is absent: " << int80.reason);
    if (!snare::host_feature_set::withheld(snare::host_feature::i386_int80)) {
      int st = run_natively({guest, "/etc/hostname"});
      CHECK(WIFSIGNALED(st));  // natively refused: the i386 entry does not exist here
    }
  } else if (!try_int80) {
    WARN("int 0x80 left out: " << TestType::lacks_int80);
    int code = -1;
    capture_stdout([&] { code = run_cmd(tool, {guest, "/etc/hostname"}); });
    CHECK(code > 128);  // refused on this backend: the guest is killed by a signal
    tool = {};
  }
  if (!try_int80) args.push_back("no-int80");
  int code = -1;
  auto out = capture_stdout([&] { code = run_cmd(tool, args); });
  INFO("the guest printed:\n" << out);
  REQUIRE(code == 0);  // no way opened it
  CHECK(tool.openat == 1);
  CHECK(tool.open == 1);
  // Control: without a tracer, the native ways do open the file (openat and open, plus
  // int 0x80 and x32 where the host has them).
  int st = run_natively(args);
  REQUIRE(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) >= 2 + (try_int80 ? 1 : 0));
}

namespace snare::test::conformance {
/// Answers getppid with 4242 at its exit, and remembers the real result it replaced.
template <class Backend>
struct return_changer {
  using backend = Backend;
  long real = 0;
  long on_exit(snare::sys::getppid, long ret, auto&) {
    real = ret;
    return 4242;
  }
};

/// Makes every write report 1 byte written, whatever it really wrote.
template <class Backend>
struct short_writer {
  using backend = Backend;
  long writes = 0;
  long on_exit(snare::sys::write, long ret, auto&) {
    ++writes;
    return ret > 0 ? 1 : ret;
  }
};

/// Replaces getppid by gettid.
template <class Backend>
struct tail_injector {
  using backend = Backend;
  void on(snare::sys::getppid, auto& g) { REQUIRE(g.tail_inject(snare::sys::gettid{})); }
};

/// Replaces exit_group(n) by exit_group(n + 1).
template <class Backend>
struct exit_bumper {
  using backend = Backend;
  void on(snare::sys::exit_group call, auto& g) {
    snare::sys::exit_group other = call;
    other.set_raw(0, call.raw(0) + 1);
    REQUIRE(g.tail_inject(other));
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("an exit handler changes the return value", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_observe_exit)) {
    skip_lacking<backend>(snare::capability::can_observe_exit);
  } else {
    SECTION("getppid returns the handler's value; the handler saw the real one") {
      return_changer<backend> tool;
      REQUIRE(run_cmd(tool, {TestType::guest("retval"), "exit"}) == 0);
      CHECK(tool.real > 0);  // a parent's pid
    }
    SECTION("a write told it wrote 1 byte is written again from the next byte") {
      short_writer<backend> tool;
      int code = -1;
      auto out = capture_stdout([&] { code = run_cmd(tool, {TestType::guest("write"), "abc", "de"}); });
      CHECK(code == 0);
      // stdio writes the rest again after each short write: every suffix of the line in turn.
      const std::string text = "abc de\n";
      std::string expected;
      for (std::size_t i = 0; i < text.size(); ++i) expected += text.substr(i);
      CHECK(out == expected);
      CHECK(tool.writes == static_cast<long>(text.size()));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("tail_inject replaces the current call", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    SECTION("getppid by gettid: the guest gets its tid") {
      tail_injector<backend> tool;
      REQUIRE(run_cmd(tool, {TestType::guest("retval"), "tail"}) == 0);
    }
    SECTION("exit_group(41) by exit_group(42): the guest ends with 42") {
      exit_bumper<backend> tool;
      REQUIRE(run_cmd(tool, {TestType::guest("threads"), "0", "0", "41"}) == 42);
    }
  }
}

namespace snare::test::conformance {
/// Answers every RDTSC and RDTSCP with TSC 12345 and aux 7.
template <class Backend>
struct tsc_faker {
  using backend = Backend;
  int seen = 0;
  void on_rdtsc(snare::rdtsc_event& e, auto&) {
    ++seen;
    e.tsc = 12345;
    e.aux = 7;
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("RDTSC and RDTSCP are intercepted", "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_intercept_rdtsc)) {
    skip_lacking<backend>(snare::capability::can_intercept_rdtsc);
  } else {
    snare::test::require_host(*backend::host_feature_for(snare::capability::can_intercept_rdtsc));
    tsc_faker<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("rdtsc")}) == 0);
    CHECK(tool.seen >= 2);
  }
}

namespace snare::test::conformance {
/// Throws from its getppid handler.
template <class Backend>
struct thrower {
  using backend = Backend;
  void on(snare::sys::getppid, auto&) { throw std::runtime_error("handler failed"); }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a handler's exception leaves run on the tracer's stack and ends the guest",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  thrower<typename TestType::backend> tool;
  REQUIRE_THROWS_WITH(run_cmd(tool, {TestType::guest("threads"), "4", "10"}), "handler failed");
  errno = 0;
  CHECK(::waitpid(-1, nullptr, __WALL | WNOHANG) == -1);  // no guest left behind
  CHECK(errno == ECHILD);
}
