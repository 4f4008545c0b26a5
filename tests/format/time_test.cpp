// Tests timespec, timeval and itimerspec arguments, and the file times of utime, utimes,
// futimesat and utimensat, as strace prints them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <utime.h>

#include <cstdlib>

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

TEST_CASE("Invalid nanoseconds and microseconds print unsigned, as strace's %llu", "[format][time]") {
  fake_memory mem;
  mem.put(0x1000, timespec{-5, -1});
  // strace: nanosleep({tv_sec=-5, tv_nsec=18446744073709551615}, NULL) = -1 EINVAL (Invalid argument)
  CHECK(call("nanosleep", {0x1000, 0}, -22, mem) ==
        "nanosleep({tv_sec=-5, tv_nsec=18446744073709551615}, NULL) = -1 EINVAL (Invalid argument)");
  mem.put(0x2000, timeval{-1, -1});
  // strace: settimeofday({tv_sec=-1, tv_usec=18446744073709551615}, NULL) = -1 EINVAL (Invalid argument)
  CHECK(call("settimeofday", {0x2000, 0}, -22, mem) ==
        "settimeofday({tv_sec=-1, tv_usec=18446744073709551615}, NULL) = -1 EINVAL (Invalid argument)");
}

namespace {
// The date comments of file times are in local time, as strace's: pin the zone.
void use_utc() {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
}
}  // namespace

TEST_CASE("utimensat's times print as two timespecs with their dates, or UTIME_NOW / UTIME_OMIT",
          "[format][time]") {
  use_utc();
  fake_memory mem;
  mem.put_string(0x100, "/tmp/x");
  const timespec both[2] = {{1577934245, 123456789}, {5, 0}};
  mem.put(0x1000, both);
  // strace: utimensat(AT_FDCWD, "/tmp/x", [{tv_sec=1577934245, tv_nsec=123456789} /*
  //         2020-01-02T03:04:05.123456789+0000 */, {tv_sec=5, tv_nsec=0} /* 1970-01-01T00:00:05+0000 */], 0)
  //         = 0
  CHECK(
      call("utimensat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x1000, 0}, 0, mem) ==
      "utimensat(AT_FDCWD, \"/tmp/x\", [{tv_sec=1577934245, tv_nsec=123456789} /* "
      "2020-01-02T03:04:05.123456789+0000 */, {tv_sec=5, tv_nsec=0} /* 1970-01-01T00:00:05+0000 */], 0) = 0");
  const timespec special[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  mem.put(0x2000, special);
  // strace: utimensat(0, NULL, [UTIME_NOW, UTIME_OMIT], 0) = 0
  CHECK(call("utimensat", {0, 0, 0x2000, 0}, 0, mem) == "utimensat(0, NULL, [UTIME_NOW, UTIME_OMIT], 0) = 0");
  // An invalid time has no date: strace: utimensat(AT_FDCWD, "/tmp/x", [{tv_sec=-1, tv_nsec=5}
  // /* 1969-12-31T23:59:59.000000005+0000 */, {tv_sec=3, tv_nsec=18446744073709551609}], 0) = -1 EINVAL
  const timespec invalid[2] = {{-1, 5}, {3, -7}};
  mem.put(0x3000, invalid);
  CHECK(call("utimensat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x3000, 0}, -22, mem) ==
        "utimensat(AT_FDCWD, \"/tmp/x\", [{tv_sec=-1, tv_nsec=5} /* 1969-12-31T23:59:59.000000005+0000 */, "
        "{tv_sec=3, tv_nsec=18446744073709551609}], 0) = -1 EINVAL (Invalid argument)");
  // A time the C library cannot convert has no date either.
  const timespec huge[2] = {{0x7fffffffffffffff, 1}, {1, UTIME_OMIT}};
  mem.put(0x4000, huge);
  CHECK(call("utimensat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x4000, 0}, 0, mem) ==
        "utimensat(AT_FDCWD, \"/tmp/x\", [{tv_sec=9223372036854775807, tv_nsec=1}, UTIME_OMIT], 0) = 0");
  SECTION("NULL, and an unreadable array as its address") {
    CHECK(call("utimensat", {0, 0, 0, 0x100}, 0, mem) == "utimensat(0, NULL, NULL, AT_SYMLINK_NOFOLLOW) = 0");
    CHECK(call("utimensat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x8, 0}, -14, mem) ==
          "utimensat(AT_FDCWD, \"/tmp/x\", 0x8, 0) = -1 EFAULT (Bad address)");
    // Only the first of the two times readable: the address (strace reads both or none).
    mem.put(0x5000, timespec{1, 2});
    CHECK(call("utimensat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x5000, 0}, -14, mem) ==
          "utimensat(AT_FDCWD, \"/tmp/x\", 0x5000, 0) = -1 EFAULT (Bad address)");
  }
}

TEST_CASE("utimes and futimesat print two timevals with their dates", "[format][time]") {
  use_utc();
  fake_memory mem;
  mem.put_string(0x100, "/tmp/dedup/f");
  const timeval times[2] = {{1, 2}, {1700000000, 999999}};
  mem.put(0x1000, times);
  // strace: utimes("/tmp/dedup/f", [{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */,
  //         {tv_sec=1700000000, tv_usec=999999} /* 2023-11-14T22:13:20.999999+0000 */]) = 0
  const char* expected_times =
      "[{tv_sec=1, tv_usec=2} /* 1970-01-01T00:00:01.000002+0000 */, {tv_sec=1700000000, tv_usec=999999} /* "
      "2023-11-14T22:13:20.999999+0000 */]";
  CHECK(call("utimes", {0x100, 0x1000}, 0, mem) ==
        std::string("utimes(\"/tmp/dedup/f\", ") + expected_times + ") = 0");
  CHECK(call("futimesat", {static_cast<std::uint64_t>(AT_FDCWD), 0x100, 0x1000}, 0, mem) ==
        std::string("futimesat(AT_FDCWD, \"/tmp/dedup/f\", ") + expected_times + ") = 0");
  CHECK(call("utimes", {0x100, 0}, 0, mem) == "utimes(\"/tmp/dedup/f\", NULL) = 0");
  // No date for an invalid time nor for a zero one:
  // strace: utimes("/tmp/dedup/f", [{tv_sec=-5, tv_usec=2000000}, {tv_sec=0, tv_usec=0}]) = -1 EINVAL
  const timeval invalid[2] = {{-5, 2000000}, {0, 0}};
  mem.put(0x2000, invalid);
  CHECK(
      call("utimes", {0x100, 0x2000}, -22, mem) ==
      "utimes(\"/tmp/dedup/f\", [{tv_sec=-5, tv_usec=2000000}, {tv_sec=0, tv_usec=0}]) = -1 EINVAL (Invalid "
      "argument)");
  // A fraction without seconds has one: strace: utimes("/tmp/dedup/f", [{tv_sec=0, tv_usec=0},
  // {tv_sec=0, tv_usec=1} /* 1970-01-01T00:00:00.000001+0000 */]) = 0
  const timeval tiny[2] = {{0, 0}, {0, 1}};
  mem.put(0x3000, tiny);
  CHECK(call("utimes", {0x100, 0x3000}, 0, mem) ==
        "utimes(\"/tmp/dedup/f\", [{tv_sec=0, tv_usec=0}, {tv_sec=0, tv_usec=1} /* "
        "1970-01-01T00:00:00.000001+0000 */]) = 0");
}

TEST_CASE("utime prints its utimbuf with the dates", "[format][time]") {
  use_utc();
  fake_memory mem;
  mem.put_string(0x100, "/tmp/dedup/f");
  mem.put(0x1000, utimbuf{7, 1700000000});
  // strace: utime("/tmp/dedup/f", {actime=7 /* 1970-01-01T00:00:07+0000 */, modtime=1700000000 /*
  //         2023-11-14T22:13:20+0000 */}) = 0
  CHECK(call("utime", {0x100, 0x1000}, 0, mem) ==
        "utime(\"/tmp/dedup/f\", {actime=7 /* 1970-01-01T00:00:07+0000 */, modtime=1700000000 /* "
        "2023-11-14T22:13:20+0000 */}) = 0");
  mem.put(0x2000, utimbuf{0, 1});
  // strace: utime("/tmp/dedup/f", {actime=0, modtime=1 /* 1970-01-01T00:00:01+0000 */}) = 0
  CHECK(call("utime", {0x100, 0x2000}, 0, mem) ==
        "utime(\"/tmp/dedup/f\", {actime=0, modtime=1 /* 1970-01-01T00:00:01+0000 */}) = 0");
  CHECK(call("utime", {0x100, 0}, 0, mem) == "utime(\"/tmp/dedup/f\", NULL) = 0");
  CHECK(call("utime", {0x100, 0x8}, -14, mem) == "utime(\"/tmp/dedup/f\", 0x8) = -1 EFAULT (Bad address)");
}
