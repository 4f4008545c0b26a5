// Defines the dispatch microbenchmarks: a stream of syscall numbers, each turned into its
// typed call and handed to a tool's handler, once through snare's dispatch (a switch generated
// over the calls the tool handles) and once through a hand-written switch over the same
// handlers (the baseline snare must stay within 1 ns of). The numbers mix the handled calls
// with unhandled ones, in a fixed pseudo-random order, so neither version is helped by a
// perfectly predicted branch.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#if __has_include(<snare/dispatch/dispatch.hpp>) && __has_include(<snare/sys/x86_64.hpp>)
#include <snare/dispatch/dispatch.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace {

namespace sys = snare::sys;

/// A guest handle stand-in: dispatch only asks a guest for the action a handler chose.
struct fake_guest {
  snare::action pending_action() const noexcept { return snare::proceed(); }
};

/// A tool with four typed handlers that do a little arithmetic on their arguments, and one
/// that changes an argument (which dispatch must write back).
struct tool {
  std::uint64_t sum = 0;
  void on(sys::openat& c, auto&) noexcept { sum += c.raw(0) + c.raw(2); }
  void on(sys::read& c, auto&) noexcept { sum += c.raw(2); }
  void on(sys::close& c, auto&) noexcept { sum ^= c.raw(0); }
  void on(sys::getppid&, auto&) noexcept { ++sum; }
  void on(sys::newfstatat& c, auto&) noexcept { c.set_raw(3, c.raw(3) | 1); }
};

/// Turns the generated type list of every x86-64 call into the list dispatch takes.
template <class... Calls>
snare::call_list<Calls...> to_call_list(snare::call_list<Calls...>);
using all_calls = decltype(to_call_list(sys::x86_64::all_types{}));
using table = snare::dispatch::table<tool, fake_guest, all_calls>;

// Numbers: the five handled calls and three unhandled ones (write, mmap, futex).
constexpr std::array<long, 8> kinds = {sys::openat::number,  sys::read::number,       sys::close::number,
                                       sys::getppid::number, sys::newfstatat::number, sys::write::number,
                                       sys::mmap::number,    sys::futex::number};

std::array<long, 4096> make_stream() {
  std::array<long, 4096> s{};
  std::uint32_t x = 12345;
  for (auto& n : s) {
    x = x * 1664525u + 1013904223u;
    n = kinds[(x >> 24) % kinds.size()];
  }
  return s;
}
const std::array<long, 4096> mixed = make_stream();
std::array<long, 4096> only_getppid() {
  std::array<long, 4096> s{};
  s.fill(sys::getppid::number);
  return s;
}
const std::array<long, 4096> same = only_getppid();

// Arg 0: the mixed stream; arg 1: getppid only (every branch predicted).
const std::array<long, 4096>& stream_for(const benchmark::State& state) {
  return state.range(0) ? same : mixed;
}
const char* stream_name(const benchmark::State& state) {
  return state.range(0) ? "getppid only" : "8 numbers mixed";
}

// The baseline: what one would write by hand for the same tool, a switch that builds the
// typed call, calls the handler and copies the (maybe changed) arguments back.
template <class Call>
[[gnu::always_inline]] inline snare::action by_hand(tool& t, fake_guest& g, snare::dispatch::raw_args& a) {
  Call c(a);
  t.on(c, g);
  a = c.raw_args();
  return g.pending_action();
}
snare::action switch_dispatch(tool& t, fake_guest& g, long nr, snare::dispatch::raw_args& a) {
  switch (nr) {
    case sys::openat::number:
      return by_hand<sys::openat>(t, g, a);
    case sys::read::number:
      return by_hand<sys::read>(t, g, a);
    case sys::close::number:
      return by_hand<sys::close>(t, g, a);
    case sys::getppid::number:
      return by_hand<sys::getppid>(t, g, a);
    case sys::newfstatat::number:
      return by_hand<sys::newfstatat>(t, g, a);
    default:
      return g.pending_action();
  }
}

void BM_dispatch_switch(benchmark::State& state) {
  tool t;
  fake_guest g;
  snare::dispatch::raw_args args{3, 4096, 5, 0, 0, 0};
  const auto& stream = stream_for(state);
  std::size_t i = 0;
  for (auto _ : state) {
    auto a = switch_dispatch(t, g, stream[i++ & (stream.size() - 1)], args);
    benchmark::DoNotOptimize(a);
  }
  benchmark::DoNotOptimize(t.sum);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string("hand-written switch, 5 handlers; ") + stream_name(state));
}
BENCHMARK(BM_dispatch_switch)->Arg(0)->Arg(1);

void BM_dispatch_snare(benchmark::State& state) {
  tool t;
  fake_guest g;
  snare::dispatch::raw_args args{3, 4096, 5, 0, 0, 0};
  const auto& stream = stream_for(state);
  std::size_t i = 0;
  for (auto _ : state) {
    auto a = table::on_entry(t, g, stream[i++ & (stream.size() - 1)], args);
    benchmark::DoNotOptimize(a);
  }
  benchmark::DoNotOptimize(t.sum);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string("snare::dispatch::table over the x86-64 table (a generated switch); ") +
                 stream_name(state));
}
BENCHMARK(BM_dispatch_snare)->Arg(0)->Arg(1);

}  // namespace
#endif
