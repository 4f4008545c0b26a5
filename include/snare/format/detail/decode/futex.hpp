// Defines the decoders of futex and futex_waitv (strace's futex.c, futex_waitv.c): the
// arguments each futex operation reads, FUTEX_WAKE_OP's encoded operation, and the array
// of struct futex_waitv.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include <snare/format/detail/decode/array.hpp>
#include <snare/format/detail/decode/process.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends FUTEX_WAKE_OP's val3 as strace decodes it:
/// `FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0x2`.
inline void put_futex_wake_op(std::string& out, std::uint32_t v) {
  static constexpr xlat_entry ops[] = {{0, "FUTEX_OP_SET"},
                                       {1, "FUTEX_OP_ADD"},
                                       {2, "FUTEX_OP_OR"},
                                       {3, "FUTEX_OP_ANDN"},
                                       {4, "FUTEX_OP_XOR"}};
  static constexpr xlat_entry cmps[] = {{0, "FUTEX_OP_CMP_EQ"}, {1, "FUTEX_OP_CMP_NE"},
                                        {2, "FUTEX_OP_CMP_LT"}, {3, "FUTEX_OP_CMP_LE"},
                                        {4, "FUTEX_OP_CMP_GT"}, {5, "FUTEX_OP_CMP_GE"}};
  // One named field: its name (or hex), `<<shift`, then the unknown-value comment.
  auto field = [&](std::span<const xlat_entry> names, std::uint32_t val, const char* shift,
                   const char* unknown) {
    auto name = find_name(names, val);
    put_named(out, name, [&] { put_hex(out, val); });
    out.append(shift);
    if (name.empty()) {
      out.append(" /* ");
      out.append(unknown);
      out.append(" */");
    }
  };
  if ((v >> 28) & 8) {
    put_named(out, "FUTEX_OP_OPARG_SHIFT", [&] { out.append("0x8"); });
    out.append("<<28|");
  }
  field(ops, (v >> 28) & 7, "<<28", "FUTEX_OP_???");
  out.push_back('|');
  put_hex(out, (v >> 12) & 0xfff);
  out.append("<<12|");
  field(cmps, (v >> 24) & 0xf, "<<24", "FUTEX_OP_CMP_???");
  out.push_back('|');
  put_hex(out, v & 0xfff);
}

/// futex as strace's do_futex: the operation's own arguments, all at entry; the timeout as a
/// timespec for the waits, val2 in its place for the requeues and FUTEX_WAKE_OP.
template <>
struct decoder<sys::call_id::futex> {
  template <class P>
  static void put_args(P& p, bool exit) {
    if (exit) return;
    std::string& out = p.out();
    const auto op = static_cast<std::uint32_t>(p.arg(1));
    const std::uint32_t cmd = op & 0x7f, val = static_cast<std::uint32_t>(p.arg(2)),
                        val2 = static_cast<std::uint32_t>(p.arg(3)),
                        val3 = static_cast<std::uint32_t>(p.arg(5));
    auto next = [&] { out.append(", "); };
    auto u = [&](std::uint32_t v) { next(), put_udec(out, v); };
    auto addr = [&](std::uint64_t a) { next(), put_ptr(out, a); };
    auto timeout = [&] {
      next();
      if (p.arg(3) == 0) return out.append("NULL"), void();
      if (!put_timespec_at(p, p.arg(3))) put_hex(out, p.arg(3));
    };
    auto bitset = [&] {
      next();
      put_named(out, val3 == 0xffffffffu ? "FUTEX_BITSET_MATCH_ANY" : "", [&] { put_hex(out, val3); });
    };
    put_ptr(out, p.arg(0));
    next();
    put_futex_op(out, op);
    switch (cmd) {
      case 0:  // FUTEX_WAIT
        return u(val), timeout();
      case 6:   // FUTEX_LOCK_PI
      case 13:  // FUTEX_LOCK_PI2
        return timeout();
      case 9:  // FUTEX_WAIT_BITSET
        return u(val), timeout(), bitset();
      case 10:  // FUTEX_WAKE_BITSET
        return u(val), bitset();
      case 3:  // FUTEX_REQUEUE
        return u(val), u(val2), addr(p.arg(4));
      case 4:   // FUTEX_CMP_REQUEUE
      case 12:  // FUTEX_CMP_REQUEUE_PI
        return u(val), u(val2), addr(p.arg(4)), u(val3);
      case 5:  // FUTEX_WAKE_OP
        u(val), u(val2), addr(p.arg(4)), next();
        return put_futex_wake_op(out, val3);
      case 11:  // FUTEX_WAIT_REQUEUE_PI
        return u(val), timeout(), addr(p.arg(4));
      case 1:  // FUTEX_WAKE
      case 2:  // FUTEX_FD
        return u(val);
      case 7:  // FUTEX_UNLOCK_PI
      case 8:  // FUTEX_TRYLOCK_PI
        return;
      default:
        u(val), addr(p.arg(3)), addr(p.arg(4)), next();
        return put_hex(out, val3);
    }
  }
};

/// futex_waitv: the waiters (at most FUTEX_WAITV_MAX, 128, printed), nr_futexes, the flags
/// in hex, the timeout and the clock (strace's futex_waitv.c).
template <>
struct decoder<sys::call_id::futex_waitv> {
  struct waiter {
    std::uint64_t val, uaddr;
    std::uint32_t flags, reserved;
  };
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    if (i == 2) return put_hex(out, static_cast<std::uint32_t>(p.arg(2))), true;
    if (i != 0) return false;
    static constexpr xlat_entry flags[] = {{2, "FUTEX_32"}, {128, "FUTEX_PRIVATE_FLAG"}};
    std::size_t count = 0;
    put_array_of<waiter>(p, p.arg(0), static_cast<std::uint32_t>(p.arg(1)), [&](const waiter& w) {
      if (count++ >= 128) return out.append("..."), false;
      out.append("{val=");
      put_hex(out, w.val);
      out.append(", uaddr=");
      put_ptr(out, w.uaddr);
      out.append(", flags=");
      put_flags(out, xlat{{}, 0, flags, "0", "FUTEX_???"}, w.flags);
      if (w.reserved != 0) {
        out.append(", __reserved=");
        put_hex(out, w.reserved);
      }
      out.push_back('}');
      return true;
    });
    return true;
  }
};

}  // namespace snare::format::detail
