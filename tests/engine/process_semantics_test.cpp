// The guest behaves under snare as it does without it: privileges (setuid programs and
// no_new_privs), the guest's own seccomp filters, CLONE_UNTRACED children. Each case runs
// the guest natively first: that is the right value (../shared/cases).
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/tracer.hpp>

#include <guests.hpp>

namespace {

using snare::test::guest_path;
using both_backends = std::tuple<snare::backend::ptrace, snare::backend::seccomp_notify>;

// Runs argv natively (snare::test::run_natively); returns its exit code (128+N for signal N).
int run_natively(const std::vector<std::string>& args) {
  int st = snare::test::run_natively(args);
  REQUIRE(st != -1);
  return snare::exit_status::from_wait_status(st).shell_code();
}

// Runs argv under Tool on Backend with the guest's stdout on /dev/null.
template <class Backend, class Tool>
int run_quietly(Tool& tool, const std::vector<std::string>& args, snare::run_options o = {}) {
  int saved = ::dup(1), devnull = ::open("/dev/null", O_WRONLY);
  ::dup2(devnull, 1);
  int code = snare::run<Backend>(tool, args, o);
  ::dup2(saved, 1);
  ::close(saved);
  ::close(devnull);
  return code;
}

// Says whether this process may install a seccomp filter without no_new_privs (it has
// CAP_SYS_ADMIN: root outside a container that drops it), tried in a forked child.
bool filter_without_no_new_privs() {
  pid_t pid = ::fork();
  if (pid == 0) {
    sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    sock_fprog prog{1, allow};
    ::_exit(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : 1);
  }
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

// Traces nothing: what any tool does to the guest's semantics shows here.
struct nothing {};

struct getppid_counter {
  long calls = 0;
  void on(snare::sys::getppid, auto&) { ++calls; }
};

}  // namespace

TEMPLATE_LIST_TEST_CASE("no_new_privs is set only when the tracer cannot install its filter without it",
                        "[engine][privileges]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
    snare::test::skip("this test runs under no_new_privs already (a service or container setting)");
  const std::string guest = guest_path("privs");
  const int native = run_natively({guest});
  nothing tool;
  if (filter_without_no_new_privs()) {
    CHECK((native & 1) == 0);                               // natively no no_new_privs
    CHECK(run_quietly<TestType>(tool, {guest}) == native);  // nor under snare
  }
  // An unprivileged tracer needs no_new_privs for its filter (seccomp(2)): the guest has it.
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
                             ::setresuid(65534, 65534, 65534) != 0))
      ::_exit(100);
    // A process that changed its uids is not dumpable, which forbids ptrace of its children
    // until they exec; an unprivileged user's own tracer is dumpable.
    ::prctl(PR_SET_DUMPABLE, 1);
    ::_exit(run_quietly<TestType>(tool, {guest}));
  }
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  REQUIRE(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 1);  // no_new_privs, euid not 0
}

TEMPLATE_LIST_TEST_CASE("a setuid-root program keeps its privilege under a root tracer",
                        "[engine][privileges]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  if (::geteuid() != 0) snare::test::skip("needs root: the test installs a setuid-root copy of a guest");
  if (::access("/usr/bin/setpriv", X_OK) != 0) snare::test::skip("setpriv (util-linux) is not installed");
  if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
    snare::test::skip("this test runs under no_new_privs already: setuid bits are ignored natively too");
  if (!filter_without_no_new_privs())
    snare::test::skip("no CAP_SYS_ADMIN (a container's root): any tracer's filter needs no_new_privs here");
  // A setuid-root copy where exec honours setuid bits (not a nosuid mount), readable by 65534.
  char dir_template[] = "/tmp/snare-setuid-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template, copy = dir + "/privs";
  std::filesystem::copy_file(guest_path("privs"), copy);
  REQUIRE(::chmod(dir.c_str(), 0755) == 0);
  REQUIRE(::chown(copy.c_str(), 0, 0) == 0);
  REQUIRE(::chmod(copy.c_str(), 04755) == 0);
  struct statvfs fs {};
  REQUIRE(::statvfs(copy.c_str(), &fs) == 0);
  const std::vector<std::string> cmd{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     copy};
  int native = run_natively(cmd);
  if (fs.f_flag & ST_NOSUID) {
    std::filesystem::remove_all(dir);
    snare::test::skip("/tmp is mounted nosuid: setuid bits are ignored natively too");
  }
  CHECK(native == 2);  // euid 0 by the setuid bit, no no_new_privs
  nothing tool;
  CHECK(run_quietly<TestType>(tool, cmd) == native);
  std::filesystem::remove_all(dir);
}

TEMPLATE_LIST_TEST_CASE("the guest's own seccomp filters act as natively", "[engine][seccomp-filter]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("own_filter");
  REQUIRE(run_natively({guest, "fork"}) == 0);
  // seccomp_notify's limit (docs/seccomp_notify.md): the kernel allows one listener per
  // filter tree, and snare's is there first, so the guest's own NEW_LISTENER gets EBUSY.
  const int expected = std::is_same_v<TestType, snare::backend::seccomp_notify> ? 8 : 0;
  SECTION("nothing traced") {
    nothing tool;
    CHECK(run_quietly<TestType>(tool, {guest, "fork"}) == expected);
  }
  SECTION("a call the guest's filter acts on is traced too") {
    getppid_counter tool;
    CHECK(run_quietly<TestType>(tool, {guest, "fork"}) == expected);
    CHECK(tool.calls == 0);  // the guest's ERRNO wins over snare's trap: the call never ran
  }
}

TEMPLATE_LIST_TEST_CASE("a child made with CLONE_UNTRACED runs as natively and stays traced",
                        "[engine][clone]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("untraced");
  REQUIRE(run_natively({guest}) == 0);
  SECTION("nothing traced") {
    nothing tool;
    CHECK(run_quietly<TestType>(tool, {guest}) == 0);
  }
  SECTION("the children's calls reach the tool") {
    getppid_counter tool;
    CHECK(run_quietly<TestType>(tool, {guest}) == 0);
    CHECK(tool.calls == 2);  // one per child: clone's and clone3's
  }
}

namespace {
// Counts the engine's reports of tasks it does not trace (engine/notify.hpp), and clone3s.
struct unknown_tasks {
  std::vector<pid_t> exited, detached;
  long clone3s = 0;
  void on(snare::sys::clone3, auto&) { ++clone3s; }
  void on_unknown_exit(pid_t pid, int) { exited.push_back(pid); }
  void on_unknown_detach(pid_t pid) { detached.push_back(pid); }
};
}  // namespace

TEMPLATE_LIST_TEST_CASE("without follow_forks the children run untraced and may trace themselves",
                        "[engine][clone]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("own_tracer");
  REQUIRE(run_natively({guest, "traceme"}) == 0);
  snare::run_options o;
  o.follow_forks = false;
  SECTION("nothing traced") {
    nothing tool;
    CHECK(run_quietly<TestType>(tool, {guest, "traceme"}, o) == 0);
  }
  SECTION("clone3 traced: the engine's change to its flags is not seen") {
    unknown_tasks tool;
    CHECK(run_quietly<TestType>(tool, {guest, "traceme"}, o) == 0);  // 8: clone_args changed
    CHECK(tool.clone3s == 1);
  }
}

TEST_CASE("ptrace: without follow_forks a CLONE_PTRACE child is let go and a CLONE_PARENT child's end told",
          "[engine][clone]") {
  snare::test::require_host(snare::host_feature::ptrace);
  const std::string guest = guest_path("own_tracer");
  REQUIRE(run_natively({guest, "clone_ptrace"}) == 0);
  // (Not clone_parent natively: its child would be this process's, and never reaped.)
  snare::run_options o;
  o.follow_forks = false;
  unknown_tasks ptraced, parented;
  CHECK(run_quietly<snare::backend::ptrace>(ptraced, {guest, "clone_ptrace"}, o) ==
        0);  // killed by its signal
  CHECK(ptraced.detached.size() == 1);
  CHECK(ptraced.exited.empty());
  // Its parent is the tracer: the tracer reaps it, and says so.
  CHECK(run_quietly<snare::backend::ptrace>(parented, {guest, "clone_parent"}, o) == 0);
  CHECK(parented.exited.size() == 1);
  CHECK(parented.detached.empty());
}

namespace {
// Keeps how each process ended, as on_process_exit is told in its structured form.
struct end_recorder {
  std::vector<snare::exit_status> ends;
  void on_process_exit(snare::exit_status s, auto&) { ends.push_back(s); }
};
}  // namespace

TEMPLATE_LIST_TEST_CASE("a signal death is reported as one, for every fatal signal", "[engine][exit]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  for (int sig : {SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGINT, SIGHUP, SIGQUIT, SIGBUS, SIGPIPE, SIGUSR1}) {
    INFO("signal " << sig);
    const std::string cmd = "ulimit -c 0; kill -" + std::to_string(sig) + " $$";
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(tracer.run({"/bin/sh", "-c", cmd.c_str()}) == 128 + sig);
    // The signal, not the core flag: a piped core_pattern dumps whatever RLIMIT_CORE says.
    CHECK(tracer.status().is_killed());
    CHECK(tracer.status().signal() == sig);
    REQUIRE(tool.ends.size() == 1);
    CHECK(tool.ends[0].signal() == sig);
  }
  SECTION("an exit with 128+N stays an exit") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(tracer.run({"/bin/sh", "-c", "exit 139"}) == 139);
    CHECK(tracer.status() == snare::exit_status::exited(139));
    REQUIRE(tool.ends.size() == 1);
    CHECK(tool.ends[0] == snare::exit_status::exited(139));
  }
}

namespace {

// Says whether SIGUSR1 is pending for thread `tid` of `pid` (SigPnd in its status).
bool usr1_pending(pid_t pid, pid_t tid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("SigPnd:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) >> (SIGUSR1 - 1)) & 1;
  return false;  // the thread has ended
}

// Holds the guest's getppid and signals the calling thread meanwhile: the signal certainly
// arrives while the tracer holds the call (on seccomp_notify: after the notification was
// received, the window WAIT_KILLABLE_RECV closes).
struct signal_while_held {
  // Answer only once the guest thread has taken the signal: a thread takes it on its way
  // out of the call, so a wait the signal interrupts has ended before the answer comes.
  bool await_delivery = false;
  bool delivery_timed_out = false;
  void on(snare::sys::getppid, auto& g) {
    ::syscall(SYS_tgkill, g.pid(), g.tid(), SIGUSR1);
    if (!await_delivery) {
      ::usleep(20'000);  // let the signal reach the guest thread before the answer
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (usr1_pending(g.pid(), g.tid())) {
      if (std::chrono::steady_clock::now() > deadline) {
        delivery_timed_out = true;
        return;
      }
      ::usleep(1'000);
    }
  }
};

}  // namespace

TEMPLATE_LIST_TEST_CASE("a handled signal during a held call does not fail a call that never blocks",
                        "[engine][signal]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  if constexpr (std::is_same_v<TestType, snare::backend::seccomp_notify>)
    snare::test::require_host(snare::host_feature::notif_wait_killable_recv);
  signal_while_held tool;
  CHECK(run_quietly<TestType>(tool, {guest_path("interrupted")}) == 0);
}

TEST_CASE("without WAIT_KILLABLE_RECV a held call ends with the kernel's EINTR (the documented limit)",
          "[engine][signal]") {
  snare::test::require_host(snare::host_feature::seccomp_user_notif);
  ::setenv("SNARE_HOST_DENY", "notif_wait_killable_recv", 1);
  signal_while_held tool;
  tool.await_delivery = true;
  int code = run_quietly<snare::backend::seccomp_notify>(tool, {guest_path("interrupted")});
  ::unsetenv("SNARE_HOST_DENY");
  CHECK_FALSE(tool.delivery_timed_out);  // the guest thread took the signal within 10 s
  CHECK(code == 4);
}

namespace {

// Counts the process and thread exits it sees; records superseded threads and the thread
// state the exec'ing thread carries into the new image.
struct lifecycle_recorder {
  struct thread_state {
    pid_t first_tid = 0;  // the id the thread had when it started
  };
  using thread_state = thread_state;
  std::vector<snare::exit_status> thread_ends;
  std::vector<pid_t> exec_first_tids;
  void on_thread_start(auto& g) { g.thread_state().first_tid = g.tid(); }
  void on_thread_exit(snare::exit_status s, auto&) { thread_ends.push_back(s); }
  void on_exec(auto& g) { exec_first_tids.push_back(g.thread_state().first_tid); }
  // On seccomp_notify an exec is told at the new image's first trapped call: exit_group's.
  void on_process_exit(snare::exit_status, auto&) {}
};

// Traps every write of the guest (counted on the tracer's thread, read by the stopper's).
struct write_watcher {
  std::atomic<long> writes = 0;
  void on(snare::sys::write, auto&) { ++writes; }
};

// Runs `tracer` in this thread while another asks it to stop once `ready()` has returned,
// once per entry of `signals` (20 ms apart). ready() waits for the guest to reach the state
// the test means to stop it in, and returns false if it did not within its bound.
template <class Tracer, class Ready>
int run_and_stop(Tracer& tracer, std::vector<std::string> argv, Ready ready, std::vector<int> signals) {
  bool was_ready = false;
  std::thread stopper([&] {
    was_ready = ready();
    for (int sig : signals) {
      tracer.stop(sig);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  int code = tracer.run(argv);
  stopper.join();
  CHECK(was_ready);
  return code;
}

// A ready() for a guest that may be stopped in any state: it waits `ms` only.
auto after_ms(int ms) {
  return [ms] {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return true;
  };
}

// Waits up to 10 s for `done()` to hold.
template <class Done>
bool wait_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A FIFO in a fresh directory, open for reading (without blocking) before the guest opens it
// to write: the guest writes a line when it has reached the state the test waits for.
struct ready_fifo {
  std::string dir, path;
  int fd = -1;
  ready_fifo() {
    char dir_template[] = "/tmp/snare-ready-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    dir = dir_template;
    path = dir + "/ready";
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(fd >= 0);
  }
  ready_fifo(const ready_fifo&) = delete;
  ready_fifo& operator=(const ready_fifo&) = delete;
  ~ready_fifo() {
    ::close(fd);
    std::filesystem::remove_all(dir);
  }
  // Waits up to 10 s for the guest's line.
  bool wait() const {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 10'000) == 1 && (p.revents & POLLIN);
  }
};

}  // namespace

TEMPLATE_LIST_TEST_CASE("an exec in a thread other than the leader supersedes the leader", "[engine][exec]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  lifecycle_recorder tool;
  CHECK(run_quietly<TestType>(tool, {guest_path("exec_thread")}) == 7);
  std::vector<snare::exit_status> superseded;
  for (auto& s : tool.thread_ends)
    if (s.is_superseded()) superseded.push_back(s);
  REQUIRE(superseded.size() == 1);
  // The exec'ing thread carried its state into the new image, under the leader's id.
  REQUIRE(tool.exec_first_tids.size() == 2);  // the first image's exec, then the thread's
  CHECK(tool.exec_first_tids[1] == superseded[0].superseded_by());
  CHECK(superseded[0].superseded_by() != 0);
}

namespace {

// Records, in order, each thread's leaving (on_thread_exiting) and end (on_thread_exit).
struct exiting_recorder {
  std::vector<std::pair<pid_t, char>> events;  // (tid, 'x': exiting, 'e': ended)
  void on_thread_exiting(auto& g) { events.emplace_back(g.tid(), 'x'); }
  void on_thread_exit(snare::exit_status, auto& g) { events.emplace_back(g.tid(), 'e'); }
};

}  // namespace

TEST_CASE("ptrace tells each thread's leaving (on_thread_exiting) before its end", "[engine][exit]") {
  snare::test::require_host(snare::host_feature::ptrace);
  exiting_recorder tool;
  CHECK(run_quietly<snare::backend::ptrace>(tool, {guest_path("threads"), "4", "10", "5"}) == 5);
  std::size_t ends = 0;
  for (std::size_t i = 0; i < tool.events.size(); ++i) {
    if (tool.events[i].second != 'e') continue;
    ++ends;
    INFO("thread " << tool.events[i].first);
    auto before = std::find(tool.events.begin(), tool.events.begin() + static_cast<std::ptrdiff_t>(i),
                            std::make_pair(tool.events[i].first, 'x'));
    CHECK(before != tool.events.begin() + static_cast<std::ptrdiff_t>(i));
  }
  CHECK(ends == 5);  // the leader and its four threads
}

TEMPLATE_LIST_TEST_CASE("tracer::stop signals the guests and serves them to their end", "[engine][stop]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  SECTION("from another thread: the guest dies of the signal") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(run_and_stop(tracer, {"/bin/sleep", "30"}, after_ms(200), {SIGTERM}) == 128 + SIGTERM);
    CHECK(tracer.status() == snare::exit_status::killed(SIGTERM));
    REQUIRE(tool.ends.size() == 1);
    CHECK(tool.ends[0] == snare::exit_status::killed(SIGTERM));
  }
  SECTION("a guest that ignores the signal lives on; a second request kills it") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    // The requests come once the shell ignores SIGTERM (sleep inherits that).
    ready_fifo trapped;
    const std::string script = "trap '' TERM; echo > " + trapped.path + "; sleep 30";
    CHECK(run_and_stop(tracer, {"/bin/sh", "-c", script}, [&] { return trapped.wait(); },
                       {SIGTERM, SIGTERM}) == 128 + SIGKILL);
    CHECK(tracer.status() == snare::exit_status::killed(SIGKILL));
  }
  SECTION("a guest in a group-stop is continued, so that it acts on the signal") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(run_and_stop(tracer, {"/bin/sh", "-c", "kill -STOP $$; echo continued"}, after_ms(300), {SIGINT}) ==
          128 + SIGINT);
  }
  SECTION("a guest whose trapped calls never pause still gets the request") {
    write_watcher tool;
    snare::tracer<TestType, write_watcher> tracer(tool);
    // The request comes once yes writes: while its calls are trapped.
    auto writing = [&] { return wait_until([&] { return tool.writes > 0; }); };
    CHECK(run_and_stop(tracer, {"/bin/sh", "-c", "exec yes > /dev/null"}, writing, {SIGTERM}) ==
          128 + SIGTERM);
    CHECK(tool.writes > 0);
  }
  SECTION("a request made before the run ends it as soon as the guest runs") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    tracer.stop(SIGHUP);
    CHECK(tracer.run({"/bin/sleep", "30"}) == 128 + SIGHUP);
    // and is forgotten after that run
    CHECK(tracer.run({"/bin/true"}) == 0);
  }
  SECTION("from a signal handler, through a stop_source the caller owns") {
    static snare::stop_source source;
    struct sigaction sa {
    }, old{};
    sa.sa_handler = [](int) { source.request(SIGTERM); };
    ::sigemptyset(&sa.sa_mask);
    ::sigaction(SIGUSR2, &sa, &old);
    snare::run_options options;
    options.stop = &source;
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool, options);
    std::thread sender([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      ::kill(::getpid(), SIGUSR2);
    });
    CHECK(tracer.run({"/bin/sleep", "30"}) == 128 + SIGTERM);
    sender.join();
    ::sigaction(SIGUSR2, &old, nullptr);
  }
}
