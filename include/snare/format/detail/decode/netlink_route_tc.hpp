// Defines the attribute decoders of rtnetlink's traffic control messages (strace's rtnl_tc.c
// and rtnl_tc_action.c): qdisc, class, filter and chain attributes (TCA_*) with their
// statistics (TCA_STATS, the TCA_STATS2 nest of gnet_stats_*) and size table (TCA_STAB),
// and the action attributes (TCA_ACT_*) of RTM_*ACTION.
#pragma once

#include <linux/gen_stats.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>

#include <cstddef>
#include <cstdint>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- struct layouts (linux/pkt_sched.h, linux/gen_stats.h) -----------------------------

/// struct tc_stats up to its last field (its tail padding is not sent).
inline constexpr nl_field tc_stats_fields[] = {
    {"bytes", offsetof(tc_stats, bytes), 8, nl_kind::u},
    {"packets", offsetof(tc_stats, packets), 4, nl_kind::u},
    {"drops", offsetof(tc_stats, drops), 4, nl_kind::u},
    {"overlimits", offsetof(tc_stats, overlimits), 4, nl_kind::u},
    {"bps", offsetof(tc_stats, bps), 4, nl_kind::u},
    {"pps", offsetof(tc_stats, pps), 4, nl_kind::u},
    {"qlen", offsetof(tc_stats, qlen), 4, nl_kind::u},
    {"backlog", offsetof(tc_stats, backlog), 4, nl_kind::u},
};
inline constexpr std::size_t tc_stats_size = offsetof(tc_stats, backlog) + 4;
inline constexpr nl_field tc_estimator_fields[] = {
    {"interval", offsetof(tc_estimator, interval), 1, nl_kind::d},
    {"ewma_log", offsetof(tc_estimator, ewma_log), 1, nl_kind::u},
};
/// struct gnet_stats_basic: the kernel sends its 12 bytes without the tail padding.
inline constexpr nl_field gnet_stats_basic_fields[] = {
    {"bytes", offsetof(gnet_stats_basic, bytes), 8, nl_kind::u},
    {"packets", offsetof(gnet_stats_basic, packets), 4, nl_kind::u},
};
inline constexpr std::size_t gnet_stats_basic_size = offsetof(gnet_stats_basic, packets) + 4;
inline constexpr nl_field gnet_stats_rate_est_fields[] = {
    {"bps", offsetof(gnet_stats_rate_est, bps), 4, nl_kind::u},
    {"pps", offsetof(gnet_stats_rate_est, pps), 4, nl_kind::u},
};
inline constexpr nl_field gnet_stats_rate_est64_fields[] = {
    {"bps", offsetof(gnet_stats_rate_est64, bps), 8, nl_kind::u},
    {"pps", offsetof(gnet_stats_rate_est64, pps), 8, nl_kind::u},
};
inline constexpr nl_field gnet_stats_queue_fields[] = {
    {"qlen", offsetof(gnet_stats_queue, qlen), 4, nl_kind::u},
    {"backlog", offsetof(gnet_stats_queue, backlog), 4, nl_kind::u},
    {"drops", offsetof(gnet_stats_queue, drops), 4, nl_kind::u},
    {"requeues", offsetof(gnet_stats_queue, requeues), 4, nl_kind::u},
    {"overlimits", offsetof(gnet_stats_queue, overlimits), 4, nl_kind::u},
};
inline constexpr nl_field tc_sizespec_fields[] = {
    {"cell_log", offsetof(tc_sizespec, cell_log), 1, nl_kind::u},
    {"size_log", offsetof(tc_sizespec, size_log), 1, nl_kind::u},
    {"cell_align", offsetof(tc_sizespec, cell_align), 2, nl_kind::d},
    {"overhead", offsetof(tc_sizespec, overhead), 4, nl_kind::d},
    {"linklayer", offsetof(tc_sizespec, linklayer), 4, nl_kind::u},
    {"mpu", offsetof(tc_sizespec, mpu), 4, nl_kind::u},
    {"mtu", offsetof(tc_sizespec, mtu), 4, nl_kind::u},
    {"tsize", offsetof(tc_sizespec, tsize), 4, nl_kind::u},
};

// ---- attributes ----------------------------------------------------------------------

/// TCA_STATS_* payloads (strace's tca_stats_nla_decoders; TCA_STATS_APP prints as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_tca_stats_nla[] = {
    nullptr,                                                                      // TCA_STATS_UNSPEC
    &nla_fields<gnet_stats_basic_size, gnet_stats_basic_fields, P>,               // TCA_STATS_BASIC
    &nla_fields<sizeof(gnet_stats_rate_est), gnet_stats_rate_est_fields, P>,      // TCA_STATS_RATE_EST
    &nla_fields<sizeof(gnet_stats_queue), gnet_stats_queue_fields, P>,            // TCA_STATS_QUEUE
    nullptr,                                                                      // TCA_STATS_APP
    &nla_fields<sizeof(gnet_stats_rate_est64), gnet_stats_rate_est64_fields, P>,  // TCA_STATS_RATE_EST64
    nullptr,                                                                      // TCA_STATS_PAD
    &nla_fields<gnet_stats_basic_size, gnet_stats_basic_fields, P>,               // TCA_STATS_BASIC_HW
    nla_u64<P>,                                                                   // TCA_STATS_PKT64
};

/// TCA_STATS2 and TCA_ACT_STATS: a nest of TCA_STATS_*.
template <class P>
bool rtnl_nla_tca_stats(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_tca_stats_attrs_xlat, rtnl_tca_stats_nla<P>, opaque);
}

/// TCA_STAB_* payloads: the size table's spec and its u16 cells.
template <class P>
inline constexpr nla_fn<P> rtnl_tca_stab_nla[] = {
    nullptr,                                                  // TCA_STAB_UNSPEC
    &nla_fields<sizeof(tc_sizespec), tc_sizespec_fields, P>,  // TCA_STAB_BASE
    &nla_uint_array<std::uint16_t, P>,                        // TCA_STAB_DATA
};

template <class P>
bool rtnl_nla_tca_stab(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_tca_stab_attrs_xlat, rtnl_tca_stab_nla<P>, opaque);
}

/// TCA_* payloads (options and xstats, kind-specific, print as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_tc_nla[] = {
    nullptr,                                                    // TCA_UNSPEC
    &nla_str<P>,                                                // TCA_KIND
    nullptr,                                                    // TCA_OPTIONS
    &nla_fields<tc_stats_size, tc_stats_fields, P>,             // TCA_STATS
    nullptr,                                                    // TCA_XSTATS
    &nla_fields<sizeof(tc_estimator), tc_estimator_fields, P>,  // TCA_RATE
    nla_u32<P>,                                                 // TCA_FCNT
    &rtnl_nla_tca_stats<P>,                                     // TCA_STATS2
    &rtnl_nla_tca_stab<P>,                                      // TCA_STAB
    nullptr,                                                    // TCA_PAD
    nullptr,                                                    // TCA_DUMP_INVISIBLE
    nla_u32<P>,                                                 // TCA_CHAIN
    nla_u8<P>,                                                  // TCA_HW_OFFLOAD
    nla_u32<P>,                                                 // TCA_INGRESS_BLOCK
    nla_u32<P>,                                                 // TCA_EGRESS_BLOCK
    nla_u32<P>,                                                 // TCA_DUMP_FLAGS
};

/// TCA_ACT_* payloads of a tcamsg (strace's tcamsg_nla_decoders; options and the cookie
/// print as bytes).
template <class P>
inline constexpr nla_fn<P> rtnl_tca_nla[] = {
    nullptr,                                      // TCA_ACT_UNSPEC
    &nla_str<P>,                                  // TCA_ACT_KIND
    nullptr,                                      // TCA_ACT_OPTIONS
    nla_u32<P>,                                   // TCA_ACT_INDEX
    &rtnl_nla_tca_stats<P>,                       // TCA_ACT_STATS
    nullptr,                                      // TCA_ACT_PAD
    nullptr,                                      // TCA_ACT_COOKIE
    nla_flags<rtnl_tca_act_flags_xlat, 4, P>,     // TCA_ACT_FLAGS
    nla_flags<rtnl_tca_act_hw_stats_xlat, 4, P>,  // TCA_ACT_HW_STATS
    nla_flags<rtnl_tca_act_hw_stats_xlat, 4, P>,  // TCA_ACT_USED_HW_STATS
    nla_u32<P>,                                   // TCA_ACT_IN_HW_COUNT
};

}  // namespace snare::format::detail
