// Defines the decoders of time structs (strace's time.c, print_timespec.c, utimes.c):
// timespec, timeval, itimerspec, itimerval, and the file times of utime, utimes, futimesat
// and utimensat with the date each names.
#pragma once

#include <time.h>
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <type_traits>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends {tv_sec=1, tv_nsec=500}.
inline void put_timespec(std::string& out, const sys::abi::timespec& t) {
  out.append("{tv_sec=");
  put_dec(out, t.tv_sec);
  out.append(", tv_nsec=");
  put_udec(out, static_cast<std::uint64_t>(t.tv_nsec));  // strace's %llu: -1 is 18446744073709551615
  out.push_back('}');
}

/// Appends {tv_sec=1, tv_usec=500}.
inline void put_timeval(std::string& out, const sys::abi::timeval& t) {
  out.append("{tv_sec=");
  put_dec(out, t.tv_sec);
  out.append(", tv_usec=");
  put_udec(out, static_cast<std::uint64_t>(t.tv_usec));
  out.push_back('}');
}

/// Appends the struct timespec at `addr`; false when unreadable.
template <class P>
bool put_timespec_at(P& p, std::uint64_t addr) {
  sys::abi::timespec ts;
  if (!p.read_obj(addr, ts)) return false;
  put_timespec(p.out(), ts);
  return true;
}

/// Appends the struct timeval at `addr`; false when unreadable.
template <class P>
bool put_timeval_at(P& p, std::uint64_t addr) {
  sys::abi::timeval tv;
  if (!p.read_obj(addr, tv)) return false;
  put_timeval(p.out(), tv);
  return true;
}

/// Appends the struct timezone at `addr`: {tz_minuteswest=0, tz_dsttime=0}; false when
/// unreadable.
template <class P>
bool put_timezone_at(P& p, std::uint64_t addr) {
  sys::abi::timezone tz;
  if (!p.read_obj(addr, tz)) return false;
  std::string& out = p.out();
  out.append("{tz_minuteswest=");
  put_dec(out, tz.tz_minuteswest);
  out.append(", tz_dsttime=");
  put_dec(out, tz.tz_dsttime);
  out.push_back('}');
  return true;
}

/// Appends the struct itimerspec at `addr`: {it_interval={...}, it_value={...}}.
template <class P>
bool put_itimerspec(P& p, std::uint64_t addr) {
  sys::abi::itimerspec it;
  if (!p.read_obj(addr, it)) return false;
  std::string& out = p.out();
  out.append("{it_interval=");
  put_timespec(out, it.it_interval);
  out.append(", it_value=");
  put_timespec(out, it.it_value);
  out.push_back('}');
  return true;
}

/// Appends the struct itimerval at `addr`: {it_interval={...}, it_value={...}}.
template <class P>
bool put_itimerval(P& p, std::uint64_t addr) {
  sys::abi::itimerval it;
  if (!p.read_obj(addr, it)) return false;
  std::string& out = p.out();
  out.append("{it_interval=");
  put_timeval(out, it.it_interval);
  out.append(", it_value=");
  put_timeval(out, it.it_value);
  out.push_back('}');
  return true;
}

/// Appends 2023-11-14T22:13:20.5+0000: the local date and time `sec` seconds after the
/// epoch names, with `frac` as a fraction of `digits` digits when not 0; false (and nothing
/// appended) when the C library cannot convert `sec`.
inline bool put_date(std::string& out, std::int64_t sec, std::uint64_t frac, int digits) {
  const std::time_t t = static_cast<std::time_t>(sec);
  std::tm tm{};
  if (static_cast<std::int64_t>(t) != sec || ::localtime_r(&t, &tm) == nullptr) return false;
  char date[64], zone[16];
  std::size_t n = std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  std::size_t z = std::strftime(zone, sizeof zone, "%z", &tm);
  if (n == 0) return false;
  out.append(date, n);
  if (frac != 0) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, frac);
    out.push_back('.');
    for (auto len = r.ptr - buf; len < digits; ++len) out.push_back('0');
    out.append(buf, r.ptr);
  }
  out.append(zone, z);
  return true;
}

/// Appends ` /* 2023-11-14T22:13:20.5+0000 */`: the local date and time `sec` seconds after
/// the epoch names, with `frac` as a fraction of `digits` digits when not 0, as strace
/// comments a file time; nothing for the epoch itself (a zero time) or when the C library
/// cannot convert `sec`.
inline void put_time_comment(std::string& out, std::int64_t sec, std::uint64_t frac, int digits) {
  if (sec == 0 && frac == 0) return;
  std::size_t mark = out.size();
  out.append(" /* ");
  if (!put_date(out, sec, frac, digits)) return out.resize(mark);
  out.append(" */");
}

/// Appends one time of utimensat: UTIME_NOW, UTIME_OMIT, or the timespec and its date. The
/// two special times are names for -X: the timespec alone (raw) or followed by the name in
/// a comment (verbose), as strace's print_timespec_t_utime.
inline void put_utime_timespec(std::string& out, const sys::abi::timespec& t) {
  constexpr std::int64_t utime_now = (1 << 30) - 1, utime_omit = (1 << 30) - 2;
  if (t.tv_nsec == utime_now || t.tv_nsec == utime_omit)
    return put_named(out, t.tv_nsec == utime_now ? "UTIME_NOW" : "UTIME_OMIT", [&] { put_timespec(out, t); });
  put_timespec(out, t);
  if (t.tv_nsec >= 0 && t.tv_nsec < 1000000000)
    put_time_comment(out, t.tv_sec, static_cast<std::uint64_t>(t.tv_nsec), 9);
}

/// Appends one time of utimes or futimesat: the timeval and its date.
inline void put_utime_timeval(std::string& out, const sys::abi::timeval& t) {
  put_timeval(out, t);
  if (t.tv_usec >= 0 && t.tv_usec < 1000000)
    put_time_comment(out, t.tv_sec, static_cast<std::uint64_t>(t.tv_usec), 6);
}

/// Appends the access and modification times at `addr` (two T, timespec or timeval) as
/// `[atime, mtime]`: NULL, or the address when they cannot both be read.
template <class T, class P>
void put_file_times(P& p, std::uint64_t addr) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  T times[2];
  if (!p.read_obj(addr, times)) return put_hex(out, addr);
  for (std::size_t k = 0; k < 2; ++k) {
    out.append(k == 0 ? "[" : ", ");
    if constexpr (std::is_same_v<T, sys::abi::timespec>)
      put_utime_timespec(out, times[k]);
    else
      put_utime_timeval(out, times[k]);
  }
  out.push_back(']');
}

/// Appends `label`, then `t` (seconds since the epoch) and its date.
inline void put_time_field(std::string& out, std::string_view label, std::int64_t t) {
  out.append(label);
  put_dec(out, t);
  put_time_comment(out, t, 0, 0);
}

/// Appends the struct utimbuf at `addr` (utime): {actime=1 /* date */, modtime=2 /* date */}.
template <class P>
bool put_utimbuf(P& p, std::uint64_t addr) {
  sys::abi::utimbuf u;
  if (!p.read_obj(addr, u)) return false;
  put_time_field(p.out(), "{actime=", u.actime);
  put_time_field(p.out(), ", modtime=", u.modtime);
  p.out().push_back('}');
  return true;
}

/// utimes, futimesat and utimensat: the times array (argument TimesArg) of two T.
template <class T>
inline constexpr auto put_file_times_arg = [](auto& p, std::uint64_t v) { put_file_times<T>(p, v); };
template <>
struct decoder<sys::call_id::utimes> : arg_decoder<1, put_file_times_arg<sys::abi::timeval>> {};
template <>
struct decoder<sys::call_id::futimesat> : arg_decoder<2, put_file_times_arg<sys::abi::timeval>> {};
template <>
struct decoder<sys::call_id::utimensat> : arg_decoder<2, put_file_times_arg<sys::abi::timespec>> {};

/// Appends the struct sigevent at `addr` (timer_create, mq_notify) as strace does: the
/// value when its pointer is set, the signal (a number for notifications that send none),
/// the notification and its thread id or function. False when unreadable.
template <class P>
bool put_sigevent(P& p, std::uint64_t addr) {
  struct {
    std::uint64_t value;  // union sigval
    std::int32_t signo, notify;
    std::uint64_t function_or_tid, attributes;
  } ev;
  if (!p.read_obj(addr, ev)) return false;
  std::string& out = p.out();
  out.push_back('{');
  if (ev.value != 0) {
    out.append("sigev_value={sival_int=");
    put_dec(out, static_cast<std::int32_t>(ev.value));
    out.append(", sival_ptr=");
    put_ptr(out, ev.value);
    out.append("}, ");
  }
  out.append("sigev_signo=");
  bool sends = ev.notify == 0 || ev.notify == 2 || ev.notify == 4;  // SIGEV_SIGNAL, _THREAD, _THREAD_ID
  if (sends)
    put_signal(out, ev.signo);
  else
    put_udec(out, static_cast<std::uint32_t>(ev.signo));
  out.append(", sigev_notify=");
  put_enum(out, sigev_notify_xlat, static_cast<std::uint32_t>(ev.notify));
  if (ev.notify == 4) {
    out.append(", sigev_notify_thread_id=");
    put_dec(out, static_cast<std::int32_t>(ev.function_or_tid));
  } else if (ev.notify == 2) {
    out.append(", sigev_notify_function=");
    put_ptr(out, ev.function_or_tid);
    out.append(", sigev_notify_attributes=");
    put_ptr(out, ev.attributes);
  }
  out.push_back('}');
  return true;
}

/// timer_create: the struct sigevent.
template <>
struct decoder<sys::call_id::timer_create> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    if (p.arg(1) == 0 || !put_sigevent(p, p.arg(1))) put_ptr(p.out(), p.arg(1));
    return true;
  }
};

/// Returns whether a call failed with one of the kernel's restart codes (ERESTARTSYS,
/// ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK): it was interrupted.
template <class P>
bool interrupted(const P& p) noexcept {
  auto r = p.ret();
  return p.failed() && (r == -512 || r == -513 || r == -514 || r == -516);
}

/// Prints a sleep's remaining time (argument i) as strace does: the timespec only when the
/// sleep was interrupted (else the kernel left it unwritten), its address otherwise.
template <class P>
void put_remaining(P& p, std::size_t i, bool relative) {
  if (relative && interrupted(p) && p.arg(i) != 0 && put_timespec_at(p, p.arg(i))) return;
  put_ptr(p.out(), p.arg(i));
}

/// nanosleep: `rem` (strace's time.c).
template <>
struct decoder<sys::call_id::nanosleep> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    put_remaining(p, 1, true);
    return true;
  }
};

/// clock_nanosleep: `remain`, which only a relative sleep (flags 0) fills in.
template <>
struct decoder<sys::call_id::clock_nanosleep> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 3) return false;
    put_remaining(p, 3, (p.arg(1) & 0xffffffffu) == 0);
    return true;
  }
};

/// time: the result and `*tloc` with the date each names, `= 1700000000 (2023-11-14T22:13:20+0000)`.
template <>
struct decoder<sys::call_id::time> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::int64_t t;
    if (i != 0 || p.arg(0) == 0 || p.failed() || !p.read_obj(p.arg(0), t)) return false;
    p.out().push_back('[');
    put_dec(p.out(), t);
    put_time_comment(p.out(), t, 0, 0);
    p.out().push_back(']');
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    put_dec(p.out(), p.ret());
    std::size_t mark = p.out().size();
    p.out().append(" (");
    if (!put_date(p.out(), p.ret(), 0, 0)) return p.out().resize(mark);
    p.out().push_back(')');
  }
};

/// Appends a clock_t count of ticks with its seconds: `30 /* 0.30 s */` (strace's
/// print_clock_t); the count alone with -X raw.
inline void put_clock_t(std::string& out, std::uint64_t v) {
  put_udec(out, v);
  static const long tck = ::sysconf(_SC_CLK_TCK);
  if (v == 0 || tck <= 0 || xlat_raw()) return;
  int digits = 0;
  for (long t = tck; t >= 10; t /= 10) ++digits;
  auto utck = static_cast<std::uint64_t>(tck);
  out.append(" /* ");
  put_udec(out, v / utck);
  if (digits > 0) {
    out.push_back('.');
    // The fraction rounded to `digits` digits, as printf's %.*f (exact when tck is 10^digits).
    std::uint64_t scale = 1;
    for (int k = 0; k < digits; ++k) scale *= 10;
    std::uint64_t frac = ((v % utck) * scale * 2 + utck) / (2 * utck);
    std::string f = std::to_string(frac);
    out.append(static_cast<std::size_t>(digits) > f.size() ? static_cast<std::size_t>(digits) - f.size() : 0,
               '0');
    out.append(f);
  }
  out.append(" s */");
}

/// Appends the struct tms at `addr` (times(2)); false when unreadable.
template <class P>
bool put_tms(P& p, std::uint64_t addr) {
  sys::abi::tms t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  out.append("{tms_utime=");
  put_clock_t(out, static_cast<std::uint64_t>(t.tms_utime));
  out.append(", tms_stime=");
  put_clock_t(out, static_cast<std::uint64_t>(t.tms_stime));
  out.append(", tms_cutime=");
  put_clock_t(out, static_cast<std::uint64_t>(t.tms_cutime));
  out.append(", tms_cstime=");
  put_clock_t(out, static_cast<std::uint64_t>(t.tms_cstime));
  out.push_back('}');
  return true;
}

}  // namespace snare::format::detail
