// Defines the conformance laws' tools that keep what the laws assert in their global state
// (g.global().call), so that one source works on every backend: on in_guest the handlers
// run in the guest, in the tool object named by in_guest_object (tests/conformance/
// CMakeLists.txt builds each from the tools it lists), and only the global state reaches
// the tracer.
// No Catch2 here: the tool objects are built from this header alone.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::test::conformance {

/// Counts every lifecycle event and getppid calls; remembers the tids of started threads.
template <class Backend>
struct lifecycle_counter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_lifecycle";
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
  static constexpr const char* in_guest_object = "laws_lifecycle";
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
  static constexpr const char* in_guest_object = "laws_lifecycle";
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
  static constexpr const char* in_guest_object = "laws_calls";
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
  static constexpr const char* in_guest_object = "laws_calls";
  void on(snare::sys::write& call, auto&) {
    if (call.count() == 11) call.set_count(5);
  }
};

/// Answers getppid with 4242 at its exit, and remembers the real result it replaced.
template <class Backend>
struct return_changer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_calls";
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
  static constexpr const char* in_guest_object = "laws_calls";
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
  static constexpr const char* in_guest_object = "laws_calls";
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
  static constexpr const char* in_guest_object = "laws_calls";
  struct global_state {
    long failures = 0;
  };
  void on(snare::sys::exit_group call, auto& g) {
    snare::sys::exit_group other = call;
    other.set_raw(0, call.raw(0) + 1);
    if (!g.tail_inject(other)) g.global().call([](global_state& s) { ++s.failures; });
  }
};

/// Counts getppid in the run's global state, with the threads that called it.
template <class Backend>
struct global_counter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    long calls = 0;
    std::set<pid_t> tids;
    std::set<pid_t> pids;
  };
  void on(snare::sys::getppid, auto& g) {
    g.global().call([](global_state& s, const snare::global_caller& from) {
      ++s.calls;
      s.tids.insert(from.tid);
      s.pids.insert(from.pid);
    });
  }
};

/// Turns pread64 on the pipe into an injected read that blocks until the other thread
/// writes; the other thread learns it may write when getppid answers 4242.
template <class Backend>
struct injector {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_calls";
  /// read_result before the handler tells one (the handler died with its thread).
  static constexpr long not_told = -2000;
  struct global_state {
    bool waiting = false;
    long served_while_waiting = 0;
    long read_result = not_told;
  };
  void on(snare::sys::pread64 call, auto& g) {
    if (call.raw(3) != 4242) return;  // the guest's marker; the loader's preads run as they are
    g.global().call([](global_state& s) { s.waiting = true; });
    auto r = g.inject(
        snare::sys::read(std::array<std::uint64_t, 6>{call.raw(0), call.raw(1), call.raw(2), 0, 0, 0}));
    const long got = r ? *r : -1000;
    g.global().call([got](global_state& s) {
      s.waiting = false;
      s.read_result = got;
    });
    g.suppress(got);
  }
  void on(snare::sys::getppid, auto& g) {
    const bool waiting = g.global().call([](global_state& s) {
      if (s.waiting) ++s.served_while_waiting;
      return s.waiting;
    });
    if (waiting) g.suppress(4242);
  }
};

/// Injects a call from the handlers of thread start, process start and exec, and counts
/// those whose result is right (gettid is the thread's id, getpid the process's, uname into
/// the guest's stack says Linux).
template <class Backend>
struct event_injector {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_lifecycle";
  struct global_state {
    int thread_starts = 0, thread_ok = 0, process_starts = 0, process_ok = 0, execs = 0, exec_ok = 0;
  };
  void on_thread_start(auto& g) {
    auto r = g.inject(snare::sys::gettid{});
    const bool ok = r && *r == g.tid();
    g.global().call([ok](global_state& s) {
      ++s.thread_starts;
      s.thread_ok += ok;
    });
  }
  void on_process_start(auto& g) {
    auto r = g.inject(snare::sys::getpid{});
    const bool ok = r && *r == g.pid();
    g.global().call([ok](global_state& s) {
      ++s.process_starts;
      s.process_ok += ok;
    });
  }
  void on_exec(auto& g) {
    bool ok = false;
    auto stack = g.stack();
    auto u = stack.template reserve<struct utsname>();
    if (stack.commit()) {
      auto r = g.inject(snare::sys::uname(std::array<std::uint64_t, 6>{u.address, 0, 0, 0, 0, 0}));
      auto got = g.read(u);
      ok = r && *r == 0 && got && std::string(got->sysname) == "Linux";
    }
    g.global().call([ok](global_state& s) {
      ++s.execs;
      s.exec_ok += ok;
    });
  }
};

/// Builds each new thread's state from its creator's, and each new process's from its
/// parent's (snare::from_parent); records what every thread and process started from.
template <class Backend>
struct state_inheritor {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_lifecycle";
  struct thread_state {
    long getppid = 0;
    long inherited = -1;  // the creator's getppid count when this thread started
    thread_state() = default;
    thread_state(snare::from_parent_t, const thread_state& creator) : inherited(creator.getppid) {}
  };
  struct process_state {
    long generation = 0;
    process_state() = default;
    process_state(snare::from_parent_t, const process_state& parent) : generation(parent.generation + 1) {}
  };
  struct global_state {
    std::vector<long> thread_inherited;  // per thread, at its exit
    std::vector<long> generations;       // per process, at its first trapped getppid
  };
  void on(snare::sys::getppid, auto& g) {
    if (++g.thread_state().getppid != 1) return;
    g.global().call([n = g.process_state().generation](global_state& s) { s.generations.push_back(n); });
  }
  void on_thread_exit(auto& g) {
    g.global().call([n = g.thread_state().inherited](global_state& s) { s.thread_inherited.push_back(n); });
  }
};

/// Records, at each getppid, what the handle says of the calling thread and its process.
template <class Backend>
struct fact_recorder {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct seen {
    pid_t pid, tid;
    std::optional<pid_t> ppid;
    bool main_thread, root_process, root_thread;
  };
  struct global_state {
    std::vector<seen> calls;
    std::optional<std::uint64_t> page_size, random, entry;
    int auxv_error = 0;
  };
  void on(snare::sys::getppid, auto& g) {
    const seen c{g.pid(), g.tid(), g.ppid(), g.is_main_thread(), g.is_root_process(), g.is_root_thread()};
    std::optional<std::uint64_t> page_size, random, entry;
    int error = 0;
    if (auto aux = g.auxv()) {
      page_size = aux->get(AT_PAGESZ);
      random = aux->get(AT_RANDOM);
      entry = aux->get(AT_ENTRY);
    } else {
      error = static_cast<int>(aux.error());
    }
    g.global().call([c, page_size, random, entry, error](global_state& s) {
      s.calls.push_back(c);
      s.page_size = page_size;
      s.random = random;
      s.entry = entry;
      s.auxv_error = error;
    });
  }
};

/// At getppid, writes r12 = 4243 where the guest left 4242 (the regs guest checks it).
template <class Backend>
struct register_writer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    long wrote = 0;
  };
  void on(snare::sys::getppid, auto& g) {
    if constexpr (requires { g.set_registers(g.registers()); }) {
      auto r = g.registers();
      if (r.r12 != 4242) return;
      r.r12 = 4243;
      if (g.set_registers(r)) g.global().call([](global_state& s) { ++s.wrote; });
    }
  }
};

/// At getppid, injects calls that take pointers into scratch memory on the guest's stack:
/// uname into a reserved struct, access of pushed paths, nanosleep of a pushed timespec.
template <class Backend>
struct stack_user {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    char sysname[65] = {};
    long uname_ret = -1, access_root = -1, access_missing = -1, nanosleep_ret = -1;
    int commit_error = -1;
  };
  void on(snare::sys::getppid, auto& g) {
    if constexpr (requires { g.stack(); }) {
      global_state out;
      auto stack = g.stack();
      auto u = stack.template reserve<struct utsname>();
      auto root = stack.push_cstr("/");
      auto missing = stack.push_cstr("/nonexistent/snare");
      auto ts = stack.push(timespec{0, 1000});
      auto committed = stack.commit();
      out.commit_error = committed ? 0 : static_cast<int>(committed.error());
      if (committed) {
        auto raw = [](std::uint64_t a, std::uint64_t b = 0) {
          return std::array<std::uint64_t, 6>{a, b, 0, 0, 0, 0};
        };
        out.uname_ret = g.inject(snare::sys::uname(raw(u.address))).value_or(-9999);
        out.access_root = g.inject(snare::sys::access(raw(root.address, F_OK))).value_or(-9999);
        out.access_missing = g.inject(snare::sys::access(raw(missing.address, F_OK))).value_or(-9999);
        out.nanosleep_ret = g.inject(snare::sys::nanosleep(raw(ts.address))).value_or(-9999);
        if (auto got = g.read(u)) std::memcpy(out.sysname, got->sysname, sizeof out.sysname);
        out.sysname[sizeof out.sysname - 1] = '\0';
      }
      g.global().call([out](global_state& s) { s = out; });
    }
  }
};

/// Makes a process a daemon when it calls setsid; records how each process ended.
template <class Backend>
struct daemonizer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_lifecycle";
  struct global_state {
    std::vector<snare::exit_status> ends;
    int daemons = 0;
  };
  void on(snare::sys::setsid, auto& g) {
    if constexpr (requires { g.daemonize(); }) {
      g.daemonize();
      g.global().call([](global_state& s) { ++s.daemons; });
    }
  }
  void on_process_exit(snare::exit_status end, auto& g) {
    g.global().call([end](global_state& s) { s.ends.push_back(end); });
  }
};

/// Counts the clock reads that reach the tool as syscalls.
template <class Backend>
struct clock_counter {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    int clock_gettime = 0, gettimeofday = 0, time = 0;
  };
  void on(snare::sys::clock_gettime, auto& g) {
    g.global().call([](global_state& s) { ++s.clock_gettime; });
  }
  void on(snare::sys::gettimeofday, auto& g) {
    g.global().call([](global_state& s) { ++s.gettimeofday; });
  }
  void on(snare::sys::time, auto& g) {
    g.global().call([](global_state& s) { ++s.time; });
  }
};

/// Reverie's at_random test: at exec, the 16 bytes AT_RANDOM points to become 0..15, before
/// the new image reads them (its stack protector and pointer guard come from them).
template <class Backend>
struct random_fixer {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    int written = 0;
  };
  void on_exec(auto& g) {
    auto aux = g.auxv();
    if (!aux || !aux->get(AT_RANDOM)) return;
    std::array<std::byte, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i);
    auto n = g.write_bytes(*aux->get(AT_RANDOM), bytes);
    if (n && *n == bytes.size()) g.global().call([](global_state& s) { ++s.written; });
  }
};

/// Observes kill, so that the guest's signal probes are traced calls.
template <class Backend>
struct kill_watcher {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    int kills = 0;
  };
  void on(snare::sys::kill, auto& g) {
    g.global().call([](global_state& s) { ++s.kills; });
  }
};

/// Denies opening /etc/hostname through openat (g.fail) and open (snare::action).
template <class Backend>
struct open_denier {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_facts";
  struct global_state {
    long openat = 0, open = 0;
  };
  void on(snare::sys::openat call, auto& g) {
    auto path = g.read_cstr(call.pathname());
    if (path && *path == "/etc/hostname") {
      g.global().call([](global_state& s) { ++s.openat; });
      g.fail(EACCES);
    }
  }
  snare::action on(snare::sys::open call, auto& g) {
    auto path = g.read_cstr(call.pathname());
    if (!path || *path != "/etc/hostname") return snare::proceed();
    g.global().call([](global_state& s) { ++s.open; });
    return snare::fail(EACCES);
  }
};

/// Throws from its getppid handler.
template <class Backend>
struct thrower {
  using backend = Backend;
  static constexpr const char* in_guest_object = "laws_lifecycle";
  void on(snare::sys::getppid, auto&) { throw std::runtime_error("handler failed"); }
};

}  // namespace snare::test::conformance
