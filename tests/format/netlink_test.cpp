// Tests netlink message decoding (decode/netlink.hpp) against strace 6.1's
// tests/netlink_protocol.c, netlink_route.c, netlink_xfrm.c and netlink_selinux.c, with a
// resolver that names the socket's netlink protocol; and that a resolver without one
// leaves the buffer as bytes. The live lookup (/proc/<pid>/net/netlink) is checked on this
// process's own socket.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"

using snare::test::fake_memory;

namespace {

// Resolves fd 3 as a netlink socket of protocol `protocol`.
struct netlink_fds {
  int protocol;
  bool append_fd_path(int, std::string&) const noexcept { return false; }
  int netlink_protocol(int fd) const noexcept { return fd == 3 ? protocol : -1; }
};

std::string sendto(fake_memory& mem, std::uint64_t len, std::int64_t ret, int protocol,
                   snare::format::options o = {}) {
  std::string out;
  REQUIRE(snare::format::format_call(out, snare::test::desc("sendto"), {3, 0x1000, len, 0x40, 0, 0}, ret, mem,
                                     o, netlink_fds{protocol}));
  return out;
}

void put_header(unsigned char* at, std::uint32_t len, std::uint16_t type, std::uint16_t flags,
                std::uint32_t seq = 0, std::uint32_t pid = 0) {
  std::memcpy(at, &len, 4);
  std::memcpy(at + 4, &type, 2);
  std::memcpy(at + 6, &flags, 2);
  std::memcpy(at + 8, &seq, 4);
  std::memcpy(at + 12, &pid, 4);
}

}  // namespace

TEST_CASE("netlink headers print by the socket's protocol, payloads in hex", "[format][netlink]") {
  fake_memory mem;
  unsigned char buf[64] = {};
  put_header(buf, 20, NLMSG_NOOP, NLM_F_REQUEST | 0x300);
  std::memcpy(buf + 16, "abcd", 4);
  mem.put_bytes(0x1000, buf, 20);
  CHECK(
      sendto(mem, 20, 20, 4 /* NETLINK_SOCK_DIAG */) ==
      R"(sendto(3, [{nlmsg_len=20, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=0, nlmsg_pid=0}, "\x61\x62\x63\x64"], 20, MSG_DONTWAIT, NULL, 0) = 20)");
  // rtnetlink: a get request's flags, a delete's, an unknown type's family and data.
  put_header(buf, 16, 18 /* RTM_GETLINK */, NLM_F_REQUEST | NLM_F_DUMP);
  mem.put_bytes(0x1000, buf, 16);
  CHECK(sendto(mem, 16, 16, 0) ==
        "sendto(3, {nlmsg_len=16, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=0, "
        "nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16");
  put_header(buf, 21, 0xffff, NLM_F_REQUEST);
  buf[16] = 0;
  std::memcpy(buf + 17, "1234", 4);
  mem.put_bytes(0x1000, buf, 21);
  CHECK(
      sendto(mem, 21, 21, 0) ==
      R"(sendto(3, [{nlmsg_len=21, nlmsg_type=0xffff /* RTM_??? */, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {family=AF_UNSPEC, data="\x31\x32\x33\x34"}], 21, MSG_DONTWAIT, NULL, 0) = 21)");
  // xfrm's delete flags; the raw style.
  put_header(buf, 16, 0x11 /* XFRM_MSG_DELSA */, NLM_F_ECHO | 0x100);
  mem.put_bytes(0x1000, buf, 16);
  CHECK(
      sendto(mem, 16, 16, 6) ==
      "sendto(3, {nlmsg_len=16, nlmsg_type=XFRM_MSG_DELSA, nlmsg_flags=NLM_F_ECHO|NLM_F_NONREC, nlmsg_seq=0, "
      "nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16");
  snare::format::options raw;
  raw.xlat = snare::format::xlat_style::raw;
  CHECK(sendto(mem, 16, 16, 6, raw) ==
        "sendto(3, {nlmsg_len=16, nlmsg_type=0x11, nlmsg_flags=0x108, nlmsg_seq=0, nlmsg_pid=0}, 16, 0x40, "
        "NULL, 0) = "
        "16");
  // Without a netlink protocol, the buffer stays a string.
  CHECK(sendto(mem, 16, 16, -1).find(R"(sendto(3, "\20\0\0\0)") == 0);
}

TEST_CASE("NLMSG_ERROR shows its errno and the request it answers; selinux payloads", "[format][netlink]") {
  fake_memory mem;
  unsigned char buf[64] = {};
  put_header(buf, 36, NLMSG_ERROR, NLM_F_REQUEST);
  std::int32_t err = -13;
  std::memcpy(buf + 16, &err, 4);
  put_header(buf + 20, 16, NLMSG_NOOP, NLM_F_REQUEST, 4213, 123456);
  mem.put_bytes(0x1000, buf, 36);
  CHECK(
      sendto(mem, 36, 36, 4) ==
      "sendto(3, [{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
      "nlmsg_pid=0}, "
      "{error=-EACCES, msg={nlmsg_len=16, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=4213, "
      "nlmsg_pid=123456}}], 36, MSG_DONTWAIT, NULL, 0) = 36");
  put_header(buf, 20, 0x10 /* SELNL_MSG_SETENFORCE */, NLM_F_REQUEST);
  std::int32_t val = -69410901;
  std::memcpy(buf + 16, &val, 4);
  mem.put_bytes(0x1000, buf, 20);
  CHECK(sendto(mem, 20, -111, 7) ==
        "sendto(3, [{nlmsg_len=20, nlmsg_type=SELNL_MSG_SETENFORCE, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
        "nlmsg_pid=0}, {val=-69410901}], 20, MSG_DONTWAIT, NULL, 0) = -1 ECONNREFUSED (Connection refused)");
}

TEST_CASE("proc_fd_resolver finds a netlink socket's protocol in /proc/<pid>/net/netlink",
          "[format][netlink]") {
  int fd = ::socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  if (fd < 0) {
    WARN("no netlink socket here: " << std::strerror(errno));
    return;
  }
  // A netlink socket is listed once bound (here: the kernel picks its port id).
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  int other = ::socket(AF_UNIX, SOCK_STREAM, 0);
  snare::format::proc_fd_resolver r(::getpid());
  CHECK(r.netlink_protocol(fd) == NETLINK_ROUTE);
  CHECK(r.netlink_protocol(other) == -1);
  CHECK(r.netlink_protocol(0x7fff) == -1);
  ::close(fd);
  ::close(other);
}

TEST_CASE("sock_diag requests and responses print by family, with their attributes", "[format][netlink]") {
  // From strace 6.1's tests/netlink_sock_diag.c, nlattr.c and nlattr_unix_diag_msg.c.
  fake_memory mem;
  unsigned char buf[96] = {};
  SECTION("a unix_diag_req") {
    put_header(buf, 40, 20 /* SOCK_DIAG_BY_FAMILY */, NLM_F_REQUEST);
    unsigned char req[24] = {1 /* AF_UNIX */, 253};
    std::uint32_t states = 1 << 1 | 1 << 10, ino = 0xfacefeed, show = 1, cookie[2] = {0xdeadbeef, 0xbadc0ded};
    std::memcpy(req + 4, &states, 4);
    std::memcpy(req + 8, &ino, 4);
    std::memcpy(req + 12, &show, 4);
    std::memcpy(req + 16, cookie, 8);
    std::memcpy(buf + 16, req, sizeof req);
    mem.put_bytes(0x1000, buf, 40);
    CHECK(sendto(mem, 40, 40, 4) ==
          "sendto(3, [{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
          "nlmsg_pid=0}, {sdiag_family=AF_UNIX, sdiag_protocol=253, "
          "udiag_states=1<<TCP_ESTABLISHED|1<<TCP_LISTEN, "
          "udiag_ino=4207869677, udiag_show=UDIAG_SHOW_NAME, udiag_cookie=[3735928559, 3134983661]}], 40, "
          "MSG_DONTWAIT, NULL, 0) = 40");
    // Shorter than the struct: the family, then `...`.
    put_header(buf, 21, 20, NLM_F_REQUEST);
    std::memcpy(buf + 17, "1234", 4);
    mem.put_bytes(0x1000, buf, 21);
    CHECK(sendto(mem, 21, 21, 4) ==
          "sendto(3, [{nlmsg_len=21, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
          "nlmsg_pid=0}, {sdiag_family=AF_UNIX, ...}], 21, MSG_DONTWAIT, NULL, 0) = 21");
  }
  SECTION("a unix_diag_msg with attributes: one, several, a short one") {
    put_header(buf, 40, 20, NLM_F_DUMP);
    unsigned char msg[16] = {1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 4 /* TCP_FIN_WAIT1 */};
    std::memcpy(buf + 16, msg, sizeof msg);
    std::uint16_t nla[2] = {8, 2 /* UNIX_DIAG_PEER */};
    std::uint32_t peer = 42;
    std::memcpy(buf + 32, nla, 4);
    std::memcpy(buf + 36, &peer, 4);
    mem.put_bytes(0x1000, buf, 40);
    const std::string head =
        "[{nlmsg_len=40, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, nlmsg_pid=0}, "
        "{udiag_family=AF_UNIX, udiag_type=SOCK_STREAM, udiag_state=TCP_FIN_WAIT1, udiag_ino=0, "
        "udiag_cookie=[0, 0]}, ";
    CHECK(sendto(mem, 40, 40, 4) ==
          "sendto(3, " + head +
              "[{nla_len=8, nla_type=UNIX_DIAG_PEER}, 42]], 40, MSG_DONTWAIT, NULL, 0) = 40");
    // Two attributes, the second of an unknown type (0x1234) and NLA_F_NESTED.
    put_header(buf, 48, 20, NLM_F_DUMP);
    std::uint16_t nla2[2] = {8, 0x8000 | 0x1234};
    std::memcpy(buf + 40, nla2, 4);
    std::memcpy(buf + 44, "abcd", 4);
    mem.put_bytes(0x1000, buf, 48);
    std::string head48 = head;
    head48.replace(head48.find("40"), 2, "48");
    CHECK(sendto(mem, 48, 48, 4) ==
          "sendto(3, " + head48 +
              "[[{nla_len=8, nla_type=UNIX_DIAG_PEER}, 42], [{nla_len=8, "
              "nla_type=NLA_F_NESTED|0x1234 /* UNIX_DIAG_??? */}, \"\\x61\\x62\\x63\\x64\"]]], "
              "48, MSG_DONTWAIT, NULL, 0) = 48");
    // Fewer bytes than an attribute header: the bytes.
    put_header(buf, 34, 20, NLM_F_DUMP);
    std::memcpy(buf + 32, "12", 2);
    mem.put_bytes(0x1000, buf, 34);
    std::string head34 = head;
    head34.replace(head34.find("40"), 2, "34");
    CHECK(sendto(mem, 34, 34, 4) ==
          "sendto(3, " + head34 + "\"\\x31\\x32\"], 34, MSG_DONTWAIT, NULL, 0) = 34");
  }
  SECTION("an inet_diag_req_v2 with its socket id, in each -X style") {
    put_header(buf, 72, 20, NLM_F_REQUEST);
    unsigned char req[56] = {2 /* AF_INET */, 6 /* IPPROTO_TCP */, 1 << 3 /* INET_DIAG_CONG */};
    std::uint32_t states = 1 << 7;  // TCP_CLOSE
    std::memcpy(req + 4, &states, 4);
    std::uint16_t sport = htons(52730), dport = htons(44510);
    std::memcpy(req + 8, &sport, 2);
    std::memcpy(req + 10, &dport, 2);
    unsigned char a[4] = {12, 34, 56, 78};
    std::memcpy(req + 12, a, 4);  // idiag_src
    std::memcpy(req + 28, a, 4);  // idiag_dst
    std::memcpy(buf + 16, req, sizeof req);
    mem.put_bytes(0x1000, buf, 72);
    CHECK(sendto(mem, 72, 72, 4) ==
          "sendto(3, [{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
          "nlmsg_pid=0}, {sdiag_family=AF_INET, sdiag_protocol=IPPROTO_TCP, idiag_ext=1<<(INET_DIAG_CONG-1), "
          "idiag_states=1<<TCP_CLOSE, id={idiag_sport=htons(52730), idiag_dport=htons(44510), "
          "idiag_src=inet_addr(\"12.34.56.78\"), idiag_dst=inet_addr(\"12.34.56.78\"), idiag_if=0, "
          "idiag_cookie=[0, 0]}}], 72, MSG_DONTWAIT, NULL, 0) = 72");
    snare::format::options raw;
    raw.xlat = snare::format::xlat_style::raw;
    std::string r = sendto(mem, 72, 72, 4, raw);
    CHECK(r.find(
              "idiag_ext=0x8, idiag_states=0x80, id={idiag_sport=\"\\xcd\\xfa\", idiag_dport=\"\\xad\\xde\", "
              "idiag_src=\"\\x0c\\x22\\x38\\x4e\\x00") != std::string::npos);
  }
  SECTION("an unknown family prints as family and data") {
    put_header(buf, 21, 20, NLM_F_REQUEST);
    buf[16] = 0x2e;
    std::memcpy(buf + 17, "1234", 4);
    mem.put_bytes(0x1000, buf, 21);
    CHECK(sendto(mem, 21, 21, 4) ==
          "sendto(3, [{nlmsg_len=21, nlmsg_type=SOCK_DIAG_BY_FAMILY, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
          "nlmsg_pid=0}, {family=0x2e /* AF_??? */, data=\"\\x31\\x32\\x33\\x34\"}], 21, MSG_DONTWAIT, NULL, "
          "0) = 21");
  }
}

TEST_CASE("rtnetlink family headers print from their field table, with address attributes",
          "[format][netlink]") {
  // From strace 6.1's tests/netlink_route.c and nlattr_ifaddrmsg.c (ifindex 0: no name).
  fake_memory mem;
  unsigned char buf[64] = {};
  put_header(buf, 32, 16 /* RTM_NEWLINK */, NLM_F_REQUEST);
  unsigned char ifi[16] = {1 /* AF_UNIX */};
  std::uint16_t type = 772;  // ARPHRD_LOOPBACK
  std::uint32_t flags = 1, change = 0xfabcdeba;
  std::memcpy(ifi + 2, &type, 2);
  std::memcpy(ifi + 8, &flags, 4);
  std::memcpy(ifi + 12, &change, 4);
  std::memcpy(buf + 16, ifi, sizeof ifi);
  mem.put_bytes(0x1000, buf, 32);
  CHECK(sendto(mem, 32, 32, 0) ==
        "sendto(3, [{nlmsg_len=32, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
        "nlmsg_pid=0}, "
        "{ifi_family=AF_UNIX, ifi_type=ARPHRD_LOOPBACK, ifi_index=0, ifi_flags=IFF_UP, "
        "ifi_change=0xfabcdeba}], 32, "
        "MSG_DONTWAIT, NULL, 0) = 32");
  SECTION("an ifaddrmsg with an IPv4 address, a short header, a type without one") {
    put_header(buf, 32, 22 /* RTM_GETADDR */, NLM_F_DUMP);
    unsigned char ifa[8] = {2 /* AF_INET */, 0, 1 /* IFA_F_SECONDARY */, 0};
    std::memcpy(buf + 16, ifa, sizeof ifa);
    std::uint16_t nla[2] = {8, 1 /* IFA_ADDRESS */};
    unsigned char a[4] = {12, 34, 56, 78};
    std::memcpy(buf + 24, nla, 4);
    std::memcpy(buf + 28, a, 4);
    mem.put_bytes(0x1000, buf, 32);
    CHECK(sendto(mem, 32, 32, 0) ==
          "sendto(3, [{nlmsg_len=32, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, "
          "nlmsg_pid=0}, "
          "{ifa_family=AF_INET, ifa_prefixlen=0, ifa_flags=IFA_F_SECONDARY, ifa_scope=RT_SCOPE_UNIVERSE, "
          "ifa_index=0}, [{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr(\"12.34.56.78\")]], 32, MSG_DONTWAIT, "
          "NULL, "
          "0) = 32");
    put_header(buf, 20, 22, NLM_F_DUMP);
    mem.put_bytes(0x1000, buf, 20);
    CHECK(sendto(mem, 20, 20, 0) ==
          "sendto(3, [{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, "
          "nlmsg_pid=0}, "
          "{ifa_family=AF_INET, ...}], 20, MSG_DONTWAIT, NULL, 0) = 20");
    put_header(buf, 20, 23 /* RTM_NEWADDR + 3 */, NLM_F_REQUEST);
    mem.put_bytes(0x1000, buf, 20);
    CHECK(sendto(mem, 20, 20, 0).find("{family=AF_INET, data=\"\\x00\\x01\\x00\"}") != std::string::npos);
  }
}

TEST_CASE("rtnetlink traffic control messages decode TCA_STATS and TCA_RATE", "[format][netlink]") {
  // From strace 6.1's tests/nlattr_tcmsg.c (ifindex 0: no name).
  fake_memory mem;
  unsigned char buf[96] = {};
  put_header(buf, 42, 36 /* RTM_NEWQDISC */, NLM_F_REQUEST);
  unsigned char tc[20] = {1 /* AF_UNIX */};
  std::memcpy(buf + 16, tc, sizeof tc);
  std::uint16_t nla[2] = {6, 5 /* TCA_RATE */};
  std::memcpy(buf + 36, nla, 4);
  buf[40] = static_cast<unsigned char>(-51);  // interval
  buf[41] = 171;                              // ewma_log
  mem.put_bytes(0x1000, buf, 42);
  CHECK(sendto(mem, 42, 42, 0) ==
        "sendto(3, [{nlmsg_len=42, nlmsg_type=RTM_NEWQDISC, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, "
        "nlmsg_pid=0}, "
        "{tcm_family=AF_UNIX, tcm_ifindex=0, tcm_handle=0, tcm_parent=0, tcm_info=0}, [{nla_len=6, "
        "nla_type=TCA_RATE}, {interval=-51, ewma_log=171}]], 42, MSG_DONTWAIT, NULL, 0) = 42");
}
