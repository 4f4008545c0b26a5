// Defines the decoding of netlink attributes (strace's nlattr.c): a run of struct nlattr
// after a family header, each `{nla_len=8, nla_type=UNIX_DIAG_PEER}` with its payload
// decoded by the attribute table of the message (one decoder per type, bytes in hex where
// none), and the struct layouts (nl_field) and field printers the family decoders share.
// The common payload decoders (strace's decode_nla_*) are in netlink_nla.hpp.
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

/// Appends `n` bytes of a hardware address as strace's print_mac_addr: `f8:c2:49:13:57`;
/// -X raw the bytes in hex, -X verbose both.
inline void put_mac(std::string& out, const unsigned char* a, std::size_t n) {
  if (!xlat_abbrev()) put_quoted(out, std::span(a, n), true);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.push_back(':');
    out.push_back(hex[a[i] >> 4]);
    out.push_back(hex[a[i] & 15]);
  }
  if (xlat_verbose()) out.append(" */");
}

/// Appends flags printed with a fixed style: -X raw stays raw, otherwise the number with
/// the names in a comment (strace's XLAT_STYLE_VERBOSE for names outside the uapi headers).
inline void put_flags_verbose(std::string& out, const xlat& x, std::uint64_t v) {
  xlat_style_scope scope(xlat_raw() ? xlat_style::raw : xlat_style::verbose);
  put_flags(out, x, v);
}
/// Appends an enumeration value with the same fixed style (strace's PRINT_FIELD_XVAL_VERBOSE).
inline void put_enum_verbose(std::string& out, const xlat& x, std::uint64_t v) {
  xlat_style_scope scope(xlat_raw() ? xlat_style::raw : xlat_style::verbose);
  put_enum(out, x, v);
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

// ---- struct layouts ----------------------------------------------------------------

/// How one field of a fixed struct (a family header, an attribute's payload) prints.
enum class nl_kind : unsigned char {
  u,              ///< unsigned decimal
  d,              ///< signed decimal
  x,              ///< hex
  xval,           ///< an enumeration of `table`
  flags,          ///< a flag set of `table`
  ifindex,        ///< an interface index (`if_nametoindex("lo")`)
  x_nonzero,      ///< hex, and only when not zero (pads strace shows when set)
  bytes,          ///< a byte array as a string in hex escapes (`"\x61\x62"`)
  bytes_nonzero,  ///< bytes, and only when one is not zero
  htonl,          ///< a u32 in network order: `htonl(0xfeedcafe)`
  mac,            ///< a hardware address of `size` bytes: `ab:cd:ef` (put_mac)
  u8_array,       ///< bytes as decimal numbers: `[171, 205]`
  be16_xval,      ///< a u16 in network order named by `table`: `htons(ETH_P_IP)`
  u64_indexed,    ///< u64s whose indices `table` names: `[[BR_MCAST_DIR_RX]=1, [BR_MCAST_DIR_TX]=2]`
};

/// One field of a struct: its name, byte offset, size (1, 2, 4 or 8; any for the byte and
/// array kinds) and form. Offsets are the kernel's uapi layout (linux/*.h), which is fixed ABI.
struct nl_field {
  std::string_view name;
  std::uint16_t offset;
  std::uint8_t size;
  nl_kind kind;
  const xlat* table = nullptr;
};

/// Returns field `f` of the struct bytes `raw` as an unsigned number (sign-extended for d);
/// for a byte array, whether any byte is set.
inline std::uint64_t nl_field_value(const nl_field& f, const unsigned char* raw) noexcept {
  std::uint64_t v = 0;
  if (f.kind == nl_kind::bytes || f.kind == nl_kind::bytes_nonzero || f.kind == nl_kind::mac ||
      f.kind == nl_kind::u8_array || f.kind == nl_kind::u64_indexed) {
    for (std::size_t i = 0; i < f.size; ++i) v |= raw[f.offset + i];
    return v;
  }
  std::memcpy(&v, raw + f.offset, f.size);  // little-endian: the low bytes
  if (f.kind == nl_kind::d && f.size < 8 && (v >> (f.size * 8 - 1)) & 1)
    v |= ~std::uint64_t{0} << (f.size * 8);
  return v;
}

/// Appends one field's value.
inline void put_nl_field(std::string& out, const nl_field& f, const unsigned char* raw) {
  std::uint64_t v = nl_field_value(f, raw);
  switch (f.kind) {
    case nl_kind::u:
      return put_udec(out, v);
    case nl_kind::d:
      return put_dec(out, static_cast<std::int64_t>(v));
    case nl_kind::x:
    case nl_kind::x_nonzero:
      return put_hex(out, v);
    case nl_kind::xval:
      return put_enum(out, *f.table, v);
    case nl_kind::flags:
      return put_flags(out, *f.table, v);
    case nl_kind::ifindex:
      return put_ifindex(out, static_cast<std::uint32_t>(v));
    case nl_kind::htonl:
      out.append("htonl(");
      put_hex(out, ntohl(static_cast<std::uint32_t>(v)));
      return out.push_back(')');
    case nl_kind::bytes:
    case nl_kind::bytes_nonzero:
      return put_quoted(out, std::span(raw + f.offset, f.size), true);
    case nl_kind::mac:
      return put_mac(out, raw + f.offset, f.size);
    case nl_kind::u8_array:
      out.push_back('[');
      for (std::size_t i = 0; i < f.size; ++i) {
        if (i) out.append(", ");
        put_udec(out, raw[f.offset + i]);
      }
      return out.push_back(']');
    case nl_kind::u64_indexed:
      out.push_back('[');
      for (std::size_t i = 0; i < f.size / 8u; ++i) {
        std::uint64_t e;
        std::memcpy(&e, raw + f.offset + i * 8, 8);
        if (i) out.append(", ");
        out.push_back('[');
        put_named(out, find_name(f.table->field, i), [&] { put_udec(out, i); });
        out.append("]=");
        put_udec(out, e);
      }
      return out.push_back(']');
    case nl_kind::be16_xval:
      out.append("htons(");
      put_enum(out, *f.table, ntohs(static_cast<std::uint16_t>(v)));
      return out.push_back(')');
  }
}

/// Appends the fields of `fields` that lie within the `size` bytes at `raw` through `f`
/// (`name=value, ...`), leaving out x_nonzero fields that are zero.
inline void put_nl_fields(field_sep& f, std::span<const nl_field> fields, const unsigned char* raw,
                          std::size_t size) {
  for (const auto& fd : fields) {
    if (fd.offset + fd.size > size) continue;
    bool optional = fd.kind == nl_kind::x_nonzero || fd.kind == nl_kind::bytes_nonzero;
    if (optional && nl_field_value(fd, raw) == 0) continue;
    put_nl_field(f(fd.name), fd, raw);
  }
}

/// Reads `size` bytes of a struct at `addr` and appends them as `{fields}`; the address
/// when they cannot be read.
template <class P>
void put_nl_struct(P& p, std::uint64_t addr, std::size_t size, std::span<const nl_field> fields) {
  std::string& out = p.out();
  if (!p.read_exact(addr, size)) return put_ptr(out, addr);
  std::string raw = scratch();  // a copy: printing a field may use scratch()
  out.push_back('{');
  field_sep f{out};
  put_nl_fields(f, fields, reinterpret_cast<const unsigned char*>(raw.data()), size);
  out.push_back('}');
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
/// header as bytes. With `any_type`, decoders[0] takes every type and is passed the type
/// (the whole nla_type) as its opaque, as strace's decode_nlattr with a table size of 0.
template <class P>
void put_nlattrs(P& p, std::uint64_t addr, std::uint32_t len, const xlat& table,
                 std::span<const nla_fn<P>> decoders, const void* opaque = nullptr, bool any_type = false) {
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
      std::size_t idx = any_type ? 0 : nla.type & 0x3fff;
      nla_fn<P> fn = idx < decoders.size() ? decoders[idx] : nullptr;
      const void* arg = any_type ? reinterpret_cast<const void*>(std::uintptr_t{nla.type}) : opaque;
      if (!fn || !fn(p, addr + nla_hdrlen, this_len - nla_hdrlen, arg))
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

/// Appends the attributes that follow a fixed part of `size` bytes (aligned to 4) in an
/// attribute's payload, when there are any: `, [attrs]`.
template <class P>
void put_nla_tail(P& p, std::uint64_t addr, std::uint32_t len, std::size_t size, const xlat& table,
                  std::type_identity_t<std::span<const nla_fn<P>>> decoders) {
  std::uint32_t offset = static_cast<std::uint32_t>((size + 3) & ~std::size_t{3});
  if (len <= offset) return;
  p.out().append(", ");
  put_nlattrs(p, addr + offset, len - offset, table, decoders);
}

}  // namespace snare::format::detail
