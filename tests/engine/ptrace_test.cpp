// ptrace-specific behaviour: the guest dies with its tracer, CPUID faulting is reported.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/tracer.hpp>

#include "backends.hpp"

namespace {
struct pid_reporter {
  int fd = -1;
  void on_process_start(auto& g) {
    pid_t pid = g.pid();
    (void)!::write(fd, &pid, sizeof pid);
  }
};
}  // namespace

TEST_CASE("ptrace: the guest is killed when the tracer dies", "[engine][ptrace]") {
  // Orphans re-parent to this process, so the guest can be reaped here.
  REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  int p[2];
  REQUIRE(::pipe(p) == 0);
  pid_t tracer = ::fork();
  if (tracer == 0) {
    ::close(p[0]);
    pid_reporter tool{p[1]};
    ::_exit(snare::run<snare::backend::ptrace>(tool, {"/bin/sleep", "1000"}));
  }
  ::close(p[1]);
  pid_t guest = -1;
  REQUIRE(::read(p[0], &guest, sizeof guest) == sizeof guest);
  ::close(p[0]);
  ::kill(tracer, SIGKILL);
  int st = 0;
  REQUIRE(::waitpid(tracer, &st, 0) == tracer);
  REQUIRE(::waitpid(guest, &st, 0) == guest);
  CHECK(WIFSIGNALED(st));
  CHECK(WTERMSIG(st) == SIGKILL);
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

namespace {
struct cpuid_tool {
  int seen = 0;
  void on_cpuid(snare::cpuid_event& e, auto&) {
    ++seen;
    e.eax = 0x1234;
  }
};
}  // namespace

TEST_CASE("ptrace: CPUID is intercepted where the CPU has CPUID faulting", "[engine][ptrace]") {
  auto ok = snare::backend::ptrace::cpuid_faulting_available();
  if (!ok) snare::test::skip("CPUID faulting is not available on this machine (ARCH_SET_CPUID fails)");
  cpuid_tool tool;
  CHECK(snare::run<snare::backend::ptrace>(tool, {"/bin/true"}) == 0);
}

namespace {
struct backtracer {
  std::vector<std::string> names;
  void on(snare::sys::getppid, auto& g) {
    auto frames = g.backtrace();
    REQUIRE(frames);
    for (auto& f : *frames) names.push_back(f.symbol);
  }
};
}  // namespace

TEST_CASE("ptrace: a handler takes a symbolised backtrace of the guest thread", "[engine][ptrace]") {
  backtracer tool;
  REQUIRE(snare::run<snare::backend::ptrace>(tool, {snare::test::guest_path("backtrace")}) == 0);
  auto at = [&](const char* name) {
    for (std::size_t i = 0; i < tool.names.size(); ++i)
      if (tool.names[i] == name) return static_cast<long>(i);
    return -1L;
  };
  INFO("frames: " << tool.names.size());
  REQUIRE(at("deep1") >= 0);
  CHECK(at("deep2") == at("deep1") + 1);
  CHECK(at("deep3") == at("deep2") + 1);
  CHECK(at("main") == at("deep3") + 1);
}

namespace {
struct any_tool {
  void on(auto, auto&) {}
};
}  // namespace

TEST_CASE("ptrace: the backend and its guest handle model the shared concepts", "[engine][ptrace]") {
  using guest = snare::backend::ptrace::engine<any_tool>::guest_type;
  STATIC_REQUIRE(snare::backend_policy<snare::backend::ptrace>);
  STATIC_REQUIRE(snare::guest_handle<guest>);
  STATIC_REQUIRE(snare::guest_memory<guest>);
  STATIC_REQUIRE(snare::backend::ptrace::engine<any_tool>::subscription.entry.is_everything());
  CHECK(snare::backend::ptrace::available());
}
