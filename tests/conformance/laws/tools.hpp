// Defines the conformance laws' tools that keep what the laws assert in their global state
// (g.global().call), so that one source works on every backend: on in_guest the handlers
// run in the guest, in a tool object of their own (tests/conformance/CMakeLists.txt builds
// one per tool named in_guest_object), and only the global state reaches the tracer.
// No Catch2 here: the tool objects are built from this header alone.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::test::conformance {

/// Counts every lifecycle event and getppid calls; remembers the tids of started threads.
template <class Backend>
struct lifecycle_counter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "lifecycle_counter";
  struct global_state {
    long getppid = 0, thread_starts = 0, thread_exits = 0, process_starts = 0, process_exits = 0, execs = 0;
    int last_status = -1;
    std::set<pid_t> started_tids;
  };
  void on(snare::sys::getppid, auto& g) {
    g.global().call([](global_state& s) { ++s.getppid; });
  }
  void on_thread_start(auto& g) {
    g.global().call([tid = g.tid()](global_state& s) {
      ++s.thread_starts;
      s.started_tids.insert(tid);
    });
  }
  void on_thread_exit(auto& g) {
    g.global().call([](global_state& s) { ++s.thread_exits; });
  }
  void on_process_start(auto& g) {
    g.global().call([](global_state& s) { ++s.process_starts; });
  }
  void on_process_exit(int status, auto& g) {
    g.global().call([status](global_state& s) {
      ++s.process_exits;
      s.last_status = status;
    });
  }
  void on_exec(auto& g) {
    g.global().call([](global_state& s) { ++s.execs; });
  }
};

/// Counts every syscall through a generic handler, and the processes started and ended.
template <class Backend>
struct every_call_counter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "every_call_counter";
  struct global_state {
    long calls = 0, typed = 0, process_starts = 0;
    int last_status = -1;
  };
  void on(auto call, auto& g) {
    constexpr bool typed = snare::sys::typed_call<decltype(call)>;
    g.global().call([](global_state& s) {
      ++s.calls;
      if (typed) ++s.typed;
    });
  }
  void on_process_start(auto& g) {
    g.global().call([](global_state& s) { ++s.process_starts; });
  }
  void on_process_exit(int status, auto& g) {
    g.global().call([status](global_state& s) { s.last_status = status; });
  }
};

/// Keeps a getppid count in each state: per thread, per run (global, through its message
/// calls), and each process's exit_group codes in its process state, which its exit hands
/// to the global state.
template <class Backend>
struct state_keeper {
  using backend = Backend;
  static constexpr const char* in_guest_object = "state_keeper";
  struct per_thread {
    long getppid = 0;
  };
  using thread_state = per_thread;
  using process_state = std::vector<long>;
  struct global_state {
    long getppid = 0, most_in_a_thread = 0, getppid_at_exit = -1;
    std::vector<long> exit_groups_at_exit;
    int exit_status = -1;
  };
  void on(snare::sys::getppid, auto& g) {
    g.global().call([n = ++g.thread_state().getppid](global_state& s) {
      ++s.getppid;
      if (n > s.most_in_a_thread) s.most_in_a_thread = n;
    });
  }
  void on(snare::sys::exit_group call, auto& g) {
    g.process_state().push_back(static_cast<long>(call.raw(0)));
  }
  void on_process_exit(int status, auto& g) {
    // What the process state holds crosses as values (f must be trivially copyable).
    std::array<long, 4> codes{};
    const auto& ps = g.process_state();
    const std::size_t n = ps.size() < codes.size() ? ps.size() : codes.size();
    for (std::size_t i = 0; i < n; ++i) codes[i] = ps[i];
    g.global().call([status, codes, n](global_state& s) {
      s.exit_status = status;
      s.exit_groups_at_exit.assign(codes.begin(), codes.begin() + static_cast<long>(n));
      s.getppid_at_exit = s.getppid;
    });
  }
};

/// Answers getppid with the result of an injected gettid.
template <class Backend>
struct gettid_injector {
  using backend = Backend;
  static constexpr const char* in_guest_object = "gettid_injector";
  struct global_state {
    long injected = 0, failures = 0;
  };
  void on(snare::sys::getppid, auto& g) {
    auto tid = g.inject(snare::sys::gettid{});
    if (!tid) {
      g.global().call([](global_state& s) { ++s.failures; });
      return;
    }
    g.global().call([t = *tid](global_state& s) { s.injected = t; });
    g.suppress(*tid);
  }
};

/// Cuts an 11-byte write to 5 bytes.
template <class Backend>
struct count_cutter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "count_cutter";
  void on(snare::sys::write& call, auto&) {
    if (call.count() == 11) call.set_count(5);
  }
};

/// Answers getppid with 4242 at its exit, and remembers the real result it replaced.
template <class Backend>
struct return_changer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "return_changer";
  struct global_state {
    long real = 0;
  };
  long on_exit(snare::sys::getppid, long ret, auto& g) {
    g.global().call([ret](global_state& s) { s.real = ret; });
    return 4242;
  }
};

/// Makes every write report 1 byte written, whatever it really wrote.
template <class Backend>
struct short_writer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "short_writer";
  struct global_state {
    long writes = 0;
  };
  long on_exit(snare::sys::write, long ret, auto& g) {
    g.global().call([](global_state& s) { ++s.writes; });
    return ret > 0 ? 1 : ret;
  }
};

/// Replaces getppid by gettid; counts the replacements refused.
template <class Backend>
struct tail_injector {
  using backend = Backend;
  static constexpr const char* in_guest_object = "tail_injector";
  struct global_state {
    long failures = 0;
  };
  void on(snare::sys::getppid, auto& g) {
    if (!g.tail_inject(snare::sys::gettid{})) g.global().call([](global_state& s) { ++s.failures; });
  }
};

/// Replaces exit_group(n) by exit_group(n + 1); counts the replacements refused.
template <class Backend>
struct exit_bumper {
  using backend = Backend;
  static constexpr const char* in_guest_object = "exit_bumper";
  struct global_state {
    long failures = 0;
  };
  void on(snare::sys::exit_group call, auto& g) {
    snare::sys::exit_group other = call;
    other.set_raw(0, call.raw(0) + 1);
    if (!g.tail_inject(other)) g.global().call([](global_state& s) { ++s.failures; });
  }
};

}  // namespace snare::test::conformance
