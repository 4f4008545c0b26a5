// Tests snare-strace's process and signal lines against strace's: signal deaths, group-stops,
// signals sent to the tracer, exec from a thread, and the tracer letting go of its own
// standard streams.
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run.hpp"
#include "skip.hpp"
#include "strace_run.hpp"

using namespace snare::test::strace_run;

TEST_CASE("snare-strace reports a signal death for every thread of the process, as strace does") {
  const std::string guest = SNARE_MT_KILLED_GUEST_PATH;
  auto t = run_traced({"-f", "-e", "trace=none", guest});
  CHECK(t.r.signal == SIGTERM);
  CHECK(count_matching(t.lines, R"(\+\+\+ killed by SIGTERM \+\+\+$)") == 3);
  CHECK(count_matching(t.lines, R"(exited with)") == 0);
  if (!has_strace()) return;
  // strace itself, for the same count.
  std::string theirs = snare::test::temp_path("strace-killed");
  auto r = run_command({"strace", "-f", "-e", "trace=none", "-o", theirs, guest});
  CHECK(r.signal == SIGTERM);
  CHECK(count_matching(lines_of(snare::test::slurp(theirs)), R"(\+\+\+ killed by SIGTERM \+\+\+$)") == 3);
  std::remove(theirs.c_str());
}

TEST_CASE("snare-strace shows each thread's group-stop, as strace does") {
  const std::string guest = SNARE_MT_STOPPED_GUEST_PATH;
  auto t = run_traced({"-f", "-e", "trace=none", guest});
  INFO(t.r.err);         // the guest says why it gave up
  CHECK(t.r.code == 0);  // the stops and the death happened as natively
  // The child's three threads, at each of the two group-stops.
  CHECK(count_matching(t.lines, R"(--- stopped by SIGSTOP ---$)") == 3);
  CHECK(count_matching(t.lines, R"(--- stopped by SIGTSTP ---$)") == 3);
  CHECK(count_matching(t.lines, R"(\+\+\+ killed by SIGTERM \+\+\+$)") == 3);
  if (!has_strace()) return;
  std::string theirs = snare::test::temp_path("strace-stopped");
  auto r = run_command({"strace", "-f", "-e", "trace=none", "-o", theirs, guest});
  INFO(r.err);  // the guest says why it gave up
  CHECK(r.code == 0);
  auto lines = lines_of(snare::test::slurp(theirs));
  CHECK(count_matching(lines, R"(--- stopped by SIGSTOP ---$)") == 3);
  CHECK(count_matching(lines, R"(--- stopped by SIGTSTP ---$)") == 3);
  std::remove(theirs.c_str());
}

namespace {

// Polls `done` until it holds, for at most `seconds` (a guard against hangs only); says
// whether it came to hold.
bool eventually(const std::function<bool()>& done, int seconds = 10) {
  for (int i = 0; i < seconds * 100; ++i) {
    if (done()) return true;
    ::usleep(10'000);
  }
  return done();
}

// Runs snare-strace (or `tracer`) with `args` and -o to a temporary file, sends it `sig`
// once `settled` holds of the tracer's pid, and returns the result with the trace. A
// tracer that `dies` of the signal is waited for before `go` (which the guest waits for)
// is made, so that the guest cannot end first; otherwise `go` comes 200 ms after the
// signal, time for a tracer that wrongly acted on it to do so.
traced run_signalled(std::vector<std::string> args, int sig, const std::function<bool(pid_t)>& settled,
                     bool dies, const std::string& go, const std::string& tracer = strace_bin) {
  std::string out = snare::test::temp_path("trace");
  std::vector<std::string> argv = {tracer, "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  traced t;
  pid_t pid = snare::test::start_command(argv, "/dev/null", "/dev/null");
  if (!eventually([&] { return settled(pid); })) FAIL_CHECK("the guest did not get ready within 10 s");
  ::kill(pid, sig);
  int status = 0;
  if (dies) {
    if (!eventually([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 30)) {
      FAIL_CHECK("the tracer still ran 30 s after the signal");
      std::ofstream(go) << "go\n";
      snare::test::wait_command(pid, t.r);
    } else {
      t.r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      t.r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
  } else {
    ::usleep(200'000);
    std::ofstream(go) << "go\n";
    snare::test::wait_command(pid, t.r);
  }
  t.trace = snare::test::slurp(out);
  t.lines = lines_of(t.trace);
  std::remove(out.c_str());
  return t;
}

// Says whether a process whose command line holds `marker` still runs.
bool still_running(const std::string& marker) { return run_command({"pgrep", "-f", marker}).code == 0; }

// Says whether a child of process `parent` is `sleep` blocked in clock_nanosleep, resumed
// there by its tracer (state S, not t: the tracer has taken in the call's entry).
bool child_sleeping(pid_t parent) {
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(parent) + "/task", ec)) {
    std::istringstream children(snare::test::slurp(task.path() / "children"));
    for (pid_t c; children >> c;) {
      const std::string proc = "/proc/" + std::to_string(c);
      if (snare::test::slurp(proc + "/comm") != "sleep\n" ||
          snare::test::slurp(proc + "/syscall").rfind(std::to_string(SYS_clock_nanosleep) + " ", 0) != 0)
        continue;
      const std::string stat = snare::test::slurp(proc + "/stat");
      const auto paren = stat.rfind(')');
      if (paren != std::string::npos && stat.compare(paren, 4, ") S ") == 0) return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("snare-strace handles the fatal signals sent to it as strace's -I does") {
  std::string ready = snare::test::temp_path("ready");
  auto run = [&](const char* backend, const char* interruptible, int sig, const std::string& go) {
    const std::string script =
        "touch " + ready + "; while [ ! -e " + go + " ]; do sleep 0.05; done; echo finished";
    std::remove(ready.c_str());
    std::remove(go.c_str());
    std::vector<std::string> args = {backend, "-f", "/bin/sh", "-c", script};
    if (*interruptible) args.insert(args.begin(), interruptible);
    auto t = run_signalled(
        args, sig, [&](pid_t) { return ::access(ready.c_str(), F_OK) == 0; }, *interruptible != 0, go);
    std::remove(ready.c_str());
    return t;
  };
  for (const char* backend : {"--backend=ptrace", "--backend=seccomp"}) {
    INFO(backend);
    // -o FILE: ignored by default (-I3), the guest runs to its end.
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
      INFO("default -I, signal " << sig);
      const std::string go = snare::test::temp_path("go");
      auto t = run(backend, "", sig, go);
      CHECK(t.r.code == 0);
      CHECK(count_matching(t.lines, R"(^\d+ +\+\+\+ exited with 0 \+\+\+$)") >= 1);
      std::remove(go.c_str());
    }
    // -I2: the guests get the signal, the trace ends with whole lines, the tracer dies of it.
    // As strace, which detaches at the interrupt, nothing after it is traced: no deaths.
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
      INFO("-I2, signal " << sig);
      const std::string go = snare::test::temp_path("go");
      auto t = run(backend, "-I2", sig, go);
      CHECK(t.r.signal == sig);  // the guest died of it, and the tracer re-raised it
      // No guest left behind (the sleep loop names `go`); the shell dies of the signal
      // the tracer sends it, maybe just after the tracer.
      CHECK(eventually([&] { return !still_running(go); }));
      std::ofstream(go) << "go\n";  // ends a guest left behind
      REQUIRE_FALSE(t.trace.empty());
      CHECK(t.trace.back() == '\n');
      CHECK(count_matching(t.lines, R"(\+\+\+ killed by SIG[A-Z]+ \+\+\+$)") == 0);
      std::remove(go.c_str());
    }
  }
}

TEST_CASE("snare-strace ends the call an interrupt cuts off with ' <detached ...>', as strace does") {
  // strace kills the command it started and detaches (strace.c, cleanup): the open line
  // ends so, a status filter shows it under status=detached, and the tracer dies of the
  // signal. The guest's sleep is in its call, past the tracer's entry stop, when the signal
  // comes.
  const std::string script = "exec sleep 30";
  const std::string detached =
      R"(^clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=30, tv_nsec=0\},  <detached \.\.\.>$)";
  std::vector<std::string> tracers = {strace_bin};
  if (has_strace()) tracers.push_back("/usr/bin/strace");
  for (const auto& tracer : tracers) {
    for (const char* filter : {"status=all", "status=detached"}) {
      INFO(tracer << " -e " << filter);
      auto t = run_signalled({"-I2", "-e", filter, "/bin/sh", "-c", script}, SIGTERM, child_sleeping, true,
                             "", tracer);
      CHECK(t.r.signal == SIGTERM);
      CHECK(count_matching(t.lines, detached) == 1);
      CHECK(count_matching(t.lines, R"(\+\+\+|--- SIGTERM)") == 0);
      if (std::string(filter) == "status=detached")
        CHECK(count_matching(t.lines, R"(^(execve|wait4|close)\()") == 0);
    }
  }
}

TEST_CASE("snare-strace names the call restart_syscall resumes, as strace does") {
  const std::string guest = SNARE_RESTART_SLEEP_GUEST_PATH;
  const std::string resumed =
      R"(^restart_syscall\(<\.\.\. resuming interrupted (clock_)?nanosleep \.\.\.>\) += 0$)";
  auto t = run_traced({"-e", "trace=restart_syscall,nanosleep,clock_nanosleep", guest});
  INFO(t.r.err);  // the guest says why it gave up
  CHECK(t.r.code == 0);
  CHECK(count_matching(t.lines,
                       R"(^(clock_)?nanosleep\(.* = \? ERESTART_RESTARTBLOCK \(Interrupted by signal\)$)") ==
        1);
  CHECK(count_matching(t.lines, resumed) == 1);
  if (!has_strace()) return;
  std::string theirs = snare::test::temp_path("strace-restart");
  auto r =
      run_command({"strace", "-e", "trace=restart_syscall,nanosleep,clock_nanosleep", "-o", theirs, guest});
  INFO(r.err);  // the guest says why it gave up
  CHECK(r.code == 0);
  CHECK(count_matching(lines_of(snare::test::slurp(theirs)), resumed) == 1);
  std::remove(theirs.c_str());
}

TEST_CASE("snare-strace reports a command that cannot be executed as strace does") {
  // The failed execve, strace's child's message and its exit with 1; a missing command
  // is looked up first ("Can't stat"), and exits with 127 where strace exits with 1:
  // snare's tools all say "command not found" as a shell does.
  auto ours = run_command({strace_bin, "/"});
  CHECK(ours.code == 1);
  auto lines = lines_of(ours.err);
  REQUIRE(lines.size() == 3);
  CHECK(std::regex_match(
      lines[0],
      std::regex(
          R"(execve\("/", \["/"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += -1 EACCES \(Permission denied\))")));
  CHECK(lines[1] == strace_bin + ": exec: Permission denied");
  CHECK(lines[2] == "+++ exited with 1 +++");
  auto missing = run_command({strace_bin, "/nonexistent/snare-no-such-command"});
  CHECK(missing.code == 127);
  CHECK(missing.err ==
        strace_bin + ": Can't stat '/nonexistent/snare-no-such-command': No such file or directory\n");
  if (!has_strace()) return;
  auto theirs = run_command({"/usr/bin/strace", "/"});
  CHECK(theirs.code == ours.code);
  auto their_lines = lines_of(theirs.err);
  REQUIRE(their_lines.size() == 3);
  CHECK(their_lines[1] == "/usr/bin/strace: exec: Permission denied");
  CHECK(their_lines[2] == lines[2]);
  auto their_missing = run_command({"/usr/bin/strace", "/nonexistent/snare-no-such-command"});
  CHECK(their_missing.code == 1);
  CHECK(their_missing.err ==
        "/usr/bin/strace: Can't stat '/nonexistent/snare-no-such-command': No such file or directory\n");
}

TEST_CASE("snare-strace -b execve lets a process go at its exec, as strace does") {
  // The command's own exec is traced; the next one lets the process go: its line ends with
  // " <detached ...>", strace's message on stderr, exit code 0 (how it ends is not known).
  auto run = [](const std::string& tracer, std::vector<std::string> args) {
    std::vector<std::string> argv = {tracer, "--quiet=personality"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  };
  std::vector<std::string> tracers = {strace_bin};
  if (has_strace()) tracers.push_back("/usr/bin/strace");
  for (const auto& tracer : tracers) {
    INFO(tracer);
    auto plain = run(tracer, {"-enone", "sh", "-c", "exec false"});
    CHECK(plain.code == 1);
    auto b = run(tracer, {"-bexecve", "-enone", "sh", "-c", "exec false"});
    CHECK(b.code == 0);
    CHECK(count_matching(lines_of(b.err), "^" + tracer + R"(: Process \d+ detached$)") == 1);
    CHECK(lines_of(b.err).size() == 1);
    auto s = run(tracer, {"--seccomp-bpf", "-bexecve", "-enone", "sh", "-c", "exec false"});
    CHECK(s.code == 0);
    CHECK(count_matching(lines_of(s.err), "^" + tracer +
                                              ": --seccomp-bpf is not enabled because it is not "
                                              "compatible with -b$") == 1);
    // -f: every process is let go at its exec; the shell's own calls go on being traced.
    auto f = run(tracer, {"-f", "-bexecve", "-e", "trace=write", "sh", "-c", "sh -c 'exec true'; echo one"});
    CHECK(f.code == 0);
    CHECK(count_matching(lines_of(f.err), R"(^(\[pid +\d+\] )?write\(1, "one\\n", 4\) += 4$)") == 1);
    CHECK(count_matching(lines_of(f.err), R"(: Process \d+ detached$)") == 1);
  }
}

TEST_CASE("snare-strace -f prints 'superseded by execve' when a thread other than the leader execs") {
  const std::string guest = SNARE_EXEC_THREAD_GUEST_PATH;
  for (const char* backend : {"--backend=ptrace", "--backend=seccomp"}) {
    INFO(backend);
    auto t = run_traced({backend, "-f", guest});
    CHECK(t.r.code == 7);
    REQUIRE(count_matching(t.lines, R"(^\d+ +\+\+\+ superseded by execve in pid \d+ \+\+\+$)") == 1);
    // Under the leader's id, naming the exec'ing thread's former id; on ptrace, before
    // execve's result as strace prints it.
    std::smatch m;
    std::string line;
    for (auto& l : t.lines)
      if (l.find("superseded") != std::string::npos) line = l;
    REQUIRE(std::regex_search(line, m, std::regex(R"(^(\d+) .* pid (\d+) )")));
    CHECK(m[1] != m[2]);
    CHECK(count_matching(t.lines, "^" + std::string(m[2]) + R"( .*execve\()") == 1);
    if (std::string(backend) == "--backend=ptrace") {
      auto it = std::find(t.lines.begin(), t.lines.end(), line);
      REQUIRE(it + 1 != t.lines.end());
      CHECK(std::regex_search(*(it + 1),
                              std::regex("^" + std::string(m[1]) + R"( +<\.\.\. execve resumed>\) += 0$)")));
    }
    // The exec'ing thread is not reported as exited: it carries on as the leader.
    CHECK(count_matching(t.lines, "^" + std::string(m[2]) + R"( +\+\+\+ exited)") == 0);
  }
  if (!has_strace()) return;
  std::string theirs = snare::test::temp_path("strace-superseded");
  auto r = run_command({"strace", "-f", "-o", theirs, guest});
  CHECK(r.code == 7);
  CHECK(count_matching(lines_of(snare::test::slurp(theirs)),
                       R"(\+\+\+ superseded by execve in pid \d+ \+\+\+$)") == 1);
  std::remove(theirs.c_str());
}

TEST_CASE(
    "snare-strace -f ends a non-leader's open execve line with <pid changed to N ...>, as strace does") {
  // Only execve traced: the thread's execve line stays open until the exec completes, and
  // strace ends it with the id the thread takes (threads-execve of strace's suite).
  const std::string guest = SNARE_EXEC_THREAD_GUEST_PATH;
  auto masked = [](const std::vector<std::string>& lines, std::vector<std::string>& pids) {
    // Pids by order of first appearance (P0, P1), addresses and the environment's size.
    std::vector<std::string> out;
    static const std::regex num(R"(\b\d{3,}\b)"), addr(R"(0x[0-9a-f]+ /\* \d+ vars \*/)"), pad(R"(\) +=)");
    for (const auto& l : lines) {
      std::string m = std::regex_replace(std::regex_replace(l, addr, "ENV"), pad, ") =");
      std::string r;
      auto it = std::sregex_iterator(m.begin(), m.end(), num);
      std::size_t at = 0;
      for (; it != std::sregex_iterator(); ++it) {
        auto k = std::find(pids.begin(), pids.end(), it->str());
        if (k == pids.end()) k = pids.insert(pids.end(), it->str());
        r += m.substr(at, static_cast<std::size_t>(it->position()) - at) + "P" +
             std::to_string(k - pids.begin());
        at = static_cast<std::size_t>(it->position() + it->length());
      }
      out.push_back(std::regex_replace(r + m.substr(at), std::regex("^(P\\d+) +"), "$1 "));
    }
    return out;
  };
  auto t = run_traced({"-f", "-e", "trace=execve", guest});
  CHECK(t.r.code == 7);
  std::vector<std::string> ours_pids;
  auto ours = masked(t.lines, ours_pids);
  CHECK(count_matching(ours, R"(^P1 execve\(.* <pid changed to P0 \.\.\.>$)") == 1);
  if (!has_strace()) return;
  std::string theirs_file = snare::test::temp_path("strace-pid-changed");
  auto r = run_command({"strace", "-f", "-e", "trace=execve", "-o", theirs_file, guest});
  CHECK(r.code == 7);
  std::vector<std::string> theirs_pids;
  auto theirs = masked(lines_of(snare::test::slurp(theirs_file)), theirs_pids);
  std::remove(theirs_file.c_str());
  CHECK(ours == theirs);
}

TEST_CASE("snare-strace lets go of its stdin and stdout once the guest runs, as strace does") {
  // strace's redirect test: the guest closes its stdin (stdout), after which the writer
  // (reader) at the pipe's other end must see the pipe's end while the tracer still runs.
  // The guest waits for a file the other end makes once it sees the end; it gives up after
  // about 20 s, which a tracer holding the pipe would make it do.
  for (const char* backend : {"--backend=ptrace", "--backend=seccomp"}) {
    INFO(backend);
    std::string done = snare::test::temp_path("redirect");
    std::remove(done.c_str());
    const std::string wait_done = "i=0; while [ ! -e " + done +
                                  " ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; [ -e " + done +
                                  " ]";
    const std::string tracer = strace_bin + " " + backend + " -qq -e trace=none -o /dev/null ";
    auto in = run_command(
        {"/bin/sh", "-c",
         "(yes 2>/dev/null; touch " + done + ") | " + tracer + "/bin/sh -c 'exec <&-; " + wait_done + "'"});
    CHECK(in.code == 0);
    std::remove(done.c_str());
    auto out = run_command(
        {"/bin/sh", "-c",
         tracer + "/bin/sh -c 'exec >&-; " + wait_done + "' | (cat >/dev/null; touch " + done + ")"});
    CHECK(out.code == 0);
    std::remove(done.c_str());
  }
}

TEST_CASE("snare-strace without -f leaves the children untraced and names the unknown ones, as strace does") {
  const std::string guest = SNARE_OWN_TRACER_GUEST_PATH;
  // The children may take their parent as tracer: no tracer of snare's holds them.
  auto t = run_traced({"-e", "trace=clone,clone3", guest, "traceme"});
  CHECK(t.r.code == 0);
  CHECK(count_matching(t.lines, R"(^clone3\(\{flags=0, exit_signal=SIGCHLD, )") ==
        1);  // the guest's own flags
  // A CLONE_PTRACE child is traced by the kernel's doing, and let go; a CLONE_PARENT child
  // is the tracer's own, reaped by it (strace's clone_ptrace.c and clone_parent.c).
  for (const char* mode : {"clone_ptrace", "clone_parent"}) {
    INFO(mode);
    const bool ptraced = std::string(mode) == "clone_ptrace";
    auto u = run_traced({"-e", "trace=none", "--quiet=personality", guest, mode});
    CHECK(u.r.code == 0);
    const std::string pid = lines_of(u.r.out).empty() ? "?" : lines_of(u.r.out).front();
    const std::string said =
        ptraced ? ": Detached unknown pid " + pid + "\n" : ": Exit of unknown pid " + pid + " ignored\n";
    CHECK(u.r.err == strace_bin + said);
    // -qq says neither; -q only the exit.
    auto q = run_traced({"-e", "trace=none", ptraced ? "-q" : "-qq", guest, mode});
    CHECK(q.r.err.empty());
    if (!has_strace()) continue;
    auto theirs =
        run_command({"strace", "-o", "/dev/null", "-e", "trace=none", "--quiet=personality", guest, mode});
    CHECK(theirs.code == 0);
    const std::string their_pid = lines_of(theirs.out).empty() ? "?" : lines_of(theirs.out).front();
    CHECK(theirs.err == "strace" + std::string(ptraced
                                                   ? ": Detached unknown pid " + their_pid + "\n"
                                                   : ": Exit of unknown pid " + their_pid + " ignored\n"));
  }
}
