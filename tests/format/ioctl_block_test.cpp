// Tests the block device ioctls (decode/ioctl/block.hpp, and loop.hpp's device numbers):
// request numbers from the kernel headers, and lines as strace 6.1's tests/ioctl_block.c and
// ioctl_loop.c expect them.
#include <catch2/catch.hpp>

#include <linux/blkpg.h>
#include <linux/blktrace_api.h>
#include <linux/blkzoned.h>
#include <linux/fs.h>
#include <linux/loop.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;
}  // namespace

TEST_CASE("block ioctl numbers are the kernel headers'", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::block_ioctls, name); };
  CHECK(code_of("BLKROSET") == BLKROSET);
  CHECK(code_of("BLKSECTGET") == BLKSECTGET);
  CHECK(code_of("BLKPG") == BLKPG);
  CHECK(code_of("BLKZEROOUT") == BLKZEROOUT);
  CHECK(code_of("BLKBSZSET") == BLKBSZSET);
  CHECK(code_of("BLKBSZGET") == BLKBSZGET);
  CHECK(code_of("BLKGETSIZE64") == BLKGETSIZE64);
  CHECK(code_of("BLKGETDISKSEQ") == BLKGETDISKSEQ);
  CHECK(code_of("BLKGETZONESZ") == BLKGETZONESZ);
  CHECK(code_of("BLKTRACESETUP") == BLKTRACESETUP);
  STATIC_REQUIRE(offsetof(blkpg_ioctl_arg, data) == 16);
  STATIC_REQUIRE(offsetof(blkpg_partition, devname) == 20);
  STATIC_REQUIRE(offsetof(blkpg_partition, volname) == 84);
  STATIC_REQUIRE(offsetof(blk_user_trace_setup, start_lba) == 48);
  STATIC_REQUIRE(offsetof(blk_user_trace_setup, pid) == 64);
}

TEST_CASE("block ioctls print their numbers by type and BLKPG's request", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, BLKRRPART, 0}, -9, mem) == "ioctl(-1, BLKRRPART)" + ebadf);
  CHECK(call("ioctl", {minus1, BLKBSZGET, 0}, -9, mem) == "ioctl(-1, BLKBSZGET, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, BLKRASET, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, BLKRASET, 16045690984232390125)" + ebadf);
  std::int32_t ro = -559038737;
  mem.put(0x1000, ro);
  CHECK(call("ioctl", {minus1, BLKROSET, 0x1000}, -9, mem) == "ioctl(-1, BLKROSET, [-559038737])" + ebadf);
  std::uint64_t range[2] = {0xdeadbeefbadc0dedULL, 0xfacefeedcafef00dULL};
  mem.put(0x2000, range);
  CHECK(call("ioctl", {minus1, BLKDISCARD, 0x2000}, -9, mem) ==
        "ioctl(-1, BLKDISCARD, [16045690984232390125, 18072662651950788621])" + ebadf);
  std::uint16_t sect = 0xfffe;
  mem.put(0x3000, sect);
  CHECK(call("ioctl", {minus1, BLKSECTGET, 0x3000}, 0, mem) == "ioctl(-1, BLKSECTGET, [65534]) = 0");
  CHECK(call("ioctl", {minus1, BLKGETSIZE64, 0x2000}, 0, mem) ==
        "ioctl(-1, BLKGETSIZE64, [16045690984232390125]) = 0");

  blkpg_partition part{};
  part.start = -1;
  part.length = 2;
  part.pno = 3;
  std::strcpy(part.devname, "sda1");
  mem.put(0x4000, part);
  blkpg_ioctl_arg a{};
  a.op = BLKPG_ADD_PARTITION;
  a.flags = 4;
  a.datalen = sizeof part;
  a.data = reinterpret_cast<void*>(0x4000);
  mem.put(0x5000, a);
  CHECK(call("ioctl", {minus1, BLKPG, 0x5000}, -9, mem) ==
        "ioctl(-1, BLKPG, {op=BLKPG_ADD_PARTITION, flags=4, datalen=152, data={start=-1, length=2, pno=3, "
        "devname=\"sda1\", volname=\"\"}})" +
            ebadf);

  blk_user_trace_setup buts{};
  std::strcpy(buts.name, "trace");
  buts.act_mask = 41376;
  buts.buf_size = 1;
  buts.buf_nr = 2;
  buts.start_lba = 3;
  buts.end_lba = 4;
  buts.pid = 14980;
  mem.put(0x6000, buts);
  const std::string setup =
      "ioctl(-1, BLKTRACESETUP, {act_mask=41376, buf_size=1, buf_nr=2, start_lba=3, end_lba=4, pid=14980";
  CHECK(call("ioctl", {minus1, BLKTRACESETUP, 0x6000}, -9, mem) == setup + "})" + ebadf);
  CHECK(call("ioctl", {minus1, BLKTRACESETUP, 0x6000}, 0, mem) == setup + ", name=\"trace\"}) = 0");
}

TEST_CASE("loop_info with -v: device numbers cut to 32 bits each, as glibc's major() and minor()",
          "[format][ioctl]") {
  fake_memory mem;
  loop_info info{};
  info.lo_number = 7;
  info.lo_device = 0x8f8e8d8c8b8a8988UL;
  mem.put(0x1000, info);
  snare::format::options v;
  v.verbose = true;
  CHECK(
      call("ioctl", {minus1, LOOP_SET_STATUS, 0x1000}, -9, mem, v)
          .starts_with("ioctl(-1, LOOP_SET_STATUS, {lo_number=7, lo_device=makedev(0x8f8e8a89, 0xd8c8b888), "
                       "lo_inode=0, lo_rdevice=makedev(0, 0), lo_offset=0, lo_encrypt_type=LO_CRYPT_NONE, "));
  CHECK(call("ioctl", {minus1, 0x6f35, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, NET_REMOVE_IF, 0xdeadbeefbadc0ded)" + ebadf);
}
