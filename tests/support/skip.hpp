// Defines snare::test::skip: ends the current test case as skipped, with a visible reason.
#pragma once

#include <cstdio>
#include <cstdlib>

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

}  // namespace snare::test
