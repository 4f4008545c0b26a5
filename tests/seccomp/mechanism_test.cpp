// Tests the seccomp-notify mechanism under snare's backend: spawning with the listener,
// answering (continue, value, errno, fd), guest memory with ID_VALID checks, the lifecycle
// events derived from trapped syscalls, and guests or supervisors that die mid-call.
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <snare/backend/seccomp_notify/detail/session.hpp>
#include <snare/memory.hpp>

#include "filter.hpp"
#include "skip.hpp"

namespace sc = snare::detail::seccomp;

namespace {

const char* const guest_path = SNARE_SECCOMP_GUEST;

// Starts the guest program with `args` and the given subscription; skips when the machine
// cannot (no seccomp user notification).
sc::session start(std::vector<const char*> args, std::vector<long> numbers, bool sync_wakeup = true) {
  snare::test::require_host(snare::host_feature::seccomp_user_notif);
  args.insert(args.begin(), guest_path);
  auto program = snare::test::notify_filter(numbers);
  auto g = sc::spawn_guest(args, program);
  REQUIRE(g.has_value());
  return sc::session(std::move(*g), {sync_wakeup});
}

using answer_fn = std::function<void(sc::session&, const sc::notification&)>;

// Serves the session until guest_exit, answering each syscall with `answer` (CONTINUE when
// empty); returns every event in order.
std::vector<sc::event> drive(sc::session& s, const answer_fn& answer = {}) {
  std::vector<sc::event> events;
  while (true) {
    auto e = s.next();
    REQUIRE(e.has_value());
    events.push_back(*e);
    if (e->kind == sc::event_kind::syscall) {
      if (answer)
        answer(s, e->notif);
      else
        (void)s.respond_continue(e->notif);
    }
    if (e->kind == sc::event_kind::guest_exit) return events;
  }
}

long count(const std::vector<sc::event>& ev, sc::event_kind k, long nr = -1) {
  return std::count_if(ev.begin(), ev.end(), [&](const sc::event& e) {
    return e.kind == k && (nr < 0 || e.notif.call.number == nr);
  });
}

int exit_status(const std::vector<sc::event>& ev) {
  REQUIRE(ev.back().kind == sc::event_kind::guest_exit);
  REQUIRE(ev.back().status_known);
  return ev.back().status;
}

}  // namespace

TEST_CASE("a guest that makes no subscribed call runs to its exit code", "[seccomp][spawn]") {
  auto s = start({"exit", "3"}, {SYS_getppid});
  auto ev = drive(s);
  CHECK(WIFEXITED(exit_status(ev)));
  CHECK(WEXITSTATUS(exit_status(ev)) == 3);
  CHECK(count(ev, sc::event_kind::syscall) == 0);
  CHECK(ev.front().kind == sc::event_kind::task_start);
  CHECK(ev.front().tid == s.pid());
}

TEST_CASE("a command that cannot be found fails its execve in the guest and says so", "[seccomp][spawn]") {
  std::vector<long> nrs{SYS_execve};
  auto program = snare::test::notify_filter(nrs);
  const char* argv[] = {"/nonexistent/snare-command", nullptr};
  auto g = sc::spawn_guest(argv, program);
  REQUIRE(g.has_value());
  sc::session s(std::move(*g));
  auto ev = drive(s);
  CHECK(count(ev, sc::event_kind::syscall, SYS_execve) == 1);  // the attempt is seen
  CHECK(count(ev, sc::event_kind::exec) == 0);
  CHECK(WEXITSTATUS(exit_status(ev)) == 127);
  CHECK(s.exec_error() == ENOENT);
}

TEST_CASE("trapped calls are seen with their thread and can be answered", "[seccomp][answer]") {
  SECTION("continue runs the real call") {
    auto s = start({"getppid", "50"}, {SYS_getppid});
    auto ev = drive(s);
    CHECK(count(ev, sc::event_kind::syscall, SYS_getppid) == 50);
    CHECK(exit_status(ev) == 0);
    for (auto& e : ev)
      if (e.kind == sc::event_kind::syscall) CHECK(e.tid == s.pid());
  }
  SECTION("a value replaces the call") {
    auto s = start({"getppid", "20", "4242"}, {SYS_getppid});
    auto ev =
        drive(s, [](sc::session& ss, const sc::notification& n) { REQUIRE(ss.respond_value(n, 4242)); });
    CHECK(exit_status(ev) == 0);
  }
  SECTION("an errno fails the call") {
    auto s = start({"getppid-errno", "13"}, {SYS_getppid});
    auto ev =
        drive(s, [](sc::session& ss, const sc::notification& n) { REQUIRE(ss.respond_error(n, EACCES)); });
    CHECK(exit_status(ev) == 0);
  }
}

TEST_CASE("sync wake-up is in effect where the kernel has it", "[seccomp][wakeup]") {
  snare::test::require_host(snare::host_feature::notif_sync_wake_up);
  auto s = start({"exit", "0"}, {SYS_getppid}, true);
  CHECK(s.sync_wakeup());
  drive(s);
  auto off = start({"exit", "0"}, {SYS_getppid}, false);
  CHECK_FALSE(off.sync_wakeup());
  drive(off);
}

TEST_CASE("guest memory reads and writes go through the pending notification", "[seccomp][memory]") {
  SECTION("a path argument reads back") {
    auto s = start({"open", "/snare/no/such/path", "2"}, {SYS_openat});
    std::string seen;
    auto ev = drive(s, [&](sc::session& ss, const sc::notification& n) {
      auto m = ss.memory(n);
      auto path = snare::read_cstr(m, snare::guest_cstr{n.call.args[1]});
      if (path && path->rfind("/snare/", 0) == 0) seen = *path;
      (void)ss.respond_continue(n);
    });
    CHECK(seen == "/snare/no/such/path");
    CHECK(exit_status(ev) == 0);
  }
  SECTION("a buffer argument is filled and the call emulated") {
    auto s = start({"read-fill", "snare!"}, {SYS_read});
    auto ev = drive(s, [](sc::session& ss, const sc::notification& n) {
      if (n.call.args[0] != 1000) return (void)ss.respond_continue(n);
      auto m = ss.memory(n);
      const char text[] = "snare!";
      auto w = m.write_bytes(n.call.args[1], std::as_bytes(std::span<const char>(text, 6)));
      REQUIRE(w.has_value());
      CHECK(*w == 6);
      REQUIRE(ss.respond_value(n, 6));
    });
    CHECK(exit_status(ev) == 0);
  }
  SECTION("a bad address is an error, not a crash") {
    auto s = start({"open", "/snare/x", "2"}, {SYS_openat});
    bool checked = false;
    auto ev = drive(s, [&](sc::session& ss, const sc::notification& n) {
      auto m = ss.memory(n);
      std::byte b[8];
      auto r = m.read_bytes(0, b);
      CHECK(r.error() == std::errc::bad_address);
      auto w = m.write_bytes(8, std::as_bytes(std::span<const std::byte>(b, 8)));
      CHECK(w.error() == std::errc::bad_address);
      checked = true;
      (void)ss.respond_continue(n);
    });
    CHECK(checked);
    CHECK(exit_status(ev) == 0);
  }
}

TEST_CASE("an fd installed by the supervisor answers the guest's open", "[seccomp][addfd]") {
  auto s = start({"open-read", "/snare/virtual", "from the supervisor"}, {SYS_openat});
  auto ev = drive(s, [](sc::session& ss, const sc::notification& n) {
    auto path = snare::read_cstr(*std::make_unique<sc::notif_memory>(ss.memory(n)),
                                 snare::guest_cstr{n.call.args[1]});
    if (!path || *path != "/snare/virtual") return (void)ss.respond_continue(n);
    int fd = ::memfd_create("snare-virtual", MFD_CLOEXEC);
    REQUIRE(fd >= 0);
    const char text[] = "from the supervisor";
    REQUIRE(::write(fd, text, sizeof text - 1) == static_cast<long>(sizeof text - 1));
    ::lseek(fd, 0, SEEK_SET);
    auto r = ss.respond_with_fd(n, fd, true);
    ::close(fd);
    REQUIRE(r.has_value());
    CHECK(*r >= 3);
  });
  CHECK(exit_status(ev) == 0);
}

TEST_CASE("threads are seen starting and ending, each answered on its own", "[seccomp][threads]") {
  std::vector<long> nrs{SYS_getppid};
  SECTION("exits seen from thread pidfds") {}
  SECTION("exits seen from the trapped exit calls") { nrs.push_back(SYS_exit); }
  auto s = start({"threads", "8", "25", "777"}, nrs);
  std::vector<pid_t> tids;
  auto ev = drive(s, [&](sc::session& ss, const sc::notification& n) {
    if (n.call.number == SYS_getppid) {
      tids.push_back(n.tid);
      REQUIRE(ss.respond_value(n, 777));
    } else {
      (void)ss.respond_continue(n);
    }
  });
  CHECK(exit_status(ev) == 0);
  std::sort(tids.begin(), tids.end());
  tids.erase(std::unique(tids.begin(), tids.end()), tids.end());
  CHECK(tids.size() == 8);
  long thread_starts = std::count_if(
      ev.begin(), ev.end(), [](auto& e) { return e.kind == sc::event_kind::task_start && e.is_thread; });
  long thread_exits = std::count_if(
      ev.begin(), ev.end(), [](auto& e) { return e.kind == sc::event_kind::task_exit && e.is_thread; });
  CHECK(thread_starts == 8);
  CHECK(thread_exits == 8);
  for (auto& e : ev)
    if (e.kind == sc::event_kind::task_start && e.is_thread) CHECK(e.tgid == s.pid());
}

TEST_CASE("a thread's end is told while the rest of its process is parked in a call", "[seccomp][threads]") {
  snare::test::require_host(snare::host_feature::pidfd_thread);
  auto s = start({"thread-then-getppid"}, {SYS_getppid});
  pid_t thread = 0;
  int main_calls = 0;
  bool thread_exit_seen = false;
  bool exit_seen_while_parked = false;
  while (true) {
    auto e = s.next();
    REQUIRE(e.has_value());
    if (e->kind == sc::event_kind::task_start && e->is_thread) thread = e->tid;
    if (e->kind == sc::event_kind::task_exit && e->tid == thread) thread_exit_seen = true;
    if (e->kind == sc::event_kind::syscall) {
      if (e->tid == s.pid() && ++main_calls == 2) {
        // The main thread has joined the thread and is parked here. Without thread pidfds its
        // end could only be told at the process's end; with them it is told by now, or is
        // the only event that can still come (nothing traps the thread's exit).
        REQUIRE(thread != 0);
        if (!thread_exit_seen) {
          auto x = s.next();
          REQUIRE(x.has_value());
          thread_exit_seen = x->kind == sc::event_kind::task_exit && x->tid == thread;
        }
        exit_seen_while_parked = thread_exit_seen;
      }
      (void)s.respond_continue(e->notif);
    }
    if (e->kind == sc::event_kind::guest_exit) {
      CHECK(e->status == 0);
      break;
    }
  }
  CHECK(exit_seen_while_parked);
}

TEST_CASE("child processes are seen with their parent and exit status", "[seccomp][processes]") {
  auto s = start({"forks", "4", "10"}, {SYS_getppid, SYS_exit_group});
  auto ev = drive(s);
  CHECK(exit_status(ev) == 0);
  std::vector<int> codes;
  for (auto& e : ev) {
    if (e.kind == sc::event_kind::task_start && !e.is_thread && e.tid != s.pid()) CHECK(e.parent == s.pid());
    if (e.kind == sc::event_kind::task_exit && !e.is_thread && e.tid != s.pid()) {
      REQUIRE(e.status_known);
      codes.push_back(WEXITSTATUS(e.status));
    }
  }
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<int>{10, 11, 12, 13});
  CHECK(count(ev, sc::event_kind::syscall, SYS_getppid) == 40);
}

TEST_CASE("exec is reported after an execve succeeds and not after one fails", "[seccomp][exec]") {
  SECTION("success") {
    auto s = start({"exec", guest_path, "getppid", "1"}, {SYS_execve, SYS_getppid});
    auto ev = drive(s);
    CHECK(exit_status(ev) == 0);
    // The spawn's own execve and the guest's: two successful images after the first.
    CHECK(count(ev, sc::event_kind::syscall, SYS_execve) == 2);
    CHECK(count(ev, sc::event_kind::exec) == 2);
    auto exec_at = std::find_if(ev.begin(), ev.end(), [](auto& e) { return e.kind == sc::event_kind::exec; });
    auto first_getppid = std::find_if(ev.begin(), ev.end(), [](auto& e) {
      return e.kind == sc::event_kind::syscall && e.notif.call.number == SYS_getppid;
    });
    CHECK(exec_at < first_getppid);
  }
  SECTION("failure") {
    auto s = start({"exec-fail-then"}, {SYS_execve, SYS_getppid});
    auto ev = drive(s);
    CHECK(exit_status(ev) == 0);
    CHECK(count(ev, sc::event_kind::syscall, SYS_execve) == 2);
    CHECK(count(ev, sc::event_kind::exec) == 1);  // the spawn's execve only
  }
}

TEST_CASE("a guest killed while its call is pending ends the run cleanly", "[seccomp][death]") {
  auto s = start({"sleep-getppid"}, {SYS_getppid});
  std::vector<sc::event> ev;
  while (true) {
    auto e = s.next();
    REQUIRE(e.has_value());
    ev.push_back(*e);
    if (e->kind == sc::event_kind::syscall) {
      ::kill(s.pid(), SIGKILL);
      // Wait until the kernel has dropped the notification, without a clock.
      while (sc::notif_id_valid(s.listener(), e->notif.id)) ::sched_yield();
      std::byte b[8];
      CHECK(s.memory(e->notif).read_bytes(e->notif.ip, b).error() == std::errc::no_such_process);
      CHECK(s.respond_continue(e->notif).error() == std::errc::no_such_process);
    }
    if (e->kind == sc::event_kind::guest_exit) break;
  }
  CHECK(WIFSIGNALED(exit_status(ev)));
  CHECK(WTERMSIG(exit_status(ev)) == SIGKILL);
}

TEST_CASE("a supervisor that dies leaves the guest's pending call failing, not hanging", "[seccomp][death]") {
  int report[2];
  REQUIRE(::pipe(report) == 0);
  pid_t supervisor = ::fork();
  REQUIRE(supervisor >= 0);
  if (supervisor == 0) {
    // The supervisor: start the guest, take its first getppid, and die without answering.
    ::close(report[0]);
    std::string fd = std::to_string(report[1]);
    const char* argv[] = {guest_path, "report-getppid", fd.c_str(), nullptr};
    std::vector<long> nrs{SYS_getppid};
    auto program = snare::test::notify_filter(nrs);
    auto g = sc::spawn_guest(argv, program);
    if (!g) ::_exit(2);
    sc::session s(std::move(*g));
    while (true) {
      auto e = s.next();
      if (!e) ::_exit(3);
      if (e->kind == sc::event_kind::syscall) ::_exit(0);
    }
  }
  ::close(report[1]);
  int st = 0;
  REQUIRE(::waitpid(supervisor, &st, 0) == supervisor);
  REQUIRE(WIFEXITED(st));
  REQUIRE(WEXITSTATUS(st) == 0);
  // The guest (now an orphan) writes its getppid result; EOF would mean it never did.
  pollfd p{report[0], POLLIN, 0};
  REQUIRE(::poll(&p, 1, 60'000) == 1);
  char line[64] = {};
  auto n = ::read(report[0], line, sizeof line - 1);
  ::close(report[0]);
  REQUIRE(n > 0);
  CHECK(std::string(line) == "-1 " + std::to_string(ENOSYS) + "\n");
}
