// Tests fcntl's decoder: each command's argument (struct flock, struct f_owner_ex, flags, a
// signal, a lease type, a number), the structs the kernel fills in, and the results with
// their names. Expected lines follow strace 6.1's tests/fcntl-common.c.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
struct flock_abi {
  std::int16_t l_type, l_whence;
  std::int64_t l_start, l_len;
  std::int32_t l_pid;
};
constexpr std::uint64_t f8ill = 0xffffffff00000000ULL;  // strace's F8ILL_KULONG_MASK
}  // namespace

TEST_CASE("fcntl prints struct flock for the lock commands", "[format][fcntl]") {
  fake_memory mem;
  flock_abi fl{0, 0, static_cast<std::int64_t>(0xdefaced1facefeedULL),
               static_cast<std::int64_t>(0xdefaced2cafef00dULL), 0};
  mem.put(0x1000, fl);
  CHECK(call("fcntl", {f8ill | 0, f8ill | 6, 0x1000}, -22, mem) ==
        "fcntl(0, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=-2379362051860529427, "
        "l_len=-2379362048367726579}) = -1 EINVAL (Invalid argument)");
  CHECK(call("fcntl", {0, 37, 0x1000}, -22, mem) ==
        "fcntl(0, F_OFD_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=-2379362051860529427, "
        "l_len=-2379362048367726579}) = -1 EINVAL (Invalid argument)");
  CHECK(call("fcntl", {0, 7, 0x1001}, -14, mem) == "fcntl(0, F_SETLKW, 0x1001) = -1 EFAULT (Bad address)");
  flock_abi got{2, 0, 0, 4096, 0};
  mem.put(0x2000, got);
  SECTION("F_GETLK's struct is printed at exit, with l_pid") {
    std::string out;
    REQUIRE(snare::format::format_entry(out, snare::test::desc("fcntl"), {0, 5, 0x2000}, mem));
    CHECK(out == "fcntl(0, F_GETLK, ");
    REQUIRE(snare::format::format_exit(out, snare::test::desc("fcntl"), {0, 5, 0x2000}, 0, mem));
    CHECK(out ==
          "fcntl(0, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=4096, l_pid=0}) = 0");
    CHECK(call("fcntl", {0, 36, 0x2000}, 0, mem) ==
          "fcntl(0, F_OFD_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=4096, l_pid=0}) = 0");
    CHECK(call("fcntl", {0, 5, 0x2000}, -9, mem) ==
          "fcntl(0, F_GETLK, 0x2000) = -1 EBADF (Bad file descriptor)");
  }
}

TEST_CASE("fcntl prints f_owner_ex, flags, signals and numbers by command", "[format][fcntl]") {
  fake_memory mem;
  struct {
    std::int32_t type, pid;
  } owner{0, 1234567890};
  mem.put(0x1000, owner);
  CHECK(call("fcntl", {0, 15, 0x1000}, 0, mem) ==
        "fcntl(0, F_SETOWN_EX, {type=F_OWNER_TID, pid=1234567890}) = 0");
  CHECK(call("fcntl", {0, 16, 0x1000}, 0, mem) ==
        "fcntl(0, F_GETOWN_EX, {type=F_OWNER_TID, pid=1234567890}) = 0");
  CHECK(call("fcntl", {0, 2, 1}, 0, mem) == "fcntl(0, F_SETFD, FD_CLOEXEC) = 0");
  CHECK(call("fcntl", {0, 1031, 4097}, 8192, mem) == "fcntl(0, F_SETPIPE_SZ, 4097) = 8192");
  CHECK(call("fcntl", {0, 0, 0}, 1, mem) == "fcntl(0, F_DUPFD, 0) = 1");
  CHECK(call("fcntl", {0, 1030, 0}, 1, mem) == "fcntl(0, F_DUPFD_CLOEXEC, 0) = 1");
  CHECK(call("fcntl", {0, 4, 0100002}, 0, mem) == "fcntl(0, F_SETFL, O_RDWR|O_LARGEFILE) = 0");
  CHECK(call("fcntl", {0, 1026, 1}, 0, mem) == "fcntl(0, F_NOTIFY, DN_ACCESS) = 0");
  CHECK(call("fcntl", {1, 1024, 0}, -11, mem) ==
        "fcntl(1, F_SETLEASE, F_RDLCK) = -1 EAGAIN (Resource temporarily unavailable)");
  CHECK(call("fcntl", {0, 10, 0}, 0, mem) == "fcntl(0, F_SETSIG, 0) = 0");
  CHECK(call("fcntl", {1, 10, 1}, 0, mem) == "fcntl(1, F_SETSIG, SIGHUP) = 0");
  CHECK(call("fcntl", {0, 8, 4321}, 0, mem) == "fcntl(0, F_SETOWN, 4321) = 0");
  CHECK(call("fcntl", {0, 1033, 3}, 0, mem) == "fcntl(0, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_SHRINK) = 0");
  // A command strace 6.1 has no name for: the argument in hex.
  CHECK(call("fcntl", {0, 1035, 16}, -22, mem) ==
        "fcntl(0, 0x40b /* F_??? */, 0x10) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("fcntl's F_GET* results print with their names", "[format][fcntl]") {
  fake_memory mem;
  CHECK(call("fcntl", {0, 1}, 0, mem) == "fcntl(0, F_GETFD) = 0");
  CHECK(call("fcntl", {1, 1}, 1, mem) == "fcntl(1, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
  CHECK(call("fcntl", {0, 1032}, 65536, mem) == "fcntl(0, F_GETPIPE_SZ) = 65536");
  CHECK(call("fcntl", {1, 1025}, 1, mem) == "fcntl(1, F_GETLEASE) = 0x1 (F_WRLCK)");
  CHECK(call("fcntl", {1, 1025}, 2, mem) == "fcntl(1, F_GETLEASE) = 0x2 (F_UNLCK)");
  CHECK(call("fcntl", {0, 11}, 0, mem) == "fcntl(0, F_GETSIG) = 0");
  CHECK(call("fcntl", {1, 11}, 1, mem) == "fcntl(1, F_GETSIG) = 1 (SIGHUP)");
  CHECK(call("fcntl", {0, 1034}, 3, mem) == "fcntl(0, F_GET_SEALS) = 0x3 (seals F_SEAL_SEAL|F_SEAL_SHRINK)");
  CHECK(call("fcntl", {0, 9}, 4321, mem) == "fcntl(0, F_GETOWN) = 4321");
}
