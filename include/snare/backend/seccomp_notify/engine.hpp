// Defines the engine and guest handle of the seccomp_notify backend: the filter built from the
// tool's subscription (RET_USER_NOTIF), the event loop over a detail::seccomp::session, and
// the dispatch of each trapped call to the tool's handler.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <snare/arch/native.hpp>
#include <snare/backend/concept.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/backend/seccomp_notify/detail/session.hpp>
#include <snare/backend/seccomp_notify/detail/spawn.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/records.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/engine/wait.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/guest/auxv.hpp>
#include <snare/guest/handle.hpp>
#include <snare/host.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/tool.hpp>

namespace snare::backend::seccomp_notify_detail {

template <class Tool>
class engine;

/// The per-thread record: the engine core's (identity, process, state), and the fiber its
/// handlers run on with the call they serve, so that a handler that waits (wait_until)
/// leaves its call unanswered while the other threads' calls are served.
template <class Tool>
struct thread_rec : ::snare::engine::thread_record<Tool> {
  explicit thread_rec(fiber::stack_pool& pool) : worker(pool) {}
  fiber::worker worker;
  engine<Tool>* owner = nullptr;
  snare::detail::seccomp::notification call{};  // the call its handler serves
  action act{};
  bool answered = false;       // the handler answered it itself (reply_fd)
  bool dead = false;           // its task ended while its handler waited
  bool cancelled = false;      // its call was withdrawn while its handler waited
  bool dispatch_call = false;  // the call reaches the tool's syscall handlers
  // Lifecycle events its pending call carries (a start, an exec), told on its fiber before
  // the call's own handler, so that their handlers may wait too.
  struct lifecycle_event {
    enum class what : std::uint8_t { process_start, thread_start, exec } kind;
    pid_t pid, tid;
  };
  std::vector<lifecycle_event> lifecycle;
  wait_condition waiting{};  // what its handler waits for, while it waits
};

/// The guest handle handlers receive on the seccomp_notify backend. Memory goes through the
/// call pending in this thread (none for exit events: then operation_not_supported).
template <class Tool>
class guest : public guest_base<guest<Tool>, seccomp_notify, Tool> {
 public:
  guest(engine<Tool>& e, pid_t pid, pid_t tid, const snare::detail::seccomp::notification* call,
        thread_rec<Tool>* rec = nullptr, thread_rec<Tool>* serving = nullptr) noexcept
      : engine_(&e), pid_(pid), tid_(tid), call_(call), rec_(rec), serving_(serving ? serving : rec) {}

  /// Returns the process id (thread group id) of the guest thread.
  pid_t pid() const noexcept { return pid_; }
  /// Returns the thread id of the guest thread.
  pid_t tid() const noexcept { return tid_; }

  /// Installs a duplicate of the supervisor's `fd` into the guest process and returns its
  /// number there. Errors: operation_not_supported outside a trapped call, no_such_process
  /// when the guest thread is gone, the errno of SECCOMP_IOCTL_NOTIF_ADDFD otherwise.
  result<int> add_fd(int fd, bool cloexec = true) noexcept {
    require_capability<seccomp_notify, capability::can_add_fd>();
    if (!call_) return std::errc::operation_not_supported;
    return engine_->session().add_fd(*call_, fd, -1, cloexec);
  }
  /// Answers the current call with a new fd: installs `fd` into the guest and makes the call
  /// return its number, atomically (the call itself does not run). Errors as add_fd.
  result<int> reply_fd(int fd, bool cloexec = true) noexcept {
    require_capability<seccomp_notify, capability::can_add_fd>();
    if (!call_ || answered_) return std::errc::operation_not_supported;
    auto r = engine_->session().respond_with_fd(*call_, fd, cloexec);
    answered_ = true;
    return r;
  }
  /// Returns whether the current call was already answered (reply_fd).
  bool answered() const noexcept { return answered_; }

  // guest_base's backend hooks.
  result<std::size_t> do_read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    if (!call_) return std::errc::operation_not_supported;
    return engine_->session().memory(*call_).read_bytes(address, out);
  }
  result<std::size_t> do_write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    if (!call_) return std::errc::operation_not_supported;
    return engine_->session().memory(*call_).write_bytes(address, in);
  }
  // Never reached: guest_base's inject/tail_inject stop compilation first (can_inject).
  result<long> do_inject(const sys::raw_call&) noexcept { return std::errc::operation_not_supported; }
  result<void> do_tail_inject(const sys::raw_call&) noexcept { return std::errc::operation_not_supported; }
  thread_state_t<Tool>& do_thread_state() noexcept { return record().state; }
  process_state_t<Tool>& do_process_state() noexcept { return record().proc->state; }
  global_state_t<Tool>& do_global_state() noexcept { return engine_->global_state(); }
  std::optional<pid_t> do_ppid() const noexcept { return engine_->parent_of(pid_); }
  bool do_is_root_process() const noexcept { return pid_ == engine_->root_process(); }
  result<auxv_table> do_auxv() const { return snare::detail::read_process_auxv(pid_); }

  /// Says that this process is a daemon the run need not wait for, as ptrace's daemonize:
  /// once only daemons remain among the processes this backend has seen, they are killed.
  void daemonize() { engine_->daemonize(record().proc); }

  result<void> do_wait(wait_condition c) noexcept {
    return engine_->wait(serving_ ? *serving_ : record(), c);
  }

 private:
  engine<Tool>* engine_;
  pid_t pid_;
  pid_t tid_;
  const snare::detail::seccomp::notification* call_;
  thread_rec<Tool>* rec_;      // this thread's record when the handler runs on a fiber; else found by id
  thread_rec<Tool>* serving_;  // the record whose fiber runs the handler (its call's thread)
  bool answered_ = false;

  // This thread's record: the served call's (kept even while its task ends), else by id.
  thread_rec<Tool>& record() { return rec_ ? *rec_ : engine_->record_of(pid_, tid_); }
};

/// The engine of one run: see snare::backend concept.
template <class Tool>
class engine : public ::snare::engine::core<seccomp_notify, Tool, guest<Tool>> {
  using core_type = ::snare::engine::core<seccomp_notify, Tool, guest<Tool>>;
  using core_type::followed;
  using core_type::options_;
  using core_type::root_;
  using core_type::tool_;

 public:
  using core_type::subscription;
  using typename core_type::dispatch_type;
  using typename core_type::guest_type;
  using typename core_type::table_type;

  engine(Tool& tool, const run_options& options, global_state_t<Tool>& global)
      : core_type(tool, options, global) {}
  ~engine() { end_handlers(); }
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Starts argv and serves it to the end; returns its exit code (127 when it cannot run,
  /// 128+N when killed by signal N, exit_host_unsupported when the host lacks seccomp user
  /// notification). Rethrows a handler's exception after killing the guest.
  int run(std::span<const char* const> argv) {
    if (argv.empty() || argv[0] == nullptr) return this->cannot_run("", "empty command line");
    snare::detail::launch_plan plan;
    snare::detail::launch_io io;
    if (auto no = snare::detail::prepare_launch(::snare::command::from_argv(argv), plan, io))
      return this->cannot_run(argv[0], no->why.c_str());
    return run(plan);
  }

  /// Starts the guest of a prepared launch (snare::command; engine/detail/launch.hpp) and
  /// serves it as run(argv) does.
  int run(snare::detail::launch_plan& plan) {
    // A vDSO patched at the first trapped call after an exec would miss the calls before it.
    if (options_.vdso_as_syscalls)
      return this->refuse_option("make the vDSO's functions syscalls (vdso_as_syscalls)");
    const char* name = plan.name();
    if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
    const bpf::program& program = this->filter_program([](const syscall_set& entry) {
      return bpf::build_filter(filter_set(entry), SECCOMP_RET_USER_NOTIF);
    });
    // Once the supervisor holds a call, only a fatal signal may end its wait: a handled
    // signal would otherwise end a call that never blocks natively (rt_sigaction, getpid)
    // with EINTR (seccomp(2), SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; docs/seccomp_notify.md).
    const unsigned flags = host_features().has(host_feature::notif_wait_killable_recv)
                               ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
                               : 0;
    snare::detail::launch_failure failed;
    auto g = snare::detail::seccomp::spawn_guest(
        plan, std::span<const sock_filter>(program.code.data(), program.size), options_.pin_cpu,
        !filter_set(subscription.entry).contains(SYS_sched_yield), flags, &failed);
    if (!g) {
      if (failed.step != snare::detail::launch_step::none) {
        if (options_.report_exec_failure)
          std::fprintf(stderr, "snare: cannot set up the guest for '%s': %s\n", name,
                       snare::detail::describe(plan, failed).c_str());
        return this->finish(exit_status::exited(127));
      }
      return this->cannot_run(name, std::make_error_code(g.error()).message().c_str());
    }
    command_ = name;
    snare::detail::seccomp::session_options so;
    so.wake_fd = options_.stop ? options_.stop->wake_fd() : -1;
    session_ = std::make_unique<snare::detail::seccomp::session>(std::move(*g), so);
    root_ = session_->pid();
    try {
      return serve();
    } catch (...) {
      session_->kill_all();
      throw;
    }
  }

  // For the guest handle.
  snare::detail::seccomp::session& session() noexcept { return *session_; }
  using thread_t = thread_rec<Tool>;
  using process_t = ::snare::engine::process_record<Tool>;
  std::optional<pid_t> parent_of(pid_t pid) const noexcept { return records_.recorded_parent(pid); }
  // Suspends t's handler until `c` holds (tested after each event: serve).
  result<void> wait(thread_t& t, wait_condition c) noexcept {
    auto r = waiters_.wait(t, c);
    if (r && t.cancelled) return std::errc::interrupted;  // its call was withdrawn (on_syscall)
    return r;
  }
  void daemonize(process_t* p) noexcept {
    p->daemon = true;
    daemons_ = true;
    end_if_only_daemons();
  }
  // Once only daemon processes remain, kills them (ptrace's daemonize does the same).
  void end_if_only_daemons() noexcept {
    if (!daemons_ || !records_.only_daemons()) return;
    daemons_ended_ = true;
    records_.for_each_process([](process_t& p) { ::kill(p.pid, SIGKILL); });
  }
  /// Returns thread `tid`'s record (of process `pid`), made on first use.
  thread_t& record_of(pid_t pid, pid_t tid) {
    if (auto* t = records_.find(tid)) return *t;
    return records_.add(
        tid, pid, [](process_t&) {}, pool_);
  }
  /// Returns whether SYNC_WAKE_UP is in effect for this run.
  bool sync_wakeup() const noexcept { return session_ && session_->sync_wakeup(); }

 private:
  // The syscalls the filter traps: the tool's (its entry set `s`), plus those the lifecycle
  // handlers learn from.
  static constexpr syscall_set filter_set(syscall_set s) noexcept {
    if constexpr (has_exec_handler<Tool, guest_type>) {
      s.add(SYS_execve);
      s.add(SYS_execveat);
    }
    // exit_group's argument is the only source of the exit status of a process that is not
    // the direct child. `exit` is never added: thread ends come from thread pidfds, and a
    // trapped exit would fail with ENOSYS once the supervisor is gone, which glibc's thread
    // exit retries forever.
    if constexpr (has_process_exit_handler<Tool, guest_type>) s.add(SYS_exit_group);
    return s;
  }

  int serve() {
    using snare::detail::seccomp::event_kind;
    auto& s = *session_;
    while (true) {
      auto ev = s.next();
      if (!ev) throw std::system_error(std::make_error_code(ev.error()), "snare: seccomp_notify listener");
      auto& e = *ev;
      const snare::detail::seccomp::notification* call = e.with_call ? &e.notif : nullptr;
      switch (e.kind) {
        case event_kind::syscall:
          on_syscall(e.notif);
          break;
        case event_kind::task_start:
          if (!followed(e.tgid)) break;
          {
            guest_type g(*this, e.tgid, e.tid, call);
            // A new process's state is built from its parent's (known from /proc); a thread's
            // creator is not known here, so thread state is not inherited on this backend.
            if (!e.is_thread && records_.find_process(e.tgid) == nullptr && e.parent > 0) {
              if (auto* parent = records_.find_process(e.parent))
                records_.add(
                    e.tid, e.tgid,
                    [&](process_t& p) {
                      ::snare::engine::inherit_state(p.state, parent->state);
                      p.daemon = parent->daemon;
                    },
                    pool_);
            }
            auto& t = record_of(e.tgid, e.tid);
            // Forked by a daemon the run has ended (seen only now, at its first trapped call).
            if (daemons_ended_ && t.proc->daemon) ::kill(e.tgid, SIGKILL);
            using what = typename thread_t::lifecycle_event::what;
            if (!t.proc->started) {
              t.proc->started = true;
              tell_before_call(call, {what::process_start, e.tgid, e.tid}, g);
            }
            if (!t.started) {
              t.started = true;
              tell_before_call(call, {what::thread_start, e.tgid, e.tid}, g);
            }
          }
          break;
        case event_kind::exec:
          if (e.former_tid != 0) {
            // A thread other than the leader exec'd: the leader is gone (superseded) and the
            // exec'ing thread, with its state, carries on under the leader's id.
            if (followed(e.tgid)) {
              guest_type old_leader(*this, e.tgid, e.tgid, nullptr);
              snare::engine::notify_thread_exit(*tool_, exit_status::superseded(e.former_tid), old_leader);
            }
            end_record(records_.move_to_leader(e.former_tid, e.tgid));
          }
          if (!followed(e.tgid)) break;
          {
            guest_type g(*this, e.tgid, e.tid, call);
            tell_before_call(call, {thread_t::lifecycle_event::what::exec, e.tgid, e.tid}, g);
          }
          break;
        case event_kind::task_exit:
          if (followed(e.tgid)) {
            guest_type g(*this, e.tgid, e.tid, nullptr);
            snare::engine::notify_thread_exit(*tool_, e.status_known ? e.status : -1, g);
            if (!e.is_thread) {
              // -1: the backend cannot know how this process ended (docs/seccomp_notify.md).
              snare::engine::notify_process_exit(*tool_, e.status_known ? e.status : -1, g);
            }
          }
          end_thread(e.tid);
          end_if_only_daemons();
          break;
        case event_kind::wake:
          // A request to stop: signal the guests and go on serving them until they end.
          if (int sig = this->take_stop_request(); sig != 0) s.signal_all(sig);
          break;
        case event_kind::guest_exit:
          if (int err = s.exec_error(); err != 0) return this->cannot_run(command_, std::strerror(err));
          return this->finish(e.status_known ? exit_status::from_wait_status(e.status) : exit_status{});
      }
      if (!waiters_.empty()) wake_waiters();
    }
  }

  // Resumes the handlers whose wait_until condition holds, and answers their calls.
  void wake_waiters() {
    waiters_.wake([this](thread_t& t) {
      t.worker.resume();
      if (!t.worker.busy()) answer(t);
    });
  }

  // Ends thread `tid`'s record: a handler still waiting on it returns no_such_process.
  void end_thread(pid_t tid) { end_record(records_.take(tid)); }
  void end_record(std::unique_ptr<thread_t> rec) {
    if (!rec) return;
    rec->dead = true;
    waiters_.remove(*rec);
    while (rec->worker.busy()) rec->worker.resume();
    records_.release(std::move(rec));
  }

  // Finishes every handler still waiting (the run ends: a handler threw, or the engine goes)
  // before the fibers go: a job left suspended in a noexcept function would terminate.
  void end_handlers() noexcept { waiters_.end_all(records_); }

  // Each call's handler runs on its thread's fiber, as with ptrace: a handler that waits
  // (wait_until) leaves its call unanswered and the supervisor serves the other threads'
  // calls meanwhile, answering each when its handler ends, in any order (the kernel matches
  // a response to its notification by id). A fiber costs two context switches per call.
  void on_syscall(const snare::detail::seccomp::notification& n) {
    auto& s = *session_;
    const bool wanted = subscription.entry.contains(n.call.number) && followed(n.tgid);
    thread_t* found = records_.find(n.tid);
    if (!wanted && (found == nullptr || found->lifecycle.empty())) {
      (void)s.respond_continue(n);  // a lifecycle-only trap, or a process not followed
      return;
    }
    thread_t& t = found ? *found : record_of(n.tgid, n.tid);
    if (t.worker.busy()) {
      // A thread has one call in flight, so its waiting handler's call was withdrawn: a
      // signal ended it (without WAIT_KILLABLE_RECV), or the handler answered it itself
      // (reply_fd) and waits on. That handler's wait returns `interrupted`; the thread goes on.
      t.cancelled = true;
      waiters_.remove(t);
      while (t.worker.busy()) t.worker.resume();
      t.cancelled = false;
    }
    t.owner = this;
    t.call = n;
    t.answered = false;
    t.dispatch_call = wanted;
    t.act = proceed();
    t.worker.run(&engine::job, &t);
    if (!t.worker.busy()) answer(t);
  }

  // Tells a lifecycle event (a start, an exec) on the fiber of the thread whose call carries
  // it, before that call's handler (job); without a call, at once on the supervisor's stack.
  void tell_before_call(const snare::detail::seccomp::notification* call,
                        typename thread_t::lifecycle_event ev, guest_type& g) {
    if (call != nullptr) return record_of(call->tgid, call->tid).lifecycle.push_back(ev);
    tell(ev, g);
  }
  void tell(const typename thread_t::lifecycle_event& ev, guest_type& g) {
    using what = typename thread_t::lifecycle_event::what;
    switch (ev.kind) {
      case what::process_start:
        return snare::engine::notify_process_start(*tool_, g);
      case what::thread_start:
        return snare::engine::notify_thread_start(*tool_, g);
      case what::exec:
        return snare::engine::notify_exec(*tool_, g);
    }
  }

  static void job(void* p) {
    auto& t = *static_cast<thread_t*>(p);
    auto& e = *t.owner;
    // Taken out first: events of a later call may be added while these handlers wait.
    auto events = std::exchange(t.lifecycle, {});
    for (const auto& ev : events) {
      guest_type lg(e, ev.pid, ev.tid, &t.call, &e.record_of(ev.pid, ev.tid), &t);
      e.tell(ev, lg);
    }
    if (!t.dispatch_call) return;
    guest_type g(e, t.call.tgid, t.call.tid, &t.call, &t);
    dispatch::raw_args args = t.call.call.args;
    t.act = dispatch_type::on_entry(*e.tool_, g, t.call.call.number, args);
    t.answered = g.answered();
  }

  // Answers t's call as its handler left it.
  void answer(thread_t& t) {
    if (t.dead || t.answered) return;
    auto& s = *session_;
    const action a = t.act;
    // ENOENT from the kernel (the thread died or was interrupted) is not the tool's error.
    if (a.what() == action::kind::proceed) {
      (void)s.respond_continue(t.call);
    } else if (a.value() < 0 && a.value() >= -4095) {
      (void)s.respond_error(t.call, static_cast<int>(-a.value()));
    } else {
      (void)s.respond_value(t.call, a.value());
    }
  }

  std::unique_ptr<snare::detail::seccomp::session> session_;
  const char* command_ = "";
  fiber::stack_pool pool_;
  ::snare::engine::records<thread_t, process_t> records_;
  ::snare::engine::waiters<thread_t> waiters_;  // handlers in wait_until
  bool daemons_ = false;                        // a process was made a daemon (guest::daemonize)
  bool daemons_ended_ = false;                  // only daemons were left: they were killed
};

}  // namespace snare::backend::seccomp_notify_detail
