// Defines the decoders of the NUMA memory policy calls (strace's numa.c): mbind,
// set_mempolicy, get_mempolicy, migrate_pages and move_pages, with their policy modes,
// node masks as arrays of words and move_pages' per-page status as errno names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/err.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// Names from strace's xlat/{mpol_modes,mpol_mode_flags,mbind_flags,get_mempolicy_flags,
// move_pages_flags}.in; values from <linux/mempolicy.h>.
inline constexpr xlat_entry mpol_mode_names[] = {
    {0, "MPOL_DEFAULT"},    {1, "MPOL_PREFERRED"}, {2, "MPOL_BIND"},
    {3, "MPOL_INTERLEAVE"}, {4, "MPOL_LOCAL"},     {5, "MPOL_PREFERRED_MANY"},
};
inline constexpr xlat mpol_mode_xlat{mpol_mode_names, ~std::uint64_t{0}, {}, {}, "MPOL_???"};
inline constexpr xlat_entry mpol_mode_flag_bits[] = {
    {1u << 15, "MPOL_F_STATIC_NODES"},
    {1u << 14, "MPOL_F_RELATIVE_NODES"},
    {1u << 13, "MPOL_F_NUMA_BALANCING"},
};
inline constexpr xlat mpol_mode_flags_xlat{{}, 0, mpol_mode_flag_bits, "0", "MPOL_???"};
inline constexpr xlat_entry mbind_flag_bits[] = {
    {1, "MPOL_MF_STRICT"}, {2, "MPOL_MF_MOVE"}, {4, "MPOL_MF_MOVE_ALL"}};
inline constexpr xlat mbind_flags_xlat{{}, 0, mbind_flag_bits, "0", "MPOL_???"};
inline constexpr xlat move_pages_flags_xlat{
    {}, 0, std::span<const xlat_entry>(mbind_flag_bits + 1, 2), "0", "MPOL_???"};
inline constexpr xlat_entry get_mempolicy_flag_bits[] = {
    {1, "MPOL_F_NODE"}, {2, "MPOL_F_ADDR"}, {4, "MPOL_F_MEMS_ALLOWED"}};
inline constexpr xlat get_mempolicy_flags_xlat{{}, 0, get_mempolicy_flag_bits, "0", "MPOL_???"};

/// Appends a policy mode with its mode flags: MPOL_BIND|MPOL_F_STATIC_NODES; the number
/// first unless -X abbrev, as strace's print_mode.
inline void put_mpol_mode(std::string& out, std::uint64_t v) {
  constexpr std::uint64_t flags_mask = 0xe000;
  std::uint64_t mode = v & ~flags_mask, flags = v & flags_mask;
  if (flags == 0) return put_enum(out, mpol_mode_xlat, mode);
  auto name = find_name(mpol_mode_names, mode);
  if (name.empty()) return put_flags(out, mpol_mode_flags_xlat, v);
  if (!xlat_abbrev()) put_hex(out, v);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  out.append(name).push_back('|');
  {
    xlat_style_scope abbrev(xlat_style::abbrev);
    put_flag_names(out, xlat{{}, 0, mpol_mode_flag_bits, {}, {}}, flags);
  }
  if (xlat_verbose()) out.append(" */");
}

/// Appends a node mask of `maxnodes` bits as its words in zero-padded hex:
/// [0000000000000003]; the address when the count overflows.
template <class P>
void put_nodemask(P& p, std::uint64_t addr, std::uint64_t maxnodes) {
  constexpr std::uint64_t bits = 64;
  std::uint64_t words = (maxnodes + bits - 2) / bits;
  if (words < maxnodes / bits || (maxnodes != 0 && words == 0)) return put_ptr(p.out(), addr);
  p.put_array(addr, words, 8, [&](std::uint64_t w) {
    char buf[17];
    static constexpr char digits[] = "0123456789abcdef";
    for (int k = 15; k >= 0; --k, w >>= 4) buf[k] = digits[w & 15];
    p.out().append(buf, 16);
  });
}

/// mbind: the mode, the node mask and the flags.
template <>
struct decoder<sys::call_id::mbind> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 2) return put_mpol_mode(p.out(), p.arg(2)), true;
    if (i == 3) return put_nodemask(p, p.arg(3), p.arg(4)), true;
    if (i == 5) return put_flags(p.out(), mbind_flags_xlat, static_cast<std::uint32_t>(p.arg(5))), true;
    return false;
  }
};

/// set_mempolicy: the mode (a C int) and the node mask.
template <>
struct decoder<sys::call_id::set_mempolicy> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_mpol_mode(p.out(), static_cast<std::uint32_t>(p.arg(0))), true;
    if (i == 1) return put_nodemask(p, p.arg(1), p.arg(2)), true;
    return false;
  }
};

/// get_mempolicy: everything at exit, the mode it stored as [MPOL_BIND].
template <>
struct decoder<sys::call_id::get_mempolicy> {
  template <class P>
  static bool at_exit(const P&, std::size_t) {
    return true;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    switch (i) {
      case 0: {
        std::int32_t mode = 0;
        if (p.arg(0) == 0) return out.append("NULL"), true;
        if (p.failed() || !p.read_obj(p.arg(0), mode)) return put_hex(out, p.arg(0)), true;
        out.push_back('[');
        put_enum(out, mpol_mode_xlat, static_cast<std::uint32_t>(mode));
        out.push_back(']');
        return true;
      }
      case 1:  // after a failure, a mask of words as its address
        if (p.failed() && p.arg(1) != 0 && p.arg(2) > 1) return put_hex(out, p.arg(1)), true;
        return put_nodemask(p, p.arg(1), p.arg(2)), true;
      case 4:
        return put_flags(out, get_mempolicy_flags_xlat, p.arg(4)), true;
      default:
        return false;
    }
  }
};

/// migrate_pages: the old and new node masks.
template <>
struct decoder<sys::call_id::migrate_pages> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 2 || i == 3) return put_nodemask(p, p.arg(i), p.arg(1)), true;
    return false;
  }
};

/// move_pages: the pages and nodes at entry, each page's status (a node or -EFAULT) and
/// the flags at exit.
template <>
struct decoder<sys::call_id::move_pages> {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i >= 4;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::string& out = p.out();
    std::uint64_t n = p.arg(1);
    switch (i) {
      case 2:
        p.put_array(p.arg(2), n, 8, [&](std::uint64_t v) { put_ptr(out, v); });
        return true;
      case 3:
        p.put_array(p.arg(3), n, 4, [&](std::uint64_t v) { put_dec(out, static_cast<std::int32_t>(v)); });
        return true;
      case 4:
        if (exit && p.failed() && p.arg(4) != 0 && n != 0) return put_hex(out, p.arg(4)), true;
        p.put_array(p.arg(4), n, 4,
                    [&](std::uint64_t v) { put_err(out, static_cast<std::int32_t>(v), true); });
        return true;
      case 5:
        return put_flags(out, move_pages_flags_xlat, static_cast<std::uint32_t>(p.arg(5))), true;
      default:
        return false;
    }
  }
};

}  // namespace snare::format::detail
