// Tests the seccomp_notify backend through the tool model: snare::run<seccomp_notify> with
// typed and generic handlers, emulation, denial, fd installation, state, lifecycle handlers
// and a handler's exception.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <snare/backend/seccomp_notify.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include "skip.hpp"

namespace sys = snare::sys::x86_64;
using snare::backend::seccomp_notify;

namespace {

const char* const guest_path = SNARE_SECCOMP_GUEST;

void require_backend() { snare::test::require_host(snare::host_feature::seccomp_user_notif); }

struct counting_tool {
  using syscall_table = sys::all_types;
  long getppid_calls = 0;
  void on(sys::getppid, auto&) { ++getppid_calls; }
};

struct emulating_tool {
  using syscall_table = sys::all_types;
  snare::action on(sys::getppid, auto&) { return snare::suppress(4242); }
};

struct denying_tool {
  using syscall_table = sys::all_types;
  std::vector<std::string> denied;
  void on(sys::openat call, auto& g) {
    auto path = g.read_cstr(call.template arg<1>());
    if (path && path->rfind("/snare/", 0) == 0) {
      denied.push_back(*path);
      g.fail(EACCES);
    }
  }
};

struct fd_tool {
  using syscall_table = sys::all_types;
  int installed = -1;
  void on(sys::openat call, auto& g) {
    auto path = g.read_cstr(call.template arg<1>());
    if (!path || *path != "/snare/virtual") return;
    int fd = ::memfd_create("snare", MFD_CLOEXEC);
    const char text[] = "virtual file";
    (void)!::write(fd, text, sizeof text - 1);
    ::lseek(fd, 0, SEEK_SET);
    auto r = g.reply_fd(fd);
    ::close(fd);
    if (r) installed = *r;
  }
};

struct filling_tool {
  using syscall_table = sys::all_types;
  void on(sys::read call, auto& g) {
    if (call.template arg<0>() != 1000) return;
    const char text[] = "snare!";
    auto n = g.write_bytes(call.template arg<1>().address, std::as_bytes(std::span<const char>(text, 6)));
    if (n && *n == 6) g.suppress(6);
  }
};

struct lifecycle_tool {
  using syscall_table = sys::all_types;
  struct thread_state {
    long calls = 0;
  };
  struct process_state {
    long calls = 0;
  };
  struct global_state {
    long calls = 0;
  };
  std::set<pid_t> processes_started, threads_started, threads_exited;
  std::vector<int> exit_statuses;
  std::vector<long> per_thread_calls;
  int execs = 0;
  void on(sys::getppid, auto& g) {
    ++g.thread_state().calls;
    ++g.process_state().calls;
    g.global().call([](global_state& s) { ++s.calls; });
  }
  void on_process_start(auto& g) { processes_started.insert(g.pid()); }
  void on_thread_start(auto& g) { threads_started.insert(g.tid()); }
  void on_thread_exit(auto& g) {
    threads_exited.insert(g.tid());
    per_thread_calls.push_back(g.thread_state().calls);
  }
  void on_process_exit(int status, auto&) { exit_statuses.push_back(status); }
  void on_exec(auto&) { ++execs; }
};

struct killing_tool {
  using syscall_table = sys::all_types;
  std::errc read_after_kill{};
  int exits = 0;
  void on(sys::getppid call, auto& g) {
    (void)call;
    ::kill(g.pid(), SIGKILL);
    // Once the kernel has withdrawn the call, the guest's memory is out of reach.
    // (Any address will do: bad_address while the call is pending, then no_such_process.)
    std::byte b[8];
    auto r = g.read_bytes(0x400000, b);
    while (r || r.error() == std::errc::bad_address) r = g.read_bytes(0x400000, b);
    read_after_kill = r.error();
  }
  void on_process_exit(int, auto&) { ++exits; }
};

struct throwing_tool {
  using syscall_table = sys::all_types;
  void on(sys::getppid, auto&) { throw std::runtime_error("handler failed"); }
};

}  // namespace

TEST_CASE("a typed handler sees every subscribed call and the exit code passes through",
          "[seccomp][engine]") {
  require_backend();
  counting_tool t;
  CHECK(snare::run<seccomp_notify>(t, {guest_path, "getppid", "30"}) == 0);
  CHECK(t.getppid_calls == 30);
  counting_tool u;
  CHECK(snare::run<seccomp_notify>(u, {guest_path, "exit", "7"}) == 7);
  CHECK(u.getppid_calls == 0);
}

TEST_CASE("a command that cannot run gives 127", "[seccomp][engine]") {
  require_backend();
  counting_tool t;
  snare::run_options o;
  o.report_exec_failure = false;
  CHECK(snare::run<seccomp_notify>(t, {"/nonexistent/snare-command"}, o) == 127);
}

TEST_CASE("suppress and fail answer the call without running it", "[seccomp][engine]") {
  require_backend();
  emulating_tool e;
  CHECK(snare::run<seccomp_notify>(e, {guest_path, "getppid", "10", "4242"}) == 0);
  denying_tool d;
  CHECK(snare::run<seccomp_notify>(d, {guest_path, "open", "/snare/secret", "13"}) == 0);
  CHECK(d.denied == std::vector<std::string>{"/snare/secret"});
}

TEST_CASE("a handler fills guest memory and emulates the call", "[seccomp][engine]") {
  require_backend();
  filling_tool t;
  CHECK(snare::run<seccomp_notify>(t, {guest_path, "read-fill", "snare!"}) == 0);
}

TEST_CASE("a handler answers an open with an fd of its own", "[seccomp][engine]") {
  require_backend();
  fd_tool t;
  CHECK(snare::run<seccomp_notify>(t, {guest_path, "open-read", "/snare/virtual", "virtual file"}) == 0);
  CHECK(t.installed >= 3);
}

TEST_CASE("lifecycle handlers and state follow threads and processes", "[seccomp][engine]") {
  require_backend();
  SECTION("threads") {
    lifecycle_tool t;
    CHECK(snare::run<seccomp_notify>(t, {guest_path, "threads", "4", "5", "-1"}) == 1);  // real getppid != -1
    CHECK(t.processes_started.size() == 1);
    CHECK(t.threads_started.size() == 5);  // the main thread and four
    CHECK(t.threads_exited == t.threads_started);
    CHECK(std::count(t.per_thread_calls.begin(), t.per_thread_calls.end(), 5) == 4);
    REQUIRE(t.exit_statuses.size() == 1);
    CHECK(WEXITSTATUS(t.exit_statuses[0]) == 1);
  }
  SECTION("processes and exec") {
    lifecycle_tool t;
    CHECK(snare::run<seccomp_notify>(t, {guest_path, "exec", guest_path, "forks", "3", "2"}) == 0);
    CHECK(t.processes_started.size() == 4);
    CHECK(t.execs == 2);  // the spawn's execve and the guest's own
    std::vector<int> codes;
    for (int s : t.exit_statuses) codes.push_back(WEXITSTATUS(s));
    std::sort(codes.begin(), codes.end());
    CHECK(codes == std::vector<int>{0, 10, 11, 12});
  }
}

TEST_CASE("a guest killed while its call is pending ends the run with 128+9", "[seccomp][engine]") {
  require_backend();
  killing_tool t;
  CHECK(snare::run<seccomp_notify>(t, {guest_path, "sleep-getppid"}) == 128 + SIGKILL);
  CHECK(t.read_after_kill == std::errc::no_such_process);
  CHECK(t.exits == 1);
}

TEST_CASE("a handler's exception reaches the caller and the guest is killed", "[seccomp][engine]") {
  require_backend();
  throwing_tool t;
  CHECK_THROWS_WITH(snare::run<seccomp_notify>(t, {guest_path, "getppid", "5"}), "handler failed");
  // Nothing is left behind: no child of ours remains.
  CHECK(::waitpid(-1, nullptr, WNOHANG) == -1);
  CHECK(errno == ECHILD);
}
