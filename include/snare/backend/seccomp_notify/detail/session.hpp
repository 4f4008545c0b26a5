// Defines session: the supervisor side of one seccomp-notify run. It turns the listener, the
// direct child's pidfd and the trapped syscalls themselves into one ordered stream of events
// (syscall, task start, exec, task exit, end of run) and sends the answers. It waits on one
// epoll set that holds every descriptor once (registered when the task is first seen), so a
// wait costs the same however many processes and threads the guest has.
#pragma once

#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <snare/backend/seccomp_notify/detail/abi.hpp>
#include <snare/backend/seccomp_notify/detail/memory.hpp>
#include <snare/backend/seccomp_notify/detail/spawn.hpp>
#include <snare/detail/posix.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>

namespace snare::detail::seccomp {

/// pidfd_open's PIDFD_THREAD flag (Linux 6.9; O_EXCL's value), absent from older headers.
inline constexpr unsigned pidfd_thread = O_EXCL;

/// One trapped syscall, as the kernel reported it.
struct notification {
  std::uint64_t id = 0;
  pid_t tid = 0;   ///< the calling thread
  pid_t tgid = 0;  ///< its process
  sys::raw_call call{};
  std::uint64_t ip = 0;  ///< the instruction after the syscall instruction
};

/// What happened in the guest.
enum class event_kind : std::uint8_t {
  syscall,     ///< a trapped syscall waits for its answer (respond_* exactly once)
  task_start,  ///< a process or thread was seen for the first time
  exec,        ///< a process completed an execve/execveat
  task_exit,   ///< a thread or a process ended
  guest_exit,  ///< the run is over: the direct child is reaped and no task uses the filter
  wake,        ///< session_options::wake_fd became readable (a request to stop the run)
};

/// One event of the stream; which fields mean something depends on `kind`.
struct event {
  event_kind kind = event_kind::syscall;
  pid_t tid = 0;     ///< the thread (for process events, the process id)
  pid_t tgid = 0;    ///< the process
  pid_t parent = 0;  ///< task_start of a process: its parent process, when known
  /// exec: the id the exec'ing thread had when it was not the leader (it now has the
  /// leader's, and the old leader is gone: superseded); 0 when the leader exec'd.
  pid_t former_tid = 0;
  bool is_thread = false;     ///< task_start / task_exit: a thread rather than a whole process
  bool status_known = false;  ///< task_exit of a process / guest_exit: `status` is real
  int status = 0;             ///< a wait status (WIFEXITED, WEXITSTATUS, WIFSIGNALED apply)
  /// The call pending in this thread while the event is handled: always for syscall; for
  /// task_start and exec when the event was found through that call (memory is readable).
  bool with_call = false;
  notification notif{};
};

/// Options of a session.
struct session_options {
  /// Asks for SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+); ignored when the kernel lacks it.
  bool sync_wakeup = true;
  /// A descriptor whose readability ends a wait with a wake event (a stop_source's eventfd;
  /// the engine drains it); -1 for none.
  int wake_fd = -1;
};

/// Identifies one program image of a process: AT_RANDOM's address and its 16 bytes, which the
/// kernel draws afresh at every execve (whatever ASLR says). A different value means an exec.
struct image_fingerprint {
  std::uint64_t at_random = 0;
  std::array<std::byte, 16> bytes{};
  bool valid = false;
  friend bool operator==(const image_fingerprint&, const image_fingerprint&) = default;
};

/// Reads the fingerprint of task `tid`'s current image (valid=false when unreadable).
inline image_fingerprint read_fingerprint(int listener, std::uint64_t id, pid_t tid) noexcept {
  image_fingerprint f;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/auxv", tid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return f;
  std::uint64_t auxv[128];
  auto n = retry_eintr([&] { return ::read(fd.get(), auxv, sizeof auxv); });
  if (n <= 0) return f;
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(n) / sizeof(std::uint64_t); i += 2) {
    if (auxv[i] == 25 /* AT_RANDOM */) f.at_random = auxv[i + 1];
  }
  if (f.at_random == 0) return f;
  notif_memory mem(listener, id, tid);
  auto got = mem.read_bytes(f.at_random, f.bytes);
  f.valid = got && *got == f.bytes.size();
  return f;
}

/// The supervisor side of one run. Not thread-safe: one thread drives it.
class session {
 public:
  /// Takes over a guest started by spawn_guest.
  explicit session(spawned_guest guest, session_options opts = {}) : guest_(std::move(guest)) {
    if (opts.sync_wakeup) sync_wakeup_ = static_cast<bool>(notif_set_sync_wakeup(guest_.listener.get()));
    wake_fd_ = opts.wake_fd;
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    watch(listener(), source::listener, 0);
    if (wake_fd_ >= 0) watch(wake_fd_, source::wake, 0);
    watch(guest_.pidfd.get(), source::child, guest_.pid);
    procs_[guest_.pid] = process{};
    tasks_[guest_.pid] = guest_.pid;
    event e;
    e.kind = event_kind::task_start;
    e.tid = e.tgid = guest_.pid;
    e.parent = ::getpid();
    queue_.push_back(e);
  }

  session(const session&) = delete;
  session& operator=(const session&) = delete;
  session(session&&) = default;
  session& operator=(session&&) = delete;
  /// Kills what is left of the guest when the run did not reach its end.
  ~session() {
    if (guest_.pidfd && !child_reaped_) kill_all();
  }

  /// Sends SIGKILL to every guest process the session knows and reaps the direct child; for
  /// a run abandoned on an error. Processes that never made a trapped call are not known.
  void kill_all() noexcept {
    for (auto& [tgid, p] : procs_) {
      if (p.pidfd) (void)::syscall(SYS_pidfd_send_signal, p.pidfd.get(), SIGKILL, nullptr, 0);
    }
    if (!child_reaped_ && guest_.pidfd) {
      (void)::syscall(SYS_pidfd_send_signal, guest_.pidfd.get(), SIGKILL, nullptr, 0);
      int status = 0;
      retry_eintr([&] { return ::waitpid(guest_.pid, &status, 0); });
      child_reaped_ = true;
      child_status_ = status;
    }
  }

  /// Sends `sig` to every guest process: those the session knows and, found through /proc,
  /// their descendants (a process that never made a trapped call is known only so; an
  /// orphan whose parent is gone is missed). SIGCONT follows to one that is stopped, so
  /// that it acts on the signal (as strace does for its child). For a request to stop.
  void signal_all(int sig) {
    auto send = [sig](int pidfd, pid_t pid) {
      if (pidfd >= 0)
        (void)::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0);
      else
        (void)::kill(pid, sig);  // found in /proc just now: as any kill(2) by pid
      if (sig != SIGKILL && sig != SIGCONT && process_is_stopped(pid)) {
        if (pidfd >= 0)
          (void)::syscall(SYS_pidfd_send_signal, pidfd, SIGCONT, nullptr, 0);
        else
          (void)::kill(pid, SIGCONT);
      }
    };
    std::vector<pid_t> known;
    if (!child_reaped_) known.push_back(guest_.pid);
    for (auto& [tgid, p] : procs_)
      if (p.pidfd) known.push_back(tgid);
    // Found before any signal goes: a parent killed first would orphan its children.
    const std::vector<pid_t> found = descendants_of(known);
    if (!child_reaped_) send(guest_.pidfd.get(), guest_.pid);
    for (auto& [tgid, p] : procs_)
      if (p.pidfd) send(p.pidfd.get(), tgid);
    for (pid_t p : found)
      if (!procs_.contains(p)) send(-1, p);
  }

  /// Returns the direct child's pid.
  pid_t pid() const noexcept { return guest_.pid; }
  /// Returns the listener fd (owned by the session).
  int listener() const noexcept { return guest_.listener.get(); }
  /// Returns the errno of the child's failed first execve, or 0.
  int exec_error() const noexcept { return guest_.exec_error(); }
  /// Returns whether SYNC_WAKE_UP is in effect.
  bool sync_wakeup() const noexcept { return sync_wakeup_; }

  /// Waits for and returns the next event. After guest_exit, returns no_child_process.
  /// Other errors are those of epoll/ioctl on the listener (the run cannot go on).
  result<event> next() noexcept {
    while (queue_.empty()) {
      if (done_) return std::errc::no_child_process;
      if (auto r = wait_once(); !r) return r.error();
    }
    event e = queue_.front();
    queue_.pop_front();
    return e;
  }

  /// Lets the syscall run in the kernel as if it had not been trapped.
  result<void> respond_continue(const notification& n) noexcept {
    seccomp_notif_resp r{};
    r.id = n.id;
    r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    return finish(n, r);
  }
  /// Answers the syscall with `value` without running it.
  result<void> respond_value(const notification& n, std::int64_t value) noexcept {
    seccomp_notif_resp r{};
    r.id = n.id;
    r.val = value;
    return finish(n, r);
  }
  /// Fails the syscall with errno `err` (positive) without running it.
  result<void> respond_error(const notification& n, int err) noexcept {
    seccomp_notif_resp r{};
    r.id = n.id;
    r.error = -err;
    return finish(n, r);
  }
  /// Installs `fd` into the guest and answers the syscall with the new number, atomically.
  result<int> respond_with_fd(const notification& n, int fd, bool cloexec) noexcept {
    auto r = notif_addfd(listener(), n.id, fd, -1, cloexec, /*send=*/true);
    after_answer(n);
    if (!r && r.error() == std::errc::no_such_file_or_directory) return std::errc::no_such_process;
    return r;
  }
  /// Installs `fd` into the guest (at `target` when >= 0) without answering; returns the number.
  result<int> add_fd(const notification& n, int fd, int target, bool cloexec) noexcept {
    auto r = notif_addfd(listener(), n.id, fd, target, cloexec, /*send=*/false);
    if (!r && r.error() == std::errc::no_such_file_or_directory) return std::errc::no_such_process;
    return r;
  }
  /// Returns guest memory access for the task of `n`.
  notif_memory memory(const notification& n) const noexcept { return {listener(), n.id, n.tid}; }

 private:
  // What a descriptor in the epoll set stands for (epoll_event.data: the kind in the high
  // half, the pid or tid in the low half).
  enum class source : std::uint32_t { listener, wake, child, process, thread };

  // Adds fd to the epoll set. A descriptor leaves the set by itself when it is closed
  // (epoll(7): the last descriptor of the open file), the direct child's by unwatch.
  void watch(int fd, source what, pid_t id) noexcept {
    if (fd < 0 || !epoll_) return;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = (static_cast<std::uint64_t>(what) << 32) | static_cast<std::uint32_t>(id);
    (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
  }
  void unwatch(int fd) noexcept {
    if (fd >= 0 && epoll_) (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  }

  struct process {
    unique_fd pidfd;  // empty for the direct child (guest_.pidfd serves)
    bool exec_pending = false;
    pid_t exec_tid = 0;  // the thread that called execve
    image_fingerprint before_exec{};
    std::optional<int> exit_code;  // from exit_group's argument
  };

  result<void> finish(const notification& n, seccomp_notif_resp& r) noexcept {
    auto s = notif_send(listener(), r);
    after_answer(n);
    // ENOENT: the task died or a signal interrupted the call (it will trap again on restart).
    if (!s && s.error() == std::errc::no_such_file_or_directory) return std::errc::no_such_process;
    return s;
  }

  // exit and exit_group cannot fail: once answered (normally CONTINUE), the task is ending.
  void after_answer(const notification& n) noexcept {
    if (n.call.number == SYS_exit) {
      push_exit_thread(n.tid, n.tgid);
    } else if (n.call.number == SYS_exit_group) {
      if (auto p = procs_.find(n.tgid); p != procs_.end())
        p->second.exit_code = static_cast<int>(n.call.args[0] & 0xff);
      std::vector<pid_t> threads;
      for (auto& [tid, tgid] : tasks_)
        if (tgid == n.tgid && tid != n.tgid) threads.push_back(tid);
      for (pid_t t : threads) push_exit_thread(t, n.tgid);
    }
  }

  void push_exit_thread(pid_t tid, pid_t tgid) {
    if (tid == tgid) return;  // a leader's end is the process's, reported from its pidfd
    thread_fds_.erase(tid);
    if (tasks_.erase(tid) == 0) return;
    event e;
    e.kind = event_kind::task_exit;
    e.tid = tid;
    e.tgid = tgid;
    e.is_thread = true;
    queue_.push_back(e);
  }

  void push_exit_process(pid_t tgid, std::optional<int> wait_status) {
    auto p = procs_.find(tgid);
    if (p == procs_.end()) return;
    std::vector<pid_t> threads;
    for (auto& [tid, g] : tasks_)
      if (g == tgid && tid != tgid) threads.push_back(tid);
    for (pid_t t : threads) push_exit_thread(t, tgid);
    event e;
    e.kind = event_kind::task_exit;
    e.tid = e.tgid = tgid;
    if (wait_status) {
      e.status_known = true;
      e.status = *wait_status;
    } else if (p->second.exit_code) {
      e.status_known = true;
      e.status = (*p->second.exit_code & 0xff) << 8;  // as W_EXITCODE(code, 0)
    }
    tasks_.erase(tgid);
    procs_.erase(p);
    queue_.push_back(e);
  }

  result<void> wait_once() noexcept {
    if (!epoll_) return std::errc::too_many_files_open;  // epoll_create1 failed in the constructor
    auto& ready = ready_;  // reused between waits: no allocation per notification
    ready.resize(64);
    auto r =
        checked([&] { return ::epoll_wait(epoll_.get(), ready.data(), static_cast<int>(ready.size()), -1); });
    if (!r) return r.error();
    const auto n = static_cast<std::size_t>(*r);
    auto kind = [](const epoll_event& ev) { return static_cast<source>(ev.data.u64 >> 32); };
    auto id = [](const epoll_event& ev) { return static_cast<pid_t>(ev.data.u64 & 0xffffffffu); };

    bool wake = false, notified = false, hangup = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (kind(ready[i]) == source::wake) wake = true;
      if (kind(ready[i]) == source::listener) {
        notified = (ready[i].events & EPOLLIN) != 0;
        hangup = (ready[i].events & (EPOLLHUP | EPOLLERR)) != 0;
      }
    }
    // A stop request first: a listener that is always readable must not starve it.
    if (wake) {
      event e;
      e.kind = event_kind::wake;
      queue_.push_back(e);
    }
    // Notifications next: a pending call of a process must be seen before its end. The
    // ends stay readable (level-triggered) and come with a later wait.
    if (notified) {
      seccomp_notif k{};
      auto got = notif_recv(listener(), k);
      if (got) {
        on_notification(k);
      } else if (got.error() != std::errc::no_such_file_or_directory) {
        return got.error();
      }
      if (!queue_.empty()) return {};
    }
    for (std::size_t i = 0; i < n; ++i) {
      const pid_t owner = id(ready[i]);
      switch (kind(ready[i])) {
        case source::listener:
        case source::wake:
          break;  // seen above
        case source::thread: {
          // The thread ended (its exit is not trapped: a dead supervisor would leave a trapped
          // exit failing with ENOSYS, and glibc retries it forever). Its descriptor may be
          // gone already, with its process, earlier in this batch.
          if (!thread_fds_.contains(owner)) break;
          auto t = tasks_.find(owner);
          auto p = t == tasks_.end() ? procs_.end() : procs_.find(t->second);
          if (p != procs_.end() && p->second.exec_pending && p->second.exec_tid == owner) {
            // The exec'ing thread's old id ends when its exec succeeds (it takes the leader's):
            // not an exit. The new image's first trapped call tells (exec above).
            thread_fds_.erase(owner);
          } else if (t != tasks_.end()) {
            push_exit_thread(owner, t->second);
          } else {
            thread_fds_.erase(owner);
          }
          break;
        }
        case source::child: {
          if (child_reaped_) break;
          siginfo_t si{};
          if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(guest_.pidfd.get()), &si,
                       WEXITED | WNOHANG) == 0 &&
              si.si_pid != 0) {
            child_reaped_ = true;
            unwatch(guest_.pidfd.get());  // it stays open (and readable) for kill_all's test
            child_status_ = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 : (si.si_status & 0x7f);
            push_exit_process(guest_.pid, child_status_);
          }
          break;
        }
        case source::process:
          push_exit_process(owner, std::nullopt);
          break;
      }
    }
    if (hangup && child_reaped_ && queue_.empty()) {
      // No task uses the filter any more: every process that could trap is gone.
      for (auto it = procs_.begin(); it != procs_.end(); it = procs_.begin())
        push_exit_process(it->first, std::nullopt);
      event e;
      e.kind = event_kind::guest_exit;
      e.tid = e.tgid = guest_.pid;
      e.status_known = true;
      e.status = child_status_;
      queue_.push_back(e);
      done_ = true;
    }
    return {};
  }

  void on_notification(const seccomp_notif& k) noexcept {
    notification n;
    n.id = k.id;
    n.tid = static_cast<pid_t>(k.pid);
    n.ip = k.data.instruction_pointer;
    n.call.number = k.data.nr;
    for (std::size_t i = 0; i < 6; ++i) n.call.args[i] = k.data.args[i];

    // The spawn's own execve, before the image changes: the child still holds its copy of the
    // listener. Replace it now, so that a supervisor dying from here on leaves none behind.
    if (!first_seen_ && n.tid == guest_.pid) {
      first_seen_ = true;
      if (n.call.number == SYS_execve || n.call.number == SYS_execveat)
        (void)neutralise_child_listener(listener(), n.id, guest_.child_listener_fd);
    }

    auto t = tasks_.find(n.tid);
    const bool known = t != tasks_.end();
    if (known) {
      n.tgid = t->second;
    } else {
      auto ids = read_task_ids(n.tid);
      if (!ids || !notif_id_valid(listener(), n.id)) return;  // gone already; nothing to answer
      n.tgid = ids->tgid;
      if (procs_.find(n.tgid) == procs_.end()) {
        process p;
        p.pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, n.tgid, 0)));
        watch(p.pidfd.get(), source::process, n.tgid);
        procs_.emplace(n.tgid, std::move(p));
        tasks_[n.tgid] = n.tgid;
        event e;
        e.kind = event_kind::task_start;
        e.tid = e.tgid = n.tgid;
        e.parent = n.tgid == n.tid ? ids->ppid : 0;
        // The leader's memory is the process's: readable through this thread's call.
        e.with_call = true;
        e.notif = n;
        queue_.push_back(e);
      }
    }

    // An exec is told before the calls of the new image, and before threads it started.
    auto& proc = procs_[n.tgid];
    if (proc.exec_pending) {
      auto now = read_fingerprint(listener(), n.id, n.tid);
      if (now.valid && proc.before_exec.valid && !(now == proc.before_exec)) {
        proc.exec_pending = false;
        // A successful exec killed every other thread of the process (de_thread). An
        // exec'ing thread other than the leader lives on under the leader's id.
        const pid_t execing = proc.exec_tid != n.tgid && tasks_.contains(proc.exec_tid) ? proc.exec_tid : 0;
        std::vector<pid_t> threads;
        for (auto& [tid, g] : tasks_)
          if (g == n.tgid && tid != n.tgid && tid != execing) threads.push_back(tid);
        for (pid_t th : threads) push_exit_thread(th, n.tgid);
        if (execing != 0) {
          tasks_.erase(execing);
          thread_fds_.erase(execing);  // its old id is the dead leader's now
        }
        tasks_[n.tgid] = n.tgid;
        event e;
        e.kind = event_kind::exec;
        e.tid = e.tgid = n.tgid;
        e.former_tid = execing;
        e.with_call = true;
        e.notif = n;
        queue_.push_back(e);
      } else if (n.tid == proc.exec_tid || !now.valid) {
        // The execing thread is back in its old image: the exec failed. (Another thread's
        // call with the old image may come before the exec completes: keep waiting then.)
        proc.exec_pending = false;
      }
    }

    if (!known && n.tid != n.tgid) {
      tasks_[n.tid] = n.tgid;
      // A thread pidfd (Linux 6.9+) tells the thread's end without trapping its exit.
      int tfd = static_cast<int>(::syscall(SYS_pidfd_open, n.tid, pidfd_thread));
      if (tfd >= 0) {
        thread_fds_[n.tid].reset(tfd);
        watch(tfd, source::thread, n.tid);
      }
      event e;
      e.kind = event_kind::task_start;
      e.tid = n.tid;
      e.tgid = n.tgid;
      e.parent = n.tgid;
      e.is_thread = true;
      e.with_call = true;
      e.notif = n;
      queue_.push_back(e);
    }
    if (n.call.number == SYS_execve || n.call.number == SYS_execveat) {
      proc.exec_pending = true;
      proc.exec_tid = n.tid;
      proc.before_exec = read_fingerprint(listener(), n.id, n.tid);
    }

    event e;
    e.kind = event_kind::syscall;
    e.tid = n.tid;
    e.tgid = n.tgid;
    e.with_call = true;
    e.notif = n;
    queue_.push_back(e);
  }

  spawned_guest guest_;
  int wake_fd_ = -1;
  bool sync_wakeup_ = false;
  bool first_seen_ = false;
  bool child_reaped_ = false;
  bool done_ = false;
  int child_status_ = 0;
  std::unordered_map<pid_t, pid_t> tasks_;  // tid -> tgid
  std::unordered_map<pid_t, process> procs_;
  std::deque<event> queue_;
  std::unordered_map<pid_t, unique_fd> thread_fds_;  // tid -> PIDFD_THREAD pidfd, when the kernel has them
  unique_fd epoll_;                                  // every descriptor the session waits on (watch)
  std::vector<epoll_event> ready_;                   // what one epoll_wait returned
};

}  // namespace snare::detail::seccomp
