// The hypercall backend takes a snare::command's program, arguments and environment, and
// refuses before any VM starts what needs a guest process of its own (no KVM needed).
#include <catch2/catch.hpp>

#include <snare/hypercall.hpp>

namespace {
struct nothing {};
}  // namespace

TEST_CASE("the hypercall backend refuses what a command asks beyond program, arguments and environment") {
  nothing tool;
  snare::run_options quiet;
  quiet.report_exec_failure = false;
  using hv = snare::backend::hypercall;
  CHECK(snare::run<hv>(tool, snare::command("true").current_dir("/"), quiet) == 127);
  CHECK(snare::run<hv>(tool, snare::command("true").arg0("other"), quiet) == 127);
  CHECK(snare::run<hv>(tool, snare::command("true").unshare(snare::ns::pid), quiet) == 127);
  CHECK(snare::run<hv>(tool, snare::command::function([] { return 0; }), quiet) == 127);
  CHECK(snare::output<hv>(tool, snare::command("true"), quiet).code == 127);  // output() pipes its streams
}
