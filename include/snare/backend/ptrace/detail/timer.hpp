// Defines the ptrace engine's per-thread timers: set_timer, a POSIX timer on the thread's
// CPU-time clock, made in the guest thread by injected calls; and set_timer_precise, a count
// of retired conditional branches (branch_counter.hpp) driven to its exact end by single
// steps. The engine takes their signals at the delivery-stop and runs the tool's on_timer in
// that thread; the guest never gets them.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <system_error>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/engine/notify.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
result<void> guest<Tool>::set_timer(std::chrono::nanoseconds cpu_time) noexcept {
  return engine_->set_timer(*thread_, cpu_time);
}

// Arms t's timer for `cpu_time` of its CPU time (0 disarms it), making the timer first:
// timer_create(CLOCK_THREAD_CPUTIME_ID, {SIGEV_THREAD_ID, timer_signal, t}) run by the thread
// itself, since that clock is the calling thread's (timer_create(2), clock_getcpuclockid(3)).
template <class Tool>
result<void> engine<Tool>::set_timer(thread_t& t, std::chrono::nanoseconds cpu_time) noexcept {
  if (cpu_time.count() < 0) return std::errc::invalid_argument;
  auto stack = t.g.stack();
  if (t.timer_id < 0) {
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = timer_signal;
    ev.sigev_value.sival_int = timer_cookie;
    // The thread's id as the guest's kernel reads it: in its own pid namespace.
    ev._sigev_un._tid = snare::detail::innermost_tid(t.tid);
    auto at_ev = stack.push(ev);
    auto at_id = stack.push(int{-1});  // the kernel's timer_t is an int
    if (auto ok = stack.commit(); !ok) return ok.error();
    auto r = inject(
        t, sys::x86_64::timer_create(
               std::array<std::uint64_t, 6>{CLOCK_THREAD_CPUTIME_ID, at_ev.address, at_id.address, 0, 0, 0})
               .to_raw());
    if (!r) return r.error();
    if (*r < 0) return static_cast<std::errc>(-*r);
    auto id = snare::read(t.g, at_id);
    if (!id) return id.error();
    t.timer_id = *id;
    stack = t.g.stack();
  }
  itimerspec when{};
  when.it_value.tv_sec = static_cast<time_t>(cpu_time.count() / 1'000'000'000);
  when.it_value.tv_nsec = static_cast<long>(cpu_time.count() % 1'000'000'000);
  auto at_when = stack.push(when);
  if (auto ok = stack.commit(); !ok) return ok.error();
  auto r = inject(
      t, sys::x86_64::timer_settime(std::array<std::uint64_t, 6>{static_cast<std::uint64_t>(t.timer_id), 0,
                                                                 at_when.address, 0, 0, 0})
             .to_raw());
  if (!r) return r.error();
  if (*r < 0) return static_cast<std::errc>(-*r);
  return {};
}

// Says what the signal at t's delivery-stop is to the timers: a timer the engine made
// (timer_signal with its cookie: from the kernel, SI_TIMER, or queued again by the engine
// after it was held back during an injected call, SI_QUEUE), and whether that timer is still
// t's (a signal of a timer an exec deleted can still be queued on kernels before 6.13).
template <class Tool>
typename engine<Tool>::timer_signal_kind engine<Tool>::classify_timer_signal(thread_t& t, int sig) noexcept {
  if (sig != timer_signal) return timer_signal_kind::other;
  siginfo_t si{};
  if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) != 0) return timer_signal_kind::other;
  if (si.si_value.sival_int != timer_cookie) return timer_signal_kind::other;
  if (si.si_code == SI_QUEUE && t.timer_id >= 0) return timer_signal_kind::live;
  if (si.si_code != SI_TIMER) return timer_signal_kind::other;
  return si.si_timerid == t.timer_id ? timer_signal_kind::live : timer_signal_kind::stale;
}

template <class Tool>
result<void> guest<Tool>::set_timer_precise(std::uint64_t branches) noexcept {
  return engine_->set_timer_precise(*thread_, branches);
}
template <class Tool>
result<std::uint64_t> guest<Tool>::read_clock() noexcept {
  return engine_->read_clock(*thread_);
}

template <class Tool>
result<std::uint64_t> engine<Tool>::read_clock(thread_t& t) noexcept {
  if (t.dead) return std::errc::no_such_process;
  if (!t.branches) {
    auto c = branch_counters::open(t.tid, timer_signal);
    if (!c) return c.error();
    t.branches.emplace(std::move(*c));
  }
  return t.branches->read();
}

// Fewer branches than this past the skid margin are stepped at once rather than asked of the
// counter (Reverie's choice: tiny periods meet perf's throttling).
inline constexpr std::uint64_t precise_step_only = 5;

template <class Tool>
result<void> engine<Tool>::set_timer_precise(thread_t& t, std::uint64_t branches) noexcept {
  if (branches == 0) return std::errc::invalid_argument;
  auto now = read_clock(t);
  if (!now) return now.error();
  t.branches->disarm();
  t.precise = thread_t::precise_stage::none;
  const std::uint64_t margin = t.branches->skid_margin();
  t.precise_target = *now + branches;
  t.precise_kick = branches <= margin + precise_step_only;
  if (!t.precise_kick) {
    if (auto ok = t.branches->arm(branches - margin); !ok) return ok.error();
  }
  t.precise = thread_t::precise_stage::set;
  return {};
}

// Once the handler that set the precise timer is done, the timer is armed; one too close for
// the counter starts stepping at once, through a signal of the engine's.
template <class Tool>
void engine<Tool>::arm_precise(thread_t& t) noexcept {
  if (t.precise != thread_t::precise_stage::set) return;
  t.precise = thread_t::precise_stage::armed;
  if (t.precise_kick) queue_signal(t, timer_signal, precise_cookie);
}

// An event the tool sees cancels an armed precise timer (Reverie's semantics).
template <class Tool>
void engine<Tool>::cancel_precise(thread_t& t) noexcept {
  if (t.precise == thread_t::precise_stage::none) return;
  t.precise = thread_t::precise_stage::none;
  if (t.branches) t.branches->disarm();
}

// Says whether the signal at t's delivery-stop is its precise timer's: the counter's
// overflow (POLL_IN or POLL_HUP from its fd) or the engine's kick.
template <class Tool>
bool engine<Tool>::is_precise_signal(thread_t& t, int sig) noexcept {
  if (sig != timer_signal || !t.branches) return false;
  siginfo_t si{};
  if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) != 0) return false;
  if (si.si_code == SI_QUEUE) return si.si_value.sival_int == precise_cookie;
  return (si.si_code == POLL_IN || si.si_code == POLL_HUP) && si.si_fd == t.branches->timer_fd();
}

// The precise timer's signal: dropped unless the timer is armed (a cancelled timer's can
// still arrive); early by more than the skid margin, asked again for the rest; else the last
// branches are stepped.
template <class Tool>
void engine<Tool>::on_precise_signal(thread_t& t) {
  if (t.injecting) return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
  if (t.precise != thread_t::precise_stage::armed) return resume(t);
  t.branches->disarm();
  auto now = t.branches->read();
  if (!now) {
    cancel_precise(t);
    return resume(t);
  }
  const std::uint64_t margin = t.branches->skid_margin();
  if (*now < t.precise_target && t.precise_target - *now > margin + precise_step_only) {
    if (!t.branches->arm(t.precise_target - *now - margin)) cancel_precise(t);
    return resume(t);
  }
  step_precise(t, *now);
}

// Single-steps t until its clock reaches the target (a step over an unsubscribed syscall
// counts no branch and goes on; any other stop cancels the timer: handle_stop), then runs
// the timer's handlers there.
template <class Tool>
void engine<Tool>::step_precise(thread_t& t, std::uint64_t now) {
  if (now >= t.precise_target) {
    t.precise = thread_t::precise_stage::none;
    return run_event(t, event_stop(t), &engine::timer_handlers, &engine::after_signal);
  }
  t.precise = thread_t::precise_stage::stepping;
  ::ptrace(PTRACE_SINGLESTEP, t.tid, 0, 0);
}

// A stop of a thread that single-steps toward its precise timer: its step's SIGTRAP
// (TRAP_TRACE; TRAP_BRKPT after a step over a syscall instruction, arch/x86/kernel/step.c)
// steps on; true when that is what it was.
template <class Tool>
bool engine<Tool>::on_precise_step(thread_t& t, int sig, int event) {
  siginfo_t si{};
  if (sig == SIGTRAP && event == 0 && ::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) == 0 &&
      (si.si_code == TRAP_TRACE || si.si_code == TRAP_BRKPT)) {
    if (auto now = t.branches->read()) {
      step_precise(t, *now);
    } else {
      cancel_precise(t);
      resume(t);
    }
    return true;
  }
  cancel_precise(t);  // another event came first
  return false;
}

template <class Tool>
void engine<Tool>::timer_handlers(engine& e, thread_t& t) {
  t.event_value = 0;                                             // the guest never gets the timer's signal
  if (!e.silenced_) snare::engine::notify_timer(*e.tool_, t.g);  // not after a detach
}

}  // namespace snare::backend::ptrace_detail
