// Tests the MTD, SCSI generic and userfaultfd ioctls (decode/ioctl/mtd.hpp, scsi.hpp,
// uffdio.hpp) and the names strace gives requests from their numbers (MIXER_READ(n)):
// request numbers and layouts from mtd/mtd-abi.h, scsi/sg.h and linux/userfaultfd.h, and
// lines as strace 6.1's tests/ioctl_mtd.c, ioctl_scsi.c and ioctl_uffdio.c expect them.
#include <catch2/catch.hpp>

#include <linux/bsg.h>
#include <linux/userfaultfd.h>
#include <mtd/mtd-abi.h>
#include <scsi/sg.h>

#include <cstddef>
#include <cstdint>
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

TEST_CASE("mtd ioctl numbers and layouts are the kernel header's", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::mtd_ioctls, name); };
  CHECK(code_of("MEMGETINFO") == MEMGETINFO);
  CHECK(code_of("MEMERASE") == MEMERASE);
  CHECK(code_of("MEMWRITEOOB") == MEMWRITEOOB);
  CHECK(code_of("MEMREADOOB") == MEMREADOOB);
  CHECK(code_of("MEMLOCK") == MEMLOCK);
  CHECK(code_of("MEMUNLOCK") == MEMUNLOCK);
  CHECK(code_of("MEMGETREGIONCOUNT") == MEMGETREGIONCOUNT);
  CHECK(code_of("MEMGETREGIONINFO") == MEMGETREGIONINFO);
  CHECK(code_of("MEMGETOOBSEL") == MEMGETOOBSEL);
  CHECK(code_of("MEMGETBADBLOCK") == MEMGETBADBLOCK);
  CHECK(code_of("MEMSETBADBLOCK") == MEMSETBADBLOCK);
  CHECK(code_of("OTPSELECT") == OTPSELECT);
  CHECK(code_of("OTPGETREGIONCOUNT") == OTPGETREGIONCOUNT);
  CHECK(code_of("OTPGETREGIONINFO") == OTPGETREGIONINFO);
  CHECK(code_of("OTPLOCK") == OTPLOCK);
  CHECK(code_of("ECCGETLAYOUT") == ECCGETLAYOUT);
  CHECK(code_of("ECCGETSTATS") == ECCGETSTATS);
  CHECK(code_of("MTDFILEMODE") == MTDFILEMODE);
  CHECK(code_of("MEMERASE64") == MEMERASE64);
  CHECK(code_of("MEMWRITEOOB64") == MEMWRITEOOB64);
  CHECK(code_of("MEMREADOOB64") == MEMREADOOB64);
  CHECK(code_of("MEMISLOCKED") == MEMISLOCKED);
  CHECK(code_of("MEMWRITE") == MEMWRITE);
  STATIC_REQUIRE(offsetof(mtd_oob_buf64, length) == 12);
  STATIC_REQUIRE(offsetof(mtd_write_req, mode) == 40);
  STATIC_REQUIRE(offsetof(mtd_info_user, padding) == 24);
  STATIC_REQUIRE(offsetof(region_info_user, regionindex) == 12);
  STATIC_REQUIRE(offsetof(nand_oobinfo, eccpos) == 72);
  STATIC_REQUIRE(offsetof(nand_ecclayout_user, oobavail) == 260);
  STATIC_REQUIRE(sizeof(nand_ecclayout_user) == 328);
}

TEST_CASE("mtd ioctls print their structs, and 'M' requests their mixer names", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, MEMGETINFO, 0}, -9, mem) ==
        "ioctl(-1, MIXER_READ(1) or MEMGETINFO, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, MEMWRITE, 0}, -9, mem) == "ioctl(-1, MEMWRITE, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, MTDFILEMODE, 0}, -9, mem) ==
        "ioctl(-1, MTDFILEMODE, MTD_FILE_MODE_NORMAL)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x4d30, 0}, -9, mem) ==
        "ioctl(-1, _IOC(_IOC_NONE, 0x4d, 0x30, 0), 0)" + ebadf);
  erase_info_user ei{0x83828180, 0x87868584};
  mem.put(0x1000, ei);
  CHECK(call("ioctl", {minus1, MEMERASE, 0x1000}, -9, mem) ==
        "ioctl(-1, MIXER_WRITE(2) or MEMERASE, {start=0x83828180, length=0x87868584})" + ebadf);
  region_info_user ri{1, 2, 3, 4};
  mem.put(0x2000, ri);
  CHECK(call("ioctl", {minus1, MEMGETREGIONINFO, 0x2000}, -9, mem) ==
        "ioctl(-1, MEMGETREGIONINFO, {regionindex=0x4})" + ebadf);
  CHECK(call("ioctl", {minus1, MEMGETREGIONINFO, 0x2000}, 0, mem) ==
        "ioctl(-1, MEMGETREGIONINFO, {regionindex=0x4, offset=0x1, erasesize=0x2, numblocks=0x3}) = 0");
  mtd_info_user mi{};
  mi.type = MTD_NANDFLASH;
  mi.flags = MTD_WRITEABLE | 1;
  mem.put(0x3000, mi);
  CHECK(call("ioctl", {minus1, MEMGETINFO, 0x3000}, 0, mem) ==
        "ioctl(-1, MIXER_READ(1) or MEMGETINFO, {type=MTD_NANDFLASH, flags=MTD_WRITEABLE|0x1, size=0, "
        "erasesize=0, "
        "writesize=0, oobsize=0, padding=0}) = 0");
  CHECK(call("ioctl", {minus1, MEMGETINFO, 0x3000}, -9, mem) ==
        "ioctl(-1, MIXER_READ(1) or MEMGETINFO, 0x3000)" + ebadf);
  std::uint32_t otp = MTD_OTP_USER;
  mem.put(0x4000, otp);
  CHECK(call("ioctl", {minus1, OTPSELECT, 0x4000}, -9, mem) ==
        "ioctl(-1, MIXER_READ(13) or OTPSELECT, [MTD_OTP_USER])" + ebadf);
}

TEST_CASE("scsi generic ioctls print ints, the reset request and the scsi id", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::scsi_ioctls, name); };
  CHECK(code_of("SG_SET_TIMEOUT") == SG_SET_TIMEOUT);
  CHECK(code_of("SG_GET_SCSI_ID") == SG_GET_SCSI_ID);
  CHECK(code_of("SG_IO") == SG_IO);
  CHECK(code_of("SG_GET_VERSION_NUM") == SG_GET_VERSION_NUM);
  STATIC_REQUIRE(offsetof(sg_req_info, usr_ptr) == 8);
  STATIC_REQUIRE(offsetof(sg_req_info, duration) == 16);
  fake_memory mem;
  CHECK(call("ioctl", {minus1, SG_GET_TIMEOUT, 0}, -9, mem) == "ioctl(-1, SG_GET_TIMEOUT)" + ebadf);
  CHECK(call("ioctl", {minus1, SG_IO, 0}, -9, mem) == "ioctl(-1, SG_IO, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, SG_SET_TRANSFORM, 0xdeadbeeffacefeedULL}, -9, mem) ==
        "ioctl(-1, SG_SET_TRANSFORM, 0xfacefeed)" + ebadf);
  std::uint32_t v = 0x101;
  mem.put(0x1000, v);
  CHECK(call("ioctl", {minus1, SG_SCSI_RESET, 0x1000}, -9, mem) ==
        "ioctl(-1, SG_SCSI_RESET, [SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_DEVICE])" + ebadf);
  CHECK(call("ioctl", {minus1, SG_IO, 0x1000}, -9, mem) == "ioctl(-1, SG_IO, [257])" + ebadf);
  CHECK(call("ioctl", {minus1, SG_SET_DEBUG, 0x1000}, -9, mem) == "ioctl(-1, SG_SET_DEBUG, [257])" + ebadf);
  sg_scsi_id id{1, -2, 3, 4, 5, 6, -7, {}};
  mem.put(0x2000, id);
  CHECK(
      call("ioctl", {minus1, SG_GET_SCSI_ID, 0x2000}, 0, mem) ==
      "ioctl(-1, SG_GET_SCSI_ID, {host_no=1, channel=-2, scsi_id=0x3, lun=4, scsi_type=0x5, h_cmd_per_lun=6, "
      "d_queue_depth=-7}) = 0");
  CHECK(call("ioctl", {minus1, SG_GET_SCSI_ID, 0x2000}, -9, mem) ==
        "ioctl(-1, SG_GET_SCSI_ID, 0x2000)" + ebadf);
}

TEST_CASE("userfaultfd ioctls print their structs and what the kernel wrote", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::uffdio_ioctls, name); };
  CHECK(code_of("UFFDIO_API") == UFFDIO_API);
  CHECK(code_of("UFFDIO_REGISTER") == UFFDIO_REGISTER);
  CHECK(code_of("UFFDIO_UNREGISTER") == UFFDIO_UNREGISTER);
  CHECK(code_of("UFFDIO_WAKE") == UFFDIO_WAKE);
  CHECK(code_of("UFFDIO_COPY") == UFFDIO_COPY);
  CHECK(code_of("UFFDIO_ZEROPAGE") == UFFDIO_ZEROPAGE);
  fake_memory mem;
  uffdio_register reg{{0x7000, 0x1000}, UFFDIO_REGISTER_MODE_MISSING, 0x13c};
  mem.put(0x1000, reg);
  CHECK(call("ioctl", {3, UFFDIO_REGISTER, 0x1000}, 0, mem) ==
        "ioctl(3, UFFDIO_REGISTER, {range={start=0x7000, len=0x1000}, mode=UFFDIO_REGISTER_MODE_MISSING, "
        "ioctls=1<<_UFFDIO_WAKE|1<<_UFFDIO_COPY|1<<_UFFDIO_ZEROPAGE|0x120}) = 0");
  CHECK(call("ioctl", {minus1, UFFDIO_REGISTER, 0x1000}, -9, mem) ==
        "ioctl(-1, UFFDIO_REGISTER, {range={start=0x7000, len=0x1000}, mode=UFFDIO_REGISTER_MODE_MISSING})" +
            ebadf);
  CHECK(call("ioctl", {3, UFFDIO_WAKE, 0x1000}, 0, mem) ==
        "ioctl(3, UFFDIO_WAKE, {start=0x7000, len=0x1000}) = 0");
  CHECK(call("ioctl", {3, UFFDIO_COPY, 0}, -14, mem) ==
        "ioctl(3, UFFDIO_COPY, NULL) = -1 EFAULT (Bad address)");
  uffdio_api api{0xaa, UFFD_FEATURE_EVENT_FORK, 0};
  mem.put(0x2000, api);
  CHECK(
      call("ioctl", {3, UFFDIO_API, 0x2000}, 0, mem) ==
      "ioctl(3, UFFDIO_API, {api=0xaa, features=UFFD_FEATURE_EVENT_FORK => features=UFFD_FEATURE_EVENT_FORK, "
      "ioctls=0}) = 0");
}

TEST_CASE("SG_IO prints sg_io_hdr and sg_io_v4 by interface id", "[format][ioctl]") {
  STATIC_REQUIRE(offsetof(sg_io_hdr, dxferp) == 16);
  STATIC_REQUIRE(offsetof(sg_io_hdr, status) == 64);
  STATIC_REQUIRE(offsetof(sg_io_hdr, info) == 80);
  STATIC_REQUIRE(sizeof(sg_io_hdr) == 88);
  STATIC_REQUIRE(offsetof(sg_io_v4, dout_xferp) == 72);
  STATIC_REQUIRE(offsetof(sg_io_v4, spare_in) == 104);
  STATIC_REQUIRE(offsetof(sg_io_v4, din_resid) == 136);
  STATIC_REQUIRE(offsetof(sg_io_v4, generated_tag) == 144);
  STATIC_REQUIRE(sizeof(sg_io_v4) == 160);
  fake_memory mem;
  sg_io_hdr h{};
  h.interface_id = 'S';
  h.dxfer_direction = SG_DXFER_TO_FROM_DEV;
  h.cmd_len = 2;
  h.cmdp = reinterpret_cast<unsigned char*>(0x3000);
  h.dxfer_len = 3;
  h.dxferp = reinterpret_cast<void*>(0x3100);
  h.resid = 1;
  h.info = SG_INFO_CHECK;
  mem.put(0x1000, h);
  mem.put_bytes(0x3000, "\x12\x34", 2);
  mem.put_bytes(0x3100, "\xd5\xd6\xd7", 3);
  CHECK(
      call("ioctl", {minus1, SG_IO, 0x1000}, -9, mem) ==
      "ioctl(-1, SG_IO, {interface_id='S', dxfer_direction=SG_DXFER_TO_FROM_DEV, cmd_len=2, "
      "cmdp=\"\\x12\\x34\", "
      "mx_sb_len=0, iovec_count=0, dxfer_len=3, timeout=0, flags=0, dxferp=\"\\xd5\\xd6\\xd7\" => "
      "dxferp=\"\\xd5\\xd6\", status=0, masked_status=0, msg_status=0, sb_len_wr=0, sbp=NULL, host_status=0, "
      "driver_status=0, resid=1, duration=0, info=SG_INFO_CHECK})" +
          ebadf);
  sg_io_v4 q{};
  q.guard = 'Q';
  q.subprotocol = BSG_SUB_PROTOCOL_SCSI_TMF;
  q.din_xfer_len = 4;
  q.din_xferp = 0x3100;
  q.flags = BSG_FLAG_Q_AT_HEAD;
  mem.put(0x2000, q);
  CHECK(call("ioctl", {minus1, SG_IO, 0x2000}, -9, mem) ==
        "ioctl(-1, SG_IO, {guard='Q', protocol=BSG_PROTOCOL_SCSI, subprotocol=BSG_SUB_PROTOCOL_SCSI_TMF, "
        "request_len=0, request=NULL, request_tag=0, request_attr=0, request_priority=0, request_extra=0, "
        "max_response_len=0, dout_iovec_count=0, dout_xfer_len=0, din_iovec_count=0, din_xfer_len=4, "
        "dout_xferp=NULL, timeout=0, flags=BSG_FLAG_Q_AT_HEAD, usr_ptr=0, response_len=0, response=NULL, "
        "din_xferp=0x3100, driver_status=0, transport_status=0, device_status=0, retry_delay=0, info=0, "
        "duration=0, response_len=0, din_resid=0, dout_resid=0, generated_tag=0})" +
            ebadf);
}
