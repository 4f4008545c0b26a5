// Defines what the conformance laws share: skipping with a capability's name, a host
// feature's reason or a subject's statement; running a command; capturing the guest's
// stdout; the event-counting tools.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/host.hpp>
#include <snare/tracer.hpp>

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

/// Runs argv under Tool's backend with default options.
template <class Tool>
int run_cmd(Tool& tool, const std::vector<std::string>& argv) {
  return snare::run<typename Tool::backend>(tool, argv);
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

/// Counts every lifecycle event and getppid calls; remembers the tids of started threads.
template <class Backend>
struct lifecycle_counter {
  using backend = Backend;
  long getppid = 0, thread_starts = 0, thread_exits = 0, process_starts = 0, process_exits = 0, execs = 0;
  int last_status = -1;
  std::set<pid_t> started_tids;
  void on(snare::sys::getppid, auto&) { ++getppid; }
  void on_thread_start(auto& g) {
    ++thread_starts;
    started_tids.insert(g.tid());
  }
  void on_thread_exit(auto&) { ++thread_exits; }
  void on_process_start(auto&) { ++process_starts; }
  void on_process_exit(int status, auto&) {
    ++process_exits;
    last_status = status;
  }
  void on_exec(auto&) { ++execs; }
};

/// Counts every syscall through a generic handler, and the processes started and ended.
template <class Backend>
struct every_call_counter {
  using backend = Backend;
  long calls = 0, typed = 0, process_starts = 0;
  int last_status = -1;
  void on(auto call, auto&) {
    ++calls;
    if constexpr (snare::sys::typed_call<decltype(call)>) ++typed;
  }
  void on_process_start(auto&) { ++process_starts; }
  void on_process_exit(int status, auto&) { last_status = status; }
};

}  // namespace snare::test::conformance
