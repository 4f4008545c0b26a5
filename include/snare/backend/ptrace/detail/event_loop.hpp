// Defines the ptrace engine: spawn under a seccomp filter, the waitpid(-1, __WALL) event loop
// that sorts each stop to its handler, the thread and process tables, and the final kill.
// The handlers of each kind of stop are defined by topic beside it: syscalls.hpp,
// injection.hpp, lifecycle.hpp (new tasks, exec, exits) and signals.hpp.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include <snare/backend/ptrace/detail/debugger.hpp>
#include <snare/backend/ptrace/detail/records.hpp>
#include <snare/backend/ptrace/detail/syscall_info.hpp>
#include <snare/backend/ptrace/regs.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/detail/posix.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/notify.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/engine/stop.hpp>
#include <snare/engine/vdso.hpp>
#include <snare/engine/wait.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/syscall_set.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

/// Runs one guest under Tool with ptrace.
template <class Tool>
class engine : public ::snare::engine::core<backend::ptrace, Tool, guest<Tool>> {
  using core_type = ::snare::engine::core<backend::ptrace, Tool, guest<Tool>>;
  using core_type::followed;
  using core_type::options_;
  using core_type::plan_;
  using core_type::root_;
  using core_type::tool_;

 public:
  using core_type::subscription;
  using typename core_type::dispatch_type;
  using typename core_type::guest_type;
  using typename core_type::table_type;

  engine(Tool& tool, const run_options& options, global_state_t<Tool>& global)
      : core_type(tool, options, global) {}
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;
  ~engine() { kill_all(); }

  /// Starts argv and serves events until every guest process is gone; returns the guest's
  /// exit code (128+N for signal N, 127 when the command cannot run, exit_host_unsupported
  /// when the host lacks what the run needs).
  int run(std::span<const char* const> argv) {
    if (argv.empty() || argv[0] == nullptr) return this->cannot_run("", "empty command line");
    detail::launch_plan plan;
    detail::launch_io io;
    if (auto no = detail::prepare_launch(::snare::command::from_argv(argv), plan, io))
      return this->cannot_run(argv[0], no->why.c_str());
    return run(plan);
  }

  /// Starts the guest of a prepared launch (snare::command; engine/detail/launch.hpp) and
  /// serves it as run(argv) does.
  int run(detail::launch_plan& plan) {
    const bpf::program& filter = this->filter_program([](const syscall_set& entry) {
      return bpf::build_filter(filter_set(entry), SECCOMP_RET_TRACE | trace_data, sys::x86_64::clone::number);
    });
    const char* name = plan.name();
    if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
    if (options_.vdso_as_syscalls) vdso_patches_ = snare::detail::vdso_patches();
    const bool trap_rdtsc = plan_.trap_rdtsc;
    // Without follow_forks the guest's children run untraced, as natively: snare's filter
    // cannot go with them (its RET_TRACE with no tracer fails the call with ENOSYS,
    // seccomp(2)), so the guest gets none and stops at every call (PTRACE_SYSCALL), as
    // strace turns --seccomp-bpf off without -f. Its threads stay traced (PTRACE_O_TRACECLONE).
    // detach_on_exec: no filter either, which a process let go would keep.
    // attach_too: no filter in the command either, as in the processes (attach_others).
    syscall_mode_ = !options_.follow_forks || options_.detach_on_exec || !attach_too_.empty();
    const bpf::program* with = syscall_mode_ ? nullptr : &filter;
    auto child = detail::spawn(plan, options_, [with, trap_rdtsc] { return setup_child(with, trap_rdtsc); });
    if (!child) {
      std::string why = std::strerror(child.error_number());
      if (plan.clone_flags != 0) why = "clone into new namespaces: " + why;
      return this->cannot_run(name, why.c_str());
    }
    root_ = child->pid;
    long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
                PTRACE_O_EXITKILL;
    // Without snare's filter no PTRACE_O_TRACESECCOMP either: a guest filter's RET_TRACE
    // fails with ENOSYS, as untraced.
    if (!syscall_mode_) opts |= PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
    if (syscall_mode_ && options_.follow_forks) opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
    if (debugger_ != nullptr) opts |= PTRACE_O_TRACEVFORKDONE;  // a debugger is told a vfork's end
    if (::ptrace(PTRACE_SEIZE, root_, 0, opts) != 0) {
      int e = errno;
      ::kill(root_, SIGKILL);
      while (::waitpid(root_, nullptr, 0) < 0 && errno == EINTR) {
      }
      return this->cannot_run(name, (std::string("cannot trace it: ") + std::strerror(e)).c_str());
    }
    // Its first stop is this interrupt, in the start gate's read: a stop the start handlers
    // may inject at, as at every other task's first stop (events.hpp, begin_start).
    ::ptrace(PTRACE_INTERRUPT, root_, 0, 0);
    add_thread(root_, root_);
    if (!attach_too_.empty()) attach_others(opts & ~long{PTRACE_O_EXITKILL | PTRACE_O_TRACEVFORKDONE});
    // A stop request wakes waitpid through the waker's exit (snare/engine/stop.hpp).
    if (options_.stop) (void)waker_.start(*options_.stop);
    (void)detail::open_gate(*child);
    loop();
    int failed = detail::read_spawn_failure(*child, name, options_.report_exec_failure, &plan,
                                            options_.tool_reports_exec_failure);
    if (failed >= 0 && !exec_seen_) return this->finish(exit_status::exited(failed));
    if (detached_ && !root_reaped_) return this->finish(exit_status{});  // attach_too: unknown
    return this->finish(exit_status::from_wait_status(root_status_));
  }

  /// Makes the next run(plan) attach to `pids` too, once the command is started, and serve
  /// all in one loop (strace -p PID COMMAND; detail/attach.hpp, attach_others).
  void attach_too(std::span<const pid_t> pids) { attach_too_.assign(pids.begin(), pids.end()); }

  /// Attaches to the running processes `pids`, every thread of each, and serves them as a
  /// launched guest's until they have all ended or a stop request detaches from them
  /// (detail/attach.hpp); never kills them. With run_options::attach_filter, one process
  /// may get the subscription as a seccomp filter; a stop request then silences the tool
  /// and the engine keeps serving the filter's stops until the processes end. Returns 0
  /// once detached, the first process's shell code when it ended traced, 1 when no process
  /// could be attached (with the reasons on stderr), exit_host_unsupported when the host or
  /// the tool's needs refuse it.
  int attach(std::span<const pid_t> pids);
  /// Says whether the last attach ended by detaching the tool (the processes live on).
  bool detached() const noexcept { return detached_ || keeping_; }
  /// Says how the attached processes are trapped: "seccomp-filter" (the subscription
  /// injected into them) or "ptrace-syscall" (PTRACE_SYSCALL at every call, as strace -p).
  const char* attach_path() const noexcept { return syscall_mode_ ? "ptrace-syscall" : "seccomp-filter"; }
  /// Why no filter was injected into an attached process ("" when one was, or none was
  /// asked for).
  const std::string& attach_filter_refusal() const noexcept { return filter_refusal_; }

  // Used by the guest handle.
  result<long> inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept;
  result<void> tail_inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept;
  result<void> set_timer(thread_rec<Tool>& t, std::chrono::nanoseconds cpu_time) noexcept;
  result<void> set_timer_precise(thread_rec<Tool>& t, std::uint64_t branches) noexcept;
  result<std::uint64_t> read_clock(thread_rec<Tool>& t) noexcept;
  // Suspends t's handler until `c` holds (tested after each event: wake_waiters).
  result<void> wait(thread_rec<Tool>& t, wait_condition c) noexcept { return waiters_.wait(t, c); }
  result<void> set_auxv(thread_rec<Tool>& t, std::uint64_t type, std::uint64_t value) noexcept;
  result<void> write_registers(thread_rec<Tool>& t, const user_regs_struct& r) noexcept {
    if (t.dead) return std::errc::no_such_process;
    if (t.injected) {
      t.saved = r;  // the call's own registers, put back when the handler ends
      return {};
    }
    if (!set_regs(t, r)) return std::errc::no_such_process;
    return {};
  }
  std::optional<pid_t> parent_of(pid_t pid) const noexcept { return records_.recorded_parent(pid); }

  // --- the debugger seam (detail/debug.hpp; snare/gdb/server.hpp is its user) ---
  /// Gives the debugged processes' exec events and signal stops, and their ends, to `d` (null:
  /// none). The root process is the one debugged until debug_processes says otherwise.
  void set_debugger(debugger* d) noexcept { debugger_ = d; }
  /// Makes `pids` the processes the debugger is told of (and whose threads stop for it).
  void debug_processes(std::vector<pid_t> pids) {
    debug_pids_ = std::move(pids);
    debug_pids_set_ = true;
  }
  pid_t debug_process_of(pid_t tid) noexcept;
  std::vector<pid_t> debug_threads(pid_t pid);
  void debug_stop_others(pid_t except);
  void debug_release(pid_t tid, int sig, bool step);
  bool debug_drop_trap(pid_t tid) noexcept;
  result<user_regs_struct> debug_registers(pid_t tid) noexcept;
  result<void> debug_set_registers(pid_t tid, const user_regs_struct& r) noexcept;
  void debug_kill_all() noexcept;
  void debug_catch_syscalls(const syscall_set* calls) noexcept;
  /// Keeps each new child process of a debugged process stopped at its first stop until the
  /// debugger releases it (debug_release), from fork and vfork events on (debugger::on_fork_event).
  void debug_hold_children(bool hold) noexcept { debug_hold_children_ = hold; }
  void daemonize(process_rec<Tool>& p) noexcept {
    p.daemon = true;
    daemons_ = true;
    end_if_only_daemons();
  }

 private:
  using thread_t = thread_rec<Tool>;
  using process_t = process_rec<Tool>;

  // The signal of the timers set_timer makes, and the value they carry (guest never sees it).
  static constexpr int timer_signal = SIGSTKFLT;
  static constexpr int timer_cookie = 0x534e544d;      // "SNTM"
  static constexpr int redeliver_cookie = 0x534e5247;  // "SNRG": a signal queued again
  static constexpr int precise_cookie = 0x534e5054;    // "SNPT": a precise timer's kick

  // The data of snare's own SECCOMP_RET_TRACE: a seccomp stop with any other value comes
  // from a filter the guest installed itself.
  static constexpr std::uint32_t trace_data = 0x534e;  // "SN"

  // The calls the filter traps: the tool's (its entry set `s`), and clone3, whose flags (in
  // memory) may hold CLONE_UNTRACED (clone's own flags are tested in the filter).
  static constexpr syscall_set filter_set(syscall_set s) noexcept {
    s.add(sys::x86_64::clone3::number);
    return s;
  }

  // Runs in the child after the gate opens, before exec: async-signal-safe only. RDTSC
  // trapping survives exec; CPUID faulting does not, so it is set at each exec event.
  // `filter` null: none (syscall mode).
  // The guest was seized with PTRACE_O_EXITKILL before the gate opened: that, not spawn's
  // PR_SET_PDEATHSIG, ties it to the tracer now. A guest the run lets go (a stop request in
  // run_and_attach, detach_on_exec, a debugger's detach) then lives on as under strace or
  // gdbserver, instead of dying of SIGKILL when the thread that launched it ends.
  static int setup_child(const bpf::program* filter, bool trap_rdtsc) noexcept {
    if (::prctl(PR_SET_PDEATHSIG, 0) != 0) return errno;
    if (trap_rdtsc && ::prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) return errno;
    if (filter == nullptr) return 0;
    sock_fprog prog = filter->fprog();
    if (detail::install_seccomp_filter(prog, 0) != 0) return errno;  // no_new_privs only when unprivileged
    return 0;
  }

  static pid_t read_tgid(pid_t tid) noexcept {
    auto ids = snare::detail::read_task_ids(tid);
    return ids ? ids->tgid : tid;
  }

  // Records a task; `creator`, when known, is the thread whose clone/fork/vfork made it.
  thread_t& add_thread(pid_t tid, pid_t tgid, const thread_t* creator = nullptr) {
    auto on_new_process = [this](process_t& p) {
      // Forked while a stop request was served (its parent got the signal after the fork).
      if (stop_signal_ != 0) ::kill(p.pid, stop_signal_);
      // Forked by a daemon the run has ended.
      if (daemons_ended_) ::kill(p.pid, SIGKILL);
    };
    if (creator != nullptr) return records_.add_child(*creator, tid, tgid, on_new_process, this, pool_);
    return records_.add(tid, tgid, on_new_process, this, pool_);
  }

  thread_t* find(pid_t tid) noexcept { return records_.find(tid); }

  // Once only daemon processes remain, kills them: the run ends (Reverie's daemonize).
  void end_if_only_daemons() noexcept {
    if (!daemons_ || !records_.only_daemons()) return;
    daemons_ended_ = true;
    records_.for_each_process([](process_t& p) { ::kill(p.pid, SIGKILL); });
  }

  // A new task's first stop can come before its creator's clone/fork/vfork event. It is held
  // (the task stays stopped) until that event says which thread created it, so that its
  // state is built from its creator's (engine/records.hpp) and its start is told after the
  // creator's event, as the kernel ordered them. The creator is its process for a thread,
  // its parent for a process (proc(5)); held only when that process is a guest's.
  bool hold_first_stop(pid_t tid, int status) {
    auto ids = snare::detail::read_task_ids(tid);
    if (!ids) return false;
    const pid_t creator = ids->tgid != tid ? ids->tgid : ids->ppid;
    if (records_.find_process(creator) == nullptr) return false;
    held_[tid] = held_stop{status, creator};
    return true;
  }

  // Starts the held tasks of `creator` without their creator's event, for when it can no
  // longer come (the creator's process ended or exec'd).
  void release_held(pid_t creator) {
    std::vector<std::pair<pid_t, int>> go;
    for (auto it = held_.begin(); it != held_.end();) {
      if (it->second.creator != creator) {
        ++it;
        continue;
      }
      go.emplace_back(it->first, it->second.status);
      it = held_.erase(it);
    }
    for (auto [tid, status] : go) {
      find_or_add(tid);  // unannounced: a late event of its creator will not retire it
      handle(tid, status);
    }
  }

  // Says whether a new process is let go untraced: without follow_forks and without snare's
  // filter (which a child would carry), where only PTRACE_O_TRACECLONE traced it.
  bool drops_new_processes() const noexcept { return syscall_mode_ && !options_.follow_forks; }

  // Lets task `tid`, stopped and not recorded, go untraced when it is a new process the run
  // does not follow (drops_new_processes): one a clone whose exit signal is not SIGCHLD made
  // (PTRACE_EVENT_CLONE, before or after this stop, says so), or one made with CLONE_PTRACE
  // (no event: the tool is told, as strace says "Detached unknown pid"). Returns true when it
  // was let go.
  bool let_go_unfollowed(pid_t tid) {
    if (!drops_new_processes()) return false;
    auto ids = snare::detail::read_task_ids(tid);
    if (!ids || ids->tgid != tid || records_.find_process(tid) != nullptr) return false;
    // A clone event comes for it unless its exit signal is SIGCHLD (PTRACE_O_TRACEFORK is
    // off) or a vfork made it; so with SIGCHLD it came by CLONE_PTRACE. Read while it is
    // stopped: once let go it may end.
    const bool by_clone_ptrace = snare::detail::read_exit_signal(tid) == SIGCHLD;
    ::ptrace(PTRACE_DETACH, tid, 0, 0);
    if (let_go_.erase(tid) != 0) return true;  // its creator's event came first
    if (by_clone_ptrace)
      snare::engine::notify_unknown_detach(*tool_, tid);
    else
      let_go_.insert(tid);  // its creator's event is to come
    return true;
  }

  thread_t& find_or_add(pid_t tid) {
    if (auto* t = find(tid)) return *t;
    unannounced_.insert(tid);  // seen before its parent's clone/fork/vfork event
    return add_thread(tid, read_tgid(tid));
  }

  bool followed(const thread_t& t) const noexcept { return followed(t.proc->pid); }

  // --- events (detail/events.hpp) ---
  using event_fn = void (*)(engine&, thread_t&);
  void run_event(thread_t& t, stop_kind where, event_fn handlers, event_fn then);
  void finish_event(thread_t& t);
  void begin_start(thread_t& t, int status);
  void start_now(thread_t& t);
  static void start_handlers(engine& e, thread_t& t);
  static void after_start(engine& e, thread_t& t);
  static void exec_handlers(engine& e, thread_t& t);
  static void after_exec(engine& e, thread_t& t);
  static void signal_handlers(engine& e, thread_t& t);
  static void after_signal(engine& e, thread_t& t);
  enum class timer_signal_kind : std::uint8_t { other, live, stale };
  timer_signal_kind classify_timer_signal(thread_t& t, int sig) noexcept;
  static void queue_signal(thread_t& t, int sig, int cookie) noexcept;
  static void timer_handlers(engine& e, thread_t& t);
  void arm_precise(thread_t& t) noexcept;
  void cancel_precise(thread_t& t) noexcept;
  bool is_precise_signal(thread_t& t, int sig) noexcept;
  void on_precise_signal(thread_t& t);
  void step_precise(thread_t& t, std::uint64_t now);
  bool on_precise_step(thread_t& t, int sig, int event);
  std::optional<std::uint64_t> syscall_site(thread_t& t) noexcept;

  // Registers are read only when something uses them: the call at a stop comes from
  // read_call (one request); the whole file (PTRACE_GETREGS) on first use at a stop, kept
  // until the thread runs again or its registers are written; single registers are written
  // in place (regs::poke_*) and whole files only where most of one changes.
  bool load_registers(thread_t& t) noexcept {
    if (!t.have_regs) t.have_regs = ::ptrace(PTRACE_GETREGS, t.tid, 0, &t.regs) == 0;
    return t.have_regs;
  }
  const user_regs_struct& registers(thread_t& t) noexcept {
    (void)load_registers(t);  // a thread gone meanwhile: writes from this copy fail as well
    return t.regs;
  }
  bool set_regs(thread_t& t, const user_regs_struct& r) noexcept {
    t.have_regs = false;
    return ::ptrace(PTRACE_SETREGS, t.tid, 0, &r) == 0;
  }
  // PTRACE_SYSCALL where a syscall stop is awaited: the tool's exit, an injected call's
  // (a thread may group-stop on its way to the injected call), the CPUID re-arm's, clone3's
  // whose flags are put back (put_back_clone3_flags); always
  // in an attached process without snare's filter, whose calls stop at their entry.
  void resume(thread_t& t, int sig = 0) noexcept {
    const bool syscall_stop_awaited = t.trace_exit || t.debug_exit || t.injecting || t.skip_entry_stop ||
                                      t.rearm != thread_t::rearm_stage::none || t.exec_pending ||
                                      t.clone3_args != 0;
    // A debugger's step runs one instruction once no syscall stop is awaited (detail/debug.hpp).
    ::ptrace(syscall_stop_awaited || syscall_mode_ ? PTRACE_SYSCALL
             : t.stepping                          ? PTRACE_SINGLESTEP
                                                   : PTRACE_CONT,
             t.tid, 0, sig);
  }

  // Reads the call at this syscall or seccomp stop (detail/syscall_info.hpp); false when the
  // thread is gone. A kernel without PTRACE_GET_SYSCALL_INFO: the registers, and at a seccomp
  // stop the filter's data from PTRACE_GETEVENTMSG (snare's own when that fails).
  bool read_call(thread_t& t, syscall_stop& s, bool seccomp) noexcept {
    const bool entries = syscall_mode_ && !seccomp;
    if (int got = info_.read(t.tid, s, entries); got >= 0) return got > 0;
    if (!load_registers(t)) return false;
    syscall_info_reader::from_registers(t.regs, s, entries);
    if (s.entry && !s.foreign) s.foreign = syscall_info_reader::entered_by_int80(t.tid, s.ip);
    unsigned long data = trace_data;
    if (seccomp && ::ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &data) != 0) data = trace_data;
    s.data = static_cast<std::uint32_t>(data);
    return true;
  }

  // Write single registers in place (regs::poke_*); the cached file is read again when used.
  void store_return_value(thread_t& t, long v) noexcept {
    t.have_regs = false;
    regs::poke_return_value(t.tid, v);
  }
  void store_syscall_number(thread_t& t, long nr) noexcept {
    t.have_regs = false;
    regs::poke_syscall_number(t.tid, nr);
  }
  void store_skipped_call(thread_t& t, long v) noexcept {
    t.have_regs = false;
    regs::poke_skipped_call(t.tid, v);
  }
  void store_arguments(thread_t& t, const dispatch::raw_args& from, const dispatch::raw_args& to) noexcept {
    t.have_regs = false;
    regs::poke_arguments(t.tid, from, to);
  }

  // Whether the coming exit stop of `t`'s call needs nothing of the engine (no injection's
  // result, exec, debugger's exit or clone3 flags to put back): it may pass unread.
  static bool exit_wants_nothing(const thread_t& t) noexcept {
    return !t.injecting && !t.exec_pending && !t.debug_exit && t.clone3_args == 0;
  }

  static void load_args(thread_t& t, const syscall_stop& s) noexcept {
    t.nr = s.nr;
    t.args = s.args;
  }
  static void store_args(user_regs_struct& r, const dispatch::raw_args& a) noexcept {
    regs::set_arguments(r, a);
  }

  // --- the event loop and its sorting of stops (detail/stops.hpp) ---
  void loop();
  void wake_waiters();
  void retire_stale_records();
  void on_stop_request();
  void handle(pid_t tid, int status);
  void handle_stop(thread_t& t, int status);

  // --- syscall stops (detail/syscalls.hpp) ---
  void on_seccomp_stop(thread_t& t);
  void serve_entry(thread_t& t, syscall_stop& s);
  void serve_entry_job(thread_t& t, syscall_stop& s);
  void guest_filter_trace(thread_t& t);
  void set_child_tracing(thread_t& t, long nr, dispatch::raw_args& args);
  void put_back_clone3_flags(thread_t& t) noexcept;
  void on_syscall_stop(thread_t& t);
  static void job(void* p);
  void run_job(thread_t& t);
  void finish_job(thread_t& t);
  void finish_entry(thread_t& t);
  void finish_exit(thread_t& t);
  void begin_exit_job(thread_t& t, long ret);

  // --- injection (detail/injection.hpp) ---
  void rewind_and_resume(thread_t& t, user_regs_struct r, long nr, const dispatch::raw_args& args);

  // --- processes, threads, exec (detail/lifecycle.hpp) ---
  void on_new_task(thread_t& parent, int event);
  void on_exec(thread_t& t);
  void detach_process(thread_t& t);
  void patch_vdso(thread_t& t) noexcept;
  void rearm_cpuid_step(thread_t& t);
  void retire(thread_t& t, exit_status end, bool process_may_end);
  void on_gone(pid_t tid, int status);

  // --- the debugger seam (detail/debug.hpp) ---
  bool debug_take(thread_t& t, typename thread_t::debug_hold why, int sig);
  // True when a debugger is set and debugs process `pid` (debug_processes; the root by default).
  bool debugging(pid_t pid) const noexcept {
    if (debugger_ == nullptr) return false;
    if (!debug_pids_set_) return pid == root_;
    return std::find(debug_pids_.begin(), debug_pids_.end(), pid) != debug_pids_.end();
  }
  bool debug_catches(const thread_t& t, long nr) const noexcept {
    return debug_catching_ && debugging(t.proc->pid) && debug_catch_.contains(nr);
  }
  void serve_exit(thread_t& t, long ret);
  bool debug_hold_child(thread_t& t, int status);

  // --- attach and detach (detail/attach.hpp) ---
  int seize_process(pid_t pid, long ptrace_options);
  bool inject_filter(pid_t tgid, std::vector<std::pair<pid_t, int>>& reports);
  bool run_injected_call(thread_t& t, const user_regs_struct& r, long& ret,
                         std::vector<std::pair<pid_t, int>>& reports);
  void keep_silently();
  void detach_all() noexcept;
  void attach_others(long ptrace_options);
  void put_back(thread_t& t) noexcept;

  // --- signals (detail/signals.hpp) ---
  void on_signal(thread_t& t, int sig);
  void deliver_signal(thread_t& t, int sig);
  bool emulate_instruction(thread_t& t);
  bool sent_again(thread_t& t) noexcept;
  stop_kind event_stop(thread_t& t) noexcept;
  static void raise_deferred_signals(thread_t& t) noexcept;

  void kill_all() noexcept {
    waker_.end();
    // Never kills what it attached to: detaches, or keeps serving snare's filter in it.
    if (attach_mode_ && !detached_ && !tracees_gone_) {
      // attach_too: the command is the run's own, killed as in a launched run's end.
      if (!attach_too_.empty() && !root_reaped_) ::kill(root_, SIGKILL);
      if (syscall_mode_) {
        detach_all();
      } else {
        keeping_ = true;  // silently: no tool code runs in a destructor
        this->silenced_ = true;
        try {
          loop();
        } catch (...) {
        }
      }
    }
    if (attach_mode_) {  // whatever is left is not killed (the kernel detaches it at our exit)
      held_.clear();
      waiters_.end_all(records_);
      records_.clear();
      return;
    }
    if (records_.empty()) return;
    // After ECHILD no tracee exists: what records remain name no task of ours.
    if (!tracees_gone_) {
      records_.for_each_thread([](thread_t& t) { ::kill(t.tid, SIGKILL); });
      for (auto& [tid, h] : held_) ::kill(tid, SIGKILL);
    }
    held_.clear();
    for (;;) {
      int status = 0;
      pid_t p = ::waitpid(-1, &status, __WALL);
      if (p < 0) {
        if (errno == EINTR) continue;
        break;
      }
      // A task may still report a stop (its exit stop, a new child's first stop): kill it
      // too and let it run to its death.
      if (WIFSTOPPED(status)) {
        ::kill(p, SIGKILL);
        ::ptrace(PTRACE_CONT, p, 0, 0);
      }
    }
    // Finish handlers still waiting on their thread (their inject fails) before the fibers go.
    waiters_.end_all(records_);
    records_.clear();
  }

  fiber::stack_pool pool_;
  ::snare::engine::records<thread_t, process_t> records_;
  int root_status_ = 0;
  bool root_reaped_ = false;
  bool tracees_gone_ = false;   // waitpid said ECHILD
  int stop_signal_ = 0;         // the signal of the last stop request served
  bool daemons_ = false;        // a process was made a daemon (guest::daemonize)
  bool daemons_ended_ = false;  // only daemons were left: they were killed
  bool exec_seen_ = false;
  bool attach_mode_ = false;       // the guests were attached to (attach): a stop detaches
  bool syscall_mode_ = false;      // no snare filter in them: every call stops (PTRACE_SYSCALL)
  bool detached_ = false;          // the attached tasks were detached from (detach_all)
  bool keeping_ = false;           // the tool was detached; snare's filter is served silently
  std::string filter_refusal_;     // why no filter was injected (attach_filter asked for one)
  std::vector<pid_t> attach_too_;  // attached beside the launched command (attach_too)
  pid_t serving_ = -1;             // the task whose stop handle() serves (-1: none)
  // Tasks whose first report came before their parent's new-task event, and those of them
  // already gone: the event, when it comes, must not make a record for a dead task (the
  // record would never end, and the loop would wait for it).
  std::unordered_set<pid_t> unannounced_, gone_unannounced_;
  // First stops held until the creator's event (hold_first_stop), by tid.
  struct held_stop {
    int status;
    pid_t creator;
  };
  std::unordered_map<pid_t, held_stop> held_;
  // New processes let go untraced (let_go_unfollowed) whose creator's event is still to come,
  // or whose creator's event came before their first stop.
  std::unordered_set<pid_t> let_go_;
  // Threads of a process let go at its exec (detach_process) whose death report may come.
  std::unordered_set<pid_t> dropped_tasks_;
  snare::engine::stop_waker waker_;
  syscall_info_reader info_;
  // A syscall instruction in each process's vDSO, where calls are injected from outside a
  // syscall stop (syscall_site); forgotten at exec and when the process ends.
  std::unordered_map<pid_t, std::uint64_t> sites_;
  ::snare::engine::waiters<thread_t> waiters_;  // handlers in wait_until
  // The vDSO functions made syscalls at each exec (run_options::vdso_as_syscalls).
  std::vector<snare::detail::vdso_patch> vdso_patches_;
  debugger* debugger_ = nullptr;                     // set_debugger
  std::vector<std::pair<pid_t, int>> debug_replay_;  // stops taken by debug_stop_others
  syscall_set debug_catch_{};                        // debug_catch_syscalls
  bool debug_catching_ = false;
  bool debug_hold_children_ = false;  // debug_hold_children
  std::vector<pid_t> debug_pids_;     // debug_processes
  bool debug_pids_set_ = false;

  friend class guest<Tool>;
};

}  // namespace snare::backend::ptrace_detail
