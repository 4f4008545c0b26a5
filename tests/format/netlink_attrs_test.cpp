// Tests the netlink attribute tables (decode/netlink_route_*.hpp, netlink_netfilter.hpp, the
// extended ack of netlink.hpp): each expected line is strace 6.1's output for the same bytes
// in its tests/nlattr_*.c and nfnetlink_*.c (interface index 0, which has no name).
#include <catch2/catch.hpp>

#include <linux/netlink.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "fake_memory.hpp"

using snare::test::fake_memory;

namespace {

struct netlink_fds {
  int protocol;
  bool append_fd_path(int, std::string&) const noexcept { return false; }
  int netlink_protocol(int fd) const noexcept { return fd == 3 ? protocol : -1; }
};

/// A message: nlmsghdr of `type` and `flags`, then `payload`.
std::vector<unsigned char> message(std::uint16_t type, std::uint16_t flags,
                                   std::vector<unsigned char> payload) {
  std::vector<unsigned char> m(16);
  std::uint32_t len = static_cast<std::uint32_t>(16 + payload.size()), zero = 0;
  std::memcpy(m.data(), &len, 4);
  std::memcpy(m.data() + 4, &type, 2);
  std::memcpy(m.data() + 6, &flags, 2);
  std::memcpy(m.data() + 8, &zero, 4);
  std::memcpy(m.data() + 12, &zero, 4);
  m.insert(m.end(), payload.begin(), payload.end());
  return m;
}

/// An attribute header of `len` bytes and `type`, followed by `body`.
std::vector<unsigned char> nla(std::uint16_t len, std::uint16_t type,
                               std::initializer_list<unsigned char> body) {
  std::vector<unsigned char> a(4 + body.size());
  std::memcpy(a.data(), &len, 2);
  std::memcpy(a.data() + 2, &type, 2);
  std::copy(body.begin(), body.end(), a.begin() + 4);
  return a;
}

std::vector<unsigned char> cat(std::vector<unsigned char> a, const std::vector<unsigned char>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// Formats sendto(3, msg, len, MSG_DONTWAIT, NULL, 0) = len on a socket of `protocol`.
std::string sendto(const std::vector<unsigned char>& msg, int protocol) {
  fake_memory mem;
  mem.put_bytes(0x1000, msg.data(), msg.size());
  std::string out;
  REQUIRE(snare::format::format_call(out, snare::test::desc("sendto"), {3, 0x1000, msg.size(), 0x40, 0, 0},
                                     static_cast<std::int64_t>(msg.size()), mem, {}, netlink_fds{protocol}));
  return out;
}

constexpr int route = 0, netfilter = 12;
constexpr std::uint16_t dump = NLM_F_DUMP, request = NLM_F_REQUEST;

}  // namespace

TEST_CASE("netfilter messages: subsystem<<8|message, flags by kind, nfgenmsg", "[format][netlink]") {
  // tests/nfnetlink_nftables.c, nfnetlink_osf.c and netlink_netfilter.c.
  CHECK(
      sendto(message(10 << 8 | 0, request | NLM_F_REPLACE, {}), netfilter) ==
      "sendto(3, {nlmsg_len=16, nlmsg_type=NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_NEWTABLE, "
      "nlmsg_flags=NLM_F_REQUEST|NLM_F_REPLACE, nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16");
  CHECK(sendto(message(5 << 8 | 0xff, request, {}), netfilter) ==
        "sendto(3, {nlmsg_len=16, nlmsg_type=NFNL_SUBSYS_OSF<<8|0xff /* OSF_MSG_??? */, "
        "nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16");
  CHECK(sendto(message(0xffff, request, {}), netfilter) ==
        "sendto(3, {nlmsg_len=16, nlmsg_type=0xff /* NFNL_SUBSYS_??? */<<8|0xff, nlmsg_flags=NLM_F_REQUEST, "
        "nlmsg_seq=0, nlmsg_pid=0}, 16, MSG_DONTWAIT, NULL, 0) = 16");
  CHECK(sendto(message(0x10, request, {}), netfilter).find("nlmsg_type=NFNL_MSG_BATCH_BEGIN") !=
        std::string::npos);
  // nfgenmsg: res_id in network order, NFNL_SUBSYS_NFTABLES named for nftables.
  CHECK(sendto(message(10 << 8 | 0, request, {1, 0, 0, 10}), netfilter) ==
        "sendto(3, [{nlmsg_len=20, nlmsg_type=NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_NEWTABLE, "
        "nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=0, nlmsg_pid=0}, {nfgen_family=AF_UNIX, version=NFNETLINK_V0, "
        "res_id=htons(NFNL_SUBSYS_NFTABLES)}], 20, MSG_DONTWAIT, NULL, 0) = 20");
  CHECK(sendto(message(1 << 8 | 1, request, {1, 0, 0xab, 0xcd}), netfilter)
            .find("{nfgen_family=AF_UNIX, version=NFNETLINK_V0, res_id=htons(43981)}") != std::string::npos);
}

TEST_CASE("an extended ack's attributes decode by NLMSGERR_ATTR_*", "[format][netlink]") {
  // tests/nlattr_nlmsgerr.c: a capped error with a two-byte cookie.
  std::vector<unsigned char> err = {0xf3, 0xff, 0xff, 0xff};  // -EACCES
  err = cat(err, message(1 /* NLMSG_NOOP */, request, {}));
  err = cat(err, nla(6, 3 /* NLMSGERR_ATTR_COOKIE */, {0xab, 0xfe}));
  CHECK(sendto(message(2, request | 0x100 /* NLM_F_CAPPED */, err), route) ==
        "sendto(3, [{nlmsg_len=42, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST|NLM_F_CAPPED, "
        "nlmsg_seq=0, "
        "nlmsg_pid=0}, [{error=-EACCES, msg={nlmsg_len=16, nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST, "
        "nlmsg_seq=0, nlmsg_pid=0}}, [{nla_len=6, nla_type=NLMSGERR_ATTR_COOKIE}, [171, 254]]]], 42, "
        "MSG_DONTWAIT, NULL, 0) = 42");
}

TEST_CASE("rtnetlink attribute tables: next hops, rules, actions, stats, mdb, neighbours",
          "[format][netlink]") {
  // nhmsg {AF_INET, RT_SCOPE_NOWHERE, RTPROT_UNSPEC, nh_flags=RTNH_F_PERVASIVE|RTNH_F_UNRESOLVED}.
  std::vector<unsigned char> nh = {2, 255, 0, 0, 0x22, 0, 0, 0};
  SECTION("NHA_GROUP: an array of nexthop_grp, reserved fields when set (nlattr_nhmsg.c)") {
    auto m = message(106 /* RTM_GETNEXTHOP */, dump,
                     cat(nh, nla(20, 2 /* NHA_GROUP */,
                                 {0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0, 0, 0, 0, 0, 0xda, 0, 0xad, 0xde})));
    CHECK(sendto(m, route).find("[{nla_len=20, nla_type=NHA_GROUP}, [{id=3735928559, weight=0}, "
                                "{id=0, weight=218, resvd2=0xdead}]]") != std::string::npos);
  }
  SECTION("NHA_GATEWAY by the header's family; NHA_GROUP_TYPE by name") {
    CHECK(sendto(message(106, dump, cat(nh, nla(8, 6 /* NHA_GATEWAY */, {222, 202, 255, 237}))), route)
              .find("[{nla_len=8, nla_type=NHA_GATEWAY}, inet_addr(\"222.202.255.237\")]") !=
          std::string::npos);
    CHECK(sendto(message(106, dump, cat(nh, nla(6, 3 /* NHA_GROUP_TYPE */, {1, 0}))), route)
              .find("NEXTHOP_GRP_TYPE_RES]") != std::string::npos);
  }
  SECTION("FRA_UID_RANGE and FRA_TUN_ID (nlattr_fib_rule_hdr.c)") {
    std::vector<unsigned char> rule = {1, 0, 0, 0x10, 0, 0,
                                       0, 1, 2, 0,    0, 0};  // FR_ACT_TO_TBL, FIB_RULE_INVERT
    CHECK(sendto(message(34 /* RTM_GETRULE */, dump,
                         cat(rule, nla(12, 20 /* FRA_UID_RANGE */,
                                       {0xad, 0xde, 0xcd, 0xab, 0xba, 0xad, 0xde, 0xbc}))),
                 route)
              .find("{nla_len=12, nla_type=FRA_UID_RANGE}, {start=2882395821, end=3168710074}]") !=
          std::string::npos);
    CHECK(sendto(message(34, dump, cat(rule, nla(12, 12 /* FRA_TUN_ID */, {0, 0, 0, 0, 0, 0, 0, 1}))), route)
              .find("{nla_len=12, nla_type=FRA_TUN_ID}, htobe64(1)]") != std::string::npos);
  }
  SECTION("TCA_ACT_FLAGS by name with the unknown bits (nlattr_tcamsg.c)") {
    std::vector<unsigned char> tca = {1, 0, 0, 0};
    CHECK(
        sendto(message(50 /* RTM_GETACTION */, dump, cat(tca, nla(8, 7, {0xff, 0xbe, 0xce, 0xfa}))), route)
            .find("TCA_ACT_FLAGS_NO_PERCPU_STATS|TCA_ACT_FLAGS_SKIP_HW|TCA_ACT_FLAGS_SKIP_SW|0xfacebef8]") !=
        std::string::npos);
  }
  SECTION("TCA_STATS2 nests gnet_stats_basic without its padding (nlattr_tc_stats.c)") {
    std::vector<unsigned char> tc(20, 0);
    tc[0] = 1;
    auto basic = nla(16, 1 /* TCA_STATS_BASIC */, {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0});
    auto stats2 = nla(20, 7 /* TCA_STATS2 */, {});
    stats2.insert(stats2.end(), basic.begin(), basic.end());
    CHECK(sendto(message(38 /* RTM_GETQDISC */, dump, cat(tc, stats2)), route)
              .find("[{nla_len=20, nla_type=TCA_STATS2}, [{nla_len=16, nla_type=TCA_STATS_BASIC}, "
                    "{bytes=1, packets=2}]]") != std::string::npos);
  }
  SECTION("MDBA_ROUTER_PORT: an ifindex, then its attributes (nlattr_mdba_router_port.c)") {
    std::vector<unsigned char> bpm = {7 /* AF_BRIDGE */, 0, 0, 0, 0, 0, 0, 0};
    auto port = nla(13, 1 /* MDBA_ROUTER_PORT */, {0, 0, 0, 0});
    auto type = nla(5, 2 /* MDBA_ROUTER_PATTR_TYPE */, {0});
    port.insert(port.end(), type.begin(), type.end());
    port.resize(16);
    auto router = nla(17, 2 /* MDBA_ROUTER */, {});
    router.insert(router.end(), port.begin(), port.begin() + 13);
    CHECK(sendto(message(86 /* RTM_GETMDB */, dump, cat(bpm, router)), route)
              .find("[{nla_len=17, nla_type=MDBA_ROUTER}, [{nla_len=13, nla_type=MDBA_ROUTER_PORT}, 0, "
                    "[{nla_len=5, nla_type=MDBA_ROUTER_PATTR_TYPE}, MDB_RTR_TYPE_DISABLED]]]") !=
          std::string::npos);
  }
  SECTION("NDA_LLADDR as a hardware address, NDA_PORT in network order (nlattr_ndmsg.c)") {
    std::vector<unsigned char> nd(12, 0);
    nd[0] = 1;
    CHECK(sendto(message(30 /* RTM_GETNEIGH */, dump,
                         cat(nd, nla(9, 2 /* NDA_LLADDR */, {0xf8, 0xc2, 0x49, 0x13, 0x57}))),
                 route)
              .find("[{nla_len=9, nla_type=NDA_LLADDR}, f8:c2:49:13:57]") != std::string::npos);
    CHECK(sendto(message(30, dump, cat(nd, nla(6, 6 /* NDA_PORT */, {0xcd, 0xab}))), route)
              .find("[{nla_len=6, nla_type=NDA_PORT}, htons(52651)]") != std::string::npos);
  }
  SECTION("a cache report's attributes by its family (nlattr_cachereport.c)") {
    CHECK(sendto(message(96 /* RTM_NEWCACHEREPORT */, NLM_F_REPLACE, {0x2e, 0, 0, 0, 0xab, 0xac, 0xdb, 0xcd}),
                 route)
              .find("{rtgen_family=0x2e /* RTNL_FAMILY_??? */}, \"\\xab\\xac\\xdb\\xcd\"]") !=
          std::string::npos);
    CHECK(sendto(message(96, NLM_F_REPLACE,
                         cat({128, 0, 0, 0}, nla(8, 2 /* IPMRA_CREPORT_VIF_ID */, {1, 0, 0, 0}))),
                 route)
              .find("{rtgen_family=RTNL_FAMILY_IPMR}, [{nla_len=8, nla_type=IPMRA_CREPORT_VIF_ID}, 1]]") !=
          std::string::npos);
  }
}

TEST_CASE("link attributes: counters, device map, filter mask, ports (nlattr_ifinfomsg.c)",
          "[format][netlink]") {
  std::vector<unsigned char> ifi(16, 0);
  ifi[0] = 1;  // AF_UNIX
  auto link = [&](const std::vector<unsigned char>& attr) {
    return sendto(message(18 /* RTM_GETLINK */, dump, cat(ifi, attr)), route);
  };
  CHECK(link(nla(8, 29 /* IFLA_EXT_MASK */, {0x81, 0xfe, 0xad, 0xde}))
            .find("[{nla_len=8, nla_type=IFLA_EXT_MASK}, RTEXT_FILTER_VF|0xdeadfe80]") != std::string::npos);
  CHECK(link(nla(8, 44 /* IFLA_EVENT */, {7, 0, 0, 0})).find("0x7 /* IFLA_EVENT_??? */]") !=
        std::string::npos);
  SECTION("IFLA_MAP: struct rtnl_link_ifmap without its tail padding") {
    auto map = nla(32, 14 /* IFLA_MAP */,
                   {1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 5, 6});
    CHECK(link(map).find("{mem_start=0x1, mem_end=0x2, base_addr=0x3, irq=4, dma=5, port=6}]") !=
          std::string::npos);
  }
  SECTION("IFLA_STATS in its older form, without rx_nohandler") {
    std::vector<unsigned char> stats(4 + 92, 0);
    std::uint16_t len = 96, type = 7 /* IFLA_STATS */;
    std::memcpy(stats.data(), &len, 2);
    std::memcpy(stats.data() + 2, &type, 2);
    stats[4] = 1;
    std::string out = link(stats);
    CHECK(out.find("{rx_packets=1, tx_packets=0, ") != std::string::npos);
    CHECK(out.find("tx_compressed=0}]") != std::string::npos);
    CHECK(out.find("rx_nohandler") == std::string::npos);
  }
  SECTION("IFLA_PORT_SELF: a VSI type with its pad when set (nlattr_ifla_port.c)") {
    auto port = cat(nla(16, 25 /* IFLA_PORT_SELF */, {}),
                    nla(12, 3 /* IFLA_PORT_VSI_TYPE */, {171, 0x0a, 0, 0xff, 239, 0, 1, 2}));
    CHECK(link(port).find(
              "[{nla_len=12, nla_type=IFLA_PORT_VSI_TYPE}, {vsi_mgr_id=171, vsi_type_id=\"\\x0a\\x00\\xff\", "
              "vsi_type_version=239, pad=\"\\x00\\x01\\x02\"}]") != std::string::npos);
  }
  SECTION("IFLA_XDP: attach mode by name, flags (nlattr_ifla_xdp.c)") {
    auto xdp = cat(nla(9, 43 /* IFLA_XDP */, {}), nla(5, 2 /* IFLA_XDP_ATTACHED */, {3}));
    CHECK(link(xdp).find("[{nla_len=5, nla_type=IFLA_XDP_ATTACHED}, XDP_ATTACHED_HW]") != std::string::npos);
    xdp = cat(nla(12, 43, {}), nla(8, 3 /* IFLA_XDP_FLAGS */, {0x1e, 0, 0, 0}));
    CHECK(link(xdp).find("[{nla_len=8, nla_type=IFLA_XDP_FLAGS}, XDP_FLAGS_MODES|XDP_FLAGS_REPLACE]") !=
          std::string::npos);
  }
  SECTION("IFLA_PROTINFO of an AF_INET6 link: IFLA_INET6_* (nlattr_ifla_protinfo.c)") {
    ifi[0] = 10;  // AF_INET6
    auto flags = cat(nla(12, 12 /* IFLA_PROTINFO */, {}), nla(8, 1 /* IFLA_INET6_FLAGS */, {0xc0, 0, 0, 0}));
    CHECK(link(flags).find("[{nla_len=8, nla_type=IFLA_INET6_FLAGS}, IF_RA_MANAGED|IF_RA_OTHERCONF]") !=
          std::string::npos);
    // The counters by index; a strace-unknown index in decimal with a comment.
    auto conf = cat(nla(16, 12, {}), nla(12, 2 /* IFLA_INET6_CONF */, {0xde, 0xc0, 0xad, 0xde, 1, 0, 0, 0}));
    CHECK(link(conf).find("[{nla_len=12, nla_type=IFLA_INET6_CONF}, [[DEVCONF_FORWARDING]=-559038242, "
                          "[DEVCONF_HOPLIMIT]=1]]") != std::string::npos);
    std::vector<unsigned char> stats(7 * 8, 0);
    stats[6 * 8] = 9;
    auto icmp = cat(nla(64, 12, {}), cat(nla(60, 6 /* IFLA_INET6_ICMP6STATS */, {}), stats));
    CHECK(link(icmp).find("[ICMP6_MIB_CSUMERRORS]=0, [6 /* ICMP6_MIB_??? */]=9]") != std::string::npos);
    auto agm = cat(nla(12, 12, {}), nla(5, 8 /* IFLA_INET6_ADDR_GEN_MODE */, {3}));
    CHECK(link(agm).find("[{nla_len=5, nla_type=IFLA_INET6_ADDR_GEN_MODE}, IN6_ADDR_GEN_MODE_RANDOM]") !=
          std::string::npos);
  }
  SECTION("IFLA_PROTO_DOWN_REASON: a nest of hex masks") {
    auto reason = cat(nla(12, 55 /* IFLA_PROTO_DOWN_REASON */, {}), nla(8, 1, {0xcd, 0xdb, 0xac, 0xab}));
    CHECK(link(reason).find("[{nla_len=8, nla_type=IFLA_PROTO_DOWN_REASON_MASK}, 0xabacdbcd]") !=
          std::string::npos);
  }
}
