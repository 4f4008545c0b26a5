// Defines the fiber-switch microbenchmarks: one round trip (resume a fiber, it yields back)
// through a bare Boost.Context fiber (the floor), and through snare's fiber layer when it
// exists.
#include <benchmark/benchmark.h>

#include <boost/context/fiber.hpp>
#include <utility>

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

}  // namespace
