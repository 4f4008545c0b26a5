// Tests getsockopt and setsockopt (decode/sockopt.hpp) against strace 6.1's
// tests/sockopt-sol_socket.c and net-icmp_filter.c: option names by level, int-like options
// as `[N]`, short ones in hex, SO_TXREHASH by name, optlen as a value-result.
#include <catch2/catch.hpp>

#include <netinet/in.h>
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

TEST_CASE("setsockopt decodes the struct options of IP, IPv6, PACKET and RAW", "[format][sockopt]") {
  // strace 6.1 tests/ip_mreq.c, net-packet_mreq.c, net-tpacket_req.c, net-icmp_filter.c.
  fake_memory mem;
  const unsigned char mreq[8] = {224, 0, 0, 3, 127, 0, 0, 1};
  mem.put_bytes(0x1000, mreq, 8);
  CHECK(call("setsockopt", {0, SOL_IP, 35, 0x1000, 8}, 0, mem) ==
        R"(setsockopt(0, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr("224.0.0.3"), )"
        R"(imr_interface=inet_addr("127.0.0.1")}, 8) = 0)");
  CHECK(call("setsockopt", {0, SOL_IP, 35, 0x1000, 7}, -22, mem) ==
        "setsockopt(0, SOL_IP, IP_ADD_MEMBERSHIP, 0x1000, 7) = -1 EINVAL (Invalid argument)");
  const std::uint32_t ring[4] = {4096, 2, 2048, 4};
  mem.put_bytes(0x2000, ring, 16);
  CHECK(call("setsockopt", {3, 263, 5, 0x2000, 16}, 0, mem) ==
        "setsockopt(3, SOL_PACKET, PACKET_RX_RING, {tp_block_size=4096, tp_block_nr=2, tp_frame_size=2048, "
        "tp_frame_nr=4}, 16) = 0");
  CHECK(call("setsockopt", {3, 263, 13, 0x2000, 17}, 0, mem) ==
        "setsockopt(3, SOL_PACKET, PACKET_TX_RING, 0x2000, 17) = 0");
  // struct packet_mreq: mr_alen 9 shows the 8 bytes the array holds.
  const unsigned char pm[16] = {0, 0, 0, 0, 1, 0, 9, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  mem.put_bytes(0x3000, pm, 16);
  CHECK(
      call("setsockopt", {3, 263, 1, 0x3000, 16}, 0, mem) ==
      "setsockopt(3, SOL_PACKET, PACKET_ADD_MEMBERSHIP, {mr_ifindex=0, mr_type=PACKET_MR_PROMISC, mr_alen=9, "
      "mr_address=ff:ff:ff:ff:ff:ff:ff:ff}, 16) = 0");
  // ICMP_FILTER: the set bits, or ~ and the clear ones when most are set.
  std::uint32_t filter = 1u << 0 | 1u << 3 | 1u << 8;
  mem.put(0x4000, filter);
  CHECK(call("setsockopt", {3, 255, 1, 0x4000, 4}, 0, mem) ==
        "setsockopt(3, SOL_RAW, ICMP_FILTER, [ICMP_ECHOREPLY ICMP_DEST_UNREACH ICMP_ECHO], 4) = 0");
  filter = ~filter;
  mem.put(0x4000, filter);
  CHECK(call("setsockopt", {3, 255, 1, 0x4000, 8}, 0, mem) ==
        "setsockopt(3, SOL_RAW, ICMP_FILTER, ~[ICMP_ECHOREPLY ICMP_DEST_UNREACH ICMP_ECHO], 8) = 0");
  CHECK(call("setsockopt", {3, 255, 1, 0x4000, 0xfffffffe}, 0, mem) ==
        "setsockopt(3, SOL_RAW, ICMP_FILTER, 0x4000, -2) = 0");
  // IPv6 names MCAST_JOIN_GROUP (42) as the IP level does.
  CHECK(call("setsockopt", {3, SOL_IPV6, 42, 0x5000, 0xffffffff}, -22, mem) ==
        "setsockopt(3, SOL_IPV6, MCAST_JOIN_GROUP, 0x5000, -1) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("getsockopt shows PACKET_STATISTICS field by field as its length covers them",
          "[format][sockopt]") {
  // strace 6.1 tests/net-tpacket_stats.c.
  fake_memory mem;
  const std::uint32_t stats[3] = {7, 8, 9};
  mem.put_bytes(0x1000, stats, 12);
  mem.put<std::int32_t>(0x2000, 6);
  CHECK(call("getsockopt", {3, 263, 6, 0x1000, 0x2000}, 0, mem) ==
        R"(getsockopt(3, SOL_PACKET, PACKET_STATISTICS, {tp_packets=7, tp_drops="\x08\x00"}, [6]) = 0)");
  mem.put<std::int32_t>(0x2000, 13);
  CHECK(call("getsockopt", {3, 263, 6, 0x1000, 0x2000}, 0, mem) ==
        "getsockopt(3, SOL_PACKET, PACKET_STATISTICS, {tp_packets=7, tp_drops=8, tp_freeze_q_cnt=9}, [13]) = "
        "0");
}
