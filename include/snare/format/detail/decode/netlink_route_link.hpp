// Defines the attribute decoders of rtnetlink's link messages (RTM_*LINK, strace's
// rtnl_link.c): IFLA_* with link statistics (both sizes of each of their older forms), the
// device map, the IFLA_VF_PORTS and IFLA_PORT_SELF nests, the extended filter mask, events,
// the property list, the proto-down reason nest, the XDP nest and IFLA_PROTINFO by the link's
// family. The larger nests have headers of their own: IFLA_LINKINFO (netlink_route_linkinfo),
// IFLA_AF_SPEC and IFLA_INET6_* (netlink_route_af_spec), IFLA_BRPORT_* (netlink_route_brport)
// and IFLA_VFINFO_LIST (netlink_route_vf).
#pragma once

#include <linux/if_link.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_af_spec.hpp>
#include <snare/format/detail/decode/netlink_route_attrs.hpp>
#include <snare/format/detail/decode/netlink_route_brport.hpp>
#include <snare/format/detail/decode/netlink_route_linkinfo.hpp>
#include <snare/format/detail/decode/netlink_route_vf.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- struct layouts (linux/if_link.h) ---------------------------------------------------

/// The counters of struct rtnl_link_stats (u32) and rtnl_link_stats64 (u64), in order; the
/// 32-bit form ends before rx_otherhost_dropped.
inline constexpr std::string_view link_stats_names[] = {
    "rx_packets",       "tx_packets",        "rx_bytes",          "tx_bytes",        "rx_errors",
    "tx_errors",        "rx_dropped",        "tx_dropped",        "multicast",       "collisions",
    "rx_length_errors", "rx_over_errors",    "rx_crc_errors",     "rx_frame_errors", "rx_fifo_errors",
    "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",  "tx_heartbeat_errors",
    "tx_window_errors", "rx_compressed",     "tx_compressed",     "rx_nohandler",    "rx_otherhost_dropped",
};

/// The layout of the link counters of `Width` bytes each.
template <std::uint8_t Width>
consteval std::array<nl_field, std::size(link_stats_names)> link_stats_layout() {
  std::array<nl_field, std::size(link_stats_names)> t{};
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = {link_stats_names[i], static_cast<std::uint16_t>(i * Width), Width, nl_kind::u};
  return t;
}
inline constexpr auto link_stats_fields = link_stats_layout<4>();
inline constexpr auto link_stats64_fields = link_stats_layout<8>();
static_assert(offsetof(rtnl_link_stats, rx_nohandler) == 23 * 4);
static_assert(offsetof(rtnl_link_stats64, rx_otherhost_dropped) == 24 * 8);
/// The older forms strace takes: up to tx_compressed, and (64-bit) up to rx_nohandler.
inline constexpr std::size_t link_stats_old_size = offsetof(rtnl_link_stats, rx_nohandler);
inline constexpr std::size_t link_stats64_old_size = offsetof(rtnl_link_stats64, rx_nohandler);
inline constexpr std::size_t link_stats64_mid_size = offsetof(rtnl_link_stats64, rx_otherhost_dropped);

/// struct rtnl_link_ifmap up to its last field (its tail padding is not sent).
inline constexpr nl_field link_ifmap_fields[] = {
    {"mem_start", offsetof(rtnl_link_ifmap, mem_start), 8, nl_kind::x},
    {"mem_end", offsetof(rtnl_link_ifmap, mem_end), 8, nl_kind::x},
    {"base_addr", offsetof(rtnl_link_ifmap, base_addr), 8, nl_kind::x},
    {"irq", offsetof(rtnl_link_ifmap, irq), 2, nl_kind::u},
    {"dma", offsetof(rtnl_link_ifmap, dma), 1, nl_kind::u},
    {"port", offsetof(rtnl_link_ifmap, port), 1, nl_kind::u},
};
inline constexpr std::size_t link_ifmap_size = offsetof(rtnl_link_ifmap, port) + 1;

/// struct ifla_port_vsi: its pad only when set.
inline constexpr nl_field ifla_port_vsi_fields[] = {
    {"vsi_mgr_id", offsetof(ifla_port_vsi, vsi_mgr_id), 1, nl_kind::u},
    {"vsi_type_id", offsetof(ifla_port_vsi, vsi_type_id), 3, nl_kind::bytes},
    {"vsi_type_version", offsetof(ifla_port_vsi, vsi_type_version), 1, nl_kind::u},
    {"pad", offsetof(ifla_port_vsi, pad), 3, nl_kind::bytes_nonzero},
};

// ---- nests -------------------------------------------------------------------------------

/// IFLA_PORT_* (strace's ifla_port_nla_decoders; the UUIDs print as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_port_nla[] = {
    nullptr,                                                      // IFLA_PORT_UNSPEC
    nla_u32<P>,                                                   // IFLA_PORT_VF
    &nla_str<P>,                                                  // IFLA_PORT_PROFILE
    &nla_fields<sizeof(ifla_port_vsi), ifla_port_vsi_fields, P>,  // IFLA_PORT_VSI_TYPE
    nullptr,                                                      // IFLA_PORT_INSTANCE_UUID
    nullptr,                                                      // IFLA_PORT_HOST_UUID
    nla_u8<P>,                                                    // IFLA_PORT_REQUEST
    nla_u16<P>,                                                   // IFLA_PORT_RESPONSE
};
template <class P>
bool rtnl_nla_ifla_port(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_port_attrs_xlat, rtnl_ifla_port_nla<P>, opaque);
}
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_vf_ports_nla[] = {
    nullptr,                 // IFLA_VF_PORT_UNSPEC
    &rtnl_nla_ifla_port<P>,  // IFLA_VF_PORT
};
template <class P>
bool rtnl_nla_ifla_vf_ports(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_vf_port_attrs_xlat, rtnl_ifla_vf_ports_nla<P>, opaque);
}

/// IFLA_PROP_LIST: IFLA_* attributes of which only IFLA_ALT_IFNAME is decoded.
template <class P>
inline constexpr auto rtnl_ifla_prop_list_nla = nla_table<P, IFLA_ALT_IFNAME + 1>({
    {IFLA_ALT_IFNAME, &nla_str<P>},
});
template <class P>
bool rtnl_nla_ifla_prop_list(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_link_attrs_xlat, rtnl_ifla_prop_list_nla<P>, opaque);
}

template <class P>
inline constexpr nla_fn<P> rtnl_ifla_proto_down_reason_nla[] = {
    nullptr,     // IFLA_PROTO_DOWN_REASON_UNSPEC
    nla_x32<P>,  // IFLA_PROTO_DOWN_REASON_MASK
    nla_x32<P>,  // IFLA_PROTO_DOWN_REASON_VALUE
};
template <class P>
bool rtnl_nla_ifla_proto_down_reason(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_proto_down_reason_attrs_xlat, rtnl_ifla_proto_down_reason_nla<P>,
                  opaque);
}

/// IFLA_XDP_* (strace's ifla_xdp_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_ifla_xdp_nla[] = {
    nullptr,                                           // IFLA_XDP_UNSPEC
    &nla_fd<P>,                                        // IFLA_XDP_FD
    nla_xval<rtnl_ifla_xdp_attached_mode_xlat, 1, P>,  // IFLA_XDP_ATTACHED
    nla_flags_of<std::uint32_t, xdp_flags_xlat, P>,    // IFLA_XDP_FLAGS
    nla_u32<P>,                                        // IFLA_XDP_PROG_ID
    nla_u32<P>,                                        // IFLA_XDP_DRV_PROG_ID
    nla_u32<P>,                                        // IFLA_XDP_SKB_PROG_ID
    nla_u32<P>,                                        // IFLA_XDP_HW_PROG_ID
    &nla_fd<P>,                                        // IFLA_XDP_EXPECTED_FD
};
template <class P>
bool rtnl_nla_ifla_xdp(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_ifla_xdp_attrs_xlat, rtnl_ifla_xdp_nla<P>, opaque);
}

/// IFLA_PROTINFO: by the link's family (strace's decode_ifla_protinfo), IFLA_BRPORT_* for
/// AF_BRIDGE, IFLA_INET6_* for AF_INET6; bytes for the others.
template <class P>
bool rtnl_nla_ifla_protinfo(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  switch (static_cast<const rtnl_ctx*>(opaque)->family) {
    case AF_BRIDGE:
      return rtnl_nla_ifla_brport(p, addr, len, nullptr);
    case AF_INET6:
      return rtnl_nla_ifla_inet6(p, addr, len, nullptr);
    default:
      return false;
  }
}

// ---- IFLA_* ------------------------------------------------------------------------------

/// IFLA_* payloads (strace's ifinfomsg_nla_decoders, but for the nests named above).
template <class P>
inline constexpr auto rtnl_link_nla = nla_table<P, IFLA_ALLMULTI + 1>({
    {IFLA_ADDRESS, &nla_hwaddr<P>},
    {IFLA_BROADCAST, &nla_hwaddr<P>},
    {IFLA_IFNAME, &nla_str<P>},
    {IFLA_MTU, nla_u32<P>},
    {IFLA_LINK, nla_u32<P>},
    {IFLA_QDISC, &nla_str<P>},
    {IFLA_STATS, &nla_fields<sizeof(rtnl_link_stats), link_stats_fields, P, link_stats_old_size>},
    {IFLA_MASTER, nla_u32<P>},
    {IFLA_TXQLEN, nla_u32<P>},
    {IFLA_MAP, &nla_fields<link_ifmap_size, link_ifmap_fields, P>},
    {IFLA_WEIGHT, nla_u32<P>},
    {IFLA_OPERSTATE, nla_u8<P>},
    {IFLA_LINKMODE, nla_u8<P>},
    {IFLA_PROTINFO, &rtnl_nla_ifla_protinfo<P>},
    {IFLA_LINKINFO, &rtnl_nla_ifla_linkinfo<P>},
    {IFLA_NET_NS_PID, nla_u32<P>},
    {IFLA_IFALIAS, &nla_str<P>},
    {IFLA_NUM_VF, nla_u32<P>},
    {IFLA_VFINFO_LIST, &rtnl_nla_ifla_vfinfo_list<P>},
    {IFLA_STATS64, &nla_fields<sizeof(rtnl_link_stats64), link_stats64_fields, P, link_stats64_old_size,
                               link_stats64_mid_size>},
    {IFLA_VF_PORTS, &rtnl_nla_ifla_vf_ports<P>},
    {IFLA_PORT_SELF, &rtnl_nla_ifla_port<P>},
    {IFLA_AF_SPEC, &rtnl_nla_ifla_af_spec<P>},
    {IFLA_GROUP, nla_u32<P>},
    {IFLA_EXT_MASK, nla_flags<rtnl_ifla_ext_filter_flags_xlat, 4, P>},
    {IFLA_PROMISCUITY, nla_u32<P>},
    {IFLA_NUM_TX_QUEUES, nla_u32<P>},
    {IFLA_NUM_RX_QUEUES, nla_u32<P>},
    {IFLA_CARRIER, nla_u8<P>},
    {IFLA_CARRIER_CHANGES, nla_u32<P>},
    {IFLA_LINK_NETNSID, nla_s32<P>},
    {IFLA_PHYS_PORT_NAME, &nla_str<P>},
    {IFLA_PROTO_DOWN, nla_u8<P>},
    {IFLA_GSO_MAX_SEGS, nla_u32<P>},
    {IFLA_GSO_MAX_SIZE, nla_u32<P>},
    {IFLA_NET_NS_FD, &nla_fd<P>},
    {IFLA_XDP, &rtnl_nla_ifla_xdp<P>},
    {IFLA_EVENT, &nla_enum<std::uint32_t, rtnl_ifla_events_xlat, P>},
    {IFLA_NEW_NETNSID, nla_s32<P>},
    {IFLA_IF_NETNSID, nla_s32<P>},
    {IFLA_CARRIER_UP_COUNT, nla_u32<P>},
    {IFLA_CARRIER_DOWN_COUNT, nla_u32<P>},
    {IFLA_NEW_IFINDEX, &nla_ifindex<P>},
    {IFLA_MIN_MTU, nla_u32<P>},
    {IFLA_MAX_MTU, nla_u32<P>},
    {IFLA_PROP_LIST, &rtnl_nla_ifla_prop_list<P>},
    {IFLA_ALT_IFNAME, &nla_str<P>},
    {IFLA_PERM_ADDRESS, &nla_hwaddr<P>},
    {IFLA_PROTO_DOWN_REASON, &rtnl_nla_ifla_proto_down_reason<P>},
    {IFLA_PARENT_DEV_NAME, &nla_str<P>},
    {IFLA_PARENT_DEV_BUS_NAME, &nla_str<P>},
    {IFLA_GRO_MAX_SIZE, nla_u32<P>},
    {IFLA_TSO_MAX_SIZE, nla_u32<P>},
    {IFLA_TSO_MAX_SEGS, nla_u32<P>},
    {IFLA_ALLMULTI, nla_u32<P>},
});

}  // namespace snare::format::detail
