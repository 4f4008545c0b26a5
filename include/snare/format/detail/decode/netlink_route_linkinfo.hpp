// Defines the decoders of a link's IFLA_LINKINFO nest (strace's decode_ifla_linkinfo in
// rtnl_link.c): the kind and slave kind, which choose how IFLA_INFO_DATA (a bridge's IFLA_BR_*,
// a tun device's IFLA_TUN_*), IFLA_INFO_XSTATS (a CAN device's counters) and
// IFLA_INFO_SLAVE_DATA (a bridge port's IFLA_BRPORT_*) decode; other kinds print as bytes.
#pragma once

#include <linux/can/netlink.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_brport.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// What IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND said, for the attributes after them (strace's
/// ifla_linkinfo_ctx): empty when absent, unreadable, unterminated or 16 bytes or longer.
struct rtnl_linkinfo_ctx {
  char kind[16] = {};
  char slave_kind[16] = {};
};

/// Records a kind string of `len` bytes at `addr` in `dst` as strace's update_ctx_str.
template <class P>
void rtnl_linkinfo_note(P& p, std::uint64_t addr, std::uint32_t len, char (&dst)[16]) {
  std::memset(dst, 0, sizeof dst);
  if (len >= sizeof dst || !p.read_exact(addr, len)) return;
  const std::string& s = scratch();
  std::size_t n = std::min<std::size_t>(s.size(), len);
  std::memcpy(dst, s.data(), n);
}

/// A kind (IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND): recorded in the context, printed as a string.
template <bool Slave, class P>
bool nla_linkinfo_kind(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  // The context is the caller's non-const rtnl_linkinfo_ctx (rtnl_nla_ifla_linkinfo).
  auto* ctx = static_cast<rtnl_linkinfo_ctx*>(const_cast<void*>(opaque));
  rtnl_linkinfo_note(p, addr, len, Slave ? ctx->slave_kind : ctx->kind);
  return nla_str(p, addr, len, nullptr);
}

// ---- a bridge's IFLA_BR_* ------------------------------------------------------------------

/// struct br_boolopt_multi: both words named by 1<<BR_BOOLOPT_*.
inline constexpr nl_field br_boolopt_multi_fields[] = {
    {"optval", offsetof(br_boolopt_multi, optval), 4, nl_kind::flags, &rtnl_ifla_br_boolopt_flags_xlat},
    {"optmask", offsetof(br_boolopt_multi, optmask), 4, nl_kind::flags, &rtnl_ifla_br_boolopt_flags_xlat},
};

/// An ethernet protocol in network order (strace's decode_nla_ether_proto): `htons(ETH_P_IP)`;
/// 2 to 8 bytes, of which the first 2 are read.
inline constexpr xlat ether_proto_nla_xlat{
    ethernet_protocols_field, ~std::uint64_t{0}, {}, {}, "ETHER_P_???"};
template <class P>
bool nla_ether_proto(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len > 8 || len < 2) return false;
  std::uint16_t v;
  if (!p.read_obj(addr, v)) return put_ptr(p.out(), addr), true;
  p.out().append("htons(");
  put_enum(p.out(), ether_proto_nla_xlat, ntohs(v));
  p.out().push_back(')');
  return true;
}

template <class P>
inline constexpr nla_fn<P> rtnl_br_querier_nla[] = {
    nullptr,           // BRIDGE_QUERIER_UNSPEC
    &nla_in_addr<P>,   // BRIDGE_QUERIER_IP_ADDRESS
    &nla_ifindex<P>,   // BRIDGE_QUERIER_IP_PORT
    &nla_clock_t<P>,   // BRIDGE_QUERIER_IP_OTHER_TIMER
    nullptr,           // BRIDGE_QUERIER_PAD
    &nla_in6_addr<P>,  // BRIDGE_QUERIER_IPV6_ADDRESS
    &nla_ifindex<P>,   // BRIDGE_QUERIER_IPV6_PORT
    &nla_clock_t<P>,   // BRIDGE_QUERIER_IPV6_OTHER_TIMER
};
template <class P>
bool rtnl_nla_br_querier_state(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_br_mcast_querier_attrs_xlat, rtnl_br_querier_nla<P>, opaque);
}

/// IFLA_BR_* (strace's ifla_info_data_bridge_nla_decoders).
template <class P>
inline constexpr auto rtnl_ifla_br_nla = nla_table<P, IFLA_BR_MCAST_QUERIER_STATE + 1>({
    {IFLA_BR_FORWARD_DELAY, &nla_clock_t<P>},
    {IFLA_BR_HELLO_TIME, &nla_clock_t<P>},
    {IFLA_BR_MAX_AGE, &nla_clock_t<P>},
    {IFLA_BR_AGEING_TIME, &nla_clock_t<P>},
    {IFLA_BR_STP_STATE, nla_u32<P>},
    {IFLA_BR_PRIORITY, nla_u16<P>},
    {IFLA_BR_VLAN_FILTERING, nla_u8<P>},
    {IFLA_BR_VLAN_PROTOCOL, &nla_ether_proto<P>},
    {IFLA_BR_GROUP_FWD_MASK, nla_x16<P>},
    {IFLA_BR_ROOT_ID, nla_bridge_id<P>},
    {IFLA_BR_BRIDGE_ID, nla_bridge_id<P>},
    {IFLA_BR_ROOT_PORT, nla_u16<P>},
    {IFLA_BR_ROOT_PATH_COST, nla_u32<P>},
    {IFLA_BR_TOPOLOGY_CHANGE, nla_u8<P>},
    {IFLA_BR_TOPOLOGY_CHANGE_DETECTED, nla_u8<P>},
    {IFLA_BR_HELLO_TIMER, &nla_clock_t<P>},
    {IFLA_BR_TCN_TIMER, &nla_clock_t<P>},
    {IFLA_BR_TOPOLOGY_CHANGE_TIMER, &nla_clock_t<P>},
    {IFLA_BR_GC_TIMER, &nla_clock_t<P>},
    {IFLA_BR_GROUP_ADDR, &nla_hwaddr<P>},
    {IFLA_BR_MCAST_ROUTER, nla_u8<P>},
    {IFLA_BR_MCAST_SNOOPING, nla_u8<P>},
    {IFLA_BR_MCAST_QUERY_USE_IFADDR, nla_u8<P>},
    {IFLA_BR_MCAST_QUERIER, nla_u8<P>},
    {IFLA_BR_MCAST_HASH_ELASTICITY, nla_u32<P>},
    {IFLA_BR_MCAST_HASH_MAX, nla_u32<P>},
    {IFLA_BR_MCAST_LAST_MEMBER_CNT, nla_u32<P>},
    {IFLA_BR_MCAST_STARTUP_QUERY_CNT, nla_u32<P>},
    {IFLA_BR_MCAST_LAST_MEMBER_INTVL, &nla_clock_t<P>},
    {IFLA_BR_MCAST_MEMBERSHIP_INTVL, &nla_clock_t<P>},
    {IFLA_BR_MCAST_QUERIER_INTVL, &nla_clock_t<P>},
    {IFLA_BR_MCAST_QUERY_INTVL, &nla_clock_t<P>},
    {IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, &nla_clock_t<P>},
    {IFLA_BR_MCAST_STARTUP_QUERY_INTVL, &nla_clock_t<P>},
    {IFLA_BR_NF_CALL_IPTABLES, nla_u8<P>},
    {IFLA_BR_NF_CALL_IP6TABLES, nla_u8<P>},
    {IFLA_BR_NF_CALL_ARPTABLES, nla_u8<P>},
    {IFLA_BR_VLAN_DEFAULT_PVID, nla_u16<P>},
    {IFLA_BR_VLAN_STATS_ENABLED, nla_u8<P>},
    {IFLA_BR_MCAST_STATS_ENABLED, nla_u8<P>},
    {IFLA_BR_MCAST_IGMP_VERSION, nla_u8<P>},
    {IFLA_BR_MCAST_MLD_VERSION, nla_u8<P>},
    {IFLA_BR_VLAN_STATS_PER_PORT, nla_u8<P>},
    {IFLA_BR_MULTI_BOOLOPT, &nla_fields<sizeof(br_boolopt_multi), br_boolopt_multi_fields, P>},
    {IFLA_BR_MCAST_QUERIER_STATE, &rtnl_nla_br_querier_state<P>},
});

// ---- a tun device's IFLA_TUN_* ---------------------------------------------------------------

/// IFLA_TUN_* (strace's ifla_info_data_tun_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_tun_nla[] = {
    nullptr,                                // IFLA_TUN_UNSPEC
    &nla_uid<P>,                            // IFLA_TUN_OWNER
    &nla_uid<P>,                            // IFLA_TUN_GROUP
    nla_xval<tun_device_types_xlat, 1, P>,  // IFLA_TUN_TYPE
    nla_u8<P>,                              // IFLA_TUN_PI
    nla_u8<P>,                              // IFLA_TUN_VNET_HDR
    nla_u8<P>,                              // IFLA_TUN_PERSIST
    nla_u8<P>,                              // IFLA_TUN_MULTI_QUEUE
    nla_u32<P>,                             // IFLA_TUN_NUM_QUEUES
    nla_u32<P>,                             // IFLA_TUN_NUM_DISABLED_QUEUES
};

// ---- by kind -------------------------------------------------------------------------------

/// struct can_device_stats (linux/can/netlink.h), a CAN device's IFLA_INFO_XSTATS.
inline constexpr nl_field can_device_stats_fields[] = {
    {"bus_error", offsetof(can_device_stats, bus_error), 4, nl_kind::u},
    {"error_warning", offsetof(can_device_stats, error_warning), 4, nl_kind::u},
    {"error_passive", offsetof(can_device_stats, error_passive), 4, nl_kind::u},
    {"bus_off", offsetof(can_device_stats, bus_off), 4, nl_kind::u},
    {"arbitration_lost", offsetof(can_device_stats, arbitration_lost), 4, nl_kind::u},
    {"restarts", offsetof(can_device_stats, restarts), 4, nl_kind::u},
};

inline const rtnl_linkinfo_ctx& rtnl_linkinfo_of(const void* opaque) noexcept {
  return *static_cast<const rtnl_linkinfo_ctx*>(opaque);
}

/// IFLA_INFO_DATA by the kind: "bridge" and "tun".
template <class P>
bool nla_linkinfo_data(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  std::string_view kind = rtnl_linkinfo_of(opaque).kind;
  if (kind == "bridge")
    return nla_nest(p, addr, len, rtnl_ifla_info_data_bridge_attrs_xlat, rtnl_ifla_br_nla<P>, opaque);
  if (kind == "tun")
    return nla_nest(p, addr, len, rtnl_ifla_info_data_tun_attrs_xlat, rtnl_ifla_tun_nla<P>, opaque);
  return false;
}

/// IFLA_INFO_XSTATS by the kind: "can".
template <class P>
bool nla_linkinfo_xstats(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  if (std::string_view(rtnl_linkinfo_of(opaque).kind) != "can") return false;
  return nla_fields<sizeof(can_device_stats), can_device_stats_fields, P>(p, addr, len, opaque);
}

/// IFLA_INFO_SLAVE_DATA by the slave kind: "bridge".
template <class P>
bool nla_linkinfo_slave_data(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  if (std::string_view(rtnl_linkinfo_of(opaque).slave_kind) != "bridge") return false;
  return rtnl_nla_ifla_brport(p, addr, len, opaque);
}

/// IFLA_INFO_* (strace's ifla_linkinfo_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_info_nla[] = {
    nullptr,                       // IFLA_INFO_UNSPEC
    &nla_linkinfo_kind<false, P>,  // IFLA_INFO_KIND
    &nla_linkinfo_data<P>,         // IFLA_INFO_DATA
    &nla_linkinfo_xstats<P>,       // IFLA_INFO_XSTATS
    &nla_linkinfo_kind<true, P>,   // IFLA_INFO_SLAVE_KIND
    &nla_linkinfo_slave_data<P>,   // IFLA_INFO_SLAVE_DATA
};
template <class P>
bool rtnl_nla_ifla_linkinfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  rtnl_linkinfo_ctx ctx;
  return nla_nest(p, addr, len, rtnl_ifla_info_attrs_xlat, rtnl_ifla_info_nla<P>, &ctx);
}

}  // namespace snare::format::detail
