// Defines the decoding of NETLINK_ROUTE payloads (strace's netlink_route.c and rtnl_*.c):
// the family header of each RTM_* message (ifinfomsg, ifaddrmsg, rtmsg, ndmsg, fib_rule_hdr,
// tcmsg, ...) from one table of field layouts, and the attributes after it for the messages
// whose attribute tables are here (addresses, address labels, netconf); other attributes
// print with their type's name where known, their payload as bytes.
#pragma once

#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// How one field of a family header prints.
enum class rtnl_kind : unsigned char {
  u,          ///< unsigned decimal
  x,          ///< hex
  xval,       ///< an enumeration of `table`
  flags,      ///< a flag set of `table`
  ifindex,    ///< an interface index (`if_nametoindex("lo")`)
  x_nonzero,  ///< hex, and only when not zero (if_stats_msg's pads)
};

/// One field of a family header: its name, byte offset, size (1, 2 or 4) and form.
struct rtnl_field {
  std::string_view name;
  std::uint8_t offset, size;
  rtnl_kind kind;
  const xlat* table = nullptr;
};

/// Context an attribute decoder gets: the header's family (addresses are of that family).
struct rtnl_ctx {
  std::uint8_t family;
};

/// A family header: its family field's name, its size, the fields after the family (empty
/// for a family-only header), and its attribute table. `full` says whether the header is
/// printed only when the payload holds all of it (`{ifi_family=AF_UNIX, ...}` otherwise);
/// family-only headers print the family whatever the length.
struct rtnl_header {
  std::string_view family_field;
  std::uint8_t size;
  std::span<const rtnl_field> fields;
  const xlat* attrs = nullptr;
  std::uint8_t attr_table = 0;  ///< which decoder table (rtnl_attr_decoders) the attributes use
};

inline constexpr rtnl_field ifinfomsg_fields[] = {
    {"ifi_type", 2, 2, rtnl_kind::xval, &arp_hardware_types_xlat},
    {"ifi_index", 4, 4, rtnl_kind::ifindex},
    {"ifi_flags", 8, 4, rtnl_kind::flags, &iffflags_xlat},
    {"ifi_change", 12, 4, rtnl_kind::x},
};
inline constexpr rtnl_field ifaddrmsg_fields[] = {
    {"ifa_prefixlen", 1, 1, rtnl_kind::u},
    {"ifa_flags", 2, 1, rtnl_kind::flags, &ifaddrflags_xlat},
    {"ifa_scope", 3, 1, rtnl_kind::xval, &routing_scopes_xlat},
    {"ifa_index", 4, 4, rtnl_kind::ifindex},
};
inline constexpr rtnl_field rtmsg_fields[] = {
    {"rtm_dst_len", 1, 1, rtnl_kind::u},
    {"rtm_src_len", 2, 1, rtnl_kind::u},
    {"rtm_tos", 3, 1, rtnl_kind::flags, &ip_type_of_services_xlat},
    {"rtm_table", 4, 1, rtnl_kind::xval, &routing_table_ids_xlat},
    {"rtm_protocol", 5, 1, rtnl_kind::xval, &routing_protocols_xlat},
    {"rtm_scope", 6, 1, rtnl_kind::xval, &routing_scopes_xlat},
    {"rtm_type", 7, 1, rtnl_kind::xval, &routing_types_xlat},
    {"rtm_flags", 8, 4, rtnl_kind::flags, &routing_flags_xlat},
};
inline constexpr rtnl_field ndmsg_fields[] = {
    {"ndm_ifindex", 4, 4, rtnl_kind::ifindex},
    {"ndm_state", 8, 2, rtnl_kind::flags, &neighbor_cache_entry_states_xlat},
    {"ndm_flags", 10, 1, rtnl_kind::flags, &neighbor_cache_entry_flags_xlat},
    {"ndm_type", 11, 1, rtnl_kind::xval, &routing_types_xlat},
};
// strace names a rule's table with "RT_TABLE_???" (a route's table has no comment).
inline constexpr xlat rule_table_xlat{routing_table_ids_field, ~std::uint64_t{0}, {}, {}, "RT_TABLE_???"};
inline constexpr rtnl_field fib_rule_hdr_fields[] = {
    {"dst_len", 1, 1, rtnl_kind::u},
    {"src_len", 2, 1, rtnl_kind::u},
    {"tos", 3, 1, rtnl_kind::flags, &ip_type_of_services_xlat},
    {"table", 4, 1, rtnl_kind::xval, &rule_table_xlat},
    {"action", 7, 1, rtnl_kind::xval, &fib_rule_actions_xlat},
    {"flags", 8, 4, rtnl_kind::flags, &fib_rule_flags_xlat},
};
inline constexpr rtnl_field tcmsg_fields[] = {
    {"tcm_ifindex", 4, 4, rtnl_kind::ifindex},
    {"tcm_handle", 8, 4, rtnl_kind::u},
    {"tcm_parent", 12, 4, rtnl_kind::u},
    {"tcm_info", 16, 4, rtnl_kind::u},
};
inline constexpr rtnl_field ifaddrlblmsg_fields[] = {
    {"ifal_prefixlen", 2, 1, rtnl_kind::u},
    {"ifal_flags", 3, 1, rtnl_kind::u},
    {"ifal_index", 4, 4, rtnl_kind::ifindex},
    {"ifal_seq", 8, 4, rtnl_kind::u},
};
inline constexpr rtnl_field dcbmsg_fields[] = {
    {"cmd", 1, 1, rtnl_kind::xval, &dcb_commands_xlat},
};
inline constexpr rtnl_field br_port_msg_fields[] = {
    {"ifindex", 4, 4, rtnl_kind::ifindex},
};
inline constexpr rtnl_field if_stats_msg_fields[] = {
    {"pad1", 1, 1, rtnl_kind::x_nonzero},
    {"pad2", 2, 2, rtnl_kind::x_nonzero},
    {"ifindex", 4, 4, rtnl_kind::ifindex},
    {"filter_mask", 8, 4, rtnl_kind::flags, &ifstats_attr_flags_xlat},
};
inline constexpr rtnl_field nhmsg_fields[] = {
    {"nh_scope", 1, 1, rtnl_kind::xval, &routing_scopes_xlat},
    {"nh_protocol", 2, 1, rtnl_kind::xval, &routing_protocols_xlat},
    {"resvd", 3, 1, rtnl_kind::x_nonzero},
    {"nh_flags", 4, 4, rtnl_kind::flags, &route_nexthop_flags_xlat},
};

enum : std::uint8_t {
  rtnl_attrs_none,
  rtnl_attrs_addr,
  rtnl_attrs_addrlabel,
  rtnl_attrs_netconf,
  rtnl_attrs_neightbl,
  rtnl_attrs_tc,
};

inline constexpr rtnl_header ifinfomsg_header{"ifi_family", 16, ifinfomsg_fields, &rtnl_link_attrs_xlat};
inline constexpr rtnl_header ifaddrmsg_header{"ifa_family", 8, ifaddrmsg_fields, &rtnl_addr_attrs_xlat,
                                              rtnl_attrs_addr};
inline constexpr rtnl_header rtmsg_header{"rtm_family", 12, rtmsg_fields, &rtnl_route_attrs_xlat};
inline constexpr rtnl_header ndmsg_header{"ndm_family", 12, ndmsg_fields, &rtnl_neigh_attrs_xlat};
inline constexpr rtnl_header fib_rule_header{"family", 12, fib_rule_hdr_fields, &rtnl_rule_attrs_xlat};
inline constexpr rtnl_header tcmsg_header{"tcm_family", 20, tcmsg_fields, &rtnl_tc_attrs_xlat, rtnl_attrs_tc};
inline constexpr rtnl_header tcamsg_header{"tca_family", 4, {}, &rtnl_tc_action_attrs_xlat};
inline constexpr rtnl_header ndtmsg_header{
    "ndtm_family", 4, {}, &rtnl_neightbl_attrs_xlat, rtnl_attrs_neightbl};
inline constexpr rtnl_header ifaddrlblmsg_header{"ifal_family", 12, ifaddrlblmsg_fields,
                                                 &rtnl_addrlabel_attrs_xlat, rtnl_attrs_addrlabel};
inline constexpr rtnl_header dcbmsg_header{"dcb_family", 4, dcbmsg_fields, &rtnl_dcb_attrs_xlat};
inline constexpr rtnl_header netconfmsg_header{
    "ncm_family", 1, {}, &rtnl_netconf_attrs_xlat, rtnl_attrs_netconf};
inline constexpr rtnl_header br_port_msg_header{"family", 8, br_port_msg_fields, &rtnl_mdb_attrs_xlat};
inline constexpr rtnl_header rtgenmsg_header{"rtgen_family", 1, {}, &rtnl_nsid_attrs_xlat};
inline constexpr rtnl_header if_stats_msg_header{"family", 12, if_stats_msg_fields, &ifstats_attrs_xlat};
// RTM_NEWCACHEREPORT: an rtgenmsg whose attributes depend on the (multicast) family.
inline constexpr rtnl_header cachereport_header{"rtgen_family", 1, {}};
inline constexpr rtnl_header nhmsg_header{"nh_family", 8, nhmsg_fields, &rtnl_nexthop_attrs_xlat};

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

/// Returns whether a field's bytes are all zero.
inline bool rtnl_field_zero(const rtnl_field& f, const unsigned char* raw) noexcept {
  for (std::size_t i = 0; i < f.size; ++i)
    if (raw[f.offset + i]) return false;
  return true;
}

/// Appends one header field read from `raw`.
inline void put_rtnl_field(std::string& out, const rtnl_field& f, const unsigned char* raw) {
  std::uint32_t v = 0;
  if (f.size == 1) {
    v = raw[f.offset];
  } else if (f.size == 2) {
    std::uint16_t h;
    std::memcpy(&h, raw + f.offset, 2);
    v = h;
  } else {
    std::memcpy(&v, raw + f.offset, 4);
  }
  switch (f.kind) {
    case rtnl_kind::u:
      return put_udec(out, v);
    case rtnl_kind::x:
    case rtnl_kind::x_nonzero:
      return put_hex(out, v);
    case rtnl_kind::xval:
      return put_enum(out, *f.table, v);
    case rtnl_kind::flags:
      return put_flags(out, *f.table, v);
    case rtnl_kind::ifindex:
      return put_ifindex(out, v);
  }
}

// ---- attributes --------------------------------------------------------------------

/// An address of the header's family (strace's decode_inet_addr with no name): the bytes in
/// hex for another family or a short payload.
template <class P>
bool rtnl_nla_addr(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  int af = static_cast<const rtnl_ctx*>(opaque)->family;
  std::size_t size = af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
  if (size == 0 || len < size) return false;
  return nla_inet_addr(p, addr, len, af);
}

template <class P>
bool rtnl_nla_ifa_cacheinfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  struct {
    std::uint32_t ifa_prefered, ifa_valid, cstamp, tstamp;
  } ci;
  bool ok;
  if (!nla_struct(p, addr, len, ci, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("ifa_prefered"), ci.ifa_prefered);
  put_udec(f("ifa_valid"), ci.ifa_valid);
  put_udec(f("cstamp"), ci.cstamp);
  put_udec(f("tstamp"), ci.tstamp);
  out.push_back('}');
  return true;
}

template <class P>
bool rtnl_nla_ifa_flags(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) put_flags(p.out(), ifaddrflags_xlat, v);
  return true;
}

/// IFA_* payloads (strace's ifaddrmsg_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_addr_nla[] = {
    nullptr,                     // IFA_UNSPEC
    &rtnl_nla_addr<P>,           // IFA_ADDRESS
    &rtnl_nla_addr<P>,           // IFA_LOCAL
    &nla_str<P>,                 // IFA_LABEL
    &rtnl_nla_addr<P>,           // IFA_BROADCAST
    &rtnl_nla_addr<P>,           // IFA_ANYCAST
    &rtnl_nla_ifa_cacheinfo<P>,  // IFA_CACHEINFO
    &rtnl_nla_addr<P>,           // IFA_MULTICAST
    &rtnl_nla_ifa_flags<P>,      // IFA_FLAGS
    nla_u32<P>,                  // IFA_RT_PRIORITY
    nla_s32<P>,                  // IFA_TARGET_NETNSID
};
/// IFAL_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_addrlabel_nla[] = {
    nullptr,            // IFAL_UNSPEC
    &rtnl_nla_addr<P>,  // IFAL_ADDRESS
    nla_u32<P>,         // IFAL_LABEL
};
/// NETCONFA_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_netconf_nla[] = {
    nullptr,          // NETCONFA_UNSPEC
    &nla_ifindex<P>,  // NETCONFA_IFINDEX
    nla_s32<P>,       // NETCONFA_FORWARDING
    nla_s32<P>,       // NETCONFA_RP_FILTER
    nla_s32<P>,       // NETCONFA_MC_FORWARDING
    nla_s32<P>,       // NETCONFA_PROXY_NEIGH
    nla_s32<P>,       // NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN
    nla_s32<P>,       // NETCONFA_INPUT
    nla_s32<P>,       // NETCONFA_BC_FORWARDING
};

template <class P>
bool rtnl_nla_ndt_config(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  ndt_config c;
  bool ok;
  if (!nla_struct(p, addr, len, c, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("ndtc_key_len"), c.ndtc_key_len);
  put_udec(f("ndtc_entry_size"), c.ndtc_entry_size);
  put_udec(f("ndtc_entries"), c.ndtc_entries);
  put_udec(f("ndtc_last_flush"), c.ndtc_last_flush);
  put_udec(f("ndtc_last_rand"), c.ndtc_last_rand);
  put_udec(f("ndtc_hash_rnd"), c.ndtc_hash_rnd);
  put_hex(f("ndtc_hash_mask"), c.ndtc_hash_mask);
  put_udec(f("ndtc_hash_chain_gc"), c.ndtc_hash_chain_gc);
  put_udec(f("ndtc_proxy_qlen"), c.ndtc_proxy_qlen);
  out.push_back('}');
  return true;
}

/// NDTA_STATS: struct ndt_stats, or its older form without ndts_table_fulls.
template <class P>
bool rtnl_nla_ndt_stats(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  ndt_stats st{};
  constexpr std::size_t min_size = offsetof(ndt_stats, ndts_forced_gc_runs) + sizeof st.ndts_forced_gc_runs;
  std::size_t size = len >= sizeof st ? sizeof st : len == min_size ? min_size : 0;
  if (size == 0) return false;
  if (!p.read_exact(addr, size)) return put_ptr(p.out(), addr), true;
  std::memcpy(&st, scratch().data(), size);
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("ndts_allocs"), st.ndts_allocs);
  put_udec(f("ndts_destroys"), st.ndts_destroys);
  put_udec(f("ndts_hash_grows"), st.ndts_hash_grows);
  put_udec(f("ndts_res_failed"), st.ndts_res_failed);
  put_udec(f("ndts_lookups"), st.ndts_lookups);
  put_udec(f("ndts_hits"), st.ndts_hits);
  put_udec(f("ndts_rcv_probes_mcast"), st.ndts_rcv_probes_mcast);
  put_udec(f("ndts_rcv_probes_ucast"), st.ndts_rcv_probes_ucast);
  put_udec(f("ndts_periodic_gc_runs"), st.ndts_periodic_gc_runs);
  put_udec(f("ndts_forced_gc_runs"), st.ndts_forced_gc_runs);
  if (size == sizeof st) put_udec(f("ndts_table_fulls"), st.ndts_table_fulls);
  out.push_back('}');
  return true;
}

/// NDTPA_* payloads (strace's ndt_parms_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_ndt_parms_nla[] = {
    nullptr,          // NDTPA_UNSPEC
    &nla_ifindex<P>,  // NDTPA_IFINDEX
    nla_u32<P>,       // NDTPA_REFCNT
    nla_u64<P>,       // NDTPA_REACHABLE_TIME
    nla_u64<P>,       // NDTPA_BASE_REACHABLE_TIME
    nla_u64<P>,       // NDTPA_RETRANS_TIME
    nla_u64<P>,       // NDTPA_GC_STALETIME
    nla_u64<P>,       // NDTPA_DELAY_PROBE_TIME
    nla_u32<P>,       // NDTPA_QUEUE_LEN
    nla_u32<P>,       // NDTPA_APP_PROBES
    nla_u32<P>,       // NDTPA_UCAST_PROBES
    nla_u32<P>,       // NDTPA_MCAST_PROBES
    nla_u64<P>,       // NDTPA_ANYCAST_DELAY
    nla_u64<P>,       // NDTPA_PROXY_DELAY
    nla_u32<P>,       // NDTPA_PROXY_QLEN
    nla_u64<P>,       // NDTPA_LOCKTIME
    nla_u32<P>,       // NDTPA_QUEUE_LENBYTES
    nla_u32<P>,       // NDTPA_MCAST_REPROBES
    nullptr,          // NDTPA_PAD
    nla_u64<P>,       // NDTPA_INTERVAL_PROBE_TIME_MS
};

template <class P>
bool rtnl_nla_ndta_parms(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  put_nlattrs(p, addr, len, rtnl_neightbl_parms_attrs_xlat, std::span<const nla_fn<P>>(rtnl_ndt_parms_nla<P>),
              opaque);
  return true;
}

/// NDTA_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_neightbl_nla[] = {
    nullptr,                  // NDTA_UNSPEC
    &nla_str<P>,              // NDTA_NAME
    nla_u32<P>,               // NDTA_THRESH1
    nla_u32<P>,               // NDTA_THRESH2
    nla_u32<P>,               // NDTA_THRESH3
    &rtnl_nla_ndt_config<P>,  // NDTA_CONFIG
    &rtnl_nla_ndta_parms<P>,  // NDTA_PARMS
    &rtnl_nla_ndt_stats<P>,   // NDTA_STATS
    nla_u64<P>,               // NDTA_GC_INTERVAL
};

/// TCA_STATS: struct tc_stats up to its last field (its tail padding is not sent).
template <class P>
bool rtnl_nla_tc_stats(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  tc_stats st;
  constexpr std::size_t size = offsetof(tc_stats, backlog) + sizeof st.backlog;
  if (len < size) return false;
  if (!p.read_exact(addr, size)) return put_ptr(p.out(), addr), true;
  std::memcpy(&st, scratch().data(), size);
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("bytes"), st.bytes);
  put_udec(f("packets"), st.packets);
  put_udec(f("drops"), st.drops);
  put_udec(f("overlimits"), st.overlimits);
  put_udec(f("bps"), st.bps);
  put_udec(f("pps"), st.pps);
  put_udec(f("qlen"), st.qlen);
  put_udec(f("backlog"), st.backlog);
  out.push_back('}');
  return true;
}

/// TCA_RATE: struct tc_estimator.
template <class P>
bool rtnl_nla_tc_estimator(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  tc_estimator est;
  bool ok;
  if (!nla_struct(p, addr, len, est, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{interval=");
  put_dec(out, est.interval);
  out.append(", ewma_log=");
  put_udec(out, est.ewma_log);
  out.push_back('}');
  return true;
}

/// TCA_* payloads (options, xstats, stats2 and stab print as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_tc_nla[] = {
    nullptr,                    // TCA_UNSPEC
    &nla_str<P>,                // TCA_KIND
    nullptr,                    // TCA_OPTIONS
    &rtnl_nla_tc_stats<P>,      // TCA_STATS
    nullptr,                    // TCA_XSTATS
    &rtnl_nla_tc_estimator<P>,  // TCA_RATE
    nla_u32<P>,                 // TCA_FCNT
    nullptr,                    // TCA_STATS2
    nullptr,                    // TCA_STAB
    nullptr,                    // TCA_PAD
    nullptr,                    // TCA_DUMP_INVISIBLE
    nla_u32<P>,                 // TCA_CHAIN
    nla_u8<P>,                  // TCA_HW_OFFLOAD
    nla_u32<P>,                 // TCA_INGRESS_BLOCK
    nla_u32<P>,                 // TCA_EGRESS_BLOCK
    nla_u32<P>,                 // TCA_DUMP_FLAGS
};

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
  out.push_back('{');
  out.append(h->family_field).push_back('=');
  put_enum(out, socket_family_xlat, family);
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
      for (const auto& fd : h->fields) {
        if (fd.kind == rtnl_kind::x_nonzero && rtnl_field_zero(fd, raw)) continue;
        put_rtnl_field(f(fd.name), fd, raw);
      }
    }
  }
  out.push_back('}');
  std::uint32_t offset = (h->size + 3u) & ~3u;
  if (decoded && len > offset) {
    out.append(", ");
    rtnl_ctx ctx{family};
    static constexpr xlat no_names{{}, ~std::uint64_t{0}, {}, {}, {}};
    put_nlattrs(p, addr + offset, len - offset, h->attrs ? *h->attrs : no_names,
                rtnl_attr_decoders<P>(h->attr_table), &ctx);
  }
  return true;
}

}  // namespace snare::format::detail
