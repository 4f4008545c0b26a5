// Defines the filter-construction microbenchmarks: the seccomp-BPF program a tracer installs,
// built by snare at compile time (constexpr: nothing left to do at run time), built by the
// same snare code at run time, and built with libseccomp (what one would use instead:
// seccomp_init, one seccomp_rule_add per call, seccomp_export_bpf).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <string>

#ifdef SNARE_BENCH_HAVE_LIBSECCOMP
#include <seccomp.h>
#endif
#if __has_include(<snare/bpf/filter.hpp>)
#include <snare/bpf/filter.hpp>
#include <snare/subscription/subscription.hpp>
#define SNARE_BENCH_HAVE_FILTER 1
#endif

namespace {

// The subscriptions measured: getppid alone, a file tool's 8 calls, and 64 scattered calls.
constexpr std::array<long, 1> one = {110};
constexpr std::array<long, 8> file_tool = {2, 3, 0, 1, 4, 5, 257, 262};
constexpr std::array<long, 64> many = [] {
  std::array<long, 64> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<long>((i * 7) % 330);
  return a;
}();

template <class F>
void for_set(int which, F&& f) {
  if (which == 0)
    f(one);
  else if (which == 1)
    f(file_tool);
  else
    f(many);
}
const char* set_name(int which) { return which == 0 ? "1 call" : which == 1 ? "8 calls" : "64 calls"; }

#ifdef SNARE_BENCH_HAVE_LIBSECCOMP
void BM_filter_libseccomp(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  for (auto _ : state) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    for_set(which, [&](const auto& nrs) {
      for (long nr : nrs) seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), static_cast<int>(nr), 0);
    });
    int rc = seccomp_export_bpf(ctx, devnull);
    benchmark::DoNotOptimize(rc);
    seccomp_release(ctx);
  }
  close(devnull);
  state.SetLabel(std::string("libseccomp init + rules + export; ") + set_name(which));
}
BENCHMARK(BM_filter_libseccomp)->Arg(0)->Arg(1)->Arg(2);
#endif

#ifdef SNARE_BENCH_HAVE_FILTER
template <std::size_t N>
constexpr snare::syscall_set set_of(const std::array<long, N>& nrs) noexcept {
  snare::syscall_set s;
  for (long nr : nrs) s.add(nr);
  return s;
}

// Built by the compiler: the loop only reads the finished program.
constexpr snare::bpf::program built_one = snare::bpf::build_filter(set_of(one), SECCOMP_RET_TRACE);
constexpr snare::bpf::program built_file = snare::bpf::build_filter(set_of(file_tool), SECCOMP_RET_TRACE);
constexpr snare::bpf::program built_many = snare::bpf::build_filter(set_of(many), SECCOMP_RET_TRACE);
static_assert(built_one.size > 0 && built_file.size > built_one.size && built_many.size > built_file.size);

void BM_filter_snare_constexpr(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const snare::bpf::program& p = which == 0 ? built_one : which == 1 ? built_file : built_many;
  for (auto _ : state) {
    auto prog = p.fprog();
    benchmark::DoNotOptimize(prog);
  }
  state.SetLabel(std::string("snare, constexpr: fprog() of the built program; ") + set_name(which));
}
BENCHMARK(BM_filter_snare_constexpr)->Arg(0)->Arg(1)->Arg(2);

void BM_filter_snare_runtime(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  for (auto _ : state) {
    snare::syscall_set s;
    for_set(which, [&](const auto& nrs) {
      for (long nr : nrs) {
        long v = nr;
        benchmark::DoNotOptimize(v);  // keep the set a run-time value
        s.add(v);
      }
    });
    auto p = snare::bpf::build_filter(s, SECCOMP_RET_TRACE);
    benchmark::DoNotOptimize(p.size);
    benchmark::DoNotOptimize(p.code.data());
  }
  state.SetLabel(std::string("snare's builder run at run time; ") + set_name(which));
}
BENCHMARK(BM_filter_snare_runtime)->Arg(0)->Arg(1)->Arg(2);
#endif

}  // namespace
