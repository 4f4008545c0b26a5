// Tests structs that used to print as addresses: openat2's struct open_how and
// timer_create's struct sigevent (strace 6.1's tests/openat2.c and timer_create.c).
#include <catch2/catch.hpp>

#include <cstring>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
using snare::test::at_fdcwd;
struct open_how_abi {
  std::uint64_t flags, mode, resolve;
};
struct sigevent_abi {
  std::uint64_t value;
  std::int32_t signo, notify;
  std::uint64_t function_or_tid, attributes;
  std::uint64_t pad[4];
};
}  // namespace

TEST_CASE("openat2 prints struct open_how", "[format][struct]") {
  fake_memory mem;
  mem.put_string(0x1000, "/dev/full");
  mem.put(0x2000, open_how_abi{0400, 0, 0});  // O_NOCTTY
  // strace: openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY|O_NOCTTY, resolve=0}, 24) = 3
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, 3, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY|O_NOCTTY, resolve=0}, 24) = 3)");
  mem.put(0x2000, open_how_abi{0100 | 1, 0644, 0x8 | 0x2});
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, -2, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_WRONLY|O_CREAT, mode=0644, )"
        "resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_BENEATH}, 24) = -1 ENOENT (No such file or directory)");
  mem.put(0x2000, open_how_abi{0, 0, 0xfeedfacedcaffec0ULL | 0x31});
  CHECK(call("openat2", {at_fdcwd, 0x1000, 0x2000, 24}, -22, mem) ==
        R"(openat2(AT_FDCWD, "/dev/full", {flags=O_RDONLY, resolve=RESOLVE_NO_XDEV|RESOLVE_IN_ROOT|)"
        "RESOLVE_CACHED|0xfeedfacedcaffec0}, 24) = -1 EINVAL (Invalid argument)");
  SECTION("a size below 24 prints the address; bytes past 24 print when not zero") {
    CHECK(call("openat2", {~0ULL, 0x1000, 0x2000, 11}, -22, mem) ==
          R"(openat2(-1, "/dev/full", 0x2000, 11) = -1 EINVAL (Invalid argument))");
    struct {
      open_how_abi how;
      unsigned char more[8];
    } big{{0, 0, 0}, {0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87}};
    mem.put(0x3000, big);
    CHECK(call("openat2", {~0ULL, 0x1000, 0x3000, 32}, -7, mem) ==
          R"(openat2(-1, "/dev/full", {flags=O_RDONLY, resolve=0, /* bytes 24..31 */ )"
          R"("\x80\x81\x82\x83\x84\x85\x86\x87"}, 32) = -1 E2BIG (Argument list too long))");
    CHECK(call("openat2", {~0ULL, 0x1000, 0x2000, 32}, -7, mem) ==
          R"(openat2(-1, "/dev/full", {flags=O_RDONLY, resolve=RESOLVE_NO_XDEV|RESOLVE_IN_ROOT|)"
          "RESOLVE_CACHED|0xfeedfacedcaffec0, ???}, 32) = -1 E2BIG (Argument list too long)");
  }
}

TEST_CASE("timer_create prints struct sigevent and the timer id at exit", "[format][struct]") {
  fake_memory mem;
  mem.put(0x1000, sigevent_abi{0x7f00deadbeef, 14, 0, 0, 0, {}});
  mem.put<std::int32_t>(0x2000, 2);
  // strace: timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=-559038737,
  //         sival_ptr=0x7f00deadbeef}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [2]) = 0
  CHECK(call("timer_create", {1, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=-559038737, sival_ptr=0x7f00deadbeef}, "
        "sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 4, 1234, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD_ID, "
        "sigev_notify_thread_id=1234}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 2, 0x4000, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0x2000}, 0, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD, "
        "sigev_notify_function=0x4000, sigev_notify_attributes=NULL}, [2]) = 0");
  mem.put(0x1000, sigevent_abi{0, 14, 0xfa, 0, 0, {}});
  CHECK(call("timer_create", {0, 0x1000, 0}, -22, mem) ==
        "timer_create(CLOCK_REALTIME, {sigev_signo=14, sigev_notify=0xfa /* SIGEV_??? */}, NULL) = -1 EINVAL "
        "(Invalid argument)");
  CHECK(call("timer_create", {0, 0, 0}, -14, mem) ==
        "timer_create(CLOCK_REALTIME, NULL, NULL) = -1 EFAULT (Bad address)");
}

namespace {
struct sched_attr_abi {
  std::uint32_t size, sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime, sched_deadline, sched_period;
  std::uint32_t sched_util_min, sched_util_max;
};
}  // namespace

TEST_CASE("sched_setattr and sched_getattr print struct sched_attr by its size", "[format][struct]") {
  // From strace 6.1's tests/sched_xetattr.c.
  fake_memory mem;
  mem.put(0x2000, sched_attr_abi{56, 0, 1, 0, 0, 1400000, 0, 0, 0, 0});
  CHECK(call("sched_setattr", {0, 0x2000, 0}, 0, mem) ==
        "sched_setattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=SCHED_FLAG_RESET_ON_FORK, "
        "sched_nice=0, "
        "sched_priority=0, sched_runtime=1400000, sched_deadline=0, sched_period=0, sched_util_min=0, "
        "sched_util_max=0}, 0) = 0");
  mem.put(0x2000, sched_attr_abi{48, 0, 0, 0, 0, 1400000, 0, 0, 0, 0});
  CHECK(call("sched_getattr", {0, 0x2000, 48, 0}, 0, mem) ==
        "sched_getattr(0, {size=48, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, "
        "sched_runtime=1400000, sched_deadline=0, sched_period=0}, 48, 0) = 0");
  SECTION("SCHED_FLAG_KEEP_PARAMS leaves out the policy and the parameters; E2BIG shows the size wanted") {
    mem.put(0x2000, sched_attr_abi{56, 0xdefaced, 0x10 | 0xcaffee80, 0, 0, 0, 0, 0, 0, 0});
    CHECK(
        call("sched_setattr", {0xfacefeed, 0x2000, 0xdeadc0de}, -22, mem) ==
        "sched_setattr(-87097619, {size=56, sched_flags=SCHED_FLAG_KEEP_PARAMS|0xcaffee80, sched_util_min=0, "
        "sched_util_max=0}, 3735929054) = -1 EINVAL (Invalid argument)");
    mem.put(0x2000, sched_attr_abi{56, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    // format_call reads memory after the call: the size the kernel stored shows on both sides.
    CHECK(
        call("sched_setattr", {0, 0x2000, 0}, -7, mem) ==
        "sched_setattr(0, {size=56, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0, sched_priority=0, "
        "sched_runtime=0, sched_deadline=0, sched_period=0, sched_util_min=0, sched_util_max=0} => "
        "{size=56}, 0) "
        "= -1 E2BIG (Argument list too long)");
    CHECK(call("sched_getattr", {~0ULL, 0x2000, 0xcafef00d, 0xdeadc0de}, -22, mem) ==
          "sched_getattr(-1, 0x2000, 3405705229, 3735929054) = -1 EINVAL (Invalid argument)");
  }
}

TEST_CASE("io_uring_setup prints struct io_uring_params, io_uring_enter its flags", "[format][struct]") {
  // From strace 6.1's tests/io_uring_setup.c and io_uring_enter.c.
  fake_memory mem;
  std::uint32_t params[30] = {};  // struct io_uring_params: 120 bytes
  params[0] = 2;                  // sq_entries
  params[1] = 4;                  // cq_entries
  params[5] = 0x1fff;             // features
  std::uint32_t sq_off[] = {0, 4, 16, 24, 36, 32, 128}, cq_off[] = {8, 12, 20, 28, 44, 64, 40};
  std::memcpy(params + 10, sq_off, sizeof sq_off);
  std::memcpy(params + 20, cq_off, sizeof cq_off);
  mem.put(0x2000, params);
  CHECK(
      call("io_uring_setup", {2, 0x2000}, 4, mem) ==
      "io_uring_setup(2, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=2, cq_entries=4, "
      "features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP|IORING_FEAT_SUBMIT_STABLE|IORING_FEAT_RW_CUR_POS|"
      "IORING_FEAT_CUR_PERSONALITY|IORING_FEAT_FAST_POLL|IORING_FEAT_POLL_32BITS|IORING_FEAT_SQPOLL_NONFIXED|"
      "IORING_FEAT_EXT_ARG|IORING_FEAT_NATIVE_WORKERS|IORING_FEAT_RSRC_TAGS|IORING_FEAT_CQE_SKIP|"
      "IORING_FEAT_LINKED_FILE, sq_off={head=0, tail=4, ring_mask=16, ring_entries=24, flags=36, dropped=32, "
      "array=128}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, overflow=44, cqes=64, flags=40}}) "
      "= 4");
  params[2] = 0x20;  // IORING_SETUP_ATTACH_WQ
  params[6] = 3;     // wq_fd
  mem.put(0x2000, params);
  CHECK(call("io_uring_setup", {2, 0x2000}, -22, mem) ==
        "io_uring_setup(2, {flags=IORING_SETUP_ATTACH_WQ, sq_thread_cpu=0, sq_thread_idle=0, wq_fd=3}) = -1 "
        "EINVAL "
        "(Invalid argument)");
  CHECK(call("io_uring_setup", {1, 0x9000}, -14, mem) ==
        "io_uring_setup(1, 0x9000) = -1 EFAULT (Bad address)");
  CHECK(call("io_uring_enter", {3, 1, 0, 0x21, 0, 8}, 0, mem) ==
        "io_uring_enter(3, 1, 0, IORING_ENTER_GETEVENTS|0x20, NULL, 8) = 0");
}

TEST_CASE("memfd_secret and inotify_init1 print their flags in strace's order", "[format][struct]") {
  // strace 6.1: tests/memfd_secret.c and inotify_init1.c.
  fake_memory mem;
  CHECK(call("memfd_secret", {0x80000}, 3, mem) == "memfd_secret(O_CLOEXEC) = 3");
  CHECK(call("memfd_secret", {0xde97face | 0x80000}, -22, mem) ==
        "memfd_secret(O_CLOEXEC|0xde97face) = -1 EINVAL (Invalid argument)");
  CHECK(
      call("inotify_init1", {0xdeadbeef | 0x80800}, -22, mem).find("inotify_init1(IN_NONBLOCK|IN_CLOEXEC|") ==
      0);
}

TEST_CASE("landlock_add_rule prints its rule type and struct landlock_path_beneath_attr",
          "[format][struct]") {
  // strace 6.1: tests/landlock_add_rule.c.
  fake_memory mem;
  unsigned char attr[12] = {1 /* LANDLOCK_ACCESS_FS_EXECUTE */};
  std::int32_t parent = -1;
  std::memcpy(attr + 8, &parent, 4);
  mem.put(0x2000, attr);
  CHECK(call("landlock_add_rule", {~0ULL, 1, 0x2000, 0}, -9, mem) ==
        "landlock_add_rule(-1, LANDLOCK_RULE_PATH_BENEATH, {allowed_access=LANDLOCK_ACCESS_FS_EXECUTE, "
        "parent_fd=-1}, 0) = -1 EBADF (Bad file descriptor)");
  CHECK(
      call("landlock_add_rule", {0, 0, 0, 0}, -77, mem) ==
      "landlock_add_rule(0, 0 /* LANDLOCK_RULE_??? */, NULL, 0) = -1 EBADFD (File descriptor in bad state)");
  CHECK(call("landlock_add_rule", {1729, 2, 0x2000, 0xffffffff}, -22, mem) ==
        "landlock_add_rule(1729, 0x2 /* LANDLOCK_RULE_??? */, 0x2000, 0xffffffff) = -1 EINVAL (Invalid "
        "argument)");
}
