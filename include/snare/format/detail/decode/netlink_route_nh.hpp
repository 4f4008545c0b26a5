// Defines the attribute decoders of rtnetlink's next hop and routing rule messages
// (strace's rtnl_nh.c and rtnl_rule.c): NHA_* with next hop groups and the nests of
// resilient groups, FRA_* with uid and port ranges.
#pragma once

#include <linux/fib_rules.h>
#include <linux/nexthop.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_attrs.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- next hops (RTM_*NEXTHOP) ----------------------------------------------------------

/// struct nexthop_grp: its reserved fields only when set.
inline constexpr nl_field nexthop_grp_fields[] = {
    {"id", offsetof(nexthop_grp, id), 4, nl_kind::u},
    {"weight", offsetof(nexthop_grp, weight), 1, nl_kind::u},
    {"resvd1", offsetof(nexthop_grp, resvd1), 1, nl_kind::x_nonzero},
    {"resvd2", offsetof(nexthop_grp, resvd2), 2, nl_kind::x_nonzero},
};

/// NHA_RES_GROUP_* payloads.
template <class P>
inline constexpr auto rtnl_nha_res_group_nla = nla_table<P, NHA_RES_GROUP_UNBALANCED_TIME + 1>({
    {NHA_RES_GROUP_BUCKETS, nla_u16<P>},
    {NHA_RES_GROUP_IDLE_TIMER, &nla_clock_t<P>},
    {NHA_RES_GROUP_UNBALANCED_TIMER, &nla_clock_t<P>},
    {NHA_RES_GROUP_UNBALANCED_TIME, &nla_clock_t<P>},
});

/// NHA_RES_BUCKET_* payloads.
template <class P>
inline constexpr auto rtnl_nha_res_bucket_nla = nla_table<P, NHA_RES_BUCKET_NH_ID + 1>({
    {NHA_RES_BUCKET_INDEX, nla_u16<P>},
    {NHA_RES_BUCKET_IDLE_TIME, &nla_clock_t<P>},
    {NHA_RES_BUCKET_NH_ID, nla_u32<P>},
});

template <class P>
bool rtnl_nla_nha_res_group(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_nha_res_group_attrs_xlat, rtnl_nha_res_group_nla<P>, opaque);
}
template <class P>
bool rtnl_nla_nha_res_bucket(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_nha_res_bucket_attrs_xlat, rtnl_nha_res_bucket_nla<P>, opaque);
}

/// NHA_* payloads (strace's nhmsg_nla_decoders; NHA_ENCAP prints as bytes).
template <class P>
inline constexpr auto rtnl_nexthop_nla = nla_table<P, NHA_RES_BUCKET + 1>({
    {NHA_ID, nla_u32<P>},
    {NHA_GROUP, &nla_struct_array<sizeof(nexthop_grp), nexthop_grp_fields, P>},
    {NHA_GROUP_TYPE, nla_xval<rtnl_nexthop_grp_types_xlat, 2, P>},
    {NHA_BLACKHOLE, nla_u32<P>},
    {NHA_OIF, &nla_ifindex<P>},
    {NHA_GATEWAY, &rtnl_nla_addr<P>},
    {NHA_ENCAP_TYPE, &nla_enum<std::uint16_t, lwtunnel_encap_types_xlat, P>},
    {NHA_GROUPS, nla_u32<P>},
    {NHA_MASTER, &nla_ifindex<P>},
    {NHA_FDB, nla_u32<P>},
    {NHA_RES_GROUP, &rtnl_nla_nha_res_group<P>},
    {NHA_RES_BUCKET, &rtnl_nla_nha_res_bucket<P>},
});

// ---- routing rules (RTM_*RULE) ---------------------------------------------------------

/// struct fib_rule_uid_range and fib_rule_port_range: {start, end}.
inline constexpr nl_field fib_rule_uid_range_fields[] = {
    {"start", offsetof(fib_rule_uid_range, start), 4, nl_kind::u},
    {"end", offsetof(fib_rule_uid_range, end), 4, nl_kind::u},
};
inline constexpr nl_field fib_rule_port_range_fields[] = {
    {"start", offsetof(fib_rule_port_range, start), 2, nl_kind::u},
    {"end", offsetof(fib_rule_port_range, end), 2, nl_kind::u},
};

/// FRA_* payloads (strace's fib_rule_hdr_nla_decoders).
template <class P>
inline constexpr auto rtnl_rule_nla = nla_table<P, FRA_DPORT_RANGE + 1>({
    {FRA_DST, &rtnl_nla_addr<P>},
    {FRA_SRC, &rtnl_nla_addr<P>},
    {FRA_IIFNAME, &nla_str<P>},
    {FRA_GOTO, nla_u32<P>},
    {FRA_PRIORITY, nla_u32<P>},
    {FRA_FWMARK, nla_u32<P>},
    {FRA_FLOW, nla_u32<P>},
    {FRA_TUN_ID, &nla_be64<P>},
    {FRA_SUPPRESS_IFGROUP, nla_u32<P>},
    {FRA_SUPPRESS_PREFIXLEN, nla_u32<P>},
    {FRA_TABLE, &nla_enum<std::uint32_t, routing_table_ids_xlat, P>},
    {FRA_FWMASK, nla_u32<P>},
    {FRA_OIFNAME, &nla_str<P>},
    {FRA_L3MDEV, nla_u8<P>},
    {FRA_UID_RANGE, &nla_fields<sizeof(fib_rule_uid_range), fib_rule_uid_range_fields, P>},
    {FRA_PROTOCOL, &nla_enum<std::uint8_t, routing_protocols_xlat, P>},
    {FRA_IP_PROTO, nla_xval<inet_protocols_xlat, 0, P>},
    {FRA_SPORT_RANGE, &nla_fields<sizeof(fib_rule_port_range), fib_rule_port_range_fields, P>},
    {FRA_DPORT_RANGE, &nla_fields<sizeof(fib_rule_port_range), fib_rule_port_range_fields, P>},
});

}  // namespace snare::format::detail
