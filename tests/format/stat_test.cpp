// Tests stat, newfstatat, fstat and statx, abbreviated as strace prints them.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
using snare::test::at_fdcwd;
struct stat regular(off_t size, mode_t mode) {
  struct stat st {};
  st.st_mode = mode;
  st.st_size = size;
  st.st_nlink = 1;
  return st;
}
}  // namespace

TEST_CASE("stat structs show the mode and the size, then ...", "[format][stat]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/passwd");
  mem.put_string(0x1100, "");
  mem.put(0x2000, regular(1221, S_IFREG | 0644));
  CHECK(call("newfstatat", {at_fdcwd, 0x1000, 0x2000, 0}, 0, mem) ==
        R"(newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFREG|0644, st_size=1221, ...}, 0) = 0)");
  CHECK(call("newfstatat", {3, 0x1100, 0x2000, 0x1000}, 0, mem) ==
        R"(newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0)");
  CHECK(call("fstat", {3, 0x2000}, 0, mem) == "fstat(3, {st_mode=S_IFREG|0644, st_size=1221, ...}) = 0");
  CHECK(call("stat", {0x1000, 0x2000}, 0, mem) ==
        R"(stat("/etc/passwd", {st_mode=S_IFREG|0644, st_size=1221, ...}) = 0)");
  SECTION("a device shows st_rdev instead of the size") {
    struct stat st = regular(0, S_IFCHR | 0666);
    st.st_rdev = makedev(1, 3);
    mem.put(0x3000, st);
    CHECK(
        call("newfstatat", {at_fdcwd, 0x1000, 0x3000, 0}, 0, mem) ==
        R"(newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0)");
  }
  SECTION("a failed call shows the buffer's address") {
    CHECK(call("newfstatat", {at_fdcwd, 0x1000, 0x2000, 0}, -2, mem) ==
          R"(newfstatat(AT_FDCWD, "/etc/passwd", 0x2000, 0) = -1 ENOENT (No such file or directory))");
  }
}

TEST_CASE("statx shows mask, attributes, mode and size", "[format][stat]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/passwd");
  struct statx sx {};
  sx.stx_mask = 0x1fff;
  sx.stx_mode = S_IFREG | 0644;
  sx.stx_size = 1221;
  mem.put(0x2000, sx);
  // strace: statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL,
  // {stx_mask=STATX_ALL|STATX_MNT_ID,
  //         stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0
  CHECK(
      call("statx", {at_fdcwd, 0x1000, 0, 0xfff, 0x2000}, 0, mem) ==
      R"(statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, )"
      R"(stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0)");
  CHECK(
      call("statx", {at_fdcwd, 0x1000, 0x100, 0xfff, 0x2000}, 0, mem) ==
      R"(statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, STATX_ALL, )"
      R"({stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0)");
  SECTION("basic stats and attributes by name") {
    sx.stx_mask = 0x7ff;
    sx.stx_attributes = 0x20 | 0x2000;
    mem.put(0x2000, sx);
    CHECK(
        call("statx", {at_fdcwd, 0x1000, 0, 0x7ff, 0x2000}, 0, mem) ==
        R"(statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, {stx_mask=STATX_BASIC_STATS, )"
        R"(stx_attributes=STATX_ATTR_APPEND|STATX_ATTR_MOUNT_ROOT, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0)");
  }
}

TEST_CASE("st_mode names the set-id and sticky bits, and a mode argument is plain octal", "[format][stat]") {
  fake_memory mem;
  mem.put_string(0x1000, "/tmp");
  struct stat st {};
  st.st_mode = S_IFDIR | S_ISVTX | 0777;
  st.st_size = 4096;
  mem.put(0x2000, st);
  // strace: stat("/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0
  CHECK(call("stat", {0x1000, 0x2000}, 0, mem) ==
        R"(stat("/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0)");
  st.st_mode = S_IFREG | S_ISUID | S_ISGID | 0755;
  st.st_size = 1;
  mem.put(0x2000, st);
  CHECK(call("stat", {0x1000, 0x2000}, 0, mem) ==
        R"(stat("/tmp", {st_mode=S_IFREG|S_ISUID|S_ISGID|0755, st_size=1, ...}) = 0)");
  // strace prints open's, chmod's and mkdir's mode with print_numeric_umode_t.
  CHECK(call("chmod", {0x1000, 01777}, 0, mem) == R"(chmod("/tmp", 01777) = 0)");
  CHECK(call("mkdir", {0x1000, 0xffff0000 | 0755}, -17, mem) ==
        R"(mkdir("/tmp", 0755) = -1 EEXIST (File exists))");
  CHECK(call("mknod", {0x1000, S_IFIFO | S_ISVTX | 0600, 0}, -17, mem) ==
        R"(mknod("/tmp", S_IFIFO|S_ISVTX|0600) = -1 EEXIST (File exists))");
}
