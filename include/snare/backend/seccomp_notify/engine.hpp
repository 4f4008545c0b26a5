// Defines the engine and guest handle of the seccomp_notify backend: the filter built from the
// tool's subscription (RET_USER_NOTIF), the event loop over a detail::seccomp::session, and
// the dispatch of each trapped call to the tool's handler.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <cstring>
#include <memory>
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
#include <snare/guest/handle.hpp>
#include <snare/host.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/tool.hpp>

namespace snare::backend::seccomp_notify_detail {

template <class Tool>
class engine;

/// The guest handle handlers receive on the seccomp_notify backend. Memory goes through the
/// call pending in this thread (none for exit events: then operation_not_supported).
template <class Tool>
class guest : public guest_base<guest<Tool>, seccomp_notify, Tool> {
 public:
  guest(engine<Tool>& e, pid_t pid, pid_t tid, const snare::detail::seccomp::notification* call) noexcept
      : engine_(&e), pid_(pid), tid_(tid), call_(call) {}

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
  thread_state_t<Tool>& do_thread_state() noexcept { return engine_->record_of(pid_, tid_).state; }
  process_state_t<Tool>& do_process_state() noexcept { return engine_->record_of(pid_, tid_).proc->state; }
  global_state_t<Tool>& do_global_state() noexcept { return engine_->global_state(); }

 private:
  engine<Tool>* engine_;
  pid_t pid_;
  pid_t tid_;
  const snare::detail::seccomp::notification* call_;
  bool answered_ = false;
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

  engine(Tool& tool, const run_options& options) : core_type(tool, options) {}
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
    const char* name = plan.name();
    if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
    static constexpr bpf::program program = bpf::build_filter(filter_set(), SECCOMP_RET_USER_NOTIF);
    // Once the supervisor holds a call, only a fatal signal may end its wait: a handled
    // signal would otherwise end a call that never blocks natively (rt_sigaction, getpid)
    // with EINTR (seccomp(2), SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; docs/seccomp_notify.md).
    const unsigned flags = host_features().has(host_feature::notif_wait_killable_recv)
                               ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
                               : 0;
    snare::detail::launch_failure failed;
    auto g = snare::detail::seccomp::spawn_guest(
        plan, std::span<const sock_filter>(program.code.data(), program.size), options_.pin_cpu,
        !filter_set().contains(SYS_sched_yield), flags, &failed);
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
  using thread_t = ::snare::engine::thread_record<Tool>;
  using process_t = ::snare::engine::process_record<Tool>;
  /// Returns thread `tid`'s record (of process `pid`), made on first use.
  thread_t& record_of(pid_t pid, pid_t tid) {
    if (auto* t = records_.find(tid)) return *t;
    return records_.add(tid, pid);
  }
  global_state_t<Tool>& global_state() noexcept { return global_; }
  /// Returns whether SYNC_WAKE_UP is in effect for this run.
  bool sync_wakeup() const noexcept { return session_ && session_->sync_wakeup(); }

 private:
  // The syscalls the filter traps: the tool's, plus those the lifecycle handlers learn from.
  static constexpr syscall_set filter_set() noexcept {
    syscall_set s = subscription.entry;
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
                records_.add(e.tid, e.tgid,
                             [&](process_t& p) { ::snare::engine::inherit_state(p.state, parent->state); });
            }
            auto& t = record_of(e.tgid, e.tid);
            if (!t.proc->started) {
              t.proc->started = true;
              snare::engine::notify_process_start(*tool_, g);
            }
            if (!t.started) {
              t.started = true;
              snare::engine::notify_thread_start(*tool_, g);
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
            records_.release(records_.move_to_leader(e.former_tid, e.tgid));
          }
          if (!followed(e.tgid)) break;
          {
            guest_type g(*this, e.tgid, e.tid, call);
            snare::engine::notify_exec(*tool_, g);
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
          records_.erase(e.tid);
          break;
        case event_kind::wake:
          // A request to stop: signal the guests and go on serving them until they end.
          if (int sig = this->take_stop_request(); sig != 0) s.signal_all(sig);
          break;
        case event_kind::guest_exit:
          if (int err = s.exec_error(); err != 0) return this->cannot_run(command_, std::strerror(err));
          return this->finish(e.status_known ? exit_status::from_wait_status(e.status) : exit_status{});
      }
    }
  }

  // Handlers run on the supervisor's own stack, not on a fiber per guest thread as with
  // ptrace: nothing a handler can do here waits on its guest thread (no inject), so a fiber
  // would never be suspended and would only add two context switches per call. The calls of
  // other threads wait in the kernel's queue meanwhile, as they would behind a fiber.
  void on_syscall(const snare::detail::seccomp::notification& n) {
    auto& s = *session_;
    if (!subscription.entry.contains(n.call.number) || !followed(n.tgid)) {
      (void)s.respond_continue(n);  // a lifecycle-only trap, or a process not followed
      return;
    }
    guest_type g(*this, n.tgid, n.tid, &n);
    dispatch::raw_args args = n.call.args;
    action a = dispatch_type::on_entry(*tool_, g, n.call.number, args);
    if (g.answered()) return;
    // ENOENT from the kernel (the thread died or was interrupted) is not the tool's error.
    if (a.what() == action::kind::proceed) {
      (void)s.respond_continue(n);
    } else if (a.value() < 0 && a.value() >= -4095) {
      (void)s.respond_error(n, static_cast<int>(-a.value()));
    } else {
      (void)s.respond_value(n, a.value());
    }
  }

  std::unique_ptr<snare::detail::seccomp::session> session_;
  const char* command_ = "";
  ::snare::engine::records<thread_t, process_t> records_;
  global_state_t<Tool> global_{};
};

}  // namespace snare::backend::seccomp_notify_detail
