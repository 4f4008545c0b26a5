// Tests snare-strace's -e inject= and -e fault= (which calls are tampered with, which rule
// wins, strace's token grammar and messages), its tracing of calls past the syscall table
// and -x on paths, each against strace itself on the same command where it is installed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "strace_run.hpp"

using namespace snare::test::strace_run;

namespace {

// Runs strace itself with `args` and -o to a temporary file, as run_traced runs snare-strace.
traced run_strace(std::vector<std::string> args) {
  std::string out = snare::test::temp_path("strace-trace");
  std::vector<std::string> argv = {"/usr/bin/strace", "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  traced t;
  t.r = run_command(argv);
  t.trace = snare::test::slurp(out);
  t.lines = lines_of(t.trace);
  std::remove(out.c_str());
  return t;
}

// Runs both tracers with `args`: the same exit code and the same trace (no addresses or pids
// in the commands used here). Returns snare-strace's run.
traced same_as_strace(const std::vector<std::string>& args) {
  auto ours = run_traced(args);
  INFO("snare-strace stderr: " << ours.r.err);
  if (has_strace()) {
    auto theirs = run_strace(args);
    CHECK(ours.r.code == theirs.r.code);
    CHECK(ours.lines == theirs.lines);
  }
  return ours;
}

}  // namespace

TEST_CASE("snare-strace injects into traced calls only, as strace does") {
  // %desc covers the openat, read and mmap calls of the loader and the shell: faulting them
  // would kill the guest; strace tampers with the traced writes alone.
  auto t = same_as_strace({"-e", "trace=write", "-e", "fault=desc,51", "sh", "-c", "echo hi"});
  REQUIRE(!t.lines.empty());
  CHECK(t.lines.front() ==
        R"(write(1, "hi\n", 3)                     = -1 ENOSYS (Function not implemented) (INJECTED))");
  CHECK(t.r.code != 139);  // the guest ran to its end, not into a fault of its loader
}

TEST_CASE("snare-strace: the last -e inject= naming a call is its rule, and fault=none changes nothing") {
  auto t =
      same_as_strace({"-e", "trace=chdir", "-e", "inject=chdir:error=EPERM", "-e", "inject=chdir:retval=0",
                      "sh", "-c", "cd /nonexistent-snare && echo ok > /dev/null"});
  CHECK(count_matching(t.lines, R"(^chdir\("/nonexistent-snare"\) += 0 \(INJECTED\)$)") == 1);
  t = same_as_strace({"-e", "trace=chdir", "-e", "fault=chdir:error=EACCES", "-e", "fault=none", "sh", "-c",
                      "cd /tmp; true"});
  CHECK(count_matching(t.lines, R"(= -1 EACCES .* \(INJECTED\)$)") == 1);
}

TEST_CASE("snare-strace -e inject= takes retval= in hex and syscall= of a pure call, as strace does") {
  auto t =
      same_as_strace({"-e", "trace=geteuid", "-e", "inject=geteuid:retval=0x2a:syscall=getpid", "id", "-u"});
  CHECK(t.r.out == "42\n");
  CHECK(count_matching(t.lines, R"(^geteuid\(\) += 42 \(INJECTED\)$)") >= 1);
}

TEST_CASE("snare-strace rejects bad inject and fault arguments with strace's message") {
  for (std::string arg : {"42", "chdir:invalid", "chdir:error=", "chdir:error=4096", "chdir:error=3+",
                          "chdir:when=27..65535", "chdir:when=9+1+", "chdir:retval=0x10000000000000000",
                          "chdir:signal=129", "chdir:retval=0:error=1", "chdir:syscall=chdir",
                          "chdir:poke_enter=@arg8=00", "chdir:poke_enter=@arg1=000", "chdir:delay_exit=-2"}) {
    INFO(arg);
    auto r = run_command({strace_bin, "-e", "inject=" + arg, "true"});
    CHECK(r.code != 0);
    CHECK(r.err.find("invalid inject argument '" + arg + "'") != std::string::npos);
  }
  for (std::string arg : {"chdir:retval=0", "chdir:signal=USR1", "chdir:when=0"}) {
    INFO(arg);
    auto r = run_command({strace_bin, "-e", "fault=" + arg, "true"});
    CHECK(r.code != 0);
    CHECK(r.err.find("invalid fault argument '" + arg + "'") != std::string::npos);
  }
  // Valid, but not done off the ptrace backend: said so, not taken as a syntax error.
  auto r = run_command({strace_bin, "--backend=seccomp", "-e", "inject=chdir:delay_enter=1", "true"});
  CHECK(r.code == 2);
  CHECK(r.err.find("poke_enter=/poke_exit=/delay_enter=/delay_exit= needs the ptrace backend") !=
        std::string::npos);
}

TEST_CASE("snare-strace -e inject=...:signal= sends the signal after the call, as from the kernel") {
  // The shell's USR1 trap runs after the injected chdir failed: the signal line follows the
  // call's, with strace's SI_KERNEL siginfo.
  auto t = same_as_strace({"-e", "trace=chdir", "-e", "inject=chdir:error=ENOENT:signal=USR1:when=1", "sh",
                           "-c", "trap 'echo got' USR1; cd /; echo done"});
  CHECK(t.r.out == "got\ndone\n");
  REQUIRE(t.lines.size() >= 2);
  CHECK(t.lines[0].starts_with(R"(chdir("/") )"));
  CHECK(t.lines[0].ends_with("= -1 ENOENT (No such file or directory) (INJECTED)"));
  CHECK(t.lines[1] == "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---");
}

TEST_CASE("snare-strace traces calls past the syscall table whatever the trace set, as strace does") {
  auto t = same_as_strace({"-e", "trace=none", "perl", "-e", "syscall(451, 1, 2, 3, 4, 5, 6)"});
  CHECK(count_matching(t.lines, R"(^syscall_0x1c3\(0x1, 0x2, 0x3, 0x4, 0x5, 0x6\) += )") == 1);
}

TEST_CASE("snare-strace -x and -xx print paths in hex, as strace does") {
  for (std::string x : {"-x", "-xx"}) {
    INFO(x);
    auto t = same_as_strace({x, "-e", "trace=chdir", "-e", "signal=none", "sh", "-c",
                             "cd \"/nonexistent-$(printf '\\200')\" 2>/dev/null; true"});
    // A byte past ASCII: -x prints the whole path in hex (-xx every string).
    CHECK(count_matching(t.lines, R"(^chdir\("\\x2f\\x6e)") == 1);
  }
}
