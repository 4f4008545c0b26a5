// Defines the gdbserver's session with one gdb: what the ptrace engine's debugger seam tells it
// (the first exec, signal stops, forks, the ends), the processes gdb debugs (the first, and
// each fork child gdb keeps), the stop and resume control (all-stop: a stop stops every other
// thread of those processes, gdb is told, and served until it resumes), and the packet loop.
// The packet handlers are in server/handlers.hpp.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/gdb/protocol.hpp>
#include <snare/gdb/server/breakpoints.hpp>
#include <snare/gdb/server/connection.hpp>
#include <snare/gdb/server/host_io.hpp>
#include <snare/gdb/server/monitor.hpp>
#include <snare/gdb/server/watchpoints.hpp>
#include <snare/sys/syscall_set.hpp>

namespace snare::gdb::detail {

// One gdb's session with the guest's processes it debugs. Every call runs on the tracer's
// thread, but the interrupt callback (the connection's reader thread).
template <class Tool>
class session : public backend::ptrace_detail::debugger {
 protected:
  using engine_type = backend::ptrace_detail::engine<Tool>;
  // A step's range: the thread steps while its pc is in [start, end) (vCont;r); empty for `s`.
  struct step_range {
    std::uint64_t start = 0, end = 0;
  };

  session() = default;
  session(const session&) = delete;
  session& operator=(const session&) = delete;
  ~session() override = default;

  // Answers one request; false when the guest runs again (or is gone) and serving stops.
  virtual bool answer(const request_type& req) = 0;

  // --- the debugger seam (backend/ptrace/detail/debugger.hpp) ---
  bool on_exec(pid_t pid, pid_t tid) override {
    if (started_) return on_later_exec(pid, tid);
    started_ = true;
    root_ = pid;
    procs_ = {pid};
    engine_->debug_processes(procs_);
    interrupt_pid_ = pid;
    int fd = snare::detail::retry_eintr(
        [&] { return ::accept4(listener_.fd.get(), nullptr, nullptr, SOCK_CLOEXEC); });
    listener_.fd.reset();
    if (fd < 0) return false;  // no gdb: the run goes on without one
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on a Unix socket
    conn_ = std::make_unique<connection>(fd);
    // As gdbserver does on Ctrl-C: SIGINT to the process of the last stop.
    conn_->set_interrupt([this] {
      if (const pid_t p = interrupt_pid_.load(); p > 0) ::kill(p, SIGINT);
    });
    stopped(tid, SIGTRAP, {}, false);
    return true;
  }

  bool on_signal(pid_t pid, pid_t tid, int sig) override {
    if (!conn_ || !debugs(pid)) return false;
    // A signal gdb passes silently (QPassSignals) goes to the guest, through the tool's
    // on_signal, without a stop; one gdb's QProgramSignals leaves out is dropped. A thread
    // gdb steps is stopped for it all the same, as gdbserver does.
    if (sig != SIGTRAP && steps_.count(tid) == 0) {
      const auto g = static_cast<std::size_t>(to_gdb_signal(sig));
      if (g < pass_.size() && pass_[g]) {
        if (!program_set_ || program_[g]) return false;
        engine_->debug_release(tid, 0, false);
        return true;
      }
    }
    bool stale = false;
    auto hit = sig == SIGTRAP ? watchpoints_[pid].fired(tid, stale) : std::nullopt;
    if (stale) {  // a deleted watchpoint's trap, held while another thread stopped: dropped
      engine_->debug_release(tid, 0, false);
      return true;
    }
    if (sig == SIGTRAP && !hit.has_value() && in_range(pid, tid))
      return engine_->debug_release(tid, 0, true), true;  // range stepping: one more instruction
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    if (hit) {
      // A debug register's trap: after the write or access (the pc past the instruction), or
      // before the instruction for a hardware breakpoint (the kernel sets RF to go on).
      why.what = hit->type == 2   ? reply::stop_reason::kind::watch
                 : hit->type == 4 ? reply::stop_reason::kind::awatch
                 : hwbreak_       ? reply::stop_reason::kind::hwbreak
                                  : reply::stop_reason::kind::signal;
      why.address = hit->address;
    } else if (sig == SIGTRAP) {
      siginfo_t si{};
      auto regs = engine_->debug_registers(tid);
      // int3 reports SI_KERNEL with the pc after it: a breakpoint of ours is rewound onto.
      if (::ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code == SI_KERNEL && regs &&
          breakpoints(pid).contains(regs->rip - 1)) {
        user_regs_struct r = *regs;
        r.rip -= 1;
        (void)engine_->debug_set_registers(tid, r);
        if (swbreak_) why.what = reply::stop_reason::kind::swbreak;
      }
    }
    stopped(tid, sig, why, true);
    return true;
  }

  // True when thread `tid`, at the trap of a step of a range step (vCont;r), has its pc
  // inside the range and is not at one of our breakpoints (an int3 there is a stop for gdb).
  bool in_range(pid_t pid, pid_t tid) {
    auto step = steps_.find(tid);
    if (step == steps_.end() || step->second.end <= step->second.start) return false;
    auto regs = engine_->debug_registers(tid);
    if (!regs) return false;
    siginfo_t si{};
    if (::ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code == SI_KERNEL &&
        breakpoints(pid).contains(regs->rip - 1))
      return false;
    return regs->rip >= step->second.start && regs->rip < step->second.end;
  }

  // The debugged process exec'd again: its breakpoints went with the old image; gdb is told
  // when it asked for exec events (`exec:` with the new program's path).
  bool on_later_exec(pid_t pid, pid_t tid) {
    // A vfork child's exec leaves its parent's memory (and breakpoints) alone.
    if (vfork_parent_.erase(pid) == 0) breakpoints_[pid].forget();
    watchpoints_[pid].clear();  // the kernel clears the debug registers at exec
    if (!conn_ || !exec_events_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = reply::stop_reason::kind::exec;
    char path[64], target[4096];
    std::snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t n = ::readlink(path, target, sizeof target);
    if (n > 0) why.exec_path.assign(target, static_cast<std::size_t>(n));
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // A fork or vfork of a debugged process: gdb is told when it asked for that kind of event,
  // the child held at its first stop until gdb detaches it (`D;pid`) or resumes it; from
  // now on it is one of the processes gdb debugs (a vfork child shares its parent's memory,
  // and breakpoints, until its exec or exit).
  bool on_fork_event(pid_t pid, pid_t tid, pid_t child, bool vfork) override {
    if (!conn_ || !debugs(pid) || !(vfork ? vfork_events_ : fork_events_)) {
      engine_->debug_release(child, 0, false);
      return false;
    }
    conn_->arm_interrupt(false);
    pending_child_ = child;
    if (vfork) vfork_parent_[child] = pid;
    procs_.push_back(child);
    engine_->debug_processes(procs_);
    reply::stop_reason why;
    why.what = vfork ? reply::stop_reason::kind::vfork : reply::stop_reason::kind::fork;
    why.child = {child, child};
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // The vfork's child exec'd or exited: the memory is the parent's alone again.
  bool on_vfork_done(pid_t pid, pid_t tid) override {
    std::erase_if(vfork_parent_, [pid](const auto& e) { return e.second == pid; });
    if (!conn_ || !debugs(pid) || !vfork_events_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = reply::stop_reason::kind::vforkdone;
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // Lets debugged process `pid` go: its breakpoints and watchpoints out (a vfork child's are
  // its parent's: left), its threads released; it runs on under the tool alone.
  void release_process(pid_t pid) {
    if (vfork_parent_.erase(pid) == 0) breakpoints_[pid].clear(pid);
    watchpoints_[pid].clear();
    const auto threads = engine_->debug_threads(pid);
    for (pid_t t : threads) (void)watchpoints_[pid].sync(t);
    forget_process(pid);
    for (pid_t t : threads) engine_->debug_release(t, 0, false);
    if (threads.empty()) engine_->debug_release(pid, 0, false);  // a child before its first stop
  }

  // Drops process `pid` from those gdb debugs (it detached it, or it is gone).
  void forget_process(pid_t pid) {
    std::erase(procs_, pid);
    engine_->debug_processes(procs_);
    breakpoints_.erase(pid);
    watchpoints_.erase(pid);
    vfork_parent_.erase(pid);
    if (pending_child_ == pid) pending_child_ = 0;
    if (general_ > 0 && engine_->debug_process_of(general_) == pid) general_ = 0;
  }

  bool debugs(pid_t pid) const noexcept {
    return std::find(procs_.begin(), procs_.end(), pid) != procs_.end();
  }

  // The process of thread `tid` (0 when gone).
  pid_t process_of(pid_t tid) { return engine_->debug_process_of(tid); }

  // The breakpoints in process `pid`'s memory: a vfork child's are its parent's.
  breakpoint_table& breakpoints(pid_t pid) {
    auto parent = vfork_parent_.find(pid);
    return breakpoints_[parent != vfork_parent_.end() ? parent->second : pid];
  }

  // Every thread of the processes gdb debugs, with its process.
  std::vector<thread_id> all_threads() {
    std::vector<thread_id> out;
    for (pid_t p : procs_)
      for (pid_t t : engine_->debug_threads(p)) out.push_back({p, t});
    return out;
  }

  // A call gdb catches (QCatchSyscalls), at its entry or exit: a SIGTRAP stop with the
  // reason, as gdbserver reports it.
  bool on_syscall(pid_t pid, pid_t tid, long nr, bool entry) override {
    if (!conn_ || !debugs(pid)) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = entry ? reply::stop_reason::kind::syscall_entry : reply::stop_reason::kind::syscall_return;
    why.syscall = nr;
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // A thread made while the guest runs gets the watchpoints the others have.
  void on_thread_start(pid_t pid, pid_t tid) override {
    if (debugs(pid)) (void)watchpoints_[pid].sync(tid);
  }

  // The calls of the debugged process, kept per thread for `monitor syscalls`.
  void on_call(pid_t tid, long nr, const sys::raw_args& args) override {
    if (root_ == 0) return;  // before gdb's process exists
    calls_[tid].add(nr, args);
  }
  void on_call_exit(pid_t tid, long ret) override {
    if (auto it = calls_.find(tid); it != calls_.end()) it->second.returned(ret);
  }

  // The child has the parent's memory, int3s included: they go, or it dies of SIGTRAP at one
  // (gdb inserts its own in the child when it keeps it).
  void on_fork(pid_t pid, pid_t child) override { breakpoints(pid).write_originals(child); }

  void on_root_exit(int status) override {
    if (debugs(root_)) process_exit(root_, status);
  }
  void on_process_exit(pid_t pid, int status) override {
    if (debugs(pid)) process_exit(pid, status);
  }

  // A debugged process ended: gdb is told (W or X) when it waits for a stop. The session
  // ends with the last process; else the others stop (all-stop) and gdb is served.
  void process_exit(pid_t pid, int status) {
    forget_process(pid);
    if (!conn_) return;
    conn_->arm_interrupt(false);
    // gdb waits for a stop reply while the guest runs; a stopped process killed by gdb's
    // `kill` is told no more (gdb forgets it itself).
    const bool tell = running_;
    last_stop_ =
        WIFSIGNALED(status) ? reply::killed(pid, WTERMSIG(status)) : reply::exited(pid, WEXITSTATUS(status));
    running_ = false;
    if (procs_.empty()) {
      if (tell) send_packet(last_stop_);
      conn_->close();
      conn_.reset();
      return;
    }
    if (!tell) return;
    engine_->debug_stop_others(0);
    auto threads = all_threads();
    current_ = threads.empty() ? 0 : static_cast<pid_t>(threads.front().tid);
    general_ = 0;
    steps_.clear();
    send_packet(last_stop_);
    serve();
  }

  // --- a stop: stop the other threads, tell gdb, serve it until it resumes ---
  void stopped(pid_t tid, int sig, reply::stop_reason why, bool tell) {
    engine_->debug_stop_others(tid);
    // Another thread that hit one of the breakpoints meanwhile goes back onto it, its SIGTRAP
    // dropped: it hits it again when it runs, if gdb still wants it (gdbserver's
    // cancel_breakpoint). Else, gdb having taken the breakpoint out (it does at each stop),
    // its trap would come as a stray SIGTRAP, or kill it after a detach.
    for (const thread_id& id : all_threads()) {
      const auto other = static_cast<pid_t>(id.tid);
      if (other == tid) continue;
      auto regs = engine_->debug_registers(other);
      siginfo_t si{};
      if (!regs || !breakpoints(static_cast<pid_t>(id.pid)).contains(regs->rip - 1) ||
          ::ptrace(PTRACE_GETSIGINFO, other, 0, &si) != 0 || si.si_signo != SIGTRAP ||
          si.si_code != SI_KERNEL || !engine_->debug_drop_trap(other))
        continue;
      user_regs_struct r = *regs;
      r.rip -= 1;
      (void)engine_->debug_set_registers(other, r);
    }
    steps_.clear();  // gdb steps again (or not) when it resumes
    current_ = tid;
    general_ = 0;
    const pid_t pid = process_of(tid);
    if (pid > 0) interrupt_pid_ = pid;
    last_stop_ = reply::stopped(sig, {pid, tid}, why);
    if (tell && running_) send_packet(last_stop_);
    running_ = false;
    serve();
  }

  void serve() {
    for (;;) {
      auto packet = next_packet();
      if (!packet) {  // gdb is gone without a detach: end the guest, as gdbserver does
        end_session();
        engine_->debug_kill_all();
        return;
      }
      if (log_) std::fprintf(log_, "gdb> %s\n", packet->c_str());
      if (!answer(parse(*packet))) return;  // resumed, detached or killed
    }
  }

  // Reads bytes until a whole good packet; acks it (until no-ack mode), nacks a bad one,
  // sends the last reply again on a nack. Nullopt once gdb is gone.
  std::optional<std::string> next_packet() {
    for (;;) {
      auto c = conn_->next();
      if (!c) return std::nullopt;
      auto got = reader_.feed(*c);
      if (!got) continue;
      switch (*got) {
        case packet_reader::kind::packet:
          if (!no_ack_) conn_->send("+");
          return std::string(reader_.payload());
        case packet_reader::kind::bad:
          if (!no_ack_) conn_->send("-");
          break;
        case packet_reader::kind::nack:
          if (!no_ack_ && !last_sent_.empty()) conn_->send(last_sent_);
          break;
        case packet_reader::kind::ack:
        case packet_reader::kind::interrupt:  // the guest is stopped already
          break;
      }
    }
  }

  void send_packet(std::string_view payload) {
    if (log_)
      std::fprintf(log_, "gdb< %.*s\n", static_cast<int>(std::min<std::size_t>(payload.size(), 200)),
                   payload.data());
    last_sent_ = frame(payload);
    conn_->send(last_sent_);
  }

  // Stops serving: the guest runs on under the tool alone.
  void end_session() {
    running_ = false;
    if (conn_) {
      conn_->arm_interrupt(false);
      conn_->close();
      conn_.reset();
    }
  }

  // Lets every thread gdb named run again (their actions chosen by the handler): gdb is told
  // of the next stop.
  void resuming() {
    running_ = true;
    conn_->arm_interrupt(true);
  }

  engine_type* engine_ = nullptr;
  listener listener_;
  std::unique_ptr<connection> conn_;
  packet_reader reader_;
  std::string last_sent_, last_stop_;
  std::map<pid_t, breakpoint_table> breakpoints_;  // per process (breakpoints(): a vfork child's)
  std::map<pid_t, watchpoint_table> watchpoints_;  // per process
  std::map<pid_t, pid_t> vfork_parent_;            // a vfork child, until its exec or exit -> its parent
  host_files files_;                               // vFile's open files
  std::map<pid_t, call_history> calls_;            // per thread, for monitor syscalls
  std::optional<syscall_set> catching_;            // the last calls gdb asked to catch (QCatchSyscalls:1)
  std::map<pid_t, step_range> steps_;              // the threads gdb steps, until the next stop it is told of
  std::bitset<256> pass_, program_;                // QPassSignals, QProgramSignals: by gdb's signal number
  bool program_set_ = false;  // gdb sent QProgramSignals (else every signal may be delivered)
  std::FILE* log_ = nullptr;
  pid_t root_ = 0;                       // the guest's first process
  std::vector<pid_t> procs_;             // the processes gdb debugs, the first one first
  std::atomic<pid_t> interrupt_pid_{0};  // gdb's Ctrl-C signals it: the process of the last stop
  pid_t current_ = 0;                    // the thread of the last stop
  pid_t general_ = 0;                    // Hg's thread (0: the current one)
  pid_t pending_child_ = 0;              // the fork child gdb was told of last, not resumed yet
  bool started_ = false, running_ = false, no_ack_ = false, swbreak_ = false, hwbreak_ = false;
  bool fork_events_ = false, vfork_events_ = false, exec_events_ = false;  // what gdb asked for
};

}  // namespace snare::gdb::detail
