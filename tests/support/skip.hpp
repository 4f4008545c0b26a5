// Defines snare::test::skip: ends the current test case as skipped, with a visible reason.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include <snare/host.hpp>

namespace snare::test {

/// The exit code CTest maps to "skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt).
inline constexpr int skip_return_code = 77;

/// Prints why the test case cannot run here and exits so that CTest reports a skip. Each
/// test case runs as its own CTest test, so no other case is lost.
[[noreturn]] inline void skip(const char* reason) {
  std::fprintf(stderr, "SKIPPED: %s\n", reason);
  std::fflush(nullptr);
  std::_Exit(skip_return_code);
}

/// Skips the test case, with the probe's reason, unless the host has feature `f`.
inline void require_host(host_feature f) {
  const auto& p = host_features().get(f);
  if (p.available) return;
  std::string why = "host feature " + std::string(name_of(f)) + " is absent: " + p.reason;
  skip(why.c_str());
}

}  // namespace snare::test
