// Tests decoders strace writes by hand for single calls: select and pselect6 (their result
// comment), ppoll's time left, epoll_pwait2 after a failure, futex by operation,
// futex_waitv, fanotify_mark, bpf's BPF_PROG_LOAD and io_uring_register. Expected lines are
// strace 6.1's, from its tests of the same names (kernel_version.c for bpf).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_fds;
using snare::test::fake_memory;

namespace {

snare::format::options style(snare::format::xlat_style s) {
  snare::format::options o;
  o.xlat = s;
  return o;
}

}  // namespace

TEST_CASE("select prints its sets with paths and the ready fds and time left after the result",
          "[format][select]") {
  fake_memory mem;
  const std::uint64_t set34 = (1u << 3) | (1u << 4), set4 = 1u << 4;
  mem.put(0x1000, set34);
  mem.put(0x2000, set4);
  const std::int64_t tv[2] = {0, 5};
  mem.put(0x3000, tv);
  // The sets hold what the kernel left in them at exit: here 4 ready for writing.
  CHECK(call("select", {5, 0, 0x2000, 0, 0x3000}, 1, mem) ==
        "select(5, NULL, [4], NULL, {tv_sec=0, tv_usec=5}) = 1 (out [4], left {tv_sec=0, tv_usec=5})");
  CHECK(call("select", {0, 0, 0, 0, 0x3000}, 0, mem) ==
        "select(0, NULL, NULL, NULL, {tv_sec=0, tv_usec=5}) = 0 (Timeout)");
  // nfds 0 reads no set: their addresses print.
  CHECK(call("select", {0, 0x1000, 0, 0, 0}, -22, mem) ==
        "select(0, 0x1000, NULL, NULL, NULL) = -1 EINVAL (Invalid argument)");
  // The fds are printed as fds: with their paths under -y.
  snare::format::options y;
  y.show_fd_paths = true;
  fake_fds fds;
  fds.paths[3] = "/dev/full";
  CHECK(call("select", {5, 0x1000, 0, 0, 0}, 2, mem, y, fds) ==
        "select(5, [3</dev/full> 4], NULL, NULL, NULL) = 2 (in [3 4])");
  // A set with nothing ready after a printed one closes a bracket of its own, as strace's.
  CHECK(call("select", {5, 0x2000, 0x2000, 0x4000, 0}, 2, mem) ==
        "select(5, [4], [4], 0x4000, NULL) = 2 (in [4], out [4])");
  const std::uint64_t empty = 0;
  mem.put(0x5000, empty);
  CHECK(call("select", {5, 0x2000, 0x5000, 0, 0}, 2, mem) == "select(5, [4], [], NULL, NULL) = 2 (in [4]])");
}

TEST_CASE("pselect6 prints its {sigmask, sigsetsize} pair", "[format][select]") {
  fake_memory mem;
  const std::uint64_t set34 = (1u << 3) | (1u << 4);
  mem.put(0x1000, set34);
  const std::uint64_t sas[2] = {0x6000, 8};
  mem.put(0x2000, sas);
  const std::uint64_t mask = (1u << 0) | (1u << 16);  // SIGHUP, SIGCHLD
  mem.put(0x6000, mask);
  const std::uint64_t null_sas[2] = {0, 8};
  mem.put(0x3000, null_sas);
  CHECK(call("pselect6", {5, 0x1000, 0, 0, 0, 0x2000}, 1, mem) ==
        "pselect6(5, [3 4], NULL, NULL, NULL, {sigmask=[HUP CHLD], sigsetsize=8}) = 1 (in [3])");
  CHECK(call("pselect6", {5, 0, 0, 0, 0, 0x3000}, -22, mem) ==
        "pselect6(5, NULL, NULL, NULL, NULL, {sigmask=NULL, sigsetsize=8}) = -1 EINVAL (Invalid argument)");
  CHECK(call("pselect6", {5, 0, 0, 0, 0, 0x9000}, -14, mem) ==
        "pselect6(5, NULL, NULL, NULL, NULL, 0x9000) = -1 EFAULT (Bad address)");
}

TEST_CASE("ppoll prints the time left after the revents", "[format][poll]") {
  fake_memory mem;
  struct pollfd_raw {
    std::int32_t fd;
    std::int16_t events, revents;
  };
  const pollfd_raw fds[2] = {{3, 1, 0}, {4, 4, 4}};
  mem.put(0x1000, fds);
  const std::int64_t ts[2] = {42, 999998366};
  mem.put(0x2000, ts);
  CHECK(call("ppoll", {0x1000, 2, 0x2000, 0, 8}, 1, mem) ==
        "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, {tv_sec=42, tv_nsec=999998366}, NULL, 8) "
        "= 1 "
        "([{fd=4, revents=POLLOUT}], left {tv_sec=42, tv_nsec=999998366})");
  CHECK(call("ppoll", {0x1000, 2, 0, 0, 8}, 1, mem) ==
        "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, NULL, NULL, 8) = 1 ([{fd=4, "
        "revents=POLLOUT}])");
  // An element the kernel reported but memory no longer holds: its address ends the list.
  CHECK(call("ppoll", {0x1000, 3, 0, 0, 8}, 2, mem) ==
        "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}, ... /* 0x1010 */], 3, NULL, NULL, 8) = 2 "
        "([{fd=4, revents=POLLOUT}, 0x1010])");
}

TEST_CASE("epoll_pwait2 prints the addresses of its timeout and sigmask when it fails", "[format][poll]") {
  fake_memory mem;
  const std::int64_t ts[2] = {-1, -1};
  mem.put(0x2000, ts);
  const std::uint64_t mask = ~std::uint64_t{0};
  mem.put(0x3000, mask);
  // strace's tests/epoll_pwait2.c
  CHECK(call("epoll_pwait2", {static_cast<std::uint64_t>(-1), 0x1000, 3, 0x2000, 0x3000, 3}, -22, mem) ==
        "epoll_pwait2(-1, 0x1000, 3, 0x2000, 0x3000, 3) = -1 EINVAL (Invalid argument)");
  CHECK(call("epoll_pwait2", {3, 0x1000, 1, 0x2000, 0x3000, 8}, 0, mem) ==
        "epoll_pwait2(3, [], 1, {tv_sec=-1, tv_nsec=18446744073709551615}, ~[], 8) = 0");
}

TEST_CASE("futex prints the arguments of each operation as strace's do_futex", "[format][futex]") {
  fake_memory mem;
  const std::int64_t ts[2] = {123, 195936478};
  mem.put(0x2000, ts);
  const std::uint64_t u = 0x7fd49857dffc, u2 = 0x7fd49838dffc;
  CHECK(
      call("futex", {u, 0, 0xfacefeed, 0x2000, u2, 0}, -11, mem) ==
      "futex(0x7fd49857dffc, FUTEX_WAIT, 4207869677, {tv_sec=123, tv_nsec=195936478}) = -1 EAGAIN (Resource "
      "temporarily unavailable)");
  CHECK(call("futex", {u, 9, 0xfacefeed, 0x2000, u2, 0xffffffff}, -11, mem) ==
        "futex(0x7fd49857dffc, FUTEX_WAIT_BITSET, 4207869677, {tv_sec=123, tv_nsec=195936478}, "
        "FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)");
  CHECK(call("futex", {u, 10, 10, 0, 0, 0x9caffee1}, 0, mem) ==
        "futex(0x7fd49857dffc, FUTEX_WAKE_BITSET, 10, 0x9caffee1) = 0");
  // The clock goes with the waits only; FUTEX_FD has no _PRIVATE name.
  CHECK(call("futex", {u, 0x101, 0xdeadbee1, 0, 0, 0}, -38, mem) ==
        "futex(0x7fd49857dffc, 0x101 /* FUTEX_??? */, 3735928545) = -1 ENOSYS (Function not implemented)");
  CHECK(call("futex", {u, 0x82, 0xfacefeed, 0, 0, 0}, -38, mem) ==
        "futex(0x7fd49857dffc, FUTEX_FD|FUTEX_PRIVATE_FLAG, 4207869677) = -1 ENOSYS (Function not "
        "implemented)");
  CHECK(call("futex", {u, 3, 0xfacefeed, 0xca7b100d, u2, 0}, -22, mem) ==
        "futex(0x7fd49857dffc, FUTEX_REQUEUE, 4207869677, 3397062669, 0x7fd49838dffc) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(call("futex", {u, 0x185, 0xdeadbee1, 0xdeadbee2, u2, 0xdeadbee4}, -38, mem) ==
        "futex(0x7fd49857dffc, 0x185 /* FUTEX_??? */, 3735928545, 3735928546, 0x7fd49838dffc, "
        "FUTEX_OP_OPARG_SHIFT<<28|0x5<<28 /* FUTEX_OP_??? */|0xadb<<12|0xe<<24 /* FUTEX_OP_CMP_??? */|0xee4) "
        "= -1 "
        "ENOSYS (Function not implemented)");
  CHECK(call("futex", {u, 7, 0, 0, 0, 0}, 0, mem) == "futex(0x7fd49857dffc, FUTEX_UNLOCK_PI) = 0");
  CHECK(call("futex", {u, 0x80, 1, 0, 0, 0}, 0, mem, style(snare::format::xlat_style::verbose)) ==
        "futex(0x7fd49857dffc, 0x80 /* FUTEX_WAIT_PRIVATE */, 1, NULL) = 0");
}

TEST_CASE("futex_waitv prints its array of waiters", "[format][futex]") {
  fake_memory mem;
  struct waiter {
    std::uint64_t val, uaddr;
    std::uint32_t flags, reserved;
  };
  const waiter w[1] = {{~std::uint64_t{0}, 0, 0xffffffff, 0xffffffff}};
  mem.put(0x1000, w);
  // strace's tests/futex_waitv.c
  CHECK(call("futex_waitv", {0x1000, 1, 0, 0, 1}, -22, mem) ==
        "futex_waitv([{val=0xffffffffffffffff, uaddr=NULL, flags=FUTEX_32|FUTEX_PRIVATE_FLAG|0xffffff7d, "
        "__reserved=0xffffffff}], 1, 0, NULL, CLOCK_MONOTONIC) = -1 EINVAL (Invalid argument)");
  CHECK(call("futex_waitv", {0x1000, 0, 1, 0, 0xffffffff}, -22, mem) ==
        "futex_waitv([], 0, 0x1, NULL, 0xffffffff /* CLOCK_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(call("futex_waitv", {0x1000, 2, 0, 0, 1}, -14, mem) ==
        "futex_waitv([{val=0xffffffffffffffff, uaddr=NULL, flags=FUTEX_32|FUTEX_PRIVATE_FLAG|0xffffff7d, "
        "__reserved=0xffffffff}, ... /* 0x1018 */], 2, 0, NULL, CLOCK_MONOTONIC) = -1 EFAULT (Bad address)");
}

TEST_CASE("fanotify_mark prints its flags, 64-bit mask and FAN_NOFD", "[format][fanotify]") {
  fake_memory mem;
  // strace's tests/fanotify_mark.c
  CHECK(call("fanotify_mark", {0xdeadfeed12345678, 0xdec0deddeface800, 0, 0xdec0ded0ffffffff, 0}, -22, mem) ==
        "fanotify_mark(305419896, 0xeface800 /* FAN_MARK_??? */, 0, FAN_NOFD, NULL) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(call("fanotify_mark", {3, 0x40, 0xdeadfeed00000002, 0xffffff9c, 0}, -22, mem) ==
        "fanotify_mark(3, FAN_MARK_IGNORED_SURV_MODIFY, FAN_MODIFY|0xdeadfeed00000000, AT_FDCWD, NULL) = -1 "
        "EINVAL (Invalid argument)");
  CHECK(
      call("fanotify_mark", {3, 0, 0, 0xffffffff, 0}, -22, mem, style(snare::format::xlat_style::verbose)) ==
      "fanotify_mark(3, 0, 0, -1 /* FAN_NOFD */, NULL) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("bpf prints BPF_PROG_LOAD's attributes as far as the size reaches", "[format][bpf]") {
  fake_memory mem;
  unsigned char attr[136] = {};
  const std::uint32_t prog_type = 0x20, insn_cnt = 0xbadc0ded, log_level = 24, log_size = 3141592653,
                      kern_version = 0xcafef00d;
  std::memcpy(attr, &prog_type, 4);
  std::memcpy(attr + 4, &insn_cnt, 4);
  std::memcpy(attr + 24, &log_level, 4);
  std::memcpy(attr + 28, &log_size, 4);
  std::memcpy(attr + 40, &kern_version, 4);
  mem.put(0x1000, attr);
  snare::format::options v;
  v.verbose = true;
  // strace's tests/kernel_version.c
  const std::string all =
      "{prog_type=0x20 /* BPF_PROG_TYPE_??? */, insn_cnt=3134983661, insns=NULL, license=NULL, log_level=24, "
      "log_size=3141592653, log_buf=NULL, kern_version=KERNEL_VERSION(51966, 240, 13), prog_flags=0, "
      "prog_name=\"\", prog_ifindex=0, expected_attach_type=BPF_CGROUP_INET_INGRESS, prog_btf_fd=0, "
      "func_info_rec_size=0, func_info=NULL, func_info_cnt=0, line_info_rec_size=0, line_info=NULL, "
      "line_info_cnt=0, attach_btf_id=0, attach_prog_fd=0, fd_array=NULL}";
  CHECK(call("bpf", {5, 0x1000, 128}, -7, mem, v) ==
        "bpf(BPF_PROG_LOAD, " + all + ", 128) = -1 E2BIG (Argument list too long)");
  CHECK(call("bpf", {5, 0x1000, 128}, -7, mem, style(snare::format::xlat_style::raw)) ==
        "bpf(0x5, {prog_type=0x20, insn_cnt=3134983661, insns=NULL, license=NULL, log_level=24, "
        "log_size=3141592653, log_buf=NULL, kern_version=0xcafef00d, prog_flags=0, prog_name=\"\", "
        "prog_ifindex=0, expected_attach_type=0, prog_btf_fd=0, func_info_rec_size=0, func_info=NULL, "
        "func_info_cnt=0, line_info_rec_size=0, line_info=NULL, line_info_cnt=0, attach_btf_id=0, "
        "attach_prog_fd=0, fd_array=NULL}, 128) = -1 E2BIG (Argument list too long)");
  // A short size stops at the field group it ends in.
  CHECK(call("bpf", {5, 0x1000, 24}, -22, mem) ==
        "bpf(BPF_PROG_LOAD, {prog_type=0x20 /* BPF_PROG_TYPE_??? */, insn_cnt=3134983661, insns=NULL, "
        "license=NULL}, 24) = -1 EINVAL (Invalid argument)");
  // Non-zero bytes past the known ones: `...`, or the bytes with -v.
  attr[130] = 0x42;
  mem.put(0x1000, attr);
  CHECK(call("bpf", {5, 0x1000, 136}, -7, mem)
            .ends_with("fd_array=NULL, ...}, 136) = -1 E2BIG (Argument list too long)"));
  CHECK(
      call("bpf", {5, 0x1000, 136}, -7, mem, v)
          .ends_with(
              "fd_array=NULL, extra_data=\"\\x00\\x00\\x42\\x00\\x00\\x00\\x00\\x00\" /* bytes 128..135 */}, "
              "136) = -1 E2BIG (Argument list too long)"));
  // Unreadable attributes, and the commands not decoded yet, print the address.
  CHECK(call("bpf", {5, 0x9000, 128}, -14, mem) ==
        "bpf(BPF_PROG_LOAD, 0x9000, 128) = -1 EFAULT (Bad address)");
}

TEST_CASE("io_uring_register prints each opcode's argument as strace's io_uring.c", "[format][io_uring]") {
  fake_memory mem;
  // strace's tests/io_uring_register.c
  const std::int32_t fds[5] = {3, 0, -1, -2, -3};
  mem.put(0x1000, fds);
  CHECK(call("io_uring_register", {0, 2, 0x1000, 5}, -95, mem) ==
        "io_uring_register(0, IORING_REGISTER_FILES, [3, 0, -1, -2, -3], 5) = -1 EOPNOTSUPP (Operation not "
        "supported)");
  CHECK(call("io_uring_register", {0, 0xbadc0ded, 0x1000, 0xdeadbeef}, -22, mem) ==
        "io_uring_register(0, 0xbadc0ded /* IORING_REGISTER_??? */, 0x1000, 3735928559) = -1 EINVAL (Invalid "
        "argument)");
  const std::uint32_t update[4] = {0xdeadc0de, 0, 0x1000, 0};
  mem.put(0x2000, update);
  CHECK(call("io_uring_register", {0, 6, 0x2000, 5}, -95, mem) ==
        "io_uring_register(0, IORING_REGISTER_FILES_UPDATE, {offset=3735929054, fds=[3, 0, -1, "
        "IORING_REGISTER_FILES_SKIP, -3]}, 5) = -1 EOPNOTSUPP (Operation not supported)");
  // IORING_REGISTER_RESTRICTIONS: each restriction's operand by its opcode.
  const std::uint32_t restrictions[8] = {0x2f0001, 0, 0, 0, 0xef0004, 0, 0, 0};
  mem.put(0x3000, restrictions);
  CHECK(
      call("io_uring_register", {0, 11, 0x3000, 2}, -95, mem) ==
      "io_uring_register(0, IORING_REGISTER_RESTRICTIONS, [{opcode=IORING_RESTRICTION_SQE_OP, sqe_op=0x2f /* "
      "IORING_OP_??? */}, {opcode=0x4 /* IORING_RESTRICTION_??? */ /* op: 0xef */}], 2) = -1 EOPNOTSUPP "
      "(Operation not supported)");
  // IORING_REGISTER_FILES2: the struct, then the bytes past it that are not zero.
  unsigned char rsrc[40] = {};
  for (int i = 0; i < 8; ++i) rsrc[32 + i] = static_cast<unsigned char>(0xa0 + i);
  mem.put(0x4000, rsrc);
  CHECK(
      call("io_uring_register", {0, 13, 0x4000, 40}, -95, mem) ==
      "io_uring_register(0, IORING_REGISTER_FILES2, {nr=0, flags=0, data=NULL, tags=NULL, /* bytes 32..39 */ "
      "\"\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\"}, 40) = -1 EOPNOTSUPP (Operation not supported)");
  CHECK(call("io_uring_register", {0, 13, 0x4000, 48}, -95, mem) ==
        "io_uring_register(0, IORING_REGISTER_FILES2, {nr=0, flags=0, data=NULL, tags=NULL, ???}, 48) = -1 "
        "EOPNOTSUPP (Operation not supported)");
  CHECK(call("io_uring_register", {0, 13, 0x4000, 24}, -95, mem) ==
        "io_uring_register(0, IORING_REGISTER_FILES2, 0x4000, 24) = -1 EOPNOTSUPP (Operation not supported)");
}

TEST_CASE("io_uring_register's probe and worker limits print again at exit", "[format][io_uring]") {
  fake_memory mem;
  // A zeroed probe prints at exit only; the kernel's answer, cut to ops_len.
  unsigned char probe[32] = {};
  probe[0] = 1;   // last_op IORING_OP_READV
  probe[1] = 1;   // ops_len
  probe[16] = 0;  // ops[0].op IORING_OP_NOP
  probe[18] = 1;  // IO_URING_OP_SUPPORTED
  mem.put(0x1000, probe);
  CHECK(call("io_uring_register", {0, 8, 0x1000, 2}, 0, mem) ==
        "io_uring_register(0, IORING_REGISTER_PROBE, {last_op=IORING_OP_READV, ops_len=1, "
        "ops=[{op=IORING_OP_NOP, "
        "flags=IO_URING_OP_SUPPORTED}, {op=IORING_OP_NOP, flags=0}]} => {last_op=IORING_OP_READV, ops_len=1, "
        "ops=[{op=IORING_OP_NOP, flags=IO_URING_OP_SUPPORTED}]}, 2) = 0");
  const unsigned char zero[24] = {};
  mem.put(0x2000, zero);
  CHECK(call("io_uring_register", {0, 8, 0x2000, 1}, -95, mem) ==
        "io_uring_register(0, IORING_REGISTER_PROBE, 0x2000, 1) = -1 EOPNOTSUPP (Operation not supported)");
  const std::uint32_t limits[3] = {0, 1, 0xbeeffeed};
  mem.put(0x3000, limits);
  CHECK(call("io_uring_register", {0, 19, 0x3000, 3}, 42, mem) ==
        "io_uring_register(0, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1, [2 /* "
        "IO_WQ_??? */]=3203399405] => [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1, [2 /* IO_WQ_??? */]=3203399405], "
        "3) = "
        "42");
  CHECK(call("io_uring_register", {0, 19, 0x3000, 0}, 42, mem) ==
        "io_uring_register(0, IORING_REGISTER_IOWQ_MAX_WORKERS, [], 0) = 42");
}
