// Tests of the gdbserver with more than one process, driven by the real gdb: gdb follows a
// fork child (follow-fork-mode child), keeps both (detach-on-fork off: two inferiors), and
// is told of the forks of a child it follows (a grandchild of the first process).
#include "gdb_session.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <string>

using namespace gdb_test;  // NOLINT(google-build-using-namespace): the tests' helpers

TEST_CASE("follow-fork-mode child: gdb detaches the parent and breaks in the child", "[gdb][server][fork]") {
  require_gdb();
  // gdb takes its breakpoints out of the parent and detaches it (D;PID): the parent runs on
  // under the tool (it waits for the child, then ends by itself); the child stops at add.
  auto s =
      debug({"set follow-fork-mode child", "break add", "continue", "print a", "info inferiors", "continue"},
            "127.0.0.1:0", true, "fork");
  CHECK(has(s.gdb, R"(\[Detaching after fork from parent process [0-9]+\])"));
  CHECK(has(s.gdb, R"(Breakpoint 1(\.[0-9])?, add \(a=1, b=1\))"));
  CHECK(has(s.gdb, R"(\$1 = 1\n)"));
  CHECK(has(s.gdb, R"(\* 2 +process [0-9]+ )"));  // the child, current
  CHECK(has(s.gdb, R"(\[Inferior 2 \(process [0-9]+\) exited normally\])"));
  CHECK_FALSE(has(s.gdb, R"(Can't detach)"));
  // The parent ran without the breakpoint (add(2, 3) did not stop) and ended well.
  CHECK_FALSE(has(s.gdb, R"(add \(a=2, b=3\))"));
  CHECK(s.guest == "child 2\nresult 5 global 42\n");
  REQUIRE(WIFEXITED(s.server_status));
  CHECK(WEXITSTATUS(s.server_status) == 0);
  SECTION("the tool's counts equal those of a run without gdb") {
    counts plain = plain_counts("fork");
    CHECK(s.counted.opens == plain.opens);
    CHECK(s.counted.writes == plain.writes);
  }
}

TEST_CASE("detach-on-fork off: gdb debugs both processes, switches inferiors and runs each to its end",
          "[gdb][server][fork]") {
  require_gdb();
  // gdb keeps the child as inferior 2, stopped (it adds it when it next resumes: the stepi
  // after the fork catchpoint); with schedule-multiple off (its default) it resumes the
  // current inferior only: the child first (the parent waits for it), then the parent. Both
  // hit the breakpoint gdb inserted in each.
  auto s = debug(
      {"set detach-on-fork off", "break add", "catch fork", "continue", "stepi", "info inferiors",
       "inferior 2", "continue", "print a", "continue", "inferior 1", "continue", "print a", "continue"},
      "127.0.0.1:0", true, "fork");
  CHECK(has(s.gdb, R"(Catchpoint 2 \(forked process [0-9]+\))"));
  CHECK(has(s.gdb, R"(\* 1 +process [0-9]+ .*\n +2 +process [0-9]+ )"));  // two inferiors, both live
  CHECK(has(s.gdb, R"(\[Switching to inferior 2 \[process [0-9]+\])"));
  CHECK(has(s.gdb, R"(Breakpoint 1(\.[0-9])?, add \(a=1, b=1\))"));
  CHECK(has(s.gdb, R"(\$1 = 1\n)"));
  CHECK(has(s.gdb, R"(\[Inferior 2 \(process [0-9]+\) exited normally\])"));
  CHECK(has(s.gdb, R"(\[Switching to inferior 1 \[process [0-9]+\])"));
  CHECK(has(s.gdb, R"(Breakpoint 1(\.[0-9])?, add \(a=2, b=3\))"));
  CHECK(has(s.gdb, R"(\$2 = 2\n)"));
  CHECK(has(s.gdb, R"(\[Inferior 1 \(process [0-9]+\) exited normally\])"));
  CHECK(s.guest == "child 2\nresult 5 global 42\n");
  REQUIRE(WIFEXITED(s.server_status));
  CHECK(WEXITSTATUS(s.server_status) == 0);
  counts plain = plain_counts("fork");
  CHECK(s.counted.opens == plain.opens);
  CHECK(s.counted.writes == plain.writes);
}

TEST_CASE("gdb follows a child, is told of its fork, and breaks in the grandchild", "[gdb][server][fork]") {
  require_gdb();
  auto s = debug({"set follow-fork-mode child", "break add", "continue", "print a", "continue"},
                 "127.0.0.1:0", true, "grandchild");
  CHECK(has(
      s.gdb,
      R"(\[Detaching after fork from parent process [0-9]+\](.|\n)*\[Detaching after fork from parent process [0-9]+\])"));
  CHECK(has(s.gdb, R"(Breakpoint 1(\.[0-9])?, add \(a=3, b=4\))"));
  CHECK(has(s.gdb, R"(\$1 = 3\n)"));
  CHECK(has(s.gdb, R"(exited normally)"));
  CHECK(s.guest == "grandchild 7\nresult 5 global 42\n");
  REQUIRE(WIFEXITED(s.server_status));
  CHECK(WEXITSTATUS(s.server_status) == 0);
}

TEST_CASE("detach-on-fork off, then gdb detaches the child: it runs to its end without the breakpoints",
          "[gdb][server][fork]") {
  require_gdb();
  // gdb inserted its breakpoint in the child too (at the stepi that added inferior 2); once
  // gdb detaches it (`detach inferiors 2`: D;PID), the child runs to its end under the tool
  // and must not die of SIGTRAP at add.
  auto s = debug({"set detach-on-fork off", "break add", "catch fork", "continue", "stepi",
                  "detach inferiors 2", "inferior 1", "continue", "print a", "continue"},
                 "127.0.0.1:0", true, "fork");
  CHECK(has(s.gdb, R"(\[Inferior 2 \(process [0-9]+\) detached\])"));
  CHECK(has(s.gdb, R"(Breakpoint 1(\.[0-9])?, add \(a=2, b=3\))"));
  CHECK(has(s.gdb, R"(\[Inferior 1 \(process [0-9]+\) exited normally\])"));
  CHECK(s.guest == "child 2\nresult 5 global 42\n");
}
