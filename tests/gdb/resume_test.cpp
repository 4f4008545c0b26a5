// Tests of the gdbserver's resume requests beyond continue and step, driven by the real gdb:
// range stepping (vCont;r) and the signals gdb passes without a stop (QPassSignals).
#include "gdb_session.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstddef>
#include <string>

using namespace gdb_test;  // NOLINT(google-build-using-namespace): the tests' helpers

namespace {

// Counts the non-overlapping matches of `pattern` in `text`.
std::size_t count(const std::string& text, const std::string& pattern) {
  std::regex re(pattern);
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

}  // namespace

TEST_CASE("gdb's next over a loop range steps (vCont;r) and stops at the line after it",
          "[gdb][server][step]") {
  require_gdb();
  // The loop is on one line: gdb asks the server to step while the pc stays in the line's
  // range; the server steps there without telling gdb of each instruction.
  auto s = debug({"break loop_sum", "continue", "next", "set debug remote 1", "next", "set debug remote 0",
                  "print total", "continue"},
                 "127.0.0.1:0", true, "loop");
  CHECK(has(s.gdb, R"(Breakpoint 1, loop_sum \(n=1000\))"));
  CHECK(has(s.gdb, R"(\n[0-9]+\s+return total; +// after the loop)"));
  CHECK(has(s.gdb, R"(\$1 = 499500\n)"));
  CHECK(has(s.gdb, R"(exited normally)"));
  CHECK(s.guest == "sum 499500\n");
  // gdb used range stepping, and told the server far fewer times than there are instructions
  // in the loop (1000 iterations of several instructions each).
  const std::size_t ranges = count(s.gdb, R"(Sending packet: \$vCont;r[0-9a-f]+,[0-9a-f]+)");
  const std::size_t steps = count(s.gdb, R"(Sending packet: \$vCont;s)");
  INFO("vCont;r packets: " << ranges << ", vCont;s packets: " << steps);
  CHECK(ranges >= 1);
  CHECK(ranges + steps < 1000);
}

TEST_CASE("vCont? offers range stepping and stop", "[gdb][server][step]") {
  require_gdb();
  auto s = debug({"maint packet vCont?", "kill"}, "127.0.0.1:0", true, "single");
  CHECK(has(s.gdb, R"(received: "vCont;c;C;s;S;t;r")"));
}

TEST_CASE("a signal gdb passes silently reaches the guest's handler without a stop",
          "[gdb][server][signal]") {
  require_gdb();
  auto s = debug({"handle SIGUSR1 nostop noprint pass", "set debug remote 1", "continue"}, "127.0.0.1:0",
                 true, "usr1");
  CHECK(has(s.gdb, R"(Sending packet: \$QPassSignals:([0-9a-f]+;)*1e[;#])"));  // gdb's SIGUSR1 is 30
  CHECK_FALSE(has(s.gdb, R"(Packet received: T1e)"));                          // no stop for it
  CHECK_FALSE(has(s.gdb, R"(SIGUSR1)"));
  CHECK(has(s.gdb, R"(exited normally)"));
  CHECK(s.guest == "handled 3\n");  // the handler ran once per signal
  REQUIRE(WIFEXITED(s.server_status));
  CHECK(WEXITSTATUS(s.server_status) == 0);
}

TEST_CASE("a signal gdb stops for stops the guest each time, and is delivered on continue",
          "[gdb][server][signal]") {
  require_gdb();
  // The counterpart of the test above (gdb's default for SIGUSR1): three stops.
  auto s = debug({"continue", "continue", "continue", "continue"}, "127.0.0.1:0", true, "usr1");
  CHECK(count(s.gdb, R"(Program received signal SIGUSR1)") == 3);
  CHECK(has(s.gdb, R"(exited normally)"));
  CHECK(s.guest == "handled 3\n");
}
