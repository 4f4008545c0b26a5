// Tests that integer arguments print at the width and signedness of their C type, as the
// kernel reads them: an int is the low 32 bits of its register, a long the whole register
// (strace's tests/alarm.c, getgroups.c, poll.c, readv.c; expected lines from strace 6.1).
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("An int argument is the low 32 bits of its register, signed", "[format][int-width]") {
  fake_memory mem;
  // strace: alarm(42) = 0 (tests/alarm.c passes 0xffffffff0000002a)
  CHECK(call("alarm", {0xffffffff0000002aULL}, 0, mem) == "alarm(42) = 0");
  // strace: getgroups(0, NULL) = 1 (tests/getgroups.c passes F8ILL_KULONG_MASK)
  CHECK(call("getgroups", {0xffffffff00000000ULL, 0}, 1, mem) == "getgroups(0, NULL) = 1");
  CHECK(call("getgroups", {0xffffffffULL, 0}, -22, mem) ==
        "getgroups(-1, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("getgroups", {~0ULL, 0}, -22, mem) == "getgroups(-1, NULL) = -1 EINVAL (Invalid argument)");
  // poll's timeout is an int: -1 whether the caller sign-extended it or not.
  CHECK(call("poll", {0, 0, 0xffffffffULL}, 0, mem) == "poll(NULL, 0, -1) = 0 (Timeout)");
  CHECK(call("poll", {0, 0, ~0ULL}, 0, mem) == "poll(NULL, 0, -1) = 0 (Timeout)");
  CHECK(call("epoll_wait", {3, 0, 0xffffffff00000001ULL, 0xffffffffULL}, 0, mem) ==
        "epoll_wait(3, NULL, 1, -1) = 0");
}

TEST_CASE("An unsigned int argument is the low 32 bits, unsigned", "[format][int-width]") {
  fake_memory mem;
  CHECK(call("alarm", {0xffffffffULL}, 0, mem) == "alarm(4294967295) = 0");
  // poll's nfds is an unsigned int.
  CHECK(call("poll", {0, 0xffffffff00000000ULL, 0}, 0, mem) == "poll(NULL, 0, 0) = 0 (Timeout)");
}

TEST_CASE("A long argument keeps the whole register", "[format][int-width]") {
  fake_memory mem;
  // readv's iovcnt is an unsigned long (strace prints it with %llu).
  CHECK(call("readv", {0, 0, ~0ULL}, -22, mem) ==
        "readv(0, NULL, 18446744073709551615) = -1 EINVAL (Invalid argument)");
  // io_submit's nr is a long.
  CHECK(call("io_submit", {0x7f0000001000, ~0ULL, 0}, -22, mem) ==
        "io_submit(0x7f0000001000, -1, NULL) = -1 EINVAL (Invalid argument)");
  // size_t stays unsigned and 64-bit.
  CHECK(call("write", {1, 0, 0xffffffff00000000ULL}, -14, mem) ==
        "write(1, NULL, 18446744069414584320) = -1 EFAULT (Bad address)");
}

TEST_CASE("Every int, unsigned int and hex int argument of the table is printed from 32 bits",
          "[format][int-width]") {
  // Garbage in the high half never shows for a 32-bit kind.
  for (long nr = 0; nr < 512; ++nr) {
    const snare::sys::syscall_desc* d = snare::sys::x86_64::descriptor(nr);
    if (d == nullptr) continue;
    for (std::size_t i = 0; i < d->nargs; ++i) {
      auto k = d->args[i].kind;
      if (k != snare::sys::arg_kind::int_ && k != snare::sys::arg_kind::uint &&
          k != snare::sys::arg_kind::xint)
        continue;
      snare::sys::syscall_desc one{};
      one.name = "x";
      one.nargs = 1;
      one.args[0] = d->args[i];
      fake_memory mem;
      std::string a, b;
      REQUIRE(snare::format::format_call(a, one, {0xdeadbeef00000007ULL}, 0, mem));
      REQUIRE(snare::format::format_call(b, one, {7}, 0, mem));
      INFO(d->name << " argument " << d->args[i].name);
      CHECK(a == b);
    }
  }
}

TEST_CASE("A C int length is the low 32 bits of its register (strace's tests/sethostname.c)",
          "[format][int-width]") {
  fake_memory mem;
  mem.put_string(0x1000, "host", false);
  // strace: sethostname(NULL, 63) = -1 EFAULT (Bad address), len |= F8ILL_KULONG_MASK
  CHECK(call("sethostname", {0, 0xffffffff0000003fULL}, -14, mem) ==
        "sethostname(NULL, 63) = -1 EFAULT (Bad address)");
  CHECK(call("sethostname", {0x1000, 0xffffffff00000004ULL}, -1, mem) ==
        R"(sethostname("host", 4) = -1 EPERM (Operation not permitted))");
}

TEST_CASE("getpriority and setpriority name `which` (strace's tests/xetpriority.c)", "[format][int-width]") {
  fake_memory mem;
  // strace: getpriority(PRIO_PROCESS, 1234) = 20
  CHECK(call("getpriority", {0, 0xffffffff000004d2ULL}, 20, mem) == "getpriority(PRIO_PROCESS, 1234) = 20");
  CHECK(call("setpriority", {1, 1234, 0}, 0, mem) == "setpriority(PRIO_PGRP, 1234, 0) = 0");
  CHECK(call("getpriority", {7, 0}, -22, mem) ==
        "getpriority(0x7 /* PRIO_??? */, 0) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("ioprio_get and ioprio_set name `which` and the priority (strace's tests/ioprio.c)",
          "[format][int-width]") {
  fake_memory mem;
  // strace: ioprio_get(0xfa57beef /* IOPRIO_WHO_??? */, -629534633) = -1 EINVAL (Invalid argument)
  CHECK(call("ioprio_get", {0xdeadfacefa57beefULL, 0xbadc0dedda7a1057ULL}, -22, mem) ==
        "ioprio_get(0xfa57beef /* IOPRIO_WHO_??? */, -629534633) = -1 EINVAL (Invalid argument)");
  CHECK(call("ioprio_get", {1, 1234}, 0x4004, mem) ==
        "ioprio_get(IOPRIO_WHO_PROCESS, 1234) = 16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))");
  CHECK(call("ioprio_set", {2, 1234, 8191}, 0, mem) ==
        "ioprio_set(IOPRIO_WHO_PGRP, 1234, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 8191)) = 0");
  CHECK(call("ioprio_set", {0xdeadfacefa57beefULL, 0xbadc0dedda7a1057ULL, 0xdec0ded1facefeedULL}, -22, mem) ==
        "ioprio_set(0xfa57beef /* IOPRIO_WHO_??? */, -629534633, IOPRIO_PRIO_VALUE(0x7d677 /* "
        "IOPRIO_CLASS_??? */, "
        "7917)) = -1 EINVAL (Invalid argument)");
}
