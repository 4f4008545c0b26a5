// Tests structs that used to print as addresses: openat2's struct open_how and
// timer_create's struct sigevent (strace 6.1's tests/openat2.c and timer_create.c).
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
constexpr std::uint64_t at_fdcwd = static_cast<std::uint64_t>(-100);
struct open_how_abi {
  std::uint64_t flags, mode, resolve;
};
struct sigevent_abi {
  std::uint64_t value;
  std::int32_t signo, notify;
  std::uint64_t function_or_tid, attributes;
  std::uint64_t pad[4];
};
}  // namespace

TEST_CASE("openat2 prints struct open_how", "[format][struct]") {
  fake_memory mem;
  mem.put_string(0x1000, "/dev/full");
  mem.put(0x2000, open_how_abi{0400, 0, 0});  // O_NOCTTY
  // strace: openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY|O_NOCTTY, resolve=0}, 24) = 3
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, 3, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY|O_NOCTTY, resolve=0}, 24) = 3)");
  mem.put(0x2000, open_how_abi{0100 | 1, 0644, 0x8 | 0x2});
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, -2, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_WRONLY|O_CREAT, mode=0644, )"
        "resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_BENEATH}, 24) = -1 ENOENT (No such file or directory)");
  mem.put(0x2000, open_how_abi{0, 0, 0xfeedfacedcaffec0ULL | 0x31});
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, -22, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY, resolve=RESOLVE_NO_XDEV|RESOLVE_IN_ROOT|)"
        "RESOLVE_CACHED|0xfeedfacedcaffec0}, 24) = -1 EINVAL (Invalid argument)");
  SECTION("a size below 24 prints the address; bytes past 24 print when not zero") {
    CHECK(call("openat2", {~0ULL, 0x1000, 0x2000, 11}, -22, mem) ==
          R"(openat2(-1, "/dev/full", 0x2000, 11) = -1 EINVAL (Invalid argument))");
    struct {
      open_how_abi how;
      unsigned char more[8];
    } big{{0, 0, 0}, {0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87}};
    mem.put(0x3000, big);
    CHECK(call("openat2", {~0ULL, 0x1000, 0x3000, 32}, -7, mem) ==
          R"(openat2(-1, "/dev/full", {flags=O_RDONLY, resolve=0, /* bytes 24..31 */ )"
          R"("\x80\x81\x82\x83\x84\x85\x86\x87"}, 32) = -1 E2BIG (Argument list too long))");
    CHECK(call("openat2", {~0ULL, 0x1000, 0x2000, 32}, -7, mem) ==
          R"(openat2(-1, "/dev/full", {flags=O_RDONLY, resolve=RESOLVE_NO_XDEV|RESOLVE_IN_ROOT|)"
          "RESOLVE_CACHED|0xfeedfacedcaffec0, ???}, 32) = -1 E2BIG (Argument list too long)");
  }
}

TEST_CASE("timer_create prints struct sigevent and the timer id at exit", "[format][struct]") {
  fake_memory mem;
  mem.put(0x1000, sigevent_abi{0x7f00deadbeef, 14, 0, 0, 0, {}});
  mem.put<std::int32_t>(0x2000, 2);
  // strace: timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=-559038737,
  //         sival_ptr=0x7f00deadbeef}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [2]) = 0
  CHECK(call("timer_create", {1, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=-559038737, sival_ptr=0x7f00deadbeef}, "
        "sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 4, 1234, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD_ID, "
        "sigev_notify_thread_id=1234}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 2, 0x4000, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD, "
        "sigev_notify_function=0x4000, sigev_notify_attributes=NULL}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 0xfa, 0, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0}, -22, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=14, sigev_notify=0xfa /* SIGEV_??? */}, NULL) = -1 EINVAL "
        "(Invalid argument)");
  CHECK(call("timer_create", {0, 0, 0}, -14, mem) ==
        "timer_create(CLOCK_REALTIME, NULL, NULL) = -1 EFAULT (Bad address)");
}
