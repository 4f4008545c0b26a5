// Defines how the ptrace engine handles signals: held back while an injected call runs,
// passed to the tool's handler, and RDTSC/CPUID emulated when they arrive as SIGSEGV.
#pragma once

#include <cpuid.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/engine/notify.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
void engine<Tool>::on_signal(thread_t& t, int sig) {
  if (is_precise_signal(t, sig)) return on_precise_signal(t);
  const auto timer = classify_timer_signal(t, sig);
  if (t.injecting || t.rearm != thread_t::rearm_stage::none) {
    // Hold the signal until the handler is done, then raise it again (a timer's queued
    // again as the engine's, so that it is still known as the timer's).
    if (timer == timer_signal_kind::live)
      t.timer_deferred = true;
    else if (timer == timer_signal_kind::other && sig > 0 && sig <= 64)
      t.deferred_signals |= std::uint64_t{1} << (sig - 1);
    return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
  }
  if (timer == timer_signal_kind::stale) return resume(t);  // of a timer exec deleted: dropped
  if (timer == timer_signal_kind::live) {
    // The thread's timer (timer.hpp): its handler runs in the thread; the signal is dropped.
    return run_event(t, event_stop(t), &engine::timer_handlers, &engine::after_signal);
  }
  if constexpr (has_rdtsc_handler<Tool, guest_type> || has_cpuid_handler<Tool, guest_type>) {
    if (sig == SIGSEGV && emulate_instruction(t)) return;
  }
  if (t.redeliver == sig && sent_again(t)) {
    // Sent again after an injection (events.hpp, after_signal): delivered as it first came.
    t.redeliver = 0;
    if (t.siginfo.si_signo == sig) ::ptrace(PTRACE_SETSIGINFO, t.tid, 0, &t.siginfo);
    return resume(t, sig);
  }
  if (debug_take(t, thread_t::debug_hold::signal, sig)) return;  // a debugger's (detail/debug.hpp)
  deliver_signal(t, sig);
}

// Gives signal `sig` at this delivery-stop to the tool's handlers, or to the guest.
template <class Tool>
void engine<Tool>::deliver_signal(thread_t& t, int sig) {
  if constexpr (!has_signal_handler<Tool, guest_type>) {
    return resume(t, sig);
  } else {
    if (!followed(t)) return resume(t, sig);
    // The handlers run on the fiber and may inject; the siginfo is kept for a redelivery.
    if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &t.siginfo) != 0) t.siginfo = siginfo_t{};
    t.event_value = sig;
    run_event(t, event_stop(t), &engine::signal_handlers, &engine::after_signal);
  }
}

// Returns where a signal's (or timer's) handlers may inject at this delivery-stop: outside
// a syscall stop, unless
// - a call the engine rewound is on its way (its registers are kept in t.saved, which an
//   injection would overwrite), or
// - the signal interrupted a call that set a temporary signal mask (rt_sigsuspend, ppoll,
//   pselect6, epoll_pwait, epoll_pwait2): leaving the stop to run an injected call puts the
//   thread's own mask back (restore_saved_sigmask), and the signal sent again would find
//   itself blocked (signal(7)).
template <class Tool>
stop_kind engine<Tool>::event_stop(thread_t& t) noexcept {
  if (t.replay || t.skip_entry_stop) return stop_kind::none;
  if (!load_registers(t)) return stop_kind::none;
  switch (regs::syscall_number(t.regs)) {
    case SYS_rt_sigsuspend:
    case SYS_ppoll:
    case SYS_pselect6:
    case SYS_epoll_pwait:
    case 441:  // epoll_pwait2
      return stop_kind::none;
    default:
      return stop_kind::event;
  }
}

// Says whether the signal at this delivery-stop is the one the engine queued again
// (queue_signal: SI_QUEUE with redeliver_cookie).
template <class Tool>
bool engine<Tool>::sent_again(thread_t& t) noexcept {
  siginfo_t si{};
  return ::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) == 0 && si.si_code == SI_QUEUE &&
         si.si_value.sival_int == redeliver_cookie;
}

// RDTSC/RDTSCP (PR_TSC_SIGSEGV) and CPUID (CPUID faulting) arrive as SIGSEGV from the
// kernel: emulate the instruction through the tool's handler and step over it.
template <class Tool>
bool engine<Tool>::emulate_instruction(thread_t& t) {
  siginfo_t si{};
  if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) != 0 || si.si_code != SI_KERNEL) return false;
  if (!load_registers(t)) return false;
  errno = 0;
  long word = ::ptrace(PTRACE_PEEKTEXT, t.tid, regs::instruction_pointer(t.regs), 0);
  if (errno != 0) return false;
  auto b = [&](int i) { return static_cast<unsigned>((static_cast<unsigned long>(word) >> (8 * i)) & 0xff); };
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

// Signals held back during an injection are raised while the thread is still stopped,
// so they are delivered as it resumes, as if they had just arrived.
template <class Tool>
void engine<Tool>::raise_deferred_signals(thread_t& t) noexcept {
  if (std::exchange(t.timer_deferred, false)) queue_signal(t, timer_signal, timer_cookie);
  for (auto pending = std::exchange(t.deferred_signals, 0); pending != 0; pending &= pending - 1) {
    ::syscall(SYS_tgkill, t.proc->pid, t.tid, __builtin_ctzll(pending) + 1);
  }
}

}  // namespace snare::backend::ptrace_detail
