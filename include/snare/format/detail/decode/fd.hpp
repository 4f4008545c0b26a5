// Defines the decoders of descriptor calls (strace's poll.c, epoll.c, desc.c): pollfd,
// epoll_event and fd_set (fcntl lives in fcntl.hpp, ioctl in ioctl.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends the struct pollfd at `addr`: {fd=3, events=POLLIN}.
template <class P>
bool put_pollfd(P& p, std::uint64_t addr) {
  sys::abi::pollfd pfd;
  if (!p.read_obj(addr, pfd)) return false;
  p.out().append("{fd=");
  p.put_fd(pfd.fd);
  if (pfd.fd >= 0) {  // the kernel ignores a negative fd's events, and strace omits them
    p.out().append(", events=");
    put_flags(p.out(), poll_events_xlat, static_cast<std::uint16_t>(pfd.events));
  }
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

/// poll and ppoll: strace appends the revents, ` ([{fd=3, revents=POLLIN}])`, ppoll the time
/// left (`, left {tv_sec=0, tv_nsec=5}`), or ` (Timeout)`, within strace's 1024-byte buffer
/// (decode_poll_exiting): an unreadable element ends the list with its address.
template <std::size_t Timeout>
struct poll_decoder {
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    std::string& out = p.out();
    if (p.ret() == 0) return out.append(" (Timeout)"), void();
    constexpr std::size_t cap = 1024;
    std::string s;
    const auto nfds = static_cast<std::uint32_t>(p.arg(1));
    const std::uint64_t start = p.arg(0), end = start + sizeof(sys::abi::pollfd) * std::uint64_t{nfds};
    if (start == 0 || nfds == 0 || end < start) return;
    std::size_t printed = 0;
    for (std::uint64_t cur = start; cur < end; cur += sizeof(sys::abi::pollfd)) {
      sys::abi::pollfd pfd;
      bool ok = p.read_obj(cur, pfd);
      if (ok && pfd.revents == 0) continue;
      s.append(s.empty() ? "[" : ", ");
      if (!ok) {
        put_hex(s, cur);
        break;
      }
      if (!p.opts().verbose && printed >= p.opts().string_limit) {
        s.append("...");
        break;
      }
      std::string item = "{fd=";
      put_dec(item, pfd.fd);
      item.append(", revents=");
      put_flags(item, poll_events_xlat, static_cast<std::uint16_t>(pfd.revents));
      if (s.size() + item.size() + 1 >= cap - (2 + 2 * sizeof(long) + sizeof(", ], ..."))) {
        s.append("...");
        break;
      }
      s.append(item);
      s.push_back('}');
      ++printed;
    }
    if (!s.empty()) s.push_back(']');
    if constexpr (Timeout != 0) {
      if (std::uint64_t ts = p.arg(Timeout); ts != 0) {
        std::string t;
        sys::abi::timespec v;
        if (p.read_obj(ts, v))
          put_timespec(t, v);
        else
          put_hex(t, ts);
        if (s.size() + sizeof(", left ") + t.size() < cap) {
          s.append(s.empty() ? "left " : ", left ");
          s.append(t);
        } else {
          s.append(", ...");
        }
      }
    }
    if (s.empty()) return;
    out.append(" (");
    out.append(s);
    out.push_back(')');
  }
};
/// epoll_ctl: EPOLL_CTL_DEL's event is not read, its address prints (strace's epoll.c).
template <>
struct decoder<sys::call_id::epoll_ctl> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 3 || (p.arg(1) & 0xffffffffu) != 2) return false;
    put_ptr(p.out(), p.arg(3));
    return true;
  }
};

/// epoll_pwait2: its timeout and sigmask print at exit, with the events (strace's
/// epoll_pwait_common), so a failed call shows their addresses, as strace's
/// umove_or_printaddr does for every read at the exit of a failed call.
template <>
struct decoder<sys::call_id::epoll_pwait2> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if ((i != 3 && i != 4) || !exit || !p.failed() || p.arg(i) == 0) return false;
    put_hex(p.out(), p.arg(i));
    return true;
  }
};

template <>
struct decoder<sys::call_id::poll> : poll_decoder<0> {};
template <>
struct decoder<sys::call_id::ppoll> : poll_decoder<2> {};

/// pidfd_open: its flags (PIDFD_NONBLOCK) by name, as strace's pidfd.c.
template <>
struct decoder<sys::call_id::pidfd_open> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    put_flags(p.out(), pidfd_open_flags_xlat, p.arg(1) & 0xffffffffu);
    return true;
  }
};

/// pidfd_getfd: targetfd is an fd of the process the pidfd refers to (strace's
/// printfd_pid_tracee_ns), shown with its path when that is the traced process.
template <>
struct decoder<sys::call_id::pidfd_getfd> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    auto fd = static_cast<std::int32_t>(p.arg(1));
    long pid = p.pidfd_pid(static_cast<std::int32_t>(p.arg(0)));
    if (pid > 0)
      p.put_fd_in(pid, fd);
    else
      put_dec(p.out(), fd);
    return true;
  }
};

/// fanotify_init: the notification class, then the other flags (strace's fanotify.c).
template <>
struct decoder<sys::call_id::fanotify_init> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    static constexpr xlat_entry classes[] = {
        {0x0, "FAN_CLASS_NOTIF"}, {0x4, "FAN_CLASS_CONTENT"}, {0x8, "FAN_CLASS_PRE_CONTENT"}};
    static constexpr xlat_entry bits[] = {{0x1, "FAN_CLOEXEC"},
                                          {0x2, "FAN_NONBLOCK"},
                                          {0x10, "FAN_UNLIMITED_QUEUE"},
                                          {0x20, "FAN_UNLIMITED_MARKS"},
                                          {0x40, "FAN_ENABLE_AUDIT"},
                                          {0x80, "FAN_REPORT_PIDFD"},
                                          {0x100, "FAN_REPORT_TID"},
                                          {0x200, "FAN_REPORT_FID"},
                                          {0x400, "FAN_REPORT_DIR_FID"},
                                          {0x800, "FAN_REPORT_NAME"},
                                          {0x1000, "FAN_REPORT_TARGET_FID"}};
    if (i != 0) return false;
    auto v = static_cast<std::uint32_t>(p.arg(0));
    std::string& out = p.out();
    put_enum(out, xlat{classes, ~std::uint64_t{0}, {}, {}, "FAN_CLASS_???"}, v & 0xc);  // FAN_ALL_CLASS_BITS
    if ((v & ~0xcu) != 0) {
      out.push_back('|');
      put_flags(out, xlat{{}, 0, bits, "0", "FAN_???"}, v & ~0xcu);
    }
    return true;
  }
};

/// fanotify_mark (strace's fanotify.c): the flags as an int, the 64-bit event mask, and
/// FAN_NOFD (-1) by name where a dirfd goes; the fds and the path as the table prints them.
template <>
struct decoder<sys::call_id::fanotify_mark> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    if (i == 1) return put_flags(out, fan_mark_flags_xlat, p.arg(1) & 0xffffffffu), true;
    if (i == 2) return put_flags(out, fan_event_flags_xlat, p.arg(2)), true;
    if (i != 3 || static_cast<std::int32_t>(p.arg(3)) != -1) return false;
    put_named(out, "FAN_NOFD", [&] { out.append("-1"); });
    return true;
  }
};

}  // namespace snare::format::detail
