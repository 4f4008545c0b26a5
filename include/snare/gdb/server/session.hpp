// Defines the gdbserver's session with one gdb: what the ptrace engine's debugger seam tells it
// (the first exec, signal stops, forks, the end), the stop and resume control (all-stop: a stop
// stops the process's other threads, gdb is told, and served until it resumes), and the
// packet loop. The packet handlers are in server/handlers.hpp.
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
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

// One gdb's session with the guest's first process. Every call runs on the tracer's thread.
template <class Tool>
class session : public backend::ptrace_detail::debugger {
 protected:
  using engine_type = backend::ptrace_detail::engine<Tool>;

  session() = default;
  session(const session&) = delete;
  session& operator=(const session&) = delete;
  ~session() override = default;

  // Answers one request; false when the guest runs again (or is gone) and serving stops.
  virtual bool answer(const request_type& req) = 0;

  // --- the debugger seam (backend/ptrace/detail/debugger.hpp) ---
  bool on_exec(pid_t pid, pid_t tid) override {
    if (started_) return on_later_exec(tid);
    started_ = true;
    pid_ = pid;
    int fd = snare::detail::retry_eintr(
        [&] { return ::accept4(listener_.fd.get(), nullptr, nullptr, SOCK_CLOEXEC); });
    listener_.fd.reset();
    if (fd < 0) return false;  // no gdb: the run goes on without one
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on a Unix socket
    conn_ = std::make_unique<connection>(fd);
    conn_->set_interrupt([pid] { ::kill(pid, SIGINT); });  // as gdbserver does on Ctrl-C
    stopped(tid, SIGTRAP, {}, false);
    return true;
  }

  bool on_signal(pid_t pid, pid_t tid, int sig) override {
    if (!conn_ || pid != pid_) return false;
    bool stale = false;
    auto hit = sig == SIGTRAP ? watchpoints_.fired(tid, stale) : std::nullopt;
    if (stale) {  // a deleted watchpoint's trap, held while another thread stopped: dropped
      engine_->debug_release(tid, 0, false);
      return true;
    }
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
          breakpoints_.contains(regs->rip - 1)) {
        user_regs_struct r = *regs;
        r.rip -= 1;
        (void)engine_->debug_set_registers(tid, r);
        if (swbreak_) why.what = reply::stop_reason::kind::swbreak;
      }
    }
    stopped(tid, sig, why, true);
    return true;
  }

  // The debugged process exec'd again: its breakpoints went with the old image; gdb is told
  // when it asked for exec events (`exec:` with the new program's path).
  bool on_later_exec(pid_t tid) {
    breakpoints_.forget();
    if (!conn_ || !exec_events_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = reply::stop_reason::kind::exec;
    char path[64], target[4096];
    std::snprintf(path, sizeof path, "/proc/%d/exe", pid_);
    ssize_t n = ::readlink(path, target, sizeof target);
    if (n > 0) why.exec_path.assign(target, static_cast<std::size_t>(n));
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // A fork or vfork of the debugged process: gdb is told when it asked for that kind of
  // event, the child held at its first stop until gdb detaches it (`D;pid`) or resumes it.
  bool on_fork_event(pid_t pid, pid_t tid, pid_t child, bool vfork) override {
    if (!conn_ || pid != pid_ || !(vfork ? vfork_events_ : fork_events_)) {
      engine_->debug_release(child, 0, false);
      return false;
    }
    conn_->arm_interrupt(false);
    pending_child_ = child;
    pending_vfork_ = vfork;
    reply::stop_reason why;
    why.what = vfork ? reply::stop_reason::kind::vfork : reply::stop_reason::kind::fork;
    why.child = {child, child};
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // The vfork's child exec'd or exited: the memory is the parent's alone again.
  bool on_vfork_done(pid_t pid, pid_t tid) override {
    if (!conn_ || pid != pid_ || !vfork_events_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = reply::stop_reason::kind::vforkdone;
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // Lets the fork child gdb was told of go (it runs on under the tool alone).
  void release_child() {
    if (pending_child_ == 0) return;
    engine_->debug_release(pending_child_, 0, false);
    if (general_ == pending_child_) general_ = 0;
    pending_child_ = 0;
  }

  // A call gdb catches (QCatchSyscalls), at its entry or exit: a SIGTRAP stop with the
  // reason, as gdbserver reports it.
  bool on_syscall(pid_t pid, pid_t tid, long nr, bool entry) override {
    if (!conn_ || pid != pid_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    why.what = entry ? reply::stop_reason::kind::syscall_entry : reply::stop_reason::kind::syscall_return;
    why.syscall = nr;
    stopped(tid, SIGTRAP, why, true);
    return true;
  }

  // A thread made while the guest runs gets the watchpoints the others have.
  void on_thread_start(pid_t pid, pid_t tid) override {
    if (pid == pid_) (void)watchpoints_.sync(tid);
  }

  // The calls of the debugged process, kept per thread for `monitor syscalls`.
  void on_call(pid_t tid, long nr, const sys::raw_args& args) override {
    if (pid_ == 0) return;  // before gdb's process exists
    calls_[tid].add(nr, args);
  }
  void on_call_exit(pid_t tid, long ret) override {
    if (auto it = calls_.find(tid); it != calls_.end()) it->second.returned(ret);
  }

  // The child has the parent's memory, int3s included: they go, or it dies of SIGTRAP at one
  // (gdb is not told of forks yet).
  void on_fork(pid_t child) override { breakpoints_.write_originals(child); }

  void on_root_exit(int status) override {
    if (!conn_) return;
    conn_->arm_interrupt(false);
    // gdb waits for a stop reply while the guest runs; a stopped guest killed by gdb's `k`
    // is told no more (gdb forgets it itself).
    if (running_)
      send_packet(WIFSIGNALED(status) ? reply::killed(pid_, WTERMSIG(status))
                                      : reply::exited(pid_, WEXITSTATUS(status)));
    running_ = false;
    conn_->close();
    conn_.reset();
  }

  // --- a stop: stop the other threads, tell gdb, serve it until it resumes ---
  void stopped(pid_t tid, int sig, reply::stop_reason why, bool tell) {
    engine_->debug_stop_others(tid);
    // Another thread that hit one of the breakpoints meanwhile goes back onto it, its SIGTRAP
    // dropped: it hits it again when it runs, if gdb still wants it (gdbserver's
    // cancel_breakpoint). Else, gdb having taken the breakpoint out (it does at each stop),
    // its trap would come as a stray SIGTRAP, or kill it after a detach.
    for (pid_t other : engine_->debug_threads(pid_)) {
      if (other == tid) continue;
      auto regs = engine_->debug_registers(other);
      siginfo_t si{};
      if (!regs || !breakpoints_.contains(regs->rip - 1) || ::ptrace(PTRACE_GETSIGINFO, other, 0, &si) != 0 ||
          si.si_signo != SIGTRAP || si.si_code != SI_KERNEL || !engine_->debug_drop_trap(other))
        continue;
      user_regs_struct r = *regs;
      r.rip -= 1;
      (void)engine_->debug_set_registers(other, r);
    }
    current_ = tid;
    general_ = 0;
    last_stop_ = reply::stopped(sig, {pid_, tid}, why);
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
  breakpoint_table breakpoints_;
  watchpoint_table watchpoints_;
  host_files files_;                     // vFile's open files
  std::map<pid_t, call_history> calls_;  // per thread, for monitor syscalls
  std::optional<syscall_set> catching_;  // the last calls gdb asked to catch (QCatchSyscalls:1)
  std::FILE* log_ = nullptr;
  pid_t pid_ = 0;            // the process gdb debugs: the guest's first
  pid_t current_ = 0;        // the thread of the last stop
  pid_t general_ = 0;        // Hg's thread (0: the current one)
  pid_t pending_child_ = 0;  // the fork child gdb was told of, held until gdb lets it go
  bool pending_vfork_ = false;
  bool started_ = false, running_ = false, no_ack_ = false, swbreak_ = false, hwbreak_ = false;
  bool fork_events_ = false, vfork_events_ = false, exec_events_ = false;  // what gdb asked for
};

}  // namespace snare::gdb::detail
