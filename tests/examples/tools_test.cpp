// Tests the small example tools on real commands (snare-count, snare-dettime, snare-chaos), and
// that every small tool's --help and man page agree.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "run.hpp"
#include "skip.hpp"

using snare::test::run_command;

namespace {

const std::string count_bin = SNARE_COUNT_PATH;
const std::string dettime_bin = SNARE_DETTIME_PATH;
const std::string chaos_bin = SNARE_CHAOS_PATH;
const std::string rdtsc_guest = SNARE_RDTSC_GUEST_PATH;
const std::string mt_guest = SNARE_MT_GUEST_PATH;

// Returns the count snare-count printed for `name`, -1 when absent.
long count_of(const std::string& table, const std::string& name) {
  std::smatch m;
  if (std::regex_search(table, m, std::regex("\\n +(\\d+)  " + name + "\\n"))) return std::stol(m[1]);
  return -1;
}

}  // namespace

TEST_CASE("snare-count counts the calls of every thread") {
  std::string out = snare::test::temp_path("count");
  SECTION("ptrace") {
    auto r = run_command({count_bin, "-o", out, mt_guest});
    REQUIRE(r.code == 0);
    std::string table = snare::test::slurp(out);
    CHECK(count_of(table, "getppid") == 250);  // 5 threads x 50
    CHECK(count_of(table, "write") == 150);
    CHECK(count_of(table, "openat") >= 100);
    CHECK(std::regex_search(table, std::regex(R"(total \(5 threads\))")));
  }
  SECTION("exit codes") {
    CHECK(run_command({count_bin, "-o", out, "sh", "-c", "exit 9"}).code == 9);
    CHECK(run_command({count_bin, "-o", out, "snare-no-such-command-xyz"}).code == 127);
    CHECK(run_command({count_bin, "--frobnicate", "true"}).code == 2);
    auto h = run_command({count_bin, "--help"});
    CHECK(h.code == 0);
    CHECK(h.out.find("Usage: snare-count") != std::string::npos);
  }
  std::remove(out.c_str());
}

TEST_CASE("snare-count on seccomp_notify: the same tool source counts the same calls") {
  std::string out = snare::test::temp_path("count-seccomp");
  snare::test::require_host(snare::host_feature::seccomp_user_notif);
  auto r = run_command({count_bin, "--backend=seccomp", "-o", out, mt_guest});
  REQUIRE(r.code == 0);
  std::string table = snare::test::slurp(out);
  CHECK(count_of(table, "getppid") == 250);
  CHECK(count_of(table, "write") == 150);

  std::remove(out.c_str());
}

TEST_CASE("snare-count on in_guest: the handlers run in the guest, the table reaches the tracer") {
  std::string out = snare::test::temp_path("count-in-guest");
  snare::test::require_host(snare::host_feature::syscall_user_dispatch);
  auto r = run_command({count_bin, "--backend=in-guest", "-o", out, mt_guest});
  REQUIRE(r.code == 0);
  std::string table = snare::test::slurp(out);
  CHECK(count_of(table, "getppid") == 250);
  CHECK(count_of(table, "write") == 150);
  CHECK(count_of(table, "execve") == -1);  // made before the tool object loads
  CHECK(run_command({count_bin, "--backend=in-guest", "-o", out, "sh", "-c", "exit 9"}).code == 9);

  std::remove(out.c_str());
}

TEST_CASE("snare-dettime gives the guest a virtual clock") {
  SECTION("date sees the epoch, the same on every run") {
    auto a = run_command({dettime_bin, "date", "-u", "+%s %F %T"});
    auto b = run_command({dettime_bin, "date", "-u", "+%s %F %T"});
    REQUIRE(a.code == 0);
    CHECK(a.out == "946684800 2000-01-01 00:00:00\n");
    CHECK(a.out == b.out);
    auto c = run_command({dettime_bin, "--epoch=1700000000", "date", "-u", "+%s"});
    CHECK(c.out == "1700000000\n");
  }
  SECTION("python's time, monotonic and perf_counter repeat exactly") {
    if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed");
    std::vector<std::string> cmd = {dettime_bin, "/usr/bin/python3", "-c",
                                    "import time; print(repr(time.time()), repr(time.monotonic()), "
                                    "repr(time.perf_counter()), time.gmtime().tm_year)"};
    auto a = run_command(cmd), b = run_command(cmd);
    REQUIRE(a.code == 0);
    CHECK(a.out == b.out);
    CHECK(a.out.ends_with(" 2000\n"));
  }
  SECTION("without RDTSC trapping: a warning, or a refusal with --strict") {
    // Withheld with SNARE_HOST_DENY, so this runs the same on every host.
    auto w = run_command({"/usr/bin/env", "SNARE_HOST_DENY=rdtsc_trapping", dettime_bin, rdtsc_guest});
    CHECK(w.code == 0);
    CHECK(w.err.find("warning: running without can_intercept_rdtsc") != std::string::npos);
    auto s =
        run_command({"/usr/bin/env", "SNARE_HOST_DENY=rdtsc_trapping", dettime_bin, "--strict", rdtsc_guest});
    CHECK(s.code == 69);
    CHECK(s.err.find("rdtsc_trapping") != std::string::npos);
    CHECK(s.out.empty());  // the guest never ran
  }
  SECTION("options") {
    CHECK(run_command({dettime_bin, "--step-ns=0", "true"}).code == 2);
    CHECK(run_command({dettime_bin, "--bogus", "true"}).code == 2);
    CHECK(run_command({dettime_bin, "sh", "-c", "exit 5"}).code == 5);
    CHECK(run_command({dettime_bin, "--help"}).code == 0);
  }
}

TEST_CASE("snare-dettime: RDTSC repeats exactly where the host traps it") {
  snare::test::require_host(snare::host_feature::rdtsc_trapping);
  auto a = run_command({dettime_bin, rdtsc_guest}), b = run_command({dettime_bin, rdtsc_guest});
  REQUIRE(a.code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.ends_with(" 1000000\n"));  // one --step-ns per read
  // Natively two readings differ from run to run.
  auto n = run_command({rdtsc_guest});
  CHECK(n.out != a.out);
}

TEST_CASE("snare-chaos makes reads and writes short and interrupted") {
  std::string file = snare::test::temp_path("chaos");
  std::ofstream(file) << "hello world\n";
  const std::string reader =
      "import os, sys; d = os.read(0, 100); sys.exit(0 if d == b'hello world\\n' else 1)";
  const std::string pipeline = "cat " + file + " | /usr/bin/python3 -c \"" + reader + "\"";
  if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed");
  SECTION("a guest that assumes a full read fails under chaos, passes without") {
    CHECK(run_command({"sh", "-c", pipeline}).code == 0);
    auto r = run_command({chaos_bin, "--percent=100", "--no-eintr", "sh", "-c", pipeline});
    CHECK(r.code == 1);
    CHECK(std::regex_search(r.err, std::regex(R"(snare-chaos: [1-9]\d* short reads)")));
  }
  SECTION("a careful guest (cat) copies everything through a pipe anyway") {
    std::string big = snare::test::temp_path("chaos-big");
    {
      std::ofstream f(big);
      // Megabytes, so that the calls chaos may disturb number in the hundreds whatever the
      // scheduling: with a few dozen, a run without a single short write happened.
      for (int i = 0; i < 200000; ++i) f << "line " << i << " of the chaos test\n";
    }
    auto r = run_command({chaos_bin, "--seed=7", "--percent=50", "sh", "-c", "cat " + big + " | cat | cat"});
    CHECK(r.code == 0);
    CHECK(r.out == snare::test::slurp(big));
    CHECK(std::regex_search(r.err, std::regex(R"([1-9]\d* short writes, [1-9]\d* EINTR)")));
    std::remove(big.c_str());
  }
  SECTION("options") {
    CHECK(run_command({chaos_bin, "--percent=101", "true"}).code == 2);
    CHECK(run_command({chaos_bin, "sh", "-c", "exit 3"}).code == 3);
    CHECK(run_command({chaos_bin, "--help"}).code == 0);
  }
  std::remove(file.c_str());
}

namespace {

// The options a text names: long ones by name (`--seed` of `--seed=N`) and short ones (`-o`),
// without the usage's own --help/-h, which the usage text need not list.
std::set<std::string> options_named(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\\-)"), "-");       // man: \- is a minus
  text = std::regex_replace(text, std::regex(R"(\\f[BIRP])"), "");  // man: font changes
  std::set<std::string> names;
  std::regex opt(R"((?:^|[\s\[(])(--[a-z][a-z-]*|-[a-zA-Z])(?![a-zA-Z]))");
  for (std::sregex_iterator i(text.begin(), text.end(), opt), e; i != e; ++i) names.insert((*i)[1].str());
  names.erase("--help");
  names.erase("-h");
  return names;
}

struct tool_and_page {
  std::string bin, page;
};

const tool_and_page small_tools[] = {
    {count_bin, "snare-count.1"},
    {dettime_bin, "snare-dettime.1"},
    {chaos_bin, "snare-chaos.1"},
    {SNARE_TRACE_PATH, "snare-trace.1"},
    {SNARE_LATENCY_PATH, "snare-latency.1"},
    {SNARE_GDBSERVER_PATH, "snare-gdbserver.1"},
};

}  // namespace

TEST_CASE("each small tool's --help and its man page name the same options") {
  for (const auto& t : small_tools) {
    INFO(t.page);
    auto help = run_command({t.bin, "--help"});
    REQUIRE(help.code == 0);
    std::string man = snare::test::slurp(std::string(SNARE_MAN_DIR) + "/" + t.page);
    REQUIRE_FALSE(man.empty());
    if (auto examples = man.find(".SH EXAMPLES"); examples != std::string::npos) {
      auto next = man.find(".SH ", examples + 1);  // the examples name the guests' options
      man.erase(examples, next == std::string::npos ? std::string::npos : next - examples);
    }
    auto in_help = options_named(help.out), in_man = options_named(man);
    CHECK_FALSE(in_help.empty());
    for (auto& o : in_help) {
      INFO(o << " is in --help");
      CHECK(in_man.count(o) == 1);
    }
    for (auto& o : in_man) {
      INFO(o << " is in the man page");
      CHECK(in_help.count(o) == 1);
    }
  }
}

TEST_CASE("the example tools' man pages render without groff warnings") {
  if (run_command({"sh", "-c", "command -v groff"}).code != 0) snare::test::skip("groff is not installed");
  for (const char* page : {"snare-strace.1", "snare-count.1", "snare-dettime.1", "snare-chaos.1",
                           "snare-trace.1", "snare-latency.1", "snare-gdbserver.1"}) {
    INFO(page);
    auto r = run_command({"groff", "-man", "-ww", "-z", std::string(SNARE_MAN_DIR) + "/" + page});
    CHECK(r.code == 0);
    CHECK(r.err == "");
  }
}
