// Tests the aggregations as a tool's global state on real guests: handlers reach them with
// g.global().call(...), every process hands them over as it ends, and the counts in the
// histograms are the calls the guest made (tests/aggregate/guests/sleeper.c), on ptrace and
// on the hypercall backend (skipped with the host probe's reason where /dev/kvm is absent).
#include <sys/syscall.h>
#include <time.h>

#include <cstdint>
#include <string>

#include <snare/aggregate.hpp>
#include <snare/backend/hypercall.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include <catch2/catch.hpp>

#include "histogram_text.hpp"
#include "skip.hpp"

namespace {

namespace agg = snare::aggregate;

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

struct stats {
  agg::aggregation<agg::count, std::string> calls;  // @[probefunc] = count()
  agg::aggregation<agg::quantize, std::string> ns;  // @[probefunc] = quantize(latency)
  agg::aggregation<agg::sum, std::string> requested{};
  agg::aggregation<agg::lquantize, std::string> ms{agg::lquantize(0, 10, 1)};  // whole milliseconds
};

struct aggregating_tool {
  using syscall_table = snare::call_list<>;
  using global_state = stats;
  struct thread_state {
    long nr = -1;
    std::int64_t start = 0;
  };

  template <class G>
  void on(snare::unknown_call& c, G& g) {
    g.thread_state() = {c.number, now_ns()};
    if (c.number == SYS_nanosleep) {
      auto ts = g.read(snare::guest_ptr<timespec>{c.args[0]});
      if (ts) g.global().call([&](stats& s) { s.requested("nanosleep").add(ts->tv_nsec); });
    }
  }
  template <class G>
  void on_exit(snare::unknown_call& c, long, G& g) {
    auto& t = g.thread_state();
    if (t.nr != c.number) return;
    std::int64_t ns = now_ns() - t.start;
    std::string name(snare::sys::x86_64::name_of(c.number));
    g.global().call([&](stats& s) {
      s.calls(name).add();
      s.ns(name).add(ns);
      s.ms(name).add(ns / 1'000'000);
    });
  }
};

/// Checks what the tool made of `sleeps` nanosleeps of `ns` nanoseconds each.
void check_sleeps(const stats& s, std::int64_t sleeps, std::int64_t ns) {
  REQUIRE(s.calls.find({"nanosleep"}) != nullptr);
  REQUIRE(s.calls.find({"nanosleep"})->value() == sleeps);
  REQUIRE(s.ns.find({"nanosleep"})->total() == sleeps);
  REQUIRE(s.ms.find({"nanosleep"})->total() == sleeps);
  REQUIRE(s.requested.find({"nanosleep"})->value() == sleeps * ns);
  // Each sleep lasts at least what it asked for: nothing below the bucket of `ns`.
  auto rows = snare::test::find_histogram(s.ns.to_string(), snare::test::key_line({"nanosleep"}));
  REQUIRE(rows);
  REQUIRE(snare::test::total(*rows) == sleeps);
  REQUIRE(snare::test::all_at_least(*rows, ns));
  REQUIRE(s.ms.find({"nanosleep"})->count_of(ns / 1'000'000 - 1) == 0);
}

}  // namespace

TEST_CASE("aggregations in a tool's global state count a guest's calls on ptrace", "[aggregate]") {
  aggregating_tool tool;
  snare::tracer<snare::backend::ptrace, aggregating_tool> tracer(tool);
  REQUIRE(tracer.run({SNARE_SLEEPER_PATH, "4", "2000000"}) == 0);
  check_sleeps(tracer.global_state(), 4, 2'000'000);
  REQUIRE(tracer.global_state().calls.find({"exit_group"}) == nullptr);  // it never returns
}

TEST_CASE("aggregations gather every process of a tree on ptrace", "[aggregate]") {
  aggregating_tool tool;
  snare::tracer<snare::backend::ptrace, aggregating_tool> tracer(tool);
  std::string cmd = std::string(SNARE_SLEEPER_PATH) + " 2 1000000; " + SNARE_SLEEPER_PATH + " 3 1000000";
  REQUIRE(tracer.run({"sh", "-c", cmd.c_str()}) == 0);
  check_sleeps(tracer.global_state(), 5, 1'000'000);
}

TEST_CASE("aggregations in a tool's global state count a guest's calls on the hypercall backend",
          "[aggregate]") {
  snare::test::require_host(snare::host_feature::kvm);
  aggregating_tool tool;
  snare::tracer<snare::backend::hypercall, aggregating_tool> tracer(tool);
  REQUIRE(tracer.run({SNARE_SLEEPER_STATIC_PATH, "3", "1000000"}) == 0);
  check_sleeps(tracer.global_state(), 3, 1'000'000);
}
