// Tests of the in_guest backend end to end: the test tool (test_tool.hpp) preloaded into real
// programs and into guest.c, its handlers changing calls in the guest, its counts reaching the
// tracer through g.global().call, the tracer's refusals and exit statuses.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include <snare/backend/in_guest.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/host.hpp>
#include <snare/tracer.hpp>

#include "guests.hpp"
#include "skip.hpp"
#include "test_tool.hpp"

namespace {

using snare::test::in_guest_tool;
using tool_state = in_guest_tool::global_state;

snare::run_options options() {
  snare::run_options o;
  o.in_guest_object = SNARE_IG_TOOL;
  return o;
}

// Output and wait status of `argv` run natively (stdout captured, stderr inherited).
struct native_run {
  std::string out;
  int status = -1;
};
native_run run_natively(const std::vector<std::string>& argv) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> a;
    for (auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    ::execvp(a[0], a.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  native_run r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, &r.status, 0);
  return r;
}

snare::command command_of(const std::vector<std::string>& argv) {
  snare::command c(argv[0]);
  for (std::size_t i = 1; i < argv.size(); ++i) c.arg(argv[i]);
  return c;
}

// Runs argv under the tool on in_guest; returns the output, the status and the tool's totals.
struct traced_run {
  snare::run_output out;
  tool_state totals{};
};
traced_run run_in_guest(const std::vector<std::string>& argv, std::string mode = "") {
  in_guest_tool t;
  t.mode = std::move(mode);
  snare::tracer<snare::backend::in_guest, in_guest_tool> tr(t, options());
  traced_run r;
  r.out = tr.output(command_of(argv));
  r.totals = tr.global_state();
  return r;
}

void require_sud() { snare::test::require_host(snare::host_feature::syscall_user_dispatch); }

// Checks that argv prints the same and ends the same way under the tool as natively.
void same_as_native(const std::vector<std::string>& argv) {
  require_sud();
  auto native = run_natively(argv);
  auto traced = run_in_guest(argv);
  CHECK(traced.out.out == native.out);
  CHECK(traced.out.status.wait_status() == snare::exit_status::from_wait_status(native.status).wait_status());
  CHECK(traced.totals.total > 0);  // the tool really ran in the guest and reached the tracer
}

}  // namespace

TEST_CASE("in_guest: ls prints the same as natively") { same_as_native({"ls", "-la", "/usr/include/linux"}); }

TEST_CASE("in_guest: an sh pipeline prints the same as natively") {
  same_as_native({"sh", "-c", "ls /usr/bin | sort -r | head -20 | wc -c; echo done"});
}

TEST_CASE("in_guest: python3 prints the same as natively") {
  same_as_native(
      {"python3", "-c", "import json,os; print(json.dumps(sorted(os.listdir('/usr/include/linux'))[:20]))"});
}

TEST_CASE("in_guest: git prints the same as natively") {
  if (::access("/usr/bin/git", X_OK) != 0) snare::test::skip("git is not installed");
  same_as_native({"git", "--version"});
  same_as_native({"git", "-C", "/tmp", "init", "-q", "--bare", "/tmp/snare-ig-git-test.git"});
}

TEST_CASE("in_guest: python3 with threads and a subprocess prints the same as natively") {
  same_as_native(
      {"python3", "-c",
       "import threading, subprocess\n"
       "out = []\n"
       "ts = [threading.Thread(target=lambda i=i: out.append(sum(range(i * 1000)))) for i in range(4)]\n"
       "[t.start() for t in ts]; [t.join() for t in ts]\n"
       "print(sorted(out))\n"
       "print(subprocess.run(['sh', '-c', 'echo child; exit 3']).returncode)\n"});
}

TEST_CASE("in_guest: an exec whose environment drops everything keeps the tool and its channel") {
  require_sud();
  // env -i execs the guest with no LD_PRELOAD: the runtime puts it back, and the object finds
  // the run's channel from the path it was loaded by.
  auto r = run_in_guest({"env", "-i", SNARE_IG_BACKEND_GUEST, "getppid", "5"}, "suppress");
  CHECK(r.out.out.starts_with("getppid=4242 "));
  CHECK(r.totals.counts[SYS_getppid] == 5);
  CHECK(r.out.code == 0);
}

TEST_CASE("in_guest: a vfork child (posix_spawn) leaves its parent's states as they were") {
  require_sud();
  auto r = run_in_guest({SNARE_IG_BACKEND_GUEST, "spawn"}, "pidcheck");
  CHECK(r.out.code == 0);
  CHECK(r.totals.counts[SYS_getppid] == 10);
  CHECK(r.totals.state_mixups == 0);
  CHECK(r.totals.counts[SYS_execve] >= 3);  // the children's (posix_spawnp tries each PATH entry)
}

TEST_CASE("in_guest: handlers that allocate use the object's heap (python3 mallocs constantly)") {
  require_sud();
  std::vector<std::string> argv{"python3", "-c", "print(len([str(i) * 3 for i in range(20000)]))"};
  auto native = run_natively(argv);
  auto traced = run_in_guest(argv, "alloc");
  CHECK(traced.out.out == native.out);
  CHECK(traced.out.code == 0);
  CHECK(traced.totals.allocated > 0);
}

TEST_CASE("in_guest: exit statuses are the root's, a death by a signal stays one") {
  require_sud();
  CHECK(run_in_guest({"sh", "-c", "exit 3"}).out.code == 3);
  auto killed = run_in_guest({SNARE_IG_BACKEND_GUEST, "selfkill"});
  CHECK(killed.out.status.is_killed());
  CHECK(killed.out.status.signal() == SIGTERM);
  CHECK(killed.out.code == 128 + SIGTERM);
  // The root's death by a signal is told by the tracer (the guest could not).
  CHECK(killed.totals.killed_processes == 1);
  CHECK(killed.totals.last_kill_signal == SIGTERM);
}

TEST_CASE("in_guest: a child killed by a signal is told from the tracer's side") {
  require_sud();
  auto r = run_in_guest({SNARE_IG_BACKEND_GUEST, "killchild"});
  CHECK(r.out.code == 5);
  CHECK(r.totals.killed_processes == 1);
  CHECK(r.totals.last_kill_signal == SIGKILL);
  CHECK(r.totals.exited_processes == 1);  // the root told its own exit_group
}

TEST_CASE("in_guest: suppress, inject, tail_inject and exit handlers change what the guest sees") {
  require_sud();
  auto suppressed = run_in_guest({SNARE_IG_BACKEND_GUEST, "getppid", "3"}, "suppress");
  CHECK(suppressed.out.out.starts_with("getppid=4242 "));
  for (const char* mode : {"inject", "tail"}) {
    auto r = run_in_guest({SNARE_IG_BACKEND_GUEST, "getppid", "3"}, mode);
    // getppid answered by getpid: "getppid=<pid> pid=<pid>"
    auto& o = r.out.out;
    auto a = o.substr(8, o.find(' ') - 8), b = o.substr(o.find("pid=", 8) + 4);
    CHECK(a + "\n" == b);
  }
  auto exit = run_in_guest({SNARE_IG_BACKEND_GUEST, "getppid", "3"}, "exit");
  CHECK(exit.out.out.starts_with("getppid=77 "));
}

TEST_CASE("in_guest: arguments changed by a handler are the call's") {
  require_sud();
  auto r = run_in_guest({SNARE_IG_BACKEND_GUEST, "write"}, "modify");
  CHECK(r.out.out.starts_with("hewrote=2 bad=14"));  // "hello\n" cut to "he"; EFAULT = 14
}

TEST_CASE("in_guest: memory reads of the guest's own address space, a bad pointer an error") {
  require_sud();
  auto r = run_in_guest({SNARE_IG_BACKEND_GUEST, "write"}, "read");
  CHECK(r.out.out == "hello\nwrote=6 bad=14\n");
  CHECK(r.totals.bad_read_error == EFAULT);
  CHECK(r.totals.good_read_bytes >= 6);
}

TEST_CASE("in_guest: counts through global().call match the ptrace backend's") {
  require_sud();
  snare::test::require_host(snare::host_feature::ptrace);
  const std::vector<std::string> argv{SNARE_IG_BACKEND_GUEST, "tree"};
  auto ig = run_in_guest(argv);
  in_guest_tool t;
  snare::tracer<snare::backend::ptrace, in_guest_tool> pt(t);
  REQUIRE(pt.run(argv) == 0);
  const tool_state& p = pt.global_state();
  REQUIRE(ig.out.code == 0);
  // Every call after the object's constructor is seen: the 300 getppid of the child and the
  // two threads, the clones, the waits, exactly as ptrace sees them. (set_robust_list and
  // rseq differ: the main thread's are made by the loader and libc before the constructor.)
  for (long nr : {SYS_getppid, SYS_clone3, SYS_clone, SYS_wait4, SYS_exit, SYS_exit_group}) {
    INFO("syscall " << nr);
    CHECK(ig.totals.counts[nr] == p.counts[nr]);
  }
  CHECK(ig.totals.counts[SYS_getppid] == 300);
  CHECK(ig.totals.by_number[SYS_getppid] == 300);  // a std::map filled by the object's thunks
  for (auto& [nr, n] : ig.totals.by_number) CHECK(ig.totals.counts[nr] == n);
  // The calls before the constructor (the execve, the dynamic loader's opening and mapping
  // of the libraries) are ptrace's alone; the loader maps one more object under in_guest.
  CHECK(ig.totals.total < p.total);
  CHECK(p.counts[SYS_execve] == 1);
  CHECK(ig.totals.counts[SYS_execve] == 0);
  CHECK(ig.totals.counts[SYS_set_robust_list] + 1 == p.counts[SYS_set_robust_list]);
}

TEST_CASE("in_guest: refusals: a static executable, a missing object") {
  require_sud();
  in_guest_tool t;
  auto status =
      snare::run<snare::backend::in_guest>(t, {snare::test::static_guest_path("write").c_str()}, options());
  CHECK(status == 127);
  snare::run_options o;
  o.in_guest_object = "/nonexistent/tool.so";
  CHECK(snare::run<snare::backend::in_guest>(t, {"true"}, o) == 127);
  CHECK(snare::run<snare::backend::in_guest>(t, {"/nonexistent/program"}, options()) == 127);
}

namespace {
// Says whether /dev/shm holds a run directory of the tracer `pid` (channel_server::run_prefix).
bool run_directory_of(pid_t pid) {
  const std::string prefix = "snare-in-guest-" + std::to_string(pid) + "-";
  DIR* d = ::opendir("/dev/shm");
  if (d == nullptr) return false;
  bool found = false;
  while (const dirent* e = ::readdir(d)) found = found || std::string(e->d_name).rfind(prefix, 0) == 0;
  ::closedir(d);
  return found;
}
}  // namespace

TEST_CASE("in_guest: the /dev/shm directory of a tracer killed by SIGKILL is removed by the next run") {
  require_sud();
  const pid_t tracer = ::fork();
  REQUIRE(tracer >= 0);
  if (tracer == 0) {
    in_guest_tool t;
    ::_exit(snare::run<snare::backend::in_guest>(t, {"sleep", "0.5"}, options()));
  }
  for (int i = 0; i < 500 && !run_directory_of(tracer); ++i) ::usleep(10'000);
  REQUIRE(run_directory_of(tracer));
  ::kill(tracer, SIGKILL);  // no close(): its directory stays behind (the guest, orphaned, ends alone)
  int status = 0;
  REQUIRE(::waitpid(tracer, &status, 0) == tracer);
  REQUIRE(WIFSIGNALED(status));
  CHECK(run_directory_of(tracer));
  in_guest_tool t;
  REQUIRE(snare::run<snare::backend::in_guest>(t, {"true"}, options()) == 0);
  CHECK_FALSE(run_directory_of(tracer));
}

TEST_CASE("in_guest: without follow_forks a vfork child runs untraced and its parent stays traced") {
  require_sud();
  in_guest_tool t;
  snare::run_options o = options();
  o.follow_forks = false;
  snare::tracer<snare::backend::in_guest, in_guest_tool> tr(t, o);
  // The vfork guest: the child execs the guest again ("child", exit 4), the parent waits for it
  // and exits 5. The child shares its parent's memory until its exec.
  REQUIRE(tr.run(std::vector<std::string>{snare::test::guest_path("vfork")}) == 5);
  const auto& s = tr.global_state();
  CHECK(s.counts[SYS_vfork] == 1);
  CHECK(s.counts[SYS_wait4] == 1);       // the parent's, after the child's exec: still traced
  CHECK(s.counts[SYS_exit_group] == 1);  // the parent's; the exec'd child's image runs natively
  CHECK(s.counts[SYS_execve] == 0);      // the child's exec, untraced
}
