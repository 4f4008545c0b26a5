// snare-strace -p against strace -p on the same running guest (tests/guests/attach_target.c:
// three threads calling getppid, the main one blocked in read): the attach and detach
// messages, the trace's lines, the exit by the interrupting signal, and the guest running
// on untraced to its normal end. Skipped when strace is not installed.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <run.hpp>
#include <skip.hpp>

namespace {

const std::string strace_bin = "/usr/bin/strace";
const std::string snare_bin = SNARE_STRACE_PATH;

using snare::test::lines_of;
using snare::test::slurp;

// The guest, with a pipe on its stdin (a byte 'q' ends it) and its stdout on a file.
struct guest {
  pid_t pid = -1;
  int in = -1;
  std::string out = snare::test::temp_path("guest");

  guest() {
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(p[0], 0);
      const int o = ::open(out.c_str(), O_WRONLY | O_TRUNC);
      ::dup2(o, 1);
      ::execl(SNARE_ATTACH_GUEST_PATH, SNARE_ATTACH_GUEST_PATH, "3", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(p[0]);
    in = p[1];
    for (int i = 0; i < 500 && slurp(out).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(slurp(out) == "ready\n");
  }
  ~guest() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    ::close(in);
    std::remove(out.c_str());
  }
  guest(const guest&) = delete;
  guest& operator=(const guest&) = delete;

  // Ends the guest ('q'), returns its exit code (-1 when killed) and what it wrote.
  std::pair<int, std::string> finish() {
    REQUIRE(::write(in, "q", 1) == 1);
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0) {
    }
    pid = -1;
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out)};
  }
};

// Waits up to 5 s for process `pid` to be gone or a zombie; says whether it is.
bool ends(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    const std::string st = slurp("/proc/" + std::to_string(pid) + "/stat");
    if (st.empty() || st.find(") Z ") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Waits up to 5 s for process `pid` to be traced by `tracer` (/proc/PID/status's TracerPid).
void wait_traced_by(pid_t pid, pid_t tracer) {
  const std::string line = "\nTracerPid:\t" + std::to_string(tracer) + "\n";
  for (int i = 0;
       i < 500 && slurp("/proc/" + std::to_string(pid) + "/status").find(line) == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// The threads of process `pid` (/proc/PID/task).
std::set<std::string> threads_of(pid_t pid) {
  std::set<std::string> tids;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') tids.insert(e->d_name);
    ::closedir(d);
  }
  return tids;
}

struct traced {
  snare::test::command_result r;
  std::vector<std::string> trace, messages;
};

// Runs `tracer -f -e TRACE -o FILE -p PID`, lets it trace until each worker's call was
// seen, then sends it SIGINT, as a user's Ctrl-C does. Keeps the getppid lines.
traced attach_and_interrupt(const std::string& tracer, pid_t pid, const std::string& trace) {
  const std::string out = snare::test::temp_path("trace"), err = snare::test::temp_path("err"),
                    so = snare::test::temp_path("so");
  const pid_t t =
      snare::test::start_command({tracer, "-f", "-e", trace, "-o", out, "-p", std::to_string(pid)}, so, err);
  static const std::regex call(R"(^(\d+) +getppid\(\) += \d+$)");
  for (int i = 0; i < 1000; ++i) {
    std::set<std::string> callers;
    for (auto& l : lines_of(slurp(out))) {
      std::smatch m;
      if (std::regex_match(l, m, call)) callers.insert(m[1]);
    }
    if (callers.size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(t, SIGINT);
  traced r;
  snare::test::wait_command(t, r.r);
  for (auto& l : lines_of(slurp(out)))
    if (l.find("getppid") != std::string::npos) r.trace.push_back(l);
  r.messages = lines_of(slurp(err));
  for (const auto& f : {out, err, so}) std::remove(f.c_str());
  return r;
}

// A trace line reduced to its shape: the thread id and the result made "N", and a line the
// detach or the attach cut (a call of a thread stopped within it) kept as its call's name.
std::set<std::string> shapes(const std::vector<std::string>& lines) {
  std::set<std::string> s;
  static const std::regex num(R"(\d+)"), space(R"( +)");
  for (const auto& l : lines) s.insert(std::regex_replace(std::regex_replace(l, num, "N"), space, " "));
  return s;
}

// The messages without the tool's name ("strace: ", "snare-strace: "); with `process_only`,
// only "Process N ..." ones (strace may warn of a call it finds half-way at the attach:
// "pid N: entering, ptrace_syscall_info.op == 2").
std::set<std::string> messages(const std::vector<std::string>& lines, bool process_only = true) {
  std::set<std::string> s;
  for (const auto& l : lines) {
    std::string m = l.substr(l.find(": ") + 2);
    if (!process_only || m.starts_with("Process ")) s.insert(m);
  }
  return s;
}

}  // namespace

TEST_CASE("snare-strace -f -p attaches, traces and detaches as strace -f -p does") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  // Every call (PTRACE_SYSCALL), and getppid only (a seccomp filter when the guest takes one:
  // then a keeper stays until the guest ends; see the test below).
  const std::string trace = GENERATE(std::string("trace=all"), std::string("trace=getppid"));
  guest g;
  const std::set<std::string> tids = threads_of(g.pid);
  REQUIRE(tids.size() == 4);
  const traced want = attach_and_interrupt(strace_bin, g.pid, trace);
  const traced got = attach_and_interrupt(snare_bin, g.pid, trace);

  // Both end by the signal that interrupted them.
  CHECK(want.r.signal == SIGINT);
  CHECK(got.r.signal == SIGINT);
  // "Process P attached with 4 threads", then "Process T detached" for each thread.
  std::set<std::string> expected{"Process " + std::to_string(g.pid) + " attached with 4 threads"};
  for (const auto& t : tids) expected.insert("Process " + t + " detached");
  CHECK(messages(want.messages) == expected);
  CHECK(messages(got.messages) == expected);
  // The same kinds of lines: "TID getppid() = PPID", perhaps one cut by the detach.
  std::set<std::string> allowed{"N getppid() = N", "N getppid( <detached ...>", "N getppid( <unfinished ...>",
                                "N <... getppid resumed>) = N"};
  for (const auto& s : shapes(want.trace)) CHECK(allowed.count(s) == 1);
  for (const auto& s : shapes(got.trace)) CHECK(allowed.count(s) == 1);
  CHECK(shapes(got.trace).count("N getppid() = N") == 1);

  // The guest never noticed: still blocked in its read, its workers still calling.
  auto [code, out] = g.finish();
  CHECK(code == 3);
  CHECK(out == "ready\nusr1=0 calls=1\n");
}

TEST_CASE("snare-strace -p of a missing process fails as strace does") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  pid_t missing = 4000000;
  while (::kill(missing, 0) == 0 || errno != ESRCH) --missing;
  const auto want = snare::test::run_command({strace_bin, "-p", std::to_string(missing)});
  const auto got = snare::test::run_command({snare_bin, "-p", std::to_string(missing)});
  CHECK(want.code == 1);
  CHECK(got.code == 1);
  CHECK(messages(lines_of(got.err), false) == messages(lines_of(want.err), false));
}

TEST_CASE("snare-strace -p takes strace's lists and refuses a bad one") {
  const auto bad = snare::test::run_command({snare_bin, "-p", "1,x"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("Invalid process id: 'x'") != std::string::npos);
  const auto zero = snare::test::run_command({snare_bin, "-p", "0"});
  CHECK(zero.code == 2);
  CHECK(zero.err.find("Invalid process id: '0'") != std::string::npos);
  const auto none = snare::test::run_command({snare_bin});
  CHECK(none.err.find("must have PROG [ARGS] or -p PID") != std::string::npos);
}

TEST_CASE(
    "snare-strace -p with a trace set injects a filter, returns at the detach and leaves a silent keeper") {
  if (::geteuid() != 0) snare::test::skip("needs root: the guest must have CAP_SYS_ADMIN to take the filter");
  guest g;
  const std::string out = snare::test::temp_path("trace"), err = snare::test::temp_path("err"),
                    so = snare::test::temp_path("so");
  const pid_t t = snare::test::start_command(
      {snare_bin, "-f", "-e", "trace=getppid", "-o", out, "-p", std::to_string(g.pid)}, so, err);
  static const std::regex call(R"(^(\d+) +getppid\(\) += \d+$)");
  std::set<std::string> callers;
  for (int i = 0; i < 1000 && callers.size() < 3; ++i) {
    for (auto& l : lines_of(slurp(out))) {
      std::smatch m;
      if (std::regex_match(l, m, call)) callers.insert(m[1]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(callers.size() == 3);
  ::kill(t, SIGINT);
  snare::test::command_result r;
  snare::test::wait_command(t, r);
  CHECK(r.signal == SIGINT);
  const std::string said = slurp(err);
  CHECK(said.find("Process " + std::to_string(g.pid) + " detached") != std::string::npos);
  CHECK(said.find("carries snare's seccomp filter") != std::string::npos);
  // Left behind: the filter, and the keeper as the guest's tracer (not snare-strace, gone).
  const std::string status = slurp("/proc/" + std::to_string(g.pid) + "/status");
  CHECK(status.find("\nSeccomp:\t2\n") != std::string::npos);
  const auto tp = status.find("\nTracerPid:\t");
  REQUIRE(tp != std::string::npos);
  const pid_t keeper = std::atoi(status.c_str() + tp + 12);
  CHECK(keeper > 0);
  CHECK(keeper != t);
  // Silent: the trace is finished.
  const std::string trace = slurp(out);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(slurp(out) == trace);
  // The guest's calls, subscribed or not, and a fork keep working to its normal end.
  REQUIRE(::write(g.in, "f", 1) == 1);
  auto [code, output] = g.finish();
  CHECK(code == 3);
  CHECK(output == "ready\nchild=5\nusr1=0 calls=1\n");
  // The keeper ends with the process.
  CHECK(ends(keeper));
  for (const auto& f : {out, err, so}) std::remove(f.c_str());
}

namespace {

// Runs `tracer -f? -e trace=exit_group -o FILE -p PID sh -c 'echo > MARK; exit 7'`: the
// command ends first, then the guest ('q'). Gives the trace's lines with each leading pid
// made "P", the tracer's end and what it said.
traced attach_with_command(const std::string& tracer, bool follow) {
  guest g;
  const std::string out = snare::test::temp_path("trace"), err = snare::test::temp_path("err"),
                    so = snare::test::temp_path("so"), mark = snare::test::temp_path("mark");
  std::vector<std::string> argv{tracer};
  if (follow) argv.push_back("-f");
  for (const char* a : {"-e", "trace=exit_group", "-o"}) argv.push_back(a);
  argv.push_back(out);
  argv.push_back("-p");
  argv.push_back(std::to_string(g.pid));
  for (const char* a : {"sh", "-c"}) argv.push_back(a);
  argv.push_back("echo > " + mark + "; exit 7");
  const pid_t t = snare::test::start_command(argv, so, err);
  for (int i = 0; i < 1000 && slurp(mark).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(slurp(mark) == "\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the command's end is seen
  auto [code, output] = g.finish();                             // the guest's end ends the run
  CHECK(code == 3);
  CHECK(output == "ready\nusr1=0 calls=1\n");
  traced r;
  snare::test::wait_command(t, r.r);
  static const std::regex pid(R"(^\d+ +)"), space(R"( +)");
  for (auto& l : lines_of(slurp(out)))
    r.trace.push_back(std::regex_replace(std::regex_replace(l, pid, "P "), space, " "));
  r.messages = lines_of(slurp(err));
  for (const auto& f : {out, err, so, mark}) std::remove(f.c_str());
  return r;
}

}  // namespace

TEST_CASE("snare-strace -p PID with a command traces both, as strace does") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  const bool follow = GENERATE(false, true);
  const traced want = attach_with_command(strace_bin, follow);
  const traced got = attach_with_command(snare_bin, follow);
  // The exit code is the command's, not the attached process's.
  CHECK(want.r.code == 7);
  CHECK(got.r.code == 7);
  // -o with a command implies -q: nothing said.
  CHECK(want.messages.empty());
  CHECK(got.messages.empty());
  // Every line has its pid (two processes from the start): the command's exit_group(7) and
  // end, the guest's exit_group(3) and end; with -f its three workers' ends too (their
  // exit calls are not traced: they may interleave, "<unfinished ...>").
  std::multiset<std::string> expected{"P exit_group(7) = ?", "P +++ exited with 7 +++", "P exit_group(3) = ?",
                                      "P +++ exited with 3 +++"};
  if (follow)
    for (int i = 0; i < 3; ++i) expected.insert("P +++ exited with 0 +++");
  CHECK(std::multiset<std::string>(want.trace.begin(), want.trace.end()) == expected);
  CHECK(std::multiset<std::string>(got.trace.begin(), got.trace.end()) == expected);
}

TEST_CASE("snare-strace -p PID with a command: an interrupt signals the command and detaches, as strace") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  for (const std::string& tracer : {strace_bin, snare_bin}) {
    INFO(tracer);
    guest g;
    const std::string err = snare::test::temp_path("err"), so = snare::test::temp_path("so");
    const pid_t t = snare::test::start_command(
        {tracer, "-e", "trace=getppid", "-p", std::to_string(g.pid), "sleep", "100"}, so, err);
    // The command runs once the tracer's child is sleep (its exec), the guest once attached.
    pid_t command = -1;
    for (int i = 0; i < 500 && command < 0; ++i) {
      for (const auto& l :
           lines_of(slurp("/proc/" + std::to_string(t) + "/task/" + std::to_string(t) + "/children")))
        for (std::size_t at = 0; at < l.size();) {
          const pid_t c = std::atoi(l.c_str() + at);
          if (slurp("/proc/" + std::to_string(c) + "/comm") == "sleep\n") command = c;
          at = l.find(' ', at);
          at = at == std::string::npos ? l.size() : at + 1;
        }
      if (command < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(command > 0);
    wait_traced_by(g.pid, t);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::kill(t, SIGINT);
    snare::test::command_result r;
    snare::test::wait_command(t, r);
    CHECK(r.signal == SIGINT);
    const std::string said = slurp(err);
    CHECK(said.find("Process " + std::to_string(g.pid) + " attached") != std::string::npos);
    CHECK(said.find("Process " + std::to_string(g.pid) + " detached") != std::string::npos);
    CHECK(said.find("Process " + std::to_string(command) + " detached") != std::string::npos);
    // The command got SIGINT (sleep dies of it); the guest runs on, untraced, to its end.
    CHECK(ends(command));
    CHECK(slurp("/proc/" + std::to_string(g.pid) + "/status").find("\nTracerPid:\t0\n") != std::string::npos);
    auto [code, out] = g.finish();
    CHECK(code == 3);
    CHECK(out == "ready\nusr1=0 calls=1\n");
    for (const auto& f : {err, so}) std::remove(f.c_str());
  }
}

TEST_CASE(
    "snare-strace -p PID with a command: a command that survives the interrupt runs on to its end, as "
    "strace") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  for (const std::string& tracer : {strace_bin, snare_bin}) {
    INFO(tracer);
    guest g;
    const std::string said = snare::test::temp_path("said"), go = snare::test::temp_path("go"),
                      done = snare::test::temp_path("done"), err = snare::test::temp_path("err"),
                      so = snare::test::temp_path("so");
    for (const auto& f : {said, go}) REQUIRE((::unlink(f.c_str()) == 0 && ::mkfifo(f.c_str(), 0600) == 0));
    const std::string script =
        "trap '' INT; echo ready > " + said + "; read x < " + go + "; echo done > " + done;
    const pid_t t = snare::test::start_command(
        {tracer, "-e", "trace=getppid", "-p", std::to_string(g.pid), "sh", "-c", script}, so, err);
    // The command ignores SIGINT once it writes (up to 10 s); the guest runs once attached.
    const int said_fd = ::open(said.c_str(), O_RDONLY | O_NONBLOCK);
    pollfd p{said_fd, POLLIN, 0};
    char ready[8] = {};
    CHECK((said_fd >= 0 && ::poll(&p, 1, 10000) == 1 && ::read(said_fd, ready, sizeof ready) > 0));
    if (said_fd >= 0) ::close(said_fd);
    wait_traced_by(g.pid, t);
    ::kill(t, SIGINT);
    snare::test::command_result r;
    snare::test::wait_command(t, r);
    CHECK(r.signal == SIGINT);
    // The tracer is gone; the command, waiting for its go, is let go once it opens (ENXIO
    // before), and then writes its last line.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int go_fd = -1;
    for (int i = 0; i < 500 && go_fd < 0; ++i) {
      go_fd = ::open(go.c_str(), O_WRONLY | O_NONBLOCK);
      if (go_fd < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(go_fd >= 0);
    if (go_fd >= 0) {
      CHECK(::write(go_fd, "\n", 1) == 1);
      ::close(go_fd);
    }
    for (int i = 0; i < 500 && slurp(done).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(slurp(done) == "done\n");
    auto [code, out] = g.finish();
    CHECK(code == 3);
    for (const auto& f : {said, go, done, err, so}) std::remove(f.c_str());
  }
}

TEST_CASE("snare-strace -p PID with a missing command fails before it attaches, as strace") {
  if (::access(strace_bin.c_str(), X_OK) != 0) snare::test::skip("strace is not installed");
  guest g;
  const auto want = snare::test::run_command({strace_bin, "-p", std::to_string(g.pid), "/nonexistent/cmd"});
  const auto got = snare::test::run_command({snare_bin, "-p", std::to_string(g.pid), "/nonexistent/cmd"});
  CHECK(want.code == 1);
  CHECK(got.code == 127);  // a launched run's missing command: 127 (docs/tools/snare-strace.md)
  CHECK(messages(lines_of(got.err), false) == messages(lines_of(want.err), false));
  CHECK(messages(lines_of(got.err), false) ==
        std::set<std::string>{"Can't stat '/nonexistent/cmd': No such file or directory"});
  auto [code, out] = g.finish();  // never attached to
  CHECK(code == 3);
  CHECK(out == "ready\nusr1=0 calls=1\n");
}
