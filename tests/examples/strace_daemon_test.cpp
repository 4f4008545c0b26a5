// Tests snare-strace's tracer placement and output routes against strace's: -D/-DD/-DDD (the
// tracer a detached grandchild of the command's process), -o '|CMD' (the trace piped to a
// shell command that is waited for), and -i before a signal's line.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "run.hpp"
#include "strace_run.hpp"

using namespace snare::test::strace_run;

namespace {

// The fields of /proc/PID/status and /proc/PID/stat a -D test reads: the command's parent
// and tracer, and the tracer's own parent, process group and session.
struct placement {
  long ppid = -1, tracer = -1, tracer_ppid = -1, tracer_pgid = -1, tracer_sid = -1, pgid = -1, sid = -1;
};

// Runs `tracer` with -D flags `d` on a shell that execs into an awk reading both processes'
// files: the shell is the process the test started (the tracer's grandparent).
placement run_daemonized(const std::string& tracer, const std::string& d, std::string& trace) {
  const std::string out = snare::test::temp_path("daemon-trace");
  // awk is the command's process itself (exec): its status names its tracer, whose stat
  // gives the tracer's parent, group and session (fields 4, 5, 6), and its own (5, 6).
  const std::string script =
      "exec awk '/^PPid:/{p=$2} /^TracerPid:/{t=$2} END{"
      "getline s < (\"/proc/\" t \"/stat\"); split(s, f, \") \"); split(f[2], g, \" \");"
      "getline m < \"/proc/self/stat\"; split(m, h, \") \"); split(h[2], k, \" \");"
      "print p, t, g[2], g[3], g[4], k[3], k[4]}' /proc/self/status";
  auto r = run_command({tracer, d, "-q", "-o", out, "-e", "trace=exit_group", "sh", "-c", script});
  INFO(tracer << " " << d << " stderr: " << r.err);
  CHECK(r.code == 0);
  placement p;
  std::sscanf(r.out.c_str(), "%ld %ld %ld %ld %ld %ld %ld", &p.ppid, &p.tracer, &p.tracer_ppid,
              &p.tracer_pgid, &p.tracer_sid, &p.pgid, &p.sid);
  // The tracer outlives the command: wait for it to have written the trace.
  for (int i = 0; i < 500 && p.tracer > 0 && ::kill(static_cast<pid_t>(p.tracer), 0) == 0; ++i)
    ::usleep(10000);
  trace = snare::test::slurp(out);
  std::remove(out.c_str());
  return p;
}

}  // namespace

TEST_CASE("snare-strace -D runs the tracer as a detached grandchild, as strace does") {
  for (const std::string d : {"-D", "-DD", "-DDD"}) {
    for (const std::string& tracer : {strace_bin, std::string("/usr/bin/strace")}) {
      if (tracer != strace_bin && !has_strace()) continue;
      std::string trace;
      placement p = run_daemonized(tracer, d, trace);
      INFO(tracer << " " << d);
      // The command keeps its parent (this test), a tracer that is not its parent.
      CHECK(p.ppid == ::getpid());
      CHECK(p.tracer > 0);
      CHECK(p.tracer != p.ppid);
      CHECK(p.tracer_ppid != ::getpid());  // the middle child is gone: the reaper's
      if (d == "-D") {
        CHECK(p.tracer_pgid == p.pgid);
      } else if (d == "-DD") {
        CHECK(p.tracer_pgid == p.tracer);  // a group of its own, the session kept
        CHECK(p.tracer_sid == p.sid);
      } else {
        CHECK(p.tracer_sid == p.tracer);  // a session of its own
      }
      // The trace starts at the exec: the calls of the process before it are not shown.
      CHECK(trace == "exit_group(0)                           = ?\n+++ exited with 0 +++\n");
    }
  }
}

TEST_CASE("snare-strace reads -D and --daemonize as strace does") {
  auto fails = [](std::vector<std::string> args, const std::string& message) {
    args.insert(args.begin(), strace_bin);
    auto r = run_command(args);
    INFO(r.err);
    CHECK(r.code != 0);
    CHECK(r.err.find(message) != std::string::npos);
  };
  fails({"-D", "--daemonize", "true"}, "-D and --daemonize cannot be provided simultaneously");
  fails({"-DDDD", "true"}, "Too many -D's (4), maximum supported -D count is 3");
  fails({"--daemonize=nope", "true"}, "invalid --daemonize argument: 'nope'");
  fails({"-D", "-p", "1"}, "PROG [ARGS] must be specified with -D/--daemonize");
  for (const std::string v :
       {"--daemonize", "--daemonize=grandchild", "--daemonize=pgroup", "--daemonize=pgrp",
        "--daemonize=session", "--daemonised", "--daemonized=session"}) {
    auto r = run_command({strace_bin, v, "-q", "-e", "trace=none", "true"});
    INFO(v << ": " << r.err);
    CHECK(r.code == 0);
  }
}

TEST_CASE("snare-strace -o '|CMD' pipes the trace to CMD and waits for it, as strace does") {
  for (const std::string& tracer : {strace_bin, std::string("/usr/bin/strace")}) {
    if (tracer != strace_bin && !has_strace()) continue;
    INFO(tracer);
    const std::string file = snare::test::temp_path("piped");
    // CMD sleeps before writing: the file is whole when the tracer returns only if it waits.
    auto r =
        run_command({tracer, "-o", "|sleep 0.2; cat > " + file, "-e", "trace=chdir", "sh", "-c", "cd /"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(snare::test::slurp(file) ==
          "chdir(\"/\")                              = 0\n+++ exited with 0 +++\n");
    std::remove(file.c_str());
    auto ff = run_command({tracer, "-ff", "-o", "!cat", "true"});
    CHECK(ff.code != 0);
    CHECK(ff.err.find("piping the output and -ff/--output-separately are mutually exclusive") !=
          std::string::npos);
  }
}

TEST_CASE("snare-strace -i prints the instruction pointer before a signal's line, as strace does") {
  for (const std::string& tracer : {strace_bin, std::string("/usr/bin/strace")}) {
    if (tracer != strace_bin && !has_strace()) continue;
    INFO(tracer);
    const std::string out = snare::test::temp_path("ip");
    auto r = run_command({tracer, "-i", "-o", out, "-e", "trace=none", "sh", "-c", "kill -USR1 $$"});
    auto lines = lines_of(snare::test::slurp(out));
    std::remove(out.c_str());
    CHECK(r.signal == SIGUSR1);
    CHECK(count_matching(lines, R"(^\[[0-9a-f]{16}\] --- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, )") ==
          1);
    CHECK(count_matching(lines, R"(^\[\?{16}\] \+\+\+ killed by SIGUSR1 \+\+\+$)") == 1);
  }
}
