// Defines the decoders of time structs (strace's time.c, print_timespec.c): timespec,
// timeval, itimerspec and itimerval.
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/out.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends {tv_sec=1, tv_nsec=500}.
inline void put_timespec(std::string& out, const sys::abi::timespec& t) {
  out.append("{tv_sec=");
  put_dec(out, t.tv_sec);
  out.append(", tv_nsec=");
  put_dec(out, t.tv_nsec);
  out.push_back('}');
}

/// Appends {tv_sec=1, tv_usec=500}.
inline void put_timeval(std::string& out, const sys::abi::timeval& t) {
  out.append("{tv_sec=");
  put_dec(out, t.tv_sec);
  out.append(", tv_usec=");
  put_dec(out, t.tv_usec);
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

}  // namespace snare::format::detail
