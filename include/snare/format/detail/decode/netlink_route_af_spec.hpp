// Defines the decoders of a link's IFLA_AF_SPEC (strace's decode_ifla_af_spec in
// rtnl_link.c): for an AF_BRIDGE link the IFLA_BRIDGE_* attributes (flags, mode, VLAN info,
// VLAN tunnel info), for the others attributes named by address family with AF_INET's
// IFLA_INET_*, AF_INET6's IFLA_INET6_* (also in IFLA_PROTINFO) and AF_MCTP's IFLA_MCTP_*.
#pragma once

#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_attrs.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- AF_INET6: IFLA_INET6_* --------------------------------------------------------------

/// struct ifla_cacheinfo (IFLA_INET6_CACHEINFO).
inline constexpr nl_field ifla_cacheinfo_fields[] = {
    {"max_reasm_len", offsetof(ifla_cacheinfo, max_reasm_len), 4, nl_kind::u},
    {"tstamp", offsetof(ifla_cacheinfo, tstamp), 4, nl_kind::u},
    {"reachable_time", offsetof(ifla_cacheinfo, reachable_time), 4, nl_kind::u},
    {"retrans_time", offsetof(ifla_cacheinfo, retrans_time), 4, nl_kind::u},
};

/// IFLA_INET6_* (strace's ifla_inet6_nla_decoders), in IFLA_PROTINFO and IFLA_AF_SPEC of
/// an AF_INET6 link: flags, the devconf and MIB counters by index, the cache info, the
/// token and the address generation mode.
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_inet6_nla[] = {
    nullptr,                                                            // IFLA_INET6_UNSPEC
    nla_flags<inet6_if_flags_xlat, 4, P>,                               // IFLA_INET6_FLAGS
    &nla_indexed_array<std::int32_t, inet6_devconf_index_xlat, P>,      // IFLA_INET6_CONF
    &nla_indexed_array<std::uint64_t, snmp_ip_stats_index_xlat, P>,     // IFLA_INET6_STATS
    nullptr,                                                            // IFLA_INET6_MCAST
    &nla_fields<sizeof(ifla_cacheinfo), ifla_cacheinfo_fields, P>,      // IFLA_INET6_CACHEINFO
    &nla_indexed_array<std::uint64_t, snmp_icmp6_stats_index_xlat, P>,  // IFLA_INET6_ICMP6STATS
    &nla_in6_addr<P>,                                                   // IFLA_INET6_TOKEN
    nla_xval<in6_addr_gen_mode_xlat, 1, P>,                             // IFLA_INET6_ADDR_GEN_MODE
    nla_u32<P>,                                                         // IFLA_INET6_RA_MTU
};
template <class P>
bool rtnl_nla_ifla_inet6(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_inet6_attr_xlat, rtnl_ifla_inet6_nla<P>, opaque);
}

// ---- AF_INET, AF_MCTP --------------------------------------------------------------------

/// IFLA_INET_*: IFLA_INET_CONF, the devconf values indexed by IPV4_DEVCONF_* - 1.
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_inet_nla[] = {
    nullptr,                                                         // IFLA_INET_UNSPEC
    &nla_indexed_array<std::int32_t, inet_devconf_indices_xlat, P>,  // IFLA_INET_CONF
};
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_mctp_nla[] = {
    nullptr,     // IFLA_MCTP_UNSPEC
    nla_u32<P>,  // IFLA_MCTP_NET
};

/// AF_MCTP (linux/socket.h), which older C libraries lack.
inline constexpr std::uint8_t af_mctp = 45;

/// One family's attributes in IFLA_AF_SPEC, the attribute's type being the family (strace's
/// decode_ifla_af): bytes for a family without a table.
template <class P>
bool rtnl_nla_ifla_af(P& p, std::uint64_t addr, std::uint32_t len, const void* type) {
  switch (static_cast<std::uint8_t>(reinterpret_cast<std::uintptr_t>(type))) {
    case AF_INET:
      return nla_nest(p, addr, len, rtnl_ifla_af_spec_inet_attrs_xlat, rtnl_ifla_inet_nla<P>, nullptr);
    case AF_INET6:
      return rtnl_nla_ifla_inet6(p, addr, len, nullptr);
    case af_mctp:
      return nla_nest(p, addr, len, rtnl_ifla_af_spec_mctp_attrs_xlat, rtnl_ifla_mctp_nla<P>, nullptr);
    default:
      return false;
  }
}
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_af_nla[] = {&rtnl_nla_ifla_af<P>};

// ---- AF_BRIDGE: IFLA_BRIDGE_* ------------------------------------------------------------

/// struct bridge_vlan_info (linux/if_bridge.h).
inline constexpr nl_field bridge_vlan_info_fields[] = {
    {"flags", offsetof(bridge_vlan_info, flags), 2, nl_kind::flags, &nl_bridge_vlan_flags_xlat},
    {"vid", offsetof(bridge_vlan_info, vid), 2, nl_kind::u},
};

template <class P>
inline constexpr nla_fn<P> rtnl_bridge_vlan_tunnel_nla[] = {
    nullptr,                                     // IFLA_BRIDGE_VLAN_TUNNEL_UNSPEC
    nla_u32<P>,                                  // IFLA_BRIDGE_VLAN_TUNNEL_ID
    nla_u16<P>,                                  // IFLA_BRIDGE_VLAN_TUNNEL_VID
    nla_flags<nl_bridge_vlan_flags_xlat, 2, P>,  // IFLA_BRIDGE_VLAN_TUNNEL_FLAGS
};
template <class P>
bool rtnl_nla_bridge_vlan_tunnel(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs_xlat,
                  rtnl_bridge_vlan_tunnel_nla<P>, opaque);
}

/// IFLA_BRIDGE_* (strace's ifla_af_spec_bridge_nla_decoders; MRP, CFM and MST as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_af_spec_bridge_nla[] = {
    nla_flags<rtnl_ifla_bridge_flags_xlat, 2, P>,                            // IFLA_BRIDGE_FLAGS
    nla_xval<rtnl_ifla_bridge_modes_xlat, 2, P>,                             // IFLA_BRIDGE_MODE
    &nla_fields_rest<sizeof(bridge_vlan_info), bridge_vlan_info_fields, P>,  // IFLA_BRIDGE_VLAN_INFO
    &rtnl_nla_bridge_vlan_tunnel<P>,                                         // IFLA_BRIDGE_VLAN_TUNNEL_INFO
};

/// IFLA_AF_SPEC: IFLA_BRIDGE_* for an AF_BRIDGE link, else attributes named by family.
template <class P>
bool rtnl_nla_ifla_af_spec(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  if (static_cast<const rtnl_ctx*>(opaque)->family == AF_BRIDGE)
    return nla_nest(p, addr, len, rtnl_ifla_af_spec_bridge_attrs_xlat, rtnl_ifla_af_spec_bridge_nla<P>,
                    opaque);
  put_nlattrs(p, addr, len, socket_family_xlat, std::span<const nla_fn<P>>(rtnl_ifla_af_nla<P>), nullptr,
              true);
  return true;
}

}  // namespace snare::format::detail
