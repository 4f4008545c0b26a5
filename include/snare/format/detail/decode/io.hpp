// Defines the decoders of data transfer (strace's io.c, random.c, io_uring.c): iovec arrays
// cut to the bytes a call moved, getrandom's buffer in hex, io_uring_setup's struct
// io_uring_params and io_uring_enter's flags.
#pragma once

#include <linux/io_uring.h>

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
/// input vectors show iov_len bytes, output ones only what the call filled in; with
/// `addresses` the buffer's address alone.
template <class P>
bool put_iovec(P& p, std::uint64_t addr, std::uint64_t& budget, bool addresses = false) {
  sys::abi::iovec iov;
  if (!p.read_obj(addr, iov)) return false;
  std::string& out = p.out();
  out.append("{iov_base=");
  // A failed read: the buffers hold nothing (strace's IOV_DECODE_ADDR).
  if (addresses || p.addresses_only()) {
    put_ptr(out, iov.iov_base);
  } else {
    std::uint64_t len = std::min(iov.iov_len, budget);
    if (budget != ~std::uint64_t{0}) budget -= len;  // all ones: no limit, as strace's data_size -1
    p.put_buffer(iov.iov_base, len);
  }
  out.append(", iov_len=");
  put_udec(out, iov.iov_len);
  out.push_back('}');
  return true;
}

/// Appends an iovec array of `count` vectors (cut at string_limit), each showing at most
/// `budget` bytes in all (or with `addresses` its buffer's address); the address alone
/// when the first cannot be read.
template <class P>
void put_iovecs(P& p, std::uint64_t addr, std::uint64_t count, std::uint64_t& budget,
                bool addresses = false) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
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
    if (!put_iovec(p, addr + k * sizeof(sys::abi::iovec), budget, addresses)) {
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

/// process_vm_readv, process_vm_writev: the other process's vectors as addresses (its
/// memory is not the traced thread's), the flags in decimal (strace's process_vm.c).
struct process_vm_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 5) return put_udec(p.out(), p.arg(5)), true;
    if (i != 3) return false;
    std::uint64_t budget = ~std::uint64_t{0};
    put_iovecs(p, p.arg(3), p.arg(4), budget, true);
    return true;
  }
};
template <>
struct decoder<sys::call_id::process_vm_readv> : process_vm_decoder {};
template <>
struct decoder<sys::call_id::process_vm_writev> : process_vm_decoder {};

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

inline void put_ring_offsets(std::string& out, const io_sqring_offsets& o) {
  out.push_back('{');
  field_sep f{out};
  put_udec(f("head"), o.head);
  put_udec(f("tail"), o.tail);
  put_udec(f("ring_mask"), o.ring_mask);
  put_udec(f("ring_entries"), o.ring_entries);
  put_udec(f("flags"), o.flags);
  put_udec(f("dropped"), o.dropped);
  put_udec(f("array"), o.array);
  if (o.resv1) put_hex(f("resv1"), o.resv1);
  if (o.resv2) put_hex(f("resv2"), o.resv2);
  out.push_back('}');
}
inline void put_ring_offsets(std::string& out, const io_cqring_offsets& o) {
  out.push_back('{');
  field_sep f{out};
  put_udec(f("head"), o.head);
  put_udec(f("tail"), o.tail);
  put_udec(f("ring_mask"), o.ring_mask);
  put_udec(f("ring_entries"), o.ring_entries);
  put_udec(f("overflow"), o.overflow);
  put_udec(f("cqes"), o.cqes);
  put_udec(f("flags"), o.flags);
  if (o.resv1) put_hex(f("resv1"), o.resv1);
  if (o.resv2) put_hex(f("resv2"), o.resv2);
  out.push_back('}');
}

/// io_uring_setup: struct io_uring_params as strace prints it, what the caller sets at
/// entry (`{flags=..., sq_thread_cpu=..., sq_thread_idle=..., wq_fd=...`) and, after a
/// successful call, what the kernel filled in (`sq_entries=..., sq_off={...}, ...}`).
template <>
struct decoder<sys::call_id::io_uring_setup> {
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    io_uring_params params;
    std::uint64_t addr = p.arg(1);
    if (!exit) {
      put_udec(out, static_cast<std::uint32_t>(p.arg(0)));
      out.append(", ");
      if (addr == 0) return out.append("NULL"), void();
      if (!p.read_obj(addr, params)) return put_ptr(out, addr);
      out.push_back('{');
      field_sep f{out};
      put_flags(f("flags"), uring_setup_flags_xlat, params.flags);
      put_hex(f("sq_thread_cpu"), params.sq_thread_cpu);
      put_udec(f("sq_thread_idle"), params.sq_thread_idle);
      if (params.flags & IORING_SETUP_ATTACH_WQ)
        f("wq_fd"), p.put_fd(static_cast<std::int32_t>(params.wq_fd));
      if (params.resv[0] || params.resv[1] || params.resv[2]) {
        std::string& o = f("resv");
        o.push_back('[');
        for (std::size_t i = 0; i < std::size(params.resv); ++i) {
          if (i) o.append(", ");
          put_hex(o, params.resv[i]);
        }
        o.push_back(']');
      }
      return;
    }
    if (addr == 0 || !p.read_obj(addr, params)) return;  // the entry printed the address
    if (!p.failed()) {
      field_sep f{out, false};
      put_udec(f("sq_entries"), params.sq_entries);
      put_udec(f("cq_entries"), params.cq_entries);
      put_flags(f("features"), uring_setup_features_xlat, params.features);
      put_ring_offsets(f("sq_off"), params.sq_off);
      put_ring_offsets(f("cq_off"), params.cq_off);
    }
    out.push_back('}');
  }
};

/// io_uring_enter: its flags by name (IORING_ENTER_GETEVENTS|...).
template <>
struct decoder<sys::call_id::io_uring_enter> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 3) return false;
    put_flags(p.out(), uring_enter_flags_xlat, static_cast<std::uint32_t>(p.arg(3)));
    return true;
  }
};

/// sendfile and sendfile64: the offset read at entry, `[0] => [35499]` when a call that
/// moved bytes changed it, the address alone when unreadable (strace's sendfile.c; an off_t,
/// or a 32-bit one for i386's sendfile, printed unsigned).
struct sendfile_decoder {
  template <class P>
  static bool read_offset(P& p, std::uint64_t& v) {
    if (p.desc().args[2].type != sys::struct_id::int_) return p.read_obj(p.arg(2), v);
    std::uint32_t v32 = 0;
    bool ok = p.read_obj(p.arg(2), v32);
    v = v32;
    return ok;
  }
  // Appends `[offset]`; false (the address or NULL appended) when there is none to read.
  template <class P>
  static bool put_offset(P& p) {
    std::string& out = p.out();
    std::uint64_t v = 0;
    if (p.arg(2) == 0) return out.append("NULL"), false;
    if (!read_offset(p, v)) return put_ptr(out, p.arg(2)), false;
    out.push_back('[');
    put_udec(out, v);
    out.push_back(']');
    return true;
  }
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    std::uint64_t v = 0;
    if (!exit) {
      p.put_fd(static_cast<std::int32_t>(p.arg(0)));
      out.append(", ");
      p.put_fd(static_cast<std::int32_t>(p.arg(1)));
      out.append(", ");
      if (put_offset(p)) return;  // the count follows at exit, after the new offset
    } else {
      if (p.arg(2) == 0 || !read_offset(p, v)) return;  // all printed at entry
      if (!p.failed() && p.ret() != 0) {
        out.append(" => ");
        put_offset(p);
      }
    }
    out.append(", ");
    put_udec(out, p.arg(3));
  }
};
template <>
struct decoder<sys::call_id::sendfile> : sendfile_decoder {};
template <>
struct decoder<sys::call_id::sendfile64> : sendfile_decoder {};

}  // namespace snare::format::detail
