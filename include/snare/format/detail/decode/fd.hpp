// Defines the decoders of descriptor calls (strace's fcntl.c, ioctl.c, poll.c, epoll.c,
// desc.c): ioctl requests, fcntl's commands and results, pollfd, epoll_event and fd_set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends an ioctl request: its name, or _IOC(dir, type, nr, size) as strace does.
inline void put_ioctl_request(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  auto name = find_name(ioctl_request_field, v);
  if (!name.empty()) {
    out.append(name);
    return;
  }
  static constexpr std::string_view dirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  out.append("_IOC(");
  out.append(dirs[(v >> 30) & 3]);
  out.append(", ");
  put_hex(out, (v >> 8) & 0xff);
  out.append(", ");
  put_hex(out, v & 0xff);
  out.append(", ");
  put_hex(out, (v >> 16) & 0x3fff);
  out.push_back(')');
}

/// Appends the struct pollfd at `addr`: {fd=3, events=POLLIN}.
template <class P>
bool put_pollfd(P& p, std::uint64_t addr) {
  sys::abi::pollfd pfd;
  if (!p.read_obj(addr, pfd)) return false;
  p.out().append("{fd=");
  p.put_fd(pfd.fd);
  p.out().append(", events=");
  put_flags(p.out(), poll_events_xlat, static_cast<std::uint16_t>(pfd.events));
  p.out().push_back('}');
  return true;
}

/// Appends the struct epoll_event at `addr`: {events=EPOLLIN, data={u32=3, u64=3}}.
template <class P>
bool put_epoll_event(P& p, std::uint64_t addr) {
  sys::abi::x86_64::epoll_event e;
  if (!p.read_obj(addr, e)) return false;
  std::string& out = p.out();
  out.append("{events=");
  put_flags(out, epoll_events_xlat, e.events);
  out.append(", data={u32=");
  put_udec(out, static_cast<std::uint32_t>(e.data));
  out.append(", u64=");
  put_udec(out, e.data);
  out.append("}}");
  return true;
}

/// Appends one of select's sets: the fds below nfds (the first argument) that are set.
template <class P>
bool put_fd_set(P& p, std::uint64_t addr) {
  std::int64_t nfds = static_cast<std::int32_t>(p.arg(0));
  if (nfds < 0 || nfds > 65536) return false;
  std::size_t bytes = static_cast<std::size_t>((nfds + 63) / 64 * 8);
  if (!p.read_exact(addr, bytes)) return false;
  const std::string& s = scratch();
  std::string& out = p.out();
  out.push_back('[');
  bool first = true;
  for (std::int64_t fd = 0; fd < nfds; ++fd) {
    if (!((static_cast<unsigned char>(s[static_cast<std::size_t>(fd / 8)]) >> (fd % 8)) & 1)) continue;
    if (!first) out.push_back(' ');
    first = false;
    put_dec(out, fd);
  }
  out.push_back(']');
  return true;
}

/// fcntl: the argument by command (flags, a signal, a number or nothing) and the F_GET*
/// results with their flags.
template <>
struct decoder<sys::call_id::fcntl> {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    switch (p.arg(1) & 0xffffffffu) {
      case 1:
      case 3:
      case 9:
      case 11:
      case 1025:
      case 1032:
      case 1034:  // F_GET{FD,FL,OWN,SIG,LEASE,PIPE_SZ,SEALS}
        return std::min<std::size_t>(n, 2);
      default:
        return n;
    }
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    std::string& out = p.out();
    std::uint64_t v = p.arg(2);
    switch (p.arg(1) & 0xffffffffu) {
      case 2: {  // F_SETFD
        static constexpr xlat_entry fd_flags[] = {{1, "FD_CLOEXEC"}};
        put_flags(out, xlat{{}, 0, fd_flags, "0", "FD_???"}, v & 0xffffffffu);
        break;
      }
      case 4:
        put_flags(out, open_xlat, v & 0xffffffffu);  // F_SETFL
        break;
      case 10:
        put_signal(out, static_cast<std::int32_t>(v));  // F_SETSIG
        break;
      case 0:
      case 8:
      case 1030:
      case 1031:  // F_DUPFD, F_SETOWN, F_DUPFD_CLOEXEC, F_SETPIPE_SZ
        put_dec(out, static_cast<std::int32_t>(v));
        break;
      default:
        put_ptr(out, v);
    }
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    std::string& out = p.out();
    auto ret = static_cast<std::uint64_t>(p.ret());
    switch (p.arg(1) & 0xffffffffu) {
      case 3:  // F_GETFL: = 0x8002 (flags O_RDWR|O_LARGEFILE)
        put_hex(out, ret);
        out.append(" (flags ");
        put_flags(out, open_xlat, ret & 0xffffffffu);
        out.push_back(')');
        return;
      case 1:  // F_GETFD: = 0x1 (flags FD_CLOEXEC)
        put_hex(out, ret);
        out.append(ret & 1 ? " (flags FD_CLOEXEC)" : "");
        return;
      default:
        p.put_return_value();
    }
  }
};

/// poll and ppoll: strace appends the revents, ` ([{fd=3, revents=POLLIN}])`, or ` (Timeout)`.
struct poll_decoder {
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    std::string& out = p.out();
    if (p.ret() == 0) return out.append(" (Timeout)"), void();
    std::size_t mark = out.size();
    out.append(" ([");
    bool any = false;
    std::uint64_t n = std::min<std::uint64_t>(p.arg(1), 1024);
    for (std::uint64_t k = 0; k < n; ++k) {
      sys::abi::pollfd pfd;
      if (!p.read_obj(p.arg(0) + k * sizeof pfd, pfd)) {
        out.resize(mark);
        return;
      }
      if (pfd.revents == 0) continue;
      if (any) out.append(", ");
      any = true;
      out.append("{fd=");
      put_dec(out, pfd.fd);
      out.append(", revents=");
      put_flags(out, poll_events_xlat, static_cast<std::uint16_t>(pfd.revents));
      out.push_back('}');
    }
    out.append("])");
  }
};
template <>
struct decoder<sys::call_id::poll> : poll_decoder {};
template <>
struct decoder<sys::call_id::ppoll> : poll_decoder {};

}  // namespace snare::format::detail
