// Defines what the per-family ioctl decoders under decode/ioctl/ share (strace's hdio.c,
// fiemap, seccomp_ioctl.c, ...): a table entry per request giving its name and the shape
// of its argument, the printer of the common shapes, and the step protocol by which the
// ioctl decoder calls a family at a call's entry and again at its exit.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// What a family decoder did with a request (strace's 0 / RVAL_IOCTL_DECODED):
/// `unknown`: not one of its requests (nothing printed); `done`: the argument is complete;
/// `more`: call again at exit (an out- or in-out argument); `no_arg`: the request takes no
/// argument, none is shown (`ioctl(3, NBD_DO_IT)`).
enum class ioctl_step : unsigned char { unknown, done, more, no_arg };

/// The shape of a request's third argument. `_out` shapes are filled in by the kernel:
/// printed at exit, as the address when the call failed.
enum class ioctl_shape : unsigned char {
  custom,           ///< the family's own printer
  none,             ///< no argument: nothing is shown
  fd,               ///< the value as an fd
  hex,              ///< the value in hex
  ptr,              ///< an address: NULL or hex (strace's printaddr)
  ulong_value,      ///< the value in unsigned decimal
  int_value,        ///< (int) the value, in decimal
  flags_value,      ///< the low 32 bits as flags of the entry's table (strace's printflags)
  enum_value,       ///< the low 32 bits as one name of the entry's table (printxval)
  flags64_value,    ///< the value as flags (printflags64)
  enum64_value,     ///< the value as one name (printxval64)
  ulong_out,        ///< [unsigned long]
  flags_ulong_out,  ///< [flags] of an unsigned long
  enum_ulong_out,   ///< [name] of an unsigned long
  int_out,          ///< [int]
  uint_out,         ///< [unsigned int]
  ushort_out,       ///< [unsigned short]
  long_out,         ///< [long]
  u64_out,          ///< [uint64]
  int_in,           ///< [int], read at entry
  uint_in,          ///< [unsigned int], read at entry
  i64_in,           ///< [int64], read at entry
  u64_pair_in,      ///< [uint64, uint64], read at entry
  xint_array_in,    ///< `n` unsigned ints in hex, read at entry: [0x1, 0x2, 0x3]
  bytes_out,        ///< `n` bytes as a string (strace's printstrn)
};

/// Returns whether the kernel fills in an argument of shape `s` (printed at exit).
constexpr bool is_out_shape(ioctl_shape s) noexcept {
  switch (s) {
    case ioctl_shape::ulong_out:
    case ioctl_shape::flags_ulong_out:
    case ioctl_shape::enum_ulong_out:
    case ioctl_shape::int_out:
    case ioctl_shape::uint_out:
    case ioctl_shape::ushort_out:
    case ioctl_shape::long_out:
    case ioctl_shape::u64_out:
    case ioctl_shape::bytes_out:
      return true;
    default:
      return false;
  }
}

/// One request of a family: its number (x86-64), name, and argument shape; `x` names flags
/// and values, `n` counts array elements or bytes. Tables are sorted by `code`.
struct ioctl_entry {
  std::uint32_t code;
  std::string_view name;
  ioctl_shape shape = ioctl_shape::custom;
  const xlat* x = nullptr;
  std::uint32_t n = 0;
};

/// Returns the entry of `code` in the sorted `table`, or null.
inline const ioctl_entry* find_ioctl_entry(std::span<const ioctl_entry> table, std::uint32_t code) noexcept {
  auto it = std::lower_bound(table.begin(), table.end(), code,
                             [](const ioctl_entry& e, std::uint32_t c) { return e.code < c; });
  return it != table.end() && it->code == code ? &*it : nullptr;
}

/// Returns whether `table` is sorted by code with no repeats (for static_assert).
constexpr bool ioctl_table_sorted(std::span<const ioctl_entry> table) noexcept {
  for (std::size_t i = 1; i < table.size(); ++i)
    if (table[i - 1].code >= table[i].code) return false;
  return true;
}

/// Appends `[v]` of the T at `addr` through `put`, or the address when unreadable (strace's
/// umove_or_printaddr).
template <class T, class P, class Put>
void put_ioctl_indirect(P& p, std::uint64_t addr, Put put) {
  T v;
  if (!p.read_obj(addr, v)) return put_ptr(p.out(), addr);
  p.out().push_back('[');
  put(v);
  p.out().push_back(']');
}

/// Appends `count` structs of `size` bytes (at most 256) at `addr` as strace's print_array:
/// NULL, `[]`, `[{...}, ...]` cut at the string limit unless verbose, `[{...}, ... /* addr
/// */]` where memory ends, or the address when the first cannot be read. `put(bytes)`
/// prints one from its bytes.
template <class P, class Put>
void put_ioctl_structs(P& p, std::uint64_t addr, std::uint64_t count, std::size_t size, Put put) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  unsigned char buf[256];
  if (size > sizeof buf) return put_hex(out, addr);
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.read_exact(addr + k * size, size)) {
      if (k == 0) return out.resize(mark), put_hex(out, addr);
      p.put_unreadable_tail(addr + k * size);
      break;
    }
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    std::memcpy(buf, scratch().data(), size);
    put(static_cast<const unsigned char*>(buf));
  }
  out.push_back(']');
}

/// Appends the NUL-terminated string in a field of `n` bytes (strace's
/// print_quoted_cstring): at most n - 1 of its bytes, and `...` after them when the field
/// holds no NUL.
template <class P>
void put_ioctl_cstring(P& p, const unsigned char* s, std::size_t n) {
  if (n == 0) return p.out().append("\"\""), void();
  const void* nul = std::memchr(s, 0, n - 1);
  std::size_t len = nul ? static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - s) : n - 1;
  put_quoted(p.out(), std::span<const unsigned char>(s, len), false, p.opts().hex_strings);
  if (!nul && s[n - 1] != 0) p.out().append("...");
}

/// Returns the T at byte `off` of `bytes` (a struct read whole).
template <class T>
T ioctl_field(const unsigned char* bytes, std::size_t off) noexcept {
  T v;
  std::memcpy(&v, bytes + off, sizeof v);
  return v;
}

/// Prints argument `arg` of a request of shape `e.shape` at entry (`exit` false) or exit;
/// `custom` is the caller's. Returns the step.
template <class P>
ioctl_step put_ioctl_shape(P& p, const ioctl_entry& e, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  if (e.shape == ioctl_shape::custom) return ioctl_step::unknown;
  if (exit && !is_out_shape(e.shape)) return ioctl_step::done;  // printed whole at entry
  switch (e.shape) {
    case ioctl_shape::none:
      return ioctl_step::no_arg;
    case ioctl_shape::fd:
      return p.put_fd(static_cast<std::int32_t>(arg)), ioctl_step::done;
    case ioctl_shape::hex:
      return put_hex(out, arg), ioctl_step::done;
    case ioctl_shape::ptr:
      return put_ptr(out, arg), ioctl_step::done;
    case ioctl_shape::ulong_value:
      return put_udec(out, arg), ioctl_step::done;
    case ioctl_shape::int_value:
      return put_dec(out, static_cast<std::int32_t>(arg)), ioctl_step::done;
    case ioctl_shape::flags_value:
      return put_flags(out, *e.x, static_cast<std::uint32_t>(arg)), ioctl_step::done;
    case ioctl_shape::enum_value:
      return put_enum(out, *e.x, static_cast<std::uint32_t>(arg)), ioctl_step::done;
    case ioctl_shape::flags64_value:
      return put_flags(out, *e.x, arg), ioctl_step::done;
    case ioctl_shape::enum64_value:
      return put_enum(out, *e.x, arg), ioctl_step::done;
    case ioctl_shape::int_in:
      put_ioctl_indirect<std::int32_t>(p, arg, [&](std::int32_t v) { put_dec(out, v); });
      return ioctl_step::done;
    case ioctl_shape::uint_in:
      put_ioctl_indirect<std::uint32_t>(p, arg, [&](std::uint32_t v) { put_udec(out, v); });
      return ioctl_step::done;
    case ioctl_shape::i64_in:
      put_ioctl_indirect<std::int64_t>(p, arg, [&](std::int64_t v) { put_dec(out, v); });
      return ioctl_step::done;
    case ioctl_shape::u64_pair_in: {
      std::uint64_t pair[2];
      if (!p.read_obj(arg, pair)) return put_ptr(out, arg), ioctl_step::done;
      out.push_back('['), put_udec(out, pair[0]), out.append(", "), put_udec(out, pair[1]),
          out.push_back(']');
      return ioctl_step::done;
    }
    case ioctl_shape::xint_array_in:
      p.put_array(arg, e.n, 4, [&](std::uint64_t v) { put_hex(out, v); });
      return ioctl_step::done;
    default:
      break;
  }
  // The out-shapes: nothing at entry, the value the kernel wrote at exit.
  if (!exit) return ioctl_step::more;
  if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
  switch (e.shape) {
    case ioctl_shape::ulong_out:
      put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_udec(out, v); });
      break;
    case ioctl_shape::flags_ulong_out:
      put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_flags(out, *e.x, v); });
      break;
    case ioctl_shape::enum_ulong_out:
      put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_enum(out, *e.x, v); });
      break;
    case ioctl_shape::int_out:
      put_ioctl_indirect<std::int32_t>(p, arg, [&](std::int32_t v) { put_dec(out, v); });
      break;
    case ioctl_shape::uint_out:
      put_ioctl_indirect<std::uint32_t>(p, arg, [&](std::uint32_t v) { put_udec(out, v); });
      break;
    case ioctl_shape::ushort_out:
      put_ioctl_indirect<std::uint16_t>(p, arg, [&](std::uint16_t v) { put_udec(out, v); });
      break;
    case ioctl_shape::long_out:
      put_ioctl_indirect<std::int64_t>(p, arg, [&](std::int64_t v) { put_dec(out, v); });
      break;
    case ioctl_shape::u64_out:
      put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_udec(out, v); });
      break;
    case ioctl_shape::bytes_out:
      p.put_buffer(arg, e.n);
      break;
    default:
      break;
  }
  return ioctl_step::done;
}

}  // namespace snare::format::detail
