// Defines the attribute decoders of a link's virtual functions (strace's
// ifla_vfinfo_list_nla_decoders and ifla_vf_info_nla_decoders in rtnl_link.c): the
// IFLA_VFINFO_LIST nest of IFLA_VF_INFO nests of IFLA_VF_* (struct ifla_vf_* from
// linux/if_link.h, the IFLA_VF_STATS_* counters and the IFLA_VF_VLAN_LIST nest).
#pragma once

#include <linux/if_link.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- struct layouts (linux/if_link.h) ---------------------------------------------------

inline constexpr nl_field ifla_vf_mac_fields[] = {
    {"vf", offsetof(ifla_vf_mac, vf), 4, nl_kind::u},
    {"mac", offsetof(ifla_vf_mac, mac), sizeof(ifla_vf_mac::mac), nl_kind::mac},
};
inline constexpr nl_field ifla_vf_vlan_fields[] = {
    {"vf", offsetof(ifla_vf_vlan, vf), 4, nl_kind::u},
    {"vlan", offsetof(ifla_vf_vlan, vlan), 4, nl_kind::u},
    {"qos", offsetof(ifla_vf_vlan, qos), 4, nl_kind::u},
};
inline constexpr nl_field ifla_vf_tx_rate_fields[] = {
    {"vf", offsetof(ifla_vf_tx_rate, vf), 4, nl_kind::u},
    {"rate", offsetof(ifla_vf_tx_rate, rate), 4, nl_kind::u},
};
/// struct ifla_vf_spoofchk, ifla_vf_rss_query_en and ifla_vf_trust: `{vf, setting}`.
inline constexpr nl_field ifla_vf_setting_fields[] = {
    {"vf", offsetof(ifla_vf_spoofchk, vf), 4, nl_kind::u},
    {"setting", offsetof(ifla_vf_spoofchk, setting), 4, nl_kind::u},
};
static_assert(sizeof(ifla_vf_rss_query_en) == sizeof(ifla_vf_spoofchk) &&
              sizeof(ifla_vf_trust) == sizeof(ifla_vf_spoofchk));
inline constexpr nl_field ifla_vf_link_state_fields[] = {
    {"vf", offsetof(ifla_vf_link_state, vf), 4, nl_kind::u},
    {"link_state", offsetof(ifla_vf_link_state, link_state), 4, nl_kind::xval,
     &rtnl_ifla_vf_link_states_xlat},
};
inline constexpr nl_field ifla_vf_rate_fields[] = {
    {"vf", offsetof(ifla_vf_rate, vf), 4, nl_kind::u},
    {"min_tx_rate", offsetof(ifla_vf_rate, min_tx_rate), 4, nl_kind::u},
    {"max_tx_rate", offsetof(ifla_vf_rate, max_tx_rate), 4, nl_kind::u},
};
inline constexpr nl_field ifla_vf_vlan_info_fields[] = {
    {"vf", offsetof(ifla_vf_vlan_info, vf), 4, nl_kind::u},
    {"vlan", offsetof(ifla_vf_vlan_info, vlan), 4, nl_kind::u},
    {"qos", offsetof(ifla_vf_vlan_info, qos), 4, nl_kind::u},
    {"vlan_proto", offsetof(ifla_vf_vlan_info, vlan_proto), 2, nl_kind::be16_xval, &ethernet_protocols_xlat},
};
inline constexpr nl_field ifla_vf_broadcast_fields[] = {
    {"broadcast", offsetof(ifla_vf_broadcast, broadcast), sizeof(ifla_vf_broadcast::broadcast), nl_kind::mac},
};

/// struct ifla_vf_guid, whose u64 is not naturally aligned in every ABI: as strace's
/// decode_ifla_vf_guid, a 12-byte payload is the packed form (guid at offset 4), a 16-byte
/// one the aligned form (guid at 8); other sizes print as bytes.
template <class P>
bool nla_ifla_vf_guid(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len != 12 && len != 16) return false;
  std::string& out = p.out();
  if (!p.read_exact(addr, len)) return put_ptr(out, addr), true;
  std::uint32_t vf;
  std::uint64_t guid;
  std::memcpy(&vf, scratch().data(), 4);
  std::memcpy(&guid, scratch().data() + (len == 12 ? 4 : 8), 8);
  out.append("{vf=");
  put_udec(out, vf);
  out.append(", guid=");
  put_hex(out, guid);
  out.push_back('}');
  return true;
}

// ---- nests -------------------------------------------------------------------------------

template <class P>
inline constexpr auto rtnl_ifla_vf_stats_nla = nla_table<P, IFLA_VF_STATS_TX_DROPPED + 1>({
    {IFLA_VF_STATS_RX_PACKETS, nla_u64<P>},
    {IFLA_VF_STATS_TX_PACKETS, nla_u64<P>},
    {IFLA_VF_STATS_RX_BYTES, nla_u64<P>},
    {IFLA_VF_STATS_TX_BYTES, nla_u64<P>},
    {IFLA_VF_STATS_BROADCAST, nla_u64<P>},
    {IFLA_VF_STATS_MULTICAST, nla_u64<P>},
    {IFLA_VF_STATS_RX_DROPPED, nla_u64<P>},
    {IFLA_VF_STATS_TX_DROPPED, nla_u64<P>},
});
template <class P>
bool rtnl_nla_ifla_vf_stats(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_vf_stats_attrs_xlat, rtnl_ifla_vf_stats_nla<P>, opaque);
}

template <class P>
inline constexpr nla_fn<P> rtnl_ifla_vf_vlan_list_nla[] = {
    nullptr,                                                              // IFLA_VF_VLAN_INFO_UNSPEC
    &nla_fields<sizeof(ifla_vf_vlan_info), ifla_vf_vlan_info_fields, P>,  // IFLA_VF_VLAN_INFO
};
template <class P>
bool rtnl_nla_ifla_vf_vlan_list(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_vf_vlan_list_attrs_xlat, rtnl_ifla_vf_vlan_list_nla<P>, opaque);
}

/// IFLA_VF_* payloads (strace's ifla_vf_info_nla_decoders).
template <class P>
inline constexpr auto rtnl_ifla_vf_info_nla = nla_table<P, IFLA_VF_BROADCAST + 1>({
    {IFLA_VF_MAC, &nla_fields<sizeof(ifla_vf_mac), ifla_vf_mac_fields, P>},
    {IFLA_VF_VLAN, &nla_fields<sizeof(ifla_vf_vlan), ifla_vf_vlan_fields, P>},
    {IFLA_VF_TX_RATE, &nla_fields<sizeof(ifla_vf_tx_rate), ifla_vf_tx_rate_fields, P>},
    {IFLA_VF_SPOOFCHK, &nla_fields<sizeof(ifla_vf_spoofchk), ifla_vf_setting_fields, P>},
    {IFLA_VF_LINK_STATE, &nla_fields<sizeof(ifla_vf_link_state), ifla_vf_link_state_fields, P>},
    {IFLA_VF_RATE, &nla_fields<sizeof(ifla_vf_rate), ifla_vf_rate_fields, P>},
    {IFLA_VF_RSS_QUERY_EN, &nla_fields<sizeof(ifla_vf_rss_query_en), ifla_vf_setting_fields, P>},
    {IFLA_VF_STATS, &rtnl_nla_ifla_vf_stats<P>},
    {IFLA_VF_TRUST, &nla_fields<sizeof(ifla_vf_trust), ifla_vf_setting_fields, P>},
    {IFLA_VF_IB_NODE_GUID, &nla_ifla_vf_guid<P>},
    {IFLA_VF_IB_PORT_GUID, &nla_ifla_vf_guid<P>},
    {IFLA_VF_VLAN_LIST, &rtnl_nla_ifla_vf_vlan_list<P>},
    {IFLA_VF_BROADCAST, &nla_fields<sizeof(ifla_vf_broadcast), ifla_vf_broadcast_fields, P>},
});
template <class P>
bool rtnl_nla_ifla_vf_info(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_vf_info_attrs_xlat, rtnl_ifla_vf_info_nla<P>, opaque);
}

/// IFLA_VFINFO_LIST: IFLA_VF_INFO nests.
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_vfinfo_list_nla[] = {
    nullptr,                    // IFLA_VF_INFO_UNSPEC
    &rtnl_nla_ifla_vf_info<P>,  // IFLA_VF_INFO
};
template <class P>
bool rtnl_nla_ifla_vfinfo_list(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_vfinfo_list_attrs_xlat, rtnl_ifla_vfinfo_list_nla<P>, opaque);
}

}  // namespace snare::format::detail
