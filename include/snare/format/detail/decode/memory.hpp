// Defines the decoders of memory calls (strace's mem.c, membarrier.c): mmap's flags with
// the huge page size, mmap's offset in hex, membarrier and rseq.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends mmap's flags as strace's print_mmap_flags: the mapping type, the other bits,
/// the huge page size as 21<<MAP_HUGE_SHIFT (MAP_PRIVATE|MAP_ANONYMOUS); with -X raw the
/// number alone, with -X verbose the number and all that in a comment.
inline void put_mmap_flags(std::string& out, std::uint64_t v) {
  if (!xlat_abbrev()) put_hex(out, v);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  {
    xlat_style_scope abbrev(xlat_style::abbrev);  // the parts print by name inside the comment
    std::uint64_t type = v & 0xf;
    auto name = find_name(mmap_flags_field, type);
    if (name.empty())
      put_unknown(out, mmap_flags_xlat, type);
    else
      out.append(name);
    constexpr std::uint64_t huge_mask = std::uint64_t{0x3f} << 26;  // MAP_HUGE_MASK << MAP_HUGE_SHIFT
    std::uint64_t huge = v & huge_mask & 0xffffffffu;
    std::uint64_t rest = v & ~std::uint64_t{0xf} & ~huge_mask;
    if (rest != 0) {
      out.push_back('|');
      put_flag_names(out, xlat{{}, 0, mmap_flags_bits, {}, {}}, rest);
    }
    if (huge != 0) {
      out.push_back('|');
      put_udec(out, huge >> 26);
      out.append("<<MAP_HUGE_SHIFT");
    }
  }
  if (xlat_verbose()) out.append(" */");
}

/// mmap: the offset in hex.
template <>
struct decoder<sys::call_id::mmap> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 5) return false;
    put_hex(p.out(), p.arg(5));
    return true;
  }
};

/// remap_file_pages: prot in all 64 bits (strace's printflags64).
template <>
struct decoder<sys::call_id::remap_file_pages> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    put_flags(p.out(), mmap_prot_xlat, p.arg(2));
    return true;
  }
};

/// memfd_create: the name as the kernel reads it (at most 250 bytes with the NUL); the
/// flags with the huge page size as 30<<MFD_HUGE_SHIFT, the number first unless -X abbrev.
template <>
struct decoder<sys::call_id::memfd_create> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return p.put_cstring_n(p.arg(0), 250), true;  // MFD_NAME_MAX_LEN + 1
    if (i != 1) return false;
    std::string& out = p.out();
    auto v = static_cast<std::uint32_t>(p.arg(1));
    if (v == 0 || !xlat_abbrev()) put_hex(out, v);
    if (v == 0 || xlat_raw()) return true;
    if (xlat_verbose()) out.append(" /* ");
    {
      xlat_style_scope abbrev(xlat_style::abbrev);
      constexpr std::uint32_t huge_mask = 0x3fu << 26;  // MFD_HUGE_MASK << MFD_HUGE_SHIFT
      std::uint32_t huge = v & huge_mask, flags = v & ~huge_mask;
      if (flags != 0 || huge == 0) put_flag_names(out, memfd_create_xlat, flags);
      if (huge != 0) {
        if (flags != 0) out.push_back('|');
        put_udec(out, huge >> 26);
        out.append("<<MFD_HUGE_SHIFT");
      }
    }
    if (xlat_verbose()) out.append(" */");
    return true;
  }
  // strace 6.1's memfd_create_flags: MFD_NOEXEC_SEAL and MFD_EXEC came later.
  static constexpr xlat_entry bits[] = {
      {0x1, "MFD_CLOEXEC"}, {0x2, "MFD_ALLOW_SEALING"}, {0x4, "MFD_HUGETLB"}};
  static constexpr xlat memfd_create_xlat{{}, 0, bits, {}, "MFD_???"};
};

/// pkey_alloc: the access rights in all 64 bits (strace's pkeys.c).
template <>
struct decoder<sys::call_id::pkey_alloc> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    static constexpr xlat_entry bits[] = {
        {0x1, "PKEY_DISABLE_ACCESS"}, {0x2, "PKEY_DISABLE_WRITE"}, {0x4, "PKEY_DISABLE_EXECUTE"}};
    if (i != 1) return false;
    put_flags(p.out(), xlat{{}, 0, bits, "0", "PKEY_???"}, p.arg(1));
    return true;
  }
};

/// pkey_mprotect: prot in all 64 bits, as remap_file_pages'.
template <>
struct decoder<sys::call_id::pkey_mprotect> : decoder<sys::call_id::remap_file_pages> {};

/// userfaultfd: its flags (strace's uffd_flags).
template <>
struct decoder<sys::call_id::userfaultfd> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    static constexpr xlat_entry bits[] = {
        {0x1, "UFFD_USER_MODE_ONLY"}, {0x800, "O_NONBLOCK"}, {0x80000, "O_CLOEXEC"}};
    if (i != 0) return false;
    put_flags(p.out(), xlat{{}, 0, bits, "0", "UFFD_???"}, static_cast<std::uint32_t>(p.arg(0)));
    return true;
  }
};

/// mincore: at exit, each page's residency bit, one per page of the length (strace's mem.c);
/// the address after a failure.
template <>
struct decoder<sys::call_id::mincore> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 2 || !exit) return false;
    if (p.failed() && p.arg(2) != 0) return put_hex(p.out(), p.arg(2)), true;
    constexpr std::uint64_t page = 4096;
    std::uint64_t pages = p.arg(1) / page + (p.arg(1) % page != 0 ? 1 : 0);
    p.put_array(p.arg(2), pages, 1, [&](std::uint64_t v) { put_udec(p.out(), v & 1); });
    return true;
  }
};

/// membarrier: cpu_id only with MEMBARRIER_CMD_FLAG_CPU; MEMBARRIER_CMD_QUERY's result as
/// the commands it names, as strace does: = 0x1ff (MEMBARRIER_CMD_GLOBAL|...).
template <>
struct decoder<sys::call_id::membarrier> {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return (p.arg(1) & 1) != 0 ? n : std::min<std::size_t>(n, 2);
  }
  template <class P>
  static void put_return(P& p) {
    if ((p.arg(0) & 0xffffffffu) != 0) return p.put_return_value();
    auto ret = static_cast<std::uint64_t>(p.ret());
    put_hex(p.out(), ret);
    p.out().append(" (");
    put_flags(p.out(), xlat{{}, 0, membarrier_cmd_xlat.field, {}, {}}, ret);
    p.out().push_back(')');
  }
};

/// mremap: new_address only when MREMAP_MAYMOVE|MREMAP_FIXED ask for it (strace's mem.c).
template <>
struct decoder<sys::call_id::mremap> {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return (p.arg(3) & 3) == 3 ? n : std::min<std::size_t>(n, 4);
  }
};

/// rseq: every argument raw, as strace 6.1 prints it (it has no rseq decoder): the area's
/// address in hex even when NULL, the flags in hex (RSEQ_FLAG_UNREGISTER is 0x1).
template <>
struct decoder<sys::call_id::rseq> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    put_hex(p.out(), i == 2 ? p.arg(i) & 0xffffffffu : p.arg(i));
    return true;
  }
};

/// memfd_secret: its flags (O_CLOEXEC), unknown bits in hex (strace's memfd_secret.c).
template <>
struct decoder<sys::call_id::memfd_secret> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    put_flags(p.out(), memfd_secret_flags_xlat, static_cast<std::uint32_t>(p.arg(0)));
    return true;
  }
};

}  // namespace snare::format::detail
