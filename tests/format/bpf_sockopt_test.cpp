// Tests classic BPF programs (seccomp, prctl, SO_ATTACH_FILTER), the SOL_SOCKET options that
// are structs or errno values, and process_vm_readv's remote vectors as strace prints
// them. Expected lines are strace 6.1's, from its tests (seccomp-filter-v.c,
// sock_filter-v.c, so_linger.c, so_peercred.c, so_error.c, process_vm_readv_writev.c).
#include <catch2/catch.hpp>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
struct fprog {
  std::uint16_t len;
  std::uint64_t filter;
};
}  // namespace

TEST_CASE("classic BPF programs print their instructions with -v and their address without",
          "[format][bpf]") {
  fake_memory mem;
  const sock_filter seccomp_prog[3] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
                                       BPF_JUMP(BPF_JMP | BPF_K | BPF_JEQ, 3, 0, 1),
                                       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1)};
  mem.put(0x1000, seccomp_prog);
  mem.put(0x2000, fprog{3, 0x1000});
  const auto& v = snare::test::v_option;
  CHECK(
      call("seccomp", {1, 0, 0x2000}, 0, mem, v) ==
      "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=3, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), "
      "BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x1)]}) = 0");
  CHECK(call("seccomp", {1, 0xffffffc0, 0x2000}, -22, mem) ==
        "seccomp(SECCOMP_SET_MODE_FILTER, 0xffffffc0 /* SECCOMP_FILTER_FLAG_??? */, {len=3, filter=0x1000}) "
        "= -1 "
        "EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 0x2000, 0, 0}, 0, mem) ==
        "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=3, filter=0x1000}) = 0");
  // An instruction past memory's end: the ones read, then where reading stopped.
  mem.put(0x3000, fprog{4, 0x1000});
  CHECK(
      call("seccomp", {1, 0, 0x3000}, -14, mem, v) ==
      "seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), "
      "BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x3, 0, 0x1), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x1), ... /* "
      "0x1018 */]}) = -1 EFAULT (Bad address)");

  const sock_filter socket_prog[2] = {
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, static_cast<std::uint32_t>(SKF_LL_OFF) + 4),
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, static_cast<std::uint32_t>(SKF_AD_OFF) + SKF_AD_PROTOCOL)};
  mem.put(0x4000, socket_prog);
  mem.put(0x5000, fprog{2, 0x4000});
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_ATTACH_FILTER, 0x5000, 16}, 0, mem, v) ==
        "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=2, filter=[BPF_STMT(BPF_LD|BPF_B|BPF_ABS, "
        "SKF_LL_OFF+4), BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL)]}, 16) = 0");
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_ATTACH_FILTER, 0x5000, 15}, -22, mem, v) ==
        "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, 0x5000, 15) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("SO_LINGER, SO_PEERCRED and SO_ERROR print as their structs and errno names", "[format][sockopt]") {
  fake_memory mem;
  const std::int32_t ucred[3] = {4207, 0, 0};
  mem.put(0x1000, ucred);
  mem.put(0x2000, std::int32_t{12});
  CHECK(call("getsockopt", {3, SOL_SOCKET, SO_PEERCRED, 0x1000, 0x2000}, 0, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=4207, uid=0, gid=0}, [12]) = 0");
  mem.put(0x2000, std::int32_t{7});
  CHECK(call("getsockopt", {3, SOL_SOCKET, SO_PEERCRED, 0x1000, 0x2000}, 0, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=4207, uid=\"\\x00\\x00\\x00\"}, [7]) = 0");
  mem.put(0x3000, std::int32_t{111});
  mem.put(0x2000, std::int32_t{4});
  CHECK(call("getsockopt", {4, SOL_SOCKET, SO_ERROR, 0x3000, 0x2000}, 0, mem) ==
        "getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0");
  mem.put(0x2000, std::int32_t{1});
  CHECK(call("getsockopt", {4, SOL_SOCKET, SO_ERROR, 0x3000, 0x2000}, 0, mem) ==
        "getsockopt(4, SOL_SOCKET, SO_ERROR, \"\\x6f\", [1]) = 0");
  const std::int32_t linger[2] = {-15, -42};
  mem.put(0x4000, linger);
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_LINGER, 0x4000, 9}, 0, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=-15, l_linger=-42}, 9) = 0");
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_LINGER, 0x4000, 4}, -22, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_LINGER, 0x4000, 4) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("process_vm_readv prints the other process's vectors as addresses", "[format][io]") {
  fake_memory mem;
  mem.put_string(0x1000, "abcd", false);
  const std::uint64_t local[2] = {0x1000, 4};
  const std::uint64_t remote[2] = {0x7f0000000000, 4};
  mem.put(0x2000, local);
  mem.put(0x3000, remote);
  CHECK(call("process_vm_readv", {29125, 0x2000, 1, 0x3000, 1, 0}, 4, mem) ==
        "process_vm_readv(29125, [{iov_base=\"abcd\", iov_len=4}], 1, [{iov_base=0x7f0000000000, "
        "iov_len=4}], 1, 0) "
        "= 4");
  CHECK(call("process_vm_readv", {29125, 0x2000, 1, 0x3000, 1, 0}, -14, mem) ==
        "process_vm_readv(29125, [{iov_base=0x1000, iov_len=4}], 1, [{iov_base=0x7f0000000000, iov_len=4}], "
        "1, 0) "
        "= -1 EFAULT (Bad address)");
}

TEST_CASE("seccomp prints each operation's flags and argument", "[format][bpf]") {
  fake_memory mem;
  mem.put(0x1000, std::uint32_t{SECCOMP_RET_LOG});
  CHECK(call("seccomp", {SECCOMP_GET_ACTION_AVAIL, 0, 0x1000}, 0, mem) ==
        "seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_LOG]) = 0");
  mem.put(0x1000, std::uint32_t{0xffffffff});
  CHECK(call("seccomp", {SECCOMP_GET_ACTION_AVAIL, 0, 0x1000}, -95, mem) ==
        "seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [0xffffffff /* SECCOMP_RET_??? */]) = -1 EOPNOTSUPP (Operation "
        "not "
        "supported)");
  const std::uint16_t sizes[3] = {80, 24, 64};
  mem.put(0x2000, sizes);
  CHECK(
      call("seccomp", {SECCOMP_GET_NOTIF_SIZES, 0, 0x2000}, 0, mem) ==
      "seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=80, seccomp_notif_resp=24, seccomp_data=64}) = 0");
  CHECK(call("seccomp", {0xffffffff, 0xffffffff, 0xfacefeeddeadbeef}, -22, mem) ==
        "seccomp(0xffffffff /* SECCOMP_SET_MODE_??? */, 0xffffffff, 0xfacefeeddeadbeef) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(call("seccomp", {SECCOMP_SET_MODE_STRICT, 0, 0}, -22, mem) ==
        "seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL) = -1 EINVAL (Invalid argument)");
}
