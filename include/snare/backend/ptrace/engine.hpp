// Defines the ptrace backend's engine: spawn under a seccomp filter, the waitpid(-1, __WALL)
// event loop, per-thread records with fibers, syscall injection, signals, group-stop, exec,
// exits; and the guest handle handlers receive.
#pragma once

#include <asm/prctl.h>
#include <cpuid.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>

#include <snare/backend/concept.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/ptrace/backtrace.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/backend/ptrace/regs.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/detail/posix.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/guest/handle.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
class engine;
template <class Tool>
struct thread_rec;

/// The per-process record: its state and live thread count.
template <class Tool>
struct process_rec {
  pid_t pid = -1;
  int threads = 0;
  bool started = false;
  process_state_t<Tool> state{};
};

/// The guest handle of the ptrace backend: one per guest thread.
template <class Tool>
class guest : public guest_base<guest<Tool>, backend::ptrace, Tool> {
 public:
  guest(engine<Tool>* e, thread_rec<Tool>* t) noexcept : engine_(e), thread_(t) {}

  /// Returns the process id (thread-group id) and the thread id of this guest thread.
  pid_t pid() const noexcept;
  pid_t tid() const noexcept;

  /// Returns the registers of the thread at this stop (fetched once per syscall stop).
  const user_regs_struct& registers() const noexcept;

  /// Returns the thread's backtrace (at most `max_frames` frames, innermost first),
  /// symbolised where the guest has symbols. Errors: io_error when it cannot be unwound.
  result<std::vector<frame>> backtrace(std::size_t max_frames = 64) noexcept {
    require_capability<backend::ptrace, capability::can_backtrace>();
    return unwind(tid(), max_frames);
  }

  result<std::size_t> do_read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    return read_memory(tid(), address, out);
  }
  result<std::size_t> do_write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    return write_memory(tid(), address, in);
  }
  result<long> do_inject(const sys::raw_call& call) noexcept;
  result<void> do_tail_inject(const sys::raw_call& call) noexcept;
  thread_state_t<Tool>& do_thread_state() noexcept;
  process_state_t<Tool>& do_process_state() noexcept;
  global_state_t<Tool>& do_global_state() noexcept;

 private:
  engine<Tool>* engine_;
  thread_rec<Tool>* thread_;
};

/// Where a thread stands: what kind of stop it is in while its handler runs.
enum class stop_kind : std::uint8_t { none, entry, exit };
enum class job_kind : std::uint8_t { entry, exit };

/// The register seam this engine uses (backend/ptrace/regs.hpp).
using regs = native_regs;

/// The per-thread record: identity, state, fiber, registers and syscall bookkeeping.
template <class Tool>
struct thread_rec {
  thread_rec(engine<Tool>* e, fiber::stack_pool& pool, pid_t t, process_rec<Tool>* p)
      : owner(e), tid(t), proc(p), worker(pool), g(e, this) {}
  engine<Tool>* owner;
  pid_t tid;
  process_rec<Tool>* proc;
  fiber::worker worker;
  guest<Tool> g;
  thread_state_t<Tool> state{};
  bool started = false;
  bool dead = false;

  user_regs_struct regs{};   // at the current syscall stop
  user_regs_struct saved{};  // the call's own registers, kept while injecting
  stop_kind stop = stop_kind::none;
  job_kind job = job_kind::entry;
  long nr = -1;
  dispatch::raw_args args{};
  dispatch::raw_args new_args{};
  action act{};
  long ret = 0, new_ret = 0;
  sys::raw_call tail{};
  bool has_tail = false;
  bool injected = false;         // the handler injected at least once at this stop
  bool injecting = false;        // waiting for an injected call's exit stop
  bool skip_entry_stop = false;  // the next syscall stop is an entry stop to pass
  bool replay = false;
  long replay_nr = -1;      // the next seccomp stop is the current call run again
  bool trace_exit = false;  // resume with PTRACE_SYSCALL (an exit stop is wanted)
  long inject_result = 0;
  std::uint64_t deferred_signals = 0;  // signals held back while an injected call runs (bit n-1: n)
  // CPUID faulting set again after an exec (the kernel clears it there): an arch_prctl run
  // from a syscall instruction put at the new image's first instruction.
  enum class rearm_stage : std::uint8_t { none, exec_exit, entry, exit } rearm = rearm_stage::none;
  user_regs_struct rearm_regs{};  // the registers at execve's exit, restored afterwards
  long rearm_word = 0;            // the text word the syscall instruction replaced
};

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
  using guest_type = guest<Tool>;
  using table_type = syscall_table_t<Tool>;
  using dispatch_type = dispatch::table<Tool, guest_type, table_type>;
  static constexpr subscription_info subscription = subscription_of<Tool, guest_type, table_type>;
  static_assert(check_tool_capabilities<backend::ptrace, Tool, guest_type, table_type>());

  engine(Tool& tool, const run_options& options) : core_type(tool, options) {}
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;
  ~engine() { kill_all(); }

  /// Starts argv and serves events until every guest process is gone; returns the guest's
  /// exit code (128+N for signal N, 127 when the command cannot run, exit_host_unsupported
  /// when the host lacks what the run needs).
  int run(std::span<const char* const> argv) {
    static constexpr bpf::program filter =
        bpf::build_filter(filter_set(), SECCOMP_RET_TRACE | trace_data, sys::x86_64::clone::number);
    if (!this->host_allows(argv)) return this->refused();
    const bool trap_rdtsc = plan_.trap_rdtsc;
    auto child = detail::spawn(argv, options_, [trap_rdtsc] { return setup_child(filter, trap_rdtsc); });
    if (!child) return this->cannot_run(this->command_of(argv), std::strerror(child.error_number()));
    root_ = child->pid;
    constexpr long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
                          PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
                          PTRACE_O_EXITKILL;
    if (::ptrace(PTRACE_SEIZE, root_, 0, opts) != 0) {
      int e = errno;
      ::kill(root_, SIGKILL);
      while (::waitpid(root_, nullptr, 0) < 0 && errno == EINTR) {
      }
      return this->cannot_run(argv[0], (std::string("cannot trace it: ") + std::strerror(e)).c_str());
    }
    add_thread(root_, root_);
    (void)detail::open_gate(*child);
    loop();
    int failed = detail::read_spawn_failure(*child, argv[0], options_.report_exec_failure);
    if (failed >= 0 && !exec_seen_) return this->finish(exit_status::exited(failed));
    return this->finish(exit_status::from_wait_status(root_status_));
  }

  // Used by the guest handle.
  global_state_t<Tool>& global_state() noexcept { return global_; }
  result<long> inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept;
  result<void> tail_inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept;

 private:
  using thread_t = thread_rec<Tool>;
  using process_t = process_rec<Tool>;

  // The data of snare's own SECCOMP_RET_TRACE: a seccomp stop with any other value comes
  // from a filter the guest installed itself.
  static constexpr std::uint32_t trace_data = 0x534e;  // "SN"

  // The calls the filter traps: the tool's, and clone3, whose flags (in memory) may hold
  // CLONE_UNTRACED (clone's own flags are tested in the filter).
  static constexpr syscall_set filter_set() noexcept {
    syscall_set s = subscription.entry;
    s.add(sys::x86_64::clone3::number);
    return s;
  }

  // Runs in the child after the gate opens, before exec: async-signal-safe only. RDTSC
  // trapping survives exec; CPUID faulting does not, so it is set at each exec event.
  static int setup_child(const bpf::program& filter, bool trap_rdtsc) noexcept {
    if (trap_rdtsc && ::prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) return errno;
    sock_fprog prog = filter.fprog();
    if (detail::install_seccomp_filter(prog, 0) != 0) return errno;  // no_new_privs only when unprivileged
    return 0;
  }

  static pid_t read_tgid(pid_t tid) noexcept {
    auto ids = snare::detail::read_task_ids(tid);
    return ids ? ids->tgid : tid;
  }

  thread_t& add_thread(pid_t tid, pid_t tgid) {
    auto& pp = procs_[tgid];
    if (!pp) {
      pp = std::make_unique<process_t>();
      pp->pid = tgid;
    }
    auto rec = std::make_unique<thread_t>(this, pool_, tid, pp.get());
    ++pp->threads;
    auto& ref = *rec;
    threads_[tid] = std::move(rec);
    return ref;
  }

  thread_t* find(pid_t tid) noexcept {
    auto it = threads_.find(tid);
    return it == threads_.end() ? nullptr : it->second.get();
  }

  thread_t& find_or_add(pid_t tid) {
    if (auto* t = find(tid)) return *t;
    return add_thread(tid, read_tgid(tid));
  }

  bool followed(const thread_t& t) const noexcept { return followed(t.proc->pid); }

  void start(thread_t& t) {
    if (t.started) return;
    t.started = true;
    if (!followed(t)) return;
    if (!t.proc->started) {
      t.proc->started = true;
      snare::engine::notify_process_start(*tool_, t.g);
    }
    snare::engine::notify_thread_start(*tool_, t.g);
  }

  bool get_regs(thread_t& t) noexcept { return ::ptrace(PTRACE_GETREGS, t.tid, 0, &t.regs) == 0; }
  bool set_regs(thread_t& t, const user_regs_struct& r) noexcept {
    return ::ptrace(PTRACE_SETREGS, t.tid, 0, &r) == 0;
  }
  void resume(thread_t& t, int sig = 0) noexcept {
    ::ptrace(t.trace_exit ? PTRACE_SYSCALL : PTRACE_CONT, t.tid, 0, sig);
  }

  static void load_args(thread_t& t) noexcept {
    t.nr = regs::syscall_number(t.regs);
    t.args = regs::arguments(t.regs);
  }
  static void store_args(user_regs_struct& r, const dispatch::raw_args& a) noexcept {
    regs::set_arguments(r, a);
  }

  void loop() {
    for (;;) {
      int status = 0;
      pid_t tid = ::waitpid(-1, &status, __WALL);
      if (tid < 0) {
        if (errno == EINTR) continue;
        break;  // ECHILD: every guest is gone
      }
      handle(tid, status);
    }
  }

  void handle(pid_t tid, int status) {
    if (WIFEXITED(status) || WIFSIGNALED(status)) return on_gone(tid, status);
    if (!WIFSTOPPED(status)) return;
    thread_t& t = find_or_add(tid);
    start(t);
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    if (sig == (SIGTRAP | 0x80)) return on_syscall_stop(t);
    if (sig == SIGTRAP && event != 0) {
      switch (event) {
        case PTRACE_EVENT_SECCOMP:
          return on_seccomp_stop(t);
        case PTRACE_EVENT_CLONE:
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
          return on_new_task(t, event);
        case PTRACE_EVENT_EXEC:
          return on_exec(t);
        case PTRACE_EVENT_EXIT:
          return resume(t);
        case PTRACE_EVENT_STOP:
          return resume(t);  // first stop of a new task, or an interrupt
        default:
          return resume(t);
      }
    }
    if (event == PTRACE_EVENT_STOP) {
      // Group-stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): stay stopped as without a tracer,
      // yet keep reporting (PTRACE_LISTEN) so SIGCONT and SIGKILL are seen.
      if (followed(t)) snare::engine::notify_stop(*tool_, sig, t.g);
      ::ptrace(PTRACE_LISTEN, t.tid, 0, 0);
      return;
    }
    on_signal(t, sig);
  }

  // --- syscalls ---

  void on_seccomp_stop(thread_t& t) {
    if (t.injecting || t.rearm != thread_t::rearm_stage::none)
      return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
    if (!get_regs(t)) return;
    if (unsigned long data = 0; ::ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &data) == 0 && data != trace_data)
      return guest_filter_trace(t);
    keep_child_traced(t);
    // A call trapped for the engine's sake only (clone3, an untraced clone), or of a process
    // not followed: on its way, keeping an exit stop a handler's injection still awaits.
    if (!followed(t) || !subscription.entry.contains(regs::syscall_number(t.regs))) return resume(t);
    if (t.replay) {
      t.replay = false;
      // The rewound call itself (a signal handler may run first and make calls of its own).
      if (regs::instruction_pointer(t.regs) == regs::instruction_pointer(t.saved) &&
          regs::syscall_number(t.regs) == t.replay_nr) {
        t.trace_exit = subscription.exit.contains(t.nr);
        return resume(t);
      }
    }
    load_args(t);
    t.stop = stop_kind::entry;
    t.job = job_kind::entry;
    t.injected = false;
    t.has_tail = false;
    t.trace_exit = subscription.exit.contains(t.nr);
    t.g.reset_action();
    run_job(t);
  }

  // A SECCOMP_RET_TRACE of the guest's own filter. With no tracer that asked for it (snare
  // only asks for its own), the kernel fails the call with ENOSYS (seccomp(2)): so here.
  void guest_filter_trace(thread_t& t) {
    user_regs_struct r = t.regs;
    regs::skip_syscall(r);
    regs::set_return_value(r, -ENOSYS);
    set_regs(t, r);
    ::ptrace(PTRACE_CONT, t.tid, 0, 0);
  }

  // A child made with CLONE_UNTRACED would keep snare's filter but have no tracer: every
  // trapped call would fail with ENOSYS. The flag is dropped, so the child stays traced
  // and runs as it does natively (clone3's flags are changed in the guest's clone_args).
  void keep_child_traced(thread_t& t) {
    const long nr = regs::syscall_number(t.regs);
    auto args = regs::arguments(t.regs);
    if (nr == sys::x86_64::clone::number && (args[0] & bpf::clone_untraced) != 0) {
      args[0] &= ~std::uint64_t{bpf::clone_untraced};
      regs::set_arguments(t.regs, args);
      set_regs(t, t.regs);
    } else if (nr == sys::x86_64::clone3::number) {
      std::uint64_t flags = 0;  // struct clone_args starts with its u64 flags
      auto bytes = std::as_writable_bytes(std::span(&flags, 1));
      if (read_memory(t.tid, args[0], bytes) && (flags & bpf::clone_untraced) != 0) {
        flags &= ~std::uint64_t{bpf::clone_untraced};
        (void)write_memory(t.tid, args[0], std::as_bytes(std::span(&flags, 1)));
      }
    }
  }

  void on_syscall_stop(thread_t& t) {
    if constexpr (has_cpuid_handler<Tool, guest_type>) {
      if (t.rearm != thread_t::rearm_stage::none) return rearm_cpuid_step(t);
    }
    if (t.skip_entry_stop) {
      t.skip_entry_stop = false;
      return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
    }
    if (!get_regs(t)) return;
    if (t.injecting) {
      t.injecting = false;
      t.inject_result = regs::return_value(t.regs);
      t.worker.resume();
      if (!t.worker.busy()) finish_job(t);
      return;
    }
    // The exit stop of a call whose exit the tool wants.
    t.trace_exit = false;
    t.stop = stop_kind::exit;
    t.job = job_kind::exit;
    t.injected = false;
    t.ret = t.new_ret = regs::return_value(t.regs);
    run_job(t);
  }

  static void job(void* p) {
    auto& t = *static_cast<thread_t*>(p);
    auto& e = *t.owner;
    if (t.job == job_kind::entry) {
      t.new_args = t.args;
      t.act = dispatch_type::on_entry(*e.tool_, t.g, t.nr, t.new_args);
    } else {
      t.new_ret = dispatch_type::on_exit(*e.tool_, t.g, t.nr, t.args, t.ret);
    }
  }

  void run_job(thread_t& t) {
    t.worker.run(&engine::job, &t);
    if (!t.worker.busy()) finish_job(t);
  }

  void finish_job(thread_t& t) {
    t.stop = stop_kind::none;
    if (t.dead) return;
    raise_deferred_signals(t);
    if (t.job == job_kind::entry)
      finish_entry(t);
    else
      finish_exit(t);
  }

  // Signals held back during an injection are raised while the thread is still stopped,
  // so they are delivered as it resumes, as if they had just arrived.
  static void raise_deferred_signals(thread_t& t) noexcept {
    for (auto pending = std::exchange(t.deferred_signals, 0); pending != 0; pending &= pending - 1) {
      ::syscall(SYS_tgkill, t.proc->pid, t.tid, __builtin_ctzll(pending) + 1);
    }
  }

  // Puts the thread back on the syscall instruction it stopped in, to run `nr` again.
  void rewind_and_resume(thread_t& t, user_regs_struct r, long nr, const dispatch::raw_args& args) {
    regs::rewind_syscall(r);
    regs::set_syscall_number(r, nr);
    store_args(r, args);
    set_regs(t, r);
    // Re-executing the instruction gives a seccomp stop when nr is subscribed (the replay,
    // passed without a second dispatch), and an entry stop first when tracing syscalls.
    t.replay = subscription.entry.contains(nr);
    t.replay_nr = nr;
    if (t.replay) {
      t.trace_exit = false;
    } else if (t.trace_exit) {
      t.skip_entry_stop = true;
    }
    resume(t);
  }

  void finish_entry(thread_t& t) {
    if (t.act.what() == action::kind::suppress) {
      user_regs_struct r = t.injected ? t.saved : t.regs;
      regs::skip_syscall(r);
      regs::set_return_value(r, t.act.value());
      set_regs(t, r);
      t.trace_exit = false;
      return resume(t);
    }
    if (t.has_tail) {
      if (!t.injected) {
        user_regs_struct r = t.regs;
        regs::set_syscall_number(r, t.tail.number);
        store_args(r, t.tail.args);
        set_regs(t, r);
        return resume(t);
      }
      bool want_exit = t.trace_exit;
      rewind_and_resume(t, t.saved, t.tail.number, t.tail.args);
      if (t.replay) t.trace_exit = want_exit;  // applied at the replay stop
      return;
    }
    if (!t.injected) {
      if (t.new_args != t.args) {
        user_regs_struct r = t.regs;
        store_args(r, t.new_args);
        set_regs(t, r);
        t.args = t.new_args;
      }
      return resume(t);
    }
    t.args = t.new_args;
    rewind_and_resume(t, t.saved, t.nr, t.new_args);
  }

  void finish_exit(thread_t& t) {
    if (t.injected) {
      user_regs_struct r = t.saved;
      regs::set_return_value(r, t.new_ret);
      set_regs(t, r);
    } else if (t.new_ret != t.ret) {
      user_regs_struct r = t.regs;
      regs::set_return_value(r, t.new_ret);
      set_regs(t, r);
    }
    t.trace_exit = false;
    resume(t);
  }

  // --- processes, threads, exec ---

  void on_new_task(thread_t& parent, int event) {
    unsigned long msg = 0;
    ::ptrace(PTRACE_GETEVENTMSG, parent.tid, 0, &msg);
    auto child = static_cast<pid_t>(msg);
    if (child > 0 && !find(child)) {
      pid_t tgid = child;
      if (event == PTRACE_EVENT_CLONE) tgid = read_tgid(child);
      add_thread(child, tgid);
    }
    resume(parent);
  }

  void on_exec(thread_t& t) {
    exec_seen_ = true;
    unsigned long former = 0;
    ::ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &former);
    auto old = static_cast<pid_t>(former);
    const pid_t leader_tid = t.tid;  // `t` is the old leader's record, retired below
    thread_t* cur = &t;
    if (old > 0 && old != t.tid) {
      // A non-leader thread exec'd: it takes the leader's id; the old leader is gone
      // without a report of its own.
      auto execing = std::move(threads_[old]);
      threads_.erase(old);
      if (execing) {
        if (auto it = threads_.find(leader_tid); it != threads_.end()) {
          auto leader = std::move(it->second);
          threads_.erase(it);
          retire(*leader, -1, false);  // superseded by the exec: no status of its own
        }
        execing->tid = leader_tid;
        cur = execing.get();
        threads_[leader_tid] = std::move(execing);
      }
    }
    if (followed(*cur)) snare::engine::notify_exec(*tool_, cur->g);
    if constexpr (has_cpuid_handler<Tool, guest_type>) {
      if (plan_.trap_cpuid) {
        // On to execve's exit stop, where the new image can run arch_prctl.
        cur->rearm = thread_t::rearm_stage::exec_exit;
        return (void)::ptrace(PTRACE_SYSCALL, cur->tid, 0, 0);
      }
    }
    resume(*cur);
  }

  // One syscall stop of the CPUID re-arm after an exec: at execve's exit, put a syscall
  // instruction at the first instruction of the new image and run arch_prctl(ARCH_SET_CPUID,
  // 0) from it; at that call's exit, put back the text and registers, then carry on as if
  // execve's exit stop had just come (the tool may want it).
  void rearm_cpuid_step(thread_t& t) {
    using stage = typename thread_t::rearm_stage;
    switch (t.rearm) {
      case stage::exec_exit: {
        if (!get_regs(t)) return;
        if (!regs::is_native_abi(t.regs)) break;  // a 32-bit image: no `syscall` instruction there
        errno = 0;
        const auto ip = regs::instruction_pointer(t.regs);
        long word = ::ptrace(PTRACE_PEEKTEXT, t.tid, ip, 0);
        if (errno != 0) break;
        auto patched = static_cast<long>((static_cast<unsigned long>(word) & ~0xffffUL) | regs::syscall_word);
        if (::ptrace(PTRACE_POKETEXT, t.tid, ip, patched) != 0) break;
        t.rearm_regs = t.regs;
        t.rearm_word = word;
        user_regs_struct r = t.regs;
        regs::set_syscall_number(r, SYS_arch_prctl);
        regs::set_arguments(r, {ARCH_SET_CPUID, 0, 0, 0, 0, 0});
        set_regs(t, r);
        t.rearm = stage::entry;
        return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
      }
      case stage::entry:
        t.rearm = stage::exit;
        return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
      case stage::exit:
        ::ptrace(PTRACE_POKETEXT, t.tid, regs::instruction_pointer(t.rearm_regs), t.rearm_word);
        set_regs(t, t.rearm_regs);
        break;
      case stage::none:
        return;
    }
    t.rearm = stage::none;
    raise_deferred_signals(t);
    if (t.trace_exit) return on_syscall_stop(t);  // execve's own exit stop, for the tool
    resume(t);
  }

  // Ends a thread's record: wakes a handler waiting on it, reports the exit events.
  void retire(thread_t& t, int status, bool process_may_end) {
    t.dead = true;
    if (t.worker.busy()) {
      t.worker.resume();  // its inject returns no_such_process; the handler ends
    }
    if (!t.started) start(t);
    --t.proc->threads;
    if (!followed(t)) return;
    snare::engine::notify_thread_exit(*tool_, status, t.g);
    if (process_may_end && t.tid == t.proc->pid) snare::engine::notify_process_exit(*tool_, status, t.g);
  }

  void on_gone(pid_t tid, int status) {
    if (tid == root_) root_status_ = status;
    auto it = threads_.find(tid);
    if (it == threads_.end()) return;
    auto rec = std::move(it->second);
    threads_.erase(it);
    retire(*rec, status, true);
    if (rec->proc->threads <= 0) procs_.erase(rec->proc->pid);
  }

  // --- signals ---

  void on_signal(thread_t& t, int sig) {
    if (t.injecting || t.rearm != thread_t::rearm_stage::none) {
      // Hold the signal until the handler is done, then raise it again.
      if (sig > 0 && sig <= 64) t.deferred_signals |= std::uint64_t{1} << (sig - 1);
      return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
    }
    if constexpr (has_rdtsc_handler<Tool, guest_type> || has_cpuid_handler<Tool, guest_type>) {
      if (sig == SIGSEGV && emulate_instruction(t)) return;
    }
    if (!followed(t)) return resume(t, sig);
    resume(t, snare::engine::notify_signal(*tool_, sig, t.g));
  }

  // RDTSC/RDTSCP (PR_TSC_SIGSEGV) and CPUID (CPUID faulting) arrive as SIGSEGV from the
  // kernel: emulate the instruction through the tool's handler and step over it.
  bool emulate_instruction(thread_t& t) {
    siginfo_t si{};
    if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) != 0 || si.si_code != SI_KERNEL) return false;
    if (!get_regs(t)) return false;
    errno = 0;
    long word = ::ptrace(PTRACE_PEEKTEXT, t.tid, regs::instruction_pointer(t.regs), 0);
    if (errno != 0) return false;
    auto b = [&](int i) {
      return static_cast<unsigned>((static_cast<unsigned long>(word) >> (8 * i)) & 0xff);
    };
    user_regs_struct r = t.regs;
    if constexpr (has_rdtsc_handler<Tool, guest_type>) {
      if (plan_.trap_rdtsc && b(0) == 0x0f && (b(1) == 0x31 || (b(1) == 0x01 && b(2) == 0xf9))) {
        rdtsc_event ev;
        ev.rdtscp = b(1) == 0x01;
        unsigned aux = 0;
        ev.tsc = ev.rdtscp ? __builtin_ia32_rdtscp(&aux)
                           : __builtin_ia32_rdtsc();  // no <x86intrin.h>: a third of the preprocessed lines
        ev.aux = aux;
        if (followed(t)) snare::engine::notify_rdtsc(*tool_, ev, t.g);
        regs::set_tsc(r, ev);
        regs::advance(r, ev.rdtscp ? 3 : 2);
        set_regs(t, r);
        resume(t);
        return true;
      }
    }
    if constexpr (has_cpuid_handler<Tool, guest_type>) {
      if (plan_.trap_cpuid && b(0) == 0x0f && b(1) == 0xa2) {
        cpuid_event ev;
        regs::cpuid_inputs(r, ev);
        __cpuid_count(ev.leaf, ev.subleaf, ev.eax, ev.ebx, ev.ecx, ev.edx);
        if (followed(t)) snare::engine::notify_cpuid(*tool_, ev, t.g);
        regs::set_cpuid(r, ev);
        regs::advance(r, 2);
        set_regs(t, r);
        resume(t);
        return true;
      }
    }
    return false;
  }

  void kill_all() noexcept {
    if (threads_.empty()) return;
    for (auto& [tid, t] : threads_) ::kill(tid, SIGKILL);
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
    for (auto& [tid, t] : threads_) {
      t->dead = true;
      try {
        while (t->worker.busy()) t->worker.resume();
      } catch (...) {
      }
    }
    threads_.clear();
  }

  global_state_t<Tool> global_{};
  fiber::stack_pool pool_;
  std::unordered_map<pid_t, std::unique_ptr<thread_t>> threads_;
  std::unordered_map<pid_t, std::unique_ptr<process_t>> procs_;
  int root_status_ = 0;
  bool exec_seen_ = false;

  friend class guest<Tool>;
};

// --- guest handle and injection ---

template <class Tool>
pid_t guest<Tool>::pid() const noexcept {
  return thread_->proc->pid;
}
template <class Tool>
pid_t guest<Tool>::tid() const noexcept {
  return thread_->tid;
}
template <class Tool>
const user_regs_struct& guest<Tool>::registers() const noexcept {
  return thread_->regs;
}
template <class Tool>
thread_state_t<Tool>& guest<Tool>::do_thread_state() noexcept {
  return thread_->state;
}
template <class Tool>
process_state_t<Tool>& guest<Tool>::do_process_state() noexcept {
  return thread_->proc->state;
}
template <class Tool>
global_state_t<Tool>& guest<Tool>::do_global_state() noexcept {
  return engine_->global_state();
}
template <class Tool>
result<long> guest<Tool>::do_inject(const sys::raw_call& call) noexcept {
  return engine_->inject(*thread_, call);
}
template <class Tool>
result<void> guest<Tool>::do_tail_inject(const sys::raw_call& call) noexcept {
  return engine_->tail_inject(*thread_, call);
}

template <class Tool>
result<long> engine<Tool>::inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept {
  if (t.dead) return std::errc::no_such_process;
  if (!t.worker.busy() || t.stop == stop_kind::none) return std::errc::operation_not_supported;
  // A signal that interrupts the injected call is held back until the handler ends; the
  // kernel's restart codes (-ERESTARTSYS .. -ERESTART_RESTARTBLOCK) then mean "run it again".
  constexpr long restart_first = -516, restart_last = -512;
  for (int attempt = 0;; ++attempt) {
    bool at_entry = t.stop == stop_kind::entry && !t.injected;
    if (!t.injected) t.saved = t.regs;
    user_regs_struct r = t.saved;
    regs::set_syscall_number(r, call.number);
    store_args(r, call.args);
    if (!at_entry) {
      // At an exit stop: run the syscall instruction again with the injected call.
      regs::rewind_syscall(r);
      t.skip_entry_stop = true;
    }
    t.injected = true;
    if (!set_regs(t, r) || ::ptrace(PTRACE_SYSCALL, t.tid, 0, 0) != 0) {
      t.skip_entry_stop = false;
      return std::errc::no_such_process;
    }
    t.injecting = true;
    t.worker.suspend();
    if (t.dead) return std::errc::no_such_process;
    long ret = t.inject_result;
    if (ret < restart_first || ret > restart_last || attempt >= 64) return ret;
  }
}

template <class Tool>
result<void> engine<Tool>::tail_inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept {
  if (t.dead) return std::errc::no_such_process;
  if (!t.worker.busy() || t.stop != stop_kind::entry) return std::errc::operation_not_supported;
  t.tail = call;
  t.has_tail = true;
  return {};
}

}  // namespace snare::backend::ptrace_detail
