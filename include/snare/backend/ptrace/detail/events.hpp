// Defines how the ptrace engine runs the handlers of events other than syscalls (thread and
// process start, exec, signals) on the thread's fiber as it runs syscall handlers, so that
// they may inject calls and wait for them while other threads are served; and where those
// calls run from outside a syscall stop: a syscall instruction of the process's vDSO.
#pragma once

#include <elf.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/engine/notify.hpp>
#include <snare/guest/auxv.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

// Runs `handlers` on t's fiber at a stop of kind `where`; once they are done (at once, or
// after the calls they injected), `then` carries on from that stop (finish_event).
template <class Tool>
void engine<Tool>::run_event(thread_t& t, stop_kind where, event_fn handlers, event_fn then) {
  t.stop = where;
  t.job = job_kind::event;
  t.injected = false;
  t.event_handlers = handlers;
  t.event_then = then;
  run_job(t);
}

// After an event's handlers: the thread gets its registers back if they injected, signals
// held back meanwhile are raised, and the engine carries on from the stop.
template <class Tool>
void engine<Tool>::finish_event(thread_t& t) {
  if (t.injected) set_regs(t, t.saved);
  raise_deferred_signals(t);
  arm_precise(t);
  t.event_then(*this, t);
}

// A thread's first stop: its start (and its process's, for the first thread reported) is
// told before the stop is handled. At a new task's first stop (PTRACE_EVENT_STOP) the
// handlers may inject; at any other first stop (the first process before its exec, or a
// task seen before its creator's event) they may not.
template <class Tool>
void engine<Tool>::begin_start(thread_t& t, int status) {
  t.started = true;
  // A debugger gives a new thread of a debugged process what its others have (the debug
  // registers: the kernel copies none at clone), at its first stop.
  if (t.tid != t.proc->pid && debugging(t.proc->pid)) debugger_->on_thread_start(t.proc->pid, t.tid);
  constexpr bool wants =
      has_thread_start_handler<Tool, guest_type> || has_process_start_handler<Tool, guest_type>;
  if (!wants || !followed(t)) {
    t.proc->started = true;
    return handle_stop(t, status);
  }
  t.event_value = status;
  // Not a task born into a group-stop (WSTOPSIG SIGSTOP...): that stop is left with LISTEN.
  const bool first_stop = (status >> 16) == PTRACE_EVENT_STOP && WSTOPSIG(status) == SIGTRAP;
  run_event(t, first_stop ? stop_kind::event : stop_kind::none, &engine::start_handlers,
            &engine::after_start);
}

// The start of a thread that ended before any stop was handled: told on the tracer's stack.
template <class Tool>
void engine<Tool>::start_now(thread_t& t) {
  t.started = true;
  if (followed(t)) start_handlers(*this, t);
  t.proc->started = true;
}

template <class Tool>
void engine<Tool>::start_handlers(engine& e, thread_t& t) {
  if (!t.proc->started) {
    t.proc->started = true;
    snare::engine::notify_process_start(*e.tool_, t.g);
  }
  snare::engine::notify_thread_start(*e.tool_, t.g);
}

// The first stop may be in a call (the first process waits in its start gate's read): with
// registers put back after an injection, the kernel no longer restarts it, so the engine does.
template <class Tool>
void engine<Tool>::after_start(engine& e, thread_t& t) {
  if (t.injected && e.load_registers(t)) {
    user_regs_struct r = t.regs;
    regs::restart_interrupted_call(r);
    e.set_regs(t, r);
  }
  e.handle_stop(t, t.event_value);
}

// At execve's exit stop (on_exec sends the thread there), where the new image's registers
// are in place and a call can run before its first instruction.
template <class Tool>
void engine<Tool>::exec_handlers(engine& e, thread_t& t) {
  t.in_exec = true;
  snare::engine::notify_exec(*e.tool_, t.g);
  t.in_exec = false;
}

template <class Tool>
result<void> guest<Tool>::set_auxv(std::uint64_t type, std::uint64_t value) noexcept {
  return engine_->set_auxv(*thread_, type, value);
}

// Finds entry `type` of the auxiliary vector on the new image's initial stack (argc, argv
// and its NULL, envp and its NULL, then the (type, value) pairs: the System V x86-64 psABI,
// 3.4.1) and writes its value.
template <class Tool>
result<void> engine<Tool>::set_auxv(thread_t& t, std::uint64_t type, std::uint64_t value) noexcept {
  if (t.dead) return std::errc::no_such_process;
  if (!t.in_exec || !t.worker.running()) return std::errc::operation_not_supported;
  if (!t.injected && !load_registers(t)) return std::errc::no_such_process;
  std::uint64_t at = regs::stack_pointer(t.injected ? t.saved : t.regs);
  auto word = [&](std::uint64_t address) -> result<std::uint64_t> {
    std::uint64_t w = 0;
    auto n = read_memory(t.tid, address, std::as_writable_bytes(std::span(&w, 1)));
    if (!n || *n != sizeof w) return std::errc::bad_address;
    return w;
  };
  auto argc = word(at);
  if (!argc) return argc.error();
  at += (*argc + 2) * 8;  // argc, the argv pointers, their NULL
  for (int envs = 0;; ++envs, at += 8) {
    auto p = word(at);
    if (!p) return p.error();
    if (*p == 0 || envs > (1 << 20)) break;
  }
  at += 8;
  for (int i = 0; i < 256; ++i, at += 16) {
    auto k = word(at);
    if (!k) return k.error();
    if (*k == AT_NULL) break;
    if (*k != type) continue;
    auto n = write_memory(t.tid, at + 8, std::as_bytes(std::span(&value, 1)));
    if (!n || *n != sizeof value) return std::errc::bad_address;
    return {};
  }
  return std::errc::invalid_argument;
}

template <class Tool>
void engine<Tool>::after_exec(engine& e, thread_t& t) {
  if constexpr (has_cpuid_handler<Tool, guest_type>) {
    if (e.plan_.trap_cpuid) {
      t.rearm = thread_t::rearm_stage::exec_exit;
      return e.rearm_cpuid_step(t);  // then execve's exit job, when the tool wants one
    }
  }
  if (t.trace_exit) return e.begin_exit_job(t, t.exec_ret);
  e.resume(t);
}

template <class Tool>
void engine<Tool>::signal_handlers(engine& e, thread_t& t) {
  t.event_value = snare::engine::notify_signal(*e.tool_, t.event_value, t.g);
}

// After a signal's handlers. Without an injected call the thread is still in its signal-
// delivery-stop and gets the signal they chose. After one it is in that call's exit stop,
// where ptrace cannot deliver a signal (ptrace(2), "Signal injection and suppression"): the
// signal is sent again, and at its delivery-stop gets its original siginfo back
// (on_signal); a signal dropped instead lets the call it interrupted restart, as the kernel
// would have.
template <class Tool>
void engine<Tool>::after_signal(engine& e, thread_t& t) {
  const int sig = t.event_value;
  if (!t.injected) return e.resume(t, sig);
  if (sig != 0) {
    if (sig != t.siginfo.si_signo) t.siginfo = siginfo_t{};  // a replacement: the queued siginfo
    t.redeliver = sig;
    queue_signal(t, sig, redeliver_cookie);
  } else if (e.load_registers(t)) {
    user_regs_struct r = t.regs;
    regs::restart_interrupted_call(r);
    e.set_regs(t, r);
  }
  e.resume(t);
}

// Queues `sig` to t as the engine's: SI_QUEUE with `cookie` in si_value, a mark that keeps
// across pid namespaces (where a tkill's sender would read as pid 0). For a signal sent again
// after an injection (redeliver_cookie) and a timer's held back meanwhile (timer_cookie).
template <class Tool>
void engine<Tool>::queue_signal(thread_t& t, int sig, int cookie) noexcept {
  siginfo_t si{};
  si.si_signo = sig;
  si.si_code = SI_QUEUE;
  si.si_pid = ::getpid();
  si.si_uid = ::getuid();
  si.si_value.sival_int = cookie;
  ::syscall(SYS_rt_tgsigqueueinfo, t.proc->pid, t.tid, sig, &si);
}

// Returns the address of a syscall instruction the thread may run an injected call from
// when it is not at a syscall stop: one in its process's vDSO (executable, and the same in
// every thread), else the one it just ran (a new thread's first stop follows its clone);
// nullopt when there is neither (a process without a vDSO, stopped elsewhere).
template <class Tool>
std::optional<std::uint64_t> engine<Tool>::syscall_site(thread_t& t) noexcept {
  // A 32-bit image has the 32-bit vDSO and table: nothing here runs 64-bit numbers there.
  if (!load_registers(t) || !regs::is_native_abi(t.regs)) return std::nullopt;
  const pid_t pid = t.proc->pid;
  if (auto it = sites_.find(pid); it != sites_.end()) return it->second;
  if (auto aux = snare::detail::read_process_auxv(pid)) {
    if (auto vdso = aux->get(AT_SYSINFO_EHDR); vdso && *vdso != 0) {
      std::vector<std::byte> image(4 * 4096);  // the x86-64 vDSO is two pages; not on the fiber's stack
      if (auto n = read_memory(t.tid, *vdso, image); n && *n >= 2) {
        for (std::size_t i = 0; i + 1 < *n; ++i) {
          if (image[i] == std::byte{0x0f} && image[i + 1] == std::byte{0x05}) {
            sites_[pid] = *vdso + i;
            return *vdso + i;
          }
        }
      }
    }
  }
  const std::uint64_t before = regs::instruction_pointer(t.regs) - regs::syscall_size;
  std::uint16_t word = 0;
  auto bytes = std::as_writable_bytes(std::span(&word, 1));
  if (auto n = read_memory(t.tid, before, bytes); n && *n == sizeof word && word == regs::syscall_word)
    return before;
  return std::nullopt;
}

}  // namespace snare::backend::ptrace_detail
