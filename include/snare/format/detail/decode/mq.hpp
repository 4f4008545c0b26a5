// Defines the decoders of POSIX message queues (strace's mq.c, print_mq_attr.c): mq_open's
// name as a path and its mode and struct mq_attr only with O_CREAT, mq_notify's struct
// sigevent, mq_getsetattr's attributes with their flags by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends the struct mq_attr at `addr` (all 64 bytes are read, as strace's umove), or its
/// address: mq_flags in hex, or by name (O_NONBLOCK, the one flag a queue has) when
/// `decode_flags` (strace's printmqattr).
template <class P>
void put_mq_attr(P& p, std::uint64_t addr, bool decode_flags) {
  static constexpr xlat_entry flag_names[] = {{0x800, "O_NONBLOCK"}};  // linux/fcntl.h
  std::string& out = p.out();
  sys::abi::mq_attr a;
  if (addr == 0) return out.append("NULL"), void();
  if (!p.read_obj(addr, a)) return put_ptr(out, addr);
  field_sep f{out};
  out.push_back('{');
  if (decode_flags)
    put_flags(f("mq_flags"), xlat{{}, 0, flag_names, "0", "O_???"}, static_cast<std::uint64_t>(a.mq_flags));
  else
    put_hex(f("mq_flags"), static_cast<std::uint64_t>(a.mq_flags));
  put_dec(f("mq_maxmsg"), a.mq_maxmsg);
  put_dec(f("mq_msgsize"), a.mq_msgsize);
  put_dec(f("mq_curmsgs"), a.mq_curmsgs);
  out.push_back('}');
}

/// mq_open: the name as a path (an address when no NUL comes before memory ends); the mode
/// and attributes only with O_CREAT.
template <>
struct decoder<sys::call_id::mq_open> {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return (p.arg(1) & 0100) ? n : std::min<std::size_t>(n, 2);  // O_CREAT
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return p.put_cstring(p.arg(0), p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0), true;
    if (i == 3) return put_mq_attr(p, p.arg(3), false), true;
    return false;
  }
};

/// mq_unlink: the name as a path.
template <>
struct decoder<sys::call_id::mq_unlink> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    return p.put_cstring(p.arg(0), p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0), true;
  }
};

/// mq_notify: the struct sigevent.
template <>
struct decoder<sys::call_id::mq_notify> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    if (p.arg(1) == 0 || !put_sigevent(p, p.arg(1))) put_ptr(p.out(), p.arg(1));
    return true;
  }
};

/// mq_getsetattr: the new attributes at entry, the old ones at exit, flags by name.
template <>
struct decoder<sys::call_id::mq_getsetattr> {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i == 2;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i == 0) return false;
    if (!p.put_unfilled_pointer(i, exit)) put_mq_attr(p, p.arg(i), true);
    return true;
  }
};

}  // namespace snare::format::detail
