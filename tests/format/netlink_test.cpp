// Tests netlink message decoding (decode/netlink.hpp) against strace 6.1's
// tests/netlink_protocol.c, netlink_route.c, netlink_xfrm.c and netlink_selinux.c, with a
// resolver that names the socket's netlink protocol; and that a resolver without one
// leaves the buffer as bytes. The live lookup (/proc/<pid>/net/netlink) is checked on this
// process's own socket.
#include <catch2/catch.hpp>

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
