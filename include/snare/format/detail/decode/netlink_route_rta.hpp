// Defines the attribute decoders of rtnetlink's route messages (RTM_*ROUTE, strace's
// rtnl_route.c): RTA_* after struct rtmsg, with addresses of the message's family, the
// RTA_METRICS nest (RTAX_*), RTA_MULTIPATH (struct rtnexthop, each with RTA_* of its own),
// RTA_VIA, the cache info and the multicast forwarding counters.
#pragma once

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route_attrs.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// ---- struct layouts (linux/rtnetlink.h) ---------------------------------------------------

inline constexpr nl_field rta_cacheinfo_fields[] = {
    {"rta_clntref", offsetof(rta_cacheinfo, rta_clntref), 4, nl_kind::u},
    {"rta_lastuse", offsetof(rta_cacheinfo, rta_lastuse), 4, nl_kind::u},
    {"rta_expires", offsetof(rta_cacheinfo, rta_expires), 4, nl_kind::u},  // strace: unsigned
    {"rta_error", offsetof(rta_cacheinfo, rta_error), 4, nl_kind::u},
    {"rta_used", offsetof(rta_cacheinfo, rta_used), 4, nl_kind::u},
    {"rta_id", offsetof(rta_cacheinfo, rta_id), 4, nl_kind::x},
    {"rta_ts", offsetof(rta_cacheinfo, rta_ts), 4, nl_kind::u},
    {"rta_tsage", offsetof(rta_cacheinfo, rta_tsage), 4, nl_kind::u},
};
inline constexpr nl_field rta_mfc_stats_fields[] = {
    {"mfcs_packets", offsetof(rta_mfc_stats, mfcs_packets), 8, nl_kind::u},
    {"mfcs_bytes", offsetof(rta_mfc_stats, mfcs_bytes), 8, nl_kind::u},
    {"mfcs_wrong_if", offsetof(rta_mfc_stats, mfcs_wrong_if), 8, nl_kind::u},
};
inline constexpr nl_field rtnexthop_fields[] = {
    {"rtnh_len", offsetof(rtnexthop, rtnh_len), 2, nl_kind::u},
    {"rtnh_flags", offsetof(rtnexthop, rtnh_flags), 1, nl_kind::flags, &route_nexthop_flags_xlat},
    {"rtnh_hops", offsetof(rtnexthop, rtnh_hops), 1, nl_kind::u},
    {"rtnh_ifindex", offsetof(rtnexthop, rtnh_ifindex), 4, nl_kind::ifindex},
};

// ---- payloads ------------------------------------------------------------------------------

/// RTAX_* (strace's rta_metrics_nla_decoders): u32 values but the congestion control name.
template <class P>
inline constexpr auto rtnl_rta_metrics_nla = nla_table<P, RTAX_CC_ALGO + 1>({
    {RTAX_LOCK, nla_u32<P>},
    {RTAX_MTU, nla_u32<P>},
    {RTAX_WINDOW, nla_u32<P>},
    {RTAX_RTT, nla_u32<P>},
    {RTAX_RTTVAR, nla_u32<P>},
    {RTAX_SSTHRESH, nla_u32<P>},
    {RTAX_CWND, nla_u32<P>},
    {RTAX_ADVMSS, nla_u32<P>},
    {RTAX_REORDERING, nla_u32<P>},
    {RTAX_HOPLIMIT, nla_u32<P>},
    {RTAX_INITCWND, nla_u32<P>},
    {RTAX_FEATURES, nla_u32<P>},
    {RTAX_RTO_MIN, nla_u32<P>},
    {RTAX_INITRWND, nla_u32<P>},
    {RTAX_QUICKACK, nla_u32<P>},
    {RTAX_CC_ALGO, &nla_str<P>},
});
template <class P>
bool rtnl_nla_rta_metrics(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_rta_metrics_attrs_xlat, rtnl_rta_metrics_nla<P>, opaque);
}

/// struct rtvia (strace's decode_rtvia): the family, then the address after it by that family
/// (`rtvia_addr=inet_addr("1.2.3.4")`, other families or short ones in hex).
template <class P>
bool rtnl_nla_rtvia(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  constexpr std::uint32_t addr_offset = 2;  // offsetof(struct rtvia, rtvia_addr)
  std::uint16_t family;
  bool ok;
  if (!nla_read(p, addr, len, family, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{rtvia_family=");
  put_enum(out, socket_family_xlat, family);
  if (len > addr_offset) {
    std::uint32_t rest = len - addr_offset;
    std::size_t size = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
    out.append(", ");
    if (size == 0 || rest < size) {
      out.append("rtvia_addr=");
      put_hex_bytes(p, addr + addr_offset, rest);
    } else if (!p.read_exact(addr + addr_offset, size)) {
      out.append("rtvia_addr=");
      put_ptr(out, addr + addr_offset);
    } else {
      unsigned char a[16];
      std::memcpy(a, scratch().data(), size);
      field_sep f{out};
      put_inet_addr(f, family, a, size, "rtvia_addr");
    }
  }
  out.push_back('}');
  return true;
}

template <class P>
bool rtnl_nla_rta_multipath(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque);

/// RTA_* payloads (strace's rtmsg_nla_decoders).
template <class P>
inline constexpr auto rtnl_route_nla = nla_table<P, RTA_DPORT + 1>({
    {RTA_DST, &rtnl_nla_addr<P>},
    {RTA_SRC, &rtnl_nla_addr<P>},
    {RTA_IIF, &nla_ifindex<P>},
    {RTA_OIF, &nla_ifindex<P>},
    {RTA_GATEWAY, &rtnl_nla_addr<P>},
    {RTA_PRIORITY, nla_u32<P>},
    {RTA_PREFSRC, &rtnl_nla_addr<P>},
    {RTA_METRICS, &rtnl_nla_rta_metrics<P>},
    {RTA_MULTIPATH, &rtnl_nla_rta_multipath<P>},
    {RTA_PROTOINFO, nla_u32<P>},
    {RTA_FLOW, nla_u32<P>},
    {RTA_CACHEINFO, &nla_fields<sizeof(rta_cacheinfo), rta_cacheinfo_fields, P>},
    {RTA_MP_ALGO, nla_u32<P>},
    {RTA_TABLE, &nla_enum<std::uint32_t, routing_table_ids_xlat, P>},
    {RTA_MARK, nla_u32<P>},
    {RTA_MFC_STATS, &nla_fields<sizeof(rta_mfc_stats), rta_mfc_stats_fields, P>},
    {RTA_VIA, &rtnl_nla_rtvia<P>},
    {RTA_NEWDST, &rtnl_nla_addr<P>},
    {RTA_PREF, nla_u8<P>},
    {RTA_ENCAP_TYPE, &nla_enum<std::uint16_t, lwtunnel_encap_types_xlat, P>},
    {RTA_EXPIRES, nla_u64<P>},
    {RTA_UID, nla_u32<P>},
    {RTA_TTL_PROPAGATE, nla_u8<P>},
    {RTA_IP_PROTO, nla_u8<P>},
    {RTA_SPORT, nla_u16<P>},
    {RTA_DPORT, nla_u16<P>},
});

/// RTA_MULTIPATH (strace's decode_rta_multipath): struct rtnexthop after struct rtnexthop,
/// each printed whole whatever its rtnh_len says, with the RTA_* within its rtnh_len after
/// it (`[{rtnh_len=16, ...}, [{nla_len=8, nla_type=RTA_GATEWAY}, ...]]`); an array when the
/// first does not take the whole payload; bytes when shorter than one.
template <class P>
bool rtnl_nla_rta_multipath(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  constexpr std::uint32_t hdr = (sizeof(rtnexthop) + 3) & ~3u;  // RTNH_ALIGN
  if (len < sizeof(rtnexthop)) return false;
  std::string& out = p.out();
  bool array = false;
  std::uint64_t cur = addr;
  std::uint32_t left = len;
  for (;;) {
    if (!p.read_exact(cur, sizeof(rtnexthop))) {
      put_ptr(out, cur);
      break;
    }
    unsigned char raw[sizeof(rtnexthop)];
    std::memcpy(raw, scratch().data(), sizeof raw);
    std::uint16_t nh_len;
    std::memcpy(&nh_len, raw, sizeof nh_len);
    std::uint32_t this_len = std::min<std::uint32_t>(left, nh_len);
    if (cur == addr && nh_len < len) out.push_back('['), array = true;
    if (cur > addr) out.append(", ");
    if (this_len > hdr) out.push_back('[');
    out.push_back('{');
    field_sep f{out};
    put_nl_fields(f, rtnexthop_fields, raw, sizeof raw);
    out.push_back('}');
    if (this_len > hdr) {
      out.append(", ");
      put_nlattrs(p, cur + hdr, this_len - hdr, rtnl_route_attrs_xlat,
                  std::span<const nla_fn<P>>(rtnl_route_nla<P>), opaque);
      out.push_back(']');
    }
    std::uint32_t step = (this_len + 3) & ~3u;
    if (step >= left) break;
    cur += step;
    left -= step;
  }
  if (array) out.push_back(']');
  return true;
}

}  // namespace snare::format::detail
