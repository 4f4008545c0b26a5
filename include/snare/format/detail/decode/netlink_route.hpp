// Defines the decoding of NETLINK_ROUTE payloads (strace's netlink_route.c and rtnl_*.c):
// the family header of each RTM_* message (ifinfomsg, ifaddrmsg, rtmsg, ndmsg, fib_rule_hdr,
// tcmsg, ...) from one table of field layouts, and the attributes after it for the messages
// whose attribute tables are here (addresses, address labels, netconf); other attributes
// print with their type's name where known, their payload as bytes.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_attrs.hpp>
#include <snare/format/detail/decode/netlink_route_link.hpp>
#include <snare/format/detail/decode/netlink_route_mdb.hpp>
#include <snare/format/detail/decode/netlink_route_nh.hpp>
#include <snare/format/detail/decode/netlink_route_rta.hpp>
#include <snare/format/detail/decode/netlink_route_stats.hpp>
#include <snare/format/detail/decode/netlink_route_tc.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// A family header: its family field's name, its size, the fields after the family (empty
/// for a family-only header), and its attribute table. `full` says whether the header is
/// printed only when the payload holds all of it (`{ifi_family=AF_UNIX, ...}` otherwise);
/// family-only headers print the family whatever the length.
struct rtnl_header {
  std::string_view family_field;
  std::uint8_t size;
  std::span<const nl_field> fields;  ///< offsets from the struct's start
  const xlat* attrs = nullptr;
  std::uint8_t attr_table = 0;  ///< which decoder table (rtnl_attr_decoders) the attributes use
};

inline constexpr nl_field ifinfomsg_fields[] = {
    {"ifi_type", 2, 2, nl_kind::xval, &arp_hardware_types_xlat},
    {"ifi_index", 4, 4, nl_kind::ifindex},
    {"ifi_flags", 8, 4, nl_kind::flags, &iffflags_xlat},
    {"ifi_change", 12, 4, nl_kind::x},
};
inline constexpr nl_field ifaddrmsg_fields[] = {
    {"ifa_prefixlen", 1, 1, nl_kind::u},
    {"ifa_flags", 2, 1, nl_kind::flags, &ifaddrflags_xlat},
    {"ifa_scope", 3, 1, nl_kind::xval, &routing_scopes_xlat},
    {"ifa_index", 4, 4, nl_kind::ifindex},
};
inline constexpr nl_field rtmsg_fields[] = {
    {"rtm_dst_len", 1, 1, nl_kind::u},
    {"rtm_src_len", 2, 1, nl_kind::u},
    {"rtm_tos", 3, 1, nl_kind::flags, &ip_type_of_services_xlat},
    {"rtm_table", 4, 1, nl_kind::xval, &routing_table_ids_xlat},
    {"rtm_protocol", 5, 1, nl_kind::xval, &routing_protocols_xlat},
    {"rtm_scope", 6, 1, nl_kind::xval, &routing_scopes_xlat},
    {"rtm_type", 7, 1, nl_kind::xval, &routing_types_xlat},
    {"rtm_flags", 8, 4, nl_kind::flags, &routing_flags_xlat},
};
inline constexpr nl_field ndmsg_fields[] = {
    {"ndm_ifindex", 4, 4, nl_kind::ifindex},
    {"ndm_state", 8, 2, nl_kind::flags, &neighbor_cache_entry_states_xlat},
    {"ndm_flags", 10, 1, nl_kind::flags, &neighbor_cache_entry_flags_xlat},
    {"ndm_type", 11, 1, nl_kind::xval, &routing_types_xlat},
};
// strace names a rule's table with "RT_TABLE_???" (a route's table has no comment).
inline constexpr xlat rule_table_xlat{routing_table_ids_field, ~std::uint64_t{0}, {}, {}, "RT_TABLE_???"};
inline constexpr nl_field fib_rule_hdr_fields[] = {
    {"dst_len", 1, 1, nl_kind::u},
    {"src_len", 2, 1, nl_kind::u},
    {"tos", 3, 1, nl_kind::flags, &ip_type_of_services_xlat},
    {"table", 4, 1, nl_kind::xval, &rule_table_xlat},
    {"action", 7, 1, nl_kind::xval, &fib_rule_actions_xlat},
    {"flags", 8, 4, nl_kind::flags, &fib_rule_flags_xlat},
};
inline constexpr nl_field tcmsg_fields[] = {
    {"tcm_ifindex", 4, 4, nl_kind::ifindex},
    {"tcm_handle", 8, 4, nl_kind::u},
    {"tcm_parent", 12, 4, nl_kind::u},
    {"tcm_info", 16, 4, nl_kind::u},
};
inline constexpr nl_field ifaddrlblmsg_fields[] = {
    {"ifal_prefixlen", 2, 1, nl_kind::u},
    {"ifal_flags", 3, 1, nl_kind::u},
    {"ifal_index", 4, 4, nl_kind::ifindex},
    {"ifal_seq", 8, 4, nl_kind::u},
};
inline constexpr nl_field dcbmsg_fields[] = {
    {"cmd", 1, 1, nl_kind::xval, &dcb_commands_xlat},
};
inline constexpr nl_field br_port_msg_fields[] = {
    {"ifindex", 4, 4, nl_kind::ifindex},
};
inline constexpr nl_field if_stats_msg_fields[] = {
    {"pad1", 1, 1, nl_kind::x_nonzero},
    {"pad2", 2, 2, nl_kind::x_nonzero},
    {"ifindex", 4, 4, nl_kind::ifindex},
    {"filter_mask", 8, 4, nl_kind::flags, &ifstats_attr_flags_xlat},
};
inline constexpr nl_field nhmsg_fields[] = {
    {"nh_scope", 1, 1, nl_kind::xval, &routing_scopes_xlat},
    {"nh_protocol", 2, 1, nl_kind::xval, &routing_protocols_xlat},
    {"resvd", 3, 1, nl_kind::x_nonzero},
    {"nh_flags", 4, 4, nl_kind::flags, &route_nexthop_flags_xlat},
};

enum : std::uint8_t {
  rtnl_attrs_none,
  rtnl_attrs_addr,
  rtnl_attrs_addrlabel,
  rtnl_attrs_netconf,
  rtnl_attrs_neightbl,
  rtnl_attrs_tc,
  rtnl_attrs_tca,
  rtnl_attrs_nexthop,
  rtnl_attrs_rule,
  rtnl_attrs_mdb,
  rtnl_attrs_neigh,
  rtnl_attrs_link,
  rtnl_attrs_cachereport,  ///< attributes by family (put_cachereport_attrs)
  rtnl_attrs_stats,
  rtnl_attrs_route,
};

inline constexpr rtnl_header ifinfomsg_header{"ifi_family", 16, ifinfomsg_fields, &rtnl_link_attrs_xlat,
                                              rtnl_attrs_link};
inline constexpr rtnl_header ifaddrmsg_header{"ifa_family", 8, ifaddrmsg_fields, &rtnl_addr_attrs_xlat,
                                              rtnl_attrs_addr};
inline constexpr rtnl_header rtmsg_header{"rtm_family", 12, rtmsg_fields, &rtnl_route_attrs_xlat,
                                          rtnl_attrs_route};
inline constexpr rtnl_header ndmsg_header{"ndm_family", 12, ndmsg_fields, &rtnl_neigh_attrs_xlat,
                                          rtnl_attrs_neigh};
inline constexpr rtnl_header fib_rule_header{"family", 12, fib_rule_hdr_fields, &rtnl_rule_attrs_xlat,
                                             rtnl_attrs_rule};
inline constexpr rtnl_header tcmsg_header{"tcm_family", 20, tcmsg_fields, &rtnl_tc_attrs_xlat, rtnl_attrs_tc};
inline constexpr rtnl_header tcamsg_header{"tca_family", 4, {}, &rtnl_tc_action_attrs_xlat, rtnl_attrs_tca};
inline constexpr rtnl_header ndtmsg_header{
    "ndtm_family", 4, {}, &rtnl_neightbl_attrs_xlat, rtnl_attrs_neightbl};
inline constexpr rtnl_header ifaddrlblmsg_header{"ifal_family", 12, ifaddrlblmsg_fields,
                                                 &rtnl_addrlabel_attrs_xlat, rtnl_attrs_addrlabel};
inline constexpr rtnl_header dcbmsg_header{"dcb_family", 4, dcbmsg_fields, &rtnl_dcb_attrs_xlat};
inline constexpr rtnl_header netconfmsg_header{
    "ncm_family", 1, {}, &rtnl_netconf_attrs_xlat, rtnl_attrs_netconf};
inline constexpr rtnl_header br_port_msg_header{"family", 8, br_port_msg_fields, &rtnl_mdb_attrs_xlat,
                                                rtnl_attrs_mdb};
inline constexpr rtnl_header rtgenmsg_header{"rtgen_family", 1, {}, &rtnl_nsid_attrs_xlat};
inline constexpr rtnl_header if_stats_msg_header{"family", 12, if_stats_msg_fields, &ifstats_attrs_xlat,
                                                 rtnl_attrs_stats};
// RTM_NEWCACHEREPORT: an rtgenmsg whose attributes depend on the (multicast) family.
inline constexpr rtnl_header cachereport_header{"rtgen_family", 1, {}, nullptr, rtnl_attrs_cachereport};
inline constexpr rtnl_header nhmsg_header{"nh_family", 8, nhmsg_fields, &rtnl_nexthop_attrs_xlat,
                                          rtnl_attrs_nexthop};

/// The family header of each RTM_* type from RTM_BASE (16), as strace's route_decoders;
/// null for a type without one (printed as `{family=..., data=...}`).
inline constexpr auto rtnl_headers = [] {
  std::array<const rtnl_header*, 0x70 - 16> t{};
  auto set = [&](std::initializer_list<int> types, const rtnl_header* h) {
    for (int type : types) t[static_cast<std::size_t>(type - 16)] = h;
  };
  set({16, 17, 18, 19}, &ifinfomsg_header);      // RTM_NEWLINK, DELLINK, GETLINK, SETLINK
  set({20, 21, 22, 58, 62}, &ifaddrmsg_header);  // RTM_*ADDR, GETMULTICAST, GETANYCAST
  set({24, 25, 26}, &rtmsg_header);              // RTM_*ROUTE
  set({28, 29, 30}, &ndmsg_header);              // RTM_*NEIGH
  set({32, 33, 34}, &fib_rule_header);           // RTM_*RULE
  set({36, 37, 38, 40, 41, 42, 44, 45, 46, 100, 101, 102},
      &tcmsg_header);                       // *QDISC, *TCLASS, *TFILTER, *CHAIN
  set({48, 49, 50}, &tcamsg_header);        // RTM_*ACTION
  set({64, 66, 67}, &ndtmsg_header);        // RTM_NEWNEIGHTBL, GETNEIGHTBL, SETNEIGHTBL
  set({72, 73, 74}, &ifaddrlblmsg_header);  // RTM_*ADDRLABEL
  set({78, 79}, &dcbmsg_header);            // RTM_GETDCB, SETDCB
  set({80, 81, 82}, &netconfmsg_header);    // RTM_*NETCONF
  set({84, 85, 86}, &br_port_msg_header);   // RTM_*MDB
  set({88, 89, 90}, &rtgenmsg_header);      // RTM_*NSID
  set({92, 94}, &if_stats_msg_header);      // RTM_NEWSTATS, GETSTATS
  set({96}, &cachereport_header);           // RTM_NEWCACHEREPORT
  set({104, 105, 106}, &nhmsg_header);      // RTM_*NEXTHOP
  return t;
}();

/// Returns the family header of RTM_* message `type`, or null. RTM_GETNEIGH of AF_BRIDGE
/// carries an ifinfomsg.
inline const rtnl_header* rtnl_header_of(std::uint16_t type, std::uint8_t family) noexcept {
  if (type == 30 && family == AF_BRIDGE) return &ifinfomsg_header;
  if (type < 16 || type - 16u >= rtnl_headers.size()) return nullptr;
  return rtnl_headers[type - 16u];
}

template <class P>
std::span<const nla_fn<P>> rtnl_attr_decoders(std::uint8_t table) noexcept {
  switch (table) {
    case rtnl_attrs_addr:
      return rtnl_addr_nla<P>;
    case rtnl_attrs_addrlabel:
      return rtnl_addrlabel_nla<P>;
    case rtnl_attrs_netconf:
      return rtnl_netconf_nla<P>;
    case rtnl_attrs_neightbl:
      return rtnl_neightbl_nla<P>;
    case rtnl_attrs_tc:
      return rtnl_tc_nla<P>;
    case rtnl_attrs_tca:
      return rtnl_tca_nla<P>;
    case rtnl_attrs_nexthop:
      return rtnl_nexthop_nla<P>;
    case rtnl_attrs_rule:
      return rtnl_rule_nla<P>;
    case rtnl_attrs_mdb:
      return rtnl_mdb_nla<P>;
    case rtnl_attrs_neigh:
      return rtnl_neigh_nla<P>;
    case rtnl_attrs_link:
      return rtnl_link_nla<P>;
    case rtnl_attrs_stats:
      return rtnl_ifstats_nla<P>;
    case rtnl_attrs_route:
      return rtnl_route_nla<P>;
    default:
      return {};
  }
}

/// Appends the payload of RTM_* message `type` (after its nlmsghdr) as strace's
/// decode_netlink_route: the family header, `...` when the payload is shorter than it, then
/// its attributes; `{family=AF_X, data="..."}` for a type without a header. Returns false
/// for NLMSG_DONE (not a family payload).
template <class P>
bool put_rtnl(P& p, std::uint64_t addr, std::uint32_t len, std::uint16_t type) {
  std::string& out = p.out();
  std::uint8_t family;
  if (!p.read_obj(addr, family)) return put_ptr(out, addr), true;
  const rtnl_header* h = rtnl_header_of(type, family);
  if (!h) {
    out.append("{family=");
    put_enum(out, socket_family_xlat, family);
    if (len > 1) out.append(", data="), put_hex_bytes(p, addr + 1, len - 1);
    out.push_back('}');
    return true;
  }
  bool cachereport = h->attr_table == rtnl_attrs_cachereport;
  out.push_back('{');
  out.append(h->family_field).push_back('=');
  cachereport ? put_rtnl_family(out, family) : put_enum(out, socket_family_xlat, family);
  bool decoded = true;
  if (!h->fields.empty()) {
    out.append(", ");
    if (len < h->size) {
      out.append("...");
      decoded = false;
    } else if (!p.read_exact(addr, h->size)) {
      put_ptr(out, addr + 1);
      decoded = false;
    } else {
      unsigned char raw[32];
      std::memcpy(raw, scratch().data(), h->size);
      field_sep f{out};
      put_nl_fields(f, h->fields, raw, h->size);
    }
  }
  out.push_back('}');
  std::uint32_t offset = (h->size + 3u) & ~3u;
  if (decoded && len > offset) {
    out.append(", ");
    if (cachereport) return put_cachereport_attrs(p, addr + offset, len - offset, family), true;
    rtnl_ctx ctx{family};
    static constexpr xlat no_names{{}, ~std::uint64_t{0}, {}, {}, {}};
    put_nlattrs(p, addr + offset, len - offset, h->attrs ? *h->attrs : no_names,
                rtnl_attr_decoders<P>(h->attr_table), &ctx);
  }
  return true;
}

}  // namespace snare::format::detail
