// Defines the decoding of NETLINK_SOCK_DIAG payloads of AF_UNIX, AF_NETLINK and AF_PACKET
// sockets (strace's netlink_sock_diag.c and netlink_{unix,netlink,packet}_diag.c), and what
// every family's decoder shares: the request or response struct, chosen by NLM_F_REQUEST,
// then its attributes (socket inodes, queues, memory counters, rings). AF_INET, AF_INET6
// and AF_SMC are in netlink_inet_diag.hpp; the choice by family in netlink_sock_diag.hpp.
#pragma once

#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/smc_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <span>
#include <string>

#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends a struct whose first byte, the address family, is already known: `{fam=AF_X, `
/// then, when `len` holds a whole T, `body(t, fields)` on it (the address of the rest when
/// it cannot be read), else `...`; then `}`. Returns whether the body printed (so that the
/// attributes after the struct are decoded), as strace's diag decoders.
template <class T, class P, class Body>
bool put_diag_struct(P& p, std::uint64_t addr, std::uint32_t len, std::string_view family_field,
                     std::uint8_t family, Body body) {
  std::string& out = p.out();
  out.push_back('{');
  out.append(family_field).push_back('=');
  put_enum(out, socket_family_xlat, family);
  out.append(", ");
  field_sep f{out};
  bool decoded = false;
  if (len >= sizeof(T)) {
    T t;
    if (!p.read_obj(addr, t)) {
      put_ptr(out, addr + 1);
    } else {
      body(t, f);
      decoded = true;
    }
  } else {
    out.append("...");
  }
  out.push_back('}');
  return decoded;
}

/// Appends struct inet_diag_sockid with addresses of family `af`.
inline void put_inet_diag_sockid(std::string& out, const inet_diag_sockid& id, int af) {
  out.push_back('{');
  field_sep f{out};
  put_net_port(f("idiag_sport"), id.idiag_sport);
  put_net_port(f("idiag_dport"), id.idiag_dport);
  put_inet_addr(f, af, reinterpret_cast<const unsigned char*>(id.idiag_src), sizeof id.idiag_src,
                "idiag_src");
  put_inet_addr(f, af, reinterpret_cast<const unsigned char*>(id.idiag_dst), sizeof id.idiag_dst,
                "idiag_dst");
  put_ifindex(f("idiag_if"), id.idiag_if);
  put_cookie(f("idiag_cookie"), id.idiag_cookie);
  out.push_back('}');
}

// ---- AF_UNIX -----------------------------------------------------------------------

inline constexpr nl_field unix_diag_rqlen_fields[] = {
    {"udiag_rqueue", offsetof(unix_diag_rqlen, udiag_rqueue), 4, nl_kind::u},
    {"udiag_wqueue", offsetof(unix_diag_rqlen, udiag_wqueue), 4, nl_kind::u},
};

template <class P>
bool nla_unix_diag_vfs(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  unix_diag_vfs v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{udiag_vfs_dev=");
  put_dev(out, v.udiag_vfs_dev);
  out.append(", udiag_vfs_ino=");
  put_udec(out, v.udiag_vfs_ino);
  out.push_back('}');
  return true;
}

/// UNIX_DIAG_* payloads by type (strace's unix_diag_msg_nla_decoders).
template <class P>
inline constexpr nla_fn<P> unix_diag_nla[] = {
    &nla_str<P>,                                                      // UNIX_DIAG_NAME
    &nla_unix_diag_vfs<P>,                                            // UNIX_DIAG_VFS
    nla_u32<P>,                                                       // UNIX_DIAG_PEER
    nla_u32_array<P>,                                                 // UNIX_DIAG_ICONS
    &nla_fields<sizeof(unix_diag_rqlen), unix_diag_rqlen_fields, P>,  // UNIX_DIAG_RQLEN
    &nla_meminfo<P>,                                                  // UNIX_DIAG_MEMINFO
    nla_u8<P>,                                                        // UNIX_DIAG_SHUTDOWN
    &nla_uid<P>,                                                      // UNIX_DIAG_UID
};

template <class P>
void put_unix_diag(P& p, std::uint64_t addr, std::uint32_t len, bool request) {
  if (request) {
    put_diag_struct<unix_diag_req>(p, addr, len, "sdiag_family", AF_UNIX,
                                   [&](const unix_diag_req& r, field_sep& f) {
                                     put_udec(f("sdiag_protocol"), r.sdiag_protocol);
                                     put_flags(f("udiag_states"), tcp_state_flags_xlat, r.udiag_states);
                                     put_udec(f("udiag_ino"), r.udiag_ino);
                                     put_flags(f("udiag_show"), unix_diag_show_xlat, r.udiag_show);
                                     put_cookie(f("udiag_cookie"), r.udiag_cookie);
                                   });
    return;
  }
  if (put_diag_struct<unix_diag_msg>(p, addr, len, "udiag_family", AF_UNIX,
                                     [&](const unix_diag_msg& m, field_sep& f) {
                                       put_enum(f("udiag_type"), socket_type_xlat, m.udiag_type);
                                       put_enum(f("udiag_state"), tcp_states_xlat, m.udiag_state);
                                       put_udec(f("udiag_ino"), m.udiag_ino);
                                       put_cookie(f("udiag_cookie"), m.udiag_cookie);
                                     }))
    put_nla_tail(p, addr, len, sizeof(unix_diag_msg), unix_diag_attrs_xlat, unix_diag_nla<P>);
}

// ---- AF_NETLINK --------------------------------------------------------------------

/// NETLINK_DIAG_GROUPS: an array of longs in hex.
template <class P>
bool nla_netlink_diag_groups(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / 8;
  if (n == 0) return false;
  put_nl_array(p, addr, n, 8, [&](const unsigned char* b, std::size_t) {
    std::uint64_t v;
    std::memcpy(&v, b, 8);
    put_hex(p.out(), v);
  });
  return true;
}

inline constexpr nl_field netlink_diag_ring_fields[] = {
    {"ndr_block_size", offsetof(netlink_diag_ring, ndr_block_size), 4, nl_kind::u},
    {"ndr_block_nr", offsetof(netlink_diag_ring, ndr_block_nr), 4, nl_kind::u},
    {"ndr_frame_size", offsetof(netlink_diag_ring, ndr_frame_size), 4, nl_kind::u},
    {"ndr_frame_nr", offsetof(netlink_diag_ring, ndr_frame_nr), 4, nl_kind::u},
};

/// NETLINK_DIAG_* payloads by type.
template <class P>
inline constexpr nla_fn<P> netlink_diag_nla[] = {
    &nla_meminfo<P>,                                                      // NETLINK_DIAG_MEMINFO
    &nla_netlink_diag_groups<P>,                                          // NETLINK_DIAG_GROUPS
    &nla_fields<sizeof(netlink_diag_ring), netlink_diag_ring_fields, P>,  // NETLINK_DIAG_RX_RING
    &nla_fields<sizeof(netlink_diag_ring), netlink_diag_ring_fields, P>,  // NETLINK_DIAG_TX_RING
    nla_flags<netlink_socket_flags_xlat, 4, P>,                           // NETLINK_DIAG_FLAGS
};

template <class P>
void put_netlink_diag(P& p, std::uint64_t addr, std::uint32_t len, bool request) {
  if (request) {
    put_diag_struct<netlink_diag_req>(
        p, addr, len, "sdiag_family", AF_NETLINK, [&](const netlink_diag_req& r, field_sep& f) {
          std::string& out = f("sdiag_protocol");
          if (r.sdiag_protocol == NDIAG_PROTO_ALL)
            put_named(out, "NDIAG_PROTO_ALL", [&] { put_hex(out, NDIAG_PROTO_ALL); });
          else
            put_enum(out, netlink_protocol_xlat, r.sdiag_protocol);
          put_udec(f("ndiag_ino"), r.ndiag_ino);
          put_flags(f("ndiag_show"), netlink_diag_show_xlat, r.ndiag_show);
          put_cookie(f("ndiag_cookie"), r.ndiag_cookie);
        });
    return;
  }
  if (put_diag_struct<netlink_diag_msg>(
          p, addr, len, "ndiag_family", AF_NETLINK, [&](const netlink_diag_msg& m, field_sep& f) {
            put_enum(f("ndiag_type"), socket_type_xlat, m.ndiag_type);
            put_enum(f("ndiag_protocol"), netlink_protocol_xlat, m.ndiag_protocol);
            put_enum(f("ndiag_state"), netlink_states_xlat, m.ndiag_state);
            put_udec(f("ndiag_portid"), m.ndiag_portid);
            put_udec(f("ndiag_dst_portid"), m.ndiag_dst_portid);
            put_udec(f("ndiag_dst_group"), m.ndiag_dst_group);
            put_udec(f("ndiag_ino"), m.ndiag_ino);
            put_cookie(f("ndiag_cookie"), m.ndiag_cookie);
          }))
    put_nla_tail(p, addr, len, sizeof(netlink_diag_msg), netlink_diag_attrs_xlat, netlink_diag_nla<P>);
}

// ---- AF_PACKET ---------------------------------------------------------------------

inline constexpr nl_field packet_diag_info_fields[] = {
    {"pdi_index", offsetof(packet_diag_info, pdi_index), 4, nl_kind::ifindex},
    {"pdi_version", offsetof(packet_diag_info, pdi_version), 4, nl_kind::xval, &af_packet_versions_xlat},
    {"pdi_reserve", offsetof(packet_diag_info, pdi_reserve), 4, nl_kind::u},
    {"pdi_copy_thresh", offsetof(packet_diag_info, pdi_copy_thresh), 4, nl_kind::u},
    {"pdi_tstamp", offsetof(packet_diag_info, pdi_tstamp), 4, nl_kind::u},
    {"pdi_flags", offsetof(packet_diag_info, pdi_flags), 4, nl_kind::flags, &packet_diag_info_flags_xlat},
};
inline constexpr nl_field packet_diag_ring_fields[] = {
    {"pdr_block_size", offsetof(packet_diag_ring, pdr_block_size), 4, nl_kind::u},
    {"pdr_block_nr", offsetof(packet_diag_ring, pdr_block_nr), 4, nl_kind::u},
    {"pdr_frame_size", offsetof(packet_diag_ring, pdr_frame_size), 4, nl_kind::u},
    {"pdr_frame_nr", offsetof(packet_diag_ring, pdr_frame_nr), 4, nl_kind::u},
    {"pdr_retire_tmo", offsetof(packet_diag_ring, pdr_retire_tmo), 4, nl_kind::u},
    {"pdr_sizeof_priv", offsetof(packet_diag_ring, pdr_sizeof_priv), 4, nl_kind::u},
    {"pdr_features", offsetof(packet_diag_ring, pdr_features), 4, nl_kind::u},
};

template <class P>
bool nla_packet_diag_mclist(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / sizeof(packet_diag_mclist);
  if (n == 0) return false;
  put_nl_array(p, addr, n, sizeof(packet_diag_mclist), [&](const unsigned char* b, std::size_t) {
    packet_diag_mclist m;
    std::memcpy(&m, b, sizeof m);
    std::string& out = p.out();
    out.push_back('{');
    field_sep f{out};
    put_ifindex(f("pdmc_index"), m.pdmc_index);
    put_udec(f("pdmc_count"), m.pdmc_count);
    put_udec(f("pdmc_type"), m.pdmc_type);
    put_udec(f("pdmc_alen"), m.pdmc_alen);
    std::size_t alen = std::min<std::size_t>(m.pdmc_alen, sizeof m.pdmc_addr);
    put_quoted(f("pdmc_addr"), std::span<const unsigned char>(m.pdmc_addr, alen), true);
    out.push_back('}');
  });
  return true;
}

/// PACKET_DIAG_FILTER: the socket's classic BPF program (strace's decode_packet_diag_filter:
/// struct sock_filter after struct sock_filter, with -v; the address without); bytes when
/// shorter than one instruction or longer than a u16 count of them.
template <class P>
bool nla_packet_diag_filter(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t n = len / 8;  // sizeof(struct sock_filter)
  if (n == 0 || n > 0xffff) return false;
  put_bpf_insns(p, addr, n, bpf_program::socket);
  return true;
}

/// PACKET_DIAG_* payloads by type.
template <class P>
inline constexpr nla_fn<P> packet_diag_nla[] = {
    &nla_fields<sizeof(packet_diag_info), packet_diag_info_fields, P>,  // PACKET_DIAG_INFO
    &nla_packet_diag_mclist<P>,                                         // PACKET_DIAG_MCLIST
    &nla_fields<sizeof(packet_diag_ring), packet_diag_ring_fields, P>,  // PACKET_DIAG_RX_RING
    &nla_fields<sizeof(packet_diag_ring), packet_diag_ring_fields, P>,  // PACKET_DIAG_TX_RING
    nla_u32<P>,                                                         // PACKET_DIAG_FANOUT
    &nla_uid<P>,                                                        // PACKET_DIAG_UID
    &nla_meminfo<P>,                                                    // PACKET_DIAG_MEMINFO
    &nla_packet_diag_filter<P>,                                         // PACKET_DIAG_FILTER
};

template <class P>
void put_packet_diag(P& p, std::uint64_t addr, std::uint32_t len, bool request) {
  if (request) {
    put_diag_struct<packet_diag_req>(p, addr, len, "sdiag_family", AF_PACKET,
                                     [&](const packet_diag_req& r, field_sep& f) {
                                       put_hex(f("sdiag_protocol"), r.sdiag_protocol);
                                       put_udec(f("pdiag_ino"), r.pdiag_ino);
                                       put_flags(f("pdiag_show"), packet_diag_show_xlat, r.pdiag_show);
                                       put_cookie(f("pdiag_cookie"), r.pdiag_cookie);
                                     });
    return;
  }
  if (put_diag_struct<packet_diag_msg>(p, addr, len, "pdiag_family", AF_PACKET,
                                       [&](const packet_diag_msg& m, field_sep& f) {
                                         put_enum(f("pdiag_type"), socket_type_xlat, m.pdiag_type);
                                         put_enum(f("pdiag_num"), ethernet_protocols_xlat, m.pdiag_num);
                                         put_udec(f("pdiag_ino"), m.pdiag_ino);
                                         put_cookie(f("pdiag_cookie"), m.pdiag_cookie);
                                       }))
    put_nla_tail(p, addr, len, sizeof(packet_diag_msg), packet_diag_attrs_xlat, packet_diag_nla<P>);
}

}  // namespace snare::format::detail
