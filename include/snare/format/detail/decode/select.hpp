// Defines the decoders of select and pselect6 (strace's desc.c decode_select): the three
// fd sets below nfds, pselect6's {sigmask, sigsetsize} pair, and the result's comment
// `(in [3], out [4], left {tv_sec=0, tv_usec=5})` or `(Timeout)`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Returns select's nfds as the kernel reads it: the low 32 bits as an int, negative as 0,
/// at most 1024*1024 (strace's bound against select(INT_MAX, ...)).
constexpr std::int32_t select_nfds(std::uint64_t arg) noexcept {
  auto n = static_cast<std::int32_t>(arg);
  return n < 0 ? 0 : n > 1024 * 1024 ? 1024 * 1024 : n;
}

/// Returns the bytes of one fd set of `nfds` fds, in whole words (the kernel's unit).
constexpr std::size_t select_set_bytes(std::int32_t nfds) noexcept {
  return (static_cast<std::size_t>(nfds) + 63) / 64 * 8;
}

/// Reads the fd set at `addr` for `nfds` fds into the scratch buffer; false when `addr` is
/// NULL, nfds is 0 or the set is unreadable.
template <class P>
bool read_select_set(P& p, std::uint64_t addr, std::int32_t nfds) {
  return addr != 0 && nfds > 0 && p.read_exact(addr, select_set_bytes(nfds));
}

/// Returns whether fd `fd` is set in the set `bits` (the scratch buffer read_select_set filled).
inline bool select_fd_isset(std::string_view bits, std::int32_t fd) noexcept {
  return (static_cast<unsigned char>(bits[static_cast<std::size_t>(fd) / 8]) >> (fd % 8)) & 1;
}

/// Appends one of select's sets: `[3 4]` with each fd as put_fd prints it (its path with
/// -y); NULL, or the address when nfds is 0 or the set unreadable.
template <class P>
void put_select_set(P& p, std::uint64_t addr, std::int32_t nfds) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  if (!read_select_set(p, addr, nfds)) return put_hex(out, addr);
  const std::string bits = scratch();  // put_fd may use the scratch buffer
  out.push_back('[');
  bool first = true;
  for (std::int32_t fd = 0; fd < nfds; ++fd) {
    if (!select_fd_isset(bits, fd)) continue;
    if (!first) out.push_back(' ');
    first = false;
    p.put_fd(fd);
  }
  out.push_back(']');
}

/// Appends the comment strace puts after select's result (its auxstr, within its 1024-byte
/// buffer): the ready fds of each set, `in [3], out [4 5], except [6]`, at most as many as
/// the result counts, then `left ` and the time the timeout at `timeout` holds. An empty
/// set after a printed one adds a `]` of its own, as strace's loop does.
template <class P, class Time>
void put_select_result(P& p, std::int64_t ready, std::uint64_t timeout) {
  constexpr std::size_t cap = 1024, room = cap - (sizeof(", except [") + sizeof(int) * 3 + 2);
  std::int32_t nfds = select_nfds(p.arg(0));
  std::string s;
  const char* sep = "";
  static constexpr const char* names[] = {"in", "out", "except"};
  for (std::size_t i = 0; i < 3 && ready > 0; ++i) {
    if (!read_select_set(p, p.arg(i + 1), nfds)) continue;
    const std::string& bits = scratch();
    bool first = true;
    for (std::int32_t fd = 0; fd < nfds; ++fd) {
      if (!select_fd_isset(bits, fd)) continue;
      if (s.size() < room) {
        if (first) {
          s.append(sep);
          s.append(names[i]);
          s.append(" [");
          first = false;
          sep = ", ";
        } else {
          s.push_back(' ');
        }
        put_dec(s, fd);
      }
      if (--ready == 0) break;
    }
    if (!s.empty()) s.push_back(']');
  }
  if (timeout != 0) {
    std::string t;
    Time v;
    if (!p.read_obj(timeout, v))
      put_hex(t, timeout);
    else if constexpr (std::is_same_v<Time, sys::abi::timeval>)
      put_timeval(t, v);
    else
      put_timespec(t, v);
    if (s.size() + sizeof("left ") + std::strlen(sep) + t.size() < cap) {
      s.append(sep);
      s.append("left ");
      s.append(t);
    }
  }
  p.out().append(" (");
  p.out().append(s);
  p.out().push_back(')');
}

/// select: the sets with their fds (decimal nfds), the timeval; after the result, the
/// ready fds and the time left, or `(Timeout)`.
template <>
struct decoder<sys::call_id::select> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(0))), true;
    if (i > 3) return false;
    put_select_set(p, p.arg(i), select_nfds(p.arg(0)));
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    if (p.ret() == 0) return p.out().append(" (Timeout)"), void();
    put_select_result<P, sys::abi::timeval>(p, p.ret(), p.arg(4));
  }
};

/// pselect6: as select with a timespec, then the kernel's {sigmask, sigsetsize} pair
/// (strace's print_kernel_sigset): `{sigmask=[HUP CHLD], sigsetsize=8}`.
template <>
struct decoder<sys::call_id::pselect6> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 5) return decoder<sys::call_id::select>::put_arg(p, i, exit);
    std::string& out = p.out();
    struct {
      std::uint64_t sigmask;
      std::uint64_t sigsetsize;
    } sas;
    if (p.arg(5) == 0) return out.append("NULL"), true;
    if (!p.read_obj(p.arg(5), sas)) return put_hex(out, p.arg(5)), true;
    out.append("{sigmask=");
    if (sas.sigmask == 0)
      out.append("NULL");
    else if (!put_sigset_at(p, sas.sigmask, sas.sigsetsize))
      put_hex(out, sas.sigmask);
    out.append(", sigsetsize=");
    put_udec(out, sas.sigsetsize);
    out.push_back('}');
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    if (p.ret() == 0) return p.out().append(" (Timeout)"), void();
    put_select_result<P, sys::abi::timespec>(p, p.ret(), p.arg(4));
  }
};

}  // namespace snare::format::detail
