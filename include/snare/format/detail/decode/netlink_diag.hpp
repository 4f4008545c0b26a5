// Defines the decoding of NETLINK_SOCK_DIAG payloads (strace's netlink_sock_diag.c and
// netlink_{unix,inet,netlink,packet,smc}_diag.c): the request and response struct of each
// address family, chosen by the family's first byte and NLM_F_REQUEST, and the attributes
// of each with their payloads (socket inodes, queues, memory counters, rings, link groups,
// inet_diag bytecode). A family without a decoder prints as `{family=AF_X, data="..."}`.
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

#include <snare/format/detail/decode/fs.hpp>
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

/// Appends the attributes after a struct of `size` bytes (aligned to 4), when any.
template <class P>
void put_diag_attrs(P& p, std::uint64_t addr, std::uint32_t len, std::size_t size, const xlat& table,
                    std::span<const nla_fn<P>> decoders) {
  std::uint32_t offset = static_cast<std::uint32_t>((size + 3) & ~std::size_t{3});
  if (len <= offset) return;
  p.out().append(", ");
  put_nlattrs(p, addr + offset, len - offset, table, decoders);
}

/// Appends flags printed with a fixed style: -X raw stays raw, otherwise the number with
/// the names in a comment (strace's XLAT_STYLE_VERBOSE for names outside the uapi headers).
inline void put_flags_verbose(std::string& out, const xlat& x, std::uint64_t v) {
  xlat_style_scope scope(xlat_raw() ? xlat_style::raw : xlat_style::verbose);
  put_flags(out, x, v);
}
inline void put_enum_verbose(std::string& out, const xlat& x, std::uint64_t v) {
  xlat_style_scope scope(xlat_raw() ? xlat_style::raw : xlat_style::verbose);
  put_enum(out, x, v);
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

template <class P>
bool nla_unix_diag_rqlen(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  unix_diag_rqlen v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{udiag_rqueue=");
  put_udec(out, v.udiag_rqueue);
  out.append(", udiag_wqueue=");
  put_udec(out, v.udiag_wqueue);
  out.push_back('}');
  return true;
}

/// UNIX_DIAG_* payloads by type (strace's unix_diag_msg_nla_decoders).
template <class P>
inline constexpr nla_fn<P> unix_diag_nla[] = {
    &nla_str<P>,              // UNIX_DIAG_NAME
    &nla_unix_diag_vfs<P>,    // UNIX_DIAG_VFS
    nla_u32<P>,               // UNIX_DIAG_PEER
    &nla_u32_array<P>,        // UNIX_DIAG_ICONS
    &nla_unix_diag_rqlen<P>,  // UNIX_DIAG_RQLEN
    &nla_meminfo<P>,          // UNIX_DIAG_MEMINFO
    nla_u8<P>,                // UNIX_DIAG_SHUTDOWN
    &nla_uid<P>,              // UNIX_DIAG_UID
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
    put_diag_attrs<P>(p, addr, len, sizeof(unix_diag_msg), unix_diag_attrs_xlat, unix_diag_nla<P>);
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

template <class P>
bool nla_netlink_diag_ring(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  netlink_diag_ring r;
  bool ok;
  if (!nla_struct(p, addr, len, r, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("ndr_block_size"), r.ndr_block_size);
  put_udec(f("ndr_block_nr"), r.ndr_block_nr);
  put_udec(f("ndr_frame_size"), r.ndr_frame_size);
  put_udec(f("ndr_frame_nr"), r.ndr_frame_nr);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_netlink_diag_flags(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) put_flags(p.out(), netlink_socket_flags_xlat, v);
  return true;
}

/// NETLINK_DIAG_* payloads by type.
template <class P>
inline constexpr nla_fn<P> netlink_diag_nla[] = {
    &nla_meminfo<P>,              // NETLINK_DIAG_MEMINFO
    &nla_netlink_diag_groups<P>,  // NETLINK_DIAG_GROUPS
    &nla_netlink_diag_ring<P>,    // NETLINK_DIAG_RX_RING
    &nla_netlink_diag_ring<P>,    // NETLINK_DIAG_TX_RING
    &nla_netlink_diag_flags<P>,   // NETLINK_DIAG_FLAGS
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
    put_diag_attrs<P>(p, addr, len, sizeof(netlink_diag_msg), netlink_diag_attrs_xlat, netlink_diag_nla<P>);
}

// ---- AF_PACKET ---------------------------------------------------------------------

template <class P>
bool nla_packet_diag_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  packet_diag_info v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_ifindex(f("pdi_index"), v.pdi_index);
  put_enum(f("pdi_version"), af_packet_versions_xlat, v.pdi_version);
  put_udec(f("pdi_reserve"), v.pdi_reserve);
  put_udec(f("pdi_copy_thresh"), v.pdi_copy_thresh);
  put_udec(f("pdi_tstamp"), v.pdi_tstamp);
  put_flags(f("pdi_flags"), packet_diag_info_flags_xlat, v.pdi_flags);
  out.push_back('}');
  return true;
}

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

template <class P>
bool nla_packet_diag_ring(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  packet_diag_ring r;
  bool ok;
  if (!nla_struct(p, addr, len, r, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("pdr_block_size"), r.pdr_block_size);
  put_udec(f("pdr_block_nr"), r.pdr_block_nr);
  put_udec(f("pdr_frame_size"), r.pdr_frame_size);
  put_udec(f("pdr_frame_nr"), r.pdr_frame_nr);
  put_udec(f("pdr_retire_tmo"), r.pdr_retire_tmo);
  put_udec(f("pdr_sizeof_priv"), r.pdr_sizeof_priv);
  put_udec(f("pdr_features"), r.pdr_features);
  out.push_back('}');
  return true;
}

/// PACKET_DIAG_* payloads by type; the socket filter (PACKET_DIAG_FILTER) prints as bytes.
template <class P>
inline constexpr nla_fn<P> packet_diag_nla[] = {
    &nla_packet_diag_info<P>,    // PACKET_DIAG_INFO
    &nla_packet_diag_mclist<P>,  // PACKET_DIAG_MCLIST
    &nla_packet_diag_ring<P>,    // PACKET_DIAG_RX_RING
    &nla_packet_diag_ring<P>,    // PACKET_DIAG_TX_RING
    nla_u32<P>,                  // PACKET_DIAG_FANOUT
    &nla_uid<P>,                 // PACKET_DIAG_UID
    &nla_meminfo<P>,             // PACKET_DIAG_MEMINFO
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
    put_diag_attrs<P>(p, addr, len, sizeof(packet_diag_msg), packet_diag_attrs_xlat, packet_diag_nla<P>);
}

// ---- AF_INET, AF_INET6 -------------------------------------------------------------

inline void put_bc_op(std::string& out, const inet_diag_bc_op& op) {
  out.push_back('{');
  field_sep f{out};
  put_enum(f("code"), inet_diag_bytecodes_xlat, op.code);
  put_udec(f("yes"), op.yes);
  put_udec(f("no"), op.no);
  out.push_back('}');
}

/// The data after a bytecode op, by its code (strace's decode_bytecode_data).
template <class P>
void put_bc_data(P& p, std::uint64_t addr, std::uint32_t len, std::uint8_t code) {
  std::string& out = p.out();
  switch (code) {
    case INET_DIAG_BC_S_COND:
    case INET_DIAG_BC_D_COND: {
      inet_diag_hostcond c;
      if (len < sizeof c) return put_hex_bytes(p, addr, len);
      if (!p.read_obj(addr, c)) return put_ptr(out, addr);
      out.push_back('{');
      field_sep f{out};
      put_enum(f("family"), socket_family_xlat, c.family);
      put_udec(f("prefix_len"), c.prefix_len);
      put_udec(f("port"), static_cast<std::uint32_t>(c.port));
      if (len > sizeof c) {
        std::uint64_t a = addr + sizeof c;
        std::uint32_t alen = len - static_cast<std::uint32_t>(sizeof c);
        std::size_t size = c.family == AF_INET ? 4 : c.family == AF_INET6 ? 16 : 0;
        if (size == 0 || alen < size) {
          f("addr");
          put_hex_bytes(p, a, alen);
        } else if (!p.read_exact(a, size)) {
          f("addr");
          put_ptr(out, a);
        } else {
          unsigned char buf[16];
          std::memcpy(buf, scratch().data(), size);
          put_inet_addr(f, c.family, buf, size, "addr");
        }
      }
      out.push_back('}');
      return;
    }
    case INET_DIAG_BC_DEV_COND: {
      std::uint32_t ifindex;
      if (len < sizeof ifindex) return put_hex_bytes(p, addr, len);
      if (!p.read_obj(addr, ifindex)) return put_ptr(out, addr);
      return put_ifindex(out, ifindex);
    }
    case INET_DIAG_BC_S_GE:
    case INET_DIAG_BC_S_LE:
    case INET_DIAG_BC_D_GE:
    case INET_DIAG_BC_D_LE: {
      inet_diag_bc_op op;
      if (len < sizeof op) return put_hex_bytes(p, addr, len);
      if (!p.read_obj(addr, op)) return put_ptr(out, addr);
      return put_bc_op(out, op);
    }
    case INET_DIAG_BC_MARK_COND: {
      inet_diag_markcond m;
      if (len < sizeof m) return put_hex_bytes(p, addr, len);
      if (!p.read_obj(addr, m)) return put_ptr(out, addr);
      out.append("{mark=");
      put_udec(out, m.mark);
      out.append(", mask=");
      put_udec(out, m.mask);
      out.push_back('}');
      return;
    }
    default:
      return put_hex_bytes(p, addr, len);
  }
}

template <class P>
bool nla_inet_diag_bytecode(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  inet_diag_bc_op op;
  bool ok;
  if (!nla_struct(p, addr, len, op, ok)) return false;
  if (!ok) return true;
  put_bc_op(p.out(), op);
  if (len > sizeof op) {
    p.out().append(", ");
    put_bc_data(p, addr + sizeof op, len - static_cast<std::uint32_t>(sizeof op), op.code);
  }
  return true;
}

template <class P>
bool nla_ip_proto(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len == 0 || len > 8) return false;
  std::uint64_t v = 0;
  if (!p.read_exact(addr, len)) return put_ptr(p.out(), addr), true;
  std::memcpy(&v, scratch().data(), len);
  put_enum(p.out(), inet_protocols_xlat, v);
  return true;
}

/// INET_DIAG_REQ_* payloads by type.
template <class P>
inline constexpr nla_fn<P> inet_diag_req_nla[] = {
    nullptr,                     // INET_DIAG_REQ_NONE
    &nla_inet_diag_bytecode<P>,  // INET_DIAG_REQ_BYTECODE
    nullptr,                     // INET_DIAG_REQ_SK_BPF_STORAGES
    &nla_ip_proto<P>,            // INET_DIAG_REQ_PROTOCOL
};

template <class P>
bool nla_inet_diag_meminfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  inet_diag_meminfo m;
  bool ok;
  if (!nla_struct(p, addr, len, m, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("idiag_rmem"), m.idiag_rmem);
  put_udec(f("idiag_wmem"), m.idiag_wmem);
  put_udec(f("idiag_fmem"), m.idiag_fmem);
  put_udec(f("idiag_tmem"), m.idiag_tmem);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_tcpvegas_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  tcpvegas_info v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("tcpv_enabled"), v.tcpv_enabled);
  put_udec(f("tcpv_rttcnt"), v.tcpv_rttcnt);
  put_udec(f("tcpv_rtt"), v.tcpv_rtt);
  put_udec(f("tcpv_minrtt"), v.tcpv_minrtt);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_tcp_dctcp_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  tcp_dctcp_info v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("dctcp_enabled"), v.dctcp_enabled);
  put_udec(f("dctcp_ce_state"), v.dctcp_ce_state);
  put_udec(f("dctcp_alpha"), v.dctcp_alpha);
  put_udec(f("dctcp_ab_ecn"), v.dctcp_ab_ecn);
  put_udec(f("dctcp_ab_tot"), v.dctcp_ab_tot);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_tcp_bbr_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  tcp_bbr_info v;
  bool ok;
  if (!nla_struct(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_hex(f("bbr_bw_lo"), v.bbr_bw_lo);
  put_hex(f("bbr_bw_hi"), v.bbr_bw_hi);
  put_udec(f("bbr_min_rtt"), v.bbr_min_rtt);
  put_udec(f("bbr_pacing_gain"), v.bbr_pacing_gain);
  put_udec(f("bbr_cwnd_gain"), v.bbr_cwnd_gain);
  out.push_back('}');
  return true;
}

/// INET_DIAG_SHUTDOWN and SMC_DIAG_SHUTDOWN: RCV_SHUTDOWN and SEND_SHUTDOWN, names outside
/// the uapi headers, so with the number (`0x3 /* RCV_SHUTDOWN|SEND_SHUTDOWN */`) for inet
/// and by name for smc, as strace.
template <bool Verbose, class P>
bool nla_diag_shutdown(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 1 || len > 8) return false;
  std::uint8_t v;
  if (!p.read_obj(addr, v)) return put_ptr(p.out(), addr), true;
  if constexpr (Verbose)
    put_flags_verbose(p.out(), sock_shutdown_flags_xlat, v);
  else
    put_flags(p.out(), sock_shutdown_flags_xlat, v);
  return true;
}

/// INET_DIAG_* payloads by type; tcp_info, sockaddrs, md5sig, ULP info, BPF storages and
/// sockopt print as bytes.
template <class P>
inline constexpr nla_fn<P> inet_diag_msg_nla[] = {
    nullptr,                      // INET_DIAG_NONE
    &nla_inet_diag_meminfo<P>,    // INET_DIAG_MEMINFO
    nullptr,                      // INET_DIAG_INFO
    &nla_tcpvegas_info<P>,        // INET_DIAG_VEGASINFO
    &nla_str<P>,                  // INET_DIAG_CONG
    nla_u8<P>,                    // INET_DIAG_TOS
    nla_u8<P>,                    // INET_DIAG_TCLASS
    &nla_meminfo<P>,              // INET_DIAG_SKMEMINFO
    &nla_diag_shutdown<true, P>,  // INET_DIAG_SHUTDOWN
    &nla_tcp_dctcp_info<P>,       // INET_DIAG_DCTCPINFO
    &nla_ip_proto<P>,             // INET_DIAG_PROTOCOL
    nla_u8<P>,                    // INET_DIAG_SKV6ONLY
    nullptr,                      // INET_DIAG_LOCALS
    nullptr,                      // INET_DIAG_PEERS
    nullptr,                      // INET_DIAG_PAD
    nla_u32<P>,                   // INET_DIAG_MARK
    &nla_tcp_bbr_info<P>,         // INET_DIAG_BBRINFO
    nla_u32<P>,                   // INET_DIAG_CLASS_ID
    nullptr,                      // INET_DIAG_MD5SIG
    nullptr,                      // INET_DIAG_ULP_INFO
    nullptr,                      // INET_DIAG_SK_BPF_STORAGES
    nla_u64<P>,                   // INET_DIAG_CGROUP_ID
};

template <class P>
void put_inet_diag(P& p, std::uint64_t addr, std::uint32_t len, std::uint8_t family, std::uint16_t type,
                   bool request) {
  constexpr std::uint16_t tcpdiag_getsock = 18, dccpdiag_getsock = 19;
  if (request && (type == tcpdiag_getsock || type == dccpdiag_getsock)) {
    if (put_diag_struct<inet_diag_req>(
            p, addr, len, "idiag_family", family, [&](const inet_diag_req& r, field_sep& f) {
              put_udec(f("idiag_src_len"), r.idiag_src_len);
              put_udec(f("idiag_dst_len"), r.idiag_dst_len);
              put_flags(f("idiag_ext"), inet_diag_extended_flags_xlat, r.idiag_ext);
              put_inet_diag_sockid(f("id"), r.id, family);
              put_flags(f("idiag_states"), tcp_state_flags_xlat, r.idiag_states);
              put_udec(f("idiag_dbs"), r.idiag_dbs);
            }))
      put_diag_attrs<P>(p, addr, len, sizeof(inet_diag_req), inet_diag_req_attrs_xlat, inet_diag_req_nla<P>);
    return;
  }
  if (request) {
    if (put_diag_struct<inet_diag_req_v2>(
            p, addr, len, "sdiag_family", family, [&](const inet_diag_req_v2& r, field_sep& f) {
              put_enum(f("sdiag_protocol"), inet_protocols_xlat, r.sdiag_protocol);
              put_flags(f("idiag_ext"), inet_diag_extended_flags_xlat, r.idiag_ext);
              put_flags(f("idiag_states"), tcp_state_flags_xlat, r.idiag_states);
              put_inet_diag_sockid(f("id"), r.id, family);
            }))
      put_diag_attrs<P>(p, addr, len, sizeof(inet_diag_req_v2), inet_diag_req_attrs_xlat,
                        inet_diag_req_nla<P>);
    return;
  }
  if (put_diag_struct<inet_diag_msg>(p, addr, len, "idiag_family", family,
                                     [&](const inet_diag_msg& m, field_sep& f) {
                                       put_enum(f("idiag_state"), tcp_states_xlat, m.idiag_state);
                                       put_udec(f("idiag_timer"), m.idiag_timer);
                                       put_udec(f("idiag_retrans"), m.idiag_retrans);
                                       put_inet_diag_sockid(f("id"), m.id, family);
                                       put_udec(f("idiag_expires"), m.idiag_expires);
                                       put_udec(f("idiag_rqueue"), m.idiag_rqueue);
                                       put_udec(f("idiag_wqueue"), m.idiag_wqueue);
                                       put_udec(f("idiag_uid"), m.idiag_uid);
                                       put_udec(f("idiag_inode"), m.idiag_inode);
                                     }))
    put_diag_attrs<P>(p, addr, len, sizeof(inet_diag_msg), inet_diag_attrs_xlat, inet_diag_msg_nla<P>);
}

// ---- AF_SMC ------------------------------------------------------------------------

inline void put_smc_cursor(std::string& out, const smc_diag_cursor& c) {
  out.append("{reserved=");
  put_udec(out, c.reserved);
  out.append(", wrap=");
  put_udec(out, c.wrap);
  out.append(", count=");
  put_udec(out, c.count);
  out.push_back('}');
}

template <class P>
bool nla_smc_diag_conninfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_conninfo c;
  bool ok;
  if (!nla_struct(p, addr, len, c, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("token"), c.token);
  put_udec(f("sndbuf_size"), c.sndbuf_size);
  put_udec(f("rmbe_size"), c.rmbe_size);
  put_udec(f("peer_rmbe_size"), c.peer_rmbe_size);
  put_smc_cursor(f("rx_prod"), c.rx_prod);
  put_smc_cursor(f("rx_cons"), c.rx_cons);
  put_smc_cursor(f("tx_prod"), c.tx_prod);
  put_smc_cursor(f("tx_cons"), c.tx_cons);
  put_hex(f("rx_prod_flags"), c.rx_prod_flags);
  put_hex(f("rx_conn_state_flags"), c.rx_conn_state_flags);
  put_hex(f("tx_prod_flags"), c.tx_prod_flags);
  put_hex(f("tx_conn_state_flags"), c.tx_conn_state_flags);
  put_smc_cursor(f("tx_prep"), c.tx_prep);
  put_smc_cursor(f("tx_sent"), c.tx_sent);
  put_smc_cursor(f("tx_fin"), c.tx_fin);
  out.push_back('}');
  return true;
}

/// Appends a char array field as strace's PRINT_FIELD_CSTRING: up to its first NUL within
/// its first N-1 bytes, `...` after when the last byte is not a NUL either.
template <class C, std::size_t N>
void put_cstring_field(std::string& out, const C (&field)[N]) {
  static_assert(sizeof(C) == 1);
  const char* s = reinterpret_cast<const char*>(field);
  std::size_t n = strnlen(s, N - 1);
  put_quoted(out, std::string_view(s, n));
  if (n == N - 1 && s[N - 1] != '\0') out.append("...");
}

template <class P>
bool nla_smc_diag_lgrinfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_lgrinfo l;
  bool ok;
  if (!nla_struct(p, addr, len, l, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{lnk=[");
  for (std::size_t i = 0; i < std::size(l.lnk); ++i) {
    const auto& k = l.lnk[i];
    if (i) out.append(", ");
    out.push_back('{');
    field_sep f{out};
    put_udec(f("link_id"), k.link_id);
    put_cstring_field(f("ibname"), k.ibname);
    put_udec(f("ibport"), k.ibport);
    put_cstring_field(f("gid"), k.gid);
    put_cstring_field(f("peer_gid"), k.peer_gid);
    out.push_back('}');
  }
  out.append("], role=");
  put_enum(out, smc_link_group_roles_xlat, l.role);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_smc_diag_dmbinfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  smcd_diag_dmbinfo d;
  bool ok;
  if (!nla_struct(p, addr, len, d, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_udec(f("linkid"), d.linkid);
  put_hex(f("peer_gid"), d.peer_gid);
  put_hex(f("my_gid"), d.my_gid);
  put_hex(f("token"), d.token);
  put_hex(f("peer_token"), d.peer_token);
  out.push_back('}');
  return true;
}

template <class P>
bool nla_smc_diag_fallback(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_fallback fb;
  bool ok;
  if (!nla_struct(p, addr, len, fb, ok)) return false;
  if (!ok) return true;
  std::string& out = p.out();
  out.append("{reason=");
  put_enum_verbose(out, smc_decl_codes_xlat, fb.reason);
  out.append(", peer_diagnosis=");
  put_enum_verbose(out, smc_decl_codes_xlat, fb.peer_diagnosis);
  out.push_back('}');
  return true;
}

/// SMC_DIAG_* payloads by type.
template <class P>
inline constexpr nla_fn<P> smc_diag_nla[] = {
    nullptr,                       // SMC_DIAG_NONE
    &nla_smc_diag_conninfo<P>,     // SMC_DIAG_CONNINFO
    &nla_smc_diag_lgrinfo<P>,      // SMC_DIAG_LGRINFO
    &nla_diag_shutdown<false, P>,  // SMC_DIAG_SHUTDOWN
    &nla_smc_diag_dmbinfo<P>,      // SMC_DIAG_DMBINFO
    &nla_smc_diag_fallback<P>,     // SMC_DIAG_FALLBACK
};

template <class P>
void put_smc_diag(P& p, std::uint64_t addr, std::uint32_t len, bool request) {
  // AF_SMC sockets keep AF_INET addresses in their sockid.
  if (request) {
    put_diag_struct<smc_diag_req>(p, addr, len, "diag_family", AF_SMC,
                                  [&](const smc_diag_req& r, field_sep& f) {
                                    put_flags(f("diag_ext"), smc_diag_extended_flags_xlat, r.diag_ext);
                                    put_inet_diag_sockid(f("id"), r.id, AF_INET);
                                  });
    return;
  }
  if (put_diag_struct<smc_diag_msg>(p, addr, len, "diag_family", AF_SMC,
                                    [&](const smc_diag_msg& m, field_sep& f) {
                                      put_enum(f("diag_state"), smc_states_xlat, m.diag_state);
                                      put_enum(f("diag_fallback"), smc_diag_mode_xlat, m.diag_fallback);
                                      put_udec(f("diag_shutdown"), m.diag_shutdown);
                                      put_inet_diag_sockid(f("id"), m.id, AF_INET);
                                      put_udec(f("diag_uid"), m.diag_uid);
                                      put_udec(f("diag_inode"), m.diag_inode);
                                    }))
    put_diag_attrs<P>(p, addr, len, sizeof(smc_diag_msg), smc_diag_attrs_xlat, smc_diag_nla<P>);
}

/// Appends a NETLINK_SOCK_DIAG payload (after its nlmsghdr) as strace's
/// decode_netlink_sock_diag: by the family in its first byte, the request or the response
/// struct of that family (`request`: NLM_F_REQUEST); `{family=AF_X, data="..."}` for other
/// families.
template <class P>
void put_sock_diag(P& p, std::uint64_t addr, std::uint32_t len, std::uint16_t type, bool request) {
  std::string& out = p.out();
  std::uint8_t family;
  if (!p.read_obj(addr, family)) return put_ptr(out, addr);
  if (len > 1) {
    switch (family) {
      case AF_UNIX:
        return put_unix_diag(p, addr, len, request);
      case AF_INET:
      case AF_INET6:
        return put_inet_diag(p, addr, len, family, type, request);
      case AF_NETLINK:
        return put_netlink_diag(p, addr, len, request);
      case AF_PACKET:
        return put_packet_diag(p, addr, len, request);
      case AF_SMC:
        return put_smc_diag(p, addr, len, request);
      default:
        break;
    }
  }
  out.append("{family=");
  put_enum(out, socket_family_xlat, family);
  if (len > 1) out.append(", data="), put_hex_bytes(p, addr + 1, len - 1);
  out.push_back('}');
}

}  // namespace snare::format::detail
