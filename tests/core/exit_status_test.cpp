// Tests snare::exit_status against the wait statuses the kernel gives (wait(2)).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <snare/host/detail/probe.hpp>
#include <snare/tool/exit_status.hpp>

namespace {
// Returns the wait status of a child that runs `f`.
template <class F>
int wait_status_of(F f) {
  pid_t pid = ::fork();
  if (pid == 0) {
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    f();
    ::_exit(0);
  }
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  return st;
}
}  // namespace

TEST_CASE("an exit and a signal death are told apart, even when the codes agree", "[core][exit_status]") {
  auto exited = snare::exit_status::from_wait_status(wait_status_of([] { ::_exit(139); }));
  auto killed = snare::exit_status::from_wait_status(wait_status_of([] {
    snare::detail::host::default_signal(SIGSEGV);  // past a sanitizer's own SIGSEGV handler
    ::raise(SIGSEGV);
  }));
  CHECK(exited == snare::exit_status::exited(139));
  CHECK(exited.is_exited());
  CHECK(exited.code() == 139);
  // Whether a core was dumped is the host's (a piped core_pattern ignores RLIMIT_CORE).
  CHECK(killed == snare::exit_status::killed(SIGSEGV, killed.core_dumped()));
  CHECK(killed.is_killed());
  CHECK(killed.signal() == SIGSEGV);
  CHECK(exited.shell_code() == killed.shell_code());  // what the int convention cannot tell
  CHECK(exited != killed);
}

TEST_CASE("an exit status gives back its wait status", "[core][exit_status]") {
  for (int ws : {0, 3 << 8, 255 << 8, SIGKILL, SIGSEGV | 0x80, SIGTERM}) {
    INFO("wait status " << ws);
    CHECK(snare::exit_status::from_wait_status(ws).wait_status() == ws);
  }
  CHECK(snare::exit_status::killed(SIGABRT, true).core_dumped());
  CHECK(snare::exit_status::from_wait_status(-1).what() == snare::exit_status::kind::unknown);
  CHECK(snare::exit_status{}.wait_status() == -1);
  STATIC_REQUIRE(snare::exit_status::killed(SIGKILL).shell_code() == 137);
}
