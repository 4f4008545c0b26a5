// Defines the ptrace engine's per-thread timer (guest::set_timer): a POSIX timer on the
// thread's CPU-time clock, made in the guest thread by injected calls, whose signal the
// engine takes at its delivery-stop and turns into the tool's on_timer in that thread; the
// guest never gets the signal.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>
#include <time.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <system_error>

#include <snare/backend/ptrace/detail/event_loop.hpp>
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
    ev._sigev_un._tid = t.tid;
    auto at_ev = stack.push(ev);
    auto at_id = stack.push(int{-1});  // the kernel's timer_t is an int
    if (auto ok = stack.commit(); !ok) return ok.error();
    auto r = inject(t, sys::x86_64::timer_create(std::array<std::uint64_t, 6>{
                           CLOCK_THREAD_CPUTIME_ID, at_ev.address, at_id.address, 0, 0, 0})
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
  auto r = inject(t, sys::x86_64::timer_settime(std::array<std::uint64_t, 6>{
                         static_cast<std::uint64_t>(t.timer_id), 0, at_when.address, 0, 0, 0})
                         .to_raw());
  if (!r) return r.error();
  if (*r < 0) return static_cast<std::errc>(-*r);
  return {};
}

// Says whether the signal at t's delivery-stop is its timer's: timer_signal from the timer
// the engine made (si_code SI_TIMER, its id and cookie).
template <class Tool>
bool engine<Tool>::is_timer_signal(thread_t& t, int sig) noexcept {
  if (sig != timer_signal || t.timer_id < 0) return false;
  siginfo_t si{};
  if (::ptrace(PTRACE_GETSIGINFO, t.tid, 0, &si) != 0) return false;
  return si.si_code == SI_TIMER && si.si_timerid == t.timer_id && si.si_value.sival_int == timer_cookie;
}

template <class Tool>
void engine<Tool>::timer_handlers(engine& e, thread_t& t) {
  t.event_value = 0;  // the guest never gets the timer's signal
  snare::engine::notify_timer(*e.tool_, t.g);
}

}  // namespace snare::backend::ptrace_detail
