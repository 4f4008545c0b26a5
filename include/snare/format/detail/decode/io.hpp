// Defines the decoders of data transfer (strace's io.c, random.c): iovec arrays cut to
// the bytes a call moved, and getrandom's buffer in hex.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends the struct iovec at `addr`, showing at most `budget` bytes (and spending them):
/// input vectors show iov_len bytes, output ones only what the call filled in.
template <class P>
bool put_iovec(P& p, std::uint64_t addr, std::uint64_t& budget) {
  sys::abi::iovec iov;
  if (!p.read_obj(addr, iov)) return false;
  std::string& out = p.out();
  out.append("{iov_base=");
  if (p.addresses_only()) {  // a failed read: the buffers hold nothing (strace's IOV_DECODE_ADDR)
    put_ptr(out, iov.iov_base);
  } else {
    std::uint64_t len = std::min(iov.iov_len, budget);
    budget -= len;
    p.put_buffer(iov.iov_base, len);
  }
  out.append(", iov_len=");
  put_udec(out, iov.iov_len);
  out.push_back('}');
  return true;
}

/// Appends an iovec array of `count` vectors (cut at string_limit), each showing at most
/// `budget` bytes in all; the address alone when the first cannot be read.
template <class P>
void put_iovecs(P& p, std::uint64_t addr, std::uint64_t count, std::uint64_t& budget) {
  std::string& out = p.out();
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {  // read first; -v shows all
      if (p.read_exact(addr + k * sizeof(sys::abi::iovec), sizeof(sys::abi::iovec)))
        out.append("...");
      else if (k == 0)
        return out.resize(mark), put_hex(out, addr);
      else
        p.put_unreadable_tail(addr + k * sizeof(sys::abi::iovec));
      break;
    }
    if (!put_iovec(p, addr + k * sizeof(sys::abi::iovec), budget)) {
      if (k == 0) {
        out.resize(mark);
        return put_hex(out, addr);
      }
      p.put_unreadable_tail(addr + k * sizeof(sys::abi::iovec));
      break;
    }
  }
  out.push_back(']');
}

/// getrandom: the random bytes print as \xNN escapes.
template <>
struct decoder<sys::call_id::getrandom> {
  static constexpr bool hex_buffers = true;
};

/// preadv2 and pwritev2 on a 64-bit kernel: the offset is one register, so strace shows no
/// pos_h and prints the flags fifth (preadv2(fd, iov, 3, 0, RWF_HIPRI)).
struct rwv2_decoder {
  template <class P>
  static std::size_t shown_args(const P&, std::size_t n) {
    return std::min<std::size_t>(n, 5);
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 4) return false;
    put_flags(p.out(), rwf_flags_xlat, p.arg(5) & 0xffffffffu);
    return true;
  }
};
template <>
struct decoder<sys::call_id::preadv2> : rwv2_decoder {};
template <>
struct decoder<sys::call_id::pwritev2> : rwv2_decoder {};

}  // namespace snare::format::detail
