// Tests the small decoders strace has for pkey_alloc, pkey_mprotect, setns, unshare,
// userfaultfd, fanotify_init, swapon and settimeofday's struct timezone. Expected lines are
// strace 6.1's, from its tests of the same names (xettimeofday.c for the timezone).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("flag arguments print in the width and with the names strace gives them", "[format][flags]") {
  fake_memory mem;
  CHECK(call("pkey_alloc", {0, 0xbadc0ded00000002}, -22, mem) ==
        "pkey_alloc(0, PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)");
  CHECK(call("pkey_mprotect", {0, 0, 0xdeadfeed00ca7500, 0}, 0, mem) ==
        "pkey_mprotect(NULL, 0, 0xdeadfeed00ca7500 /* PROT_??? */, 0) = 0");
  CHECK(call("setns", {0xdeadbeef, 0x80}, -9, mem) ==
        "setns(-559038737, CLONE_NEWTIME) = -1 EBADF (Bad file descriptor)");
  // setns' type is a C int: the upper half of the register does not count.
  CHECK(call("setns", {0xdeadbeef, 0xdefaced00000000}, -9, mem) ==
        "setns(-559038737, 0) = -1 EBADF (Bad file descriptor)");
  // unshare has no exit signal in its low byte, and its flags are 64 bits.
  CHECK(call("unshare", {0xbadc0ded0000000f}, -22, mem) ==
        "unshare(0xbadc0ded0000000f /* CLONE_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(call("userfaultfd", {0x800}, 4, mem) == "userfaultfd(O_NONBLOCK) = 4");
  CHECK(call("fanotify_init", {0, 0}, 3, mem) == "fanotify_init(FAN_CLASS_NOTIF, O_RDONLY) = 3");
  CHECK(call("fanotify_init", {0x80000005, 0}, -22, mem) ==
        "fanotify_init(FAN_CLASS_CONTENT|FAN_CLOEXEC|0x80000000, O_RDONLY) = -1 EINVAL (Invalid argument)");
  mem.put_string(0x100, "swap.sample");
  CHECK(call("swapon", {0x100, 42}, -2, mem) ==
        "swapon(\"swap.sample\", 42) = -1 ENOENT (No such file or directory)");
  CHECK(call("swapon", {0x100, 0x8000}, -2, mem) ==
        "swapon(\"swap.sample\", SWAP_FLAG_PREFER|0) = -1 ENOENT (No such file or directory)");
}

TEST_CASE("settimeofday prints its struct timezone", "[format][time]") {
  fake_memory mem;
  const std::int32_t tz[2] = {0, 0};
  mem.put(0x200, tz);
  CHECK(call("settimeofday", {0, 0x200}, -22, mem) ==
        "settimeofday(NULL, {tz_minuteswest=0, tz_dsttime=0}) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("keyctl's key serials, request-key defaults and errors follow -X", "[format][key][xlat]") {
  fake_memory mem;
  snare::format::options raw;
  raw.xlat = snare::format::xlat_style::raw;
  snare::format::options verbose;
  verbose.xlat = snare::format::xlat_style::verbose;
  CHECK(call("keyctl", {0, 0xffffffff, 0xbb40e64d, 0, 0}, 545895972, mem, raw) ==
        "keyctl(0, -1, -1153374643) = 545895972");
  CHECK(call("keyctl", {3, 0xfffffffa, 0, 0, 0}, -22, mem, verbose) ==
        "keyctl(0x3 /* KEYCTL_REVOKE */, -6 /* KEY_SPEC_GROUP_KEYRING */) = -1 EINVAL (Invalid argument)");
  CHECK(call("keyctl", {14, 0xffffffff, 0, 0, 0}, 0, mem, verbose) ==
        "keyctl(0xe /* KEYCTL_SET_REQKEY_KEYRING */, -1 /* KEY_REQKEY_DEFL_NO_CHANGE */) = 0");
  CHECK(call("keyctl", {19, 0xdec0ded2, 0xbadc0ded, 19, 0xdec0ded2}, -1, mem, verbose) ==
        "keyctl(0x13 /* KEYCTL_REJECT */, -557785390, 3134983661, 19 /* ENODEV */, -557785390) = -1 EPERM "
        "(Operation not permitted)");
}

TEST_CASE("mincore prints a residency bit per page and getcwd its whole path", "[format][memory]") {
  fake_memory mem;
  const unsigned char vec[2] = {1, 1};
  mem.put(0x1000, vec);
  CHECK(call("mincore", {0x7000, 4097, 0x1000}, 0, mem) == "mincore(0x7000, 4097, [1, 1]) = 0");
  mem.put_string(0x2000, "/root/.cache/snare/strace-suite/trees/x");
  CHECK(call("getcwd", {0x2000, 4097}, 40, mem) ==
        "getcwd(\"/root/.cache/snare/strace-suite/trees/x\", 4097) = 40");
  CHECK(call("getcwd", {0x2000, 1}, -34, mem) ==
        "getcwd(0x2000, 1) = -1 ERANGE (Numerical result out of range)");
}

TEST_CASE("syslog prints its action and console level in decimal with their names", "[format][syslog]") {
  fake_memory mem;
  CHECK(call("syslog", {0xfeedbeef, 0, 0xffffffff}, -22, mem) ==
        "syslog(-17973521 /* SYSLOG_ACTION_??? */, NULL, -1) = -1 EINVAL (Invalid argument)");
  CHECK(call("syslog", {8, 0xfacefeeddeadbeef, 8}, 0, mem) ==
        "syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, 0xfacefeeddeadbeef, 8 /* LOGLEVEL_DEBUG+1 */) = 0");
  CHECK(call("syslog", {8, 0xfacefeeddeadbeef, 9}, -22, mem) ==
        "syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, 0xfacefeeddeadbeef, 9 /* LOGLEVEL_??? */) = -1 EINVAL "
        "(Invalid argument)");
  mem.put_string(0x1000, "abc", false);
  CHECK(call("syslog", {3, 0x1000, 64}, 3, mem) == "syslog(3 /* SYSLOG_ACTION_READ_ALL */, \"abc\", 64) = 3");
  CHECK(call("syslog", {1, 0, 0}, 0, mem) == "syslog(1 /* SYSLOG_ACTION_OPEN */) = 0");
}
