// The hypercall backend takes a snare::command's program, arguments and environment, and
// refuses before any VM starts what needs a guest process of its own (no KVM needed).
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include <skip.hpp>

#include <snare/hypercall.hpp>

namespace {
struct nothing {};

// Runs `c` on the hypercall backend with the tracer's descriptor `fd` (stderr by default)
// sent to a file; returns the exit code and what was written there.
std::pair<int, std::string> refusal_of(const snare::command& c, bool capture = false, int out_fd = 2) {
  char path[] = "/tmp/snare_cmd_hv_XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  std::fflush(nullptr);
  int saved = ::dup(out_fd);
  ::dup2(fd, out_fd);
  nothing tool;
  int code = capture ? snare::output<snare::backend::hypercall>(tool, c).code
                     : snare::run<snare::backend::hypercall>(tool, c);
  std::fflush(nullptr);
  ::dup2(saved, out_fd);
  ::close(saved);
  std::string text;
  char buf[512];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  ::unlink(path);
  return {code, text};
}
}  // namespace

TEST_CASE("the hypercall backend refuses what a command asks beyond program, arguments and environment") {
  const std::string why = "snare: cannot run 'true': the hypercall backend cannot give ";
  auto check = [&](const snare::command& c, const std::string& what, bool capture = false) {
    auto [code, err] = refusal_of(c, capture);
    INFO(err);
    CHECK(code == 127);
    CHECK(err == why + what + ": its guest runs in a VM served from the tracer's own process\n");
  };
  check(snare::command("true").current_dir("/"), "a working directory");
  check(snare::command("true").arg0("other"), "an arg0");
  check(snare::command("true").unshare(snare::ns::pid), "new namespaces");
  check(snare::command("true").user(65534, 65534), "another user");
  check(snare::command("true").limit(RLIMIT_NOFILE, 64), "resource limits");
  check(snare::command("true"), "standard streams other than the tracer's", /*capture=*/true);
  auto [code, err] = refusal_of(snare::command::function([] { return 0; }));
  CHECK(code == 127);
  CHECK(err.find("the hypercall backend cannot give a function as the guest") != std::string::npos);

  SECTION("an environment alone is taken: the run goes on to the VM (which refuses `true`, dynamic)") {
    auto [c2, e2] = refusal_of(snare::command("true").env("A", "1"));
    CHECK(e2.find("cannot give") == std::string::npos);
  }
}

TEST_CASE("the hypercall backend runs a command in the environment it sets") {
  snare::test::require_host(snare::host_feature::kvm);
  if (::access("/usr/bin/busybox", X_OK) != 0)
    snare::test::skip("no /usr/bin/busybox (a static executable) here");
  ::setenv("SNARE_HV_GONE", "inherited", 1);
  auto [code, out] = refusal_of(snare::command("/usr/bin/busybox")
                                    .args({"sh", "-c", "echo \"$SNARE_HV:${SNARE_HV_GONE-unset}\""})
                                    .env("SNARE_HV", "set")
                                    .env_remove("SNARE_HV_GONE"),
                                /*capture=*/false, /*out_fd=*/1);
  CHECK(code == 0);
  CHECK(out == "set:unset\n");
}
