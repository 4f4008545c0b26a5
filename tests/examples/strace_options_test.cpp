// Tests snare-strace's strace options against strace itself: each runs the same command
// under both with the same options and compares the traces (addresses, pids and times
// masked), or checks the line shapes where the values differ from run to run.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <skip.hpp>

#include "run.hpp"

using snare::test::lines_of;
using snare::test::run_command;

namespace {

const std::string snare_bin = SNARE_STRACE_PATH;
const std::string strace_bin = "/usr/bin/strace";

bool has_strace() { return ::access(strace_bin.c_str(), X_OK) == 0; }

// Masks what differs between two runs of the same command: addresses, pids, times (a
// child's CPU times in a SIGCHLD's siginfo, in clock ticks with or without their seconds).
std::string mask(std::string line) {
  static const std::regex hex(R"(0x[0-9a-f]{5,})"), pid(R"((si_pid|pid)=\d+)"), pfx(R"(^\d+ +)"),
      ids(R"(^((getpid|getppid|gettid)\(\) += )\d+$)"), ticks(R"((si_[us]time)=\d+( /\* [0-9.]+ s \*/)?)");
  line = std::regex_replace(line, hex, "0xADDR");
  line = std::regex_replace(line, ticks, "$1=T");
  line = std::regex_replace(line, ids, "$1PID");
  line = std::regex_replace(line, pid, "$1=PID");
  return std::regex_replace(line, pfx, "PID ");
}

struct trace_result {
  int code = 0;
  std::string err;
  std::vector<std::string> lines;
};

// Runs `tracer` with -o FILE, `args` and the command; returns its exit code and masked lines.
trace_result run_with(const std::string& tracer, const std::vector<std::string>& args) {
  std::string out = snare::test::temp_path("opt-trace");
  std::vector<std::string> argv = {tracer, "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  trace_result t;
  t.code = r.code;
  t.err = r.err;
  for (auto& l : lines_of(snare::test::slurp(out))) t.lines.push_back(mask(l));
  std::remove(out.c_str());
  return t;
}

// Runs both tracers with `args`; checks that both succeed with the same trace, and returns
// snare-strace's (strace's check is skipped when strace is not installed).
std::vector<std::string> same_as_strace(const std::vector<std::string>& args) {
  auto ours = run_with(snare_bin, args);
  INFO("snare-strace stderr: " << ours.err);
  CHECK(ours.code == 0);
  if (has_strace()) {
    auto theirs = run_with(strace_bin, args);
    REQUIRE(theirs.code == 0);
    CHECK(ours.lines == theirs.lines);
  }
  return ours.lines;
}

std::string temp_file(const std::string& content) {
  std::string p = snare::test::temp_path("opt-file");
  std::ofstream(p) << content;
  return p;
}

}  // namespace

TEST_CASE("snare-strace -a and --columns align results as strace does") {
  std::string f = temp_file("hello\n");
  SECTION("-a 20") { same_as_strace({"-a", "20", "-e", "trace=read,write,close", "head", "-n", "1", f}); }
  SECTION("--columns=60") {
    same_as_strace({"--columns=60", "-e", "trace=read,close", "head", "-n", "1", f});
  }
  SECTION("-a0") {
    auto lines = same_as_strace({"-a0", "-e", "trace=write", "echo", "hi"});
    CHECK(lines.front() == R"(write(1, "hi\n", 3) = 3)");
  }
  std::remove(f.c_str());
}

TEST_CASE("snare-strace -e signal= shows only the chosen signals, as strace does") {
  const std::vector<std::string> cmd = {"sh", "-c", "trap '' USR1 USR2; kill -USR1 $$; kill -USR2 $$"};
  auto with = [&](std::string set) {
    std::vector<std::string> a = {"-e", "trace=none", "-e", "signal=" + set};
    a.insert(a.end(), cmd.begin(), cmd.end());
    return same_as_strace(a);
  };
  auto usr1 = with("SIGUSR1");
  REQUIRE(usr1.size() == 2);
  CHECK(usr1[0].starts_with("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=PID"));
  CHECK(with("!usr1,10").size() == 2);  // USR2 only (10 is SIGUSR1)
  CHECK(with("none").size() == 1);      // the exit line
  CHECK(with("all").size() == 3);
}

TEST_CASE("snare-strace prints a queued signal's value and a -X raw siginfo, as strace does") {
  // sigqueue(2) through libc: SI_QUEUE carries si_int and si_ptr (strace's printsigval).
  const std::vector<std::string> cmd = {
      "python3", "-c",
      "import ctypes, os, signal\n"
      "signal.signal(signal.SIGUSR1, signal.SIG_IGN)\n"
      "ctypes.CDLL(None).sigqueue(os.getpid(), signal.SIGUSR1, ctypes.c_void_p(42))\n"};
  for (std::string style : {"abbrev", "raw", "verbose"}) {
    INFO(style);
    std::vector<std::string> a = {"-X", style, "-e", "trace=none", "-e", "signal=SIGUSR1"};  // ctypes forks
    a.insert(a.end(), cmd.begin(), cmd.end());
    auto lines = same_as_strace(a);
    REQUIRE(lines.size() == 2);
    if (style == "abbrev")
      CHECK(lines[0] ==
            "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=PID, si_uid=0, si_int=42, "
            "si_ptr=0x2a} ---");
  }
}

TEST_CASE("snare-strace -e status=, -z and -Z print calls by how they end, as strace does") {
  const std::vector<std::string> cmd = {"cat", "/nonexistent-snare-file", "/dev/null"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = {"-e", "trace=openat,close"};  // a later -e trace= wins
    a.insert(a.end(), extra.begin(), extra.end());
    a.insert(a.end(), cmd.begin(), cmd.end());
    auto ours = run_with(snare_bin, a);
    CHECK(ours.code == 1);
    if (has_strace()) CHECK(ours.lines == run_with(strace_bin, a).lines);
    return ours.lines;
  };
  auto failed = with({"-Z"});
  CHECK(std::count_if(failed.begin(), failed.end(), [](auto& l) { return l.find("ENOENT") != l.npos; }) >= 1);
  CHECK(std::none_of(failed.begin(), failed.end(), [](auto& l) { return l.find(") = 3") != l.npos; }));
  auto ok = with({"-z"});
  CHECK(std::none_of(ok.begin(), ok.end(), [](auto& l) { return l.find("ENOENT") != l.npos; }));
  with({"-e", "status=failed,successful"});
  with({"--status=!successful"});
  auto unfinished = with({"-e", "status=unfinished", "-e", "trace=exit_group"});
  CHECK(std::count_if(unfinished.begin(), unfinished.end(),
                      [](auto& l) { return l.starts_with("exit_group(1)"); }) == 1);
}

TEST_CASE("snare-strace -P prints only the calls on that path, as strace does") {
  std::string f = temp_file("hello\n");
  auto lines = same_as_strace({"-P", f, "head", "-n", "1", f});
  CHECK(lines.size() >= 4);  // openat, newfstatat/fstat, read(s), close, exit
  same_as_strace({"--trace-path=/nonexistent-snare", "-P", f, "-e", "trace=read", "head", "-n", "1", f});
  std::remove(f.c_str());
}

TEST_CASE("snare-strace -e quiet= and -q drop messages, as strace does") {
  auto lines = same_as_strace({"-e", "quiet=exit", "-e", "trace=write", "echo", "hi"});
  CHECK(lines.size() == 1);
  CHECK(same_as_strace({"--quiet=exits,attach", "-e", "trace=none", "true"}).empty());
  CHECK(same_as_strace({"-qq", "-e", "trace=none", "true"}).empty());
}

TEST_CASE("snare-strace -e write= and -e read= dump the data, as strace does") {
  std::string f = temp_file("The quick brown fox jumps over the lazy dog, twice over.\n");
  auto lines = same_as_strace({"-e", "trace=write", "-e", "write=1", "head", "-n", "1", f});
  CHECK(lines.at(1) == " | 00000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  The quick brown  |");
  same_as_strace({"-e", "trace=read", "-e", "read=3", "-s", "8", "head", "-n", "1", f});
  // python3 may be a shim that forks: its children's SIGCHLDs are no part of this.
  same_as_strace({"-e", "trace=writev", "-e", "write=all", "-e", "signal=none", "python3", "-c",
                  "import os; os.writev(1, [b'ab', b'', b'cd\\n'])"});
  std::remove(f.c_str());
}

TEST_CASE("snare-strace -x, -xx and --strings-in-hex print strings in hex, as strace does") {
  std::string f = temp_file("plain\n\x01\x02\xff tail\n");
  for (const char* x : {"-x", "-xx", "--strings-in-hex=non-ascii-chars", "--strings-in-hex=none"})
    same_as_strace({x, "-e", "trace=read,write", "head", "-c", "20", f});
  std::remove(f.c_str());
}

TEST_CASE("snare-strace -n and -e raw= print numbers, as strace does") {
  same_as_strace({"-n", "-e", "trace=write,close", "echo", "hi"});
  auto raw = same_as_strace({"-e", "raw=write", "-e", "trace=write,close", "echo", "hi"});
  CHECK(std::count_if(raw.begin(), raw.end(),
                      [](auto& l) { return l.starts_with("write(0x1, 0xADDR, 0x3)"); }) == 1);
  auto args = std::vector<std::string>{"-e", "raw=all", "-e", "trace=openat", "cat", "/nonexistent-snare"};
  auto ours = run_with(snare_bin, args);
  CHECK(ours.code == 1);
  CHECK(std::count_if(ours.lines.begin(), ours.lines.end(), [](auto& l) {
          return l.ends_with("= -1 ENOENT (No such file or directory)") &&
                 l.starts_with("openat(0xADDR, 0xADDR, ");  // AT_FDCWD is 0xffffff9c
        }) >= 1);
  if (has_strace()) CHECK(ours.lines == run_with(strace_bin, args).lines);
}

TEST_CASE("snare-strace -e fault= fails calls with ENOSYS by default, as strace does") {
  auto a = std::vector<std::string>{"-e", "trace=openat", "-e", "fault=openat:when=3", "cat", "/dev/null"};
  auto ours = run_with(snare_bin, a);
  CHECK(std::count_if(ours.lines.begin(), ours.lines.end(), [](auto& l) {
          return l.ends_with("= -1 ENOSYS (Function not implemented) (INJECTED)");
        }) == 1);
  if (has_strace()) CHECK(ours.lines == run_with(strace_bin, a).lines);
  a[3] = "fault=openat:error=EPERM:when=3";
  ours = run_with(snare_bin, a);
  if (has_strace()) CHECK(ours.lines == run_with(strace_bin, a).lines);
}

TEST_CASE("snare-strace trace sets take /regex, ?name, %pure, i386 names and empty items, as strace does") {
  same_as_strace({"-e", "trace=?no_such_call,/^(read|close)$,,mmap2", "head", "-n", "1", "/etc/hostname"});
  same_as_strace({"-e", "trace=%pure", "sh", "-c", "echo $$ > /dev/null"});
  same_as_strace({"--trace=ipc,%net", "true"});
  CHECK(run_with(snare_bin, {"-e", "trace=/^no_such", "true"}).code == 1);  // strace's: the message alone
  CHECK(run_with(snare_bin, {"-e", "trace=mmap3", "true"}).err.find("invalid system call 'mmap3'") !=
        std::string::npos);
}

TEST_CASE("snare-strace -e abbrev=none prints execve's environment, as -v does") {
  // The second execve: its environment is env -i's, the same under both tracers.
  auto args =
      std::vector<std::string>{"-e", "abbrev=none", "-e", "trace=execve", "env", "-i", "A=1", "/bin/true"};
  auto ours = run_with(snare_bin, args);
  CHECK(ours.code == 0);
  REQUIRE(ours.lines.size() == 3);
  CHECK(ours.lines[1] == R"(execve("/bin/true", ["/bin/true"], ["A=1"]) = 0)");
  if (has_strace()) CHECK(run_with(strace_bin, args).lines.at(1) == ours.lines[1]);
  CHECK(run_with(snare_bin, {"-e", "trace=execve", "env", "-i", "A=1", "/bin/true"}).lines.at(1) ==
        R"(execve("/bin/true", ["/bin/true"], 0xADDR /* 1 var */) = 0)");
}

TEST_CASE("snare-strace -yy and -e decode-fds= print sockets, devices and pidfds, as strace does") {
  // Socket inodes and pids differ between the two runs: masked.
  static const std::regex inode(R"((UNIX|UNIX-STREAM|NETLINK):\[[0-9]+(->[0-9]+)?)"), pid(R"(<pid:[0-9]+>)");
  auto masked = [](std::vector<std::string> lines) {
    for (auto& l : lines) l = std::regex_replace(std::regex_replace(l, inode, "$1:[INODE"), pid, "<pid:PID>");
    return lines;
  };
  // Only calls the script itself makes on those fds (python3 may be a shell shim that forks).
  const std::string py =
      "import os, signal, socket\n"
      "a, b = socket.socketpair()\n"
      "a.send(b'x'); b.recv(1)\n"
      "a.shutdown(socket.SHUT_RDWR)\n"
      "fd = os.pidfd_open(os.getpid()); signal.pidfd_send_signal(fd, 0)\n"
      "fd = os.open('/dev/null', os.O_RDONLY)\n"
      "try: os.fsync(fd)\n"
      "except OSError: pass\n";
  const std::string calls = "trace=sendto,recvfrom,shutdown,pidfd_send_signal,fsync";
  for (const char* opt : {"-yy", "--decode-fds=socket,dev", "-e decode-fds=pidfd", "--decode-fds=all"}) {
    INFO(opt);
    std::vector<std::string> args;
    if (std::string(opt).rfind("-e ", 0) == 0)
      args = {"-e", std::string(opt).substr(3)};
    else
      args = {opt};
    args.insert(args.end(), {"-e", calls, "-e", "signal=none", "python3", "-I", "-S", "-c", py});
    auto ours = run_with(snare_bin, args);
    INFO("snare-strace stderr: " << ours.err);
    REQUIRE(ours.code == 0);
    if (!has_strace()) continue;
    auto theirs = run_with(strace_bin, args);
    REQUIRE(theirs.code == 0);
    CHECK(masked(ours.lines) == masked(theirs.lines));
  }
  auto lines = masked(run_with(snare_bin, {"-yy", "-e", calls, "python3", "-I", "-S", "-c", py}).lines);
  auto has = [&](const std::string& s) {
    for (auto& l : lines)
      if (l.find(s) != std::string::npos) return true;
    return false;
  };
  CHECK(has("<UNIX-STREAM:[INODE]>, SHUT_RDWR)"));
  CHECK(has("<pid:PID>, 0, NULL, 0)"));
  CHECK(has("</dev/null<char 1:3>>)"));
}

TEST_CASE("snare-strace -X abbrev is the default form") {
  same_as_strace({"-X", "abbrev", "-e", "trace=openat", "cat", "/dev/null"});
}

TEST_CASE("snare-strace -X raw prints numbers and -X verbose numbers with their names, as strace") {
  // Flags (openat, mprotect), enumerations (fcntl, lseek), signals (rt_sigaction) and errors.
  std::vector<std::string> cmd = {"-e", "trace=openat,fcntl,lseek,rt_sigaction,mprotect", "sh", "-c",
                                  "exec 3</dev/null; cat /no/such/file 2>/dev/null; trap : INT"};
  for (const char* style : {"raw", "verbose", "abbrev"}) {
    INFO("-X " << style);
    std::vector<std::string> args = {"-X", style};
    args.insert(args.end(), cmd.begin(), cmd.end());
    auto lines = same_as_strace(args);
    CHECK_FALSE(lines.empty());
    auto has = [&](const std::string& s) {
      return std::any_of(lines.begin(), lines.end(), [&](auto& l) { return l.find(s) != std::string::npos; });
    };
    if (std::string(style) == "raw") CHECK_FALSE(has("O_RDONLY"));
    if (std::string(style) == "verbose") CHECK(has(" /* O_RDONLY"));
  }
}

TEST_CASE("snare-strace timestamps: -r, --timestamps, --absolute-timestamps, -T precision") {
  auto shape = [](std::vector<std::string> args, const std::string& re) {
    args.insert(args.end(), {"-e", "trace=write", "echo", "hi"});
    auto t = run_with(snare_bin, args);
    CHECK(t.code == 0);
    REQUIRE_FALSE(t.lines.empty());
    INFO(t.lines.front());
    CHECK(std::regex_search(t.lines.front(), std::regex(re)));
  };
  shape({"-r"}, R"(^ +\d+\.\d{6} write\()");
  shape({"--relative-timestamps=ms"}, R"(^ +\d+\.\d{3} write\()");
  shape({"--timestamps=unix,ms"}, R"(^\d{10}\.\d{3} write\()");
  shape({"--absolute-timestamps=format:time,precision:ns"}, R"(^\d\d:\d\d:\d\d\.\d{9} write\()");
  shape({"--timestamps"}, R"(^\d\d:\d\d:\d\d write\()");
  shape({"-t", "-r"}, R"(^\d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) write\()");
  shape({"--syscall-times=ns"}, R"( = 3 <\d+\.\d{9}>$)");
  shape({"-i"}, R"(^\[[0-9a-f]{16}\] write\()");
}

TEST_CASE("snare-strace -C, -S and -O print the trace and the summary") {
  auto t = run_with(snare_bin, {"-C", "-S", "calls", "-O", "1ns", "-e", "trace=write,close", "sh", "-c",
                                "echo a; echo b; echo c"});
  CHECK(t.code == 0);
  auto at = [&](const std::string& what) {
    for (std::size_t i = 0; i < t.lines.size(); ++i)
      if (t.lines[i].find(what) != std::string::npos) return i;
    return t.lines.size();
  };
  CHECK(at("write(1, \"a\\n\", 2)") < at("% time"));  // the trace, then the table
  CHECK(at(" write") < at(" close"));                 // -S calls: 3 writes before fewer closes
  CHECK(at("total") + 1 == t.lines.size());
  CHECK(run_with(snare_bin, {"-c", "-C", "true"}).code == 2);
  CHECK(run_with(snare_bin, {"-S", "size", "true"}).code == 2);
}

TEST_CASE("snare-strace -U chooses the summary's columns and lays them out as strace does") {
  const std::vector<std::string> args = {"-c",
                                         "-U",
                                         "time,max_time,min-time,avg_time,calls,errors",
                                         "-S",
                                         "calls",
                                         "sh",
                                         "-c",
                                         "echo a; echo b"};
  auto ours = run_with(snare_bin, args);
  REQUIRE(ours.code == 0);
  REQUIRE(ours.lines.size() >= 5);
  CHECK(ours.lines[0] == "% time  longest shortest  usecs/call     calls    errors syscall");
  CHECK(ours.lines[1] == "------ -------- -------- ----------- --------- --------- ----------------");
  // -S calls: the calls column never grows going down.
  std::regex row(R"(^ *[0-9.]+ +[0-9.]+ +[0-9.]+ +\d+ +(\d+) )");
  long before = -1;
  for (std::size_t i = 2; i + 2 < ours.lines.size(); ++i) {
    std::smatch m;
    REQUIRE(std::regex_search(ours.lines[i], m, row));
    long calls = std::stol(m[1]);
    if (before >= 0) CHECK(calls <= before);
    before = calls;
  }
  CHECK(run_with(snare_bin, {"-c", "-U", "time,bogus", "true"}).code == 2);
  CHECK(run_with(snare_bin, {"-c", "-U", "calls,count", "true"}).code == 2);
  if (!has_strace()) return;
  auto theirs = run_with(strace_bin, args);
  REQUIRE(theirs.lines.size() >= 2);
  CHECK(ours.lines[0] == theirs.lines[0]);
  CHECK(ours.lines[1] == theirs.lines[1]);
}

TEST_CASE("snare-strace -c counts each call's system time, and -w its wall-clock time, as strace does") {
  // A 0.3 s sleep uses almost no CPU time: its system time is far below its wall-clock time.
  auto seconds_of = [](const std::vector<std::string>& lines, const std::string& call) {
    std::regex re(R"(^ *[0-9.]+ +([0-9.]+) .* )" + call + "$");
    for (auto& l : lines) {
      std::smatch m;
      if (std::regex_search(l, m, re)) return std::stod(m[1]);
    }
    return -1.0;
  };
  auto sys = run_with(snare_bin, {"-c", "-e", "trace=clock_nanosleep,nanosleep", "sleep", "0.3"});
  auto wall = run_with(snare_bin, {"-c", "-w", "-e", "trace=clock_nanosleep,nanosleep", "sleep", "0.3"});
  REQUIRE(sys.code == 0);
  REQUIRE(wall.code == 0);
  double s = std::max(seconds_of(sys.lines, "clock_nanosleep"), seconds_of(sys.lines, "nanosleep"));
  double w = std::max(seconds_of(wall.lines, "clock_nanosleep"), seconds_of(wall.lines, "nanosleep"));
  CHECK(s >= 0.0);
  CHECK(s < 0.1);
  CHECK(w >= 0.29);
  // -O without a unit is in microseconds: 100000 takes 0.1 s off the sleep, and 2000000
  // all of it (a call's time stops at 0). Bounds that hold within each run: on a loaded
  // host one run's sleep may take longer than another's.
  auto with_overhead = [&](const char* overhead) {
    auto r = run_with(snare_bin,
                      {"-c", "-w", "-O", overhead, "-e", "trace=clock_nanosleep,nanosleep", "sleep", "0.3"});
    return std::max(seconds_of(r.lines, "clock_nanosleep"), seconds_of(r.lines, "nanosleep"));
  };
  CHECK(with_overhead("100000") >= 0.19);
  CHECK(with_overhead("2000000") == 0.0);
}

TEST_CASE("snare-strace -A appends and -ff -o writes one file per process") {
  std::string out = snare::test::temp_path("opt-ff");
  SECTION("-A") {
    CHECK(run_command({snare_bin, "-o", out, "-e", "trace=write", "echo", "a"}).code == 0);
    CHECK(run_command({snare_bin, "-A", "-o", out, "-e", "trace=write", "echo", "b"}).code == 0);
    auto lines = lines_of(snare::test::slurp(out));
    CHECK(lines.size() == 4);  // two writes, two exit lines
    std::remove(out.c_str());
  }
  SECTION("-ff") {
    auto r = run_command(
        {snare_bin, "-ff", "-o", out, "-e", "trace=execve,write", "sh", "-c", "/bin/echo a; /bin/echo b"});
    CHECK(r.code == 0);
    CHECK(snare::test::slurp(out).empty());  // nothing in FILE itself
    auto found = run_command({"sh", "-c", "ls " + out + ".* | wc -l; cat " + out + ".*"});
    CHECK(found.out.starts_with("3\n"));  // sh and its two children
    CHECK(std::regex_search(found.out, std::regex(R"(\nwrite\(1, "a\\n", 2\) += 2\n)")));  // no pid prefix
    run_command({"sh", "-c", "rm -f " + out + ".*"});
  }
}

TEST_CASE("snare-strace -k prints the guest's stack after each call") {
  auto t = run_with(snare_bin, {"-k", "-e", "trace=write", "echo", "hi"});
  CHECK(t.code == 0);
  REQUIRE(t.lines.size() >= 3);
  CHECK(t.lines[0].starts_with("write(1,"));
  CHECK(std::regex_search(t.lines[1], std::regex(R"(^ > /.*libc\.so\.6\(.*\) \[0x[0-9a-fA-DR]+\]$)")));
}

TEST_CASE("snare-strace -E sets and removes the command's environment variables, as strace does") {
  ::setenv("SNARE_E_REMOVED", "inherited", 1);
  std::vector<std::string> args = {"-e",
                                   "trace=none",
                                   "-E",
                                   "SNARE_E_SET=1",
                                   "-E",
                                   "SNARE_E_REMOVED",
                                   "sh",
                                   "-c",
                                   "echo \"$SNARE_E_SET:${SNARE_E_REMOVED-unset}\""};
  for (const char* backend : {"--backend=ptrace", "--backend=seccomp"}) {
    std::vector<std::string> argv = {snare_bin, backend};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv);
    INFO(backend << ": " << r.err);
    CHECK(r.code == 0);
    CHECK(r.out == "1:unset\n");
  }
  if (has_strace()) {
    std::vector<std::string> argv = {strace_bin};
    argv.insert(argv.end(), args.begin(), args.end());
    CHECK(run_command(argv).out == "1:unset\n");
  }
}

TEST_CASE("snare-strace -u USER runs the command as USER, and names a user it cannot find") {
  auto missing = run_command({snare_bin, "-u", "no-such-user-snare", "true"});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("cannot find user 'no-such-user-snare'") != std::string::npos);
  if (::geteuid() != 0) snare::test::skip("-u needs root (setuid), as strace's does");
  for (const char* backend : {"--backend=ptrace", "--backend=seccomp"}) {
    auto r =
        run_command({snare_bin, backend, "-e", "trace=none", "-u", "nobody", "sh", "-c", "id -u; id -g"});
    INFO(backend << ": " << r.err);
    CHECK(r.code == 0);
    CHECK(r.out == "65534\n65534\n");
  }
}

TEST_CASE(
    "snare-strace accepts --seccomp-bpf and --kill-on-exit, and rejects what it cannot do with a reason") {
  CHECK(run_with(snare_bin, {"--seccomp-bpf", "--kill-on-exit", "-f", "true"}).code == 0);
  for (std::vector<std::string> bad : {std::vector<std::string>{"-D", "-p", "1"},
                                       {"-D", "-u", "root"},
                                       {"-b", "execve", "--backend=seccomp"}}) {
    bad.push_back("true");
    auto r = run_command([&] {
      std::vector<std::string> a = {snare_bin};
      a.insert(a.end(), bad.begin(), bad.end());
      return a;
    }());
    INFO(bad.front());
    CHECK(r.code == 2);
    CHECK(r.err.find(snare_bin + ": ") == 0);  // argv[0], as strace's messages
    CHECK(r.err.find("Try '" + snare_bin + " --help'") != std::string::npos);
  }
}

TEST_CASE("snare-strace names itself in its messages as it was invoked (argv[0]), as strace does") {
  // A symlink with another name: the messages follow the name, not the binary. The trace
  // goes to a file; -o with a command implies -q, so -e quiet=none keeps the message.
  std::string link = snare::test::temp_path("my-tracer");
  std::remove(link.c_str());  // temp_path made the file
  REQUIRE(::symlink(snare_bin.c_str(), link.c_str()) == 0);
  const std::vector<std::string> args = {"-o", "/dev/null", "-e", "quiet=none",
                                         "-f", "sh",        "-c", "(exit 0); exit 0"};
  auto ours = run_command([&] {
    std::vector<std::string> a = {link};
    a.insert(a.end(), args.begin(), args.end());
    return a;
  }());
  std::remove(link.c_str());
  CHECK(ours.code == 0);
  auto ours_lines = lines_of(ours.err);
  REQUIRE(ours_lines.size() == 1);
  CHECK(std::regex_match(ours_lines[0], std::regex(link + R"(: Process \d+ attached)")));
  if (has_strace()) {
    auto theirs = run_command([&] {
      std::vector<std::string> a = {strace_bin};
      a.insert(a.end(), args.begin(), args.end());
      return a;
    }());
    auto theirs_lines = lines_of(theirs.err);
    REQUIRE(theirs_lines.size() == 1);
    CHECK(std::regex_match(theirs_lines[0], std::regex(strace_bin + R"(: Process \d+ attached)")));
  }
}

namespace {

// Runs `tracer` (after `pre`, a command that runs it: unshare) with -o FILE and `args`;
// returns its lines with every number of 3 digits or more (pids of the tracer's namespace,
// times) as N, the tracer's own name, which comm shows, as <TRACER>, and the padding after
// the prefix and before " = " as one space.
trace_result run_pids(const std::vector<std::string>& pre, const std::string& tracer,
                      const std::vector<std::string>& args) {
  std::string out = snare::test::temp_path("pid-trace");
  std::vector<std::string> argv = pre;
  argv.insert(argv.end(), {tracer, "-o", out});
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  trace_result t;
  t.code = r.code;
  t.err = r.err;
  static const std::regex big(R"(\d{3,})"), self(R"(<(snare-strace|strace)>)"), pad(R"(^(\S+) +)"),
      column(R"(\) += )");
  for (auto& l : lines_of(snare::test::slurp(out))) {
    std::string m = std::regex_replace(std::regex_replace(l, big, "N"), self, "<TRACER>");
    t.lines.push_back(std::regex_replace(std::regex_replace(m, pad, "$1 "), column, ") = "));
  }
  std::remove(out.c_str());
  return t;
}

// Says why a new user and pid namespace cannot be made here (`unshare -Urpf true`), or "".
std::string no_pid_namespace() {
  auto r = run_command({"unshare", "-Urpf", "true"});
  return r.code == 0 ? std::string() : "unshare -Urpf true failed (no user or pid namespaces): " + r.err;
}

}  // namespace

TEST_CASE("snare-strace -Y prints the comm of pids and of each line's thread, as strace does") {
  // The shell's child kills its parent with signal 0; getppid of the first shell is the tracer.
  const std::vector<std::string> args = {"-f",
                                         "-Y",
                                         "-e",
                                         "trace=getpid,getppid,kill",
                                         "-e",
                                         "signal=none",
                                         "sh",
                                         "-c",
                                         "kill -0 $$; sh -c 'kill -0 $PPID'; exec sh -c 'kill -0 $$'"};
  auto ours = run_pids({}, snare_bin, args);
  INFO("snare-strace stderr: " << ours.err);
  REQUIRE(ours.code == 0);
  CHECK(std::find(ours.lines.begin(), ours.lines.end(), "N<sh> kill(N<sh>, 0) = 0") != ours.lines.end());
  CHECK(std::find(ours.lines.begin(), ours.lines.end(), "N<sh> getppid() = N<TRACER>") != ours.lines.end());
  if (has_strace()) {
    auto theirs = run_pids({}, strace_bin, args);
    REQUIRE(theirs.code == 0);
    CHECK(ours.lines == theirs.lines);
  }
}

TEST_CASE("snare-strace --decode-pids=pidns translates pids of a pid namespace, as strace does") {
  if (std::string why = no_pid_namespace(); !why.empty()) snare::test::skip(why.c_str());
  // unshare's child is pid 1 of a new namespace; its shell's child is 2 there. Not wait4:
  // its line would be split as the shells are scheduled.
  const std::vector<std::string> args = {"--decode-pids=pidns",
                                         "-f",
                                         "-e",
                                         "trace=getpid,kill",
                                         "-e",
                                         "signal=none",
                                         "unshare",
                                         "-Urpf",
                                         "sh",
                                         "-c",
                                         "sh -c 'kill -0 $$'; kill -0 $$"};
  SECTION("the tracer and /proc in the first namespace") {
    auto ours = run_pids({}, snare_bin, args);
    INFO("snare-strace stderr: " << ours.err);
    REQUIRE(ours.code == 0);
    CHECK(std::find(ours.lines.begin(), ours.lines.end(), "N kill(1 /* N in strace's PID NS */, 0) = 0") !=
          ours.lines.end());
    if (has_strace()) {
      auto theirs = run_pids({}, strace_bin, args);
      REQUIRE(theirs.code == 0);
      CHECK(ours.lines == theirs.lines);
    }
  }
  SECTION("the tracer in a namespace of its own, /proc from the first one") {
    // The tracer's own pids are small here and depend on what it forks, and the two shells'
    // lines interleave as they are scheduled: each kill must name its own process.
    auto kills_self = [](const std::vector<std::string>& lines) {
      static const std::regex self_kill(R"(^(\d+) kill\([12] /\* \1 in strace's PID NS \*/, 0\) = 0$)");
      return std::count_if(lines.begin(), lines.end(),
                           [](const std::string& l) { return std::regex_match(l, self_kill); });
    };
    auto ours = run_pids({"unshare", "-Urpf"}, snare_bin, args);
    INFO("snare-strace stderr: " << ours.err);
    REQUIRE(ours.code == 0);
    CHECK(kills_self(ours.lines) == 2);
    if (has_strace()) {
      auto theirs = run_pids({"unshare", "-Urpf"}, strace_bin, args);
      REQUIRE(theirs.code == 0);
      CHECK(kills_self(theirs.lines) == 2);
    }
  }
}

TEST_CASE("snare-strace reads --decode-pids=, -e decode-pids= and --pidns-translation as strace does") {
  for (std::vector<std::string> good : {std::vector<std::string>{"--decode-pids=comm,pidns"},
                                        {"-e", "decode-pids=none"},
                                        {"-e", "decode-pid=!pidns"},
                                        {"--decode-pids=all"},
                                        {"--pidns-translation"}}) {
    good.push_back("true");
    INFO(good.front());
    CHECK(run_with(snare_bin, good).code == 0);
  }
  auto r = run_command({snare_bin, "--decode-pids=comm,foo", "true"});
  CHECK(r.code == 1);  // strace's: the message alone (error_msg_and_die)
  CHECK(r.err.find("invalid decode-pids 'foo'") != std::string::npos);
}

TEST_CASE("snare-strace -o FILE with a command implies -q, as strace does") {
  for (auto tracer : {snare_bin, strace_bin}) {
    if (tracer == strace_bin && !has_strace()) continue;
    INFO(tracer);
    auto quiet = run_with(tracer, {"-f", "sh", "-c", "(exit 0); exit 0"});
    CHECK(quiet.code == 0);
    CHECK(quiet.err.empty());
    auto told = run_with(tracer, {"-e", "quiet=exit", "-f", "sh", "-c", "(exit 0); exit 0"});
    CHECK(told.err.find(": Process ") != std::string::npos);
  }
}

TEST_CASE("snare-strace says when the trace cannot be written (-o /dev/full), as strace does") {
  for (auto tracer : {snare_bin, strace_bin}) {
    if (tracer == strace_bin && !has_strace()) continue;
    INFO(tracer);
    auto r = run_command({tracer, "-o", "/dev/full", "-e", "trace=none", "true"});
    CHECK(r.code == 0);
    CHECK(r.err == tracer + ": /dev/full: No space left on device\n");
  }
}

TEST_CASE("snare-strace --help and the man page snare-strace(1) name the same long options") {
  auto help = run_command({snare_bin, "--help"});
  REQUIRE(help.code == 0);
  std::string man = snare::test::slurp(SNARE_STRACE_MAN_PAGE);
  REQUIRE_FALSE(man.empty());
  man = std::regex_replace(man, std::regex(R"(\\-)"), "-");
  man = std::regex_replace(man, std::regex(R"(\\f[BIR])"), "");
  std::set<std::string> in_help, in_man;
  std::regex opt(R"(--[a-z][a-z-]+)");
  for (std::sregex_iterator i(help.out.begin(), help.out.end(), opt), e; i != e; ++i)
    in_help.insert(i->str());
  for (std::sregex_iterator i(man.begin(), man.end(), opt), e; i != e; ++i) in_man.insert(i->str());
  for (auto& o : in_help) {
    INFO(o << " is in --help");
    CHECK(in_man.count(o) == 1);
  }
  for (auto& o : in_man) {
    INFO(o << " is in the man page");
    CHECK(in_help.count(o) == 1);
  }
}
