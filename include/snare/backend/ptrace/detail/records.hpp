// Defines the ptrace engine's records: one per guest process and one per guest thread (its
// fiber, registers and syscall bookkeeping), and the guest handle handlers receive.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/user.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/backend/ptrace/backtrace.hpp>
#include <snare/backend/ptrace/detail/branch_counter.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/backend/ptrace/regs.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/records.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/guest/auxv.hpp>
#include <snare/guest/handle.hpp>
#include <snare/guest/stack.hpp>
#include <snare/sys/call.hpp>
#include <snare/tool.hpp>

namespace snare::backend {
// The policy (<snare/backend/ptrace.hpp>) includes the engine at its end, so the engine's
// parts declare it rather than include it back.
struct ptrace;
}  // namespace snare::backend

namespace snare::backend::ptrace_detail {

template <class Tool>
class engine;
template <class Tool>
struct thread_rec;

/// The per-process record: the engine core's (engine/records.hpp).
template <class Tool>
using process_rec = ::snare::engine::process_record<Tool>;

/// The guest handle of the ptrace backend: one per guest thread.
template <class Tool>
class guest : public guest_base<guest<Tool>, backend::ptrace, Tool> {
 public:
  guest(engine<Tool>* e, thread_rec<Tool>* t) noexcept : engine_(e), thread_(t) {}

  /// Returns the process id (thread-group id) and the thread id of this guest thread.
  pid_t pid() const noexcept;
  pid_t tid() const noexcept;

  /// Returns the registers of the thread at this stop (fetched on first use at each stop).
  const user_regs_struct& registers() const noexcept;
  /// Writes the registers the thread resumes with (Reverie's `set_regs`): the whole file at
  /// once, e.g. to make %rcx/%r11, which the syscall instruction clobbers, the same in every
  /// run. At a syscall stop the call's own values win where the handler also changed them
  /// through the call (arguments) or the action (suppress, fail); while an injected call has
  /// the registers, they are written back when the handler ends. Errors: no_such_process
  /// when the thread is gone.
  result<void> set_registers(const user_regs_struct& r) noexcept;
  /// From an exec handler (on_exec): sets the value of the new image's auxiliary-vector
  /// entry `type` (AT_* of <elf.h>) on its initial stack, where its loader and libc read it
  /// (getauxval(3)); what it points to (AT_RANDOM's 16 bytes) is written with write_bytes.
  /// g.auxv() still tells the kernel's own copy (/proc/PID/auxv). Errors:
  /// operation_not_supported outside an exec handler, invalid_argument when the vector has
  /// no such entry, bad_address when the stack cannot be read or written.
  result<void> set_auxv(std::uint64_t type, std::uint64_t value) noexcept;
  /// Arms this thread's timer: the tool's on_timer(g) runs in this thread once it has run
  /// for `cpu_time` more of CPU time (CLOCK_THREAD_CPUTIME_ID; 0 disarms it; setting it again
  /// replaces the previous setting: one timer per thread). Built on a POSIX timer the engine
  /// makes in the guest by injected calls (so only from a handler that may inject) and
  /// whose signal (SIGSTKFLT) the guest never gets; it ends at exec, as POSIX timers do.
  /// Not cycle-exact: the signal comes at the next tick after the time is used up (no PMU
  /// counting). Errors: those of inject, and timer_create's (EAGAIN) as an errc.
  result<void> set_timer(std::chrono::nanoseconds cpu_time) noexcept;
  /// Arms this thread's precise timer (Reverie's `set_timer_precise`): the tool's
  /// on_timer(g) runs in this thread exactly when it has retired `branches` (> 0) more
  /// conditional branches in user mode, counted by the PMU (the overflow is asked for a skid
  /// margin early and the rest is single-stepped). As Reverie's, the timer measures a stretch
  /// of the guest's own code: the thread's next event the tool sees (a subscribed syscall's
  /// entry, a signal, an exec) cancels it, and setting it again replaces it. Errors:
  /// invalid_argument for 0; not_supported where the host has no PMU (host feature `pmu`)
  /// or the CPU's conditional-branch event is not known; permission_denied when
  /// perf_event_paranoid refuses; no_such_process when the thread is gone.
  result<void> set_timer_precise(std::uint64_t branches) noexcept;
  /// Returns the conditional branches this thread retired in user mode since its counters
  /// were opened, at its first read_clock or set_timer_precise (Reverie's `read_clock`, which
  /// counts from the thread's start). Errors: those of set_timer_precise.
  result<std::uint64_t> read_clock() noexcept;
  /// Says that this thread's process is a daemon the run need not wait for (Reverie's
  /// `daemonize`): once only daemons remain (processes this one forks are daemons too),
  /// they are killed (SIGKILL) and the run ends with its first process's status.
  void daemonize() noexcept;
  /// Returns scratch memory on the thread's stack below its red zone (snare::guest_stack),
  /// for the pointers of calls the handler injects.
  guest_stack<guest> stack(std::size_t capacity = guest_stack<guest>::default_capacity) noexcept {
    return guest_stack<guest>(*this, native_regs::stack_pointer(registers()), capacity);
  }

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
  std::optional<pid_t> do_ppid() const noexcept;
  bool do_is_root_process() const noexcept;
  result<auxv_table> do_auxv() const { return snare::detail::read_process_auxv(pid()); }
  result<void> do_wait(wait_condition c) noexcept;

 private:
  engine<Tool>* engine_;
  thread_rec<Tool>* thread_;
};

/// Where a thread stands while its handler runs: at a syscall's entry or exit stop, at
/// another stop where an injected call runs from a syscall instruction the engine picks
/// (a new task's first stop, a signal-delivery-stop, a successful execve's exit), or where
/// nothing can be injected (none).
enum class stop_kind : std::uint8_t { none, entry, exit, event };
/// What the thread's fiber runs: a syscall's entry or exit handler, or an event's (thread
/// and process start, exec, signal) followed by what the engine does after it.
enum class job_kind : std::uint8_t { entry, exit, event };

/// The register seam this engine uses (backend/ptrace/regs.hpp).
using regs = native_regs;

/// The per-thread record: the engine core's (identity, process, state) and the fiber,
/// registers and syscall bookkeeping of this backend.
template <class Tool>
struct thread_rec : ::snare::engine::thread_record<Tool> {
  thread_rec(engine<Tool>* e, fiber::stack_pool& pool) : owner(e), worker(pool), g(e, this) {}
  engine<Tool>* owner;
  fiber::worker worker;
  guest<Tool> g;
  bool dead = false;
  bool group_stopped = false;  // in a group-stop (PTRACE_LISTEN) since its last report

  user_regs_struct regs{};   // at the current stop, when have_regs (engine::registers)
  user_regs_struct saved{};  // the call's own registers, kept while injecting
  bool have_regs = false;
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
  // Without snare's filter: the next syscall stop is the exit of a call no one wants, passed
  // without reading it (strace reads nothing at such an exit either: its get_regs.test).
  bool pass_exit = false;
  long inject_result = 0;
  // clone3's clone_args whose CLONE_UNTRACED the engine dropped (0: none), and the guest's own
  // flags word, written back at the call's exit (engine::put_back_clone3_flags).
  std::uint64_t clone3_args = 0, clone3_flags = 0;
  // An event job: the handlers it runs on the fiber, what the engine does once they are done
  // (both get the engine and this record), and its datum (start: the stop's wait status;
  // signal: the signal to deliver).
  void (*event_handlers)(engine<Tool>&, thread_rec&) = nullptr;
  void (*event_then)(engine<Tool>&, thread_rec&) = nullptr;
  int event_value = 0;
  bool exec_pending = false;    // an exec handler waits for execve's exit stop
  bool in_exec = false;         // its exec handlers run (set_auxv)
  long exec_ret = 0;            // execve's result there
  int redeliver = 0;            // a signal sent again after an injection (its siginfo is put back)
  siginfo_t siginfo{};          // the signal's, at a signal-delivery-stop with a handler
  int timer_id = -1;            // the POSIX timer set_timer made in this thread (-1: none)
  bool timer_deferred = false;  // its signal came while an injected call ran
  // The precise timer (set_timer_precise): its counters once opened, the clock value it
  // fires at, and where it stands: set by the running handler, armed once the handler is
  // done, single-stepping the last branches; `kick`: too close to arm the counter, a signal
  // of the engine's starts the stepping at once.
  std::optional<branch_counters> branches;
  std::uint64_t precise_target = 0;
  enum class precise_stage : std::uint8_t { none, set, armed, stepping } precise = precise_stage::none;
  bool precise_kick = false;
  wait_condition waiting{};            // what its handler waits for (wait_until), while it waits
  std::uint64_t deferred_signals = 0;  // signals held back while an injected call runs (bit n-1: n)
  // CPUID faulting set again after an exec (the kernel clears it there): an arch_prctl run
  // from a syscall instruction put at the new image's first instruction.
  enum class rearm_stage : std::uint8_t { none, exec_exit, entry, exit } rearm = rearm_stage::none;
  user_regs_struct rearm_regs{};  // the registers at execve's exit, restored afterwards
  long rearm_word = 0;            // the text word the syscall instruction replaced
  // The debugger seam (detail/debug.hpp): the stop a debugger keeps this thread in (deferred:
  // a stop of its own, debug_status, served once the debugger releases it), and whether its
  // next resume is one instruction (PTRACE_SINGLESTEP).
  enum class debug_hold : std::uint8_t {
    none,
    exec,
    signal,
    interrupt,
    deferred,
    syscall_entry,  // a call the debugger catches (debug_catch_syscalls), at its entry
    syscall_exit,   // and at its exit
    fork,           // a fork or vfork event of the root process (debug_signal: the child)
    vfork,
    vfork_done  // the end of a vfork (the child exec'd or exited)
  } held_by_debugger = debug_hold::none;
  int debug_signal = 0;
  int debug_status = 0;
  bool stepping = false;
  bool debug_exit = false;      // the debugger is told this call's exit: resume with PTRACE_SYSCALL
  bool debug_released = false;  // the debugger let it go: a child's first stop is not held
};

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
  return engine_->registers(*thread_);
}
template <class Tool>
result<void> guest<Tool>::set_registers(const user_regs_struct& r) noexcept {
  return engine_->write_registers(*thread_, r);
}
template <class Tool>
result<void> guest<Tool>::do_wait(wait_condition c) noexcept {
  return engine_->wait(*thread_, c);
}
template <class Tool>
void guest<Tool>::daemonize() noexcept {
  engine_->daemonize(*thread_->proc);
}
template <class Tool>
std::optional<pid_t> guest<Tool>::do_ppid() const noexcept {
  return engine_->parent_of(thread_->proc->pid);
}
template <class Tool>
bool guest<Tool>::do_is_root_process() const noexcept {
  return thread_->proc->pid == engine_->root_process();
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

}  // namespace snare::backend::ptrace_detail
