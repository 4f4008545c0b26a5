// Defines the attribute decoders of RTM_NEWSTATS and RTM_GETSTATS (strace's rtnl_stats.c):
// IFLA_STATS_* after struct if_stats_msg, with the link and slave extended statistics
// (LINK_XSTATS_TYPE_BRIDGE's BRIDGE_XSTATS_*, LINK_XSTATS_TYPE_BOND's BOND_3AD_STAT_*), the
// offload statistics and IFLA_STATS_AF_SPEC (AF_MPLS's MPLS_STATS_*).
#pragma once

#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/mpls.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_link.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- struct layouts (linux/if_bridge.h, linux/mpls.h) -----------------------------------

/// struct bridge_vlan_xstats: pad2 only when set.
inline constexpr nl_field bridge_vlan_xstats_fields[] = {
    {"rx_bytes", offsetof(bridge_vlan_xstats, rx_bytes), 8, nl_kind::u},
    {"rx_packets", offsetof(bridge_vlan_xstats, rx_packets), 8, nl_kind::u},
    {"tx_bytes", offsetof(bridge_vlan_xstats, tx_bytes), 8, nl_kind::u},
    {"tx_packets", offsetof(bridge_vlan_xstats, tx_packets), 8, nl_kind::u},
    {"vid", offsetof(bridge_vlan_xstats, vid), 2, nl_kind::u},
    {"flags", offsetof(bridge_vlan_xstats, flags), 2, nl_kind::flags, &nl_bridge_vlan_flags_xlat},
    {"pad2", offsetof(bridge_vlan_xstats, pad2), 4, nl_kind::x_nonzero},
};

/// struct br_mcast_stats: each counter by direction (BR_MCAST_DIR_*), the parse errors alone.
#define SNARE_BR_MCAST_FIELD(name)                                                             \
  nl_field {                                                                                   \
#name, offsetof(br_mcast_stats, name), sizeof(br_mcast_stats::name), nl_kind::u64_indexed, \
        &ifstats_xstats_bridge_mcast_indices_xlat                                              \
  }
inline constexpr nl_field br_mcast_stats_fields[] = {
    SNARE_BR_MCAST_FIELD(igmp_v1queries),
    SNARE_BR_MCAST_FIELD(igmp_v2queries),
    SNARE_BR_MCAST_FIELD(igmp_v3queries),
    SNARE_BR_MCAST_FIELD(igmp_leaves),
    SNARE_BR_MCAST_FIELD(igmp_v1reports),
    SNARE_BR_MCAST_FIELD(igmp_v2reports),
    SNARE_BR_MCAST_FIELD(igmp_v3reports),
    {"igmp_parse_errors", offsetof(br_mcast_stats, igmp_parse_errors), 8, nl_kind::u},
    SNARE_BR_MCAST_FIELD(mld_v1queries),
    SNARE_BR_MCAST_FIELD(mld_v2queries),
    SNARE_BR_MCAST_FIELD(mld_leaves),
    SNARE_BR_MCAST_FIELD(mld_v1reports),
    SNARE_BR_MCAST_FIELD(mld_v2reports),
    {"mld_parse_errors", offsetof(br_mcast_stats, mld_parse_errors), 8, nl_kind::u},
    SNARE_BR_MCAST_FIELD(mcast_bytes),
    SNARE_BR_MCAST_FIELD(mcast_packets),
};
#undef SNARE_BR_MCAST_FIELD

inline constexpr nl_field bridge_stp_xstats_fields[] = {
    {"transition_blk", offsetof(bridge_stp_xstats, transition_blk), 8, nl_kind::u},
    {"transition_fwd", offsetof(bridge_stp_xstats, transition_fwd), 8, nl_kind::u},
    {"rx_bpdu", offsetof(bridge_stp_xstats, rx_bpdu), 8, nl_kind::u},
    {"tx_bpdu", offsetof(bridge_stp_xstats, tx_bpdu), 8, nl_kind::u},
    {"rx_tcn", offsetof(bridge_stp_xstats, rx_tcn), 8, nl_kind::u},
    {"tx_tcn", offsetof(bridge_stp_xstats, tx_tcn), 8, nl_kind::u},
};

inline constexpr nl_field mpls_link_stats_fields[] = {
    {"rx_packets", offsetof(mpls_link_stats, rx_packets), 8, nl_kind::u},
    {"tx_packets", offsetof(mpls_link_stats, tx_packets), 8, nl_kind::u},
    {"rx_bytes", offsetof(mpls_link_stats, rx_bytes), 8, nl_kind::u},
    {"tx_bytes", offsetof(mpls_link_stats, tx_bytes), 8, nl_kind::u},
    {"rx_errors", offsetof(mpls_link_stats, rx_errors), 8, nl_kind::u},
    {"tx_errors", offsetof(mpls_link_stats, tx_errors), 8, nl_kind::u},
    {"rx_dropped", offsetof(mpls_link_stats, rx_dropped), 8, nl_kind::u},
    {"tx_dropped", offsetof(mpls_link_stats, tx_dropped), 8, nl_kind::u},
    {"rx_noroute", offsetof(mpls_link_stats, rx_noroute), 8, nl_kind::u},
};

// ---- nests -------------------------------------------------------------------------------

/// The link counters as strace's decode_nla_rtnl_link_stats64 (its two older sizes too).
template <class P>
inline constexpr nla_fn<P> nla_link_stats64 = &nla_fields<sizeof(rtnl_link_stats64), link_stats64_fields, P,
                                                          link_stats64_old_size, link_stats64_mid_size>;

template <class P>
inline constexpr nla_fn<P> ifstats_xstats_bridge_nla[] = {
    nullptr,                                                                     // BRIDGE_XSTATS_UNSPEC
    &nla_fields_rest<sizeof(bridge_vlan_xstats), bridge_vlan_xstats_fields, P>,  // BRIDGE_XSTATS_VLAN
    &nla_fields_rest<sizeof(br_mcast_stats), br_mcast_stats_fields, P>,          // BRIDGE_XSTATS_MCAST
    nullptr,                                                                     // BRIDGE_XSTATS_PAD
    &nla_fields_rest<sizeof(bridge_stp_xstats), bridge_stp_xstats_fields, P>,    // BRIDGE_XSTATS_STP
};
template <class P>
bool ifstats_nla_xstats_bridge(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, ifstats_xstats_bridge_attrs_xlat, ifstats_xstats_bridge_nla<P>, opaque);
}

/// BOND_3AD_STAT_* (linux/if_bonding.h, whose linux/if.h clashes with glibc's net/if.h when
/// first): u64 counters but for the pad.
template <class P>
inline constexpr nla_fn<P> ifstats_xstats_bond_3ad_nla[] = {
    nla_u64<P>,  // BOND_3AD_STAT_LACPDU_RX
    nla_u64<P>,  // BOND_3AD_STAT_LACPDU_TX
    nla_u64<P>,  // BOND_3AD_STAT_LACPDU_UNKNOWN_RX
    nla_u64<P>,  // BOND_3AD_STAT_LACPDU_ILLEGAL_RX
    nla_u64<P>,  // BOND_3AD_STAT_MARKER_RX
    nla_u64<P>,  // BOND_3AD_STAT_MARKER_TX
    nla_u64<P>,  // BOND_3AD_STAT_MARKER_RESP_RX
    nla_u64<P>,  // BOND_3AD_STAT_MARKER_RESP_TX
    nla_u64<P>,  // BOND_3AD_STAT_MARKER_UNKNOWN_RX
};
template <class P>
bool ifstats_nla_xstats_bond_3ad(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, ifstats_xstats_bond_3ad_attrs_xlat, ifstats_xstats_bond_3ad_nla<P>, opaque);
}
template <class P>
inline constexpr nla_fn<P> ifstats_xstats_bond_nla[] = {
    nullptr,                          // BOND_XSTATS_UNSPEC
    &ifstats_nla_xstats_bond_3ad<P>,  // BOND_XSTATS_3AD
};
template <class P>
bool ifstats_nla_xstats_bond(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, ifstats_xstats_bond_attrs_xlat, ifstats_xstats_bond_nla<P>, opaque);
}

/// IFLA_STATS_LINK_XSTATS and IFLA_STATS_LINK_XSTATS_SLAVE: LINK_XSTATS_TYPE_* nests.
template <class P>
inline constexpr nla_fn<P> ifstats_xstats_nla[] = {
    nullptr,                        // LINK_XSTATS_TYPE_UNSPEC
    &ifstats_nla_xstats_bridge<P>,  // LINK_XSTATS_TYPE_BRIDGE
    &ifstats_nla_xstats_bond<P>,    // LINK_XSTATS_TYPE_BOND
};
template <class P>
bool ifstats_nla_xstats(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, ifstats_xstats_type_attrs_xlat, ifstats_xstats_nla<P>, opaque);
}

template <class P>
inline constexpr nla_fn<P> ifstats_offload_nla[] = {
    nullptr,              // IFLA_OFFLOAD_XSTATS_UNSPEC
    nla_link_stats64<P>,  // IFLA_OFFLOAD_XSTATS_CPU_HIT
};
template <class P>
bool ifstats_nla_offload_xstats(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, ifstats_offload_attrs_xlat, ifstats_offload_nla<P>, opaque);
}

template <class P>
inline constexpr nla_fn<P> ifstats_mpls_nla[] = {
    nullptr,                                                               // MPLS_STATS_UNSPEC
    &nla_fields_rest<sizeof(mpls_link_stats), mpls_link_stats_fields, P>,  // MPLS_STATS_LINK
};
/// One family's statistics in IFLA_STATS_AF_SPEC; the attribute's type is the family
/// (strace's decode_ifstats_af): MPLS_STATS_* for AF_MPLS, bytes for the others.
template <class P>
bool ifstats_nla_af(P& p, std::uint64_t addr, std::uint32_t len, const void* type) {
  if (static_cast<std::uint8_t>(reinterpret_cast<std::uintptr_t>(type)) != AF_MPLS) return false;
  return nla_nest(p, addr, len, ifstats_af_spec_mpls_attrs_xlat, ifstats_mpls_nla<P>, nullptr);
}
template <class P>
inline constexpr nla_fn<P> ifstats_af_nla[] = {&ifstats_nla_af<P>};
/// IFLA_STATS_AF_SPEC: attributes named by address family (AF_*).
template <class P>
bool ifstats_nla_af_spec(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  put_nlattrs(p, addr, len, socket_family_xlat, std::span<const nla_fn<P>>(ifstats_af_nla<P>), nullptr, true);
  return true;
}

/// IFLA_STATS_* payloads (strace's ifstatsmsg_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_ifstats_nla[] = {
    nullptr,                         // IFLA_STATS_UNSPEC
    nla_link_stats64<P>,             // IFLA_STATS_LINK_64
    &ifstats_nla_xstats<P>,          // IFLA_STATS_LINK_XSTATS
    &ifstats_nla_xstats<P>,          // IFLA_STATS_LINK_XSTATS_SLAVE
    &ifstats_nla_offload_xstats<P>,  // IFLA_STATS_LINK_OFFLOAD_XSTATS
    &ifstats_nla_af_spec<P>,         // IFLA_STATS_AF_SPEC
};

}  // namespace snare::format::detail
