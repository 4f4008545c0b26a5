// Tests ioctl's table of argument forms (decode/ioctl.hpp): every entry's request has the
// name the generated table gives it, and each form prints as strace 6.1's tests expect
// (tests/ioctl_termios.c, ioctl_tiocm.c, ioctl_nsfs.c, ioctl_watchdog.c, ioctl_perf.c,
// ioctl_random.c, ioctl_lirc.c, ioctl_fs_f.c, ioctl_inotify.c).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;
}  // namespace

TEST_CASE("Every ioctl form names its request as the generated table does", "[format][ioctl]") {
  for (const auto& f : d::ioctl_forms) {
    std::string name;
    d::put_ioctl_name(name, f.request);
    INFO(f.name << " = " << std::hex << f.request << " is named " << name);
    // A value the headers give several names prints them all: `A or B`.
    CHECK((" or " + name + " or ").find(" or " + std::string(f.name) + " or ") != std::string::npos);
  }
}

TEST_CASE("ioctls without an argument, with an int, or with a pointer to one print as strace's",
          "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, 0xb701, 0}, -9, mem) == "ioctl(-1, NS_GET_USERNS)" + ebadf);
  CHECK(call("ioctl", {5, 0xb703, 0}, 0x10000000, mem) ==
        "ioctl(5, NS_GET_NSTYPE) = 268435456 (CLONE_NEWUSER)");
  std::uint32_t zero = 0, timeout = 123;
  mem.put_bytes(0x1000, &zero, 4);
  mem.put_bytes(0x2000, &timeout, 4);
  CHECK(call("ioctl", {5, 0xb704, 0x1000}, 0, mem) == "ioctl(5, NS_GET_OWNER_UID, [0]) = 0");
  CHECK(call("ioctl", {minus1, 0xb704, 0}, -9, mem) == "ioctl(-1, NS_GET_OWNER_UID, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, 0xc0045706, 0x2000}, -9, mem) == "ioctl(-1, WDIOC_SETTIMEOUT, [123])" + ebadf);
  CHECK(call("ioctl", {minus1, 0x80045705, 0}, -9, mem) == "ioctl(-1, WDIOC_KEEPALIVE)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40044900, 0xdeadbeefbadc0ded}, -9, mem) ==
        "ioctl(-1, INOTIFY_IOC_SETNEXTWD, -1159983635)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x2400, 1}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x2400, 2}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_ENABLE, 0x2 /* PERF_IOC_FLAG_??? */)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40042409, 0xdeadbeefbadc0ded}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_PAUSE_OUTPUT, 16045690984232390125)" + ebadf);
  mem.put_string(0x3000, "89abcdef0123456789abcdef");
  CHECK(call("ioctl", {minus1, 0x40082406, 0x3000}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_SET_FILTER, \"89abcdef0123456789abcdef\")" + ebadf);
  CHECK(call("ioctl", {minus1, 0x80082407, 0}, -9, mem) == "ioctl(-1, PERF_EVENT_IOC_ID, NULL)" + ebadf);
}

TEST_CASE("ioctl flags and enumerations behind pointers: modem lines, inode flags, lirc modes",
          "[format][ioctl]") {
  fake_memory mem;
  std::uint32_t modem = 0xe1ff, unknown = 0xffff1e00, mode = 4, fl = 0xd000000;
  mem.put_bytes(0x1000, &modem, 4);
  mem.put_bytes(0x2000, &unknown, 4);
  mem.put_bytes(0x3000, &mode, 4);
  mem.put_bytes(0x4000, &fl, 4);
  CHECK(call("ioctl", {minus1, 0x5416, 0x1000}, -9, mem) ==
        "ioctl(-1, TIOCMBIS, "
        "[TIOCM_LE|TIOCM_DTR|TIOCM_RTS|TIOCM_ST|TIOCM_SR|TIOCM_CTS|TIOCM_CAR|TIOCM_RNG|TIOCM_DSR|"
        "TIOCM_OUT1|TIOCM_OUT2|TIOCM_LOOP])" +
            ebadf);
  CHECK(call("ioctl", {minus1, 0x5418, 0x2000}, -9, mem) ==
        "ioctl(-1, TIOCMSET, [0xffff1e00 /* TIOCM_??? */])" + ebadf);
  CHECK(call("ioctl", {minus1, 0x5415, 0}, -9, mem) == "ioctl(-1, TIOCMGET, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40046912, 0x3000}, -9, mem) ==
        "ioctl(-1, LIRC_SET_REC_MODE, [LIRC_MODE_MODE2])" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40086602, 0x4000}, -9, mem) ==
        "ioctl(-1, FS_IOC_SETFLAGS, [0xd000000 /* FS_???_FL */])" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40086602, 0x4000}, -9, mem, [] {
          snare::format::options o;
          o.xlat = snare::format::xlat_style::raw;
          return o;
        }()) == "ioctl(-1, 0x40086602, [0xd000000])" + ebadf);
}

TEST_CASE("ioctl's termio and termios2 structs print as strace's term.c", "[format][ioctl]") {
  fake_memory mem;
  // tests/ioctl_termios.c's termio: 16-bit flags.
  std::uint16_t tio_flags[4] = {0x4001 /* IGNBRK|IUTF8 */, 04005 /* OPOST|ONLCR|... */, 0102 /* B75|... */,
                                0};
  unsigned char tio[18] = {};
  std::memcpy(tio, tio_flags, sizeof tio_flags);
  mem.put_bytes(0x1000, tio, sizeof tio);
  CHECK(
      call("ioctl", {3, 0x5406, 0x1000}, 0, mem) ==
      "ioctl(3, TCSETA, {c_iflag=IGNBRK|IUTF8, c_oflag=NL0|CR0|TAB1|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B75|CS5|"
      "CSTOPB, c_lflag=0, ...}) = 0");
  CHECK(call("ioctl", {3, 0x5405, 0}, -14, mem) == "ioctl(3, TCGETA, NULL) = -1 EFAULT (Bad address)");
  // termios2: with -v the speeds follow the control characters.
  unsigned char t2[44] = {};
  std::uint32_t speeds[2] = {3435907785u, 3503279821u};
  std::memcpy(t2 + 36, speeds, sizeof speeds);
  mem.put_bytes(0x2000, t2, sizeof t2);
  snare::format::options v;
  v.verbose = true;
  std::string line = call("ioctl", {3, 0x402c542b, 0x2000}, 0, mem, v);
  CHECK(line.find("ioctl(3, TCSETS2, {c_iflag=0, ") == 0);
  CHECK(line.find("[VEOL2]=0, [17]=0, [18]=0], c_ispeed=3435907785, c_ospeed=3503279821}) = 0") !=
        std::string::npos);
}

TEST_CASE("RNDADDENTROPY prints its pool's counts and buffer", "[format][ioctl]") {
  fake_memory mem;
  unsigned char pool[16] = {3, 0, 0, 0, 8, 0, 0, 0, '1', '2', '3', '4', '5', '6', '7', '8'};
  mem.put_bytes(0x1000, pool, sizeof pool);
  CHECK(call("ioctl", {minus1, 0x40085203, 0x1000}, -9, mem) ==
        "ioctl(-1, RNDADDENTROPY, {entropy_count=3, buf_size=8, buf=\"12345678\"})" + ebadf);
  CHECK(call("ioctl", {minus1, 0x40085203, 0}, -9, mem) == "ioctl(-1, RNDADDENTROPY, NULL)" + ebadf);
}

TEST_CASE("FITRIM, the fsxattr requests and COUNTER_ADD_WATCH_IOCTL print their structs", "[format][ioctl]") {
  fake_memory mem;
  std::uint64_t range[3] = {0xdeadbeefcafef00d, 18072662651678146782u, 13464652301225279710u};
  mem.put_bytes(0x1000, range, sizeof range);
  CHECK(
      call("ioctl", {minus1, 0xc0185879, 0x1000}, -9, mem) ==
      "ioctl(-1, FITRIM, {start=0xdeadbeefcafef00d, len=18072662651678146782, minlen=13464652301225279710})" +
          ebadf);
  std::uint32_t xattr[7] = {0x7ffe0004, 3735928559u, 0, 0xcafef00d, 3133063390u, 0, 0};
  mem.put_bytes(0x2000, xattr, sizeof xattr);
  CHECK(call("ioctl", {minus1, 0x401c5820, 0x2000}, -9, mem) ==
        "ioctl(-1, FS_IOC_FSSETXATTR, {fsx_xflags=0x7ffe0004 /* FS_XFLAG_??? */, fsx_extsize=3735928559, "
        "fsx_projid=0xcafef00d, fsx_cowextsize=3133063390})" +
            ebadf);
  // The padding is part of the struct: a struct cut short by an unmapped page is an address.
  mem.put_bytes(0x3000, xattr, 20);
  CHECK(call("ioctl", {minus1, 0x401c5820, 0x3000}, -9, mem) ==
        "ioctl(-1, FS_IOC_FSSETXATTR, 0x3000)" + ebadf);
  unsigned char watch[6] = {5, 2, 23, 42, 6, 69};
  mem.put_bytes(0x4000, watch, sizeof watch);
  CHECK(call("ioctl", {minus1, 0x40063e00, 0x4000}, -9, mem) ==
        "ioctl(-1, COUNTER_ADD_WATCH_IOCTL, {component={type=COUNTER_COMPONENT_EXTENSION, "
        "scope=COUNTER_SCOPE_COUNT, parent=23, id=42}, event=COUNTER_EVENT_CAPTURE, channel=69})" +
            ebadf);
  CHECK(call("ioctl", {minus1, 0x3e01, 0}, -9, mem) == "ioctl(-1, COUNTER_ENABLE_EVENTS_IOCTL)" + ebadf);
}
