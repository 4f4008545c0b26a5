// Tests signal numbers, signal sets and sigaction structs as strace prints them.
#include <catch2/catch.hpp>

#include <signal.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
using ksigaction = snare::arch::x86_64::kernel_sigaction;
constexpr std::uint64_t bit(int sig) { return std::uint64_t{1} << (sig - 1); }
constexpr std::uint64_t sa_restorer = 0x04000000;
}  // namespace

TEST_CASE("Signal arguments print as SIGxxx, real-time ones as SIGRTMIN/SIGRT_n", "[format][signal]") {
  fake_memory mem;
  CHECK(call("kill", {6684, 9}, 0, mem) == "kill(6684, SIGKILL) = 0");
  CHECK(call("kill", {0, 0}, 0, mem) == "kill(0, 0) = 0");
  CHECK(call("kill", {999999, 40}, -3, mem) == "kill(999999, SIGRT_8) = -1 ESRCH (No such process)");
  CHECK(call("kill", {999999, 32}, -3, mem) == "kill(999999, SIGRTMIN) = -1 ESRCH (No such process)");
  CHECK(call("kill", {999999, 99}, -3, mem) == "kill(999999, 99) = -1 ESRCH (No such process)");
}

TEST_CASE("Signal sets print as [INT TERM], or ~[...] when mostly full", "[format][signal]") {
  fake_memory mem;
  mem.put<std::uint64_t>(0x1000, bit(SIGINT) | bit(SIGTERM));
  mem.put<std::uint64_t>(0x2000, 0);
  // strace: rt_sigprocmask(SIG_BLOCK, [INT TERM], [], 8) = 0
  CHECK(call("rt_sigprocmask", {0, 0x1000, 0x2000, 8}, 0, mem) ==
        "rt_sigprocmask(SIG_BLOCK, [INT TERM], [], 8) = 0");
  // strace: rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [INT TERM], 8) = 0
  mem.put<std::uint64_t>(0x3000, ~(bit(32) | bit(33)));
  CHECK(call("rt_sigprocmask", {0, 0x3000, 0x1000, 8}, 0, mem) ==
        "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [INT TERM], 8) = 0");
  // strace: rt_sigprocmask(SIG_SETMASK, ~[USR1 RTMIN RT_1], ~[KILL STOP RTMIN RT_1], 8) = 0
  mem.put<std::uint64_t>(0x4000, ~(bit(SIGUSR1) | bit(32) | bit(33)));
  mem.put<std::uint64_t>(0x5000, ~(bit(SIGKILL) | bit(SIGSTOP) | bit(32) | bit(33)));
  CHECK(call("rt_sigprocmask", {2, 0x4000, 0x5000, 8}, 0, mem) ==
        "rt_sigprocmask(SIG_SETMASK, ~[USR1 RTMIN RT_1], ~[KILL STOP RTMIN RT_1], 8) = 0");
  mem.put<std::uint64_t>(0x6000, ~std::uint64_t{0});
  CHECK(call("rt_sigprocmask", {2, 0x6000, 0, 8}, 0, mem) == "rt_sigprocmask(SIG_SETMASK, ~[], NULL, 8) = 0");
  SECTION("the old set is shown at exit, its address when the call failed") {
    CHECK(call("rt_sigprocmask", {0, 0x1000, 0x2000, 8}, -22, mem) ==
          "rt_sigprocmask(SIG_BLOCK, [INT TERM], 0x2000, 8) = -1 EINVAL (Invalid argument)");
  }
}

TEST_CASE("sigaction structs show handler, mask, flags and the restorer", "[format][signal]") {
  fake_memory mem;
  mem.put(0x1000, ksigaction{0x561a935d94d9, sa_restorer | SA_RESTART, 0x7f93052cb050, bit(SIGTERM)});
  mem.put(0x2000, ksigaction{0, 0, 0, 0});
  // strace: rt_sigaction(SIGINT, {sa_handler=0x561a935d94d9, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART,
  //         sa_restorer=0x7f93052cb050}, NULL, 8) = 0
  CHECK(call("rt_sigaction", {SIGINT, 0x1000, 0, 8}, 0, mem) ==
        "rt_sigaction(SIGINT, {sa_handler=0x561a935d94d9, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_RESTART, "
        "sa_restorer=0x7f93052cb050}, NULL, 8) = 0");
  // strace: rt_sigaction(SIGQUIT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0
  CHECK(call("rt_sigaction", {SIGQUIT, 0, 0x2000, 8}, 0, mem) ==
        "rt_sigaction(SIGQUIT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");
  mem.put(0x3000, ksigaction{1, sa_restorer, 0x7f93052cb050, 0});
  CHECK(call("rt_sigaction", {SIGPIPE, 0x3000, 0, 8}, 0, mem) ==
        "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, "
        "sa_restorer=0x7f93052cb050}, "
        "NULL, 8) = 0");
  CHECK(call("rt_sigaction", {99, 0, 0, 8}, -22, mem) ==
        "rt_sigaction(99, NULL, NULL, 8) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("siginfo prints as strace does, alone or as a signal line", "[format][signal]") {
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  si.si_pid = 6683;
  si.si_uid = 0;
  si.si_status = 3;
  std::string out;
  REQUIRE(snare::format::format_signal(out, std::as_bytes(std::span(&si, 1))));
  // strace: --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=6683, si_uid=0, si_status=3,
  // si_utime=0,
  //         si_stime=0} ---
  CHECK(out ==
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=6683, si_uid=0, si_status=3, si_utime=0, "
        "si_stime=0} ---");
  si.si_code = CLD_KILLED;
  si.si_status = SIGKILL;
  out.clear();
  REQUIRE(snare::format::format_siginfo(out, std::as_bytes(std::span(&si, 1))));
  CHECK(out ==
        "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=6683, si_uid=0, si_status=SIGKILL, si_utime=0, "
        "si_stime=0}");
  // Clock ticks as strace's print_clock_t (USER_HZ is 100 on x86-64): seconds in a comment,
  // none under -X raw. A pid note follows si_pid (snare-strace's --decode-pids=pidns).
  si.si_utime = 150;
  si.si_stime = 2;
  out.clear();
  REQUIRE(snare::format::format_siginfo(
      out, std::as_bytes(std::span(&si, 1)), snare::format::xlat_style::abbrev,
      [](std::string& o, int pid) { o += " /* " + std::to_string(pid + 1) + " */"; }));
  CHECK(out ==
        "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=6683 /* 6684 */, si_uid=0, si_status=SIGKILL, "
        "si_utime=150 /* 1.50 s */, si_stime=2 /* 0.02 s */}");
  out.clear();
  REQUIRE(
      snare::format::format_siginfo(out, std::as_bytes(std::span(&si, 1)), snare::format::xlat_style::raw));
  CHECK(out == "{si_signo=17, si_code=0x2, si_pid=6683, si_uid=0, si_status=9, si_utime=150, si_stime=2}");
  si.si_utime = si.si_stime = 0;
  siginfo_t user{};
  user.si_signo = SIGTERM;
  user.si_code = SI_USER;
  user.si_pid = 17675;
  out.clear();
  REQUIRE(snare::format::format_signal(out, std::as_bytes(std::span(&user, 1))));
  // strace: --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=17675, si_uid=0} ---
  CHECK(out == "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=17675, si_uid=0} ---");
  siginfo_t segv{};
  segv.si_signo = SIGSEGV;
  segv.si_code = SEGV_MAPERR;
  segv.si_addr = nullptr;
  out.clear();
  REQUIRE(snare::format::format_signal(out, std::as_bytes(std::span(&segv, 1))));
  CHECK(out == "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---");
}

TEST_CASE("waitid shows the child's siginfo at exit", "[format][signal]") {
  fake_memory mem;
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  si.si_pid = 9208;
  si.si_status = 2;
  mem.put(0x1000, si);
  // strace: waitid(P_PID, 9208, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9208, si_uid=0, si_status=2,
  //         si_utime=0, si_stime=0}, WEXITED, NULL) = 0
  CHECK(call("waitid", {1, 9208, 0x1000, 4, 0}, 0, mem) ==
        "waitid(P_PID, 9208, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9208, si_uid=0, si_status=2, "
        "si_utime=0, "
        "si_stime=0}, WEXITED, NULL) = 0");
}

TEST_CASE("sa_flags print in strace's order, SA_RESTORER first and SA_SIGINFO after SA_RESETHAND",
          "[format][signal]") {
  fake_memory mem;
  // strace: rt_sigaction(SIGUSR1, {sa_handler=0x1234, sa_mask=[],
  //         sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP,
  //         sa_restorer=0x5678}, NULL, 8) = 0
  mem.put(0x1000, ksigaction{0x1234,
                             sa_restorer | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_SIGINFO |
                                 SA_NOCLDSTOP,
                             0x5678, 0});
  CHECK(call("rt_sigaction", {SIGUSR1, 0x1000, 0, 8}, 0, mem) ==
        "rt_sigaction(SIGUSR1, {sa_handler=0x1234, sa_mask=[], "
        "sa_flags=SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP, "
        "sa_restorer=0x5678}, NULL, 8) = 0");
}

TEST_CASE("Signal 29 is SIGIO, as strace names it (glibc's sigabbrev_np says POLL)", "[format][signal]") {
  std::string out;
  REQUIRE(snare::format::format_signal_name(out, SIGIO));
  CHECK(out == "SIGIO");
  out.clear();
  REQUIRE(snare::format::format_signal_name(out, 35));
  CHECK(out == "SIGRT_3");
  fake_memory mem;
  // strace: kill(1234, SIGIO) = 0
  CHECK(call("kill", {1234, SIGIO}, 0, mem) == "kill(1234, SIGIO) = 0");
}
