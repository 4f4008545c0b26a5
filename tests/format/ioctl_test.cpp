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
  CHECK(request(FICLONE) == "FICLONE");
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
