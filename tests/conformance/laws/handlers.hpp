// Defines the conformance laws on what handlers do: inject, change arguments, deny calls
// (with no bypass through other ABIs), change results, replace calls, intercept RDTSC,
// throw. Include through laws.hpp.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support.hpp"

TEMPLATE_LIST_TEST_CASE("a thread waiting in an injected read does not stop other threads", "[engine][fiber]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    skip_if(TestType::blocking_inject_stops_other_threads);
    injector<backend> tool;
    SECTION("the injected read completes once the other thread writes") {
      auto r = run_law(tool, {TestType::guest("inject")});
      REQUIRE(r.code == 0);
      CHECK(r.state.served_while_waiting == 1);
      CHECK(r.state.read_result == 1);
    }
    SECTION("a signal to the waiting thread is delivered after the handler, the read still completes") {
      auto r = run_law(tool, {TestType::guest("inject"), "signal"});
      REQUIRE(r.code == 0);
      CHECK(r.state.served_while_waiting == 1);
      CHECK(r.state.read_result == 1);
    }
    SECTION("SIGKILL while the injected read waits ends the handler with an error") {
      auto r = run_law(tool, {TestType::guest("inject"), "kill"});
      REQUIRE(r.code == 128 + SIGKILL);
      CHECK(r.state.served_while_waiting == 1);
      // Where the handler runs in the guest's thread, the SIGKILL ends it there: it tells nothing.
      CHECK(r.state.read_result ==
            (TestType::handler_dies_with_thread ? injector<backend>::not_told : -1000));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("an injected call's result reaches the handler", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    gettid_injector<backend> tool;
    // The guest exits 0 when getppid returned its own tid: the injected gettid's result.
    auto r = run_law(tool, {TestType::guest("retval"), "tail"});
    REQUIRE(r.code == 0);
    CHECK(r.state.failures == 0);
    CHECK(r.state.injected > 0);
  }
}

TEMPLATE_LIST_TEST_CASE("arguments changed by a handler are what the guest's call runs with", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_modify_args)) {
    skip_lacking<backend>(snare::capability::can_modify_args);
  } else {
    count_cutter<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("modify")}) == 5);
  }
}

namespace snare::test::conformance {
using snare::test::run_natively;
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("a tool denying openat and open cannot be bypassed through int 0x80 or x32",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  const std::string guest = TestType::guest("deny_open");
  open_denier<typename TestType::backend> tool;
  // int 0x80 is tried only where the guest has it: the host's (host feature i386_int80),
  // unless the backend's guests have none of their own. Where it is absent the caller is
  // killed, so there is nothing to bypass (shown below). x32 is tried always.
  const auto& int80 = snare::host_features().get(snare::host_feature::i386_int80);
  const bool try_int80 = int80 && !TestType::lacks_int80;
  std::vector<std::string> args{guest, "/etc/hostname"};
  if (!int80) {
    WARN("int 0x80 left out: host feature i386_int80 is absent: " << int80.reason);
    if (!snare::host_feature_set::withheld(snare::host_feature::i386_int80)) {
      int st = run_natively({guest, "/etc/hostname"});
      CHECK(WIFSIGNALED(st));  // natively refused: the i386 entry does not exist here
    }
  } else if (!try_int80) {
    WARN("int 0x80 left out: " << TestType::lacks_int80);
    int code = -1;
    capture_stdout([&] { code = run_law(tool, {guest, "/etc/hostname"}).code; });
    CHECK(code > 128);  // refused on this backend: the guest is killed by a signal
  }
  if (!try_int80) args.push_back("no-int80");
  // With follow_forks and without: the ptrace backend then has no seccomp filter to refuse
  // the other ABIs and stops at every call (PTRACE_SYSCALL), where its engine refuses them.
  std::vector<bool> follows{true};
  if (snare::has_capability<typename TestType::backend>(snare::capability::can_follow_process_tree) &&
      TestType::ignores_follow_forks == nullptr)
    follows.push_back(false);
  for (bool follow : follows) {
    INFO("follow_forks " << follow);
    snare::run_options o;
    o.follow_forks = follow;
    law_run<decltype(tool)> r;
    auto out = capture_stdout([&] { r = run_law(tool, args, o); });
    INFO("the guest printed:\n" << out);
    REQUIRE(r.code == 0);  // no way opened it
    CHECK(r.state.openat == 1);
    CHECK(r.state.open == 1);
  }
  // Control: without a tracer, the native ways do open the file (openat and open, plus
  // int 0x80 and x32 where the host has them).
  int st = run_natively(args);
  REQUIRE(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) >= 2 + (try_int80 ? 1 : 0));
}

TEMPLATE_LIST_TEST_CASE("an exit handler changes the return value", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_observe_exit)) {
    skip_lacking<backend>(snare::capability::can_observe_exit);
  } else {
    SECTION("getppid returns the handler's value; the handler saw the real one") {
      return_changer<backend> tool;
      auto r = run_law(tool, {TestType::guest("retval"), "exit"});
      REQUIRE(r.code == 0);
      CHECK(r.state.real > 0);  // a parent's pid
    }
    SECTION("a write told it wrote 1 byte is written again from the next byte") {
      short_writer<backend> tool;
      law_run<decltype(tool)> r;
      auto out = capture_stdout([&] { r = run_law(tool, {TestType::guest("write"), "abc", "de"}); });
      CHECK(r.code == 0);
      // stdio writes the rest again after each short write: every suffix of the line in turn.
      const std::string text = "abc de\n";
      std::string expected;
      for (std::size_t i = 0; i < text.size(); ++i) expected += text.substr(i);
      CHECK(out == expected);
      CHECK(r.state.writes == static_cast<long>(text.size()));
    }
  }
}

TEMPLATE_LIST_TEST_CASE("tail_inject replaces the current call", "[engine]",
                        snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_inject)) {
    skip_lacking<backend>(snare::capability::can_inject);
  } else {
    SECTION("getppid by gettid: the guest gets its tid") {
      tail_injector<backend> tool;
      auto r = run_law(tool, {TestType::guest("retval"), "tail"});
      REQUIRE(r.code == 0);
      CHECK(r.state.failures == 0);
    }
    SECTION("exit_group(41) by exit_group(42): the guest ends with 42") {
      exit_bumper<backend> tool;
      auto r = run_law(tool, {TestType::guest("threads"), "0", "0", "41"});
      REQUIRE(r.code == 42);
      CHECK(r.state.failures == 0);
    }
  }
}

namespace snare::test::conformance {
/// Answers every RDTSC and RDTSCP with TSC 12345 and aux 7.
template <class Backend>
struct tsc_faker {
  using backend = Backend;
  int seen = 0;
  void on_rdtsc(snare::rdtsc_event& e, auto&) {
    ++seen;
    e.tsc = 12345;
    e.aux = 7;
  }
};
}  // namespace snare::test::conformance

TEMPLATE_LIST_TEST_CASE("RDTSC and RDTSCP are intercepted", "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  using backend = typename TestType::backend;
  if constexpr (!snare::has_capability<backend>(snare::capability::can_intercept_rdtsc)) {
    skip_lacking<backend>(snare::capability::can_intercept_rdtsc);
  } else {
    snare::test::require_host(*backend::host_feature_for(snare::capability::can_intercept_rdtsc));
    tsc_faker<backend> tool;
    REQUIRE(run_cmd(tool, {TestType::guest("rdtsc")}) == 0);
    CHECK(tool.seen >= 2);
  }
}

TEMPLATE_LIST_TEST_CASE("a handler's exception leaves run on the tracer's stack and ends the guest",
                        "[engine]", snare::test::conformance::subjects) {
  using namespace snare::test::conformance;
  require_backend_host<typename TestType::backend>();
  thrower<typename TestType::backend> tool;
  REQUIRE_THROWS_WITH(run_cmd(tool, {TestType::guest("threads"), "4", "10"}), "handler failed");
  errno = 0;
  CHECK(::waitpid(-1, nullptr, __WALL | WNOHANG) == -1);  // no guest left behind
  CHECK(errno == ECHILD);
}
