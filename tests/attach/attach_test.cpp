// snare::attach on the ptrace backend: a running multi-threaded guest is attached to with all
// its threads (their starts told, their calls seen, a call injected at each start), a fork
// after the attach is followed, and the detach leaves the guest running to its normal end:
// its main thread blocked in read(2) across attach and detach, a signal sent as the detach
// comes is delivered, and the guest's exit code and output are its own.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <guests.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/tracer.hpp>

namespace {

// The guest (tests/guests/attach_target.c), started here with pipes on its stdin and stdout.
struct running_guest {
  pid_t pid = -1;
  int in = -1, out = -1;

  // `uid` >= 0: the guest runs as that user; `no_new_privs`: with PR_SET_NO_NEW_PRIVS set.
  explicit running_guest(int threads, int uid = -1, bool no_new_privs = false) {
    int i[2], o[2];
    REQUIRE(::pipe2(i, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(o, O_CLOEXEC) == 0);
    const std::string path = snare::test::guest_path("attach_target");
    const std::string n = std::to_string(threads);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      if (no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(126);
      if (uid >= 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(uid, uid, uid) != 0 ||
                       ::setresuid(uid, uid, uid) != 0))
        ::_exit(126);
      ::dup2(i[0], 0);
      ::dup2(o[1], 1);
      ::execl(path.c_str(), path.c_str(), n.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(i[0]);
    ::close(o[1]);
    in = i[1];
    out = o[0];
    REQUIRE(read_line() == "ready");
  }
  ~running_guest() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    ::close(in);
    ::close(out);
  }
  running_guest(const running_guest&) = delete;
  running_guest& operator=(const running_guest&) = delete;

  // Returns the next line the guest writes (without its newline; "" after 10 s or at EOF).
  std::string read_line() {
    std::string line;
    for (;;) {
      pollfd p{out, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) return line;
      char c = 0;
      if (::read(out, &c, 1) != 1 || c == '\n') return line;
      line += c;
    }
  }
  void send(char c) { REQUIRE(::write(in, &c, 1) == 1); }
  // Waits for the guest's end (it is this process's child) and returns its wait status.
  int wait() {
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0) {
      if (errno != EINTR) return -1;
    }
    pid = -1;
    return st;
  }
};

// Returns the value of line `key` (e.g. "TracerPid:") of /proc/<pid>/status (-1: none).
int status_field(pid_t pid, const char* key) {
  char path[64], buf[4096];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  FILE* f = std::fopen(path, "re");
  if (f == nullptr) return -1;
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const std::string k = std::string("\n") + key;
  const char* t = std::strstr(buf, k.c_str());
  return t == nullptr ? -1 : std::atoi(t + k.size());
}

// Returns the TracerPid line's value of /proc/<pid>/status (0: not traced).
int tracer_of(pid_t pid) {
  char path[64], buf[4096];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  FILE* f = std::fopen(path, "re");
  if (f == nullptr) return -1;
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* t = std::strstr(buf, "\nTracerPid:");
  return t == nullptr ? -1 : std::atoi(t + 11);
}

// Counts the starts and the getppid calls of each task, and injects gettid at each thread's
// start (its first stop: a thread blocked in read is stopped within the call).
struct watcher {
  std::mutex m;
  std::atomic<bool> detached{false};
  void on_detach() { detached = true; }
  std::set<pid_t> processes, threads, callers, caller_processes;
  std::atomic<int> injected_ok{0}, calls{0};
  void on_process_start(auto& g) {
    std::lock_guard l(m);
    processes.insert(g.pid());
  }
  void on_thread_start(auto& g) {
    auto r = g.inject(snare::sys::gettid{});
    injected_ok += r && *r == g.tid();
    std::lock_guard l(m);
    threads.insert(g.tid());
  }
  void on(snare::sys::getppid, auto& g) {
    ++calls;
    std::lock_guard l(m);
    callers.insert(g.tid());
    caller_processes.insert(g.pid());
  }
  template <class F>
  bool holds(F f) {
    std::lock_guard l(m);
    return f();
  }
};

// Waits up to 10 s for `f` to hold.
template <class F>
bool eventually(F f) {
  for (int i = 0; i < 1000; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

using tracer_t = snare::tracer<snare::backend::ptrace, watcher>;

}  // namespace

TEST_CASE("attach: every thread of a running guest is attached to, and the detach leaves it running",
          "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(3);
  watcher w;
  tracer_t tracer(w);
  int code = -1;
  std::thread serve([&] { code = tracer.attach({guest.pid}); });
  // Four threads: the main one blocked in read(2), three calling getppid.
  const bool seen =
      eventually([&] { return w.holds([&] { return w.threads.size() == 4 && w.callers.size() == 3; }); });
  CHECK(tracer_of(guest.pid) != 0);
  SECTION("detached while running") {}
  SECTION("detached as a signal comes") { ::kill(guest.pid, SIGUSR1); }
  tracer.stop();
  serve.join();
  REQUIRE(seen);
  CHECK(code == 0);
  CHECK(tracer.detached());
  CHECK(std::string(tracer.attach_path()) == "ptrace-syscall");
  CHECK(w.processes == std::set<pid_t>{guest.pid});
  CHECK(w.injected_ok == 4);
  CHECK(w.caller_processes == std::set<pid_t>{guest.pid});
  CHECK(tracer_of(guest.pid) == 0);
  // Untraced now: it goes on calling, and its main thread is still in its read.
  guest.send('q');
  const std::string end = guest.read_line();
  const int st = guest.wait();
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 3);
  if (end.rfind("usr1=1", 0) == 0) {
    CHECK(end == "usr1=1 calls=1");
  } else {
    CHECK(end == "usr1=0 calls=1");
  }
}

TEST_CASE("attach: a SIGUSR1 sent just before the detach is delivered once", "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(2);
  watcher w;
  tracer_t tracer(w);
  std::thread serve([&] { (void)tracer.attach({guest.pid}); });
  REQUIRE(eventually([&] { return w.holds([&] { return w.callers.size() == 2; }); }));
  ::kill(guest.pid, SIGUSR1);
  tracer.stop();
  serve.join();
  CHECK(tracer.detached());
  guest.send('q');
  CHECK(guest.read_line() == "usr1=1 calls=1");
  const int st = guest.wait();
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 3);
}

TEST_CASE("attach: with follow_forks a process forked after the attach is followed", "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(1);
  watcher w;
  snare::run_options o;
  o.follow_forks = true;
  tracer_t tracer(w, o);
  std::thread serve([&] { (void)tracer.attach({guest.pid}); });
  REQUIRE(eventually([&] { return w.holds([&] { return w.threads.size() == 2; }); }));
  guest.send('f');
  const std::string child = guest.read_line();
  const bool forked_seen =
      eventually([&] { return w.holds([&] { return w.caller_processes.size() == 2; }); });
  tracer.stop();
  serve.join();
  CHECK(child == "child=5");
  CHECK(forked_seen);
  CHECK(w.processes.size() == 2);
  CHECK(tracer.detached());
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  const int st = guest.wait();
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 3);
}

TEST_CASE("attach: without follow_forks a forked process runs untraced", "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(1);
  watcher w;
  snare::run_options o;
  o.follow_forks = false;
  tracer_t tracer(w, o);
  std::thread serve([&] { (void)tracer.attach({guest.pid}); });
  REQUIRE(eventually([&] { return w.holds([&] { return w.threads.size() == 2; }); }));
  guest.send('f');
  CHECK(guest.read_line() == "child=5");
  tracer.stop();
  serve.join();
  CHECK(w.processes == std::set<pid_t>{guest.pid});
  CHECK(w.caller_processes == std::set<pid_t>{guest.pid});
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  CHECK(WEXITSTATUS(guest.wait()) == 3);
}

TEST_CASE("attach: a guest that ends while attached gives its own status", "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(2);
  const pid_t pid = guest.pid;
  watcher w;
  tracer_t tracer(w);
  int code = -1;
  std::thread serve([&] { code = tracer.attach({pid}); });
  REQUIRE(eventually([&] { return w.holds([&] { return w.callers.size() == 2; }); }));
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  serve.join();  // the guest is this process's child: the tracer (this process) reaps it
  guest.pid = -1;
  CHECK(code == 3);
  CHECK(!tracer.detached());
  CHECK(tracer.status() == snare::exit_status::exited(3));
}

TEST_CASE("attach: a process that does not exist is a clear error", "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  pid_t missing = 4000000;
  while (::kill(missing, 0) == 0 || errno != ESRCH) --missing;
  watcher w;
  snare::run_options o;
  o.report_exec_failure = false;
  tracer_t tracer(w, o);
  CHECK(tracer.attach({missing}) == 1);
  CHECK(!tracer.detached());
  CHECK(w.threads.empty());
}

TEST_CASE("attach: the subscription injected as a seccomp filter, and a silent keeper after the detach",
          "[attach][ptrace][filter]") {
  snare::test::require_host(snare::host_feature::ptrace);
  snare::test::require_host(snare::host_feature::seccomp_filter);
  // Root (CAP_SYS_ADMIN): the kernel takes the filter without no_new_privs. As another
  // user, with no_new_privs set before the attach: taken too.
  const bool as_root = GENERATE(true, false);
  if (as_root && ::geteuid() != 0) snare::test::skip("needs root: the guest must have CAP_SYS_ADMIN");
  if (!as_root && ::geteuid() != 0) snare::test::skip("needs root to start a guest as another user");
  running_guest guest(3, as_root ? -1 : 65534, !as_root);
  const int nnp_before = status_field(guest.pid, "NoNewPrivs:");
  watcher w;
  snare::run_options o;
  o.attach_filter = snare::attach_filter_policy::when_harmless;
  tracer_t tracer(w, o);
  int code = -1;
  std::thread serve([&] { code = tracer.attach({guest.pid}); });
  const bool seen = eventually([&] { return w.holds([&] { return w.callers.size() == 3; }); });
  CHECK(status_field(guest.pid, "Seccomp:") == 2);  // filter mode
  CHECK(status_field(guest.pid, "NoNewPrivs:") == nnp_before);
  tracer.stop();
  REQUIRE(eventually([&] { return w.detached.load(); }));
  const int calls = w.calls;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(w.calls == calls);           // the tool hears nothing more
  CHECK(tracer_of(guest.pid) != 0);  // the keeper: the tracer thread, still its tracer
  // Every call keeps working: getppid (the filter's) and the rest (sleeps, read, write).
  guest.send('f');
  CHECK(guest.read_line() == "child=5");
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  serve.join();    // the process ended: the keeper's work is done
  guest.pid = -1;  // reaped by the tracer (this process is its parent too)
  REQUIRE(seen);
  CHECK(code == 0);
  CHECK(tracer.detached());
  CHECK(std::string(tracer.attach_path()) == "seccomp-filter");
  CHECK(tracer.attach_filter_refusal().empty());
  CHECK(tracer.status() == snare::exit_status::exited(3));
  CHECK(w.injected_ok == 4);
}

TEST_CASE("attach: no filter where the kernel would need no_new_privs set; the guest is left as it was",
          "[attach][ptrace][filter]") {
  snare::test::require_host(snare::host_feature::ptrace);
  if (::geteuid() != 0) snare::test::skip("needs root to start a guest as another user");
  running_guest guest(2, 65534, false);  // no CAP_SYS_ADMIN, no no_new_privs
  watcher w;
  snare::run_options o;
  o.attach_filter = snare::attach_filter_policy::when_harmless;
  tracer_t tracer(w, o);
  std::thread serve([&] { (void)tracer.attach({guest.pid}); });
  const bool seen = eventually([&] { return w.holds([&] { return w.callers.size() == 2; }); });
  CHECK(status_field(guest.pid, "Seccomp:") == 0);
  CHECK(status_field(guest.pid, "NoNewPrivs:") == 0);
  tracer.stop();
  serve.join();
  REQUIRE(seen);
  CHECK(std::string(tracer.attach_path()) == "ptrace-syscall");
  CHECK(tracer.attach_filter_refusal().find("neither no_new_privs nor CAP_SYS_ADMIN") != std::string::npos);
  CHECK(w.detached);
  CHECK(tracer_of(guest.pid) == 0);
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  CHECK(WEXITSTATUS(guest.wait()) == 3);
}

namespace {
// Throws from its third getppid handler.
struct thrower {
  int calls = 0;
  void on(snare::sys::getppid, auto&) {
    if (++calls == 3) throw std::runtime_error("handler failed");
  }
};
}  // namespace

TEST_CASE("attach: a handler's exception detaches before it reaches the caller; the guest lives on",
          "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(2);
  thrower t;
  snare::tracer<snare::backend::ptrace, thrower> tracer(t);
  CHECK_THROWS_WITH(tracer.attach({guest.pid}), "handler failed");
  CHECK(tracer_of(guest.pid) == 0);
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  CHECK(WEXITSTATUS(guest.wait()) == 3);
}

TEST_CASE("run_and_attach: a command and a running guest in one run; the command's status",
          "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(1);
  watcher w;
  tracer_t tracer(w);  // no follow_forks: the command and the guest are followed all the same
  const pid_t pids[] = {guest.pid};
  int code = -1;
  std::thread serve([&] {
    code = tracer.run_and_attach(snare::command::from_argv({"sh", "-c", "exit 7"}),
                                 std::span<const pid_t>(pids));
  });
  // The guest's two threads and the command's process started; the guest's worker calls
  // (sh may call getppid too).
  const bool started = eventually([&] {
    return w.holds([&] { return w.processes.size() == 2 && w.caller_processes.count(guest.pid) == 1; });
  });
  INFO(w.processes.size() << " processes, " << w.callers.size() << " callers, " << w.threads.size()
                          << " threads");
  if (!started) guest.send('q');  // the run ends with the guest: serve can be joined
  REQUIRE(started);
  CHECK(w.holds([&] { return w.processes.count(guest.pid) == 1; }));
  CHECK(tracer_of(guest.pid) > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the command ends; the run goes on
  CHECK(tracer_of(guest.pid) > 0);
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  serve.join();  // the guest is this process's child: the tracer reaps it
  guest.pid = -1;
  CHECK(code == 7);
  CHECK(tracer.status() == snare::exit_status::exited(7));
  CHECK(!tracer.detached());
  CHECK(w.injected_ok == static_cast<int>(w.threads.size()));
}

TEST_CASE("run_and_attach: a stop request signals the command and detaches from every task",
          "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(1);
  watcher w;
  tracer_t tracer(w);
  const pid_t pids[] = {guest.pid};
  std::thread serve([&] {
    (void)tracer.run_and_attach(snare::command::from_argv({"sleep", "100"}), std::span<const pid_t>(pids));
  });
  const bool started = eventually([&] {
    return w.holds([&] { return w.processes.size() == 2 && w.caller_processes.count(guest.pid) == 1; });
  });
  tracer.stop(SIGTERM);
  if (!started) serve.join();  // never left running
  REQUIRE(started);
  pid_t command = -1;
  {
    std::lock_guard l(w.m);
    for (pid_t p : w.processes)
      if (p != guest.pid) command = p;
  }
  serve.join();
  CHECK(tracer.detached());
  // The command got the signal: it died of it, reaped by the detach (status() tells) or
  // else by this process (its parent). The guest was not signalled and runs on untraced.
  if (tracer.status() == snare::exit_status{}) {
    int st = 0;
    REQUIRE(::waitpid(command, &st, 0) == command);
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGTERM);
  } else {
    CHECK(tracer.status().is_killed());
    CHECK(tracer.status().signal() == SIGTERM);
  }
  CHECK(tracer_of(guest.pid) == 0);
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  CHECK(WEXITSTATUS(guest.wait()) == 3);
}

TEST_CASE(
    "run_and_attach: a command that survives the stop request's signal lives on after the run, as under "
    "strace",
    "[attach][ptrace]") {
  snare::test::require_host(snare::host_feature::ptrace);
  running_guest guest(1);
  // The command ignores SIGTERM, says so through one FIFO, then waits on another.
  char dir[] = "/tmp/snare-attach-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string said = std::string(dir) + "/said", go = std::string(dir) + "/go";
  REQUIRE(::mkfifo(said.c_str(), 0600) == 0);
  REQUIRE(::mkfifo(go.c_str(), 0600) == 0);
  watcher w;
  tracer_t tracer(w);
  const pid_t pids[] = {guest.pid};
  const std::string script = "trap '' TERM; echo ready > " + said + "; read x < " + go + "; exit 5";
  std::thread serve([&] {
    (void)tracer.run_and_attach(snare::command::from_argv({"sh", "-c", script.c_str()}),
                                std::span<const pid_t>(pids));
  });
  // The command's trap is set once it writes (up to 10 s).
  const int said_fd = ::open(said.c_str(), O_RDONLY | O_NONBLOCK);
  pollfd p{said_fd, POLLIN, 0};
  char ready[8] = {};
  const bool heard = said_fd >= 0 && ::poll(&p, 1, 10000) == 1 && ::read(said_fd, ready, sizeof ready) > 0;
  if (said_fd >= 0) ::close(said_fd);
  const bool started =
      heard && eventually([&] {
        return w.holds([&] { return w.processes.size() == 2 && w.caller_processes.count(guest.pid) == 1; });
      });
  tracer.stop(SIGTERM);
  serve.join();  // the thread that launched the command ends here
  pid_t command = -1;
  {
    std::lock_guard l(w.m);
    for (pid_t p : w.processes)
      if (p != guest.pid) command = p;
  }
  REQUIRE(started);
  REQUIRE(command > 0);
  CHECK(tracer.detached());
  CHECK(tracer.status() == snare::exit_status{});  // it ran on: no status
  // Time for a death signal tied to the launching thread to land, were there one.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(tracer_of(command) == 0);
  // Its read end opens once it waits (ENXIO before); it is still this process's child.
  int st = 0, go_fd = -1;
  pid_t reaped = 0;
  for (int i = 0; i < 1000 && go_fd < 0 && reaped == 0; ++i) {
    go_fd = ::open(go.c_str(), O_WRONLY | O_NONBLOCK);
    if (go_fd < 0) reaped = ::waitpid(command, &st, WNOHANG);
    if (go_fd < 0 && reaped == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  INFO("the command " << (reaped == command ? "had ended" : "runs") << ", status " << st);
  REQUIRE(go_fd >= 0);
  CHECK(::write(go_fd, "\n", 1) == 1);
  ::close(go_fd);
  REQUIRE(::waitpid(command, &st, 0) == command);
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 5);
  CHECK(tracer_of(guest.pid) == 0);
  guest.send('q');
  CHECK(guest.read_line() == "usr1=0 calls=1");
  CHECK(WEXITSTATUS(guest.wait()) == 3);
  ::unlink(said.c_str());
  ::unlink(go.c_str());
  ::rmdir(dir);
}
