// Defines where the test guest programs (tests/guests) are: each built dynamically linked and
// static from the same source (tests/guests/CMakeLists.txt).
#pragma once

#include <string>

#ifndef SNARE_GUEST_DIR
#error "SNARE_GUEST_DIR must name the folder of the test guest programs"
#endif

namespace snare::test {

/// Returns the path of test guest program `name` (tests/guests/<name>.c), dynamically linked.
inline std::string guest_path(const char* name) {
  return std::string(SNARE_GUEST_DIR) + "/snare_guest_" + name;
}

/// Returns the path of the static build of test guest program `name` (gcc -static), for
/// backends that run static executables only.
inline std::string static_guest_path(const char* name) {
  return std::string(SNARE_GUEST_DIR) + "/static/snare_guest_" + name;
}

}  // namespace snare::test
