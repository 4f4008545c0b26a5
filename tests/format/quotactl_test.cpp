// Tests quotactl and quotactl_fd (decode/quotactl.hpp) against strace 6.1's
// tests/quotactl.c, quotactl-xfs.c and quotactl_fd.c: QCMD(...), each command's id and data,
// and the structures the call fills in.
#include <catch2/catch.hpp>

#include <cstdint>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
constexpr std::uint64_t qcmd(std::uint32_t cmd, std::uint32_t type) { return (cmd << 8) | type; }
}  // namespace

TEST_CASE("quotactl prints QCMD and each command's arguments as strace", "[format][quotactl]") {
  fake_memory mem;
  mem.put_string(0x1000, "/dev/bogus/");
  mem.put_string(0x2000, "/tmp/bogus/");
  CHECK(
      call("quotactl", {qcmd(0x800002, 0), 0x1000, 1, 0x2000}, -2, mem) ==
      R"(quotactl(QCMD(Q_QUOTAON, USRQUOTA), "/dev/bogus/", QFMT_VFS_OLD, "/tmp/bogus/") = -1 ENOENT (No such file or directory))");
  CHECK(call("quotactl", {qcmd(0x800003, 2), 0, 0, 0}, -19, mem) ==
        "quotactl(QCMD(Q_QUOTAOFF, PRJQUOTA), NULL) = -1 ENODEV (No such device)");
  CHECK(call("quotactl", {0xbadc0ded, 0x3000, 0xca7faced, 0x4000}, -22, mem) ==
        "quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), 0x3000, 3397364973, 0x4000) = -1 EINVAL "
        "(Invalid argument)");
  std::uint64_t dq[9] = {1, 2, 3, 4, 5, 6, 7, 8, 0x3f};
  mem.put_bytes(0x5000, dq, sizeof dq);
  CHECK(
      call("quotactl", {qcmd(0x800007, 0), 0x1000, 0xffffffff, 0x5000}, 0, mem) ==
      R"(quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/dev/bogus/", -1, {dqb_bhardlimit=1, dqb_bsoftlimit=2, dqb_curspace=3, dqb_ihardlimit=4, dqb_isoftlimit=5, dqb_curinodes=6, ...}) = 0)");
  std::uint32_t fmt = 2;
  mem.put_bytes(0x6000, &fmt, 4);
  CHECK(call("quotactl", {qcmd(0x800004, 1), 0x1000, 0, 0x6000}, 0, mem) ==
        R"(quotactl(QCMD(Q_GETFMT, GRPQUOTA), "/dev/bogus/", [QFMT_VFS_V0]) = 0)");
  CHECK(
      call("quotactl", {qcmd(0x800004, 1), 0x1000, 0, 0x6000}, -2, mem) ==
      R"(quotactl(QCMD(Q_GETFMT, GRPQUOTA), "/dev/bogus/", 0x6000) = -1 ENOENT (No such file or directory))");
  snare::format::options verbose;
  verbose.xlat = snare::format::xlat_style::verbose;
  CHECK(call("quotactl", {qcmd(0x800003, 0), 0, 0, 0}, -19, mem, verbose) ==
        "quotactl(2147484416 /* QCMD(Q_QUOTAOFF, USRQUOTA) */, NULL) = -1 ENODEV (No such device)");
  CHECK(call("quotactl_fd", {3, qcmd(0x800004, 0), 0, 0x6000}, -38, mem) ==
        "quotactl_fd(3, QCMD(Q_GETFMT, USRQUOTA), 0x6000) = -1 ENOSYS (Function not implemented)");
}
