// Defines the decoding of netlink attributes (strace's nlattr.c): a run of struct nlattr
// after a family header, each `{nla_len=8, nla_type=UNIX_DIAG_PEER}` with its payload
// decoded by the attribute table of the message (one decoder per type, bytes in hex where
// none), and the common payload decoders (integers, strings, addresses, ifindex, meminfo)
// and struct-field printers the family decoders share.
#pragma once

#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Decodes the `len`-byte payload of one attribute at `addr`; returns false to have it
/// printed as bytes in hex (a size the decoder does not know), as strace's nla_decoder_t.
/// `opaque` is what the message's decoder passes down (an address family, a table).
template <class P>
using nla_fn = bool (*)(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque);

inline constexpr std::uint32_t nla_hdrlen = 4;
inline constexpr std::uint16_t nla_f_nested = 0x8000, nla_f_net_byteorder = 0x4000;

/// Appends `len` bytes at `addr` as a string in hex escapes, cut at the string limit
/// (strace's printstr_ex with QUOTE_FORCE_HEX); the address when unreadable.
template <class P>
void put_hex_bytes(P& p, std::uint64_t addr, std::uint64_t len) {
  std::size_t shown = static_cast<std::size_t>(std::min<std::uint64_t>(len, p.opts().string_limit));
  if (addr == 0) return p.out().append("NULL"), void();
  if (!p.read_exact(addr, shown)) return put_ptr(p.out(), addr);
  put_quoted(p.out(), scratch(), true);
  if (len > shown) p.out().append("...");
}

// ---- struct fields -----------------------------------------------------------------

/// Appends a socket cookie: `[3735928559, 3134983661]` (strace's PRINT_FIELD_COOKIE).
inline void put_cookie(std::string& out, const std::uint32_t (&c)[2]) {
  out.push_back('[');
  put_udec(out, c[0]);
  out.append(", ");
  put_udec(out, c[1]);
  out.push_back(']');
}

/// Appends an interface index as strace's print_ifindex: `if_nametoindex("lo")` (-X raw: 1,
/// verbose: `1 /* if_nametoindex("lo") */`), the number when no interface has it.
inline void put_ifindex(std::string& out, std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  std::string text;
  if (index != 0 && ::if_indextoname(index, name)) {
    text = "if_nametoindex(";
    put_quoted(text, std::string_view(name, strnlen(name, sizeof name)));
    text.push_back(')');
  }
  put_named(out, text, [&] { put_udec(out, index); });
}

/// Appends a port in network order as strace's PRINT_FIELD_NET_PORT: `htons(80)`; -X raw
/// the bytes in hex, verbose both.
inline void put_net_port(std::string& out, std::uint16_t be) {
  if (!xlat_abbrev()) put_quoted(out, std::span(reinterpret_cast<const unsigned char*>(&be), 2), true);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  out.append("htons(");
  put_udec(out, ntohs(be));
  out.push_back(')');
  if (xlat_verbose()) out.append(" */");
}

/// Appends the `len`-byte address `a` of family `af` as strace's print_inet_addr, with
/// the field name `var` when given: `var=inet_addr("1.2.3.4")`,
/// `inet_pton(AF_INET6, "::1", &var)`, other families `var="\x..."`.
inline void put_inet_addr(field_sep& f, int af, const unsigned char* a, std::size_t len,
                          std::string_view var) {
  std::string& out = f.out;
  char text[INET6_ADDRSTRLEN] = {};
  auto name = [&] { var.empty() ? f.next() : void(f(var)); };
  if ((af == AF_INET && len >= 4) || (af == AF_INET6 && len >= 16)) {
    if (::inet_ntop(af, a, text, sizeof text)) {
      if (af == AF_INET || !xlat_abbrev())
        name();
      else
        f.next();
      if (!xlat_abbrev()) put_quoted(out, std::span(a, len), true);
      if (xlat_raw()) return;
      if (xlat_verbose()) out.append(" /* ");
      if (af == AF_INET) {
        out.append("inet_addr(\"").append(text).append("\")");
      } else {
        out.append("inet_pton(AF_INET6, \"").append(text).append("\"");
        if (!var.empty() && xlat_abbrev()) out.append(", &").append(var);
        out.push_back(')');
      }
      if (xlat_verbose()) out.append(" */");
      return;
    }
  }
  name();
  put_quoted(out, std::span(a, len), true);
}

// ---- attributes --------------------------------------------------------------------

/// Appends an attribute header: `{nla_len=8, nla_type=NLA_F_NESTED|IFLA_INFO_KIND}`.
inline void put_nlattr_header(std::string& out, std::uint16_t nla_len, std::uint16_t type,
                              const xlat& table) {
  out.append("{nla_len=");
  put_udec(out, nla_len);
  out.append(", nla_type=");
  if (type & nla_f_nested)
    put_named(out, "NLA_F_NESTED", [&] { put_hex(out, nla_f_nested); }), out.push_back('|');
  if (type & nla_f_net_byteorder)
    put_named(out, "NLA_F_NET_BYTEORDER", [&] { put_hex(out, nla_f_net_byteorder); }), out.push_back('|');
  put_enum(out, table, type & 0x3fff);
  out.push_back('}');
}

/// Appends the attributes in the `len` bytes at `addr` as strace's decode_nlattr: one alone,
/// several as an array (at most string_limit of them without -v), each with its payload
/// decoded by `decoders[type]` (bytes in hex where there is none or it declines). Memory
/// that ends prints as the address (`... /* 0x... */` inside an array); fewer bytes than a
/// header as bytes.
template <class P>
void put_nlattrs(P& p, std::uint64_t addr, std::uint32_t len, const xlat& table,
                 std::span<const nla_fn<P>> decoders, const void* opaque = nullptr) {
  std::string& out = p.out();
  bool array = false;
  for (std::size_t elt = 0;; ++elt) {
    struct {
      std::uint16_t len, type;
    } nla;
    if (len < sizeof nla) {
      put_hex_bytes(p, addr, len);
      break;
    }
    if (!p.read_obj(addr, nla)) {
      if (array)
        out.append("... /* "), put_hex(out, addr), out.append(" */");
      else
        put_ptr(out, addr);
      break;
    }
    if (!p.opts().verbose && elt == p.opts().string_limit) {
      out.append("...");
      break;
    }
    std::uint32_t aligned = (std::uint32_t{nla.len} + 3) & ~3u;
    std::uint64_t next_addr = 0;
    std::uint32_t next_len = 0;
    if (nla.len >= nla_hdrlen) {
      next_len = len >= aligned ? len - aligned : 0;
      if (next_len && addr + aligned > addr) next_addr = addr + aligned;
    }
    if (!array && next_addr) out.push_back('['), array = true;
    std::uint32_t this_len = std::min<std::uint32_t>(nla.len, len);
    if (this_len > nla_hdrlen) out.push_back('[');
    put_nlattr_header(out, nla.len, nla.type, table);
    if (this_len > nla_hdrlen) {
      out.append(", ");
      std::size_t idx = nla.type & 0x3fff;
      nla_fn<P> fn = idx < decoders.size() ? decoders[idx] : nullptr;
      if (!fn || !fn(p, addr + nla_hdrlen, this_len - nla_hdrlen, opaque))
        put_hex_bytes(p, addr + nla_hdrlen, this_len - nla_hdrlen);
      out.push_back(']');
    }
    if (!next_addr) break;
    out.append(", ");
    addr = next_addr;
    len = next_len;
  }
  if (array) out.push_back(']');
}

// ---- common payload decoders (strace's decode_nla_*) --------------------------------

/// Reads one T at `addr` when `len` holds it: false (print as bytes) when it is shorter;
/// prints the address and sets `ok` false when it cannot be read.
template <class T, class P>
bool nla_read(P& p, std::uint64_t addr, std::uint32_t len, T& v, bool& ok) {
  if (len < sizeof(T)) return false;
  ok = p.read_obj(addr, v);
  if (!ok) put_ptr(p.out(), addr);
  return true;
}

template <class T, bool Hex, class P>
bool nla_int(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  T v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (!ok) return true;
  if constexpr (Hex)
    put_hex(p.out(), v);
  else if constexpr (std::is_signed_v<T>)
    put_dec(p.out(), v);
  else
    put_udec(p.out(), v);
  return true;
}
template <class P>
inline constexpr nla_fn<P> nla_u8 = &nla_int<std::uint8_t, false, P>;
template <class P>
inline constexpr nla_fn<P> nla_u16 = &nla_int<std::uint16_t, false, P>;
template <class P>
inline constexpr nla_fn<P> nla_u32 = &nla_int<std::uint32_t, false, P>;
template <class P>
inline constexpr nla_fn<P> nla_u64 = &nla_int<std::uint64_t, false, P>;
template <class P>
inline constexpr nla_fn<P> nla_s32 = &nla_int<std::int32_t, false, P>;
template <class P>
inline constexpr nla_fn<P> nla_x32 = &nla_int<std::uint32_t, true, P>;
template <class P>
inline constexpr nla_fn<P> nla_x64 = &nla_int<std::uint64_t, true, P>;

/// A string the kernel NUL-terminates (strace's decode_nla_str: a last NUL is not shown, a
/// missing one is marked `...`).
template <class P>
bool nla_str(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::string& out = p.out();
  std::size_t limit = p.opts().string_limit;
  std::size_t fetch = std::min<std::size_t>(len, limit + 1);
  if (!p.read_exact(addr, fetch)) return put_ptr(out, addr), true;
  std::string& s = scratch();
  std::size_t size = std::min<std::size_t>(len, limit);
  s.resize(size);
  bool nul_last = size > 0 && s.back() == '\0';
  if (nul_last) s.pop_back();
  put_quoted(out, s);
  if (!nul_last && len > 0) out.append("...");
  return true;
}

/// A uid or gid: -1 as `-1`, others unsigned (strace's printuid).
template <class P>
bool nla_uid(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) v == 0xffffffffu ? p.out().append("-1"), void() : put_udec(p.out(), v);
  return true;
}

/// An interface index (strace's decode_nla_ifindex).
template <class P>
bool nla_ifindex(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) put_ifindex(p.out(), v);
  return true;
}

/// Appends `count` elements of `size` bytes at `addr` as strace's print_array: cut at the
/// string limit (not with -v), `... /* 0x... */` where memory ends, the address when the
/// first cannot be read. `put(bytes, index)` prints one element.
template <class P, class Put>
void put_nl_array(P& p, std::uint64_t addr, std::size_t count, std::size_t size, Put put) {
  std::string& out = p.out();
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::size_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    if (!p.read_exact(addr + k * size, size)) {
      if (k == 0) return out.resize(mark), put_ptr(out, addr);
      out.append("... /* "), put_hex(out, addr + k * size), out.append(" */");
      break;
    }
    put(reinterpret_cast<const unsigned char*>(scratch().data()), k);
  }
  out.push_back(']');
}

/// An array of u32 (strace's print_array of uint32_t): `[1, 2, 3]`.
template <class P>
bool nla_u32_array(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / 4;
  if (n == 0) return false;
  put_nl_array(p, addr, n, 4, [&](const unsigned char* b, std::size_t) {
    std::uint32_t v;
    std::memcpy(&v, b, 4);
    put_udec(p.out(), v);
  });
  return true;
}

/// A socket's memory counters indexed by SK_MEMINFO_* (strace's decode_nla_meminfo):
/// `[[SK_MEMINFO_RMEM_ALLOC]=1, ...]`.
template <class P>
bool nla_meminfo(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / 4;
  if (n == 0) return false;
  put_nl_array(p, addr, n, 4, [&](const unsigned char* b, std::size_t k) {
    std::string& out = p.out();
    std::uint32_t v;
    std::memcpy(&v, b, 4);
    out.push_back('[');
    auto name = find_name(sk_meminfo_indices_field, k);
    if (name.empty() && !xlat_raw()) {
      put_udec(out, k), out.append(" /* SK_MEMINFO_??? */");
    } else {
      put_named(out, name, [&] { put_udec(out, k); });
    }
    out.append("]=");
    put_udec(out, v);
  });
  return true;
}

/// An IPv4 or IPv6 address by the attribute's length (4 or 16 bytes).
template <class P>
bool nla_inet_addr(P& p, std::uint64_t addr, std::uint32_t len, int af) {
  std::size_t size = af == AF_INET ? 4 : 16;
  if (len < size) return false;
  if (!p.read_exact(addr, size)) return put_ptr(p.out(), addr), true;
  unsigned char a[16];
  std::memcpy(a, scratch().data(), size);
  field_sep f{p.out()};
  put_inet_addr(f, af, a, size, {});
  return true;
}
template <class P>
bool nla_in_addr(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_inet_addr(p, addr, len, AF_INET);
}
template <class P>
bool nla_in6_addr(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  return nla_inet_addr(p, addr, len, AF_INET6);
}

/// Reads a fixed struct T of an attribute: false (bytes) when `len` is shorter, the address
/// when unreadable (returns true, `ok` false).
template <class T, class P>
bool nla_struct(P& p, std::uint64_t addr, std::uint32_t len, T& v, bool& ok) {
  return nla_read(p, addr, len, v, ok);
}

}  // namespace snare::format::detail
