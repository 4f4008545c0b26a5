// Tests the per-family ioctl decoders (decode/ioctl/*.hpp): each family's request numbers
// are the kernel headers' (linux/hdreg.h, fiemap.h, fs.h, seccomp.h), and its arguments
// print as strace 6.1's tests expect (tests/ioctl_hdio.c, ioctl_fiemap.c, ioctl_seccomp.c).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/gpio.h>
#include <linux/hdreg.h>
#include <linux/loop.h>
#include <linux/nbd.h>
#include <linux/perf_event.h>
#include <linux/ptp_clock.h>
#include <linux/rtc.h>
#include <linux/seccomp.h>
#include <mtd/ubi-user.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;

}  // namespace

TEST_CASE("ioctl family tables hold the kernel headers' request numbers", "[format][ioctl]") {
  auto code_of = [](std::span<const d::ioctl_entry> table, std::string_view name) {
    return snare::test::ioctl_code(table, name);
  };
  CHECK(code_of(d::hdio_ioctls, "HDIO_GETGEO") == HDIO_GETGEO);
  CHECK(code_of(d::hdio_ioctls, "HDIO_DRIVE_CMD") == HDIO_DRIVE_CMD);
  CHECK(code_of(d::hdio_ioctls, "HDIO_GET_NICE") == HDIO_GET_NICE);
  CHECK(code_of(d::hdio_ioctls, "HDIO_SET_BUSSTATE") == HDIO_SET_BUSSTATE);
  CHECK(code_of(d::hdio_ioctls, "HDIO_SET_ADDRESS") == HDIO_SET_ADDRESS);
  CHECK(code_of(d::hdio_ioctls, "HDIO_UNREGISTER_HWIF") == HDIO_UNREGISTER_HWIF);
  CHECK(code_of(d::fiemap_ioctls, "FS_IOC_FIEMAP") == FS_IOC_FIEMAP);
  CHECK(code_of(d::seccomp_ioctls, "SECCOMP_IOCTL_NOTIF_RECV") == SECCOMP_IOCTL_NOTIF_RECV);
  CHECK(code_of(d::seccomp_ioctls, "SECCOMP_IOCTL_NOTIF_SEND") == SECCOMP_IOCTL_NOTIF_SEND);
  CHECK(code_of(d::seccomp_ioctls, "SECCOMP_IOCTL_NOTIF_ID_VALID") == SECCOMP_IOCTL_NOTIF_ID_VALID);
  CHECK(code_of(d::seccomp_ioctls, "SECCOMP_IOCTL_NOTIF_ADDFD") == SECCOMP_IOCTL_NOTIF_ADDFD);
  CHECK(code_of(d::nbd_ioctls, "NBD_SET_SOCK") == NBD_SET_SOCK);
  CHECK(code_of(d::loop_ioctls, "LOOP_CONFIGURE") == LOOP_CONFIGURE);
  for (auto [name, code] : {std::pair<std::string_view, std::uint32_t>{"UBI_IOCATT", UBI_IOCATT},
                            {"UBI_IOCDET", UBI_IOCDET},
                            {"UBI_IOCMKVOL", UBI_IOCMKVOL},
                            {"UBI_IOCRMVOL", UBI_IOCRMVOL},
                            {"UBI_IOCRSVOL", UBI_IOCRSVOL},
                            {"UBI_IOCRNVOL", UBI_IOCRNVOL},
                            {"UBI_IOCVOLUP", UBI_IOCVOLUP},
                            {"UBI_IOCEBER", UBI_IOCEBER},
                            {"UBI_IOCEBCH", UBI_IOCEBCH},
                            {"UBI_IOCEBMAP", UBI_IOCEBMAP},
                            {"UBI_IOCEBUNMAP", UBI_IOCEBUNMAP},
                            {"UBI_IOCEBISMAP", UBI_IOCEBISMAP},
                            {"UBI_IOCSETVOLPROP", UBI_IOCSETVOLPROP},
                            {"UBI_IOCVOLCRBLK", UBI_IOCVOLCRBLK},
                            {"UBI_IOCVOLRMBLK", UBI_IOCVOLRMBLK},
                            {"UBI_IOCRPEB", UBI_IOCRPEB},
                            {"UBI_IOCSPEB", UBI_IOCSPEB}}) {
    INFO(name);
    CHECK(code_of(d::ubi_ioctls, name) == code);
  }
  STATIC_REQUIRE(sizeof(ubi_rnvol_req) == 4368);
  STATIC_REQUIRE(offsetof(ubi_mkvol_req, name) == 24);
  CHECK(code_of(d::loop_ioctls, "LOOP_CTL_GET_FREE") == LOOP_CTL_GET_FREE);
  STATIC_REQUIRE(sizeof(loop_info) == 168);
  STATIC_REQUIRE(offsetof(loop_info, lo_offset) == 32);
  STATIC_REQUIRE(offsetof(loop_info, lo_name) == 48);
  STATIC_REQUIRE(offsetof(loop_info, lo_encrypt_key) == 112);
  STATIC_REQUIRE(offsetof(loop_info, lo_init) == 144);
  STATIC_REQUIRE(offsetof(loop_info, reserved) == 160);
  STATIC_REQUIRE(sizeof(loop_info64) == 232);
  STATIC_REQUIRE(offsetof(loop_info64, lo_file_name) == 56);
  STATIC_REQUIRE(offsetof(loop_info64, lo_encrypt_key) == 184);
  STATIC_REQUIRE(offsetof(loop_info64, lo_init) == 216);
  STATIC_REQUIRE(sizeof(loop_config) == 304);
  STATIC_REQUIRE(offsetof(loop_config, __reserved) == 240);
  CHECK(code_of(d::rtc_ioctls, "RTC_UIE_OFF") == RTC_UIE_OFF);
  CHECK(code_of(d::rtc_ioctls, "RTC_PARAM_GET") == RTC_PARAM_GET);
  CHECK(code_of(d::rtc_ioctls, "RTC_PARAM_SET") == RTC_PARAM_SET);
  CHECK(code_of(d::rtc_ioctls, "RTC_VL_READ") == RTC_VL_READ);
  CHECK(code_of(d::rtc_ioctls, "RTC_PLL_GET") == RTC_PLL_GET);
  CHECK(code_of(d::rtc_ioctls, "RTC_WKALM_SET") == RTC_WKALM_SET);
  CHECK(code_of(d::rtc_ioctls, "RTC_ALM_READ") == RTC_ALM_READ);
  CHECK(code_of(d::rtc_ioctls, "RTC_EPOCH_READ") == RTC_EPOCH_READ);
  CHECK(code_of(d::ptp_ioctls, "PTP_CLOCK_GETCAPS") == PTP_CLOCK_GETCAPS);
  CHECK(code_of(d::ptp_ioctls, "PTP_EXTTS_REQUEST2") == PTP_EXTTS_REQUEST2);
  CHECK(code_of(d::ptp_ioctls, "PTP_PEROUT_REQUEST") == PTP_PEROUT_REQUEST);
  CHECK(code_of(d::ptp_ioctls, "PTP_ENABLE_PPS2") == PTP_ENABLE_PPS2);
  CHECK(code_of(d::ptp_ioctls, "PTP_SYS_OFFSET") == PTP_SYS_OFFSET);
  CHECK(code_of(d::ptp_ioctls, "PTP_PIN_GETFUNC2") == PTP_PIN_GETFUNC2);
  CHECK(code_of(d::ptp_ioctls, "PTP_PIN_SETFUNC") == PTP_PIN_SETFUNC);
  CHECK(code_of(d::ptp_ioctls, "PTP_SYS_OFFSET_PRECISE2") == PTP_SYS_OFFSET_PRECISE2);
  CHECK(code_of(d::ptp_ioctls, "PTP_SYS_OFFSET_EXTENDED") == PTP_SYS_OFFSET_EXTENDED);
  CHECK(code_of(d::ptp_ioctls, "PTP_SYS_OFFSET_EXTENDED2") == PTP_SYS_OFFSET_EXTENDED2);
  CHECK(code_of(d::nbd_ioctls, "NBD_SET_FLAGS") == NBD_SET_FLAGS);
  CHECK(code_of(d::nbd_ioctls, "NBD_DISCONNECT") == NBD_DISCONNECT);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_CHIPINFO_IOCTL") == GPIO_GET_CHIPINFO_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_LINEINFO_UNWATCH_IOCTL") == GPIO_GET_LINEINFO_UNWATCH_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_GET_LINEINFO_IOCTL") == GPIO_V2_GET_LINEINFO_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_GET_LINEINFO_WATCH_IOCTL") == GPIO_V2_GET_LINEINFO_WATCH_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_GET_LINE_IOCTL") == GPIO_V2_GET_LINE_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_LINE_SET_CONFIG_IOCTL") == GPIO_V2_LINE_SET_CONFIG_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_LINE_GET_VALUES_IOCTL") == GPIO_V2_LINE_GET_VALUES_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_V2_LINE_SET_VALUES_IOCTL") == GPIO_V2_LINE_SET_VALUES_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_LINEINFO_IOCTL") == GPIO_GET_LINEINFO_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_LINEHANDLE_IOCTL") == GPIO_GET_LINEHANDLE_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_LINEEVENT_IOCTL") == GPIO_GET_LINEEVENT_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIOHANDLE_GET_LINE_VALUES_IOCTL") == GPIOHANDLE_GET_LINE_VALUES_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIOHANDLE_SET_LINE_VALUES_IOCTL") == GPIOHANDLE_SET_LINE_VALUES_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIOHANDLE_SET_CONFIG_IOCTL") == GPIOHANDLE_SET_CONFIG_IOCTL);
  CHECK(code_of(d::gpio_ioctls, "GPIO_GET_LINEINFO_WATCH_IOCTL") == GPIO_GET_LINEINFO_WATCH_IOCTL);
  // The offsets gpio.hpp reads fields at.
  STATIC_REQUIRE(offsetof(gpiohandle_request, lines) == 356);
  STATIC_REQUIRE(offsetof(gpiohandle_request, fd) == 360);
  STATIC_REQUIRE(offsetof(gpioevent_request, fd) == 44);
  STATIC_REQUIRE(offsetof(gpio_v2_line_info, attrs) == 80);
  STATIC_REQUIRE(offsetof(gpio_v2_line_info, padding) == 240);
  STATIC_REQUIRE(offsetof(gpio_v2_line_request, config) == 288);
  STATIC_REQUIRE(offsetof(gpio_v2_line_request, num_lines) == 560);
  STATIC_REQUIRE(offsetof(gpio_v2_line_request, fd) == 588);
  STATIC_REQUIRE(offsetof(gpio_v2_line_config, attrs) == 32);
  // Every family table is registered for names (and so its decoder was added beside it).
  for (std::span<const d::ioctl_entry> t :
       {std::span<const d::ioctl_entry>(d::hdio_ioctls), std::span<const d::ioctl_entry>(d::fiemap_ioctls),
        std::span<const d::ioctl_entry>(d::seccomp_ioctls), std::span<const d::ioctl_entry>(d::gpio_ioctls),
        std::span<const d::ioctl_entry>(d::nbd_ioctls), std::span<const d::ioctl_entry>(d::ptp_ioctls),
        std::span<const d::ioctl_entry>(d::rtc_ioctls), std::span<const d::ioctl_entry>(d::loop_ioctls),
        std::span<const d::ioctl_entry>(d::ubi_ioctls)}) {
    INFO(t.front().name);
    CHECK(std::any_of(std::begin(d::ioctl_family_tables), std::end(d::ioctl_family_tables),
                      [&](std::span<const d::ioctl_entry> r) { return r.data() == t.data(); }));
  }
  // Every family name that the generated table also has is the same name.
  for (auto table : d::ioctl_family_tables) {
    for (const auto& e : table) {
      std::string name;
      d::put_ioctl_name(name, e.code);
      INFO(e.name << " = " << std::hex << e.code);
      CHECK((" or " + name + " or ").find(" or " + std::string(e.name) + " or ") != std::string::npos);
    }
  }
}

TEST_CASE("HDIO ioctls print as strace's", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, HDIO_GETGEO, 0}, -9, mem) == "ioctl(-1, HDIO_GETGEO, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, HDIO_GETGEO, 0x1000}, -9, mem) == "ioctl(-1, HDIO_GETGEO, 0x1000)" + ebadf);
  struct hd_geometry geo {};
  geo.heads = 202;
  geo.sectors = 254;
  geo.cylinders = 0xbabe;
  geo.start = 0xbadc0deddeadfaceUL;
  mem.put(0x1000, geo);
  CHECK(call("ioctl", {minus1, HDIO_GETGEO, 0x1000}, 0, mem) ==
        "ioctl(-1, HDIO_GETGEO, {heads=202, sectors=254, cylinders=47806, start=13464652301225294542}) = 0");

  unsigned char cmd[4] = {0xca, 0xff, 0xee, 0};
  mem.put(0x2000, cmd);
  CHECK(call("ioctl", {minus1, HDIO_DRIVE_CMD, 0x2000}, -9, mem) ==
        "ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=0})" +
            ebadf);
  CHECK(
      call("ioctl", {minus1, HDIO_DRIVE_CMD, 0x2000}, 42, mem) ==
      "ioctl(-1, HDIO_DRIVE_CMD, {command=ATA_CMD_WRITE, sector_number=255, feature=238, sector_count=0} => "
      "{status=0xca, error=255, nsector=238}) = 42");
  unsigned char cmd2[4 + 40] = {0x80, 0x81, 0x82, 1};
  for (int i = 4; i < 44; ++i) cmd2[i] = static_cast<unsigned char>(i);
  mem.put(0x3000, cmd2);
  CHECK(call("ioctl", {minus1, HDIO_DRIVE_CMD, 0x3000}, 42, mem) ==
        "ioctl(-1, HDIO_DRIVE_CMD, {command=0x80 /* ATA_CMD_??? */, sector_number=129, feature=130, "
        "sector_count=1} => {status=0x80, error=129, nsector=130, "
        "buf=\"\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b"
        "\\x0c\\x0d\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f"
        "\\x20\\x21\\x22\\x23\"...}) = 42");

  std::uint32_t reset[3] = {0xdeadbeef, 0xaaaaaaaa, 0xbeefbeef};
  mem.put(0x4000, reset);
  CHECK(call("ioctl", {minus1, HDIO_DRIVE_RESET, 0x4000}, -9, mem) ==
        "ioctl(-1, HDIO_DRIVE_RESET, [0xdeadbeef, 0xaaaaaaaa, 0xbeefbeef])" + ebadf);
  std::uint64_t v = 0xfacefeeddeadbeef;
  mem.put(0x5000, v);
  CHECK(call("ioctl", {minus1, HDIO_GET_32BIT, 0x5000}, -9, mem) ==
        "ioctl(-1, HDIO_GET_32BIT, 0x5000)" + ebadf);
  CHECK(call("ioctl", {minus1, HDIO_GET_32BIT, 0x5000}, 42, mem) ==
        "ioctl(-1, HDIO_GET_32BIT, [18072662652281011951]) = 42");
  CHECK(call("ioctl", {minus1, HDIO_SET_32BIT, v}, -9, mem) ==
        "ioctl(-1, HDIO_SET_32BIT, 18072662652281011951)" + ebadf);
  CHECK(call("ioctl", {minus1, HDIO_SET_NICE, 0xfacefeedded2ffff}, -9, mem) ==
        "ioctl(-1, HDIO_SET_NICE, 1 << IDE_NICE_DSC_OVERLAP|1 << IDE_NICE_ATAPI_OVERLAP|1 << IDE_NICE_1|"
        "1 << IDE_NICE_0|1 << IDE_NICE_2|0xfacefeedded2ffe0)" +
            ebadf);
  CHECK(call("ioctl", {minus1, HDIO_SET_BUSSTATE, 0xfacefeedded4ffff}, -9, mem) ==
        "ioctl(-1, HDIO_SET_BUSSTATE, 0xfacefeedded4ffff /* BUSSTATE_??? */)" + ebadf);
  CHECK(call("ioctl", {minus1, HDIO_SET_BUSSTATE, 1}, -9, mem,
             snare::test::style(snare::format::xlat_style::verbose)) ==
        "ioctl(-1, 0x32d /* HDIO_SET_BUSSTATE */, 0x1 /* BUSSTATE_ON */)" + ebadf);
}

TEST_CASE("FS_IOC_FIEMAP prints the request, and with -v the extents the kernel mapped", "[format][ioctl]") {
  fake_memory mem;
  unsigned char buf[sizeof(struct fiemap) + 2 * sizeof(struct fiemap_extent)] = {};
  auto* m = reinterpret_cast<struct fiemap*>(buf);
  m->fm_start = 0xdeadbeefcafef00dULL;
  m->fm_length = 0xfacefeedbabec0deULL;
  m->fm_flags = 7;
  m->fm_mapped_extents = 2;
  m->fm_extent_count = 0xdeadc0de;
  m->fm_extents[0].fe_logical = 1;
  m->fm_extents[0].fe_physical = 2;
  m->fm_extents[0].fe_length = 3;
  m->fm_extents[0].fe_flags = FIEMAP_EXTENT_LAST | FIEMAP_EXTENT_SHARED;
  m->fm_extents[1].fe_flags = 0x40;
  mem.put(0x1000, buf);
  const std::string request =
      "ioctl(-1, FS_IOC_FIEMAP, {fm_start=16045690984503111693, fm_length=18072662651678146782, "
      "fm_flags=FIEMAP_FLAG_SYNC|FIEMAP_FLAG_XATTR|FIEMAP_FLAG_CACHE, fm_extent_count=3735929054}";
  CHECK(call("ioctl", {minus1, FS_IOC_FIEMAP, 0x1000}, -9, mem) == request + ")" + ebadf);
  mem.put_bytes(0x8000, buf, sizeof(struct fiemap) - 1);  // one byte short
  CHECK(call("ioctl", {minus1, FS_IOC_FIEMAP, 0x8000}, -9, mem) ==
        "ioctl(-1, FS_IOC_FIEMAP, 0x8000)" + ebadf);
  const std::string reply =
      " => {fm_flags=FIEMAP_FLAG_SYNC|FIEMAP_FLAG_XATTR|FIEMAP_FLAG_CACHE, fm_mapped_extents=2, ";
  CHECK(call("ioctl", {minus1, FS_IOC_FIEMAP, 0x1000}, 0, mem) == request + reply + "...}) = 0");
  snare::format::options v;
  v.verbose = true;
  CHECK(call("ioctl", {minus1, FS_IOC_FIEMAP, 0x1000}, 0, mem, v) ==
        request + reply +
            "fm_extents=[{fe_logical=1, fe_physical=2, fe_length=3, "
            "fe_flags=FIEMAP_EXTENT_LAST|FIEMAP_EXTENT_SHARED}, {fe_logical=0, fe_physical=0, fe_length=0, "
            "fe_flags=0x40 /* FIEMAP_EXTENT_??? */}]}) = 0");
}

TEST_CASE("SECCOMP_IOCTL_NOTIF_* print the notification, the response and the added fd", "[format][ioctl]") {
  fake_memory mem;
  struct seccomp_notif n {};
  mem.put(0x1000, n);
  // A zeroed notification prints only after the call (its address after a failure).
  CHECK(call("ioctl", {minus1, SECCOMP_IOCTL_NOTIF_RECV, 0x1000}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, 0x1000)" + ebadf);
  n.pid = 17807;
  n.data.nr = SYS_gettid;
  n.data.arch = 0xc000003e;
  for (int i = 0; i < 6; ++i) n.data.args[i] = 0xdeadfacebadc0de0 + static_cast<unsigned>(i);
  mem.put(0x2000, n);
  const std::string notif =
      "{id=0, pid=17807, flags=0, data={nr=__NR_gettid, arch=AUDIT_ARCH_X86_64, instruction_pointer=NULL, "
      "args=[0xdeadfacebadc0de0, 0xdeadfacebadc0de1, 0xdeadfacebadc0de2, 0xdeadfacebadc0de3, "
      "0xdeadfacebadc0de4, 0xdeadfacebadc0de5]}}";
  CHECK(call("ioctl", {minus1, SECCOMP_IOCTL_NOTIF_RECV, 0x2000}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, " + notif + " => 0x2000)" + ebadf);
  CHECK(call("ioctl", {3, SECCOMP_IOCTL_NOTIF_RECV, 0x2000}, 0, mem) ==
        "ioctl(3, SECCOMP_IOCTL_NOTIF_RECV, " + notif + " => " + notif + ") = 0");
  n.data.arch = 0xfeedface;
  mem.put(0x2000, n);
  CHECK(call("ioctl", {3, SECCOMP_IOCTL_NOTIF_RECV, 0x2000}, -9, mem,
             snare::test::style(snare::format::xlat_style::raw))
            .find("data={nr=186, arch=0xfeedface, ") != std::string::npos);

  struct seccomp_notif_resp r {};
  r.id = 0xdeadc0debadc0dedULL;
  r.val = -2675229516524167443LL;
  r.error = -ENOSR;
  r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  mem.put(0x3000, r);
  CHECK(call("ioctl", {minus1, SECCOMP_IOCTL_NOTIF_SEND, 0x3000}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, {id=0xdeadc0debadc0ded, val=-2675229516524167443, error=-ENOSR, "
        "flags=SECCOMP_USER_NOTIF_FLAG_CONTINUE})" +
            ebadf);

  std::uint64_t id = 0xdecaffedfacefeedULL;
  mem.put(0x4000, id);
  CHECK(call("ioctl", {minus1, SECCOMP_IOCTL_NOTIF_ID_VALID, 0x4000}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID, [0xdecaffedfacefeed])" + ebadf);
  CHECK(call("ioctl", {minus1, 0x80082102, 0}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR, NULL)" + ebadf);

  struct seccomp_notif_addfd a {};
  a.id = 0xdeadc0debadfacedULL;
  a.flags = SECCOMP_ADDFD_FLAG_SETFD | SECCOMP_ADDFD_FLAG_SEND;
  a.srcfd = 42;
  a.newfd = -1091567891;
  a.newfd_flags = O_DIRECT;
  mem.put(0x5000, a);
  CHECK(call("ioctl", {minus1, SECCOMP_IOCTL_NOTIF_ADDFD, 0x5000}, -9, mem) ==
        "ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, {id=0xdeadc0debadfaced, flags=SECCOMP_ADDFD_FLAG_SETFD|"
        "SECCOMP_ADDFD_FLAG_SEND, srcfd=42, newfd=-1091567891, newfd_flags=O_DIRECT})" +
            ebadf);
}

TEST_CASE("GPIO ioctls print the request at entry and the kernel's reply at exit", "[format][ioctl]") {
  fake_memory mem;
  const std::string injected = " = 42";
  CHECK(call("ioctl", {minus1, GPIO_GET_CHIPINFO_IOCTL, 0}, -9, mem) ==
        "ioctl(-1, GPIO_GET_CHIPINFO_IOCTL, NULL)" + ebadf);
  gpiochip_info chip{};
  std::strcpy(chip.name, "chip name");
  std::strcpy(chip.label, "chip label");
  chip.lines = 202;
  mem.put(0x1000, chip);
  CHECK(call("ioctl", {minus1, GPIO_GET_CHIPINFO_IOCTL, 0x1000}, 42, mem) ==
        "ioctl(-1, GPIO_GET_CHIPINFO_IOCTL, {name=\"chip name\", label=\"chip label\", lines=202})" +
            injected);

  gpioline_info line{};
  line.line_offset = 50;
  line.flags = GPIOLINE_FLAG_ACTIVE_LOW | GPIOLINE_FLAG_OPEN_DRAIN;
  std::strcpy(line.name, "line name");
  std::strcpy(line.consumer, "line consumer");
  mem.put(0x2000, line);
  CHECK(call("ioctl", {minus1, GPIO_GET_LINEINFO_IOCTL, 0x2000}, -9, mem) ==
        "ioctl(-1, GPIO_GET_LINEINFO_IOCTL, {line_offset=50})" + ebadf);
  CHECK(call("ioctl", {minus1, GPIO_GET_LINEINFO_IOCTL, 0x2000}, 42, mem) ==
        "ioctl(-1, GPIO_GET_LINEINFO_IOCTL, {line_offset=50} => {flags=GPIOLINE_FLAG_ACTIVE_LOW|"
        "GPIOLINE_FLAG_OPEN_DRAIN, name=\"line name\", consumer=\"line consumer\"})" +
            injected);

  gpiohandle_request hr{};
  hr.lines = 4;
  for (unsigned i = 0; i < 4; ++i) hr.lineoffsets[i] = 18 + 17 * i;
  hr.flags = GPIOHANDLE_REQUEST_ACTIVE_LOW | GPIOHANDLE_REQUEST_OPEN_SOURCE;
  hr.default_values[1] = 1, hr.default_values[2] = 2, hr.default_values[3] = 6;
  std::strcpy(hr.consumer_label, "line consumer");
  hr.fd = 100;
  mem.put(0x3000, hr);
  CHECK(call("ioctl", {minus1, GPIO_GET_LINEHANDLE_IOCTL, 0x3000}, 42, mem) ==
        "ioctl(-1, GPIO_GET_LINEHANDLE_IOCTL, {lines=4, lineoffsets=[18, 35, 52, 69], "
        "flags=GPIOHANDLE_REQUEST_ACTIVE_LOW|GPIOHANDLE_REQUEST_OPEN_SOURCE, default_values=[0, 1, 2, 6], "
        "consumer_label=\"line consumer\"} => {fd=100})" +
            injected);

  gpio_v2_line_config lc{};
  lc.flags = GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_BIAS_PULL_UP;
  lc.num_attrs = 2;
  lc.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
  lc.attrs[0].attr.debounce_period_us = 7;
  lc.attrs[0].mask = 1;
  lc.attrs[1].attr.id = 1;
  lc.attrs[1].attr.padding = 0xfeedface;
  lc.attrs[1].attr.values = 0xdeadbeefba11c0da;
  lc.attrs[1].mask = 3;
  mem.put(0x4000, lc);
  CHECK(call("ioctl", {minus1, GPIO_V2_LINE_SET_CONFIG_IOCTL, 0x4000}, -9, mem) ==
        "ioctl(-1, GPIO_V2_LINE_SET_CONFIG_IOCTL, {flags=GPIO_V2_LINE_FLAG_ACTIVE_LOW|"
        "GPIO_V2_LINE_FLAG_BIAS_PULL_UP, num_attrs=2, attrs=[{debounce_period_us=7, mask=0x1}, "
        "{attr={id=1, padding=0xfeedface, data=0xdeadbeefba11c0da}, mask=0x3}]})" +
            ebadf);

  gpio_v2_line_values vals{0xcacafeedfacecafe, 0xfadebeaddeedbabe};
  mem.put(0x5000, vals);
  CHECK(call("ioctl", {minus1, GPIO_V2_LINE_GET_VALUES_IOCTL, 0x5000}, 42, mem) ==
        "ioctl(-1, GPIO_V2_LINE_GET_VALUES_IOCTL, {mask=0xfadebeaddeedbabe} => {bits=0xcacafeedfacecafe})" +
            injected);
  gpiohandle_data data{};
  for (unsigned i = 0; i < 64; ++i) data.values[i] = static_cast<unsigned char>(i + 1);
  mem.put(0x6000, data);
  std::string seq = "[";
  for (int i = 1; i <= 32; ++i) seq += std::to_string(i) + ", ";
  seq += "...]";
  CHECK(call("ioctl", {minus1, GPIOHANDLE_SET_LINE_VALUES_IOCTL, 0x6000}, -9, mem) ==
        "ioctl(-1, GPIOHANDLE_SET_LINE_VALUES_IOCTL, {values=" + seq + "})" + ebadf);
}

TEST_CASE("NBD ioctls: no argument, an fd, a size, or flags of the low 32 bits", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, NBD_DO_IT, 0}, -9, mem) == "ioctl(-1, NBD_DO_IT)" + ebadf);
  CHECK(call("ioctl", {minus1, NBD_DISCONNECT, 7}, -9, mem) == "ioctl(-1, NBD_DISCONNECT)" + ebadf);
  snare::test::fake_fds fds;
  fds.paths[3] = "/dev/null";
  snare::format::options y;
  y.show_fd_paths = true;
  CHECK(call("ioctl", {minus1, NBD_SET_SOCK, 3}, -9, mem, y, fds) ==
        "ioctl(-1, NBD_SET_SOCK, 3</dev/null>)" + ebadf);
  CHECK(call("ioctl", {minus1, NBD_SET_SIZE, 0xcafef00ddeadbeef}, -9, mem) ==
        "ioctl(-1, NBD_SET_SIZE, 14627392582107119343)" + ebadf);
  std::uint64_t flags = static_cast<std::uint64_t>(static_cast<std::int64_t>(
      NBD_FLAG_HAS_FLAGS | NBD_FLAG_READ_ONLY | (1 << 15) | static_cast<int>(1u << 31)));
  CHECK(call("ioctl", {minus1, NBD_SET_FLAGS, flags}, -9, mem) ==
        "ioctl(-1, NBD_SET_FLAGS, NBD_FLAG_HAS_FLAGS|NBD_FLAG_READ_ONLY|0x80008000)" + ebadf);
  // PERF_EVENT_IOC_ENABLE's flags are an unsigned int too.
  CHECK(call("ioctl", {minus1, PERF_EVENT_IOC_ENABLE, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP|0xbadc0dec)" + ebadf);
}

TEST_CASE("PTP ioctls: requests, pin functions and clock offsets", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, PTP_CLOCK_GETCAPS, 0}, -9, mem) ==
        "ioctl(-1, PTP_CLOCK_GETCAPS, NULL)" + ebadf);
  ptp_extts_request extts{};
  extts.index = 3141592653u;
  extts.flags = PTP_RISING_EDGE | PTP_FALLING_EDGE | PTP_STRICT_FLAGS | 0xdeadbab0u;
  extts.rsv[0] = 0xdeadc0de;
  mem.put(0x1000, extts);
  CHECK(call("ioctl", {minus1, PTP_EXTTS_REQUEST2, 0x1000}, -9, mem) ==
        "ioctl(-1, PTP_EXTTS_REQUEST2, {index=3141592653, flags=PTP_RISING_EDGE|PTP_FALLING_EDGE|"
        "PTP_STRICT_FLAGS|0xdeadbab0, rsv=[0xdeadc0de, 0]})" +
            ebadf);
  CHECK(call("ioctl", {minus1, PTP_EXTTS_REQUEST, 0x1000}, -9, mem) ==
        "ioctl(-1, PTP_EXTTS_REQUEST, {index=3141592653, flags=PTP_RISING_EDGE|PTP_FALLING_EDGE|"
        "PTP_STRICT_FLAGS|0xdeadbab0})" +
            ebadf);

  ptp_perout_request perout{};
  perout.phase.sec = 4886718345;
  perout.phase.nsec = 1234567890;
  perout.period.sec = 11259375;
  perout.index = 3141592653u;
  perout.flags = PTP_PEROUT_ONE_SHOT | PTP_PEROUT_PHASE;
  mem.put(0x2000, perout);
  CHECK(call("ioctl", {minus1, PTP_PEROUT_REQUEST, 0x2000}, -9, mem) ==
        "ioctl(-1, PTP_PEROUT_REQUEST, {phase={sec=4886718345, nsec=1234567890}, period={sec=11259375, "
        "nsec=0}, "
        "index=3141592653, flags=PTP_PEROUT_ONE_SHOT|PTP_PEROUT_PHASE})" +
            ebadf);

  ptp_pin_desc pin{};
  std::strcpy(pin.name, "pin");
  pin.index = 3;
  pin.func = PTP_PF_PHYSYNC;
  pin.chan = 4;
  mem.put(0x3000, pin);
  CHECK(call("ioctl", {minus1, PTP_PIN_GETFUNC, 0x3000}, -9, mem) ==
        "ioctl(-1, PTP_PIN_GETFUNC, {index=3})" + ebadf);
  CHECK(call("ioctl", {minus1, PTP_PIN_GETFUNC, 0x3000}, 42, mem) ==
        "ioctl(-1, PTP_PIN_GETFUNC, {index=3, name=\"pin\", func=PTP_PF_PHYSYNC, chan=4}) = 42");
  // A name that fills its field: 63 bytes and `...`, as strace's print_quoted_cstring.
  ptp_pin_desc full = pin;
  std::memset(full.name, 'x', sizeof full.name);
  mem.put(0x3800, full);
  CHECK(call("ioctl", {minus1, PTP_PIN_GETFUNC, 0x3800}, 42, mem) ==
        "ioctl(-1, PTP_PIN_GETFUNC, {index=3, name=\"" + std::string(63, 'x') +
            "\"..., func=PTP_PF_PHYSYNC, chan=4}) = 42");
  CHECK(call("ioctl", {minus1, PTP_PIN_SETFUNC, 0x3000}, 42, mem) ==
        "ioctl(-1, PTP_PIN_SETFUNC, {index=3, func=PTP_PF_PHYSYNC, chan=4}) = 42");

  ptp_sys_offset off{};
  off.n_samples = 1;
  off.ts[0].sec = 0;
  off.ts[1].nsec = 1000000000;
  off.ts[1].reserved = 0xdeadface;
  mem.put(0x4000, off);
  CHECK(call("ioctl", {minus1, PTP_SYS_OFFSET, 0x4000}, -9, mem) ==
        "ioctl(-1, PTP_SYS_OFFSET, {n_samples=1})" + ebadf);
  CHECK(call("ioctl", {minus1, PTP_SYS_OFFSET, 0x4000}, 42, mem) ==
        "ioctl(-1, PTP_SYS_OFFSET, {n_samples=1, ts=[{sec=0, nsec=0}, {sec=0, nsec=1000000000, "
        "reserved=0xdeadface}, "
        "{sec=0, nsec=0}]}) = 42");
  CHECK(call("ioctl", {minus1, PTP_ENABLE_PPS, 0xdeadbeef}, -9, mem) ==
        "ioctl(-1, PTP_ENABLE_PPS, 0xdeadbeef)" + ebadf);
}

TEST_CASE("RTC ioctls: times, alarms, PLL info and parameters", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, RTC_UIE_OFF, 0}, -9, mem) == "ioctl(-1, PHN_NOT_OH or RTC_UIE_OFF)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x7040, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, NVRAM_INIT, 0xdeadbeefbadc0ded)" + ebadf);
  CHECK(call("ioctl", {minus1, RTC_EPOCH_SET, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, RTC_EPOCH_SET, 16045690984232390125)" + ebadf);
  rtc_time t{1, 2, 3, 4, 5, 6, 7, 8, 9};
  mem.put(0x1000, t);
  CHECK(call("ioctl", {minus1, RTC_SET_TIME, 0x1000}, -9, mem) ==
        "ioctl(-1, RTC_SET_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, tm_year=6, ...})" +
            ebadf);
  CHECK(call("ioctl", {minus1, RTC_RD_TIME, 0x1000}, -9, mem) == "ioctl(-1, RTC_RD_TIME, 0x1000)" + ebadf);
  snare::format::options v;
  v.verbose = true;
  CHECK(call("ioctl", {minus1, RTC_RD_TIME, 0x1000}, 0, mem, v) ==
        "ioctl(-1, RTC_RD_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, tm_year=6, tm_wday=7, "
        "tm_yday=8, tm_isdst=9}) = 0");
  rtc_wkalrm wk{};
  wk.enabled = 128;
  wk.pending = 129;
  wk.time = t;
  mem.put(0x2000, wk);
  CHECK(call("ioctl", {minus1, RTC_WKALM_SET, 0x2000}, -9, mem) ==
        "ioctl(-1, RTC_WKALM_SET, {enabled=128, pending=129, time={tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, "
        "tm_mon=5, tm_year=6, ...}})" +
            ebadf);
  rtc_pll_info pll{-1, 2, 3, 4, 5, 6, -7};
  mem.put(0x3000, pll);
  CHECK(
      call("ioctl", {minus1, RTC_PLL_SET, 0x3000}, -9, mem) ==
      "ioctl(-1, RTC_PLL_SET, {pll_ctrl=-1, pll_value=2, pll_max=3, pll_min=4, pll_posmult=5, pll_negmult=6, "
      "pll_clock=-7})" +
          ebadf);
  rtc_param param{};
  param.param = RTC_PARAM_FEATURES;
  param.uvalue = 0xdeadfacebeeffe00ULL | (1u << RTC_FEATURE_ALARM) | (1u << RTC_FEATURE_CORRECTION);
  param.index = 42;
  mem.put(0x4000, param);
  CHECK(call("ioctl", {minus1, RTC_PARAM_SET, 0x4000}, -9, mem) ==
        "ioctl(-1, RTC_PARAM_SET, {param=RTC_PARAM_FEATURES, uvalue=1<<RTC_FEATURE_ALARM|"
        "1<<RTC_FEATURE_CORRECTION|0xdeadfacebeeffe00, index=42})" +
            ebadf);
  CHECK(call("ioctl", {minus1, RTC_PARAM_GET, 0x4000}, -9, mem) ==
        "ioctl(-1, RTC_PARAM_GET, {param=RTC_PARAM_FEATURES, index=42} => 0x4000)" + ebadf);
  param.param = RTC_PARAM_CORRECTION;
  param.svalue = -1337;
  param.__pad = 1;
  mem.put(0x4000, param);
  CHECK(call("ioctl", {minus1, RTC_PARAM_GET, 0x4000}, 0, mem) ==
        "ioctl(-1, RTC_PARAM_GET, {param=RTC_PARAM_CORRECTION, index=42, __pad=0x1} => {svalue=-1337, "
        "__pad=0x1}) = 0");
  std::uint32_t vl = RTC_VL_BACKUP_LOW;
  mem.put(0x5000, vl);
  CHECK(call("ioctl", {minus1, RTC_VL_READ, 0x5000}, 0, mem) ==
        "ioctl(-1, RTC_VL_READ, [RTC_VL_BACKUP_LOW]) = 0");
}

TEST_CASE("loop ioctls: status structs abbreviated unless verbose, fds, numbers", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, LOOP_SET_FD, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, LOOP_SET_FD, -1159983635)" + ebadf);
  CHECK(call("ioctl", {minus1, LOOP_CLR_FD, 0}, -9, mem) == "ioctl(-1, LOOP_CLR_FD)" + ebadf);
  CHECK(call("ioctl", {minus1, LOOP_CTL_ADD, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, LOOP_CTL_ADD, -1159983635)" + ebadf);
  loop_info info{};
  info.lo_number = 7;
  info.lo_offset = static_cast<int>(0xa3a2a1a0);
  info.lo_encrypt_type = static_cast<int>(0xa7a6a5a4);
  info.lo_encrypt_key_size = 1;
  info.lo_flags = static_cast<int>(0xdeface00);
  mem.put(0x1000, info);
  CHECK(call("ioctl", {minus1, LOOP_SET_STATUS, 0x1000}, -9, mem) ==
        "ioctl(-1, LOOP_SET_STATUS, {lo_number=7, lo_offset=0xa3a2a1a0, lo_encrypt_type=0xa7a6a5a4 /* "
        "LO_CRYPT_??? */, lo_encrypt_key_size=1, lo_flags=0xdeface00 /* LO_FLAGS_??? */, lo_name=\"\", "
        "lo_encrypt_key=\"\\0\", ...})" +
            ebadf);
  CHECK(call("ioctl", {minus1, LOOP_GET_STATUS, 0x1000}, -9, mem) ==
        "ioctl(-1, LOOP_GET_STATUS, 0x1000)" + ebadf);
  loop_config config{};
  config.fd = 3;
  config.block_size = 4096;
  config.info.lo_offset = 0x10;
  config.info.lo_number = 2;
  config.info.lo_flags = LO_FLAGS_READ_ONLY;
  std::strcpy(reinterpret_cast<char*>(config.info.lo_file_name), "file");
  mem.put(0x2000, config);
  CHECK(call("ioctl", {minus1, LOOP_CONFIGURE, 0x2000}, -9, mem) ==
        "ioctl(-1, LOOP_CONFIGURE, {fd=3, block_size=4096, info={lo_offset=0x10, lo_number=2, "
        "lo_flags=LO_FLAGS_READ_ONLY, lo_file_name=\"file\", ...}})" +
            ebadf);
}

TEST_CASE("UBI ioctls: volume requests and the number the kernel returns", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, UBI_IOCVOLRMBLK, 0}, -9, mem) == "ioctl(-1, UBI_IOCVOLRMBLK)" + ebadf);
  std::int32_t n = -559038737;
  mem.put(0x1000, n);
  CHECK(call("ioctl", {minus1, UBI_IOCDET, 0x1000}, -9, mem) ==
        "ioctl(-1, UBI_IOCDET, [-559038737])" + ebadf);
  ubi_mkvol_req mk{};
  mk.vol_id = 1;
  mk.alignment = 2;
  mk.bytes = -3;
  mk.vol_type = UBI_STATIC_VOLUME;
  mk.flags = UBI_VOL_SKIP_CRC_CHECK_FLG;
  mk.name_len = 3;
  std::strcpy(mk.name, "vol");
  mem.put(0x2000, mk);
  const std::string req =
      "ioctl(-1, UBI_IOCMKVOL, {vol_id=1, alignment=2, bytes=-3, vol_type=UBI_STATIC_VOLUME, "
      "flags=UBI_VOL_SKIP_CRC_CHECK_FLG, name_len=3, name=\"vol\"}";
  CHECK(call("ioctl", {minus1, UBI_IOCMKVOL, 0x2000}, -9, mem) == req + ")" + ebadf);
  CHECK(call("ioctl", {minus1, UBI_IOCMKVOL, 0x2000}, 0, mem) == req + " => [1]) = 0");
  ubi_map_req map{};
  map.lnum = 5;
  map.dtype = 3;
  mem.put(0x3000, map);
  CHECK(call("ioctl", {minus1, UBI_IOCEBMAP, 0x3000}, -9, mem) ==
        "ioctl(-1, UBI_IOCEBMAP, {lnum=5, dtype=UBI_UNKNOWN})" + ebadf);
}
