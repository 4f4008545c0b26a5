// Tests struct statfs as statfs and fstatfs print it (strace 6.1's tests/xstatfsx.c).
#include <catch2/catch.hpp>

#include <sys/statfs.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("statfs prints struct statfs with the filesystem's magic by name", "[format][statfs]") {
  fake_memory mem;
  mem.put_string(0x1000, "/proc/self/status");
  struct statfs b {};
  b.f_type = 0x9fa0;
  b.f_bsize = 4096;
  b.f_blocks = 0;
  b.f_namelen = 255;
  b.f_frsize = 4096;
  b.f_flags = 0x20 | 0x2 | 0x4 | 0x8 | 0x1000;
  std::memcpy(&b.f_fsid, "\x01\0\0\0\xff\xff\xff\xff", 8);
  mem.put(0x2000, b);
  CHECK(call("statfs", {0x1000, 0x2000}, 0, mem) ==
        R"(statfs("/proc/self/status", {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, )"
        "f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x1, 0xffffffff]}, f_namelen=255, f_frsize=4096, "
        "f_flags=ST_VALID|ST_NOSUID|ST_NODEV|ST_NOEXEC|ST_RELATIME}) = 0");
  SECTION("an unknown magic prints in hex, and f_flags only with ST_VALID") {
    b.f_type = 0x12345678;
    b.f_flags = 0x1;
    mem.put(0x2000, b);
    CHECK(call("fstatfs", {3, 0x2000}, 0, mem) ==
          "fstatfs(3, {f_type=0x12345678, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, "
          "f_ffree=0, "
          "f_fsid={val=[0x1, 0xffffffff]}, f_namelen=255, f_frsize=4096}) = 0");
  }
  CHECK(call("fstatfs", {static_cast<std::uint64_t>(-1), 0}, -9, mem) ==
        "fstatfs(-1, NULL) = -1 EBADF (Bad file descriptor)");
  CHECK(call("statfs", {0x1000, 0x2000}, -2, mem) ==
        R"(statfs("/proc/self/status", 0x2000) = -1 ENOENT (No such file or directory))");
}
