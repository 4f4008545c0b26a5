// Tests snare-strace's diagnostics and what strace's suite measures of a tracer from the
// outside, against strace itself: --tips, -d's "invalid syscall" lines, an injected
// retval= printed as a success, and how many process_vm_readv and ptrace calls the tracer
// makes (counted by strace tracing the tracer).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <skip.hpp>

#include "run.hpp"

using snare::test::lines_of;
using snare::test::run_command;

namespace {

const std::string tracer_bin = SNARE_STRACE_PATH;
const std::string real_strace = "/usr/bin/strace";

bool strace_installed() { return ::access(real_strace.c_str(), X_OK) == 0; }

// Runs `tracer` with `args`, the trace to /dev/null; returns what it wrote on stderr.
snare::test::command_result quiet_run(const std::string& tracer, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {tracer, "-o", "/dev/null"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

// The tip's frame and the ostrich: each line with its 44 columns of text blanked.
std::vector<std::string> tip_frame(const std::string& err) {
  std::vector<std::string> out;
  for (auto l : lines_of(err)) {
    if (l.size() >= 47 && (l.starts_with(" | ") || l.starts_with(" / "))) l.replace(3, 44, 44, '.');
    out.push_back(l);
  }
  return out;
}

// Counts the calls named `call` that `tracer` (run with `args`) makes itself, with strace
// tracing it (not its guest: no -f); -1 when strace cannot run it. `requests`, when given,
// also counts the calls whose first argument is each name it holds, in the same run.
int calls_made(const std::string& call, const std::vector<std::string>& args,
               std::vector<std::pair<std::string, int>>* requests = nullptr) {
  std::string count = snare::test::temp_path("count");
  std::vector<std::string> argv = {real_strace, "-qq", "-e",  "signal=none", "-e",      "trace=" + call,
                                   "-z",        "-o",  count, "--",          tracer_bin};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  int n = 0;
  for (auto& l : lines_of(snare::test::slurp(count))) {
    n += l.starts_with(call + "(");
    if (requests)  // the calls whose first argument is each of `requests`' names
      for (auto& [first, times] : *requests) times += l.starts_with(call + "(" + first + ",");
  }
  std::remove(count.c_str());
  return r.code == 0 ? n : -1;
}

}  // namespace

TEST_CASE("snare-strace --tips prints a tip in strace's bubble beside strace's ostrich") {
  auto ours = quiet_run(tracer_bin, {"-qqq", "-e", "trace=none", "--tips=id:1", "true"});
  CHECK(ours.code == 0);
  auto frame = tip_frame(ours.err);
  REQUIRE(frame.size() >= 10);
  CHECK(frame[0] == "  ______________________________________________         ____");
  CHECK(std::count_if(frame.begin(), frame.end(), [](auto& l) { return l.starts_with(" \\____"); }) == 1);
  // Another id, another tip; an id past the last wraps around (strace: id % count).
  CHECK(quiet_run(tracer_bin, {"-qqq", "-enone", "--tips=id:2", "true"}).err != ours.err);
  auto full = quiet_run(tracer_bin, {"-qqq", "-enone", "--tips=format:full,id:1", "true"});
  CHECK(full.err.starts_with(ours.err));
  CHECK(lines_of(full.err).back() == std::string(52, ' ') + "    -\"     \"-");
  auto bad = quiet_run(tracer_bin, {"--tips=sometimes", "true"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("invalid --tips argument: 'sometimes'") != std::string::npos);
  if (strace_installed()) {
    // The same frame and ostrich as strace's, whatever the words (a tip of as many lines).
    for (std::string format : {"compact", "full"}) {
      INFO(format);
      auto theirs = quiet_run(real_strace, {"-qqq", "-enone", "--tips=id:0,format:" + format, "true"});
      auto mine = quiet_run(tracer_bin, {"-qqq", "-enone", "--tips=id:0,format:" + format, "true"});
      REQUIRE(theirs.code == 0);
      // Tip 0 of both has at most six lines: the bubble's least height.
      CHECK(tip_frame(mine.err) == tip_frame(theirs.err));
    }
  }
}

TEST_CASE("snare-strace -d says 'invalid syscall' at each call past the table, as strace does") {
  const std::vector<std::string> args = {"-d",   "-e", "trace=none",
                                         "perl", "-e", "syscall(451, 1, 2, 3, 4, 5, 6)"};
  auto pick = [](const std::string& err) {
    std::vector<std::string> hits;
    static const std::regex line(R"(^.*: pid \d+ invalid syscall (0x[0-9a-f]+)$)");
    std::smatch m;
    for (auto& l : lines_of(err))
      if (std::regex_match(l, m, line)) hits.push_back(m[1]);
    return hits;
  };
  auto ours = quiet_run(tracer_bin, args);
  CHECK(ours.code == 0);
  CHECK(pick(ours.err) == std::vector<std::string>{"0x1c3"});
  CHECK(lines_of(ours.err).front().starts_with(tracer_bin + ": pid "));
  if (strace_installed()) CHECK(pick(quiet_run(real_strace, args).err) == pick(ours.err));
}

TEST_CASE("snare-strace prints an injected retval= as a success, unsigned, as strace does") {
  for (std::string value : {"0x8000000000000000", "0xfffffffffffffffe", "42"}) {
    INFO(value);
    // perl asks geteuid at its start.
    const std::vector<std::string> args = {
        "-e", "trace=geteuid", "-e", "inject=geteuid:retval=" + value, "perl", "-e", "1"};
    auto lines_under = [&](const std::string& tracer) {
      std::string out = snare::test::temp_path("retval");
      std::vector<std::string> a = {tracer, "-o", out};
      a.insert(a.end(), args.begin(), args.end());
      auto r = run_command(a);
      CHECK(r.code == 0);
      auto lines = lines_of(snare::test::slurp(out));
      std::remove(out.c_str());
      return lines;
    };
    auto ours = lines_under(tracer_bin);
    REQUIRE(!ours.empty());
    const std::string expect = std::to_string(std::stoull(value, nullptr, 0));
    CHECK(std::regex_match(ours[0], std::regex(R"(geteuid\(\) += )" + expect + R"( \(INJECTED\))")));
    if (strace_installed()) CHECK(ours == lines_under(real_strace));
  }
}

TEST_CASE("snare-strace reads a call's strings a page at a time, not one read per string") {
  if (!strace_installed()) snare::test::skip("strace is not installed (it counts the tracer's reads)");
  // execve's 42 strings in the shell's memory, read at the call's entry: a few pages (and
  // the first exec's, in the tracer's memory), where a read per string makes 40 and more.
  // (Here strace makes 4, snare-strace 5: its first exec's strings lie on more pages.)
  // /bin/sh by its path: a PATH search would add the reads of each failed exec's entry.
  std::string script = "exec /bin/true";
  for (int i = 0; i < 40; ++i) script += " argument-" + std::to_string(i);
  const int ours = calls_made("process_vm_readv", {"-e", "trace=execve", "/bin/sh", "-c", script});
  if (ours < 0) snare::test::skip("strace cannot trace snare-strace here (nested ptrace refused)");
  INFO("process_vm_readv calls: " << ours);
  CHECK(ours > 0);
  CHECK(ours <= 8);
}

TEST_CASE("snare-strace reads nothing at the exit of a call it does not trace (strace's get_regs test)") {
  if (!strace_installed()) snare::test::skip("strace is not installed (it counts the tracer's ptrace calls)");
  // Without -f there is no seccomp filter: every call stops, at its entry and its exit, and
  // each stop is resumed with one PTRACE_SYSCALL. A call is read (PTRACE_GET_SYSCALL_INFO) at
  // its entry, and at its exit only when traced. Ratios, not totals: how many of the
  // launcher's own calls before its exec stop varies from run to run.
  auto requests = [](const char* set, int& read, int& resumed) {
    // A kernel without PTRACE_GET_SYSCALL_INFO (Linux < 5.3): the registers are read instead.
    std::vector<std::pair<std::string, int>> r = {
        {"PTRACE_GET_SYSCALL_INFO", 0}, {"PTRACE_GETREGS", 0}, {"PTRACE_SYSCALL", 0}};
    const int n = calls_made("ptrace", {"-e", set, "-e", "raw=all", "sh", "-c", ": ; :"}, &r);
    read = r[0].second + r[1].second, resumed = r[2].second;
    return n;
  };
  int none_read = 0, none_resumed = 0, all_read = 0, all_resumed = 0;
  if (requests("trace=none", none_read, none_resumed) < 0)
    snare::test::skip("strace cannot trace snare-strace here (nested ptrace refused)");
  REQUIRE(requests("trace=all", all_read, all_resumed) > 0);
  INFO("trace=none: " << none_read << " reads, " << none_resumed << " resumes; trace=all: " << all_read
                      << " reads, " << all_resumed << " resumes");
  CHECK(none_read > 0);
  CHECK(none_read * 4 < none_resumed * 3);  // about one read per call: entries only
  CHECK(all_read * 4 >= all_resumed * 3);   // control: one read per stop
}
