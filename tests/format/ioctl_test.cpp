// Tests ioctl request names: every request the kernel's headers define (tty, fs, block,
// loop, sockets, namespaces, perf, ...) by name, from the generated table, and _IOC(...)
// for the rest. Expected lines follow strace 6.1 (tests/ioctl.c, ioctl_block.c, ioctl_loop.c).
#include <catch2/catch.hpp>

#include <asm/ioctls.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/nsfs.h>
#include <linux/perf_event.h>
#include <linux/random.h>
#include <linux/sockios.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
std::string request(std::uint64_t v) {
  std::string out;
  d::put_ioctl_request(out, v);
  return out;
}
}  // namespace

TEST_CASE("ioctl requests of the tty, fs, block, loop and other headers print by name", "[format][ioctl]") {
  CHECK(request(TCGETS) == "TCGETS");
  CHECK(request(TIOCGWINSZ) == "TIOCGWINSZ");
  CHECK(request(FIONBIO) == "FIONBIO");
  CHECK(request(BLKGETSIZE64) == "BLKGETSIZE64");
  CHECK(request(BLKSSZGET) == "BLKSSZGET");
  CHECK(request(FS_IOC_GETFLAGS) == "FS_IOC_GETFLAGS");
  // linux/btrfs.h names it too (strace, tests/btrfs.c: `BTRFS_IOC_CLONE or FICLONE`).
  CHECK(request(FICLONE) == "BTRFS_IOC_CLONE or FICLONE");
  CHECK(request(LOOP_GET_STATUS64) == "LOOP_GET_STATUS64");
  CHECK(request(LOOP_CTL_GET_FREE) == "LOOP_CTL_GET_FREE");
  CHECK(request(SIOCGIFCONF) == "SIOCGIFCONF");
  CHECK(request(NS_GET_USERNS) == "NS_GET_USERNS");
  CHECK(request(PERF_EVENT_IOC_ENABLE) == "PERF_EVENT_IOC_ENABLE");
  CHECK(request(RNDGETENTCNT) == "RNDGETENTCNT");
  // The register's high half is not part of the request (an unsigned int).
  CHECK(request(0xffffffff00000000ULL | TCGETS) == "TCGETS");
}

TEST_CASE("The ioctl table is sorted and every name has its header's value", "[format][ioctl]") {
  CHECK(std::is_sorted(std::begin(d::ioctl_names), std::end(d::ioctl_names),
                       [](const d::xlat_entry& a, const d::xlat_entry& b) { return a.value < b.value; }));
  CHECK(std::size(d::ioctl_names) > 400);
  auto value_of = [](std::string_view name) -> std::uint64_t {
    for (const auto& e : d::ioctl_names)
      if (e.name == name) return e.value;
    return ~0ULL;
  };
  CHECK(value_of("BLKDISCARD") == BLKDISCARD);
  CHECK(value_of("FIDEDUPERANGE") == FIDEDUPERANGE);
  CHECK(value_of("TIOCSPTLCK") == TIOCSPTLCK);
}

TEST_CASE("An ioctl call prints its request by name and an unknown one as _IOC", "[format][ioctl]") {
  fake_memory mem;
  // strace: ioctl(-1, BLKGETSIZE64, 0x7ffd...) = -1 EBADF (Bad file descriptor)
  CHECK(call("ioctl", {~0ULL, BLKGETSIZE64, 0x7ffd0000}, -9, mem) ==
        "ioctl(-1, BLKGETSIZE64, 0x7ffd0000) = -1 EBADF (Bad file descriptor)");
  // strace (tests/ioctl.c): ioctl(-1, _IOC(_IOC_READ, 0xde, 0xad, 0x8), 0x...) = -1 EBADF
  CHECK(call("ioctl", {~0ULL, 0x8008dead, 0x1000}, -9, mem) ==
        "ioctl(-1, _IOC(_IOC_READ, 0xde, 0xad, 0x8), 0x1000) = -1 EBADF (Bad file descriptor)");
}

TEST_CASE("The tty ioctls print struct termios, struct winsize and ints as strace's term.c",
          "[format][ioctl]") {
  fake_memory mem;
  struct {
    std::uint32_t iflag, oflag, cflag, lflag;
    std::uint8_t line, cc[19];
  } tio{0x500,  0x5, 0xbf,
        0x8a3b, 0,   {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16}};
  mem.put(0x1000, tio);
  // strace: ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR,
  //         c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0
  const std::string flags =
      "{c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, "
      "c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE";
  CHECK(call("ioctl", {0, TCGETS, 0x1000}, 0, mem) == "ioctl(0, TCGETS, " + flags + ", ...}) = 0");
  // strace names 0x5403 after both headers that define it (linux/soundcard.h and asm/ioctls.h).
  CHECK(call("ioctl", {0, TCSETSW, 0x1000}, 0, mem) ==
        "ioctl(0, SNDCTL_TMR_STOP or TCSETSW, " + flags + ", ...}) = 0");
  CHECK(call("ioctl", {1, TCGETS, 0x1000}, -25, mem) ==
        "ioctl(1, TCGETS, 0x1000) = -1 ENOTTY (Inappropriate ioctl for device)");
  snare::format::options v;
  v.verbose = true;
  CHECK(call("ioctl", {0, TCGETS, 0x1000}, 0, mem, v) ==
        "ioctl(0, TCGETS, " + flags +
            ", c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, "
            "[VTIME]=0, "
            "[VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, "
            "[VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}) = 0");
  std::uint16_t ws[4] = {24, 80, 0, 0};
  mem.put(0x2000, ws);
  CHECK(call("ioctl", {0, TIOCGWINSZ, 0x2000}, 0, mem) ==
        "ioctl(0, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0");
  mem.put<std::int32_t>(0x3000, 5);
  CHECK(call("ioctl", {3, FIONREAD, 0x3000}, 0, mem) == "ioctl(3, FIONREAD, [5]) = 0");
  CHECK(call("ioctl", {3, FIONBIO, 0x3000}, 0, mem) == "ioctl(3, FIONBIO, [5]) = 0");
  CHECK(call("ioctl", {3, FIOCLEX, 0}, 0, mem) == "ioctl(3, FIOCLEX) = 0");
  CHECK(call("ioctl", {3, TCFLSH, 0}, 0, mem) == "ioctl(3, TCFLSH, TCIFLUSH) = 0");
  CHECK(call("ioctl", {3, TIOCSCTTY, 0}, 0, mem) == "ioctl(3, TIOCSCTTY, 0) = 0");
}
