// Tests the flag sets strace 6.1 names where snare printed hex, and the calls whose
// argument list depends on a flag (expected lines from strace 6.1's tests: mlockall.c,
// fsopen.c, fspick.c, open_tree.c, landlock_create_ruleset.c, finit_module.c,
// delete_module.c, perf_event_open.c, sync_file_range.c, linkat.c, unlinkat.c, wait4.c,
// waitid.c, mmap.c, preadv2-pwritev2.c).
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("Flags of the mount API, landlock and modules print by name", "[format][flags]") {
  fake_memory mem;
  CHECK(call("mlockall", {2}, 0, mem) == "mlockall(MCL_FUTURE) = 0");
  CHECK(call("mlockall", {0xffffffff00000001ULL}, 0, mem) == "mlockall(MCL_CURRENT) = 0");
  CHECK(call("fsopen", {0, 1}, -14, mem) == "fsopen(NULL, FSOPEN_CLOEXEC) = -1 EFAULT (Bad address)");
  CHECK(call("fsopen", {0, 2}, -22, mem) ==
        "fsopen(NULL, 0x2 /* FSOPEN_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(call("fsopen", {0, 0xffffffff}, -22, mem) ==
        "fsopen(NULL, FSOPEN_CLOEXEC|0xfffffffe) = -1 EINVAL (Invalid argument)");
  CHECK(call("fspick", {static_cast<std::uint64_t>(-1), 0, 0xf}, -14, mem) ==
        "fspick(-1, NULL, FSPICK_CLOEXEC|FSPICK_SYMLINK_NOFOLLOW|FSPICK_NO_AUTOMOUNT|FSPICK_EMPTY_PATH) = -1 "
        "EFAULT (Bad address)");
  CHECK(call("open_tree", {static_cast<std::uint64_t>(-1), 0, 1}, -14, mem) ==
        "open_tree(-1, NULL, OPEN_TREE_CLONE) = -1 EFAULT (Bad address)");
  CHECK(
      call("open_tree", {static_cast<std::uint64_t>(-1), 0, 0x80001 | 0x100}, -14, mem) ==
      "open_tree(-1, NULL, OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_SYMLINK_NOFOLLOW) = -1 EFAULT (Bad address)");
  CHECK(call("landlock_create_ruleset", {0, 0, 1}, 7, mem) ==
        "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) = 7");
  CHECK(call("landlock_create_ruleset", {0, 0, 0xbadfaced}, -22, mem) ==
        "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION|0xbadfacec) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(call("finit_module", {3, 0, 0xdefaced0}, -38, mem) ==
        "finit_module(3, NULL, 0xdefaced0 /* MODULE_INIT_??? */) = -1 ENOSYS (Function not implemented)");
  CHECK(call("finit_module", {3, 0, 0xfffffffd}, -38, mem) ==
        "finit_module(3, NULL, MODULE_INIT_IGNORE_MODVERSIONS|MODULE_INIT_COMPRESSED_FILE|0xfffffff8) = -1 "
        "ENOSYS (Function not implemented)");
  CHECK(call("delete_module", {0, 0xfacef157}, -38, mem) ==
        "delete_module(NULL, 0xfacef157 /* O_??? */) = -1 ENOSYS (Function not implemented)");
  CHECK(call("delete_module", {0, 0xdeade71c}, -38, mem) ==
        "delete_module(NULL, O_TRUNC|0xdeade51c) = -1 ENOSYS (Function not implemented)");
  CHECK(call("sync_file_range", {static_cast<std::uint64_t>(-1), 0, 0, 0xffffffff}, -9, mem) ==
        "sync_file_range(-1, 0, 0, "
        "SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE|SYNC_FILE_RANGE_WAIT_AFTER|"
        "0xfffffff8) = -1 EBADF (Bad file descriptor)");
}

TEST_CASE("perf_event_open's flags are an unsigned long", "[format][flags]") {
  fake_memory mem;
  // strace: perf_event_open(NULL, -87101427, -1160070233, -1, PERF_FLAG_FD_NO_GROUP|...|0xfffffffffffffff0)
  CHECK(call("perf_event_open",
             {0, static_cast<std::uint64_t>(-87101427LL), static_cast<std::uint64_t>(-1160070233LL), ~0ULL,
              ~0ULL},
             -22, mem) ==
        "perf_event_open(NULL, -87101427, -1160070233, -1, PERF_FLAG_FD_NO_GROUP|PERF_FLAG_FD_OUTPUT|"
        "PERF_FLAG_PID_CGROUP|PERF_FLAG_FD_CLOEXEC|0xfffffffffffffff0) = -1 EINVAL (Invalid argument)");
  CHECK(call("perf_event_open", {0, 0, 0, ~0ULL, 8}, -22, mem) ==
        "perf_event_open(NULL, 0, 0, -1, PERF_FLAG_FD_CLOEXEC) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("The AT_ flags are strace's at_flags; statx names its sync bits itself", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "a");
  mem.put_string(0x2000, "b");
  // strace: unlinkat(AT_FDCWD, "a", AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|...|AT_RECURSIVE|0xffff60ff)
  CHECK(call("unlinkat", {static_cast<std::uint64_t>(-100), 0x1000, 0xffffffff}, -22, mem) ==
        R"(unlinkat(AT_FDCWD, "a", AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|)"
        "AT_EMPTY_PATH|AT_RECURSIVE|0xffff60ff) = -1 EINVAL (Invalid argument)");
  CHECK(call("unlinkat", {static_cast<std::uint64_t>(-100), 0x1000, 0x200}, 0, mem) ==
        R"(unlinkat(AT_FDCWD, "a", AT_REMOVEDIR) = 0)");
  CHECK(call("linkat",
             {static_cast<std::uint64_t>(-100), 0x1000, static_cast<std::uint64_t>(-100), 0x2000, 0x6000},
             -22, mem) ==
        R"(linkat(AT_FDCWD, "a", AT_FDCWD, "b", 0x6000 /* AT_??? */) = -1 EINVAL (Invalid argument))");
  CHECK(
      call("statx", {static_cast<std::uint64_t>(-100), 0x1000, 0x2100, 0, 0}, -14, mem) ==
      R"(statx(AT_FDCWD, "a", AT_STATX_FORCE_SYNC|AT_SYMLINK_NOFOLLOW, 0, NULL) = -1 EFAULT (Bad address))");
}

TEST_CASE("wait options name WSTOPPED, as strace's wait4_options", "[format][flags]") {
  fake_memory mem;
  // strace: wait4(-1, NULL, WNOHANG|WSTOPPED|__WALL, NULL) = -1 ECHILD (No child processes)
  CHECK(call("wait4", {static_cast<std::uint64_t>(-1), 0, 0x40000003, 0}, -10, mem) ==
        "wait4(-1, NULL, WNOHANG|WSTOPPED|__WALL, NULL) = -1 ECHILD (No child processes)");
  CHECK(call("wait4", {static_cast<std::uint64_t>(-1), 0, 0xe000000f, 0}, -22, mem) ==
        "wait4(-1, NULL, WNOHANG|WEXITED|WSTOPPED|WCONTINUED|__WCLONE|__WALL|__WNOTHREAD, NULL) = -1 EINVAL "
        "(Invalid argument)");
}

TEST_CASE("mremap shows new_address only with MREMAP_MAYMOVE|MREMAP_FIXED", "[format][flags]") {
  fake_memory mem;
  // strace's tests/mmap.c: mremap(0xfacefeed000, 24576, 12288, 0) = 0xfacefeed000
  CHECK(call("mremap", {0xfacefeed000, 24576, 12288, 0, 0}, 0xfacefeed000, mem) ==
        "mremap(0xfacefeed000, 24576, 12288, 0) = 0xfacefeed000");
  CHECK(call("mremap", {0xfacefeed000, 24576, 12288, 1, 0x1000}, 0xfacefeed000, mem) ==
        "mremap(0xfacefeed000, 24576, 12288, MREMAP_MAYMOVE) = 0xfacefeed000");
  CHECK(call("mremap", {0xfacefeed000, 24576, 12288, 3, 0x1000}, 0x1000, mem) ==
        "mremap(0xfacefeed000, 24576, 12288, MREMAP_MAYMOVE|MREMAP_FIXED, 0x1000) = 0x1000");
}

TEST_CASE("preadv2 and pwritev2 show the RWF_ flags fifth, without pos_h", "[format][flags]") {
  fake_memory mem;
  // strace's tests/preadv2-pwritev2.c: preadv2(-1, NULL, %lu, %lld, RWF_HIPRI) = -1 EBADF (...)
  CHECK(call("preadv2",
             {~0ULL, 0, 0xfacefeed00000000ULL | 0xdeadbeef0ULL, 8846757241787236088ULL, 0xbadc0ded, 1}, -9,
             mem) ==
        "preadv2(-1, NULL, 18072662652485365488, 8846757241787236088, RWF_HIPRI) = -1 EBADF "
        "(Bad file descriptor)");
  CHECK(call("pwritev2", {1, 0x1000, 0, 0, 0, 0}, 0, mem) == "pwritev2(1, [], 0, 0, 0) = 0");
  CHECK(call("pwritev2", {1, 0, 0, 0, 0, 0x20}, -22, mem) ==
        "pwritev2(1, NULL, 0, 0, 0x20 /* RWF_??? */) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("kcmp names its type and shows the indexes that type compares", "[format][flags]") {
  fake_memory mem;
  // strace's tests/kcmp.c
  CHECK(call("kcmp",
             {0xfaceca57facec0deULL & 0xffffffff00000000ULL | static_cast<std::uint32_t>(-87158697),
              0xbadc0ded00000000ULL | static_cast<std::uint32_t>(-553988398), 0xda7adead,
              0xdec0ded3dec0ded4ULL, 0xba5e1e55deadc0deULL},
             -3, mem) ==
        "kcmp(-87158697, -553988398, 0xda7adead /* KCMP_??? */, 0xdec0ded3dec0ded4, 0xba5e1e55deadc0de) = -1 "
        "ESRCH (No such process)");
  CHECK(call("kcmp", {6666, 6666, 0, 23, 42}, 1, mem) == "kcmp(6666, 6666, KCMP_FILE, 23, 42) = 1");
  CHECK(call("kcmp", {~0ULL, ~0ULL, 1, 23, 42}, -3, mem) ==
        "kcmp(-1, -1, KCMP_VM) = -1 ESRCH (No such process)");
  const std::uint32_t slot[3] = {23, 42, 0};
  mem.put(0x1000, slot);
  CHECK(call("kcmp", {6666, ~0ULL, 7, 23, 0x1000}, -3, mem) ==
        "kcmp(6666, -1, KCMP_EPOLL_TFD, 23, {efd=23, tfd=42, toff=0}) = -1 ESRCH (No such process)");
  CHECK(call("kcmp", {6666, ~0ULL, 7, 23, 0x1001}, -3, mem) ==
        "kcmp(6666, -1, KCMP_EPOLL_TFD, 23, 0x1001) = -1 ESRCH (No such process)");
}

TEST_CASE("mknod's mode is a umode_t and its dev an unsigned int (strace's tests/mknod.c)",
          "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "../mknod");
  CHECK(call("mknod", {0x1000, 0xffff0000ULL}, -17, mem) ==
        R"(mknod("../mknod", 000) = -1 EEXIST (File exists))");
  CHECK(call("mknod", {0x1000, 0xffffffffULL}, -22, mem) ==
        R"(mknod("../mknod", 0177777) = -1 EINVAL (Invalid argument))");
  CHECK(call("mknod", {0x1000, 0xffff2014ULL, 0xdeadbeef00000107ULL}, -17, mem) ==
        R"(mknod("../mknod", S_IFCHR|024, makedev(0x1, 0x7)) = -1 EEXIST (File exists))");
}

TEST_CASE("init_module's image is an address, lookup_dcookie's cookie a u64", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "x=1");
  // strace's tests/init_module.c and lookup_dcookie.c
  CHECK(call("init_module", {0xfffffeedffffface, 0, 0x1000}, -38, mem) ==
        R"(init_module(0xfffffeedffffface, 0, "x=1") = -1 ENOSYS (Function not implemented))");
  CHECK(call("lookup_dcookie", {0xf157feeddeadfaceULL, 0, 4096}, -38, mem) ==
        "lookup_dcookie(17390648783711107790, NULL, 4096) = -1 ENOSYS (Function not implemented)");
}

TEST_CASE("arch_prctl reads back what its ARCH_GET_* codes store (strace's tests/arch_prctl.c)",
          "[format][flags]") {
  fake_memory mem;
  const std::uint64_t zero = 0, fs = 0x7f0000001000, xcomp = 0xe7;
  mem.put(0x1000, zero);
  mem.put(0x2000, fs);
  mem.put(0x3000, xcomp);
  CHECK(call("arch_prctl", {0x1004, 0}, -14, mem) ==
        "arch_prctl(ARCH_GET_GS, NULL) = -1 EFAULT (Bad address)");
  CHECK(call("arch_prctl", {0x1004, 0x1000}, 0, mem) == "arch_prctl(ARCH_GET_GS, [NULL]) = 0");
  CHECK(call("arch_prctl", {0x1003, 0x2000}, 0, mem) == "arch_prctl(ARCH_GET_FS, [0x7f0000001000]) = 0");
  CHECK(call("arch_prctl", {0x1011, 0xdeadc0de}, 1, mem) == "arch_prctl(ARCH_GET_CPUID) = 1");
  CHECK(call("arch_prctl", {0x1021, 0x3000}, 0, mem) ==
        "arch_prctl(ARCH_GET_XCOMP_SUPP, [0xe7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512 "
        "*/]) = 0");
  CHECK(call("arch_prctl", {0x1023, 0}, -95, mem) ==
        "arch_prctl(ARCH_REQ_XCOMP_PERM, 0 /* XFEATURE_FP */) = -1 EOPNOTSUPP (Operation not supported)");
  CHECK(call("arch_prctl", {0x1023, 0xe}, 0x97800, mem) ==
        "arch_prctl(ARCH_REQ_XCOMP_PERM, 0xe /* XFEATURE_??? */) = 0x97800");
  CHECK(call("arch_prctl", {0x1025, 0x12}, 0x60003, mem) ==
        "arch_prctl(ARCH_REQ_XCOMP_GUEST_PERM, 0x12 /* XFEATURE_XTILE_DATA */) = 0x60003 "
        "(XFEATURE_MASK_FPSSE|XFEATURE_MASK_XTILE)");
  CHECK(call("arch_prctl", {0x1002, 0}, 0, mem) == "arch_prctl(ARCH_SET_FS, 0) = 0");
}
