// Tests of the in-guest runtime: real programs (ls, sh pipelines, python3 with threads) and a C
// guest (threads, fork, vfork + exec, posix_spawn, signals, its own SIGSYS and seccomp filter)
// run under the test preload (tests/in_guest/preload.cpp, built on the runtime alone) with the
// same stdout and exit status as natively, every call counted in every thread and process,
// and a rewritten result seen by the guest.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "skip.hpp"

namespace {

/// One line of the preload's report (preload.cpp): a process at its exit or exec.
struct report_line {
  long pid = 0;
  std::string why;
  long total = 0, tids = 0, thread_starts = 0, process_starts = 0, getppid = 0, rewriting = 0;
  long traps = 0, rewritten_calls = 0, sites = 0, nested = 0, getuid = 0;
  std::string why_not;  // why the runtime does not rewrite sites ("" when it does)
};

struct run_result {
  int status = -1;
  long pid = 0;
  std::string out;
  std::vector<report_line> lines;
  /// The last line of process `pid` (its exit, or its last exec).
  const report_line* last(long pid_) const {
    const report_line* r = nullptr;
    for (auto& l : lines) {
      if (l.pid == pid_) r = &l;
    }
    return r;
  }
};

std::vector<report_line> parse(const std::string& path) {
  std::vector<report_line> v;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    report_line r;
    char why[16] = {};
    int tail = 0;
    if (std::sscanf(line.c_str(),
                    "pid=%ld why=%15s total=%ld tids=%ld starts=%ld/%ld getppid=%ld rewriting=%ld traps=%ld "
                    "rewritten_calls=%ld sites=%ld nested=%ld getuid=%ld why_not=%n",
                    &r.pid, why, &r.total, &r.tids, &r.thread_starts, &r.process_starts, &r.getppid,
                    &r.rewriting, &r.traps, &r.rewritten_calls, &r.sites, &r.nested, &r.getuid,
                    &tail) == 13 &&
        tail > 0) {
      r.why = why;
      r.why_not = line.substr(static_cast<std::size_t>(tail));
      v.push_back(r);
    }
  }
  return v;
}

/// Runs `args` (args[0] searched in PATH) with `env` added, under the test preload or natively;
/// returns its wait status, its stdout and (under the preload) the report lines.
run_result run(const std::vector<std::string>& args, bool preload,
               const std::vector<std::pair<std::string, std::string>>& env = {}) {
  char dir[] = "/tmp/snare_ig_XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::string counts = std::string(dir) + "/counts";
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    ::setenv("LC_ALL", "C", 1);
    for (auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    if (preload) {
      ::setenv("LD_PRELOAD", SNARE_IG_PRELOAD, 1);
      ::setenv("SNARE_IG_COUNTS", counts.c_str(), 1);
    }
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    ::execvp(argv[0], const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  ::close(fds[1]);
  run_result r;
  r.pid = pid;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  while (::waitpid(pid, &r.status, 0) != pid) {
    if (errno != EINTR) break;
  }
  r.lines = parse(counts);
  ::unlink(counts.c_str());
  ::rmdir(dir);
  return r;
}

void require_sud() { snare::test::require_host(snare::host_feature::syscall_user_dispatch); }

/// Runs `args` natively and under the preload, SUD only and with rewriting (where the host
/// allows it); checks the same stdout and status and that the first process reported; returns
/// the run with rewriting. `reports`: false for a guest killed by a signal (no exit to report).
run_result same_as_native(const std::vector<std::string>& args, bool reports = true) {
  run_result native = run(args, false);
  run_result sud_only = run(args, true, {{"SNARE_IG_REWRITE", "0"}});
  run_result traced = run(args, true);
  for (const run_result* r : {&sud_only, &traced}) {
    INFO("native stdout:\n"
         << native.out << "\ntraced stdout (" << (r == &traced ? "rewriting" : "SUD only") << "):\n"
         << r->out);
    CHECK(r->out == native.out);
    CHECK(r->status == native.status);
    if (!reports) continue;
    REQUIRE(r->last(r->pid) != nullptr);
    CHECK(r->last(r->pid)->total > 0);
  }
  if (reports) CHECK(sud_only.last(sud_only.pid)->rewritten_calls == 0);
  return traced;
}

/// Skips the test case unless the runtime rewrites sites here (it maps page 0 when the host
/// allows), with the runtime's own reason.
void require_rewriting() {
  require_sud();
  auto r = run({SNARE_IG_GUEST, "getppid"}, true);
  REQUIRE(r.last(r.pid) != nullptr);
  if (r.last(r.pid)->rewriting == 0) {
    std::string why = "the runtime does not rewrite sites here: " + r.last(r.pid)->why_not;
    snare::test::skip(why.c_str());
  }
}

std::vector<std::string> guest(const char* mode) { return {SNARE_IG_GUEST, mode}; }

}  // namespace

TEST_CASE("in_guest runtime: ls -la / runs as natively, its calls counted", "[in_guest]") {
  require_sud();
  // No times in the listing (/tmp's and /dev's change while the suite runs), nor the lines of
  // /proc (its link count is the number of processes) and /tmp (its size grows with it).
  auto r = same_as_native({"sh", "-c", "ls -la --time-style=+ / | grep -v -e ' proc$' -e ' tmp$'"});
  CHECK(r.out.find(" usr\n") != std::string::npos);
  bool ls_seen = false;
  for (auto& l : r.lines) ls_seen = ls_seen || (l.pid != r.pid && l.why == "exit" && l.total > 20);
  CHECK(ls_seen);
}

TEST_CASE("in_guest runtime: a sh pipeline runs as natively, every process counted", "[in_guest]") {
  require_sud();
  auto r = same_as_native({"sh", "-c", "echo a | cat | wc -c; exit 7"});
  CHECK(WEXITSTATUS(r.status) == 7);
  std::map<long, std::vector<std::string>> by_pid;
  for (auto& l : r.lines) by_pid[l.pid].push_back(l.why);
  CHECK(by_pid.size() >= 3);  // sh and the two children that exec cat and wc
  int execed_and_exited = 0;
  for (auto& [pid, whys] : by_pid) {
    if (whys.size() >= 2 && whys.front() == "exec" && whys.back() == "exit") ++execed_and_exited;
  }
  CHECK(execed_and_exited >= 2);  // the new images loaded the runtime again
}

TEST_CASE("in_guest runtime: python3 with threads runs as natively, every thread counted", "[in_guest]") {
  require_sud();
  auto r = same_as_native({"python3", "-c",
                           "import threading, os\n"
                           "def f(): os.getppid()\n"
                           "ts = [threading.Thread(target=f) for _ in range(4)]\n"
                           "[t.start() for t in ts]; [t.join() for t in ts]\n"
                           "print('done', len(ts))\n"});
  auto* l = r.last(r.pid);
  CHECK(l->why == "exit");
  CHECK(l->tids >= 5);
  CHECK(l->thread_starts >= 4);
  CHECK(l->getppid >= 4);
}

TEST_CASE("in_guest runtime: git (init, add, commit, log) runs as natively", "[in_guest]") {
  require_sud();
  if (run({"sh", "-c", "command -v git"}, false).status != 0) snare::test::skip("git is not installed");
  auto r = same_as_native({"sh", "-c",
                           "d=$(mktemp -d) && cd \"$d\" && git init -q && echo x > f && git add f && "
                           "git -c user.name=a -c user.email=a@b commit -qm message && git log --format=%s; "
                           "s=$?; rm -rf \"$d\"; exit $s"});
  CHECK(r.out == "message\n");
  std::map<long, int> pids;
  for (auto& l : r.lines) ++pids[l.pid];
  CHECK(pids.size() >= 6);  // sh, mktemp, git x4 (and git's own helpers)
}

TEST_CASE("in_guest runtime: pthread_create x4, every thread starts intercepted", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("threads"));
  auto* l = r.last(r.pid);
  CHECK(l->tids == 5);
  CHECK(l->thread_starts == 4);
  CHECK(l->getppid == 12);  // 3 in each thread
}

TEST_CASE("in_guest runtime: fork, the child intercepted", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("fork"));
  REQUIRE(r.lines.size() == 2);
  const report_line& child = r.lines[0].pid == r.pid ? r.lines[1] : r.lines[0];
  CHECK(child.process_starts == 1);
  CHECK(child.getppid == 1);
  CHECK(child.why == "exit");
}

TEST_CASE("in_guest runtime: vfork + execve with LD_PRELOAD dropped, the new image intercepted",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("vfork_exec"));
  bool found = false;
  for (auto& l : r.lines) {
    if (l.pid != r.pid && l.why == "exit") found = true;  // /bin/true's own exit, after the exec
  }
  CHECK(found);
}

TEST_CASE("in_guest runtime: posix_spawn (vfork on a new stack), the child intercepted", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("spawn"));
  bool execed = false, exited = false;
  for (auto& l : r.lines) {
    if (l.pid == r.pid) continue;
    execed = execed || l.why == "exec";
    exited = exited || l.why == "exit";
  }
  CHECK(execed);
  CHECK(exited);
}

TEST_CASE("in_guest runtime: a handler interrupting a call makes intercepted calls, SA_RESTART",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("signals"));
  CHECK(r.out.find("SA_RESTART 1: read returned 1") != std::string::npos);
  CHECK(r.out.find("SA_RESTART 0: read returned -1") != std::string::npos);
  CHECK(r.last(r.pid)->getppid == 14);  // 7 in each of the two handler runs
}

TEST_CASE("in_guest runtime: a guest handler interrupting a hook runs with interception on", "[in_guest]") {
  require_sud();
  for (const char* rewrite : {"0", "1"}) {
    auto r = run(guest("signal_in_hook"), true,
                 {{"SNARE_IG_ALARM_IN_GETPID", "1"}, {"SNARE_IG_REWRITE", rewrite}});
    INFO("rewrite " << rewrite);
    CHECK(r.out == "handled\n");
    REQUIRE(r.last(r.pid) != nullptr);
    CHECK(r.last(r.pid)->nested >= 7);  // the handler's getppid calls, seen inside the getpid hook
    CHECK(r.last(r.pid)->getppid >= 7);
  }
}

TEST_CASE("in_guest runtime: the guest's own SIGSYS handler, mask and seccomp trap as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("own_sigsys"));
  CHECK(r.out.find("getuid under a trapping filter: 777, si_code 1") != std::string::npos);
  CHECK(r.out.find("raised while blocked: si_code -1") != std::string::npos);  // pending, not run
  CHECK(r.out.find("after unblock: 0, the pending one: si_code -6") != std::string::npos);
}

TEST_CASE("in_guest runtime: a result rewritten by the exit hook is what the guest sees", "[in_guest]") {
  require_sud();
  auto r = run(guest("getppid"), true, {{"SNARE_IG_GETPPID", "4242"}});
  CHECK(r.out == "4242\n");
  CHECK(WIFEXITED(r.status));
  auto sh = run({"sh", "-c", "echo $PPID"}, true, {{"SNARE_IG_GETPPID", "4242"}});
  CHECK(sh.out == "4242\n");
}

TEST_CASE("in_guest runtime: a rewritten site costs no more traps and its calls still reach the hooks",
          "[in_guest]") {
  require_rewriting();
  auto r = same_as_native(guest("loop"));
  auto* l = r.last(r.pid);
  CHECK(l->rewriting == 1);
  CHECK(l->why_not.empty());
  CHECK(l->getppid == 2000);          // syscall(SYS_getppid) and getppid(), 1000 each, every one seen
  CHECK(l->rewritten_calls >= 1990);  // after the first trap of each of the two sites
  CHECK(l->traps < 100);              // the start-up calls, each site once
  CHECK(l->sites > 0);
}

TEST_CASE("in_guest runtime: SUD only when asked, with the reason", "[in_guest]") {
  require_sud();
  auto r = run(guest("loop"), true, {{"SNARE_IG_REWRITE", "0"}});
  auto* l = r.last(r.pid);
  REQUIRE(l != nullptr);
  CHECK(l->rewriting == 0);
  CHECK(l->why_not == "install_options::rewrite is false");
  CHECK(l->getppid == 2000);
  CHECK(l->traps >= 2000);
  CHECK(l->rewritten_calls == 0);
  CHECK(l->sites == 0);
}

TEST_CASE("in_guest runtime: a result rewritten at a rewritten site is what the guest sees", "[in_guest]") {
  require_rewriting();
  auto r = run(guest("loop"), true, {{"SNARE_IG_GETPPID", "4242"}});
  CHECK(r.out == "1000\n");  // both calls gave 4242, every time
  REQUIRE(r.last(r.pid) != nullptr);
  CHECK(r.last(r.pid)->rewritten_calls >= 1990);
}

TEST_CASE("in_guest runtime: numbers past page 0's sled at a rewritten site give what they give natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("bad_numbers"));
  CHECK(r.out.find("syscall(0xffffffffffffffff): -1, errno 38") != std::string::npos);
}

TEST_CASE("in_guest runtime: the guest's own SIGSEGV handler repairs a fault as natively", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("segv"));
  CHECK(r.out == "recovered: 1 x\n");
}

TEST_CASE("in_guest runtime: copy_from_guest gives EFAULT for an unmapped or cut-short page, the guest lives",
          "[in_guest]") {
  require_sud();
  const char* want = "readable 4\nunmapped EFAULT\nfile 4\ntruncated EFAULT\nblocked EAGAIN\n";
  for (const char* rewrite : {"0", "1"}) {
    INFO("SNARE_IG_REWRITE=" << rewrite);
    auto r = run(guest("copy"), true, {{"SNARE_IG_REWRITE", rewrite}});
    CHECK(r.out == want);
    CHECK(WIFEXITED(r.status));
    CHECK(WEXITSTATUS(r.status) == 0);
  }
  // Natively the marker call is a bad fd: the answers above are the runtime's.
  CHECK(run(guest("copy"), false).out ==
        "readable EBADF\nunmapped EBADF\nfile EBADF\ntruncated EBADF\nblocked EBADF\n");
}

TEST_CASE("in_guest runtime: the guest's own SIGBUS handler and a death by SIGBUS as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("bus"));
  CHECK(r.out == "bus handled, si_code 2\n");  // BUS_ADRERR
  auto d = same_as_native(guest("bus_die"), false);
  CHECK(WIFSIGNALED(d.status));
  CHECK(WTERMSIG(d.status) == SIGBUS);
}

TEST_CASE("in_guest runtime: a crash by SIGSEGV ends the same way", "[in_guest]") {
  require_sud();
  // A write through a null pointer: page 0 is mapped (execute-only where the CPU has
  // protection keys, else readable) but never writable.
  auto r = same_as_native({"sh", "-c", "kill -SEGV $$"}, false);
  CHECK(WIFSIGNALED(r.status));
  auto w = same_as_native({"python3", "-c", "import ctypes; ctypes.memset(0, 1, 1)"}, false);
  CHECK(WIFSIGNALED(w.status));
  CHECK(WTERMSIG(w.status) == SIGSEGV);
}

TEST_CASE("in_guest runtime: SA_RESETHAND, the second signal takes the default action", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("resethand"), false);
  CHECK(r.out == "after the first: SIG_DFL\n");
  CHECK(WIFSIGNALED(r.status));
  CHECK(WTERMSIG(r.status) == SIGUSR1);
}

TEST_CASE("in_guest runtime: a hook's own calls through a rewritten site are not intercepted", "[in_guest]") {
  require_sud();
  for (const char* rewrite : {"0", "1"}) {
    INFO("rewrite " << rewrite);
    auto r = run(guest("loop"), true, {{"SNARE_IG_HOOK_CALLS_GETUID", "1"}, {"SNARE_IG_REWRITE", rewrite}});
    CHECK(r.out == "1000\n");
    REQUIRE(r.last(r.pid) != nullptr);
    CHECK(r.last(r.pid)->getuid == 6);  // the guest's own, not the 2000 its getppid hooks made
    CHECK(r.last(r.pid)->getppid == 2000);
  }
}

TEST_CASE("in_guest runtime: sigprocmask blocks as natively (a blocked signal stays pending)", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("mask"));
  CHECK(r.out ==
        "blocked: runs 0, pending 1\nunblocked: runs 1\nall blocked: runs 1\nall unblocked: runs 2\n");
}

TEST_CASE("in_guest runtime: clone() on a new stack under a signal storm, every child right", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("clone_storm"));
  CHECK(r.out == "200 clones, exit codes sum 594\n");  // sum of i % 7 for i < 200
  std::map<long, int> children;
  for (auto& l : r.lines) {
    if (l.pid != r.pid && l.process_starts == 1 && l.why == "thread_exit") ++children[l.pid];
  }
  CHECK(children.size() == 200);  // each started intercepted (process_start) and was seen to exit
}

TEST_CASE("in_guest runtime: page 0 refused (no CAP_SYS_RAWIO): SUD only, the reason, every call seen",
          "[in_guest]") {
  require_sud();
  std::ifstream min_addr_file("/proc/sys/vm/mmap_min_addr");
  long min_addr = 0;
  min_addr_file >> min_addr;
  if (min_addr == 0) snare::test::skip("vm.mmap_min_addr is 0: page 0 is never refused here");
  if (run({"setpriv", "--bounding-set=-sys_rawio", "true"}, false).status != 0)
    snare::test::skip("setpriv cannot drop CAP_SYS_RAWIO here (not root, or no setpriv)");
  auto r = run({"setpriv", "--bounding-set=-sys_rawio", SNARE_IG_GUEST, "loop"}, true);
  CHECK(r.out == "1000\n");
  REQUIRE(r.last(r.pid) != nullptr);
  auto* l = r.last(r.pid);
  CHECK(l->rewriting == 0);
  CHECK(l->why_not.find("mapping page 0 was refused") != std::string::npos);
  CHECK(l->why_not.find("CAP_SYS_RAWIO") != std::string::npos);
  CHECK(l->getppid == 2000);
  CHECK(l->rewritten_calls == 0);
}

TEST_CASE("in_guest runtime: install_options::interest, other numbers run without the hooks", "[in_guest]") {
  require_sud();
  for (const char* rewrite : {"0", "1"}) {
    INFO("rewrite " << rewrite);
    // getppid (110) only; exit_group (231) too, for the report.
    auto r =
        run(guest("loop"), true,
            {{"SNARE_IG_INTEREST", "110,231"}, {"SNARE_IG_REWRITE", rewrite}, {"SNARE_IG_GETPPID", "4242"}});
    CHECK(r.out == "1000\n");  // the rewritten result on both of its calls, every time
    REQUIRE(r.last(r.pid) != nullptr);
    auto* l = r.last(r.pid);
    CHECK(l->getppid == 2000);
    CHECK(l->getuid == 0);    // not of interest: never reached the hooks
    CHECK(l->total == 2001);  // getppid and the exit_group
  }
}

TEST_CASE("in_guest runtime: execve with an unreadable environment fails with EFAULT as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("exec_efault"));
  CHECK(r.out ==
        "execve, bad envp 0: -1, Bad address\nexecve, bad envp 1: -1, Bad address\n"
        "execve, bad envp 2: -1, Bad address\n"
        "execve, a string at a page's end then a bad one: -1, Bad address\n");
}

TEST_CASE(
    "in_guest runtime: seccomp filters of the guest's forbidding prctl, later threads and children "
    "intercepted",
    "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("seccomp_no_prctl"));
  CHECK(r.out.find("prctl under the filter: -1, Operation not permitted\n") == 0);
  auto* l = r.last(r.pid);
  CHECK(l->why == "exit");
  CHECK(l->thread_starts == 8);  // 4 threads after each filter
  CHECK(l->getppid == 24);       // 3 in each thread
  int children = 0;
  for (auto& c : r.lines) children += c.pid != r.pid && c.process_starts == 1 && c.getppid == 1;
  CHECK(children == 2);
}

TEST_CASE("in_guest runtime: the guest switching SUD off itself keeps its calls intercepted", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("own_sud"));
  CHECK(r.out == "own SUD off: 0, Success\n");
  CHECK(r.last(r.pid)->getppid == 5);
}

TEST_CASE("in_guest runtime: 32-bit calls by int $0x80 give what they give natively", "[in_guest]") {
  require_sud();
  auto native = run(guest("int80"), false);
  if (native.out.find("int80 getpid right: 1") == std::string::npos)
    snare::test::skip("int $0x80 does not run i386 calls here (no IA32 emulation)");
  auto r = same_as_native(guest("int80"));
  CHECK(r.out == "int80 getpid right: 1\nint80 getppid right: 1\nint80 write\nint80 write returned 12\n");
}

TEST_CASE("in_guest runtime: clone3 and clone with bad or unusual arguments give what they give natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("clone_bad_args"));
  CHECK(r.out ==
        "clone3, unreadable args: -1, Bad address\nclone3, size 512: ok, child exited 5\n"
        "clone3, nonzero tail: -1, Argument list too long\nclone, bad stack: child signalled 11\n");
}

TEST_CASE("in_guest runtime: the emulated signal calls with unreadable pointers fail with EFAULT as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("signal_efault"));
  CHECK(r.out ==
        "rt_sigaction act: -1, Bad address\nrt_sigaction oact: -1, Bad address\n"
        "rt_sigprocmask set: -1, Bad address\nrt_sigsuspend: -1, Bad address\n"
        "ppoll sigmask: -1, Bad address\npselect6 data: -1, Bad address\n"
        "pselect6 mask: -1, Bad address\n"
        "rt_sigprocmask oset: -1, Bad address, SIGUSR2 blocked after: 1\n");
}

TEST_CASE("in_guest runtime: a call through a null function pointer crashes by SIGSEGV as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("null_call"), false);
  CHECK(r.out.empty());
  CHECK(WIFSIGNALED(r.status));
  CHECK(WTERMSIG(r.status) == SIGSEGV);
}

TEST_CASE("in_guest runtime: a guest handler on an 8 KiB alternate stack, nothing written below it",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("altstack"));
  CHECK(r.out == "on the alternate stack: getppid right 1, bytes written below it 0\n");
}

TEST_CASE("in_guest runtime: a new thread inherits its creator's floating-point controls", "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("fp_controls"));
  CHECK(r.out == "thread 0 rounds upward: 1\nthread 1 rounds upward: 1\n");
}

TEST_CASE("in_guest runtime: a site whose rewrite is refused is not retried at every trap", "[in_guest]") {
  require_rewriting();
  if (run({"sh", "-c", "command -v strace"}, false).status != 0) snare::test::skip("strace is not installed");
  // The runtime's reads of /proc/self/maps, counted by strace: one per site, not one per call.
  auto r = run({"sh", "-c",
                std::string("strace -f -e trace=openat -o /dev/stdout ") + SNARE_IG_GUEST +
                    " mprotect_denied | grep -c /proc/self/maps"},
               true);
  long opens = std::atol(r.out.c_str());
  CHECK(opens > 0);
  CHECK(opens < 100);  // the loop's 600 calls from two sites trap 600 times
}

TEST_CASE("in_guest runtime: a SIGSYS handler blocking SIGSYS through its ucontext, as natively",
          "[in_guest]") {
  require_sud();
  auto r = same_as_native(guest("uc_mask"));
  CHECK(r.out == "SIGSYS blocked after the handler: 1, calls 3\n");
}

TEST_CASE(
    "in_guest runtime: handlers leaving by siglongjmp during rewrites leave no lock taken nor page writable",
    "[in_guest]") {
  require_rewriting();
  auto native = run(guest("longjmp_storm"), false);
  CHECK(native.out == "fresh stub: 0f 05, a writable executable page: 0\n");
  auto sud_only = run(guest("longjmp_storm"), true, {{"SNARE_IG_REWRITE", "0"}});
  CHECK(sud_only.out == native.out);
  for (int i = 0; i < 3; ++i) {  // the timer hits a rewrite in progress most runs, not all
    auto r = run(guest("longjmp_storm"), true);
    CHECK(r.out == "fresh stub: ff d0, a writable executable page: 0\n");  // rewritten: the lock was free
    CHECK(WIFEXITED(r.status));
  }
}

TEST_CASE("in_guest runtime: a child forked while another thread rewrites a site rewrites its own sites",
          "[in_guest]") {
  require_rewriting();
  auto native = run(guest("fork_while_rewriting"), false);
  CHECK(native.out == "children whose site was rewritten: 0 of 20\n");
  auto r = run(guest("fork_while_rewriting"), true);
  CHECK(r.out == "children whose site was rewritten: 20 of 20\n");  // none inherits a held lock
}

TEST_CASE(
    "in_guest runtime: a new thread that cannot turn SUD on ends the process by SIGSYS, never runs unseen",
    "[in_guest]") {
  require_sud();
  auto native = run(guest("sud_refused"), false);
  if (native.out.find("filter loaded: 0") == std::string::npos)
    snare::test::skip("int $0x80 does not run i386 calls here (no IA32 emulation)");
  CHECK(native.out == "filter loaded: 0\nthread ran\n");
  for (const char* rewrite : {"0", "1"}) {
    INFO("rewrite " << rewrite);
    auto r = run(guest("sud_refused"), true, {{"SNARE_IG_REWRITE", rewrite}});
    CHECK(r.out == "filter loaded: 0\n");
    CHECK(WIFSIGNALED(r.status));
    CHECK(WTERMSIG(r.status) == SIGSYS);
  }
}

TEST_CASE(
    "in_guest runtime: vector registers, MXCSR and the x87 control word survive hooks that clobber them",
    "[in_guest]") {
  require_sud();
  // Natively, under SUD only and at the rewritten site (the trampoline saves by hand the
  // components in use, or xsavec/xsave with the x87 state in use): every call keeps them all.
  std::vector<std::pair<std::string, std::string>> env{{"SNARE_IG_CLOBBER", "1"}};
  auto native = run(guest("vectors"), false);
  auto sud_only = run(guest("vectors"), true, {{"SNARE_IG_CLOBBER", "1"}, {"SNARE_IG_REWRITE", "0"}});
  auto traced = run(guest("vectors"), true, env);
  INFO("native:\n" << native.out << "SUD only:\n" << sud_only.out << "rewriting:\n" << traced.out);
  CHECK(native.status == 0);
  CHECK(native.out.find(
            "xmm, x87 untouched: registers kept 96/96, k0-k7 kept 0/0, mxcsr kept 6/6, x87 cw kept 6/6") !=
        std::string::npos);
  CHECK(native.out.find("kept 0/6") == std::string::npos);
  CHECK(sud_only.out == native.out);
  CHECK(traced.out == native.out);
  CHECK(traced.status == native.status);
  // getppid outside install_options::interest: the rewritten site's `syscall; ret`, flags too.
  auto direct = run(guest("vectors"), true, {{"SNARE_IG_CLOBBER", "1"}, {"SNARE_IG_INTEREST", "39"}});
  CHECK(direct.out == native.out);
  REQUIRE(traced.last(traced.pid) != nullptr);
  // Every getppid reached the hooks (which clobbered), the later ones from the rewritten site.
  const long lines = static_cast<long>(std::count(native.out.begin(), native.out.end(), '\n'));
  CHECK(traced.last(traced.pid)->getppid >= 6 * lines);
  if (traced.last(traced.pid)->rewriting != 0) CHECK(traced.last(traced.pid)->rewritten_calls >= 5 * lines);
}
