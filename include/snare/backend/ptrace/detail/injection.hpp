// Defines the ptrace engine's syscall injection: a call run in the thread's place at its
// entry or exit stop (the handler waits on its fiber for the result), tail injection, and
// the rewind that runs a call's own instruction again.
#pragma once

#include <sys/ptrace.h>
#include <sys/user.h>

#include <system_error>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/detail/records.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
result<long> guest<Tool>::do_inject(const sys::raw_call& call) noexcept {
  return engine_->inject(*thread_, call);
}
template <class Tool>
result<void> guest<Tool>::do_tail_inject(const sys::raw_call& call) noexcept {
  return engine_->tail_inject(*thread_, call);
}

// Puts the thread back on the syscall instruction it stopped in, to run `nr` again.
template <class Tool>
void engine<Tool>::rewind_and_resume(thread_t& t, user_regs_struct r, long nr,
                                     const dispatch::raw_args& args) {
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

template <class Tool>
result<long> engine<Tool>::inject(thread_rec<Tool>& t, const sys::raw_call& call) noexcept {
  if (t.dead) return std::errc::no_such_process;
  if (!t.worker.running() || t.stop == stop_kind::none) return std::errc::operation_not_supported;
  // A signal that interrupts the injected call is held back until the handler ends; the
  // kernel's restart codes (-ERESTARTSYS .. -ERESTART_RESTARTBLOCK) then mean "run it again".
  constexpr long restart_first = -516, restart_last = -512;
  for (int attempt = 0;; ++attempt) {
    bool at_entry = t.stop == stop_kind::entry && !t.injected;
    if (!t.injected) t.saved = registers(t);
    user_regs_struct r = t.saved;
    regs::set_syscall_number(r, call.number);
    store_args(r, call.args);
    if (t.stop == stop_kind::event) {
      // Outside a syscall stop: from a syscall instruction of the engine's choosing.
      auto site = syscall_site(t);
      if (!site) return std::errc::operation_not_supported;
      regs::set_instruction_pointer(r, *site);
      t.skip_entry_stop = true;
    } else if (!at_entry) {
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
  if (!t.worker.running() || t.stop != stop_kind::entry) return std::errc::operation_not_supported;
  t.tail = call;
  t.has_tail = true;
  return {};
}

}  // namespace snare::backend::ptrace_detail
