// Defines the small append-only writers the formatter is built on: decimal, hex and
// octal numbers and strace-style quoted strings, all appending to a std::string.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace snare::format::detail {

/// Appends `v` in signed decimal.
inline void put_dec(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Appends `v` in unsigned decimal.
inline void put_udec(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// Appends `v` as strace's `%#lx` does: "0x1f", and "0" for zero.
inline void put_hex(std::string& out, std::uint64_t v) {
  if (v == 0) {
    out.push_back('0');
    return;
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  out.append("0x");
  out.append(buf, r.ptr);
}

/// Appends `v` as strace's `%#03o` does: "0644", "022", "000".
inline void put_octal(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 8);
  std::size_t digits = static_cast<std::size_t>(r.ptr - buf);
  std::size_t width = v == 0 ? digits : digits + 1;  // '#' adds a leading 0 unless v is 0
  for (; width < 3; ++width) out.push_back('0');
  if (v != 0) out.push_back('0');
  out.append(buf, r.ptr);
}

/// Appends a pointer: "NULL" for 0, else hex.
inline void put_ptr(std::string& out, std::uint64_t v) {
  if (v == 0)
    out.append("NULL");
  else
    put_hex(out, v);
}

/// Appends the 16 bytes at `u` as a UUID, 8-4-4-4-12 lowercase hex digits in byte order
/// (strace's PRINT_FIELD_UUID; btrfs and TEE ioctls).
inline void put_uuid(std::string& out, const unsigned char* u) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[u[i] >> 4]), out.push_back(hex[u[i] & 15]);
  }
}

/// Appends `bytes` quoted and escaped as strace does by default: \t \n \v \f \r \" \\ by
/// name, other non-printables in the shortest octal unless the next byte is an octal
/// digit (then three digits). With `force_hex` every byte is \xNN (strace's getrandom).
/// `hex_strings` is options::hex_strings (strace -x, -xx).
/// `escape` lists printable bytes to print in octal too, and `quotes` false leaves out the
/// quotes (strace's QUOTE_OMIT_LEADING_TRAILING_QUOTES with "<>", for paths in `<...>`).
inline void put_quoted(std::string& out, std::span<const unsigned char> bytes, bool force_hex = false,
                       int hex_strings = 0, std::string_view escape = {}, bool quotes = true) {
  static constexpr char digits[] = "0123456789abcdef";
  if (hex_strings == 2) force_hex = true;
  if (hex_strings == 1) {
    for (unsigned char c : bytes) {
      if (c > 0x7e || (c < ' ' && (c < '\t' || c > '\r'))) {
        force_hex = true;
        break;
      }
    }
  }
  if (quotes) out.push_back('"');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned c = bytes[i];
    if (force_hex) {
      out.append("\\x");
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\v':
        out.append("\\v");
        break;
      default:
        if (c >= ' ' && c <= 0x7e && escape.find(static_cast<char>(c)) == std::string_view::npos) {
          out.push_back(static_cast<char>(c));
        } else if (hex_strings == 3) {
          out.append("\\x");
          out.push_back(digits[c >> 4]);
          out.push_back(digits[c & 15]);
        } else {
          out.push_back('\\');
          bool next_is_octal = i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
          if (next_is_octal || (c >> 6) != 0) out.push_back(static_cast<char>('0' + (c >> 6)));
          if (next_is_octal || (c >> 3) != 0) out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
          out.push_back(static_cast<char>('0' + (c & 7)));
        }
    }
  }
  if (quotes) out.push_back('"');
}

/// Appends `s` quoted and escaped (see the span overload).
inline void put_quoted(std::string& out, std::string_view s, bool force_hex = false, int hex_strings = 0) {
  put_quoted(out, std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s.data()), s.size()),
             force_hex, hex_strings);
}

/// Appends `, name=` (no comma before the first field of a struct): strace's
/// tprint_struct_next and tprints_field_name.
struct field_sep {
  std::string& out;
  bool first = true;
  std::string& operator()(std::string_view name) {
    if (!first) out.append(", ");
    first = false;
    return out.append(name).append("=");
  }
  /// Appends `, ` alone (a field that prints its own name, as inet_pton's).
  void next() {
    if (!first) out.append(", ");
    first = false;
  }
};

}  // namespace snare::format::detail
