// Defines the ptrace engine's per-thread timer (guest::set_timer): a POSIX timer on the
// thread's CPU-time clock, made in the guest thread by injected calls, whose signal the
// engine takes at its delivery-stop and turns into the tool's on_timer in that thread; the
// guest never gets the signal.
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
void engine<Tool>::timer_handlers(engine& e, thread_t& t) {
  t.event_value = 0;                                             // the guest never gets the timer's signal
  if (!e.silenced_) snare::engine::notify_timer(*e.tool_, t.g);  // not after a detach
}

}  // namespace snare::backend::ptrace_detail
