// Defines xlat, a table of symbolic names for one flag set or enumeration, and how a
// value is printed with it in each of strace's -X styles (O_RDONLY|O_CLOEXEC, F_GETFL,
// 0x63 /* AF_??? */; raw: 0x80002; verbose: 0x80002 /* O_RDWR|O_CLOEXEC */).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/options.hpp>

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

/// Returns the -X style of the call being formatted on this thread. The format entry points
/// set it for the length of one call (xlat_style_scope), so that every flag and enum
/// printer, and every decoder built on them, honours -X without carrying the options.
inline xlat_style& current_xlat_style() noexcept {
  static thread_local xlat_style style = xlat_style::abbrev;
  return style;
}

/// Sets the thread's -X style until the end of the scope (restoring the previous one).
class xlat_style_scope {
 public:
  explicit xlat_style_scope(xlat_style s) noexcept : saved_(current_xlat_style()) {
    current_xlat_style() = s;
  }
  ~xlat_style_scope() { current_xlat_style() = saved_; }
  xlat_style_scope(const xlat_style_scope&) = delete;
  xlat_style_scope& operator=(const xlat_style_scope&) = delete;

 private:
  xlat_style saved_;
};

/// Returns whether names print alone (-X abbrev, the default).
inline bool xlat_abbrev() noexcept { return current_xlat_style() == xlat_style::abbrev; }
/// Returns whether constants print as numbers only (-X raw).
inline bool xlat_raw() noexcept { return current_xlat_style() == xlat_style::raw; }
/// Returns whether names print in a comment after the number (-X verbose).
inline bool xlat_verbose() noexcept { return current_xlat_style() == xlat_style::verbose; }

/// Appends what strace's print_xlat_ex prints for a constant whose name is `name` (empty:
/// none) and whose number `number` appends: the name (abbrev; the number when unnamed),
/// the number (raw), or `number /* name */` (verbose).
template <class Number>
void put_named(std::string& out, std::string_view name, Number&& number) {
  if (name.empty() || !xlat_abbrev()) number();
  if (name.empty() || xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  out.append(name);
  if (xlat_verbose()) out.append(" */");
}

/// Appends a kernel version as strace's print_kernel_version (bpf's kern_version, v4l2's
/// capability version): KERNEL_VERSION(4, 19, 0), the number in hex with -X raw, both with
/// -X verbose.
inline void put_kernel_version(std::string& out, std::uint32_t v) {
  std::string text = "KERNEL_VERSION(";
  put_udec(text, v >> 16);
  text.append(", ");
  put_udec(text, (v >> 8) & 0xff);
  text.append(", ");
  put_udec(text, v & 0xff);
  text.push_back(')');
  put_named(out, text, [&] { put_hex(out, v); });
}

/// Returns the name of `v` in `entries`, or an empty view.
inline std::string_view find_name(std::span<const xlat_entry> entries, std::uint64_t v) noexcept {
  for (const auto& e : entries)
    if (e.value == v) return e.name;
  return {};
}

/// Appends the number of `v` in the table's base: hex, or decimal for a decimal table.
inline void put_xlat_number(std::string& out, const xlat& x, std::uint64_t v) {
  if (x.decimal)
    put_udec(out, v);
  else
    put_hex(out, v);
}

/// Appends a value nothing names: "0x63 /* AF_??? */" (strace's style), or "99 /* X_??? */"
/// for a decimal table; the number alone with -X raw.
inline void put_unknown(std::string& out, const xlat& x, std::uint64_t v) {
  put_xlat_number(out, x, v);
  if (!x.unknown.empty() && !xlat_raw()) {
    out.append(" /* ");
    out.append(x.unknown);
    out.append(" */");
  }
}

/// Appends `v` as one value of an enumeration: its name (-X abbrev), its number (raw), or
/// both, `0x1 /* F_GETFD */` (verbose); an unnamed value as put_unknown.
inline void put_enum(std::string& out, const xlat& x, std::uint64_t v) {
  if (xlat_raw()) return put_xlat_number(out, x, v);
  auto name = find_name(x.field, v);
  if (name.empty()) return put_unknown(out, x, v);
  if (!x.decimal && xlat_abbrev()) return out.append(name), void();
  put_xlat_number(out, x, v);
  out.append(" /* ");
  out.append(name);
  out.append(" */");
}

/// Appends the names of flag set `v` (-X abbrev); returns whether one name was printed.
inline bool put_flag_names(std::string& out, const xlat& x, std::uint64_t v) {
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
    // A name for zero ("PROT_NONE") counts as a name; "0" or nothing does not.
    bool named = !x.zero.empty() && x.zero != "0";
    out.append(x.zero.empty() ? std::string_view("0") : x.zero);
    return named;
  }
  return any;
}

/// Appends `v` as a set of flags: the field's name first, then each named bit group in
/// table order, then leftover bits in hex (O_RDONLY|0x800000), as strace does; with -X raw
/// the number alone, with -X verbose the number and the names in a comment
/// (`0x80000 /* O_RDONLY|O_CLOEXEC */`, `0 /* PROT_NONE */`).
inline void put_flags(std::string& out, const xlat& x, std::uint64_t v) {
  if (x.field_mask == ~std::uint64_t{0}) return put_enum(out, x, v);
  if (xlat_raw()) return put_xlat_number(out, x, v);
  if (xlat_abbrev()) return put_flag_names(out, x, v), void();
  std::string names;
  if (!put_flag_names(names, x, v)) return v == 0 ? out.append(names), void() : put_unknown(out, x, v);
  put_xlat_number(out, x, v);
  out.append(" /* ");
  out.append(names);
  out.append(" */");
}

}  // namespace snare::format::detail
