// Defines the list of backends the engine conformance tests run over, and where the test
// guest programs are. Other backends add themselves to snare::test::backends here.
#pragma once

#include <string>
#include <tuple>

#include <snare/backend/ptrace.hpp>

#ifndef SNARE_GUEST_DIR
#error "SNARE_GUEST_DIR must name the folder of the test guest programs"
#endif

namespace snare::test {

/// The backends every conformance test case runs with (TEMPLATE_LIST_TEST_CASE).
using backends = std::tuple<snare::backend::ptrace>;

/// Returns the path of test guest program `name` (tests/guests/<name>.c).
inline std::string guest_path(const char* name) {
  return std::string(SNARE_GUEST_DIR) + "/snare_guest_" + name;
}

}  // namespace snare::test
