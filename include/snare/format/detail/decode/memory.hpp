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

/// Appends mmap's flags: MAP_PRIVATE|MAP_ANONYMOUS, with the huge page size as
/// 21<<MAP_HUGE_SHIFT.
inline void put_mmap_flags(std::string& out, std::uint64_t v) {
  std::uint64_t huge = (v >> 26) & 0x3f;
  v &= 0xffffffffu & ~(std::uint64_t{0x3f} << 26);
  put_flags(out, mmap_flags_xlat, v);
  if (huge != 0) {
    out.push_back('|');
    put_udec(out, huge);
    out.append("<<MAP_HUGE_SHIFT");
  }
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
