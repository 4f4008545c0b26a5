// The tool of the in_guest backend's tests, compiled twice from this one source: into the
// tool object the guest preloads (test_tool_object.cpp, SNARE_IN_GUEST_TOOL) and into the test
// program (the tracer, which runs it on the ptrace backend too). It counts every call it
// sees through g.global().call and, by its configuration string, changes some of them.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare::test {

struct in_guest_tool {
  /// The run's totals, in the tracer.
  struct global_state {
    std::uint64_t counts[max_syscall_number + 1];
    std::uint64_t total;
    long bad_read_error;   // errno of reading a bad buffer (mode "read")
    long good_read_bytes;  // bytes read from a good one
    int killed_processes;  // processes whose end by a signal the tracer told
    int exited_processes;  // processes that told their own exit_group
    int last_kill_signal;
    std::uint64_t allocated;  // bytes the handlers allocated (mode "alloc")
    // Filled in the tracer by the thunks of the dlopen()ed object: a global state that owns
    // heap memory works (the object's code allocates with the tracer's malloc there).
    std::map<long, std::uint64_t> by_number;
    int state_mixups;  // calls that found another process's process_state
  };
  struct thread_state {
    std::uint64_t calls = 0;
  };
  /// The process a state was made for: a call seeing another process's state is a mix-up
  /// (a vfork child's state left to its parent, say).
  struct process_state {
    pid_t pid = 0;
  };

  /// What the handlers do besides counting: "", "suppress" (getppid returns 4242), "inject"
  /// (getppid runs getpid instead, by inject), "tail" (by tail_inject), "exit" (getppid's
  /// exit handler returns 77), "modify" (write's count cut to 2), "read" (reads write's
  /// buffer), "alloc" (every call builds strings and a vector: the private heap), "pidcheck"
  /// (the handle's pid is the calling process's: on in_guest only, where the handler runs there).
  std::string mode;

  static in_guest_tool in_guest_make(std::string_view config) {
    in_guest_tool t;
    t.mode = std::string(config);
    return t;
  }
  std::string in_guest_config() const { return mode; }

  template <class G>
  void count(long nr, G& g) {
    ++g.thread_state().calls;
    auto& ps = g.process_state();
    if (ps.pid == 0) ps.pid = g.pid();
    // In the guest ("pidcheck"): the handle's process is the one making the call.
    const bool wrong_pid = mode == "pidcheck" && g.pid() != static_cast<pid_t>(::syscall(SYS_getpid));
    if (ps.pid != g.pid() || wrong_pid) g.global().call([](global_state& s) { ++s.state_mixups; });
    g.global().call([nr](global_state& s) {
      ++s.counts[nr >= 0 && nr < max_syscall_number ? nr : max_syscall_number];
      ++s.total;
      ++s.by_number[nr];
    });
  }

  template <class Call, class G>
  void on(const Call& call, G& g) {
    const long nr = call.to_raw().number;
    count(nr, g);
    if (mode == "alloc") {
      std::vector<std::string> v;
      for (int i = 0; i < 8; ++i) v.push_back(std::string(40 + i * 16, 'x') + std::to_string(nr));
      std::uint64_t n = 0;
      for (auto& s : v) n += s.size();
      g.global().call([n](global_state& s) { s.allocated += n; });
    }
  }

  template <class G>
  void on(const sys::x86_64::getppid& call, G& g) {
    count(call.to_raw().number, g);
    if (mode == "suppress") g.suppress(4242);
    if (mode == "inject") {
      auto r = g.inject(sys::raw_call{SYS_getpid, {}});
      if (r) g.suppress(*r);
    }
    if (mode == "tail") (void)g.tail_inject(sys::raw_call{SYS_getpid, {}});
  }
  template <class G>
  long on_exit(const sys::x86_64::getppid&, long ret, G&) {
    return mode == "exit" ? 77 : ret;
  }

  template <class G>
  void on(sys::x86_64::write& call, G& g) {
    count(call.to_raw().number, g);
    if (mode == "modify" && call.count() > 2) call.set_count(2);
    if (mode == "read") {
      char buf[64];
      const std::size_t n = call.count() < sizeof buf ? call.count() : sizeof buf;
      auto r = g.read_bytes(call.buf().address, std::as_writable_bytes(std::span<char>(buf, n)));
      const long err = r ? 0 : r.error_number();
      const long got = r ? static_cast<long>(*r) : 0;
      g.global().call([err, got](global_state& s) {
        if (err) s.bad_read_error = err;
        s.good_read_bytes += got;
      });
    }
  }

  template <class G>
  void on_process_exit(exit_status end, G& g) {
    const bool killed = end.is_killed();
    const int sig = killed ? end.signal() : 0;
    g.global().call([killed, sig](global_state& s) {
      if (killed) {
        ++s.killed_processes;
        s.last_kill_signal = sig;
      } else {
        ++s.exited_processes;
      }
    });
  }
};

}  // namespace snare::test
