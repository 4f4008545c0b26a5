// Defines the decoders of inet_diag_msg's larger attributes (strace's netlink_inet_diag.c):
// INET_DIAG_LOCALS and INET_DIAG_PEERS (arrays of struct sockaddr_storage), INET_DIAG_MD5SIG
// (struct tcp_diag_md5sig), the INET_DIAG_ULP_INFO nest (TLS_INFO_*, MPTCP_SUBFLOW_ATTR_*), the
// INET_DIAG_SK_BPF_STORAGES nest and INET_DIAG_SOCKOPT (struct inet_diag_sockopt's bits).
#pragma once

#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/sock_diag.h>
#include <linux/tls.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// INET_DIAG_LOCALS, INET_DIAG_PEERS: struct sockaddr_storage after struct sockaddr_storage,
/// each printed as a socket address of 128 bytes (strace's decode_nla_sockaddrs).
template <class P>
bool nla_inet_diag_sockaddrs(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  constexpr std::size_t size = 128;  // sizeof(struct sockaddr_storage)
  std::size_t n = len / size;
  if (n == 0) return false;
  put_nl_array(p, addr, n, size, [&](const unsigned char* b, std::size_t) {
    unsigned char sa[size];
    std::memcpy(sa, b, size);  // printing may reuse scratch()
    put_sockaddr_data(p, sa, size);
  });
  return true;
}

/// struct tcp_diag_md5sig (linux/tcp.h, which cannot be included with glibc's netinet/tcp.h).
struct tcp_diag_md5sig_layout {
  std::uint8_t tcpm_family;
  std::uint8_t tcpm_prefixlen;
  std::uint16_t tcpm_keylen;
  std::uint32_t tcpm_addr[4];  // network order
  std::uint8_t tcpm_key[80];   // TCP_MD5SIG_MAXKEYLEN
};
static_assert(sizeof(tcp_diag_md5sig_layout) == 100);

/// INET_DIAG_MD5SIG: struct tcp_diag_md5sig after struct tcp_diag_md5sig (strace's
/// decode_tcp_md5sig): the address by tcpm_family, the key up to tcpm_keylen bytes.
template <class P>
bool nla_inet_diag_md5sig(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / sizeof(tcp_diag_md5sig_layout);
  if (n == 0) return false;
  put_nl_array(p, addr, n, sizeof(tcp_diag_md5sig_layout), [&](const unsigned char* b, std::size_t) {
    tcp_diag_md5sig_layout sig;
    std::memcpy(&sig, b, sizeof sig);
    std::string& out = p.out();
    out.push_back('{');
    field_sep f{out};
    put_enum(f("tcpm_family"), socket_family_xlat, sig.tcpm_family);
    put_udec(f("tcpm_prefixlen"), sig.tcpm_prefixlen);
    put_udec(f("tcpm_keylen"), sig.tcpm_keylen);
    put_inet_addr(f, sig.tcpm_family, reinterpret_cast<const unsigned char*>(sig.tcpm_addr),
                  sizeof sig.tcpm_addr, "tcpm_addr");
    std::size_t keylen = std::min<std::size_t>(sig.tcpm_keylen, sizeof sig.tcpm_key);
    put_quoted(f("tcpm_key"), std::span<const unsigned char>(sig.tcpm_key, keylen), true);
    out.push_back('}');
  });
  return true;
}

// ---- INET_DIAG_ULP_INFO ----------------------------------------------------------------------

/// TLS_INFO_* (strace's diag_ulp_info_tls_nla_decoders; TLS_INFO_ZC_RO_TX and
/// TLS_INFO_RX_NO_PAD are flags without a payload).
template <class P>
inline constexpr nla_fn<P> inet_diag_ulp_tls_nla[] = {
    nullptr,                                 // TLS_INFO_UNSPEC
    nla_xval<tls_info_versions_xlat, 2, P>,  // TLS_INFO_VERSION
    nla_xval<tls_info_ciphers_xlat, 2, P>,   // TLS_INFO_CIPHER
    nla_xval<tls_info_configs_xlat, 2, P>,   // TLS_INFO_TXCONF
    nla_xval<tls_info_configs_xlat, 2, P>,   // TLS_INFO_RXCONF
};
template <class P>
bool nla_inet_diag_ulp_tls(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_nest(p, addr, len, inet_diag_ulp_info_tls_attrs_xlat, inet_diag_ulp_tls_nla<P>, nullptr);
}

/// MPTCP_SUBFLOW_ATTR_* (strace's diag_ulp_info_mptcp_nla_decoders).
template <class P>
inline constexpr nla_fn<P> inet_diag_ulp_mptcp_nla[] = {
    nullptr,                                    // MPTCP_SUBFLOW_ATTR_UNSPEC
    nla_x32<P>,                                 // MPTCP_SUBFLOW_ATTR_TOKEN_REM
    nla_x32<P>,                                 // MPTCP_SUBFLOW_ATTR_TOKEN_LOC
    nla_u32<P>,                                 // MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ
    nla_u64<P>,                                 // MPTCP_SUBFLOW_ATTR_MAP_SEQ
    nla_u32<P>,                                 // MPTCP_SUBFLOW_ATTR_MAP_SFSEQ
    nla_u32<P>,                                 // MPTCP_SUBFLOW_ATTR_SSN_OFFSET
    nla_u16<P>,                                 // MPTCP_SUBFLOW_ATTR_MAP_DATALEN
    nla_flags<mptcp_subflow_flags_xlat, 4, P>,  // MPTCP_SUBFLOW_ATTR_FLAGS
    nla_u8<P>,                                  // MPTCP_SUBFLOW_ATTR_ID_REM
    nla_u8<P>,                                  // MPTCP_SUBFLOW_ATTR_ID_LOC
};
template <class P>
bool nla_inet_diag_ulp_mptcp(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_nest(p, addr, len, inet_diag_ulp_info_mptcp_attrs_xlat, inet_diag_ulp_mptcp_nla<P>, nullptr);
}

/// INET_ULP_INFO_*: the ULP's name and each ULP's own attributes.
template <class P>
inline constexpr nla_fn<P> inet_diag_ulp_nla[] = {
    nullptr,                      // INET_ULP_INFO_UNSPEC
    &nla_str<P>,                  // INET_ULP_INFO_NAME
    &nla_inet_diag_ulp_tls<P>,    // INET_ULP_INFO_TLS
    &nla_inet_diag_ulp_mptcp<P>,  // INET_ULP_INFO_MPTCP
};
template <class P>
bool nla_inet_diag_ulp_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_nest(p, addr, len, inet_diag_ulp_info_attrs_xlat, inet_diag_ulp_nla<P>, nullptr);
}

// ---- INET_DIAG_SK_BPF_STORAGES ---------------------------------------------------------------

/// An integer of 1, 2, 4 or 8 bytes in hex (strace's decode_nla_xint); other sizes as bytes.
template <class P>
bool nla_xint(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  switch (len) {
    case 1:
      return nla_int<std::uint8_t, true, P>(p, addr, len, opaque);
    case 2:
      return nla_int<std::uint16_t, true, P>(p, addr, len, opaque);
    case 4:
      return nla_int<std::uint32_t, true, P>(p, addr, len, opaque);
    case 8:
      return nla_int<std::uint64_t, true, P>(p, addr, len, opaque);
    default:
      return false;
  }
}

template <class P>
inline constexpr nla_fn<P> inet_diag_bpf_storage_nla[] = {
    nullptr,       // SK_DIAG_BPF_STORAGE_NONE
    nullptr,       // SK_DIAG_BPF_STORAGE_PAD
    nla_u32<P>,    // SK_DIAG_BPF_STORAGE_MAP_ID
    &nla_xint<P>,  // SK_DIAG_BPF_STORAGE_MAP_VALUE
};
template <class P>
bool nla_inet_diag_bpf_storage(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_nest(p, addr, len, inet_diag_bpf_storage_attrs_xlat, inet_diag_bpf_storage_nla<P>, nullptr);
}
template <class P>
inline constexpr nla_fn<P> inet_diag_bpf_storages_nla[] = {
    nullptr,                        // SK_DIAG_BPF_STORAGE_REP_NONE
    &nla_inet_diag_bpf_storage<P>,  // SK_DIAG_BPF_STORAGE
};
template <class P>
bool nla_inet_diag_bpf_storages(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_nest(p, addr, len, inet_diag_bpf_storages_attrs_xlat, inet_diag_bpf_storages_nla<P>, nullptr);
}

// ---- INET_DIAG_SOCKOPT -----------------------------------------------------------------------

/// INET_DIAG_SOCKOPT: struct inet_diag_sockopt's one-bit fields in order (the first byte's from
/// bit 0, then the second's), then its 5 unused bits; without -v only the set ones (strace's
/// decode_diag_sockopt); then the bytes past the struct when not all zero.
template <class P>
bool nla_inet_diag_sockopt(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  static constexpr std::string_view bits[] = {
      "recverr",         "is_icsk",       "freebind",
      "hdrincl",         "mc_loop",       "transparent",
      "mc_all",          "nodefrag",      "bind_address_no_port",
      "recverr_rfc4884", "defer_connect",
  };
  unsigned char raw[2];
  if (len < sizeof raw) return false;
  if (!p.read_exact(addr, sizeof raw)) return put_ptr(p.out(), addr), true;
  std::memcpy(raw, scratch().data(), sizeof raw);
  std::uint16_t v = static_cast<std::uint16_t>(raw[0] | raw[1] << 8);
  bool all = p.opts().verbose;
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  for (std::size_t i = 0; i < std::size(bits); ++i) {
    unsigned bit = (v >> i) & 1u;
    if (all || bit) put_udec(f(bits[i]), bit);
  }
  unsigned unused = v >> std::size(bits);
  if (all || unused) put_hex(f("unused"), unused), out.append(" /* bits 3..8 */");
  out.push_back('}');
  put_nonzero_tail(p, addr, sizeof raw, len);
  return true;
}

}  // namespace snare::format::detail
