// Tests getsockopt and setsockopt (decode/sockopt.hpp) against strace 6.1's
// tests/sockopt-sol_socket.c and net-icmp_filter.c: option names by level, int-like options
// as `[N]`, short ones in hex, SO_TXREHASH by name, optlen as a value-result.
#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <cstdint>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("getsockopt shows an int-like option as [N] and optlen as [ulen => rlen]", "[format][sockopt]") {
  fake_memory mem;
  std::int32_t value = 1234567890, len = 4;
  mem.put_bytes(0x1000, &value, 4);
  mem.put_bytes(0x2000, &len, 4);
  snare::format::entry_state st;
  std::string line;
  // At entry optlen held 5; the call wrote 4 back.
  std::int32_t before = 5;
  mem.put_bytes(0x2000, &before, 4);
  snare::sys::raw_args args{3, SOL_SOCKET, SO_DEBUG, 0x1000, 0x2000};
  REQUIRE(snare::format::format_entry(line, snare::test::desc("getsockopt"), args, mem, {}, {}, &st));
  mem.put_bytes(0x2000, &len, 4);
  REQUIRE(snare::format::format_exit(line, snare::test::desc("getsockopt"), args, 0, mem, {}, {}, &st));
  CHECK(line == "getsockopt(3, SOL_SOCKET, SO_DEBUG, [1234567890], [5 => 4]) = 0");
  // Fewer bytes than an int: the bytes in hex.
  std::int32_t three = 3;
  mem.put_bytes(0x2000, &three, 4);
  CHECK(call("getsockopt", args, 42, mem) ==
        R"(getsockopt(3, SOL_SOCKET, SO_DEBUG, "\xd2\x02\x96", [3]) = 42)");
  // A failed call: optval's address, optlen as it was.
  CHECK(call("getsockopt", args, -22, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_DEBUG, 0x1000, [3]) = -1 EINVAL (Invalid argument)");
  // No readable optlen: both pointers as addresses.
  CHECK(call("getsockopt", {3, SOL_SOCKET, SO_DEBUG, 0x1000, 0x9000}, -14, mem) ==
        "getsockopt(3, SOL_SOCKET, SO_DEBUG, 0x1000, 0x9000) = -1 EFAULT (Bad address)");
}

TEST_CASE("setsockopt names options by level and shows ints, short values and negative lengths",
          "[format][sockopt]") {
  fake_memory mem;
  std::int32_t one = 1, two = 2;
  mem.put_bytes(0x1000, &one, 4);
  mem.put_bytes(0x2000, &two, 4);
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_DEBUG, 0x1000, 4}, 0, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_DEBUG, [1], 4) = 0");
  CHECK(call("setsockopt", {3, SOL_SOCKET, SO_DEBUG, 0x1000, 0xffffffff}, -22, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_DEBUG, 0x1000, -1) = -1 EINVAL (Invalid argument)");
  CHECK(call("setsockopt", {3, SOL_SOCKET, 74, 0x1000, 4}, -95, mem) ==
        "setsockopt(3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_ENABLED], 4) = -1 EOPNOTSUPP (Operation not "
        "supported)");
  CHECK(
      call("setsockopt", {3, SOL_SOCKET, 74, 0x2000, 5}, -95, mem) ==
      "setsockopt(3, SOL_SOCKET, SO_TXREHASH, [2 /* SOCK_TXREHASH_??? */], 5) = -1 EOPNOTSUPP (Operation not "
      "supported)");
  CHECK(call("setsockopt", {static_cast<std::uint64_t>(-1), 255, 1, 0, 0}, -9, mem) ==
        "setsockopt(-1, SOL_RAW, ICMP_FILTER, NULL, 0) = -1 EBADF (Bad file descriptor)");
  CHECK(call("setsockopt", {static_cast<std::uint64_t>(-1), 263, 0xffffffff, 0, 0}, -9, mem) ==
        "setsockopt(-1, SOL_PACKET, 0xffffffff /* PACKET_??? */, NULL, 0) = -1 EBADF (Bad file descriptor)");
}
