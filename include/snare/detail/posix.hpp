// Defines the one seam through which snare makes raw system calls, with EINTR retry.
#pragma once

#include <cerrno>

#include <snare/result.hpp>

namespace snare::detail {

/// Calls `f()` again while it fails with EINTR; returns its last return value.
template <class F>
auto retry_eintr(F&& f) noexcept(noexcept(f())) {
  for (;;) {
    auto r = f();
    if (!(r == -1 && errno == EINTR)) return r;
  }
}

/// Runs a POSIX-style call (returning -1 and setting errno on failure) with EINTR retry,
/// and returns its value or the errno as a result.
template <class F>
auto checked(F&& f) noexcept(noexcept(f())) -> result<decltype(f())> {
  auto r = retry_eintr(f);
  if (r == -1) return result<decltype(f())>::from_errno(errno);
  return r;
}

}  // namespace snare::detail
