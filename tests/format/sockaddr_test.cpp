// Tests socket addresses by family and value-result lengths (decode/sockaddr.hpp), struct
// msghdr with its control messages and recvmsg's msg_namelen (cmsg.hpp, net.hpp),
// sendmmsg/recvmmsg and recvfrom.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("AF_INET addresses show htons and inet_addr", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  sin.sin_addr.s_addr = inet_addr("1.2.3.4");
  mem.put(0x1000, sin);
  CHECK(call("connect", {6, 0x1000, 16}, 0, mem) ==
        R"(connect(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16) = 0)");
}

TEST_CASE("AF_UNIX addresses show sun_path, abstract ones with @", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::strcpy(sun.sun_path, "/var/run/nope");
  mem.put(0x1000, sun);
  CHECK(
      call("connect", {7, 0x1000, 110}, -2, mem) ==
      R"(connect(7, {sa_family=AF_UNIX, sun_path="/var/run/nope"}, 110) = -1 ENOENT (No such file or directory))");
  sockaddr_un abs{};
  abs.sun_family = AF_UNIX;
  std::memcpy(abs.sun_path, "\0bus", 4);
  mem.put(0x2000, abs);
  CHECK(call("connect", {7, 0x2000, 6}, 0, mem) ==
        R"(connect(7, {sa_family=AF_UNIX, sun_path=@"bus"}, 6) = 0)");
}

TEST_CASE("AF_INET6 addresses show inet_pton", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in6 s6{};
  s6.sin6_family = AF_INET6;
  s6.sin6_port = htons(443);
  inet_pton(AF_INET6, "::1", &s6.sin6_addr);
  mem.put(0x1000, s6);
  CHECK(
      call("connect", {8, 0x1000, 28}, -111, mem) ==
      R"(connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), )"
      R"(inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused))");
}

TEST_CASE("getsockname fills the address and shows the length in brackets", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(52624);
  sin.sin_addr.s_addr = inet_addr("192.0.2.2");
  mem.put(0x1000, sin);
  mem.put<std::int32_t>(0x2000, 16);
  std::string out;
  auto& d = snare::test::desc("getsockname");
  REQUIRE(snare::format::format_entry(out, d, {6, 0x1000, 0x2000}, mem));
  CHECK(out == "getsockname(6, ");
  REQUIRE(snare::format::format_exit(out, d, {6, 0x1000, 0x2000}, 0, mem));
  CHECK(
      out ==
      R"(getsockname(6, {sa_family=AF_INET, sin_port=htons(52624), sin_addr=inet_addr("192.0.2.2")}, [16]) = 0)");
}

TEST_CASE("An unbound AF_UNIX address shows only the family", "[format][sockaddr]") {
  fake_memory mem;
  std::uint16_t family = AF_UNIX;
  mem.put(0x1000, family);
  mem.put<std::int32_t>(0x2000, 2);
  // strace: getsockname(3, {sa_family=AF_UNIX}, [110 => 2]) = 0 (snare prints the length after the call)
  CHECK(call("getsockname", {3, 0x1000, 0x2000}, 0, mem) == "getsockname(3, {sa_family=AF_UNIX}, [2]) = 0");
}

TEST_CASE("msghdr shows name, vectors, control length and flags", "[format][sockaddr]") {
  fake_memory mem;
  mem.put_string(0x1000, "hello", false);
  iovec iov{reinterpret_cast<void*>(0x1000), 5};
  mem.put(0x2000, iov);
  msghdr m{};
  m.msg_iov = reinterpret_cast<iovec*>(0x2000);
  m.msg_iovlen = 1;
  mem.put(0x3000, m);
  // strace: sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1,
  //         msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = 5
  CHECK(call("sendmsg", {3, 0x3000, MSG_NOSIGNAL}, 5, mem) ==
        R"(sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, )"
        R"(msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = 5)");
  SECTION("recvmsg shows it at exit with only the bytes received") {
    mem.put_string(0x4000, "hello.......", false);
    iovec in{reinterpret_cast<void*>(0x4000), 64};
    mem.put(0x5000, in);
    msghdr r{};
    r.msg_iov = reinterpret_cast<iovec*>(0x5000);
    r.msg_iovlen = 1;
    mem.put(0x6000, r);
    std::string out;
    auto& d = snare::test::desc("recvmsg");
    REQUIRE(snare::format::format_entry(out, d, {4, 0x6000, 0}, mem));
    CHECK(out == "recvmsg(4, ");
    REQUIRE(snare::format::format_exit(out, d, {4, 0x6000, 0}, 5, mem));
    // strace: recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=64}],
    // msg_iovlen=1,
    //         msg_controllen=0, msg_flags=0}, 0) = 5
    CHECK(
        out ==
        R"(recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hello", iov_len=64}], msg_iovlen=1, )"
        R"(msg_controllen=0, msg_flags=0}, 0) = 5)");
  }
}

TEST_CASE("A value-result length shows its value before and after the call", "[format][sockaddr]") {
  fake_memory mem;
  const auto& d = snare::test::desc("getsockname");
  std::uint16_t family = 1;  // AF_UNIX, no path: the kernel returns 2 bytes
  mem.put(0x1000, family);
  mem.put<std::int32_t>(0x2000, 110);
  snare::format::entry_state st;
  std::string out;
  REQUIRE(snare::format::format_entry(out, d, {3, 0x1000, 0x2000}, mem, {}, {}, &st));
  CHECK(out == "getsockname(3, ");
  mem.put<std::int32_t>(0x2000, 2);  // the call sets the length
  REQUIRE(snare::format::format_exit(out, d, {3, 0x1000, 0x2000}, 0, mem, {}, {}, &st));
  // strace: getsockname(3, {sa_family=AF_UNIX}, [110 => 2]) = 0
  CHECK(out == "getsockname(3, {sa_family=AF_UNIX}, [110 => 2]) = 0");
  SECTION("an unchanged length prints once; a failed call prints the length it was given") {
    out.clear();
    REQUIRE(snare::format::format_entry(out, d, {3, 0x1000, 0x2000}, mem, {}, {}, &st));
    REQUIRE(snare::format::format_exit(out, d, {3, 0x1000, 0x2000}, 0, mem, {}, {}, &st));
    CHECK(out == "getsockname(3, {sa_family=AF_UNIX}, [2]) = 0");
    out.clear();
    REQUIRE(snare::format::format_entry(out, d, {9, 0x1000, 0x2000}, mem, {}, {}, &st));
    REQUIRE(snare::format::format_exit(out, d, {9, 0x1000, 0x2000}, -9, mem, {}, {}, &st));
    CHECK(out == "getsockname(9, 0x1000, [2]) = -1 EBADF (Bad file descriptor)");
  }
  SECTION("without an entry state only the value after the call is known") {
    CHECK(call("getsockname", {3, 0x1000, 0x2000}, 0, mem) == "getsockname(3, {sa_family=AF_UNIX}, [2]) = 0");
  }
}

TEST_CASE("msghdr decodes control messages by level and type", "[format][sockaddr]") {
  // strace 6.1 tests/msg_control.c, inet-cmsg.c: SCM_RIGHTS as fds, IP_TTL as uints, IP_TOS
  // as hex bytes, an unknown level's type in hex, a header-less tail as its address.
  fake_memory mem;
  unsigned char control[80] = {};
  auto put_hdr = [&](std::size_t at, std::uint64_t len, std::int32_t level, std::int32_t type) {
    std::memcpy(control + at, &len, 8);
    std::memcpy(control + at + 8, &level, 4);
    std::memcpy(control + at + 12, &type, 4);
  };
  put_hdr(0, 24, SOL_SOCKET, SCM_RIGHTS);
  const std::int32_t fds[2] = {0, 1};
  std::memcpy(control + 16, fds, 8);
  put_hdr(24, 20, SOL_IP, IP_TTL);
  control[40] = 64;
  put_hdr(48, 17, SOL_IP, IP_TOS);
  // Bytes 72..79 stay zero: only 8 bytes left, no room for a header.
  mem.put_bytes(0x1000, control, 80);
  msghdr m{};
  m.msg_control = reinterpret_cast<void*>(0x1000);
  m.msg_controllen = 80;
  mem.put(0x3000, m);
  CHECK(call("sendmsg", {3, 0x3000, 0}, -9, mem) ==
        "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=[{cmsg_len=24, "
        "cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}, {cmsg_len=20, cmsg_level=SOL_IP, "
        "cmsg_type=IP_TTL, cmsg_data=[64]}, {cmsg_len=17, cmsg_level=SOL_IP, cmsg_type=IP_TOS, "
        "cmsg_data=[0]}, ... /* 0x1048 */], "
        "msg_controllen=80, msg_flags=0}, 0) = -1 EBADF (Bad file descriptor)");
  put_hdr(0, 16, 6, 99);  // SOL_TCP: no decoder, the type in hex
  mem.put_bytes(0x1000, control, 24);
  m.msg_controllen = 24;
  mem.put(0x3000, m);
  CHECK(call("sendmsg", {3, 0x3000, 0}, -9, mem) ==
        "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=[{cmsg_len=16, "
        "cmsg_level=SOL_TCP, cmsg_type=0x63}, ... /* 0x1010 */], msg_controllen=24, msg_flags=0}, 0) = -1 "
        "EBADF "
        "(Bad file descriptor)");
}

TEST_CASE("recvmsg shows msg_namelen before and after the call", "[format][sockaddr]") {
  // strace 6.1 tests/msg_name.c: the name shows the smaller length; a failure the one given.
  fake_memory mem;
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::strcpy(sun.sun_path, "abcdefghijklmnop");
  mem.put(0x1000, sun);
  msghdr m{};
  m.msg_name = reinterpret_cast<void*>(0x1000);
  m.msg_namelen = 8;
  mem.put(0x3000, m);
  const auto& d = snare::test::desc("recvmsg");
  snare::format::entry_state st;
  std::string out;
  REQUIRE(snare::format::format_entry(out, d, {3, 0x3000, 0}, mem, {}, {}, &st));
  m.msg_namelen = 19;
  mem.put(0x3000, m);
  REQUIRE(snare::format::format_exit(out, d, {3, 0x3000, 0}, 0, mem, {}, {}, &st));
  CHECK(out ==
        R"(recvmsg(3, {msg_name={sa_family=AF_UNIX, sun_path="abcdef"}, msg_namelen=8 => 19, msg_iov=NULL, )"
        R"(msg_iovlen=0, msg_controllen=0, msg_flags=0}, 0) = 0)");
  out.clear();
  REQUIRE(snare::format::format_entry(out, d, {3, 0x3000, 0}, mem, {}, {}, &st));
  REQUIRE(snare::format::format_exit(out, d, {3, 0x3000, 0}, -14, mem, {}, {}, &st));
  CHECK(out == "recvmsg(3, {msg_namelen=19}, 0) = -1 EFAULT (Bad address)");
}

TEST_CASE("sendmmsg and recvmmsg show their messages, recvmmsg the timeout left", "[format][sockaddr]") {
  // strace 6.1 tests/mmsg.c, mmsg_name.c, recvmmsg-timeout.c.
  fake_memory mem;
  mem.put_string(0x1000, "0123456", false);
  iovec iov{reinterpret_cast<void*>(0x1000), 7};
  mem.put(0x2000, iov);
  mmsghdr mm[2]{};
  for (auto& m : mm) {
    m.msg_hdr.msg_iov = reinterpret_cast<iovec*>(0x2000);
    m.msg_hdr.msg_iovlen = 1;
  }
  mm[0].msg_len = 7;
  mem.put(0x3000, mm);
  // One message sent of two: msg_len for the first only.
  CHECK(
      call("sendmmsg", {3, 0x3000, 2, 0}, 1, mem) ==
      R"(sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="0123456", iov_len=7}], )"
      R"(msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=7}, {msg_hdr={msg_name=NULL, msg_namelen=0, )"
      R"(msg_iov=[{iov_base="0123456", iov_len=7}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}], 2, 0) = 1)");
  // recvmmsg: each message's vectors up to its msg_len; its namelen as at entry; the timeout
  // as it was at entry and the time left after.
  mm[0].msg_len = 3;
  mm[0].msg_hdr.msg_namelen = 5;
  mem.put(0x3000, mm);
  timespec ts{0, 12345678};
  mem.put(0x4000, ts);
  const auto& d = snare::test::desc("recvmmsg");
  snare::format::entry_state st;
  std::string out;
  REQUIRE(snare::format::format_entry(out, d, {3, 0x3000, 1, 0, 0x4000}, mem, {}, {}, &st));
  mm[0].msg_hdr.msg_namelen = 0;
  mem.put(0x3000, mm);
  ts.tv_nsec = 12000000;
  mem.put(0x4000, ts);
  REQUIRE(snare::format::format_exit(out, d, {3, 0x3000, 1, 0, 0x4000}, 1, mem, {}, {}, &st));
  CHECK(out == R"(recvmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=5 => 0, msg_iov=[{iov_base="012", )"
               R"(iov_len=7}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}], 1, 0, )"
               R"({tv_sec=0, tv_nsec=12345678}) = 1 (left {tv_sec=0, tv_nsec=12000000}))");
  CHECK(call("recvmmsg", {3, 0x3000, 1, 0, 0x4000}, 0, mem) ==
        "recvmmsg(3, [], 1, 0, {tv_sec=0, tv_nsec=12000000}) = 0 (Timeout)");
}

TEST_CASE("recvfrom shows no more bytes than its buffer holds (MSG_TRUNC)", "[format][sockaddr]") {
  // strace 6.1 tests/recvfrom-MSG_TRUNC.c: the call returns the datagram's length.
  fake_memory mem;
  mem.put_string(0x1000, "A", false);
  CHECK(call("recvfrom", {3, 0x1000, 1, MSG_TRUNC, 0, 0}, 2, mem) ==
        R"(recvfrom(3, "A", 1, MSG_TRUNC, NULL, NULL) = 2)");
}

TEST_CASE("socket addresses of the other families strace decodes (net-sockaddr.c)", "[format][sockaddr]") {
  fake_memory mem;
  auto connect = [&](std::initializer_list<unsigned char> bytes) {
    std::vector<unsigned char> b(bytes);
    mem.put_bytes(0x1000, b.data(), b.size());
    std::string line = call("connect", {3, 0x1000, b.size()}, -9, mem);
    return line.substr(11, line.rfind("}, ") - 10);  // from after "connect(3, " to the closing brace
  };
  // An AF_INET address shorter than struct sockaddr_in: its bytes.
  CHECK(connect({2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}) ==
        R"({sa_family=AF_INET, sa_data="\0\0\0\0\0\0\377\377\377\377"})");
  // An abstract AF_UNIX name shows every byte of it.
  CHECK(connect({1, 0, 0, 'a', 0, 'b'}) == R"({sa_family=AF_UNIX, sun_path=@"a\0b"})");
  CHECK(connect({16, 0, 0xff, 0xff, 1, 0, 0, 0, 0xed, 0xfe, 0xce, 0xfa}) ==
        "{sa_family=AF_NETLINK, nl_pad=0xffff, nl_pid=1, nl_groups=0xfacefeed}");
  CHECK(connect({4, 0, 0x30, 0x39, 0xfa, 0xce, 0xfe, 0xed, 'A', 'B', 'C', 'D', 'E', 'F', 0xff, 0}) ==
        "{sa_family=AF_IPX, sipx_port=htons(12345), sipx_network=htonl(0xfacefeed), "
        "sipx_node=[0x41, 0x42, 0x43, 0x44, 0x45, 0x46], sipx_type=0xff}");
  CHECK(connect({9, 0, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'}) ==
        R"({sa_family=AF_X25, sx25_addr={x25_addr="0123456789abcde"...}})");
  // sockaddr_ll: sll_halen 9 of the 8 bytes the address holds.
  CHECK(connect({17, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}) ==
        "{sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=0, sll_hatype=ARPHRD_ETHER, "
        "sll_pkttype=PACKET_HOST, sll_halen=9, sll_addr=[0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, "
        "...]}");
  // strace 6.1 tests/sockaddr_xlat.c: AF_VSOCK, AF_MCTP, AF_QIPCRTR, AF_IEEE802154 with its
  // verbose-style fields, AF_RXRPC with a transport of a family it does not decode.
  CHECK(connect({40, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x42, 0, 0}) ==
        R"({sa_family=AF_VSOCK, svm_cid=VMADDR_CID_LOCAL, svm_port=0x1, svm_flags=VMADDR_FLAG_TO_HOST, )"
        R"(svm_zero="\x42\x00\x00"})");
  CHECK(connect({45, 0, 0xad, 0xde, 0, 0, 0, 0, 0xff, 1, 8, 0}) ==
        "{sa_family=AF_MCTP, __smctp_pad0=0xdead, smctp_network=MCTP_NET_ANY, "
        "smctp_addr={s_addr=MCTP_ADDR_ANY}, "
        "smctp_type=0x1, smctp_tag=0x8}");
  CHECK(connect({42, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff}) ==
        "{sa_family=AF_QIPCRTR, sq_node=QRTR_NODE_BCAST, sq_port=QRTR_PORT_CTRL}");
  CHECK(connect({36, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0}) ==
        "{sa_family=AF_IEEE802154, addr={addr_type=0x2 /* IEEE802154_ADDR_SHORT */, "
        "pan_id=0xffff /* IEEE802154_PANID_BROADCAST */, short_addr=0xfffe /* IEEE802154_ADDR_UNDEF */}}");
  std::vector<unsigned char> rx(36, 'a');
  const unsigned char head[] = {33, 0, 1, 0, 2, 0, 4, 0, 1, 0};  // CM_SERVICE, SOCK_DGRAM, 4 bytes, AF_UNIX
  std::copy(std::begin(head), std::end(head), rx.begin());
  mem.put_bytes(0x1000, rx.data(), rx.size());
  CHECK(call("connect", {3, 0x1000, 36}, -9, mem) ==
        R"(connect(3, {sa_family=AF_RXRPC, srx_service=0x1 /* CM_SERVICE */, transport_type=SOCK_DGRAM, )"
        R"(transport_len=4, transport={family=AF_UNIX, "aa"}}, 36) = -1 EBADF (Bad file descriptor))");
  // AX.25: a callsign is its letters shifted left by one; "VALID" with SSID 13, no digipeaters.
  CHECK(connect({3, 0, 'V' << 1, 'A' << 1, 'L' << 1, 'I' << 1, 'D' << 1, ' ' << 1, 13 << 1, 0, 0, 0, 0, 0, 0,
                 0}) == "{sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}");
}
