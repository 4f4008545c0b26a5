// Defines what the conformance laws share: skipping with a capability's name, a host
// feature's reason or a subject's statement; running a command; capturing the guest's
// stdout. The tools that keep their results in the global state are in tools.hpp.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/host.hpp>
#include <snare/tracer.hpp>

#include "tools.hpp"

namespace snare::test::conformance {

/// Ends the law as skipped: Backend lacks capability `c`.
template <class Backend>
[[noreturn]] void skip_lacking(capability c) {
  std::string why =
      "the " + std::string(Backend::name) + " backend lacks capability " + std::string(name_of(c));
  skip(why.c_str());
}

/// Ends the law as skipped, with the probe's reason, unless the host has every feature
/// Backend itself needs (Backend::host_requirements).
template <class Backend>
void require_backend_host() {
  for (snare::host_feature f : Backend::host_requirements) require_host(f);
}

/// Ends the law as skipped with `reason` (a subject's statement) unless it is null.
inline void skip_if(const char* reason) {
  if (reason) skip(reason);
}

/// Returns `o` with the in_guest backend's tool object for Tool (Tool::in_guest_object, built
/// by tests/conformance/CMakeLists.txt into SNARE_CONFORMANCE_OBJECT_DIR); on that backend
/// a tool without one ends the law as skipped. Other backends take `o` as it is.
template <class Tool>
snare::run_options with_tool_object(snare::run_options o = {}) {
  if (std::string_view(Tool::backend::name) != "in_guest") return o;
  if constexpr (requires { Tool::in_guest_object; }) {
#ifdef SNARE_CONFORMANCE_OBJECT_DIR
    // One per tool type, alive for the process: run_options keeps a pointer.
    static const std::string path =
        std::string(SNARE_CONFORMANCE_OBJECT_DIR) + "/snare_conformance_" + Tool::in_guest_object + ".so";
    o.in_guest_object = path.c_str();
#endif
  } else {
    skip(
        "the in_guest backend runs this law's tool in the guest, and the tool keeps what the law checks "
        "in its own members, not in its global state: it is not built as an in-guest tool object "
        "(laws/tools.hpp)");
  }
  return o;
}

/// Checks that `told` thread ends were told, `expected` of them, some of which ended without
/// calling exit; where the subject says its backend misses those, warns with its reason.
template <class Subject>
void check_silent_thread_ends(long told, long expected) {
  if (Subject::misses_silent_thread_ends) {
    WARN("thread ends left unchecked (" << told << " told of " << expected
                                        << "): " << Subject::misses_silent_thread_ends);
  } else {
    CHECK(told == expected);
  }
}

/// Runs argv under Tool's backend with default options (the in_guest tool object included).
template <class Tool>
int run_cmd(Tool& tool, const std::vector<std::string>& argv) {
  return snare::run<typename Tool::backend>(tool, argv, with_tool_object<Tool>());
}

/// What a law's run gives: the guest's exit code and the run's global state (what the
/// handlers told it through g.global().call, wherever they ran).
template <class Tool>
struct law_run {
  int code = -1;
  snare::global_state_t<Tool> state{};
};

/// Runs argv under Tool's backend with `o` (the in_guest tool object added) and returns the
/// exit code and the global state.
template <class Tool>
law_run<Tool> run_law(Tool& tool, const std::vector<std::string>& argv, snare::run_options o = {}) {
  snare::tracer<typename Tool::backend, Tool> tr(tool, with_tool_object<Tool>(o));
  law_run<Tool> r;
  r.code = tr.run(argv);
  r.state = std::move(tr.global_state());
  return r;
}

/// Runs f() with this process's stdout (which the guest inherits or shares) in a memfd,
/// and returns what was written there.
template <class F>
std::string capture_stdout(F&& f) {
  int out = ::memfd_create("conformance-out", MFD_CLOEXEC);
  REQUIRE(out >= 0);
  std::fflush(nullptr);
  int saved = ::dup(1);
  ::dup2(out, 1);
  try {
    f();
  } catch (...) {
    ::dup2(saved, 1);
    ::close(saved);
    ::close(out);
    throw;
  }
  std::fflush(nullptr);
  ::dup2(saved, 1);
  ::close(saved);
  std::string s;
  char buf[4096];
  ::lseek(out, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(out, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
  ::close(out);
  return s;
}

}  // namespace snare::test::conformance
