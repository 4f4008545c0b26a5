// ptrace's precise timers (guest::set_timer_precise, guest::read_clock): counted in retired
// conditional branches by the PMU, written as Reverie's timer_semantics test checks them:
// the timer fires once, exactly `branches` after the clock read where it was set; the
// thread's next event cancels it. Hosts without a PMU (every machine seen so far) skip with
// the probe's reason; there, the call must say not_supported.
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include <catch2/catch.hpp>
#include <guests.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/tracer.hpp>

namespace {
/// At the first getppid: reads the clock and arms the precise timer for `branches`; at the
/// timer: reads the clock again.
struct precise_timer_tool {
  std::uint64_t branches = 0;
  int calls = 0;
  std::error_code refused;
  std::uint64_t set_at = 0;
  std::vector<std::uint64_t> fired_at;
  void on(snare::sys::getppid, auto& g) {
    if (++calls != 1) return;
    auto now = g.read_clock();
    if (!now) return (void)(refused = std::make_error_code(now.error()));
    set_at = *now;
    if (auto ok = g.set_timer_precise(branches); !ok) refused = std::make_error_code(ok.error());
  }
  void on_timer(auto& g) {
    auto now = g.read_clock();
    fired_at.push_back(now ? *now : 0);
  }
};

precise_timer_tool run_branches(std::uint64_t branches, long loop) {
  precise_timer_tool tool;
  tool.branches = branches;
  int code = snare::run<snare::backend::ptrace>(
      tool, {snare::test::guest_path("branches"), std::to_string(loop).c_str()});
  CHECK(code == 0);
  return tool;
}

void require_precise_timers() {
  snare::test::require_host(snare::host_feature::pmu);
  auto probe = run_branches(1, 10);
  if (probe.refused == std::errc::not_supported)
    snare::test::skip(
        "the host has a PMU, but this CPU's retired-conditional-branch event is not known to snare");
  REQUIRE(!probe.refused);
}
}  // namespace

TEST_CASE("ptrace: set_timer_precise says not_supported where the host has no PMU",
          "[engine][ptrace][timer]") {
  if (snare::host_features().has(snare::host_feature::pmu))
    snare::test::skip("the host has a PMU: the precise timer cases below run instead");
  auto tool = run_branches(1000, 100000);
  CHECK(tool.refused == std::errc::not_supported);
  CHECK(tool.fired_at.empty());
}

TEST_CASE("ptrace: a precise timer fires once, exactly its branches later", "[engine][ptrace][timer]") {
  require_precise_timers();
  // Stepped at once (3), past the counter with Intel's skid margin (1,000), past AMD's (50,000).
  for (std::uint64_t n : {std::uint64_t{3}, std::uint64_t{1000}, std::uint64_t{50000}}) {
    INFO("branches " << n);
    auto tool = run_branches(n, 1000000);
    REQUIRE(!tool.refused);
    REQUIRE(tool.fired_at.size() == 1);
    CHECK(tool.fired_at[0] == tool.set_at + n);
  }
}

TEST_CASE("ptrace: the thread's next event cancels a precise timer", "[engine][ptrace][timer]") {
  require_precise_timers();
  // The loop ends, and the second getppid comes, long before the timer would.
  auto tool = run_branches(100000000, 1000);
  REQUIRE(!tool.refused);
  CHECK(tool.fired_at.empty());
  CHECK(tool.calls == 2);
}
