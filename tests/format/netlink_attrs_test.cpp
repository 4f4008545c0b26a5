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

/// An attribute of `type` around the attributes (or bytes) `body`: its length is theirs + 4.
std::vector<unsigned char> nest(std::uint16_t type, const std::vector<unsigned char>& body) {
  std::vector<unsigned char> a(4);
  std::uint16_t len = static_cast<std::uint16_t>(4 + body.size());
  std::memcpy(a.data(), &len, 2);
  std::memcpy(a.data() + 2, &type, 2);
  a.insert(a.end(), body.begin(), body.end());
  return a;
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
std::string sendto(const std::vector<unsigned char>& msg, int protocol,
                   const snare::format::options& opts = {}) {
  fake_memory mem;
  mem.put_bytes(0x1000, msg.data(), msg.size());
  std::string out;
  REQUIRE(snare::format::format_call(out, snare::test::desc("sendto"), {3, 0x1000, msg.size(), 0x40, 0, 0},
                                     static_cast<std::int64_t>(msg.size()), mem, opts,
                                     netlink_fds{protocol}));
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

TEST_CASE("link nests: bridge port, VF info, AF_SPEC, link info (nlattr_ifla_*.c)", "[format][netlink]") {
  std::vector<unsigned char> ifi(16, 0);
  auto link = [&](std::uint8_t family, const std::vector<unsigned char>& attr) {
    ifi[0] = family;
    return sendto(message(18 /* RTM_GETLINK */, dump, cat(ifi, attr)), route);
  };
  constexpr std::uint8_t af_unix = 1, af_inet = 2, af_bridge = 7;
  SECTION("an AF_BRIDGE link's IFLA_PROTINFO is IFLA_BRPORT_* (nlattr_ifla_brport.c)") {
    auto root = nest(12 /* IFLA_PROTINFO */,
                     nla(12, 13 /* IFLA_BRPORT_ROOT_ID */, {0xab, 0xcd, 0xab, 0xcd, 0xef, 0xac, 0xbc, 0xcd}));
    CHECK(link(af_bridge, root)
              .find("[{nla_len=12, nla_type=IFLA_BRPORT_ROOT_ID}, {prio=[171, 205], "
                    "addr=ab:cd:ef:ac:bc:cd}]") != std::string::npos);
    auto timer = nest(12, nla(12, 22 /* IFLA_BRPORT_FORWARD_DELAY_TIMER */, {0xe8, 3, 0, 0, 0, 0, 0, 0}));
    CHECK(link(af_bridge, timer)
              .find("[{nla_len=12, nla_type=IFLA_BRPORT_FORWARD_DELAY_TIMER}, 1000 /* 10.00 s */]") !=
          std::string::npos);
    auto mask = nest(12, nla(6, 31 /* IFLA_BRPORT_GROUP_FWD_MASK */, {1, 0}));
    CHECK(link(af_bridge, mask).find("[{nla_len=6, nla_type=IFLA_BRPORT_GROUP_FWD_MASK}, 0x1]") !=
          std::string::npos);
    // Another family's IFLA_PROTINFO stays bytes.
    CHECK(link(af_unix, nest(12, {5, 0, 1, 0, 7, 0, 0, 0}))
              .find("[{nla_len=12, nla_type=IFLA_PROTINFO}, \"\\x05\\x00\\x01\\x00\\x07\\x00\\x00\\x00\"]") !=
          std::string::npos);
  }
  SECTION("IFLA_VFINFO_LIST: IFLA_VF_INFO nests of IFLA_VF_* (nlattr_ifla_vfinfo.c)") {
    auto vf = [&](const std::vector<unsigned char>& attr) {
      return link(af_unix, nest(22 /* IFLA_VFINFO_LIST */, nest(1 /* IFLA_VF_INFO */, attr)));
    };
    CHECK(vf(nla(12, 5 /* IFLA_VF_LINK_STATE */, {0xed, 0xde, 0xef, 0xbe, 1, 0, 0, 0}))
              .find("[{nla_len=12, nla_type=IFLA_VF_LINK_STATE}, {vf=3203391213, "
                    "link_state=IFLA_VF_LINK_STATE_ENABLE}]]]") != std::string::npos);
    // struct ifla_vf_guid in both sizes: packed (12 bytes) and aligned (16).
    std::initializer_list<unsigned char> guid = {0xbe, 0xba, 0xed, 0xde, 0xed, 0x0d, 0xdc, 0xba};
    auto packed = nla(16, 10 /* IFLA_VF_IB_NODE_GUID */, {0xfe, 0xfe, 0xce, 0xfa});
    packed.insert(packed.end(), guid);
    CHECK(vf(packed).find("{vf=4207869694, guid=0xbadc0deddeedbabe}") != std::string::npos);
    auto aligned = nla(20, 11 /* IFLA_VF_IB_PORT_GUID */, {0xfe, 0xfe, 0xce, 0xfa, 0, 0, 0, 0});
    aligned.insert(aligned.end(), guid);
    CHECK(vf(aligned).find("IFLA_VF_IB_PORT_GUID}, {vf=4207869694, guid=0xbadc0deddeedbabe}") !=
          std::string::npos);
    auto vlan = nest(12 /* IFLA_VF_VLAN_LIST */,
                     nla(20, 1 /* IFLA_VF_VLAN_INFO */, {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x81, 0, 0, 0}));
    CHECK(vf(vlan).find("{vf=1, vlan=2, qos=3, vlan_proto=htons(ETH_P_8021Q)}") != std::string::npos);
    CHECK(vf(nest(8 /* IFLA_VF_STATS */, nla(12, 0 /* IFLA_VF_STATS_RX_PACKETS */, {7, 0, 0, 0, 0, 0, 0, 0})))
              .find("[{nla_len=12, nla_type=IFLA_VF_STATS_RX_PACKETS}, 7]") != std::string::npos);
  }
  SECTION("IFLA_AF_SPEC: IFLA_BRIDGE_* for AF_BRIDGE, else by family (nlattr_ifla_af_spec.c)") {
    CHECK(link(af_bridge, nest(26 /* IFLA_AF_SPEC */, nla(6, 0 /* IFLA_BRIDGE_FLAGS */, {3, 0})))
              .find("[{nla_len=6, nla_type=IFLA_BRIDGE_FLAGS}, BRIDGE_FLAGS_MASTER|BRIDGE_FLAGS_SELF]") !=
          std::string::npos);
    auto vlan = nla(12, 2 /* IFLA_BRIDGE_VLAN_INFO */, {1, 0, 1, 0, 0x7e, 0x7f, 0x80, 0x81});
    CHECK(link(af_bridge, nest(26, vlan))
              .find("{flags=BRIDGE_VLAN_INFO_MASTER, vid=1}, \"\\x7e\\x7f\\x80\\x81\"]") !=
          std::string::npos);
    auto conf =
        nest(26, nest(af_inet, nla(12, 1 /* IFLA_INET_CONF */, {0xde, 0xc0, 0xad, 0xde, 1, 0, 0, 0})));
    CHECK(link(af_unix, conf)
              .find("[{nla_len=16, nla_type=AF_INET}, [{nla_len=12, nla_type=IFLA_INET_CONF}, "
                    "[[IPV4_DEVCONF_FORWARDING-1]=-559038242, [IPV4_DEVCONF_MC_FORWARDING-1]=1]]]") !=
          std::string::npos);
    CHECK(link(af_unix, nest(26, nla(8, af_unix, {0xab, 0xac, 0xdb, 0xcd})))
              .find("[{nla_len=8, nla_type=AF_UNIX}, \"\\xab\\xac\\xdb\\xcd\"]") != std::string::npos);
  }
  SECTION("IFLA_LINKINFO: the data by the kind (nlattr_ifla_linkinfo.c)") {
    auto kind = [](std::initializer_list<unsigned char> name) {
      auto a = nla(static_cast<std::uint16_t>(4 + name.size()), 1 /* IFLA_INFO_KIND */, name);
      a.resize((a.size() + 3) & ~std::size_t{3});  // the next attribute starts aligned
      return a;
    };
    auto tun = cat(kind({'t', 'u', 'n', 0}),
                   nest(2 /* IFLA_INFO_DATA */, nla(5, 3 /* IFLA_TUN_TYPE */, {2, 0, 0, 0})));
    CHECK(
        link(af_unix, nest(18 /* IFLA_LINKINFO */, tun))
            .find("[{nla_len=8, nla_type=IFLA_INFO_KIND}, \"tun\"], [{nla_len=12, nla_type=IFLA_INFO_DATA}, "
                  "[{nla_len=5, nla_type=IFLA_TUN_TYPE}, IFF_TAP]]") != std::string::npos);
    auto bridge = cat(kind({'b', 'r', 'i', 'd', 'g', 'e', 0}),
                      nest(2, nla(6, 8 /* IFLA_BR_VLAN_PROTOCOL */, {0x88, 0x8e, 0, 0})));
    CHECK(link(af_unix, nest(18, bridge))
              .find("[{nla_len=6, nla_type=IFLA_BR_VLAN_PROTOCOL}, htons(ETH_P_PAE)]") != std::string::npos);
    // A kind without a table: its data as bytes.
    auto other = cat(kind({'v', 'e', 't', 'h', 0}), nla(8, 2, {1, 0, 0, 0}));
    CHECK(link(af_unix, nest(18, other))
              .find("[{nla_len=8, nla_type=IFLA_INFO_DATA}, \"\\x01\\x00\\x00\\x00\"]") != std::string::npos);
  }
}

TEST_CASE("RTM_NEWSTATS attributes: extended stats by type, AF_SPEC by family (nlattr_ifstats.c)",
          "[format][netlink]") {
  std::vector<unsigned char> hdr(12, 0);
  auto stats = [&](const std::vector<unsigned char>& attr) {
    return sendto(message(94 /* RTM_GETSTATS */, dump, cat(hdr, attr)), route);
  };
  std::vector<unsigned char> stp(48 + 2, 0);
  stp[48] = 1;
  stp[49] = 2;
  auto xstats = nest(2 /* IFLA_STATS_LINK_XSTATS */, nest(1 /* LINK_XSTATS_TYPE_BRIDGE */, nest(4, stp)));
  CHECK(stats(xstats).find("[{nla_len=54, nla_type=BRIDGE_XSTATS_STP}, {transition_blk=0, transition_fwd=0, "
                           "rx_bpdu=0, tx_bpdu=0, rx_tcn=0, tx_tcn=0}, \"\\x01\\x02\"]") !=
        std::string::npos);
  std::vector<unsigned char> mcast(sizeof(std::uint64_t) * 2 * 15 + 16, 0);
  mcast[0] = 1;
  mcast[8] = 2;
  auto m = nest(3 /* IFLA_STATS_LINK_XSTATS_SLAVE */, nest(1, nest(2 /* BRIDGE_XSTATS_MCAST */, mcast)));
  CHECK(stats(m).find("{igmp_v1queries=[[BR_MCAST_DIR_RX]=1, [BR_MCAST_DIR_TX]=2], igmp_v2queries=") !=
        std::string::npos);
  auto bond = nest(2, nest(2 /* LINK_XSTATS_TYPE_BOND */,
                           nest(1 /* BOND_XSTATS_3AD */,
                                nla(12, 0 /* BOND_3AD_STAT_LACPDU_RX */, {5, 0, 0, 0, 0, 0, 0, 0}))));
  CHECK(stats(bond).find("[{nla_len=12, nla_type=BOND_3AD_STAT_LACPDU_RX}, 5]") != std::string::npos);
  constexpr std::uint8_t af_mpls = 28;
  CHECK(stats(nest(5 /* IFLA_STATS_AF_SPEC */, nest(af_mpls, nla(8, 0, {1, 2, 3, 4}))))
            .find("[{nla_len=12, nla_type=AF_MPLS}, [{nla_len=8, nla_type=MPLS_STATS_UNSPEC}, "
                  "\"\\x01\\x02\\x03\\x04\"]]") != std::string::npos);
  CHECK(stats(nest(5, nla(8, 2 /* AF_INET */, {1, 2, 3, 4})))
            .find("[{nla_len=8, nla_type=AF_INET}, \"\\x01\\x02\\x03\\x04\"]") != std::string::npos);
}

TEST_CASE("route attributes: addresses by family, metrics, multipath, via (nlattr_rtmsg.c)",
          "[format][netlink]") {
  std::vector<unsigned char> rtm(12, 0);
  rtm[0] = 2;  // AF_INET
  auto route_msg = [&](const std::vector<unsigned char>& attr) {
    return sendto(message(26 /* RTM_GETROUTE */, dump, cat(rtm, attr)), route);
  };
  CHECK(route_msg(nla(8, 1 /* RTA_DST */, {0xde, 0xca, 0xff, 0xed}))
            .find("[{nla_len=8, nla_type=RTA_DST}, inet_addr(\"222.202.255.237\")]") != std::string::npos);
  CHECK(route_msg(nla(8, 15 /* RTA_TABLE */, {253, 0, 0, 0})).find("RTA_TABLE}, RT_TABLE_DEFAULT]") !=
        std::string::npos);
  CHECK(route_msg(nest(8 /* RTA_METRICS */, nla(8, 2 /* RTAX_MTU */, {0xdc, 5, 0, 0})))
            .find("[{nla_len=8, nla_type=RTAX_MTU}, 1500]") != std::string::npos);
  // Two next hops, each with its own RTA_* (nlattr_rtmsg.c's RTA_MULTIPATH).
  std::vector<unsigned char> hop1 = {16, 0, 0xc0, 0xab, 0, 0, 0, 0};
  hop1 = cat(hop1, nla(8, 5 /* RTA_GATEWAY */, {0xde, 0xad, 0xbe, 0xef}));
  std::vector<unsigned char> hop2 = {8, 0, 1, 2, 0, 0, 0, 0};
  CHECK(
      route_msg(nest(9 /* RTA_MULTIPATH */, cat(hop1, hop2)))
          .find(
              "[[{rtnh_len=16, rtnh_flags=RTNH_F_TRAP|0x80, rtnh_hops=171, rtnh_ifindex=0}, [{nla_len=8, "
              "nla_type=RTA_GATEWAY}, inet_addr(\"222.173.190.239\")]], {rtnh_len=8, rtnh_flags=RTNH_F_DEAD, "
              "rtnh_hops=2, rtnh_ifindex=0}]]") != std::string::npos);
  CHECK(route_msg(nla(10, 18 /* RTA_VIA */, {2, 0, 12, 34, 56, 78}))
            .find("{rtvia_family=AF_INET, rtvia_addr=inet_addr(\"12.34.56.78\")}") != std::string::npos);
  CHECK(route_msg(nla(6, 21 /* RTA_ENCAP_TYPE */, {0, 0})).find("LWTUNNEL_ENCAP_NONE]") != std::string::npos);
}

TEST_CASE("sock_diag attributes: a packet socket's filter, inet sockets' ULP info and options",
          "[format][netlink]") {
  constexpr int sock_diag = 4;
  SECTION("PACKET_DIAG_FILTER: classic BPF with -v (nlattr_packet_diag_msg.c)") {
    std::vector<unsigned char> msg(16, 0);  // struct packet_diag_msg
    msg[0] = 17;                            // AF_PACKET
    msg[1] = 1;                             // SOCK_STREAM
    auto filter = nla(20, 7 /* PACKET_DIAG_FILTER */,
                      {0x30, 0, 0, 0, 0x04, 0xf0, 0xff, 0xff, 0x06, 0, 0, 0, 0x2a, 0, 0, 0});
    snare::format::options v;
    v.verbose = true;
    CHECK(sendto(message(20 /* SOCK_DIAG_BY_FAMILY */, dump, cat(msg, filter)), sock_diag, v)
              .find("[{nla_len=20, nla_type=PACKET_DIAG_FILTER}, [BPF_STMT(BPF_LD|BPF_B|BPF_ABS, "
                    "SKF_AD_OFF+SKF_AD_PKTTYPE), BPF_STMT(BPF_RET|BPF_K, 0x2a)]]") != std::string::npos);
  }
  std::vector<unsigned char> idiag(72, 0);
  idiag[0] = 2;   // AF_INET
  idiag[1] = 10;  // TCP_LISTEN
  auto inet = [&](const std::vector<unsigned char>& attr) {
    return sendto(message(20, dump, cat(idiag, attr)), sock_diag);
  };
  SECTION("INET_DIAG_ULP_INFO: the ULP's name and TLS_INFO_* (nlattr_inet_diag_msg.c)") {
    CHECK(inet(nest(19 /* INET_DIAG_ULP_INFO */, nla(11, 1, {'O', 'H', ' ', 'H', 'A', 'I', 0})))
              .find("[{nla_len=11, nla_type=INET_ULP_INFO_NAME}, \"OH HAI\"]") != std::string::npos);
    CHECK(inet(nest(19, nest(2 /* INET_ULP_INFO_TLS */, nla(6, 1 /* TLS_INFO_VERSION */, {0, 0}))))
              .find("[{nla_len=6, nla_type=TLS_INFO_VERSION}, 0 /* TLS_???_VERSION */]") !=
          std::string::npos);
    CHECK(inet(nest(19, nest(2, nla(6, 2 /* TLS_INFO_CIPHER */, {52, 0}))))
              .find("TLS_INFO_CIPHER}, TLS_CIPHER_AES_GCM_256]") != std::string::npos);
    CHECK(inet(nest(19, nest(3 /* INET_ULP_INFO_MPTCP */,
                             nla(8, 8 /* MPTCP_SUBFLOW_ATTR_FLAGS */, {3, 0, 0, 0}))))
              .find("MPTCP_SUBFLOW_FLAG_MCAP_REM|MPTCP_SUBFLOW_FLAG_MCAP_LOC]") != std::string::npos);
  }
  SECTION("INET_DIAG_SOCKOPT: the set bits, then the non-zero tail") {
    CHECK(
        inet(nla(6, 22 /* INET_DIAG_SOCKOPT */, {0x53, 0x05}))
            .find("{recverr=1, is_icsk=1, mc_loop=1, mc_all=1, bind_address_no_port=1, defer_connect=1}]") !=
        std::string::npos);
    CHECK(inet(nla(8, 22, {0, 0xf8, 0, 0xff}))
              .find("{unused=0x1f /* bits 3..8 */}, /* bytes 2..3 */ \"\\x00\\xff\"]") != std::string::npos);
  }
  SECTION("INET_DIAG_SK_BPF_STORAGES: map values in hex by their size") {
    auto value =
        nest(20 /* INET_DIAG_SK_BPF_STORAGES */,
             nest(1 /* SK_DIAG_BPF_STORAGE */, nla(6, 3 /* SK_DIAG_BPF_STORAGE_MAP_VALUE */, {0xad, 0xde})));
    CHECK(inet(value).find("[{nla_len=6, nla_type=SK_DIAG_BPF_STORAGE_MAP_VALUE}, 0xdead]") !=
          std::string::npos);
  }
}
