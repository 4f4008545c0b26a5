// Defines the decoding of NETLINK_SOCK_DIAG payloads of AF_INET, AF_INET6 and AF_SMC
// sockets (strace's netlink_inet_diag.c and netlink_smc_diag.c): inet_diag_req(_v2) with its
// bytecode, inet_diag_msg with its attributes (memory, congestion control info, protocol),
// smc_diag_req and smc_diag_msg with connection and link group info.
#pragma once

#include <linux/inet_diag.h>
#include <linux/smc_diag.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>

#include <snare/format/detail/decode/netlink_diag.hpp>
#include <snare/format/detail/decode/netlink_inet_diag_attrs.hpp>
#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

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

inline constexpr nl_field inet_diag_meminfo_fields[] = {
    {"idiag_rmem", offsetof(inet_diag_meminfo, idiag_rmem), 4, nl_kind::u},
    {"idiag_wmem", offsetof(inet_diag_meminfo, idiag_wmem), 4, nl_kind::u},
    {"idiag_fmem", offsetof(inet_diag_meminfo, idiag_fmem), 4, nl_kind::u},
    {"idiag_tmem", offsetof(inet_diag_meminfo, idiag_tmem), 4, nl_kind::u},
};
inline constexpr nl_field tcpvegas_info_fields[] = {
    {"tcpv_enabled", offsetof(tcpvegas_info, tcpv_enabled), 4, nl_kind::u},
    {"tcpv_rttcnt", offsetof(tcpvegas_info, tcpv_rttcnt), 4, nl_kind::u},
    {"tcpv_rtt", offsetof(tcpvegas_info, tcpv_rtt), 4, nl_kind::u},
    {"tcpv_minrtt", offsetof(tcpvegas_info, tcpv_minrtt), 4, nl_kind::u},
};
inline constexpr nl_field tcp_dctcp_info_fields[] = {
    {"dctcp_enabled", offsetof(tcp_dctcp_info, dctcp_enabled), 2, nl_kind::u},
    {"dctcp_ce_state", offsetof(tcp_dctcp_info, dctcp_ce_state), 2, nl_kind::u},
    {"dctcp_alpha", offsetof(tcp_dctcp_info, dctcp_alpha), 4, nl_kind::u},
    {"dctcp_ab_ecn", offsetof(tcp_dctcp_info, dctcp_ab_ecn), 4, nl_kind::u},
    {"dctcp_ab_tot", offsetof(tcp_dctcp_info, dctcp_ab_tot), 4, nl_kind::u},
};
inline constexpr nl_field tcp_bbr_info_fields[] = {
    {"bbr_bw_lo", offsetof(tcp_bbr_info, bbr_bw_lo), 4, nl_kind::x},
    {"bbr_bw_hi", offsetof(tcp_bbr_info, bbr_bw_hi), 4, nl_kind::x},
    {"bbr_min_rtt", offsetof(tcp_bbr_info, bbr_min_rtt), 4, nl_kind::u},
    {"bbr_pacing_gain", offsetof(tcp_bbr_info, bbr_pacing_gain), 4, nl_kind::u},
    {"bbr_cwnd_gain", offsetof(tcp_bbr_info, bbr_cwnd_gain), 4, nl_kind::u},
};

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

/// INET_DIAG_* payloads by type; tcp_info (INET_DIAG_INFO) prints as bytes.
template <class P>
inline constexpr nla_fn<P> inet_diag_msg_nla[] = {
    nullptr,                                                              // INET_DIAG_NONE
    &nla_fields<sizeof(inet_diag_meminfo), inet_diag_meminfo_fields, P>,  // INET_DIAG_MEMINFO
    nullptr,                                                              // INET_DIAG_INFO
    &nla_fields<sizeof(tcpvegas_info), tcpvegas_info_fields, P>,          // INET_DIAG_VEGASINFO
    &nla_str<P>,                                                          // INET_DIAG_CONG
    nla_u8<P>,                                                            // INET_DIAG_TOS
    nla_u8<P>,                                                            // INET_DIAG_TCLASS
    &nla_meminfo<P>,                                                      // INET_DIAG_SKMEMINFO
    &nla_diag_shutdown<true, P>,                                          // INET_DIAG_SHUTDOWN
    &nla_fields<sizeof(tcp_dctcp_info), tcp_dctcp_info_fields, P>,        // INET_DIAG_DCTCPINFO
    &nla_ip_proto<P>,                                                     // INET_DIAG_PROTOCOL
    nla_u8<P>,                                                            // INET_DIAG_SKV6ONLY
    &nla_inet_diag_sockaddrs<P>,                                          // INET_DIAG_LOCALS
    &nla_inet_diag_sockaddrs<P>,                                          // INET_DIAG_PEERS
    nullptr,                                                              // INET_DIAG_PAD
    nla_u32<P>,                                                           // INET_DIAG_MARK
    &nla_fields<sizeof(tcp_bbr_info), tcp_bbr_info_fields, P>,            // INET_DIAG_BBRINFO
    nla_u32<P>,                                                           // INET_DIAG_CLASS_ID
    &nla_inet_diag_md5sig<P>,                                             // INET_DIAG_MD5SIG
    &nla_inet_diag_ulp_info<P>,                                           // INET_DIAG_ULP_INFO
    &nla_inet_diag_bpf_storages<P>,                                       // INET_DIAG_SK_BPF_STORAGES
    nla_u64<P>,                                                           // INET_DIAG_CGROUP_ID
    &nla_inet_diag_sockopt<P>,                                            // INET_DIAG_SOCKOPT
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
      put_nla_tail(p, addr, len, sizeof(inet_diag_req), inet_diag_req_attrs_xlat, inet_diag_req_nla<P>);
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
      put_nla_tail(p, addr, len, sizeof(inet_diag_req_v2), inet_diag_req_attrs_xlat, inet_diag_req_nla<P>);
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
    put_nla_tail(p, addr, len, sizeof(inet_diag_msg), inet_diag_attrs_xlat, inet_diag_msg_nla<P>);
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

inline constexpr nl_field smcd_diag_dmbinfo_fields[] = {
    {"linkid", offsetof(smcd_diag_dmbinfo, linkid), 4, nl_kind::u},
    {"peer_gid", offsetof(smcd_diag_dmbinfo, peer_gid), 8, nl_kind::x},
    {"my_gid", offsetof(smcd_diag_dmbinfo, my_gid), 8, nl_kind::x},
    {"token", offsetof(smcd_diag_dmbinfo, token), 8, nl_kind::x},
    {"peer_token", offsetof(smcd_diag_dmbinfo, peer_token), 8, nl_kind::x},
};

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
    nullptr,                                                              // SMC_DIAG_NONE
    &nla_smc_diag_conninfo<P>,                                            // SMC_DIAG_CONNINFO
    &nla_smc_diag_lgrinfo<P>,                                             // SMC_DIAG_LGRINFO
    &nla_diag_shutdown<false, P>,                                         // SMC_DIAG_SHUTDOWN
    &nla_fields<sizeof(smcd_diag_dmbinfo), smcd_diag_dmbinfo_fields, P>,  // SMC_DIAG_DMBINFO
    &nla_smc_diag_fallback<P>,                                            // SMC_DIAG_FALLBACK
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
    put_nla_tail(p, addr, len, sizeof(smc_diag_msg), smc_diag_attrs_xlat, smc_diag_nla<P>);
}

}  // namespace snare::format::detail
