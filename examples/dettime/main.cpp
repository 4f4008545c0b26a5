// Defines snare-dettime: runs a command on a virtual clock. clock_gettime, gettimeofday, time
// and RDTSC read one counter that starts at --epoch and moves --step-ns per read, so runs
// repeat; the vDSO's clock functions are made syscalls the tool answers at each exec
// (run_options::vdso_as_syscalls).
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/backend/ptrace.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

namespace sys = snare::sys;

/// The tool: one virtual clock for the whole run.
struct virtual_clock {
  std::int64_t epoch_s = 946684800;  // 2000-01-01T00:00:00Z
  std::int64_t step_ns = 1000000;
  std::int64_t now_ns = 0;  // time since the epoch, advanced by every read
  std::uint64_t tsc = 0;

  std::int64_t tick() { return now_ns += step_ns; }

  template <class G>
  void on(sys::clock_gettime& c, G& g) {
    std::int64_t t = tick();
    bool wall =
        c.clockid() == CLOCK_REALTIME || c.clockid() == CLOCK_REALTIME_COARSE || c.clockid() == CLOCK_TAI;
    std::int64_t ns = wall ? epoch_s * 1000000000 + t : t;
    if (!g.write(c.tp(), sys::abi::timespec{ns / 1000000000, ns % 1000000000})) return g.fail(EFAULT);
    g.suppress(0);
  }
  template <class G>
  void on(sys::gettimeofday& c, G& g) {
    std::int64_t ns = epoch_s * 1000000000 + tick();
    if (c.tv().address && !g.write(c.tv(), sys::abi::timeval{ns / 1000000000, ns % 1000000000 / 1000}))
      return g.fail(EFAULT);
    if (c.tz().address && !g.write(c.tz(), sys::abi::timezone{0, 0})) return g.fail(EFAULT);
    g.suppress(0);
  }
  template <class G>
  void on(sys::time& c, G& g) {
    std::int64_t s = epoch_s + tick() / 1000000000;
    if (c.tloc().address && !g.write(c.tloc(), static_cast<std::uint64_t>(s))) return g.fail(EFAULT);
    g.suppress(s);
  }
  template <class G>
  void on_rdtsc(snare::rdtsc_event& e, G&) {
    e.tsc = tsc += static_cast<std::uint64_t>(step_ns);  // one cycle per virtual nanosecond
  }
};

constexpr const char* usage =
    "Usage: snare-dettime [--epoch=SECONDS] [--step-ns=N] [--strict] PROG [ARGS]\n"
    "Runs PROG on a virtual clock: clock_gettime, gettimeofday, time and RDTSC read a\n"
    "counter that starts at SECONDS since 1970 (default 946684800, 2000-01-01) and moves\n"
    "N nanoseconds (default 1000000) at every read, so every run sees the same times.\n"
    "On a host that cannot trap RDTSC (see snare-strace --host), PROG runs with the real\n"
    "RDTSC and a warning; --strict refuses to run it instead (exit status 69).\n"
    "Exit status: PROG's, 127 when it cannot run, 69 when refused, 2 on a bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  virtual_clock tool;
  snare::run_options options;
  options.vdso_as_syscalls = true;  // every clock read reaches the tool, none answered in the guest
  // The syscall clocks work on every host; RDTSC needs RDTSC trapping: without it, say so.
  options.on_missing_host_feature = snare::host_policy::degrade;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    char* end = nullptr;
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a.starts_with("--epoch=")) {
      tool.epoch_s = std::strtoll(argv[i] + 8, &end, 10);
    } else if (a.starts_with("--step-ns=")) {
      tool.step_ns = std::strtoll(argv[i] + 10, &end, 10);
      if (tool.step_ns <= 0) end = nullptr;
    } else if (a == "--strict") {
      options.on_missing_host_feature = snare::host_policy::strict;
      continue;
    } else if (a == "--") {
      ++i;
      break;
    }
    if (!end || *end != '\0') {
      std::fprintf(stderr, "snare-dettime: bad option '%s'\nTry 'snare-dettime --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i < argc)
    return snare::run<snare::backend::ptrace>(tool, std::span<const char* const>(argv + i, argc - i),
                                              options);
  std::fprintf(stderr, "snare-dettime: no command given\nTry 'snare-dettime --help'.\n");
  return 2;
}
