// Tests timespec, timeval and itimerspec arguments as strace prints them.
#include <catch2/catch.hpp>

#include <sys/time.h>
#include <time.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("timespec arguments print as {tv_sec=, tv_nsec=}", "[format][time]") {
  fake_memory mem;
  mem.put(0x1000, timespec{0, 1000000});
  CHECK(call("clock_nanosleep", {0, 0, 0x1000, 0}, 0, mem) ==
        "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0");
  mem.put(0x2000, timespec{499, 752038687});
  CHECK(call("clock_nanosleep", {0, 1, 0x2000, 0}, 0, mem) ==
        "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=499, tv_nsec=752038687}, NULL) = 0");
  CHECK(call("clock_gettime", {1, 0x2000}, 0, mem) ==
        "clock_gettime(CLOCK_MONOTONIC, {tv_sec=499, tv_nsec=752038687}) = 0");
  CHECK(call("nanosleep", {0x1000, 0}, 0, mem) == "nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0");
}

TEST_CASE("timeval arguments print as {tv_sec=, tv_usec=}", "[format][time]") {
  fake_memory mem;
  mem.put(0x1000, timeval{1795513396, 740680});
  CHECK(call("gettimeofday", {0x1000, 0}, 0, mem) ==
        "gettimeofday({tv_sec=1795513396, tv_usec=740680}, NULL) = 0");
}

TEST_CASE("itimerspec nests two timespecs", "[format][time]") {
  fake_memory mem;
  mem.put(0x1000, itimerspec{{0, 0}, {1, 500}});
  CHECK(call("timerfd_settime", {3, 0, 0x1000, 0}, 0, mem) ==
        "timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=500}}, NULL) "
        "= 0");
}
