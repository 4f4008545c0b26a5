// Defines the fiber-switch microbenchmarks: one round trip (resume a fiber, it yields back)
// through a bare Boost.Context fiber (the floor) and through snare::fiber::worker (a job
// that suspends and is resumed, as a handler waiting on an injected call), and the cost of
// running a handler as a fiber job at all (snare's per-event path) next to a direct call.
#include <benchmark/benchmark.h>

#include <boost/context/fiber.hpp>
#include <utility>

#if __has_include(<snare/fiber/fiber.hpp>)
#include <snare/fiber/fiber.hpp>
#define SNARE_BENCH_HAVE_FIBER 1
#endif

namespace {

namespace ctx = boost::context;

// The floor: a Boost.Context fiber that yields back forever; one iteration is a resume into
// it and its switch back.
void BM_fiber_switch_boost(benchmark::State& state) {
  long counter = 0;
  ctx::fiber f{[&counter](ctx::fiber&& back) {
    for (;;) {
      ++counter;
      back = std::move(back).resume();
    }
    return std::move(back);
  }};
  for (auto _ : state) {
    f = std::move(f).resume();
  }
  benchmark::DoNotOptimize(counter);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("resume + yield back, bare boost::context::fiber");
  // Destroying the suspended fiber unwinds its stack (Boost.Context's forced_unwind).
}
BENCHMARK(BM_fiber_switch_boost);

// The floor of running a handler: a direct call through a function pointer.
void BM_fiber_job_direct_call(benchmark::State& state) {
  long counter = 0;
  void (*volatile fn)(void*) = [](void* c) { ++*static_cast<long*>(c); };
  for (auto _ : state) fn(&counter);
  benchmark::DoNotOptimize(counter);
  state.SetLabel("a handler called directly (no fiber)");
}
BENCHMARK(BM_fiber_job_direct_call);

#ifdef SNARE_BENCH_HAVE_FIBER
// One job per iteration that returns at once: what every trapped call costs in fiber
// switches when its handler runs on the guest thread's fiber.
void BM_fiber_job_snare(benchmark::State& state) {
  snare::fiber::stack_pool pool;
  snare::fiber::worker w(pool);
  long counter = 0;
  for (auto _ : state) w.run([](void* c) { ++*static_cast<long*>(c); }, &counter);
  benchmark::DoNotOptimize(counter);
  state.SetLabel("snare::fiber::worker::run of a job that returns");
}
BENCHMARK(BM_fiber_job_snare);

struct suspender {
  snare::fiber::worker* w;
  bool stop = false;
  long rounds = 0;
};

// A job that suspends forever (until told to stop); one iteration is resume() + suspend().
void BM_fiber_switch_snare(benchmark::State& state) {
  snare::fiber::stack_pool pool;
  snare::fiber::worker w(pool);
  suspender s{&w};
  w.run(
      [](void* p) {
        auto* s = static_cast<suspender*>(p);
        while (!s->stop) {
          ++s->rounds;
          s->w->suspend();
        }
      },
      &s);
  for (auto _ : state) w.resume();
  s.stop = true;
  w.resume();  // the job returns: the worker ends idle
  benchmark::DoNotOptimize(s.rounds);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("snare::fiber::worker resume + suspend");
}
BENCHMARK(BM_fiber_switch_snare);
#endif

}  // namespace
