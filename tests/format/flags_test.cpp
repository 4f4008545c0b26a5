// Tests flag sets and enumerations by name, with leftover bits in hex, against strace 6.1.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
using snare::test::at_fdcwd;
}

TEST_CASE("Open flags print the access mode first, then bits, then unknown bits in hex", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/passwd");
  CHECK(call("openat", {at_fdcwd, 0x1000, 02000000}, 3, mem) ==
        R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3)");
  SECTION("mode only with O_CREAT, in octal") {
    CHECK(call("openat", {at_fdcwd, 0x1000, 01 | 0100 | 01000, 0644}, 4, mem) ==
          R"(openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4)");
  }
  SECTION("unknown bits") {
    // strace: openat(AT_FDCWD, "/tmp", O_RDONLY|0x40800000) = 5
    CHECK(call("openat", {at_fdcwd, 0x1000, 0x800000 | 0x40000000}, 5, mem) ==
          R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|0x40800000) = 5)");
  }
  SECTION("flags are a C int: high register bits are ignored") {
    // strace: openat(AT_FDCWD, "x", O_ACCMODE) = 3 for 0x7fff00000003
    CHECK(call("openat", {at_fdcwd, 0x1000, 0x7fff00000003}, 3, mem) ==
          R"(openat(AT_FDCWD, "/etc/passwd", O_ACCMODE) = 3)");
  }
  SECTION("O_DIRECTORY") {
    CHECK(call("openat", {at_fdcwd, 0x1000, 0200000}, 15, mem) ==
          R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_DIRECTORY) = 15)");
  }
}

TEST_CASE("mmap prints protection, type and flags by name and the offset in hex", "[format][flags]") {
  fake_memory mem;
  CHECK(call("mmap", {0, 8192, 3, 0x22, static_cast<std::uint64_t>(-1), 0}, 0x7f930547d000, mem) ==
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f930547d000");
  CHECK(
      call("mmap", {0x7f93052b5000, 1400832, 5, 0x812, 3, 0x26000}, 0x7f93052b5000, mem) ==
      "mmap(0x7f93052b5000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = "
      "0x7f93052b5000");
  SECTION("unknown protection, MAP_FILE, huge page size") {
    CHECK(call("mmap", {0, 4096, 0x100, 0x100022, static_cast<std::uint64_t>(-1), 0}, 0, mem) ==
          "mmap(NULL, 4096, 0x100 /* PROT_??? */, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0");
    CHECK(call("mmap", {0, 4096, 1, 0x40000, static_cast<std::uint64_t>(-1), 0}, -9, mem) ==
          "mmap(NULL, 4096, PROT_READ, MAP_FILE|MAP_HUGETLB, -1, 0) = -1 EBADF (Bad file descriptor)");
    CHECK(
        call("mmap", {0, 4096, 1, 1 | (21u << 26) | 0x40000, static_cast<std::uint64_t>(-1), 0}, -9, mem) ==
        "mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file "
        "descriptor)");
    CHECK(call("mprotect", {0x7f930545e000, 16384, 0}, 0, mem) ==
          "mprotect(0x7f930545e000, 16384, PROT_NONE) = 0");
  }
}

TEST_CASE("Enumerations print by name, unknown values in hex with a ??? comment", "[format][flags]") {
  fake_memory mem;
  CHECK(call("lseek", {3, 0, 2}, 1221, mem) == "lseek(3, 0, SEEK_END) = 1221");
  CHECK(call("lseek", {0, 0, 77}, -22, mem) ==
        "lseek(0, 0, 0x4d /* SEEK_??? */) = -1 EINVAL (Invalid argument)");
  // strace: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 6; socket(AF_UNIX, SOCK_DGRAM, 0) = 7
  CHECK(call("socket", {2, 0x80001, 0}, 6, mem) ==
        "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 6");
  CHECK(call("socket", {2, 2, 17}, 4, mem) == "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4");
  CHECK(call("socket", {10, 1, 6}, 8, mem) == "socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 8");
  CHECK(call("socket", {1, 2, 0}, 7, mem) == "socket(AF_UNIX, SOCK_DGRAM, 0) = 7");
  CHECK(call("socket", {1, 0x80801, 0}, 5, mem) ==
        "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 5");
  CHECK(call("socket", {99, 0x77, 0}, -22, mem) ==
        "socket(0x63 /* AF_??? */, 0x77 /* SOCK_??? */, 0) = -1 EINVAL (Invalid argument)");
  CHECK(call("getrlimit", {99, 0}, -22, mem) ==
        "getrlimit(0x63 /* RLIMIT_??? */, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("clock_gettime", {99, 0}, -22, mem) ==
        "clock_gettime(0x63 /* CLOCK_??? */, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("clock_nanosleep", {2, 0, 0, 0}, -14, mem) ==
        "clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, NULL, NULL) = -1 EFAULT (Bad address)");
  CHECK(call("epoll_ctl", {static_cast<std::uint64_t>(-1), 77, 0, 0}, -14, mem) ==
        "epoll_ctl(-1, 0x4d /* EPOLL_CTL_??? */, 0, NULL) = -1 EFAULT (Bad address)");
  CHECK(call("rt_sigprocmask", {99, 0, 0, 8}, 0, mem) ==
        "rt_sigprocmask(0x63 /* SIG_??? */, NULL, NULL, 8) = 0");
  CHECK(call("setsockopt", {static_cast<std::uint64_t>(-1), 1, 2, 0, 0}, -9, mem) ==
        "setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, NULL, 0) = -1 EBADF (Bad file descriptor)");
}

TEST_CASE("fcntl, prctl and arch_prctl print the arguments their command uses", "[format][flags]") {
  fake_memory mem;
  // strace: fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)
  CHECK(call("fcntl", {3, 3}, 0x8000, mem) == "fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)");
  CHECK(call("fcntl", {3, 1}, 1, mem) == "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
  CHECK(call("fcntl", {3, 2, 1}, 0, mem) == "fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
  CHECK(call("fcntl", {3, 1030, 10}, 14, mem) == "fcntl(3, F_DUPFD_CLOEXEC, 10) = 14");
  CHECK(call("fcntl", {3, 4, 04000}, 0, mem) == "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0");
  CHECK(call("fcntl", {0, 0x999, 0x7ffd3abab398}, -22, mem) ==
        "fcntl(0, 0x999 /* F_??? */, 0x7ffd3abab398) = -1 EINVAL (Invalid argument)");
  // strace: prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER) (tests/prctl-dumpable.c)
  CHECK(call("prctl", {3}, 1, mem) == "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");
  CHECK(call("prctl", {0x999999, 0, 0, 0, 0}, -22, mem) ==
        "prctl(0x999999 /* PR_??? */, 0, 0, 0, 0) = -1 EINVAL (Invalid argument)");
  CHECK(call("arch_prctl", {0x1002, 0x7f930528c740}, 0, mem) ==
        "arch_prctl(ARCH_SET_FS, 0x7f930528c740) = 0");
  CHECK(call("arch_prctl", {0x9999, 0}, -22, mem) ==
        "arch_prctl(0x9999 /* ARCH_??? */, 0) = -1 EINVAL (Invalid argument)");
  SECTION("ARCH_GET_FS shows the value stored") {
    mem.put<std::uint64_t>(0x1000, 0x7f930528c740);
    CHECK(call("arch_prctl", {0x1003, 0x1000}, 0, mem) == "arch_prctl(ARCH_GET_FS, [0x7f930528c740]) = 0");
  }
}

TEST_CASE("getsockopt shows an int option and its length in brackets", "[format][flags]") {
  fake_memory mem;
  mem.put<std::int32_t>(0x1000, 1);
  mem.put<std::int32_t>(0x2000, 4);
  // strace: getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0
  CHECK(call("getsockopt", {3, 1, 3, 0x1000, 0x2000}, 0, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0");
}

TEST_CASE("futex prints the operation with _PRIVATE and the arguments it uses", "[format][flags]") {
  fake_memory mem;
  CHECK(call("futex", {0x7ffc44f04ff8, 129, 1}, 0, mem) ==
        "futex(0x7ffc44f04ff8, FUTEX_WAKE_PRIVATE, 1) = 0");
  CHECK(call("futex", {0x7ffc44f04ff8, 256, 1, 0}, -38, mem) ==
        "futex(0x7ffc44f04ff8, FUTEX_WAIT|FUTEX_CLOCK_REALTIME, 1, NULL) = -1 ENOSYS (Function not "
        "implemented)");
  CHECK(call("futex", {0, 99, 0, 0, 0, 0}, -38, mem) ==
        "futex(NULL, 0x63 /* FUTEX_??? */, 0, NULL, NULL, 0) = -1 ENOSYS (Function not implemented)");
}

TEST_CASE("Other flag sets print as strace does", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/");
  CHECK(call("faccessat", {at_fdcwd, 0x1000, 0x77}, -22, mem) ==
        R"(faccessat(AT_FDCWD, "/", R_OK|W_OK|X_OK|0x70) = -1 EINVAL (Invalid argument))");
  CHECK(call("access", {0x1000, 0}, 0, mem) == R"(access("/", F_OK) = 0)");
  CHECK(call("wait4", {static_cast<std::uint64_t>(-1), 0, 0xc0001001, 0}, -22, mem) ==
        "wait4(-1, NULL, WNOHANG|__WCLONE|__WALL|0x1000, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("eventfd2", {0, 02004000}, 12, mem) == "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 12");
  CHECK(call("eventfd2", {0, 0}, 4, mem) == "eventfd2(0, 0) = 4");
  CHECK(call("epoll_create1", {02000000}, 13, mem) == "epoll_create1(EPOLL_CLOEXEC) = 13");
  CHECK(call("getrandom", {0, 0, 0xff}, -22, mem) ==
        "getrandom(NULL, 0, GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE|0xf8) = -1 EINVAL (Invalid argument)");
  CHECK(call("statx", {at_fdcwd, 0x1000, 0x6100, 0xffff, 0}, -22, mem) ==
        R"(statx(AT_FDCWD, "/", AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, )"
        R"(STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN|0xc000, NULL) = -1 EINVAL (Invalid argument))");
  CHECK(call("sendto", {static_cast<std::uint64_t>(-1), 0, 0, 0x104040, 0, 0}, -9, mem) ==
        "sendto(-1, NULL, 0, MSG_DONTWAIT|MSG_NOSIGNAL|0x100000, NULL, 0) = -1 EBADF (Bad file descriptor)");
  CHECK(call("dup3", {9, 20, 02000000}, 20, mem) == "dup3(9, 20, O_CLOEXEC) = 20");
  CHECK(call("dup3", {1, 2, 0}, 2, mem) == "dup3(1, 2, 0) = 2");
}

TEST_CASE("Modes print in octal with the file type by name", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/tmp/fmtprobe/d");
  CHECK(call("mkdir", {0x1000, 0755}, 0, mem) == R"(mkdir("/tmp/fmtprobe/d", 0755) = 0)");
  CHECK(call("mkdir", {0x1000, 0}, 0, mem) == R"(mkdir("/tmp/fmtprobe/d", 000) = 0)");
  CHECK(call("chmod", {0x1000, 04755}, 0, mem) == R"(chmod("/tmp/fmtprobe/d", 04755) = 0)");
  CHECK(call("mknodat", {at_fdcwd, 0x1000, 010600, 0}, 0, mem) ==
        R"(mknodat(AT_FDCWD, "/tmp/fmtprobe/d", S_IFIFO|0600) = 0)");
  CHECK(call("mknodat", {at_fdcwd, 0x1000, 020600, 0x103}, 0, mem) ==
        R"(mknodat(AT_FDCWD, "/tmp/fmtprobe/d", S_IFCHR|0600, makedev(0x1, 0x3)) = 0)");
  CHECK(call("umask", {022}, 022, mem) == "umask(022) = 022");
}

TEST_CASE("ioctl requests print by name or as _IOC()", "[format][flags]") {
  fake_memory mem;
  CHECK(call("ioctl", {1, 0x5401, 0x7ffc44f05000}, -25, mem) ==
        "ioctl(1, TCGETS, 0x7ffc44f05000) = -1 ENOTTY (Inappropriate ioctl for device)");
  CHECK(call("ioctl", {9, 0x541b, 0x1000}, 0, mem) == "ioctl(9, FIONREAD, 0x1000) = 0");
  CHECK(call("ioctl", {0, 0x5499, 0}, -25, mem) ==
        "ioctl(0, _IOC(_IOC_NONE, 0x54, 0x99, 0), 0) = -1 ENOTTY (Inappropriate ioctl for device)");
}

TEST_CASE("Every flag set of the syscall table prints by name, as strace 6.1 does", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/");
  SECTION("fallocate modes") {
    CHECK(call("fallocate", {3, 0, 0, 4096}, 0, mem) == "fallocate(3, 0, 0, 4096) = 0");
    CHECK(call("fallocate", {3, 3, 0, 4096}, 0, mem) ==
          "fallocate(3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0");
    CHECK(call("fallocate", {3, 0x1000, 0, 4096}, -95, mem) ==
          "fallocate(3, 0x1000 /* FALLOC_FL_??? */, 0, 4096) = -1 EOPNOTSUPP (Operation not supported)");
  }
  SECTION("splice flags") {
    CHECK(call("tee", {4, 5, 10, 6}, -22, mem) ==
          "tee(4, 5, 10, SPLICE_F_NONBLOCK|SPLICE_F_MORE) = -1 EINVAL (Invalid argument)");
    CHECK(call("tee", {4, 5, 10, 0x10}, -22, mem) ==
          "tee(4, 5, 10, 0x10 /* SPLICE_F_??? */) = -1 EINVAL (Invalid argument)");
  }
  SECTION("bpf and keyctl commands") {
    CHECK(call("bpf", {0, 0, 0}, -22, mem) == "bpf(BPF_MAP_CREATE, NULL, 0) = -1 EINVAL (Invalid argument)");
    CHECK(call("bpf", {999, 0, 0}, -22, mem) ==
          "bpf(0x3e7 /* BPF_??? */, NULL, 0) = -1 EINVAL (Invalid argument)");
    CHECK(call("keyctl", {9999, 1, 2, 3, 4}, -95, mem) ==
          "keyctl(0x270f /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EOPNOTSUPP (Operation not supported)");
  }
  SECTION("quotactl commands as QCMD(subcommand, type)") {
    CHECK(call("quotactl", {0x80000700, 0x1000, 0, 0}, -15, mem) ==
          R"(quotactl(QCMD(Q_GETQUOTA, USRQUOTA), "/", 0, NULL) = -1 ENOTBLK (Block device required))");
    CHECK(call("quotactl", {0x800001, 0, 0, 0}, -19, mem) ==
          "quotactl(QCMD(0x8000 /* Q_??? */, GRPQUOTA), NULL, 0, NULL) = -1 ENODEV (No such device)");
  }
  SECTION("personality: the execution domain by name, then flags") {
    CHECK(call("personality", {0xffffffff}, 0, mem).starts_with("personality(0xffffffff) = "));
    CHECK(call("personality", {0x40000}, 0, mem).starts_with("personality(PER_LINUX|ADDR_NO_RANDOMIZE) = "));
    CHECK(call("personality", {0x12345}, 0, mem).starts_with("personality(0x45 /* PER_??? */|0x12300) = "));
  }
  SECTION("a decimal enumeration: syslog's type") {
    CHECK(call("syslog", {3, 0, 0}, -22, mem) ==
          "syslog(3 /* SYSLOG_ACTION_READ_ALL */, NULL, 0) = -1 EINVAL (Invalid argument)");
    CHECK(call("syslog", {99, 0, 0}, -22, mem) ==
          "syslog(99 /* SYSLOG_ACTION_??? */, NULL, 0) = -1 EINVAL (Invalid argument)");
  }
}

TEST_CASE("Decoders print what strace 6.1 prints for the newly named calls", "[format][flags]") {
  fake_memory mem;
  SECTION("personality's result is the previous persona in hex with its names") {
    CHECK(call("personality", {0xffffffff}, 0, mem) == "personality(0xffffffff) = 0 (PER_LINUX)");
    CHECK(call("personality", {0x12345}, 0x40000, mem) ==
          "personality(0x45 /* PER_??? */|0x12300) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)");
  }
  SECTION("rseq prints raw, as strace 6.1 (which has no rseq decoder) does") {
    CHECK(call("rseq", {0, 0x20, 1, 0x53053053}, -22, mem) ==
          "rseq(0, 0x20, 0x1, 0x53053053) = -1 EINVAL (Invalid argument)");
    CHECK(call("rseq", {0x7f87df692060, 0x20, 0, 0x53053053}, 0, mem) ==
          "rseq(0x7f87df692060, 0x20, 0, 0x53053053) = 0");
  }
  SECTION("syslog shows no buffer for the actions that take none") {
    CHECK(call("syslog", {10, 0, 0}, 131072, mem) == "syslog(10 /* SYSLOG_ACTION_SIZE_BUFFER */) = 131072");
  }
  SECTION("reboot names its magic numbers and shows the argument only for RESTART2") {
    CHECK(
        call("reboot", {0xfee1dead, 0x28121969, 0x12345678, 0}, -22, mem) ==
        "reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x12345678 /* LINUX_REBOOT_CMD_??? */) = -1 EINVAL "
        "(Invalid argument)");
  }
  SECTION(
      "membarrier shows cpu_id only with MEMBARRIER_CMD_FLAG_CPU and names MEMBARRIER_CMD_QUERY's result") {
    CHECK(
        call("membarrier", {0, 0, 0}, 0x3ff, mem) ==
        "membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x3ff (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|"
        "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|"
        "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|"
        "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|"
        "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|0x200)");
    CHECK(call("membarrier", {1 << 20, 0, 0}, -22, mem) ==
          "membarrier(0x100000 /* MEMBARRIER_CMD_??? */, 0) = -1 EINVAL (Invalid argument)");
  }
}

TEST_CASE("0x200 is AT_EACCESS for faccessat2 and AT_REMOVEDIR for unlinkat", "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/");
  // strace: faccessat2(AT_FDCWD, "/", R_OK, AT_EACCESS) = 0
  CHECK(call("faccessat2", {at_fdcwd, 0x1000, 4, 0x200}, 0, mem) ==
        R"(faccessat2(AT_FDCWD, "/", R_OK, AT_EACCESS) = 0)");
  CHECK(call("faccessat2", {at_fdcwd, 0x1000, 0, 0x1300}, 0, mem) ==
        R"(faccessat2(AT_FDCWD, "/", F_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH) = 0)");
  CHECK(call("unlinkat", {at_fdcwd, 0x1000, 0x200}, -16, mem) ==
        R"(unlinkat(AT_FDCWD, "/", AT_REMOVEDIR) = -1 EBUSY (Device or resource busy))");
}

TEST_CASE("Socket option names come from the table of their level", "[format][flags]") {
  fake_memory mem;
  // strace: setsockopt(3, SOL_TCP, TCP_NODELAY, NULL, 0) = -1 EFAULT (Bad address)
  CHECK(call("setsockopt", {3, 6, 1, 0, 0}, -14, mem) ==
        "setsockopt(3, SOL_TCP, TCP_NODELAY, NULL, 0) = -1 EFAULT (Bad address)");
  CHECK(call("setsockopt", {3, 0, 2, 0, 0}, -14, mem) ==
        "setsockopt(3, SOL_IP, IP_TTL, NULL, 0) = -1 EFAULT (Bad address)");
  CHECK(call("setsockopt", {3, 41, 26, 0, 0}, -14, mem) ==
        "setsockopt(3, SOL_IPV6, IPV6_V6ONLY, NULL, 0) = -1 EFAULT (Bad address)");
  CHECK(call("setsockopt", {3, 17, 103, 0, 0}, -14, mem) ==
        "setsockopt(3, SOL_UDP, UDP_SEGMENT, NULL, 0) = -1 EFAULT (Bad address)");
  CHECK(call("setsockopt", {3, 1, 26, 0, 0}, -14, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, NULL, 0) = -1 EFAULT (Bad address)");
  CHECK(call("getsockopt", {3, 1, 26, 0, 0}, -14, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_GET_FILTER, NULL, NULL) = -1 EFAULT (Bad address)");
  // A level without a table prints the name as a number; an unknown level as SOL_??.
  CHECK(call("setsockopt", {3, 0x1234, 7, 0, 0}, -92, mem) ==
        "setsockopt(3, 0x1234 /* SOL_?? */, 7, NULL, 0) = -1 ENOPROTOOPT (Protocol not available)");
}

TEST_CASE("Open flags print in strace's order: O_CLOEXEC before O_DIRECTORY, FASYNC last",
          "[format][flags]") {
  fake_memory mem;
  mem.put_string(0x1000, "/tmp");
  // strace: openat(AT_FDCWD, "/tmp", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3 (ls -la /tmp)
  CHECK(call("openat", {at_fdcwd, 0x1000, 04000 | 02000000 | 0200000}, 3, mem) ==
        R"(openat(AT_FDCWD, "/tmp", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3)");
  CHECK(call("openat", {at_fdcwd, 0x1000, 2 | 020000000 | 0200000, 0600}, 3, mem) ==
        R"(openat(AT_FDCWD, "/tmp", O_RDWR|O_TMPFILE, 0600) = 3)");
  CHECK(call("fcntl", {3, 4, 020000 | 04000}, 0, mem) == "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK|FASYNC) = 0");
}
