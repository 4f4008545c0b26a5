// Defines xlat, a table of symbolic names for one flag set or enumeration, and how a
// value is printed with it (O_RDONLY|O_CLOEXEC, F_GETFL, 0x63 /* AF_??? */).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>

namespace snare::format::detail {

/// Names one value.
struct xlat_entry {
  std::uint64_t value;
  std::string_view name;
};

/// Names the values of one set: an optional enumerated field under `field_mask` (the
/// access mode of open flags, the socket type; all bits for a plain enumeration), then
/// single bits or multi-bit groups in print order.
struct xlat {
  std::span<const xlat_entry> field;
  std::uint64_t field_mask = 0;
  std::span<const xlat_entry> bits;
  std::string_view zero;     ///< printed for 0 when no field value names it ("PROT_NONE", "0")
  std::string_view unknown;  ///< comment for a value nothing names ("F_???"); empty: plain hex
  bool decimal = false;      ///< print `10 /* NAME */` and `99 /* NAME_??? */` (strace's syslog)
};

/// Returns the name of `v` in `entries`, or an empty view.
inline std::string_view find_name(std::span<const xlat_entry> entries, std::uint64_t v) noexcept {
  for (const auto& e : entries)
    if (e.value == v) return e.name;
  return {};
}

/// Appends a value nothing names: "0x63 /* AF_??? */" (strace's style), or "99 /* X_??? */"
/// for a decimal table.
inline void put_unknown(std::string& out, const xlat& x, std::uint64_t v) {
  if (x.decimal)
    put_udec(out, v);
  else
    put_hex(out, v);
  if (!x.unknown.empty()) {
    out.append(" /* ");
    out.append(x.unknown);
    out.append(" */");
  }
}

/// Appends `v` as one value of an enumeration.
inline void put_enum(std::string& out, const xlat& x, std::uint64_t v) {
  auto name = find_name(x.field, v);
  if (name.empty()) return put_unknown(out, x, v);
  if (!x.decimal) return out.append(name), void();
  put_udec(out, v);
  out.append(" /* ");
  out.append(name);
  out.append(" */");
}

/// Appends `v` as a set of flags: the field's name first, then each named bit group in
/// table order, then leftover bits in hex (O_RDONLY|0x800000), as strace does.
inline void put_flags(std::string& out, const xlat& x, std::uint64_t v) {
  if (x.field_mask == ~std::uint64_t{0}) {
    put_enum(out, x, v);
    return;
  }
  bool any = false;
  auto sep = [&] {
    if (any) out.push_back('|');
    any = true;
  };
  if (!x.field.empty()) {
    auto name = find_name(x.field, v & x.field_mask);
    if (!name.empty()) {
      sep();
      out.append(name);
      v &= ~x.field_mask;
    }
  }
  for (const auto& e : x.bits) {
    if (e.value != 0 && (v & e.value) == e.value) {
      sep();
      out.append(e.name);
      v &= ~e.value;
    }
  }
  if (v != 0) {
    if (any) {
      out.push_back('|');
      put_hex(out, v);
    } else {
      put_unknown(out, x, v);
    }
  } else if (!any) {
    if (x.zero.empty())
      out.push_back('0');
    else
      out.append(x.zero);
  }
}

}  // namespace snare::format::detail
