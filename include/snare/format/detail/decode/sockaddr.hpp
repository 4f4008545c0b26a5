// Defines the printer of socket addresses (strace's sockaddr.c): struct sockaddr by its
// family, `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}`, each
// family's fields once the address is as long as its struct (else `sa_data="..."`), in the
// -X style of the run: UNIX, INET, INET6, AX25, IPX, X25, NETLINK, PACKET, RXRPC,
// IEEE802154, ALG, NFC, VSOCK, QIPCRTR, XDP, MCTP (not yet: BLUETOOTH).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <arpa/inet.h>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>

namespace snare::format::detail {

/// A socket address copied into the tracer: `n` bytes (at most sockaddr_storage's 128) and
/// zeros after them, room for the fields a short address leaves out (strace's addrbuf).
struct sockaddr_buf {
  unsigned char b[384]{};
  std::size_t n = 0;
  std::uint16_t u16(std::size_t at) const noexcept {
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
  }
  std::uint32_t u32(std::size_t at) const noexcept {
    std::uint32_t v;
    std::memcpy(&v, b + at, 4);
    return v;
  }
};

/// Appends `v` as strace's PRINT_VAL_0X: `%#0*x` as wide as `bytes` bytes ("0x0a", "0000").
inline void put_0x(std::string& out, std::uint64_t v, int bytes) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%#0*llx", bytes * 2 + 2, static_cast<unsigned long long>(v));
  out.append(buf);
}

/// Appends the `size` bytes at `s` as strace's print_quoted_cstring: up to the first NUL,
/// or size - 1 bytes and `...` when there is none.
inline void put_quoted_cstring(std::string& out, const unsigned char* s, std::size_t size) {
  const auto* end = static_cast<const unsigned char*>(std::memchr(s, 0, size));
  if (end) return put_quoted(out, std::span(s, static_cast<std::size_t>(end - s)));
  put_quoted(out, std::span(s, size ? size - 1 : 0));
  out.append("...");
}

/// sun_path: up to its NUL within the 108 bytes; an abstract name (a leading NUL) as `@`
/// and every byte of the name.
inline void put_sockaddr_un(field_sep& f, const sockaddr_buf& sa, int hex_strings) {
  std::size_t path_len = std::min<std::size_t>(sa.n, 110) - 2;
  const unsigned char* path = sa.b + 2;
  std::string& out = f("sun_path");
  if (path[0]) {
    std::size_t len = strnlen(reinterpret_cast<const char*>(path), path_len);
    return put_quoted(out, std::span(path, len), false, hex_strings);
  }
  out.push_back('@');
  put_quoted(out, std::span(path + 1, path_len - 1), false, hex_strings);
}

/// sin6_*: the flow label `htonl(N)`, the scope an interface for a link-local address.
inline void put_sockaddr_in6(field_sep& f, const sockaddr_buf& sa) {
  std::uint16_t port;
  std::memcpy(&port, sa.b + 2, 2);
  put_net_port(f("sin6_port"), port);
  std::string& out = f("sin6_flowinfo");
  if (!xlat_abbrev()) put_quoted(out, std::span(sa.b + 4, 4), true);
  if (!xlat_raw()) {
    if (xlat_verbose()) out.append(" /* ");
    out.append("htonl(");
    put_udec(out, ntohl(sa.u32(4)));
    out.push_back(')');
    if (xlat_verbose()) out.append(" */");
  }
  put_inet_addr(f, AF_INET6, sa.b + 8, 16, "sin6_addr");
  if (sa.n <= 24) return;
  const unsigned char* a = sa.b + 8;
  bool link_local = (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] == 0xff && (a[1] & 0x0f) == 2);
  if (link_local)
    put_ifindex(f("sin6_scope_id"), sa.u32(24));
  else
    put_udec(f("sin6_scope_id"), sa.u32(24));
}

/// Returns how an AX.25 callsign prints (strace's check_ax25_address), an xlat_style as an
/// int: `verbose` (its bytes, the text in a comment) for an odd callsign, `raw` (its bytes
/// only) for an unprintable one, -1 (the run's style) for a plain one.
inline int ax25_style(const unsigned char* call) {
  int ret = -1;  // the run's style
  bool space_seen = false, char_seen = false;
  for (std::size_t i = 0; i < 6; ++i) {
    unsigned char c = call[i];
    if (c & 1) ret = static_cast<int>(xlat_style::verbose);
    c >>= 1;
    if (c == ' ')
      space_seen = true;
    else
      char_seen = true;
    if ((c < '0' || c > '9') && (c < 'A' || c > 'Z') && c != ' ') ret = static_cast<int>(xlat_style::verbose);
    if (c != ' ' && space_seen) ret = static_cast<int>(xlat_style::verbose);
    if (c < ' ' || c > 0x7e || c == '*' || c == '/') return static_cast<int>(xlat_style::raw);
  }
  if (call[6] & ~0x1e) ret = static_cast<int>(xlat_style::verbose);
  if (!char_seen && call[6]) ret = static_cast<int>(xlat_style::verbose);
  return ret;
}

/// Appends an AX.25 address (7 bytes) as strace's print_ax25_addr: `VALID-13`, `*` for the
/// empty call, `{ax25_call="\x.."} /* FINE-2 */` when the bytes do not make a plain call.
inline void put_ax25_addr(std::string& out, const unsigned char* call) {
  int style = ax25_style(call);
  if (style < 0) style = static_cast<int>(current_xlat_style());
  if (style != static_cast<int>(xlat_style::abbrev)) {
    out.append("{ax25_call=");
    put_quoted(out, std::span(call, 7), true);
    out.push_back('}');
  }
  if (style == static_cast<int>(xlat_style::raw)) return;
  std::string text;
  std::size_t end = 6;
  while (end && (call[end - 1] >> 1) == ' ') --end;
  for (std::size_t i = 0; i < end; ++i) text.push_back(static_cast<char>(call[i] >> 1));
  text.push_back('-');
  unsigned ssid = (call[6] >> 1) & 0xf;
  if (ssid > 9) text.push_back('1'), ssid -= 10;
  text.push_back(static_cast<char>('0' + ssid));
  if (text == "-0") text = "*";
  if (style == static_cast<int>(xlat_style::verbose))
    out.append(" /* ").append(text).append(" */");
  else
    out.append(text);
}

/// AF_AX25: struct sockaddr_ax25 (16 bytes), or struct full_sockaddr_ax25 with its
/// digipeaters (up to 8 of 7 bytes) when it has some or the address is longer.
inline void put_sockaddr_ax25(field_sep& f, const sockaddr_buf& sa) {
  std::int32_t ndigis;
  std::memcpy(&ndigis, sa.b + 12, 4);
  bool full = ndigis != 0 || sa.n > 16;
  std::string& out = f.out;
  field_sep g{out};
  if (full) f("fsa_ax25").push_back('{');
  field_sep& h = full ? g : f;
  put_ax25_addr(h("sax25_call"), sa.b + 2);
  put_dec(h("sax25_ndigis"), ndigis);
  if (!full) return;
  out.push_back('}');
  std::size_t has = std::min<std::size_t>((sa.n - 16) / 7, 8);
  std::size_t want = std::min<std::size_t>(static_cast<std::size_t>(std::max(ndigis, 0)), 8);
  std::size_t digis = std::min(has, want);
  if (want) {
    f("fsa_digipeater").push_back('[');
    for (std::size_t k = 0; k < digis; ++k) {
      if (k) out.append(", ");
      put_ax25_addr(out, sa.b + 16 + 7 * k);
    }
    if (want > has) out.append(digis ? ", ..." : "...");
    out.push_back(']');
  }
  if (sa.n > has * 7 + 16) f.next(), out.append("...");
}

/// AF_IPX: struct sockaddr_ipx (16 bytes).
inline void put_sockaddr_ipx(field_sep& f, const sockaddr_buf& sa) {
  std::uint16_t port;
  std::memcpy(&port, sa.b + 2, 2);
  put_net_port(f("sipx_port"), port);
  std::string& out = f("sipx_network");
  out.append("htonl(");
  put_hex(out, ntohl(sa.u32(4)));
  out.push_back(')');
  f("sipx_node").push_back('[');
  for (std::size_t i = 0; i < 6; ++i) {
    if (i) out.append(", ");
    put_0x(out, sa.b[8 + i], 1);
  }
  out.push_back(']');
  put_0x(f("sipx_type"), sa.b[14], 1);
  if (sa.b[15]) put_hex(f("sipx_zero"), sa.b[15]);
}

/// AF_PACKET: struct sockaddr_ll (20 bytes); sll_addr shows sll_halen bytes, `...` past the
/// address's end.
inline void put_sockaddr_ll(field_sep& f, const sockaddr_buf& sa) {
  std::string& out = f("sll_protocol");
  if (!xlat_abbrev()) put_quoted(out, std::span(sa.b + 2, 2), true);
  if (!xlat_raw()) {
    if (xlat_verbose()) out.append(" /* ");
    out.append("htons(");
    std::uint16_t proto = static_cast<std::uint16_t>(sa.b[2] << 8 | sa.b[3]);
    auto name = find_name(ethernet_protocols_field, proto);
    if (name.empty())
      put_unknown(out, ethernet_protocols_xlat, proto);
    else
      out.append(name);
    out.push_back(')');
    if (xlat_verbose()) out.append(" */");
  }
  put_ifindex(f("sll_ifindex"), sa.u32(4));
  put_enum(f("sll_hatype"), arp_hardware_types_xlat, sa.u16(8));
  put_enum(f("sll_pkttype"), af_packet_type_xlat, sa.b[10]);
  unsigned halen = sa.b[11];
  put_udec(f("sll_halen"), halen);
  if (!halen) return;
  f("sll_addr").push_back('[');
  std::size_t oob = sa.n - 12;
  for (unsigned i = 0; i < halen; ++i) {
    if (i) out.append(", ");
    if (i >= oob) {
      out.append("...");
      break;
    }
    put_0x(out, sa.b[12 + i], 1);
  }
  out.push_back(']');
}

/// AF_RXRPC: struct sockaddr_rxrpc (36 bytes), its transport an AF_INET or AF_INET6 address
/// within transport_len, other families' bytes.
inline void put_sockaddr_rxrpc(field_sep& f, const sockaddr_buf& sa) {
  put_enum_verbose(f("srx_service"), rxrpc_service_xlat, sa.u16(2));
  static constexpr xlat socktypes{socket_type_field, ~std::uint64_t{0}, {}, {}, "SOCK_???"};
  put_enum(f("transport_type"), socktypes, sa.u16(4));
  std::uint16_t raw_len = sa.u16(6);
  put_udec(f("transport_len"), raw_len);
  std::string& out = f("transport");
  out.push_back('{');
  std::size_t len = std::min<std::size_t>(raw_len, sa.n - 8), rest = len > 2 ? len - 2 : 0;
  std::uint16_t family = sa.u16(8);
  field_sep g{out};
  auto put_rest = [&](field_sep& h) {
    if (rest) h.next(), put_quoted(out, std::span(sa.b + 10, rest));
  };
  if (family == AF_INET || family == AF_INET6) {
    bool in6 = family == AF_INET6;
    g(in6 ? "sin6" : "sin").push_back('{');
    field_sep h{out};
    put_enum(h(in6 ? "sin6_family" : "sin_family"), socket_family_xlat, family);
    if (raw_len >= (in6 ? 24u : 16u)) {
      sockaddr_buf t;
      t.n = len;
      std::memcpy(t.b, sa.b + 8, 28);
      if (in6) {
        put_sockaddr_in6(h, t);
      } else {
        std::uint16_t port;
        std::memcpy(&port, t.b + 2, 2);
        put_net_port(h("sin_port"), port);
        put_inet_addr(h, AF_INET, t.b + 4, 4, "sin_addr");
      }
    } else {
      put_rest(h);
    }
    out.push_back('}');
  } else {
    put_enum(g("family"), socket_family_xlat, family);
    put_rest(g);
  }
  out.push_back('}');
}

/// AF_IEEE802154: struct sockaddr_ieee802154 (20 bytes): the address by its type.
inline void put_sockaddr_ieee802154(field_sep& f, const sockaddr_buf& sa) {
  std::string& out = f("addr");
  out.push_back('{');
  field_sep g{out};
  std::uint32_t type = sa.u32(4);
  put_enum_verbose(g("addr_type"), ieee802154_addr_type_xlat, type);
  put_enum_verbose(g("pan_id"), ieee802154_pan_id_xlat, sa.u16(8));
  if (type == 2)  // IEEE802154_ADDR_SHORT
    put_enum_verbose(g("short_addr"), ieee802154_short_addr_xlat, sa.u16(10));
  else if (type != 0)  // IEEE802154_ADDR_LONG and the unknown ones
    put_mac(g("hwaddr"), sa.b + 10, 8);
  out.push_back('}');
}

/// AF_NFC: struct sockaddr_nfc (16 bytes), or struct sockaddr_nfc_llcp (96 bytes on LP64).
inline void put_sockaddr_nfc(field_sep& f, const sockaddr_buf& sa) {
  put_ifindex(f("dev_idx"), sa.u32(4));
  put_hex(f("target_idx"), sa.u32(8));
  put_enum(f("nfc_protocol"), nfc_proto_xlat, sa.u32(12));
  if (sa.n < 96) {
    if (sa.n > 16) f.next(), f.out.append("...");
    return;
  }
  std::uint64_t snsz;
  std::memcpy(&snsz, sa.b + 88, 8);
  put_enum_verbose(f("dsap"), nfc_sap_xlat, sa.b[16]);
  put_enum_verbose(f("ssap"), nfc_sap_xlat, sa.b[17]);
  put_quoted(f("service_name"),
             std::span(sa.b + 18, static_cast<std::size_t>(std::min<std::uint64_t>(63, snsz))));
  put_udec(f("service_name_len"), snsz);
}

/// Appends the fields of the families of strace's sockaddr_xlat test (RXRPC, IEEE802154,
/// ALG, NFC, VSOCK, QIPCRTR, XDP, MCTP) when `sa` is as long as the family's struct;
/// false for another family or a shorter address.
template <class P>
bool put_sockaddr_xlat_family(P& p, field_sep& f, const sockaddr_buf& sa, std::uint16_t family) {
  std::size_t n = sa.n;
  std::string& out = f.out;
  switch (family) {
    case AF_RXRPC:
      if (n < 36) return false;
      return put_sockaddr_rxrpc(f, sa), true;
    case AF_IEEE802154:
      if (n < 20) return false;
      return put_sockaddr_ieee802154(f, sa), true;
    case AF_ALG:  // struct sockaddr_alg_new and a byte of salg_name
      if (n < 25) return false;
      put_quoted_cstring(f("salg_type"), sa.b + 2, 14);
      put_flags_verbose(f("salg_feat"), alg_sockaddr_flags_xlat, sa.u32(16));
      put_flags_verbose(f("salg_mask"), alg_sockaddr_flags_xlat, sa.u32(20));
      put_quoted_cstring(f("salg_name"), sa.b + 24, n - 24);
      return true;
    case AF_NFC:
      if (n < 16) return false;
      return put_sockaddr_nfc(f, sa), true;
    case AF_VSOCK:  // struct sockaddr_vm
      if (n < 16) return false;
      if (sa.u16(2)) put_hex(f("svm_reserved1"), sa.u16(2));
      put_enum(f("svm_cid"), vsock_cid_xlat, sa.u32(8));
      put_enum(f("svm_port"), vsock_port_xlat, sa.u32(4));
      put_flags(f("svm_flags"), vsock_flags_xlat, sa.b[12]);
      if (sa.b[13] || sa.b[14] || sa.b[15]) put_quoted(f("svm_zero"), std::span(sa.b + 13, 3), true);
      return true;
    case AF_QIPCRTR:  // struct sockaddr_qrtr
      if (n < 12) return false;
      put_enum(f("sq_node"), qipcrtr_node_xlat, sa.u32(4));
      put_enum(f("sq_port"), qipcrtr_port_xlat, sa.u32(8));
      return true;
    case AF_XDP: {  // struct sockaddr_xdp
      if (n < 16) return false;
      std::uint16_t flags = sa.u16(2);
      put_flags(f("sxdp_flags"), xdp_sockaddr_flags_xlat, flags);
      put_ifindex(f("sxdp_ifindex"), sa.u32(4));
      put_udec(f("sxdp_queue_id"), sa.u32(8));
      if (flags & 1)  // XDP_SHARED_UMEM
        f("sxdp_shared_umem_fd"), p.put_fd(static_cast<std::int32_t>(sa.u32(12)));
      else if (sa.u32(12))
        put_hex(f("sxdp_shared_umem_fd"), sa.u32(12));
      return true;
    }
    case AF_MCTP:  // struct sockaddr_mctp
      if (n < 12) return false;
      if (sa.u16(2)) put_hex(f("__smctp_pad0"), sa.u16(2));
      put_enum(f("smctp_network"), mctp_net_xlat, sa.u32(4));
      f("smctp_addr").append("{s_addr=");
      put_enum(out, mctp_addr_xlat, sa.b[8]);
      out.push_back('}');
      put_hex(f("smctp_type"), sa.b[9]);
      put_hex(f("smctp_tag"), sa.b[10]);
      if (sa.b[11]) put_hex(f("__smctp_pad1"), sa.b[11]);
      return true;
    default:
      return false;
  }
}

/// Appends the socket address in `sa` as strace's print_sockaddr: the family, then its
/// fields when the address is at least as long as the family's struct, else its bytes.
template <class P>
void put_sockaddr_buf(P& p, const sockaddr_buf& sa) {
  std::string& out = p.out();
  std::uint16_t family = sa.u16(0);
  out.append("{sa_family=");
  put_enum(out, socket_family_xlat, family);
  field_sep f{out, false};
  std::size_t n = sa.n;
  if (n > 2) {
    if (family == AF_UNIX && n >= 3) {
      put_sockaddr_un(f, sa, p.opts().hex_strings);
    } else if (family == AF_INET && n >= 16) {
      std::uint16_t port;
      std::memcpy(&port, sa.b + 2, 2);
      put_net_port(f("sin_port"), port);
      put_inet_addr(f, AF_INET, sa.b + 4, 4, "sin_addr");
    } else if (family == AF_INET6 && n >= 24) {
      put_sockaddr_in6(f, sa);
    } else if (family == AF_AX25 && n >= 16) {
      put_sockaddr_ax25(f, sa);
    } else if (family == AF_IPX && n >= 16) {
      put_sockaddr_ipx(f, sa);
    } else if (family == AF_X25 && n >= 18) {
      f("sx25_addr").append("{x25_addr=");
      put_quoted_cstring(out, sa.b + 2, 16);
      out.push_back('}');
    } else if (family == AF_NETLINK && n >= 12) {
      if (sa.u16(2)) put_hex(f("nl_pad"), sa.u16(2));
      f("nl_pid");
      p.put_pid(static_cast<std::int32_t>(sa.u32(4)), pid_type::tgid);
      char hex[16];
      std::snprintf(hex, sizeof hex, "%#08x", sa.u32(8));  // strace's PRINT_FIELD_0X: 0 is 00000000
      f("nl_groups").append(hex);
    } else if (family == AF_PACKET && n >= 20) {
      put_sockaddr_ll(f, sa);
    } else if (!put_sockaddr_xlat_family(p, f, sa, family)) {
      put_quoted(f("sa_data"), std::span(sa.b + 2, n - 2), false, p.opts().hex_strings);
    }
  }
  out.push_back('}');
}

/// Appends the `n`-byte socket address `data` (a copy in the tracer).
template <class P>
void put_sockaddr_data(P& p, const unsigned char* data, std::size_t n) {
  sockaddr_buf sa;
  sa.n = std::min<std::size_t>(n, 128);
  std::memcpy(sa.b, data, sa.n);
  put_sockaddr_buf(p, sa);
}

/// Appends the `len`-byte socket address at `addr` (at most 128 bytes read, strace's
/// decode_sockaddr); its address when shorter than a family or unreadable.
template <class P>
void put_sockaddr(P& p, std::uint64_t addr, std::uint64_t len) {
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, 128));
  if (n < 2 || !p.read_exact(addr, n)) return put_hex(p.out(), addr);
  sockaddr_buf sa;
  sa.n = n;
  std::memcpy(sa.b, scratch().data(), n);
  put_sockaddr_buf(p, sa);
}

}  // namespace snare::format::detail
