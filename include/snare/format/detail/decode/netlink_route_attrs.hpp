// Defines the attribute decoders of rtnetlink's address, address label, netconf,
// neighbour, neighbour table and cache report messages (strace's rtnl_addr.c,
// rtnl_addrlabel.c, rtnl_netconf.c, rtnl_neigh.c, rtnl_neightbl.c, rtnl_cachereport.c), and
// the context every rtnetlink attribute decoder gets.
#pragma once

#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Context an attribute decoder gets: the header's family (addresses are of that family).
struct rtnl_ctx {
  std::uint8_t family;
};

// ---- attribute payload layouts -----------------------------------------------------

inline constexpr nl_field ifa_cacheinfo_fields[] = {
    {"ifa_prefered", offsetof(ifa_cacheinfo, ifa_prefered), 4, nl_kind::u},
    {"ifa_valid", offsetof(ifa_cacheinfo, ifa_valid), 4, nl_kind::u},
    {"cstamp", offsetof(ifa_cacheinfo, cstamp), 4, nl_kind::u},
    {"tstamp", offsetof(ifa_cacheinfo, tstamp), 4, nl_kind::u},
};
inline constexpr nl_field ndt_config_fields[] = {
    {"ndtc_key_len", offsetof(ndt_config, ndtc_key_len), 2, nl_kind::u},
    {"ndtc_entry_size", offsetof(ndt_config, ndtc_entry_size), 2, nl_kind::u},
    {"ndtc_entries", offsetof(ndt_config, ndtc_entries), 4, nl_kind::u},
    {"ndtc_last_flush", offsetof(ndt_config, ndtc_last_flush), 4, nl_kind::u},
    {"ndtc_last_rand", offsetof(ndt_config, ndtc_last_rand), 4, nl_kind::u},
    {"ndtc_hash_rnd", offsetof(ndt_config, ndtc_hash_rnd), 4, nl_kind::u},
    {"ndtc_hash_mask", offsetof(ndt_config, ndtc_hash_mask), 4, nl_kind::x},
    {"ndtc_hash_chain_gc", offsetof(ndt_config, ndtc_hash_chain_gc), 4, nl_kind::u},
    {"ndtc_proxy_qlen", offsetof(ndt_config, ndtc_proxy_qlen), 4, nl_kind::u},
};
/// struct ndt_stats; its older form ends before ndts_table_fulls (ndt_stats_old_size).
inline constexpr nl_field ndt_stats_fields[] = {
    {"ndts_allocs", offsetof(ndt_stats, ndts_allocs), 8, nl_kind::u},
    {"ndts_destroys", offsetof(ndt_stats, ndts_destroys), 8, nl_kind::u},
    {"ndts_hash_grows", offsetof(ndt_stats, ndts_hash_grows), 8, nl_kind::u},
    {"ndts_res_failed", offsetof(ndt_stats, ndts_res_failed), 8, nl_kind::u},
    {"ndts_lookups", offsetof(ndt_stats, ndts_lookups), 8, nl_kind::u},
    {"ndts_hits", offsetof(ndt_stats, ndts_hits), 8, nl_kind::u},
    {"ndts_rcv_probes_mcast", offsetof(ndt_stats, ndts_rcv_probes_mcast), 8, nl_kind::u},
    {"ndts_rcv_probes_ucast", offsetof(ndt_stats, ndts_rcv_probes_ucast), 8, nl_kind::u},
    {"ndts_periodic_gc_runs", offsetof(ndt_stats, ndts_periodic_gc_runs), 8, nl_kind::u},
    {"ndts_forced_gc_runs", offsetof(ndt_stats, ndts_forced_gc_runs), 8, nl_kind::u},
    {"ndts_table_fulls", offsetof(ndt_stats, ndts_table_fulls), 8, nl_kind::u},
};
inline constexpr std::size_t ndt_stats_old_size = offsetof(ndt_stats, ndts_table_fulls);
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

/// IFA_* payloads (strace's ifaddrmsg_nla_decoders).
template <class P>
inline constexpr nla_fn<P> rtnl_addr_nla[] = {
    nullptr,                                                      // IFA_UNSPEC
    &rtnl_nla_addr<P>,                                            // IFA_ADDRESS
    &rtnl_nla_addr<P>,                                            // IFA_LOCAL
    &nla_str<P>,                                                  // IFA_LABEL
    &rtnl_nla_addr<P>,                                            // IFA_BROADCAST
    &rtnl_nla_addr<P>,                                            // IFA_ANYCAST
    &nla_fields<sizeof(ifa_cacheinfo), ifa_cacheinfo_fields, P>,  // IFA_CACHEINFO
    &rtnl_nla_addr<P>,                                            // IFA_MULTICAST
    nla_flags<ifaddrflags_xlat, 4, P>,                            // IFA_FLAGS
    nla_u32<P>,                                                   // IFA_RT_PRIORITY
    nla_s32<P>,                                                   // IFA_TARGET_NETNSID
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
  return nla_nest(p, addr, len, rtnl_neightbl_parms_attrs_xlat, rtnl_ndt_parms_nla<P>, opaque);
}

/// NDTA_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_neightbl_nla[] = {
    nullptr,                                                                  // NDTA_UNSPEC
    &nla_str<P>,                                                              // NDTA_NAME
    nla_u32<P>,                                                               // NDTA_THRESH1
    nla_u32<P>,                                                               // NDTA_THRESH2
    nla_u32<P>,                                                               // NDTA_THRESH3
    &nla_fields<sizeof(ndt_config), ndt_config_fields, P>,                    // NDTA_CONFIG
    &rtnl_nla_ndta_parms<P>,                                                  // NDTA_PARMS
    &nla_fields<sizeof(ndt_stats), ndt_stats_fields, P, ndt_stats_old_size>,  // NDTA_STATS
    nla_u64<P>,                                                               // NDTA_GC_INTERVAL
};

// ---- neighbours (RTM_*NEIGH) -----------------------------------------------------------

inline constexpr nl_field nda_cacheinfo_fields[] = {
    {"ndm_confirmed", offsetof(nda_cacheinfo, ndm_confirmed), 4, nl_kind::u},
    {"ndm_used", offsetof(nda_cacheinfo, ndm_used), 4, nl_kind::u},
    {"ndm_updated", offsetof(nda_cacheinfo, ndm_updated), 4, nl_kind::u},
    {"ndm_refcnt", offsetof(nda_cacheinfo, ndm_refcnt), 4, nl_kind::u},
};

/// NFEA_* payloads (NFEA_DONT_REFRESH is a flag without payload).
template <class P>
inline constexpr nla_fn<P> rtnl_nfea_nla[] = {
    nullptr,                                 // NFEA_UNSPEC
    nla_flags<fdb_notify_flags_xlat, 1, P>,  // NFEA_ACTIVITY_NOTIFY
};
template <class P>
bool rtnl_nla_nda_fdb_ext(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_neigh_fdb_ext_attrs_xlat, rtnl_nfea_nla<P>, opaque);
}

/// NDA_* payloads (strace's ndmsg_nla_decoders).
template <class P>
inline constexpr auto rtnl_neigh_nla = nla_table<P, NDA_NDM_FLAGS_MASK + 1>({
    {NDA_DST, &rtnl_nla_addr<P>},
    {NDA_LLADDR, &nla_hwaddr<P>},
    {NDA_CACHEINFO, &nla_fields<sizeof(nda_cacheinfo), nda_cacheinfo_fields, P>},
    {NDA_PROBES, nla_u32<P>},
    {NDA_VLAN, nla_u16<P>},
    {NDA_PORT, &nla_be16<P>},
    {NDA_VNI, nla_u32<P>},
    {NDA_IFINDEX, &nla_ifindex<P>},
    {NDA_MASTER, &nla_ifindex<P>},
    {NDA_LINK_NETNSID, nla_u32<P>},
    {NDA_SRC_VNI, nla_u32<P>},
    {NDA_PROTOCOL, nla_xval<inet_protocols_xlat, 0, P>},
    {NDA_NH_ID, nla_u32<P>},
    {NDA_FDB_EXT_ATTRS, &rtnl_nla_nda_fdb_ext<P>},
    {NDA_FLAGS_EXT, nla_flags<neighbor_cache_entry_ext_flags_xlat, 4, P>},
    {NDA_NDM_STATE_MASK, nla_flags<neighbor_cache_entry_states_xlat, 2, P>},
    {NDA_NDM_FLAGS_MASK, nla_flags<neighbor_cache_entry_flags_xlat, 1, P>},
});

// ---- multicast routing cache reports (RTM_NEWCACHEREPORT) --------------------------------

/// IPMRA_CREPORT_* payloads (RTNL_FAMILY_IPMR; the packet prints as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_ipmra_creport_nla[] = {
    nullptr,                                    // IPMRA_CREPORT_UNSPEC
    nla_xval<rtnl_ipmra_msg_types_xlat, 1, P>,  // IPMRA_CREPORT_MSGTYPE
    nla_u32<P>,                                 // IPMRA_CREPORT_VIF_ID
    &nla_in_addr<P>,                            // IPMRA_CREPORT_SRC_ADDR
    &nla_in_addr<P>,                            // IPMRA_CREPORT_DST_ADDR
    nullptr,                                    // IPMRA_CREPORT_PKT
    nla_u32<P>,                                 // IPMRA_CREPORT_TABLE
};
/// IP6MRA_CREPORT_* payloads (RTNL_FAMILY_IP6MR).
template <class P>
inline constexpr nla_fn<P> rtnl_ip6mra_creport_nla[] = {
    nullptr,                                     // IP6MRA_CREPORT_UNSPEC
    nla_xval<rtnl_ip6mra_msg_types_xlat, 1, P>,  // IP6MRA_CREPORT_MSGTYPE
    nla_u32<P>,                                  // IP6MRA_CREPORT_MIF_ID
    &nla_in6_addr<P>,                            // IP6MRA_CREPORT_SRC_ADDR
    &nla_in6_addr<P>,                            // IP6MRA_CREPORT_DST_ADDR
    nullptr,                                     // IP6MRA_CREPORT_PKT
};

/// Appends a cache report's family: RTNL_FAMILY_IPMR and IP6MR, else an address family,
/// `0x2e /* RTNL_FAMILY_??? */` for neither (strace's printxvals over both tables).
inline void put_rtnl_family(std::string& out, std::uint8_t family) {
  auto name = find_name(rtnl_family_field, family);
  if (name.empty()) name = find_name(socket_family_field, family);
  if (!name.empty()) return put_named(out, name, [&] { put_hex(out, family); });
  put_hex(out, family);
  if (!xlat_raw()) out.append(" /* RTNL_FAMILY_??? */");
}

/// Appends a cache report's attributes by its family: IPMRA_* or IP6MRA_*, bytes in hex for
/// another family (strace's decode_nla_af_spec).
template <class P>
void put_cachereport_attrs(P& p, std::uint64_t addr, std::uint32_t len, std::uint8_t family) {
  if (family == RTNL_FAMILY_IPMR)
    return put_nlattrs(p, addr, len, rtnl_ipmra_creport_attr_xlat,
                       std::span<const nla_fn<P>>(rtnl_ipmra_creport_nla<P>));
  if (family == RTNL_FAMILY_IP6MR)
    return put_nlattrs(p, addr, len, rtnl_ip6mra_creport_attr_xlat,
                       std::span<const nla_fn<P>>(rtnl_ip6mra_creport_nla<P>));
  put_hex_bytes(p, addr, len);
}

}  // namespace snare::format::detail
