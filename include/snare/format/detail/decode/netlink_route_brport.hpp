// Defines the attribute decoders of a bridge port (strace's ifla_brport_nla_decoders in
// rtnl_link.c): IFLA_BRPORT_* in an AF_BRIDGE link's IFLA_PROTINFO and in a bridge slave's
// IFLA_INFO_SLAVE_DATA, with struct ifla_bridge_id (IFLA_BRPORT_ROOT_ID, IFLA_BRPORT_BRIDGE_ID).
#pragma once

#include <linux/if_link.h>

#include <cstddef>
#include <cstdint>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// struct ifla_bridge_id: `{prio=[128, 0], addr=ab:cd:ef:01:02:03}` (strace's
/// decode_ifla_bridge_id: the priority bytes as numbers, the address as a MAC).
inline constexpr nl_field ifla_bridge_id_fields[] = {
    {"prio", offsetof(ifla_bridge_id, prio), sizeof(ifla_bridge_id::prio), nl_kind::u8_array},
    {"addr", offsetof(ifla_bridge_id, addr), sizeof(ifla_bridge_id::addr), nl_kind::mac},
};
template <class P>
inline constexpr nla_fn<P> nla_bridge_id = &nla_fields<sizeof(ifla_bridge_id), ifla_bridge_id_fields, P>;

/// IFLA_BRPORT_* payloads: the flags are u8, the timers clock ticks, IFLA_BRPORT_FLUSH and
/// IFLA_BRPORT_PAD bytes.
template <class P>
inline constexpr auto rtnl_ifla_brport_nla = nla_table<P, IFLA_BRPORT_LOCKED + 1>({
    {IFLA_BRPORT_STATE, nla_u8<P>},
    {IFLA_BRPORT_PRIORITY, nla_u16<P>},
    {IFLA_BRPORT_COST, nla_u32<P>},
    {IFLA_BRPORT_MODE, nla_u8<P>},
    {IFLA_BRPORT_GUARD, nla_u8<P>},
    {IFLA_BRPORT_PROTECT, nla_u8<P>},
    {IFLA_BRPORT_FAST_LEAVE, nla_u8<P>},
    {IFLA_BRPORT_LEARNING, nla_u8<P>},
    {IFLA_BRPORT_UNICAST_FLOOD, nla_u8<P>},
    {IFLA_BRPORT_PROXYARP, nla_u8<P>},
    {IFLA_BRPORT_LEARNING_SYNC, nla_u8<P>},
    {IFLA_BRPORT_PROXYARP_WIFI, nla_u8<P>},
    {IFLA_BRPORT_ROOT_ID, nla_bridge_id<P>},
    {IFLA_BRPORT_BRIDGE_ID, nla_bridge_id<P>},
    {IFLA_BRPORT_DESIGNATED_PORT, nla_u16<P>},
    {IFLA_BRPORT_DESIGNATED_COST, nla_u16<P>},
    {IFLA_BRPORT_ID, nla_u16<P>},
    {IFLA_BRPORT_NO, nla_u16<P>},
    {IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, nla_u8<P>},
    {IFLA_BRPORT_CONFIG_PENDING, nla_u8<P>},
    {IFLA_BRPORT_MESSAGE_AGE_TIMER, &nla_clock_t<P>},
    {IFLA_BRPORT_FORWARD_DELAY_TIMER, &nla_clock_t<P>},
    {IFLA_BRPORT_HOLD_TIMER, &nla_clock_t<P>},
    {IFLA_BRPORT_MULTICAST_ROUTER, nla_u8<P>},
    {IFLA_BRPORT_MCAST_FLOOD, nla_u8<P>},
    {IFLA_BRPORT_MCAST_TO_UCAST, nla_u8<P>},
    {IFLA_BRPORT_VLAN_TUNNEL, nla_u8<P>},
    {IFLA_BRPORT_BCAST_FLOOD, nla_u8<P>},
    {IFLA_BRPORT_GROUP_FWD_MASK, nla_x16<P>},
    {IFLA_BRPORT_NEIGH_SUPPRESS, nla_u8<P>},
    {IFLA_BRPORT_ISOLATED, nla_u8<P>},
    {IFLA_BRPORT_BACKUP_PORT, &nla_ifindex<P>},
    {IFLA_BRPORT_MRP_RING_OPEN, nla_u8<P>},
    {IFLA_BRPORT_MRP_IN_OPEN, nla_u8<P>},
    {IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, nla_u32<P>},
    {IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, nla_u32<P>},
    {IFLA_BRPORT_LOCKED, nla_u8<P>},
});
template <class P>
bool rtnl_nla_ifla_brport(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_brport_attrs_xlat, rtnl_ifla_brport_nla<P>, opaque);
}

}  // namespace snare::format::detail
