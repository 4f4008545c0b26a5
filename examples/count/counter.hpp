// Defines snare-count's tool: the same source on every backend, and compiled into the tool
// object the in_guest backend preloads (in_guest_object.cpp).
#pragma once

#include <sys/syscall.h>

#include <array>
#include <atomic>
#include <cstdint>

#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare_count {

/// The numbers the table names (x86-64's 0 .. 450), and the counters: one per number, one
/// for the numbers past them (a table small enough for one message to the tracer).
inline constexpr long known = snare::arch::x86_64::max_syscall_number + 1;
inline constexpr std::size_t slots = known + 1;
using table = std::array<std::uint64_t, slots>;

/// The tool: every syscall of every guest thread bumps its number's counter in its process;
/// a process hands its counts to the run's global state (g.global().call, a message to the
/// tracer on the in_guest backend) before it execs and when it ends, so the table is the
/// global state after the run.
struct counter {
  struct global_state {
    table counts{};
    std::uint64_t threads = 0, calls = 0;
  };
  struct process_state {
    std::array<std::atomic<std::uint64_t>, slots> counts{};  // its threads count at once
  };

  // A generic handler sees every call: a typed call (snare::sys::openat, ...) for known
  // numbers, snare::unknown_call for the others; both give their number through to_raw().
  template <class Call, class G>
  void on(const Call& call, G& g) {
    long nr = call.to_raw().number;
    g.process_state()
        .counts[nr >= 0 && nr < snare::max_syscall_number ? nr : snare::max_syscall_number]
        .fetch_add(1, std::memory_order_relaxed);
    // The new image starts with a new process state (and, in_guest, a new tool object).
    if (nr == SYS_execve || nr == SYS_execveat) flush(g);
  }
  template <class G>
  void on_thread_exit(G& g) {
    g.global().call([](global_state& s) { ++s.threads; });
  }
  template <class G>
  void on_process_exit(int, G& g) {
    flush(g);
  }

  template <class G>
  static void flush(G& g) {
    table t{};
    for (std::size_t i = 0; i < slots; ++i)
      t[i] = g.process_state().counts[i].exchange(0, std::memory_order_relaxed);
    g.global().call([t](global_state& s) {
      for (std::size_t i = 0; i < slots; ++i) {
        s.counts[i] += t[i];
        s.calls += t[i];
      }
    });
  }
};

}  // namespace snare_count
