// Tests snare-trace: the JSON it writes is a valid Chrome/Perfetto trace with one named track
// per guest thread and properly nested syscall events (checked by check_trace.py).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <string>

#include "run.hpp"
#include "skip.hpp"

using snare::test::run_command;

namespace {

const std::string trace_bin = SNARE_TRACE_PATH;
const std::string mt_guest = SNARE_MT_GUEST_PATH;
const std::string checker = SNARE_CHECK_TRACE_PY;

// Returns the number after `key` in the checker's summary, -1 when absent.
long fact(const std::string& summary, const std::string& key) {
  std::smatch m;
  if (std::regex_search(summary, m, std::regex("(^|\\n)" + key + " (\\d+)\\n"))) return std::stol(m[2]);
  return -1;
}

}  // namespace

TEST_CASE("snare-trace writes a valid trace with one track per thread") {
  if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed: no JSON checker");
  std::string out = snare::test::temp_path("trace-json");
  SECTION("a multi-threaded guest") {
    auto r = run_command({trace_bin, "-o", out, mt_guest});
    REQUIRE(r.code == 0);
    auto c = run_command({"/usr/bin/python3", checker, out});
    INFO(c.out);
    REQUIRE(c.code == 0);
    CHECK(c.out.find("VALID") != std::string::npos);
    CHECK(fact(c.out, "tracks") == 5);
    CHECK(fact(c.out, "processes") == 1);
    CHECK(fact(c.out, "calls getppid") == 250);
    CHECK(fact(c.out, "calls write") == 150);
    // Arguments are event args, by name.
    std::string json = snare::test::slurp(out);
    CHECK(json.find(R"("name":"write","cat":"syscall","ph":"X")") != std::string::npos);
    CHECK(json.find(R"("buf":"\"x\"","count":"1","return":"1")") != std::string::npos);
  }
  SECTION("a shell pipeline: three processes") {
    auto r = run_command({trace_bin, "-o", out, "sh", "-c", "echo hi | cat"});
    REQUIRE(r.code == 0);
    CHECK(r.out == "hi\n");
    auto c = run_command({"/usr/bin/python3", checker, out});
    INFO(c.out);
    REQUIRE(c.code == 0);
    CHECK(fact(c.out, "processes") == 3);
    CHECK(fact(c.out, "calls pipe2") == 1);
  }
  SECTION("exit codes") {
    CHECK(run_command({trace_bin, "-o", out, "sh", "-c", "exit 6"}).code == 6);
    CHECK(run_command({trace_bin, "-x", "true"}).code == 2);
    CHECK(run_command({trace_bin, "--help"}).code == 0);
  }
  std::remove(out.c_str());
}

TEST_CASE("the trace checker rejects events that overlap without nesting") {
  if (::access("/usr/bin/python3", X_OK) != 0) snare::test::skip("python3 is not installed: no JSON checker");
  std::string bad = snare::test::temp_path("bad-json");
  {
    std::ofstream f(bad);
    f << R"({"traceEvents":[{"name":"process_name","ph":"M","pid":1,"tid":1,"args":{"name":"x"}},)"
      << R"({"name":"a","ph":"X","ts":0,"dur":10,"pid":1,"tid":1,"args":{"return":"0"}},)"
      << R"({"name":"b","ph":"X","ts":5,"dur":10,"pid":1,"tid":1,"args":{"return":"0"}}]})";
  }
  auto c = run_command({"/usr/bin/python3", checker, bad});
  CHECK(c.code == 1);
  CHECK(c.out.find("overlaps") != std::string::npos);
  std::remove(bad.c_str());
}
