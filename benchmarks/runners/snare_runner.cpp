// Defines bench_snare_<backend>: runs a command under snare with one backend (chosen at build
// time by SNARE_BENCH_BACKEND and SNARE_BENCH_BACKEND_HEADER) and a tool that either handles
// getppid with an empty handler or subscribes to nothing, for benchmarks/compare.
//
//   bench_snare_<backend> --subscribe=getppid|none [--pin=CPU] -- command [args...]
//
// With --subscribe=getppid it prints "bench_snare: <n> getppid handled" on stderr at the end,
// so the driver can check that the calls were trapped (a handler that is never called
// measures nothing). Exits with the command's exit code (snare::run's), 125 on a bad command
// line or when this machine lacks the backend (the reason goes to stderr).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>

#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>
#include SNARE_BENCH_BACKEND_HEADER
#ifdef SNARE_BENCH_IN_GUEST
#include "in_guest_tools.hpp"
#endif

namespace {

using backend = snare::backend::SNARE_BENCH_BACKEND;

/// A tool with an empty handler on the trapped call (it only counts): measures the cost of
/// trapping a call and returning to the guest, with nothing else done.
struct noop_tool {
  unsigned long handled = 0;
  void on(snare::sys::getppid, auto&) noexcept { ++handled; }
};

/// A tool with no handler: it subscribes to nothing, so every call stays in the kernel.
struct nothing_tool {};

int usage(const char* self) {
  std::fprintf(stderr, "usage: %s --subscribe=getppid|none [--pin=CPU] -- command [args...]\n", self);
  return 125;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view subscribe;
  snare::run_options options;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.starts_with("--subscribe="))
      subscribe = a.substr(12);
    else if (a.starts_with("--pin="))
      options.pin_cpu = std::atoi(argv[i] + 6);
    else
      return usage(argv[0]);
  }
  if (i >= argc || (subscribe != "getppid" && subscribe != "none")) return usage(argv[0]);
  if (auto gaps = snare::missing_host_features<backend>(); !gaps.empty()) {
    std::fprintf(stderr, "%s: backend %s is not available here: %s\n", argv[0],
                 std::string(backend::name).c_str(), gaps.front().reason.c_str());
    return 125;
  }
  std::span<const char* const> command(const_cast<const char* const*>(argv + i),
                                       static_cast<std::size_t>(argc - i));
  try {
#ifdef SNARE_BENCH_IN_GUEST
    // The handlers run in the guest: the tool objects built from in_guest_tools.hpp.
    if (subscribe == "getppid") {
      options.in_guest_object = SNARE_BENCH_IG_NOOP;
      snare_bench::in_guest_noop_tool tool;
      snare::tracer<backend, snare_bench::in_guest_noop_tool> tracer(tool, options);
      int code = tracer.run(command);
      std::fprintf(stderr, "bench_snare: %lu getppid handled\n", tracer.global_state().handled);
      return code;
    }
    options.in_guest_object = SNARE_BENCH_IG_NOTHING;
    snare_bench::in_guest_nothing_tool nothing;
    return snare::run<backend>(nothing, command, options);
#else
    if (subscribe == "getppid") {
      noop_tool tool;
      int code = snare::run<backend>(tool, command, options);
      std::fprintf(stderr, "bench_snare: %lu getppid handled\n", tool.handled);
      return code;
    }
    nothing_tool tool;
    return snare::run<backend>(tool, command, options);
#endif
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 125;
  }
}
