// Defines the common payload decoders of netlink attributes (strace's decode_nla_* in
// nlattr.c): integers, named values and flags, strings, addresses, arrays, nests, fixed
// structs from their layout, and the socket memory counters the family tables share.
#pragma once

#include <arpa/inet.h>
#include <endian.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

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
inline constexpr nla_fn<P> nla_x16 = &nla_int<std::uint16_t, true, P>;
template <class P>
inline constexpr nla_fn<P> nla_x32 = &nla_int<std::uint32_t, true, P>;
template <class P>
inline constexpr nla_fn<P> nla_x64 = &nla_int<std::uint64_t, true, P>;

/// A value named by `X` as strace's decode_nla_xval and decode_nla_flags: `Size` bytes (0:
/// as many as the payload has), a payload longer than 8 bytes or shorter than `Size` as
/// bytes.
template <const xlat& X, bool Flags, std::size_t Size, class P>
bool nla_named(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len > 8 || len < Size) return false;
  std::size_t size = Size ? Size : len;
  if (!p.read_exact(addr, size)) return put_ptr(p.out(), addr), true;
  std::uint64_t v = 0;
  std::memcpy(&v, scratch().data(), size);
  Flags ? put_flags(p.out(), X, v) : put_enum(p.out(), X, v);
  return true;
}
template <const xlat& X, std::size_t Size, class P>
inline constexpr nla_fn<P> nla_flags = &nla_named<X, true, Size, P>;
template <const xlat& X, std::size_t Size, class P>
inline constexpr nla_fn<P> nla_xval = &nla_named<X, false, Size, P>;

/// A file descriptor of the traced process (strace's decode_nla_fd): with -y its path.
template <class P>
bool nla_fd(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::int32_t fd;
  bool ok;
  if (!nla_read(p, addr, len, fd, ok)) return false;
  if (ok) p.put_fd(fd);
  return true;
}

/// A big-endian u64 (strace's decode_nla_be64): `htobe64(1)`.
template <class P>
bool nla_be64(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint64_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) p.out().append("htobe64("), put_udec(p.out(), be64toh(v)), p.out().push_back(')');
  return true;
}

/// A big-endian u16 (strace's decode_nla_be16): `htons(80)`.
template <class P>
bool nla_be16(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint16_t v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) p.out().append("htons("), put_udec(p.out(), ntohs(v)), p.out().push_back(')');
  return true;
}

/// A hardware address of any type, up to MAX_ADDR_LEN (32) bytes (strace's
/// decode_nla_hwaddr without a device type): `f8:c2:49:13:57`; -X raw the bytes in hex,
/// -X verbose both.
template <class P>
bool nla_hwaddr(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len > 32) return false;
  std::string& out = p.out();
  if (!p.read_exact(addr, len)) return put_ptr(out, addr), true;
  put_mac(out, reinterpret_cast<const unsigned char*>(scratch().data()), len);
  return true;
}

/// A count of clock ticks of up to 8 bytes (strace's decode_nla_clock_t): `1 /* 0.01 s */`.
template <class P>
bool nla_clock_t(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len > 8) return false;
  if (!p.read_exact(addr, len)) return put_ptr(p.out(), addr), true;
  std::uint64_t v = 0;
  std::memcpy(&v, scratch().data(), len);
  xlat_raw() ? put_udec(p.out(), v) : put_clock_t(p.out(), v);  // -X raw: no seconds, as strace
  return true;
}

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

/// An array of unsigned T in decimal (strace's print_array): `[1, 2, 3]`.
template <class T, class P>
bool nla_uint_array(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / sizeof(T);
  if (n == 0) return false;
  put_nl_array(p, addr, n, sizeof(T), [&](const unsigned char* b, std::size_t) {
    T v;
    std::memcpy(&v, b, sizeof v);
    put_udec(p.out(), v);
  });
  return true;
}
template <class P>
inline constexpr nla_fn<P> nla_u32_array = &nla_uint_array<std::uint32_t, P>;

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

/// An array of `T` (int32_t or uint64_t) whose indices `X` names, as strace's print_array_ex
/// with PAF_PRINT_INDICES: `[[DEVCONF_FORWARDING]=1, [6 /* DEVCONF_??? */]=0]`; bytes in hex
/// when shorter than one element.
template <class T, const xlat& X, class P>
bool nla_indexed_array(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / sizeof(T);
  if (n == 0) return false;
  put_nl_array(p, addr, n, sizeof(T), [&](const unsigned char* b, std::size_t k) {
    std::string& out = p.out();
    T v;
    std::memcpy(&v, b, sizeof v);
    out.push_back('[');
    auto name = find_name(X.field, k);
    if (name.empty() && !xlat_raw()) {
      put_udec(out, k), out.append(" /* ").append(X.unknown).append(" */");
    } else {
      put_named(out, name, [&] { put_udec(out, k); });
    }
    out.append("]=");
    if constexpr (std::is_signed_v<T>)
      put_dec(out, v);
    else
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

/// An attribute holding a fixed struct of `Size` bytes laid out as `Fields`: bytes in hex
/// when shorter; when the payload is exactly `MinSize` or `MidSize` (older, shorter forms
/// of the struct), the fields within it.
template <std::size_t Size, const auto& Fields, class P, std::size_t MinSize = Size,
          std::size_t MidSize = MinSize>
bool nla_fields(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t size = len >= Size ? Size : len == MidSize ? MidSize : len == MinSize ? MinSize : 0;
  if (size == 0) return false;
  put_nl_struct(p, addr, size, Fields);
  return true;
}

/// A fixed struct of `Size` bytes laid out as `Fields`, then the bytes past it in hex when
/// the payload is longer (strace's decoders that end with printstr_ex of the rest):
/// `{a=1}, "\x01\x02"`; bytes in hex when shorter.
template <std::size_t Size, const auto& Fields, class P>
bool nla_fields_rest(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < Size) return false;
  std::size_t mark = p.out().size();
  put_nl_struct(p, addr, Size, Fields);
  if (len > Size && p.out()[mark] == '{') p.out().append(", "), put_hex_bytes(p, addr + Size, len - Size);
  return true;
}

/// An attribute whose payload is attributes of its own (a nest), named by `table` and
/// decoded by `decoders`.
template <class P>
bool nla_nest(P& p, std::uint64_t addr, std::uint32_t len, const xlat& table,
              std::type_identity_t<std::span<const nla_fn<P>>> decoders, const void* opaque) {
  put_nlattrs(p, addr, len, table, decoders, opaque);
  return true;
}

/// Builds a decoder table indexed by attribute type from `{type, decoder}` pairs, as C's
/// designated initializers do for strace's nla_decoder_t arrays; N is one past the
/// highest type.
template <class P, std::size_t N>
consteval std::array<nla_fn<P>, N> nla_table(
    std::initializer_list<std::pair<std::size_t, nla_fn<P>>> entries) {
  std::array<nla_fn<P>, N> t{};
  for (const auto& [type, fn] : entries) t[type] = fn;
  return t;
}

/// An array of fixed structs of `Size` bytes laid out as `Fields` (strace's print_array of
/// a struct): `[{a=1, b=2}, ...]`.
template <std::size_t Size, const auto& Fields, class P>
bool nla_struct_array(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / Size;
  if (n == 0) return false;
  put_nl_array(p, addr, n, Size, [&](const unsigned char* b, std::size_t) {
    std::string& out = p.out();
    out.push_back('{');
    field_sep f{out};
    put_nl_fields(f, Fields, b, Size);
    out.push_back('}');
  });
  return true;
}

/// A flag set in an integer T, decoded whenever the payload holds one (strace's decoders
/// that read a T and printflags it).
template <class T, const xlat& X, class P>
bool nla_flags_int(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  T v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) put_flags(p.out(), X, v);
  return true;
}
template <class T, const xlat& X, class P>
inline constexpr nla_fn<P> nla_flags_of = &nla_flags_int<T, X, P>;

/// An integer T named by `X`, decoded whenever the payload holds one (strace's decoders
/// that read a T and printxval it).
template <class T, const xlat& X, class P>
bool nla_enum(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  T v;
  bool ok;
  if (!nla_read(p, addr, len, v, ok)) return false;
  if (ok) put_enum(p.out(), X, v);
  return true;
}

/// Reads a fixed struct T of an attribute: false (bytes) when `len` is shorter, the address
/// when unreadable (returns true, `ok` false).
template <class T, class P>
bool nla_struct(P& p, std::uint64_t addr, std::uint32_t len, T& v, bool& ok) {
  return nla_read(p, addr, len, v, ok);
}

}  // namespace snare::format::detail
