// Defines the tools of bench_snare_in_guest (runners/snare_runner.cpp): the runner's no-op
// getppid tool and its nothing-subscribed tool, in the form the in_guest backend needs (the
// count handed to the global state once per process, not a tool member: the handlers run in
// the guest). Each is also built into a tool object (in_guest_noop.cpp, in_guest_nothing.cpp).
#pragma once

#include <atomic>

#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare_bench {

/// An empty handler on getppid that only counts, per process, summed in the tracer at exit.
struct in_guest_noop_tool {
  struct global_state {
    unsigned long handled = 0;
  };
  struct process_state {
    std::atomic<unsigned long> handled{0};
  };
  void on(snare::sys::getppid, auto& g) noexcept {
    g.process_state().handled.fetch_add(1, std::memory_order_relaxed);
  }
  void on_process_exit(int, auto& g) {
    const unsigned long n = g.process_state().handled.exchange(0, std::memory_order_relaxed);
    if (n != 0) g.global().call([n](global_state& s) { s.handled += n; });
  }
};

/// No handler: nothing subscribed (the agent still watches the ends, waits and forks).
struct in_guest_nothing_tool {};

}  // namespace snare_bench
