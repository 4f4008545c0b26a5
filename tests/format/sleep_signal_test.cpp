// Tests the sleeps' remaining time, time(2) and times(2), limits, scheduler results and the
// siginfo and sigset forms strace 6.1 prints (its tests/nanosleep.c, clock_nanosleep.c,
// time.c, times.c, setrlimit.c, sched_xetscheduler.c, sched_xetparam.c, rt_sigqueueinfo.c,
// pidfd_send_signal.c, waitid.c, rt_sigpending.c, rt_sigprocmask.c, rt_sigtimedwait.c).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "fake_memory.hpp"

using kernel_timespec = snare::sys::abi::timespec;
using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("A sleep's remaining time shows only when it was interrupted", "[format][sleep]") {
  fake_memory mem;
  mem.put(0x1000, kernel_timespec{0, 789985});
  mem.put(0x2000, kernel_timespec{789986, 789987});
  // strace: nanosleep({tv_sec=0, tv_nsec=789985}, 0x...) = 0 (the kernel wrote nothing there)
  CHECK(call("nanosleep", {0x1000, 0x2000}, 0, mem) == "nanosleep({tv_sec=0, tv_nsec=789985}, 0x2000) = 0");
  CHECK(call("nanosleep", {0x1000, 0}, 0, mem) == "nanosleep({tv_sec=0, tv_nsec=789985}, NULL) = 0");
  CHECK(call("nanosleep", {0x1000, 0x2000}, -516, mem) ==
        "nanosleep({tv_sec=0, tv_nsec=789985}, {tv_sec=789986, tv_nsec=789987}) = ? ERESTART_RESTARTBLOCK "
        "(Interrupted by signal)");
  CHECK(call("clock_nanosleep", {0, 0, 0x1000, 0x2000}, -516, mem) ==
        "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=789985}, {tv_sec=789986, tv_nsec=789987}) = ? "
        "ERESTART_RESTARTBLOCK (Interrupted by signal)");
  CHECK(call("clock_nanosleep", {0, 0, 0x1000, 0x2000}, 0, mem) ==
        "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=789985}, 0x2000) = 0");
  // An absolute sleep leaves `remain` alone even when interrupted.
  CHECK(
      call("clock_nanosleep", {0, 1, 0x1000, 0x2000}, -514, mem) ==
      "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=789985}, 0x2000) = ? ERESTARTNOHAND "
      "(To be restarted if no handler)");
}

TEST_CASE("time and times show their values as strace does", "[format][sleep]") {
  fake_memory mem;
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const std::int64_t t = 1796130492;
  mem.put(0x1000, t);
  // strace's tests/time.c: time(NULL) = 1796130492 (2026-12-01T13:08:12+0000)
  CHECK(call("time", {0}, t, mem) == "time(NULL) = 1796130492 (2026-12-01T13:08:12+0000)");
  CHECK(call("time", {0x1000}, t, mem) ==
        "time([1796130492 /* 2026-12-01T13:08:12+0000 */]) = 1796130492 (2026-12-01T13:08:12+0000)");
  CHECK(call("time", {0x2000}, -14, mem) == "time(0x2000) = -1 EFAULT (Bad address)");
  // strace's tests/times.c: clock ticks with their seconds, none for 0.
  REQUIRE(::sysconf(_SC_CLK_TCK) == 100);
  mem.put(0x3000, snare::sys::abi::tms{30, 59, 0, 12345});
  CHECK(call("times", {0x3000}, 1719080485, mem) ==
        "times({tms_utime=30 /* 0.30 s */, tms_stime=59 /* 0.59 s */, tms_cutime=0, tms_cstime=12345 /* "
        "123.45 s */}) = 1719080485");
}

TEST_CASE("A 64-bit rlim_t's infinity is RLIM64_INFINITY for every rlimit call", "[format][sleep]") {
  fake_memory mem;
  mem.put(0x1000, snare::sys::abi::rlimit{~0ULL, ~0ULL});
  // strace's tests/setrlimit.c and xgetrlimit.c on x86-64; real strace's getrlimit agrees.
  CHECK(call("setrlimit", {0, 0x1000}, 0, mem) ==
        "setrlimit(RLIMIT_CPU, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0");
  CHECK(call("getrlimit", {0, 0x1000}, 0, mem) ==
        "getrlimit(RLIMIT_CPU, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0");
}

TEST_CASE("Scheduler calls name the policy and show the priority in brackets", "[format][sleep]") {
  fake_memory mem;
  CHECK(call("sched_getscheduler", {1234}, 0, mem) == "sched_getscheduler(1234) = 0 (SCHED_OTHER)");
  CHECK(call("sched_getscheduler", {1234}, 42, mem) == "sched_getscheduler(1234) = 42");
  const std::int32_t prio = -1;
  mem.put(0x1000, prio);
  CHECK(call("sched_setscheduler", {1234, 1, 0x1000}, -22, mem) ==
        "sched_setscheduler(1234, SCHED_FIFO, [-1]) = -1 EINVAL (Invalid argument)");
  CHECK(call("sched_getparam", {1234, 0x1000}, 0, mem) == "sched_getparam(1234, [-1]) = 0");
}

TEST_CASE("siginfo shows a queued value, a named si_errno and {} when empty", "[format][sleep]") {
  fake_memory mem;
  snare::sys::abi::siginfo si{};
  si.si_signo = 10;
  si.si_code = -1;  // SI_QUEUE
  si.u.kill.pid = 10354;
  si.u.kill.uid = 0;
  const std::uint64_t value = 0xdeadbeefbadc0dedULL;
  std::memcpy(si.u.raw + 8, &value, sizeof value);
  mem.put(0x1000, si);
  // strace's tests/rt_sigqueueinfo.c
  CHECK(call("rt_sigqueueinfo", {10354, 10, 0x1000}, 0, mem) ==
        "rt_sigqueueinfo(10354, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=10354, si_uid=0, "
        "si_int=-1159983635, si_ptr=0xdeadbeefbadc0ded}) = 0");
  si.si_errno = 2;
  si.u.kill.uid = 0xffffffff;
  std::memset(si.u.raw + 8, 0, 8);
  mem.put(0x1000, si);
  CHECK(call("rt_sigqueueinfo", {10354, 10, 0x1000}, 0, mem) ==
        "rt_sigqueueinfo(10354, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=ENOENT, si_pid=10354, "
        "si_uid=-1}) = 0");
  si.si_errno = -1;
  mem.put(0x1000, si);
  CHECK(call("rt_sigqueueinfo", {10354, 10, 0x1000}, 0, mem) ==
        "rt_sigqueueinfo(10354, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=4294967295, "
        "si_pid=10354, "
        "si_uid=-1}) = 0");
  // strace's tests/waitid.c: waitid(P_PID, pid, {}, WNOHANG|WEXITED, NULL) = 0
  mem.put(0x2000, snare::sys::abi::siginfo{});
  CHECK(call("waitid", {1, 1234, 0x2000, 5, 0}, 0, mem) ==
        "waitid(P_PID, 1234, {}, WNOHANG|WEXITED, NULL) = 0");
}

TEST_CASE("A sigset of another size than the kernel's prints its address", "[format][sleep]") {
  fake_memory mem;
  const std::uint64_t set = 1u << 9;  // SIGUSR1
  mem.put(0x1000, set);
  // strace's tests/rt_sigprocmask.c: rt_sigprocmask(SIG_UNBLOCK, 0x..., 0x..., 4) = -1 EINVAL
  CHECK(call("rt_sigprocmask", {1, 0x1000, 0, 4}, -22, mem) ==
        "rt_sigprocmask(SIG_UNBLOCK, 0x1000, NULL, 4) = -1 EINVAL (Invalid argument)");
  CHECK(call("rt_sigprocmask", {1, 0x1000, 0, 8}, 0, mem) ==
        "rt_sigprocmask(SIG_UNBLOCK, [USR1], NULL, 8) = 0");
  // rt_sigpending alone takes 1 to 8 bytes (strace's tests/rt_sigpending.c).
  CHECK(call("rt_sigpending", {0x1000, 4}, 0, mem) == "rt_sigpending([USR1], 4) = 0");
  CHECK(call("rt_sigpending", {0x1000, 9}, -22, mem) ==
        "rt_sigpending(0x1000, 9) = -1 EINVAL (Invalid argument)");
  // rt_sigtimedwait names the signal it returns.
  CHECK(call("rt_sigtimedwait", {0x1000, 0, 0, 8}, 10, mem) ==
        "rt_sigtimedwait([USR1], NULL, NULL, 8) = 10 (SIGUSR1)");
}

TEST_CASE("CPU affinity masks print as the CPUs they hold (strace's tests/sched_xetaffinity.c)",
          "[format][sleep]") {
  fake_memory mem;
  const std::uint64_t mask = 3;
  mem.put(0x1000, mask);
  CHECK(call("sched_getaffinity", {1234, 8, 0x1000}, 8, mem) == "sched_getaffinity(1234, 8, [0 1]) = 8");
  CHECK(call("sched_setaffinity", {1234, 0, 0x1000}, -22, mem) ==
        "sched_setaffinity(1234, 0, []) = -1 EINVAL (Invalid argument)");
  CHECK(call("sched_setaffinity", {1234, 0xffffffff00000008ULL, 0x1000}, 0, mem) ==
        "sched_setaffinity(1234, 8, [0 1]) = 0");
  CHECK(call("sched_getaffinity", {1234, 8, 0x1000}, -22, mem) ==
        "sched_getaffinity(1234, 8, 0x1000) = -1 EINVAL (Invalid argument)");
  CHECK(call("sched_setaffinity", {1234, 8, 0x2000}, -14, mem) ==
        "sched_setaffinity(1234, 8, 0x2000) = -1 EFAULT (Bad address)");
}
