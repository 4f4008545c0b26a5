// Tests snare-strace on real commands: output lines, options, trace sets, fault injection,
// the -c table against strace's own, and exit codes.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <snare/engine/options.hpp>
#include <snare/host.hpp>

#include "run.hpp"
#include "skip.hpp"
#include "strace_run.hpp"

using namespace snare::test::strace_run;

namespace {
const std::string mt_guest = SNARE_MT_GUEST_PATH;
}  // namespace

TEST_CASE("snare-strace ls / prints strace lines and the guest's exit") {
  auto t = run_traced({"ls", "/"});
  REQUIRE(t.r.code == 0);
  CHECK(t.r.out.find("usr") != std::string::npos);  // ls still printed its listing
  REQUIRE_FALSE(t.lines.empty());
  CHECK(std::regex_search(
      t.lines.front(),
      std::regex(R"(^execve\("/usr/bin/ls", \["ls", "/"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) = 0$)")));
  // strace orders these flags O_NONBLOCK|O_CLOEXEC|O_DIRECTORY; either order is accepted
  // here (the order is the formatter's flag table, not the tool's).
  CHECK(
      count_matching(
          t.lines,
          R"(^openat\(AT_FDCWD, "/", O_RDONLY\|O_NONBLOCK\|(O_CLOEXEC\|O_DIRECTORY|O_DIRECTORY\|O_CLOEXEC)\) = 3$)") ==
      1);
  CHECK(count_matching(t.lines, R"(^getdents64\(3, 0x[0-9a-f]+ /\* \d+ entries \*/, \d+\) += \d+$)") >= 1);
  CHECK(t.lines.back() == "+++ exited with 0 +++");
  // No line of the spawn's own PATH lookup shows up.
  CHECK(count_matching(t.lines, R"(^execve\()") == 1);
}

// head rather than cat: cat copies a file to a file with copy_file_range, never reading it.
TEST_CASE("snare-strace head shows the bytes read and written, cut at -s") {
  std::string file = write_temp_file("hello, snare world\n");
  SECTION("default string limit") {
    auto t = run_traced({"head", "-n", "5", file});
    REQUIRE(t.r.code == 0);
    CHECK(t.r.out == "hello, snare world\n");
    CHECK(count_matching(t.lines, R"(^read\(3, "hello, snare world\\n", \d+\) += 19$)") == 1);
    CHECK(count_matching(t.lines, R"(^write\(1, "hello, snare world\\n", 19\) += 19$)") == 1);
  }
  SECTION("-s 5") {
    auto t = run_traced({"-s", "5", "head", "-n", "5", file});
    REQUIRE(t.r.code == 0);
    CHECK(count_matching(t.lines, R"(^read\(3, "hello"\.\.\., \d+\) += 19$)") == 1);
  }
  SECTION("-y names the paths behind fds") {
    auto t = run_traced({"-y", "-e", "trace=openat,read,close", "head", "-n", "5", file});
    REQUIRE(t.r.code == 0);
    CHECK(count_matching(t.lines,
                         "^openat\\(AT_FDCWD<[^>]+>, \"" + file + "\", O_RDONLY\\) = 3<" + file + ">$") == 1);
    CHECK(count_matching(t.lines, "^read\\(3<" + file + ">, \"hello") == 1);
  }
  std::remove(file.c_str());
}

TEST_CASE("snare-strace -f follows a shell pipeline like strace -f") {
  auto t = run_traced({"-f", "sh", "-c", "echo hi | cat"});
  REQUIRE(t.r.code == 0);
  CHECK(t.r.out == "hi\n");
  std::set<std::string> pids;
  std::regex pid_re(R"(^(\d+) +)");
  for (auto& l : t.lines) {
    std::smatch m;
    REQUIRE(std::regex_search(l, m, pid_re));  // -f -o: every line names its thread
    pids.insert(m[1]);
  }
  CHECK(pids.size() == 3);  // sh and its two children
  CHECK(count_matching(t.lines, R"(pipe2?\(\[3, 4\])") == 1);
  CHECK(count_matching(t.lines, R"(\+\+\+ exited with 0 \+\+\+$)") == 3);
  CHECK(count_matching(t.lines, R"(--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=\d+)") >= 1);
  CHECK(count_matching(t.lines, R"(write\(1, "hi\\n", 3)") == 2);  // echo into the pipe, cat out
  if (has_strace()) {
    // The same processes and the same exit lines as strace itself.
    std::string ref = snare::test::temp_path("ref");
    auto s = run_command({"strace", "-f", "-o", ref, "sh", "-c", "echo hi | cat"});
    auto ref_lines = lines_of(snare::test::slurp(ref));
    std::remove(ref.c_str());
    CHECK(count_matching(ref_lines, R"(\+\+\+ exited with 0 \+\+\+$)") ==
          count_matching(t.lines, R"(\+\+\+ exited with 0 \+\+\+$)"));
  }
}

TEST_CASE("snare-strace without -f shows the first process only") {
  auto t = run_traced({"sh", "-c", "/bin/true; exit 0"});
  REQUIRE(t.r.code == 0);
  CHECK(count_matching(t.lines, R"(^\d+ )") == 0);      // no thread prefix without -f
  CHECK(count_matching(t.lines, R"(^execve\()") == 1);  // sh's, not true's
  CHECK(count_matching(t.lines, R"(\+\+\+ exited with 0 \+\+\+$)") == 1);
  CHECK(count_matching(t.lines, R"(^wait4\()") >= 1);
}

TEST_CASE("snare-strace runs python3 -c pass") {
  if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed");
  auto t = run_traced({"-f", "/usr/bin/python3", "-c", "pass"});
  REQUIRE(t.r.code == 0);
  CHECK(count_matching(t.lines, R"(execve\("/usr/bin/python3", \["/usr/bin/python3", "-c", "pass"\])") == 1);
  CHECK(count_matching(t.lines, R"(\+\+\+ exited with 0 \+\+\+$)") >= 1);
  CHECK(t.lines.size() > 100);
}

TEST_CASE("snare-strace returns the guest's exit code") {
  SECTION("a status") {
    auto t = run_traced({"sh", "-c", "exit 7"});
    CHECK(t.r.code == 7);
    REQUIRE_FALSE(t.lines.empty());
    CHECK(t.lines.back() == "+++ exited with 7 +++");
  }
  SECTION("killed by a signal: snare-strace dies of the same signal, as strace does") {
    auto t = run_traced({"sh", "-c", "kill -9 $$"});
    CHECK(t.r.signal == SIGKILL);
    CHECK(t.r.code == 137);
    REQUIRE_FALSE(t.lines.empty());
    CHECK(t.lines.back() == "+++ killed by SIGKILL +++");
    // Every fatal signal, the core-dumping ones included (the tracer dumps no core).
    for (int sig : {SIGTERM, SIGSEGV, SIGABRT, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1}) {
      INFO("signal " << sig);
      auto k = run_traced({"sh", "-c", "ulimit -c 0; kill -" + std::to_string(sig) + " $$"});
      CHECK(k.r.signal == sig);
    }
    // An exit with 128+N stays an exit.
    auto e = run_traced({"sh", "-c", "exit 139"});
    CHECK(e.r.signal == 0);
    CHECK(e.r.code == 139);
  }
  SECTION("a missing command: 127 and strace's message") {
    auto t = run_traced({"snare-no-such-command-xyz"});
    CHECK(t.r.code == 127);  // strace exits with 1; snare's tools, as a shell, with 127
    CHECK(t.r.err == strace_bin + ": Can't stat 'snare-no-such-command-xyz': No such file or directory\n");
  }
  SECTION("a bad option: 2 and a hint") {
    auto r = run_command({strace_bin, "--no-such-option", "true"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--help") != std::string::npos);
    // A bad -e expression: strace's message alone and exit code 1 (its error_msg_and_die).
    for (std::string e : {"trace=no_such_call", "inject=openat:when=2", "inject=openat:error=EWHAT"}) {
      INFO(e);
      auto bad = run_command({strace_bin, "-e", e, "true"});
      CHECK(bad.code == 1);
      CHECK(bad.err.find("--help") == std::string::npos);
    }
    CHECK(run_command({strace_bin, "--backend=nope", "true"}).code == 2);
    CHECK(run_command({strace_bin}).code == 2);
  }
  SECTION("--help: 0 and the usage on stdout") {
    auto r = run_command({strace_bin, "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("Usage: snare-strace") != std::string::npos);
  }
}

TEST_CASE("snare-strace -e trace= selects names, classes and negations") {
  SECTION("one name") {
    auto t = run_traced({"-e", "trace=openat", "cat", "/dev/null"});
    REQUIRE(t.r.code == 0);
    std::size_t calls = 0;
    for (auto& l : t.lines) {
      auto n = call_name(l);
      if (n.empty()) continue;
      ++calls;
      CHECK(n == "openat");
    }
    CHECK(calls >= 3);
  }
  SECTION("a class picks its compile-time specialisation") {
    auto r = run_command(
        {strace_bin, "--tracer-info", "-e", "trace=%process", "-o", "/dev/null", "sh", "-c", "true"});
    CHECK(r.code == 0);
    CHECK(r.err.find("tracer specialised for %process") != std::string::npos);
    auto t = run_traced({"-f", "-e", "trace=%process", "sh", "-c", "/bin/true; exit 0"});
    REQUIRE(t.r.code == 0);
    std::set<std::string> names;
    for (auto& l : t.lines)
      if (auto n = call_name(l); !n.empty()) names.insert(n);
    CHECK(names.count("execve") == 1);
    CHECK(names.count("wait4") == 1);
    CHECK(names.count("openat") == 0);
    CHECK(names.count("mmap") == 0);
  }
  SECTION("a set outside every class stops the guest for its calls only (a run-time subscription)") {
    auto r = run_command({strace_bin, "--tracer-info", "-e", "trace=getppid,brk", "-o", "/dev/null", "true"});
    CHECK(r.code == 0);
    // brk and getppid, and execve, exit and exit_group, which the line discipline needs.
    CHECK(r.err.find(
              "tracer specialised for brk,getppid (run-time subscription: 5 syscalls stop the guest, and the "
              "numbers past the table") != std::string::npos);
    auto all = run_command({strace_bin, "--tracer-info", "-o", "/dev/null", "true"});
    CHECK(all.code == 0);
    CHECK(all.err.find("tracer specialised for all syscalls\n") != std::string::npos);
  }
  SECTION("negation") {
    auto t = run_traced({"-e", "trace=!openat,mmap", "cat", "/dev/null"});
    REQUIRE(t.r.code == 0);
    std::set<std::string> names;
    for (auto& l : t.lines)
      if (auto n = call_name(l); !n.empty()) names.insert(n);
    CHECK(names.count("openat") == 0);
    CHECK(names.count("mmap") == 0);
    CHECK(names.count("read") == 1);
    CHECK(names.count("close") == 1);
  }
}

TEST_CASE("snare-strace -e inject= answers calls without running them") {
  SECTION("retval= changes what the guest sees") {
    if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed");
    auto t = run_traced({"-e", "trace=getpid", "-e", "inject=getpid:retval=42", "/usr/bin/python3", "-c",
                         "import os; print(os.getpid())"});
    REQUIRE(t.r.code == 0);
    CHECK(t.r.out == "42\n");
    CHECK(count_matching(t.lines, R"(^getpid\(\) += 42 \(INJECTED\)$)") >= 1);
  }
  SECTION("error= with when=N+ makes the guest fail from the Nth call on") {
    std::string file = write_temp_file("x\n");
    // openat 1 and 2 load libc; every later one (the file) fails.
    auto t = run_traced({"-e", "trace=openat", "-e", "inject=openat:error=EACCES:when=3+", "cat", file});
    CHECK(t.r.code == 1);
    CHECK(t.r.err.find("Permission denied") != std::string::npos);
    REQUIRE(t.lines.size() >= 3);
    CHECK(t.lines[0].find("(INJECTED)") == std::string::npos);
    CHECK(t.lines[1].find("(INJECTED)") == std::string::npos);
    CHECK(count_matching(t.lines,
                         "^openat\\(AT_FDCWD, \"" + file +
                             "\", O_RDONLY\\) = -1 EACCES \\(Permission denied\\) \\(INJECTED\\)$") == 1);
    std::remove(file.c_str());
  }
  SECTION("when=N injects the Nth call only") {
    auto t = run_traced({"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=2", "true"});
    CHECK(t.r.code == 0);  // the loader finds libc by another path
    CHECK(count_matching(t.lines, R"(\(INJECTED\)$)") == 1);
    REQUIRE(t.lines.size() >= 2);
    CHECK(t.lines[1].find("(INJECTED)") != std::string::npos);
  }
}

TEST_CASE("snare-strace -e inject= counts invocations with N+S and N..L") {
  SECTION("when=2+3: the 2nd, 5th, 8th, ... openat") {
    auto t = run_traced({"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=2+3", "true"});
    CHECK(t.r.code == 0);
    std::size_t injected = 0;
    for (std::size_t i = 0; i < t.lines.size(); ++i) {
      if (call_name(t.lines[i]) != "openat") continue;
      bool expect = i + 1 >= 2 && (i + 1 - 2) % 3 == 0;
      INFO("line " << i + 1 << ": " << t.lines[i]);
      CHECK((t.lines[i].find("(INJECTED)") != std::string::npos) == expect);
      injected += expect;
    }
    CHECK(injected >= 2);
  }
  SECTION("when=2..3: the 2nd and 3rd only") {
    auto t = run_traced({"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=2..3", "true"});
    CHECK(t.r.code == 0);
    REQUIRE(t.lines.size() >= 4);
    for (std::size_t i = 0; i < t.lines.size(); ++i) {
      if (call_name(t.lines[i]) != "openat") continue;
      INFO("line " << i + 1 << ": " << t.lines[i]);
      CHECK((t.lines[i].find("(INJECTED)") != std::string::npos) == (i == 1 || i == 2));
    }
  }
}

TEST_CASE("snare-strace -T, -t, -tt and -qq shape the lines") {
  SECTION("-T appends the time spent") {
    auto t = run_traced({"-T", "-e", "trace=openat", "true"});
    REQUIRE_FALSE(t.lines.empty());
    CHECK(std::regex_search(t.lines.front(), std::regex(R"(^openat\(.*\) = 3 <\d+\.\d{6}>$)")));
  }
  SECTION("-tt prefixes the time of day with microseconds") {
    auto t = run_traced({"-tt", "-e", "trace=openat", "true"});
    REQUIRE_FALSE(t.lines.empty());
    CHECK(std::regex_search(t.lines.front(), std::regex(R"(^\d\d:\d\d:\d\d\.\d{6} openat\()")));
  }
  SECTION("-t prefixes the time of day") {
    auto t = run_traced({"-t", "-e", "trace=openat", "true"});
    REQUIRE_FALSE(t.lines.empty());
    CHECK(std::regex_search(t.lines.front(), std::regex(R"(^\d\d:\d\d:\d\d openat\()")));
  }
  SECTION("-qq drops the exit lines") {
    auto t = run_traced({"-qq", "true"});
    CHECK(t.r.code == 0);
    CHECK(count_matching(t.lines, R"(\+\+\+)") == 0);
    CHECK(count_matching(t.lines, R"(^exit_group\(0\) += \?$)") == 1);
  }
}

namespace {

// Parses a -c table into name -> {calls, errors}.
std::map<std::string, std::pair<long, long>> parse_summary(const std::string& text) {
  std::map<std::string, std::pair<long, long>> rows;
  std::regex row(R"(^ *[0-9.]+ +[0-9.]+ +\d+ +(\d+) +(\d+)? +([a-z_0-9]+)$)");
  for (auto& l : lines_of(text)) {
    std::smatch m;
    if (!std::regex_match(l, m, row)) continue;
    rows[m[3]] = {std::stol(m[1]), m[2].matched ? std::stol(m[2]) : 0};
  }
  return rows;
}

}  // namespace

TEST_CASE("snare-strace -c counts calls and errors as strace does on a multi-threaded guest") {
  if (!has_strace()) snare::test::skip("strace is not installed: nothing to compare with");
  auto t = run_traced({"-f", "-c", mt_guest});
  REQUIRE(t.r.code == 0);
  auto ours = parse_summary(t.trace);
  REQUIRE(ours.count("total") == 1);
  CHECK(ours["getppid"] == std::pair<long, long>{250, 0});
  CHECK(ours["write"] == std::pair<long, long>{150, 0});
  // strace twice: rows strace agrees with itself on (not futex waits, which depend on the
  // scheduling) must be ours exactly.
  std::map<std::string, std::pair<long, long>> ref[2];
  for (auto& r : ref) {
    std::string out = snare::test::temp_path("ref");
    auto s = run_command({"strace", "-f", "-c", "-o", out, mt_guest});
    REQUIRE(s.code == 0);
    r = parse_summary(snare::test::slurp(out));
    std::remove(out.c_str());
  }
  std::size_t compared = 0;
  for (auto& [name, counts] : ref[0]) {
    // futex counts depend on whether pthread_join had to wait: scheduling, not tracing.
    if (name == "total" || name == "futex" || ref[1][name] != counts) continue;
    INFO("syscall " << name);
    CHECK(ours[name] == counts);
    ++compared;
  }
  CHECK(compared >= 10);
  CHECK(ours["openat"].second == ref[0]["openat"].second);
}

TEST_CASE("snare-strace --backend=seccomp prints entries with unknown results") {
  snare::test::require_host(snare::host_feature::seccomp_user_notif);
  std::string file = write_temp_file("x\n");
  auto t = run_traced({"--backend=seccomp", "-e", "trace=openat", "head", "-n", "1", file});
  CHECK(t.r.code == 0);
  CHECK(t.r.out == "x\n");
  CHECK(count_matching(t.lines, "^openat\\(AT_FDCWD, \"" + file + "\", O_RDONLY\\) += \\?$") == 1);
  SECTION("the first execve shows, with its result") {
    auto u = run_traced({"--backend=seccomp", "-e", "trace=execve", "true"});
    CHECK(u.r.code == 0);
    REQUIRE_FALSE(u.lines.empty());
    CHECK(std::regex_search(u.lines.front(),
                            std::regex(R"(^execve\("/usr/bin/true", \["true"\], .*\) += 0$)")));
  }
  SECTION("-c counts the calls as ptrace does (errors are unknown)") {
    auto s = run_traced({"--backend=seccomp", "-f", "-c", mt_guest});
    auto p = run_traced({"-f", "-c", mt_guest});
    REQUIRE(s.r.code == 0);
    // The calls column of the row of `name`: "% time, seconds, usecs/call, calls, [errors,] name".
    auto calls = [](const std::string& table, const std::string& name) {
      for (auto& l : lines_of(table)) {
        std::istringstream in(l);
        std::vector<std::string> f;
        for (std::string w; in >> w;) f.push_back(w);
        if (f.size() >= 5 && f.back() == name) return std::stol(f[3]);
      }
      return -1L;
    };
    for (const char* name : {"getppid", "write", "openat", "execve", "clone3", "mmap"}) {
      INFO(name);
      CHECK(calls(s.trace, name) == calls(p.trace, name));
    }
  }
  SECTION("error injection still answers the call") {
    auto u = run_traced({"--backend=seccomp", "-e", "trace=openat", "-e",
                         "inject=openat:error=EACCES:when=3+", "head", "-n", "1", file});
    CHECK(u.r.code == 1);
    CHECK(count_matching(u.lines, "^openat\\(AT_FDCWD, \"" + file + "\", O_RDONLY\\) = -1 EACCES") == 1);
  }
  std::remove(file.c_str());
}

TEST_CASE("snare-strace --backend=kvm traces a static program in a micro-VM") {
  snare::test::require_host(snare::host_feature::kvm);
  if (::access("/bin/busybox", X_OK) != 0) snare::test::skip("busybox-static is not installed");
  auto t = run_traced({"--backend=kvm", "/bin/busybox", "echo", "hi"});
  CHECK(t.r.code == 0);
  CHECK(t.r.out == "hi\n");
  CHECK(count_matching(t.lines, R"(^write\(1, "hi\\n", 3\) += 3$)") == 1);
  CHECK(count_matching(t.lines, R"(^exit_group\(0\) += \?$)") == 1);
  REQUIRE_FALSE(t.lines.empty());
  CHECK(t.lines.back() == "+++ exited with 0 +++");
  SECTION("retval injection") {
    auto u = run_traced(
        {"--backend=kvm", "-e", "trace=getuid", "-e", "inject=getuid:retval=7", "/bin/busybox", "id", "-u"});
    CHECK(u.r.code == 0);
    CHECK(u.r.out == "7\n");
    CHECK(count_matching(u.lines, R"(^getuid\(\) += 7 \(INJECTED\)$)") >= 1);  // id asks twice
  }
}

TEST_CASE("snare-strace --host prints every host feature with the probe's answer") {
  auto r = run_command({strace_bin, "--host"});
  CHECK(r.code == 0);
  auto rows = lines_of(r.out);
  REQUIRE(rows.size() == snare::host_feature_count + 1);  // a header, then a row per feature
  for (std::size_t i = 0; i < snare::host_feature_count; ++i) {
    const auto& info = snare::host_feature_table[i];
    INFO(rows[i + 1]);
    const std::string name(info.name);
    // The same host answers the same in this process (unless SNARE_HOST_DENY is set here).
    const char* has = snare::host_features().has(info.feature) ? "yes" : "no";
    CHECK(std::regex_search(rows[i + 1], std::regex("^" + name + " +" + has + " +\\S")));
    CHECK(rows[i + 1].find("(needed by " + std::string(info.needed_by) + ")") != std::string::npos);
  }
}

TEST_CASE("snare-strace refuses a backend the host cannot run: exit code 69 and the reason") {
  for (auto [backend, feature] : {std::pair{"--backend=kvm", "kvm"},
                                  {"--backend=seccomp", "seccomp_user_notif"},
                                  {"--backend=ptrace", "ptrace"}}) {
    INFO(backend);
    auto r =
        run_command({"/usr/bin/env", std::string("SNARE_HOST_DENY=") + feature, strace_bin, backend, "true"});
    CHECK(r.code == snare::exit_host_unsupported);
    CHECK(r.err.find(std::string("host feature ") + feature + " is absent: withheld by SNARE_HOST_DENY") !=
          std::string::npos);
  }
}

TEST_CASE("snare-strace -v prints argv and the environment unabbreviated, as strace -v does") {
  const std::vector<std::string> cmd = {"env",       "-i", "A=1", "B=2", "C=3", "D=4", "E=5", "F=6",
                                        "/bin/true", "a",  "b",   "c",   "d",   "e",   "f",   "g"};
  std::vector<std::string> args = {"-v", "-s", "4", "-e", "trace=execve"};
  args.insert(args.end(), cmd.begin(), cmd.end());
  auto t = run_traced(args);
  CHECK(t.r.code == 0);
  const std::string expected =
      R"(execve("/bin/true", ["/bin"..., "a", "b", "c", "d", "e", "f", "g"], ["A=1", "B=2", "C=3", "D=4", "E=5", "F=6"]) = 0)";
  CHECK(count_matching(t.lines, std::regex_replace(expected, std::regex(R"([.*+?^${}()|\[\]\\])"), R"(\$&)") +
                                    "$") == 1);
  if (!has_strace()) return;
  std::string theirs = snare::test::temp_path("strace-v");
  std::vector<std::string> sargs = {"strace", "-o", theirs};
  sargs.insert(sargs.end(), args.begin(), args.end());
  CHECK(run_command(sargs).code == 0);
  auto lines = lines_of(snare::test::slurp(theirs));
  CHECK(std::find(lines.begin(), lines.end(), expected) != lines.end());
  std::remove(theirs.c_str());
}
