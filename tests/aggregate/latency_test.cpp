// Tests snare-latency on real guests: the counts in its histograms are the calls the guest
// made (tests/aggregate/guests/sleeper.c: N nanosleeps), a sleep's bucket is at or above
// what it asked for, per process with -p, per VM on the KVM backend (skipped with the host
// probe's reason where /dev/kvm is absent), the seccomp backend refused with its reason.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "histogram_text.hpp"
#include "run.hpp"
#include "skip.hpp"

namespace {

using snare::test::find_histogram;
using snare::test::key_line;

/// Runs snare-latency with `args`, its histograms written to a file; returns the result with
/// the histograms in `out`.
snare::test::command_result latency(std::vector<std::string> args) {
  std::string file = snare::test::temp_path("latency");
  args.insert(args.begin(), {SNARE_LATENCY_PATH, "-o", file});
  auto r = snare::test::run_command(args);
  r.out = snare::test::slurp(file);
  std::remove(file.c_str());
  return r;
}

}  // namespace

TEST_CASE("snare-latency counts each nanosleep of a program in its histogram", "[examples]") {
  auto r = latency({SNARE_SLEEPER_PATH, "5", "2000000"});
  INFO(r.err << r.out);
  REQUIRE(r.code == 0);
  auto rows = find_histogram(r.out, key_line({"nanosleep"}));
  REQUIRE(rows);
  REQUIRE(snare::test::total(*rows) == 5);
  REQUIRE(snare::test::all_at_least(*rows, 2'000'000));
  // One exit_group, which never returns: no histogram.
  REQUIRE_FALSE(find_histogram(r.out, key_line({"exit_group"})));
}

TEST_CASE("snare-latency times the calls of every thread", "[examples]") {
  // tests/examples/guests/mt_counts.c: five threads, each 50 getppid and 30 writes.
  auto r = latency({SNARE_MT_GUEST_PATH});
  INFO(r.err << r.out);
  REQUIRE(r.code == 0);
  auto getppid = find_histogram(r.out, key_line({"getppid"}));
  auto write = find_histogram(r.out, key_line({"write"}));
  REQUIRE(getppid);
  REQUIRE(write);
  REQUIRE(snare::test::total(*getppid) == 250);
  REQUIRE(snare::test::total(*write) == 150);
}

TEST_CASE("snare-latency gathers a process tree, per process name with -p", "[examples]") {
  std::string sleeper = SNARE_SLEEPER_PATH;
  std::string cmd = sleeper + " 3 1000000; " + sleeper + " 2 1000000; exit 3";
  SECTION("per syscall") {
    auto r = latency({"sh", "-c", cmd});
    INFO(r.err << r.out);
    REQUIRE(r.code == 3);
    auto rows = find_histogram(r.out, key_line({"nanosleep"}));
    REQUIRE(rows);
    REQUIRE(snare::test::total(*rows) == 5);
    REQUIRE(snare::test::all_at_least(*rows, 1'000'000));
  }
  SECTION("per process name and syscall") {
    auto r = latency({"-p", "sh", "-c", cmd});
    INFO(r.err << r.out);
    REQUIRE(r.code == 3);
    // The command name is the file's name cut to 15 characters (comm).
    std::string comm = sleeper.substr(sleeper.rfind('/') + 1).substr(0, 15);
    auto rows = find_histogram(r.out, key_line({comm, "nanosleep"}));
    REQUIRE(rows);
    REQUIRE(snare::test::total(*rows) == 5);
    REQUIRE_FALSE(find_histogram(r.out, key_line({"sh", "nanosleep"})));
    REQUIRE(find_histogram(r.out, key_line({"sh", "wait4"})));  // the shell waited for its children (wait4)
  }
}

TEST_CASE("snare-latency on the KVM backend keys its histograms by VM", "[examples]") {
  snare::test::require_host(snare::host_feature::kvm);
  // Two VMs at once: a third finds no room below 2 GiB for its arena (docs/hypercall.md).
  std::string sleeper = SNARE_SLEEPER_STATIC_PATH;
  auto r = latency({"--backend=kvm", "--vm", "left=" + sleeper + " 3 1000000", sleeper, "4", "500000"});
  INFO(r.err << r.out);
  REQUIRE(r.code == 0);
  auto left = find_histogram(r.out, key_line({"left", "nanosleep"}));
  auto own = find_histogram(r.out, key_line({sleeper.substr(sleeper.rfind('/') + 1), "nanosleep"}));
  REQUIRE(left);
  REQUIRE(own);
  REQUIRE(snare::test::total(*left) == 3);
  REQUIRE(snare::test::total(*own) == 4);
  REQUIRE(snare::test::all_at_least(*left, 1'000'000));
  REQUIRE(snare::test::all_at_least(*own, 500'000));
}

TEST_CASE("snare-latency refuses the seccomp backend, which has no exit events", "[examples]") {
  auto r = latency({"--backend=seccomp", "true"});
  REQUIRE(r.code == 2);
  REQUIRE(r.err.find("seccomp backend reports no syscall exits") != std::string::npos);
}

TEST_CASE("snare-latency prints its usage and refuses bad options", "[examples]") {
  auto help = snare::test::run_command({SNARE_LATENCY_PATH, "--help"});
  REQUIRE(help.code == 0);
  REQUIRE(help.out.find("Usage: snare-latency") != std::string::npos);
  auto bad = snare::test::run_command({SNARE_LATENCY_PATH, "--bogus", "true"});
  REQUIRE(bad.code == 2);
  REQUIRE(bad.err.find("unknown option --bogus") != std::string::npos);
  auto vm = snare::test::run_command({SNARE_LATENCY_PATH, "--vm", "a=true", "true"});
  REQUIRE(vm.code == 2);
  REQUIRE(vm.err.find("--vm needs --backend=kvm") != std::string::npos);
  auto none = snare::test::run_command({SNARE_LATENCY_PATH});
  REQUIRE(none.code == 2);
}
