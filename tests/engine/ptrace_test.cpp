// ptrace-specific behaviour: the guest dies with its tracer, CPUID faulting, the host checks.
#include <elf.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <guests.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/tracer.hpp>

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

TEST_CASE("ptrace: CPUID is intercepted where the CPU has CPUID faulting, after every exec",
          "[engine][ptrace]") {
  snare::test::require_host(snare::host_feature::cpuid_faulting);
  cpuid_tool tool;
  // The kernel clears CPUID faulting at exec: the guest runs after two (sh, then the guest).
  const std::string cmd = snare::test::guest_path("cpuid");
  CHECK(snare::run<snare::backend::ptrace>(tool, {"/bin/sh", "-c", cmd.c_str()}) == 0);
  CHECK(tool.seen >= 1);
}

namespace {
struct tsc_tool {
  int seen = 0;
  void on_rdtsc(snare::rdtsc_event& e, auto&) {
    ++seen;
    e.tsc = 12345;
    e.aux = 7;
  }
};

// Sets SNARE_HOST_DENY for its lifetime: the host then acts as one without those features.
struct host_deny {
  explicit host_deny(const char* features) { ::setenv("SNARE_HOST_DENY", features, 1); }
  ~host_deny() { ::unsetenv("SNARE_HOST_DENY"); }
  host_deny(const host_deny&) = delete;
  host_deny& operator=(const host_deny&) = delete;
};

// Runs `tool` on `argv` with `o`, and returns its exit code and what it printed on stderr.
template <class Tool>
std::pair<int, std::string> run_capturing_stderr(Tool& tool, std::vector<std::string> argv,
                                                 snare::run_options o) {
  std::fflush(stderr);
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp);
  int saved = ::dup(2);
  ::dup2(::fileno(tmp), 2);
  int code = snare::run<snare::backend::ptrace>(tool, argv, o);
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::string err;
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;) err.push_back(static_cast<char>(c));
  std::fclose(tmp);
  return {code, err};
}
}  // namespace

TEST_CASE("ptrace: a tool needing an absent host feature is refused, or runs without it in degrade mode",
          "[engine][ptrace][host]") {
  // SNARE_HOST_DENY withholds the feature, so this runs the same on hosts with and without it.
  snare::run_options strict, degrade;
  degrade.on_missing_host_feature = snare::host_policy::degrade;
  SECTION("RDTSC without RDTSC trapping") {
    host_deny deny("rdtsc_trapping");
    tsc_tool tool;
    auto [code, err] = run_capturing_stderr(tool, {snare::test::guest_path("rdtsc")}, strict);
    CHECK(code == snare::exit_host_unsupported);
    CHECK(err.find("can_intercept_rdtsc") != std::string::npos);
    CHECK(err.find("ptrace backend") != std::string::npos);
    CHECK(err.find("rdtsc_trapping: withheld by SNARE_HOST_DENY") != std::string::npos);
    auto [dcode, derr] = run_capturing_stderr(tool, {snare::test::guest_path("rdtsc")}, degrade);
    CHECK(dcode == 1);  // the guest read the real TSC
    CHECK(tool.seen == 0);
    CHECK(derr.find("warning: running without can_intercept_rdtsc") != std::string::npos);
  }
  SECTION("CPUID without CPUID faulting") {
    host_deny deny("cpuid_faulting");
    cpuid_tool tool;
    auto [code, err] = run_capturing_stderr(tool, {snare::test::guest_path("cpuid")}, strict);
    CHECK(code == snare::exit_host_unsupported);
    CHECK(err.find("can_intercept_cpuid") != std::string::npos);
    auto [dcode, derr] = run_capturing_stderr(tool, {snare::test::guest_path("cpuid")}, degrade);
    CHECK(dcode == 1);  // the guest saw the real CPUID
    CHECK(tool.seen == 0);
    CHECK(derr.find("warning: running without can_intercept_cpuid") != std::string::npos);
  }
  SECTION("the host's own answer, without SNARE_HOST_DENY") {
    tsc_tool tool;
    int code = snare::run<snare::backend::ptrace>(tool, {snare::test::guest_path("rdtsc")});
    if (snare::host_features().has(snare::host_feature::rdtsc_trapping)) {
      CHECK(code == 0);
      CHECK(tool.seen >= 2);
    } else {
      CHECK(code == snare::exit_host_unsupported);
    }
  }
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
  CHECK(snare::missing_host_features<snare::backend::ptrace>().empty());
}

namespace {
/// Injects gettid from SIGUSR1's handler (the signal is then sent again by the engine), and
/// arms a 20 ms CPU-time timer at getppid: both name the thread by the ids the tracer sees.
struct namespaced_injector {
  int signals = 0, injected = 0, timers = 0, armed = 0;
  snare::signal_action on_signal(int sig, auto& g) {
    if (sig != SIGUSR1) return snare::deliver();
    ++signals;
    injected += g.inject(snare::sys::gettid{}).has_value();
    return snare::deliver();
  }
  void on(snare::sys::getppid, auto& g) { armed += g.set_timer(std::chrono::milliseconds(20)).has_value(); }
  void on_timer(auto&) { ++timers; }
};
}  // namespace

TEST_CASE("ptrace: a guest in its own pid namespace gets its signals after an injection, and its timer",
          "[engine][ptrace]") {
  snare::test::require_host(snare::host_feature::pid_namespace);
  if (::geteuid() != 0) snare::test::require_host(snare::host_feature::user_namespace);
  auto in_pid_ns = [](const char* guest, std::vector<std::string> args) {
    snare::command c(snare::test::guest_path(guest));
    c.args(std::move(args)).unshare(snare::ns::pid);
    if (::geteuid() != 0) c.map_root();
    return c;
  };
  namespaced_injector tool;
  snare::tracer<snare::backend::ptrace, namespaced_injector> tracer(tool);
  // The queued SIGUSR1 reaches the guest's handler with its siginfo; the read restarts.
  CHECK(tracer.run(in_pid_ns("siginject", {"restart"})) == 0);
  CHECK(tool.signals == 1);
  CHECK(tool.injected == 1);
  // The timer's sigevent names the thread as the guest's kernel knows it (pid 1 there).
  CHECK(tracer.run(in_pid_ns("cpu_burn", {"200"})) == 0);
  CHECK(tool.armed == 1);
  CHECK(tool.timers == 1);
}

namespace {
/// Sets AT_CLKTCK to 1000 at exec; tries set_auxv outside an exec handler too.
struct auxv_setter {
  int set = 0, refused = 0;
  void on_exec(auto& g) { set += g.set_auxv(AT_CLKTCK, 1000).has_value(); }
  void on(snare::sys::getppid, auto& g) {
    refused += g.set_auxv(AT_CLKTCK, 1).error() == std::errc::operation_not_supported;
  }
};
}  // namespace

TEST_CASE("ptrace: an exec handler sets an auxiliary-vector entry the new image reads", "[engine][ptrace]") {
  auxv_setter tool;
  REQUIRE(snare::run<snare::backend::ptrace>(tool, {snare::test::guest_path("auxv_clktck")}) == 0);
  CHECK(tool.set == 1);
  REQUIRE(snare::run<snare::backend::ptrace>(tool,
                                             {snare::test::guest_path("threads"), "0", "0", "0", "1"}) == 0);
  CHECK(tool.refused == 1);
}
