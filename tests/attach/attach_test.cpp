// snare::attach on the ptrace backend: a running multi-threaded guest is attached to with all
// its threads (their starts told, their calls seen, a call injected at each start), a fork
// after the attach is followed, and the detach leaves the guest running to its normal end:
// its main thread blocked in read(2) across attach and detach, a signal sent as the detach
// comes is delivered, and the guest's exit code and output are its own.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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

  explicit running_guest(int threads) {
    int i[2], o[2];
    REQUIRE(::pipe2(i, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(o, O_CLOEXEC) == 0);
    const std::string path = snare::test::guest_path("attach_target");
    const std::string n = std::to_string(threads);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
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
