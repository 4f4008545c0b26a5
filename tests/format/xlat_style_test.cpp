// Tests strace's -X styles (options::xlat) in every kind of named constant: flag sets,
// enumerations, fds, signals and signal sets, ioctl requests and prctl's composite values.
// Expected lines are strace 6.1's: its tests/*-Xraw.c and *-Xverbose.c, and the traces of
// `strace -X raw|verbose` on Debian bookworm.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include <cstdint>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {

using snare::test::raw;
using snare::test::verbose;

}  // namespace

TEST_CASE(
    "Flags and enumerations print as numbers under strace's -X raw and with their names under -X verbose",
    "[format][xlat]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/ld.so.cache");
  snare::sys::raw_args open_args{static_cast<std::uint64_t>(-100), 0x1000, O_RDONLY | O_CLOEXEC};
  CHECK(call("openat", open_args, 3, mem) ==
        R"(openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3)");
  CHECK(call("openat", open_args, 3, mem, raw) == R"(openat(-100, "/etc/ld.so.cache", 0x80000) = 3)");
  CHECK(call("openat", open_args, 3, mem, verbose) ==
        R"(openat(-100 /* AT_FDCWD */, "/etc/ld.so.cache", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3)");
  // A zero with a name, and one without.
  CHECK(call("openat", {static_cast<std::uint64_t>(-100), 0x1000, 0}, 3, mem, verbose) ==
        R"(openat(-100 /* AT_FDCWD */, "/etc/ld.so.cache", 0 /* O_RDONLY */) = 3)");
  CHECK(call("mprotect", {0x7f0000000000, 4096, PROT_NONE}, 0, mem, verbose) ==
        "mprotect(0x7f0000000000, 4096, 0 /* PROT_NONE */) = 0");
  CHECK(
      call("mmap",
           {0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, static_cast<std::uint64_t>(-1), 0},
           0x7f0000000000, mem, verbose) ==
      "mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = "
      "0x7f0000000000");
  CHECK(
      call("mmap",
           {0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, static_cast<std::uint64_t>(-1), 0},
           0x7f0000000000, mem, raw) == "mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 0x7f0000000000");
  // Enumerations: known, unknown (the default comment stays in verbose, goes in raw).
  CHECK(call("prctl", {0xdeadbeef, 1, 2, 3, 4}, -22, mem, verbose) ==
        "prctl(0xdeadbeef /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {0xdeadbeef, 1, 2, 3, 4}, -22, mem, raw) ==
        "prctl(0xdeadbeef, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)");
  // The style lasts for one call only.
  CHECK(call("openat", open_args, 3, mem) ==
        R"(openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3)");
}

TEST_CASE("The -X styles apply to signals, signal sets and sigaction handlers", "[format][xlat]") {
  fake_memory mem;
  std::uint64_t act[4] = {0 /* SIG_DFL */, 0x4000000 /* SA_RESTORER */, 0x401000, 3ULL << 31};
  mem.put_bytes(0x1000, act, sizeof act);
  snare::sys::raw_args args{SIGQUIT, 0x1000, 0, 8};
  CHECK(call("rt_sigaction", args, 0, mem) ==
        "rt_sigaction(SIGQUIT, {sa_handler=SIG_DFL, sa_mask=[RTMIN RT_1], sa_flags=SA_RESTORER, "
        "sa_restorer=0x401000}, NULL, 8) = 0");
  CHECK(call("rt_sigaction", args, 0, mem, raw) ==
        "rt_sigaction(3, {sa_handler=0, sa_mask=[32 33], sa_flags=0x4000000, sa_restorer=0x401000}, NULL, 8) "
        "= 0");
  CHECK(call("rt_sigaction", args, 0, mem, verbose) ==
        "rt_sigaction(3 /* SIGQUIT */, {sa_handler=0 /* SIG_DFL */, sa_mask=[32 /* RTMIN */ 33 /* RT_1 */], "
        "sa_flags=0x4000000 /* SA_RESTORER */, sa_restorer=0x401000}, NULL, 8) = 0");
}

TEST_CASE("The -X styles apply to ioctl requests", "[format][xlat]") {
  fake_memory mem;
  // tests/ioctl.c's -Xraw and -Xverbose variants.
  CHECK(call("ioctl", {1, 0x5401, 0}, -25, mem, raw) ==
        "ioctl(1, 0x5401, NULL) = -1 ENOTTY (Inappropriate ioctl for device)");
  CHECK(call("ioctl", {1, 0x5401, 0}, -25, mem, verbose) ==
        "ioctl(1, 0x5401 /* TCGETS */, NULL) = -1 ENOTTY (Inappropriate ioctl for device)");
  CHECK(call("ioctl", {1, 0xc0047f01, 0x1000}, -25, mem, verbose) ==
        "ioctl(1, 0xc0047f01 /* _IOC(_IOC_READ|_IOC_WRITE, 0x7f, 0x1, 0x4) */, 0x1000) = -1 ENOTTY "
        "(Inappropriate "
        "ioctl for device)");
}

TEST_CASE("prctl's vector lengths, tagged address modes and PAC keys in each -X style",
          "[format][xlat][prctl]") {
  fake_memory mem;
  // tests/prctl-sve.c (sme is the same with its own names).
  CHECK(call("prctl", {PR_SVE_SET_VL, 0x2ea57}, 0, mem) ==
        "prctl(PR_SVE_SET_VL, PR_SVE_VL_INHERIT|0xea57) = 0");
  CHECK(call("prctl", {PR_SVE_SET_VL, 0xfacefeed}, 0, mem, verbose) ==
        "prctl(0x32 /* PR_SVE_SET_VL */, 0xfacefeed /* "
        "PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0xfac80000|0xfeed */) = 0");
  CHECK(call("prctl", {PR_SVE_SET_VL, 0xdead}, 0, mem, verbose) ==
        "prctl(0x32 /* PR_SVE_SET_VL */, 0xdead) = 0");
  CHECK(call("prctl", {PR_SVE_SET_VL, 0x10000}, 0, mem) == "prctl(PR_SVE_SET_VL, 0x10000|0) = 0");
  CHECK(call("prctl", {PR_SVE_SET_VL, 0x40000}, 0, mem, raw) == "prctl(0x32, 0x40000) = 0");
  CHECK(call("prctl", {PR_SVE_GET_VL, 1, 2, 3, 4}, 0x20010, mem) ==
        "prctl(PR_SVE_GET_VL) = 0x20010 (PR_SVE_VL_INHERIT|0x10)");
  CHECK(call("prctl", {PR_SVE_GET_VL, 1, 2, 3, 4}, 0x20010, mem, raw) == "prctl(0x33) = 0x20010");
  // tests/prctl-tagged-addr.c
  CHECK(call("prctl", {PR_SET_TAGGED_ADDR_CTRL, 0x57ae57f4, 1, 2, 3}, -22, mem) ==
        "prctl(PR_SET_TAGGED_ADDR_CTRL, "
        "!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC|0xcafe<<PR_MTE_TAG_SHIFT|0x57a80000, "
        "0x1, 0x2, 0x3) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_SET_TAGGED_ADDR_CTRL, 0xd, 1, 2, 3}, 0, mem, verbose) ==
        "prctl(0x37 /* PR_SET_TAGGED_ADDR_CTRL */, 0xd /* "
        "PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC|0x1<<PR_MTE_TAG_SHIFT "
        "*/, 0x1, 0x2, 0x3) = 0");
  CHECK(call("prctl", {PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0}, 0, mem) ==
        "prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) = 0 (!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)");
  // tests/prctl-pac-enabled-keys.c and prctl-pac-reset-keys.c
  CHECK(call("prctl", {PR_PAC_SET_ENABLED_KEYS, 0x1e, 0x7ffffff0, 0, 1}, -22, mem, verbose) ==
        "prctl(0x3c /* PR_PAC_SET_ENABLED_KEYS */, 0x1e /* PR_PAC_APIBKEY|PR_PAC_APDAKEY|PR_PAC_APDBKEY|0x10 "
        "*/, "
        "0x7ffffff0 /* PR_PAC_??? */, 0, 0x1) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_PAC_RESET_KEYS, 0xcafe, 1, 2, 3}, -22, mem) ==
        "prctl(PR_PAC_RESET_KEYS, PR_PAC_APIBKEY|PR_PAC_APDAKEY|PR_PAC_APDBKEY|PR_PAC_APGAKEY|0xcae0, 0x1, "
        "0x2, "
        "0x3) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0}, 1, mem, raw) == "prctl(0x3d, 0, 0, 0, 0) = 0x1");
  CHECK(call("prctl", {PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0}, 1, mem, verbose) ==
        "prctl(0x3d /* PR_PAC_GET_ENABLED_KEYS */, 0, 0, 0, 0) = 0x1 (PR_PAC_APIAKEY)");
  // Result comments name known bits only, and never in raw (tests/prctl-securebits.c).
  CHECK(call("prctl", {PR_GET_SECUREBITS}, 0x100, mem) == "prctl(PR_GET_SECUREBITS) = 0x100");
  CHECK(call("prctl", {PR_GET_SECUREBITS}, 0x1, mem, verbose) ==
        "prctl(0x1b /* PR_GET_SECUREBITS */) = 0x1 (SECBIT_NOROOT)");
  CHECK(call("prctl", {PR_GET_SPECULATION_CTRL, 0}, 0, mem) ==
        "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0 (PR_SPEC_NOT_AFFECTED)");
  CHECK(call("prctl", {PR_SET_PTRACER, 0xffffffffffffffffULL}, 0, mem, verbose) ==
        "prctl(0x59616d61 /* PR_SET_PTRACER */, -1 /* PR_SET_PTRACER_ANY */) = 0");
}

TEST_CASE("prctl(PR_SCHED_CORE) names the pid type in a comment and reads the cookie at exit",
          "[format][prctl]") {
  fake_memory mem;
  std::uint64_t cookie = 0xdeadc0debadc0ded;
  mem.put_bytes(0x1000, &cookie, sizeof cookie);
  // tests/prctl-sched-core.c
  CHECK(call("prctl", {PR_SCHED_CORE, 0, 26729, 1, 0x1000}, 0, mem) ==
        "prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 26729, 0x1 /* PIDTYPE_TGID */, [0xdeadc0debadc0ded]) = 0");
  CHECK(call("prctl", {PR_SCHED_CORE, 0, 26729, 1, 0x1000}, -22, mem, raw) ==
        "prctl(0x3e, 0, 26729, 0x1, 0x1000) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_SCHED_CORE, 1, 26729, 0, 0}, 0, mem) ==
        "prctl(PR_SCHED_CORE, PR_SCHED_CORE_CREATE, 26729, 0 /* PIDTYPE_PID */, NULL) = 0");
}

TEST_CASE("Values strace prints symbolically follow -X: limits, I/O priorities, UTIME_*, clock ticks",
          "[format][xlat]") {
  fake_memory mem;
  // tests/setrlimit.c: the symbolic limit is a name.
  const std::uint64_t rl[2] = {8388608, ~std::uint64_t{0}};
  mem.put(0x1000, rl);
  CHECK(call("setrlimit", {3, 0x1000}, 0, mem) ==
        "setrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
  CHECK(call("setrlimit", {3, 0x1000}, 0, mem, raw) ==
        "setrlimit(0x3, {rlim_cur=8388608, rlim_max=18446744073709551615}) = 0");
  CHECK(
      call("setrlimit", {3, 0x1000}, 0, mem, verbose) ==
      "setrlimit(0x3 /* RLIMIT_STACK */, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* "
      "RLIM64_INFINITY */}) = 0");
  // tests/ioprio.c: ioprio_set's priority is signed decimal, ioprio_get's result comment goes in raw.
  CHECK(call("ioprio_set", {2, 27471, 8191}, -22, mem, raw) ==
        "ioprio_set(0x2, 27471, 8191) = -1 EINVAL (Invalid argument)");
  CHECK(call("ioprio_set", {0xfa57beef, 0xda7a1057, 0xfacefeed}, -22, mem, verbose) ==
        "ioprio_set(0xfa57beef /* IOPRIO_WHO_??? */, -629534633, -87097619 /* IOPRIO_PRIO_VALUE(0x7d677 /* "
        "IOPRIO_CLASS_??? */, 7917) */) = -1 EINVAL (Invalid argument)");
  CHECK(call("ioprio_get", {1, 27447}, 0, mem, raw) == "ioprio_get(0x1, 27447) = 0");
  // tests/utimensat.c: UTIME_NOW and UTIME_OMIT.
  const std::int64_t times[4] = {3735928559, (1 << 30) - 1, -3819351491602432273, (1 << 30) - 2};
  mem.put(0x2000, times);
  CHECK(call("utimensat", {static_cast<std::uint64_t>(-100), 0, 0x2000, 0}, -14, mem) ==
        "utimensat(AT_FDCWD, NULL, [UTIME_NOW, UTIME_OMIT], 0) = -1 EFAULT (Bad address)");
  CHECK(call("utimensat", {static_cast<std::uint64_t>(-100), 0, 0x2000, 0}, -14, mem, raw) ==
        "utimensat(-100, NULL, [{tv_sec=3735928559, tv_nsec=1073741823}, {tv_sec=-3819351491602432273, "
        "tv_nsec=1073741822}], 0) = -1 EFAULT (Bad address)");
  CHECK(call("utimensat", {static_cast<std::uint64_t>(-100), 0, 0x2000, 0}, -14, mem, verbose) ==
        "utimensat(-100 /* AT_FDCWD */, NULL, [{tv_sec=3735928559, tv_nsec=1073741823} /* UTIME_NOW */, "
        "{tv_sec=-3819351491602432273, tv_nsec=1073741822} /* UTIME_OMIT */], 0) = -1 EFAULT (Bad address)");
  // tests/times.c: the seconds' comment goes in raw.
  const std::int64_t tms[4] = {31, 58, 51, 99};
  mem.put(0x3000, tms);
  CHECK(call("times", {0x3000}, 1721978794, mem, raw) ==
        "times({tms_utime=31, tms_stime=58, tms_cutime=51, tms_cstime=99}) = 1721978794");
}

TEST_CASE("arch_prctl's xstate masks print in the verbose style unless raw", "[format][xlat]") {
  fake_memory mem;
  const std::uint64_t mask = 0xe7;
  mem.put(0x1000, mask);
  // tests/arch_prctl.c
  CHECK(call("arch_prctl", {0x1021, 0x1000}, 0, mem, raw) == "arch_prctl(0x1021, [0xe7]) = 0");
  CHECK(call("arch_prctl", {0x1021, 0x1000}, 0, mem, verbose) ==
        "arch_prctl(0x1021 /* ARCH_GET_XCOMP_SUPP */, [0xe7 /* "
        "XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512 */]) = 0");
  CHECK(call("arch_prctl", {0x1023, 0x12}, 0, mem, raw) == "arch_prctl(0x1023, 0x12) = 0");
}
