// Defines how the ptrace engine serves syscall stops: the seccomp stop of a trapped call
// (snare's own RET_TRACE or a guest filter's), the entry or exit job that runs the tool's
// handler on the thread's fiber, and what the thread resumes with afterwards.
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cerrno>
#include <cstdint>
#include <span>
#include <utility>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
void engine<Tool>::on_seccomp_stop(thread_t& t) {
  t.pass_exit = false;  // a guest filter's stop: its call may end with no exit stop (PTRACE_CONT)
  if (t.injecting || t.rearm != thread_t::rearm_stage::none)
    return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
  syscall_stop s;
  if (!read_call(t, s, true)) return;
  if (s.data != trace_data) return guest_filter_trace(t);
  serve_entry(t, s);
}

// A call trapped at its entry: snare's filter's seccomp stop, or the entry stop of an
// attached process without that filter (on_syscall_stop). Runs the tool's entry handler.
template <class Tool>
void engine<Tool>::serve_entry(thread_t& t, syscall_stop& s) {
  // A call trapped for the engine's sake only (clone3, an untraced clone), or of a process
  // not followed: on its way, keeping an exit stop a handler's injection still awaits.
  if (!followed(t) || !subscription.entry.contains(s.nr)) {
    const auto was = s.args;
    set_child_tracing(t, s.nr, s.args);
    if (s.args != was) store_arguments(t, was, s.args);
    t.pass_exit = syscall_mode_ && exit_wants_nothing(t);
    return resume(t);
  }
  if (t.replay) {
    t.replay = false;
    // The rewound call itself (a signal handler may run first and make calls of its own).
    if (s.ip == regs::instruction_pointer(t.saved) && s.nr == t.replay_nr) {
      t.trace_exit = subscription.exit.contains(t.nr);
      return resume(t);
    }
  }
  // A debugger is told each call of a debugged process and its result (one more stop, its
  // exit's, where the tool wants none); a call it catches stops for it before the tool's
  // handler sees it (and again at its exit); released, the entry is served from here
  // (detail/debug.hpp, debug_release).
  if (debugging(t.proc->pid)) {
    t.debug_exit = true;
    debugger_->on_call(t.tid, s.nr, s.args);
    if (debug_catches(t, s.nr) && debug_take(t, thread_t::debug_hold::syscall_entry, static_cast<int>(s.nr)))
      return;
  }
  serve_entry_job(t, s);
}

// The tool's entry handler for the call at this stop.
template <class Tool>
void engine<Tool>::serve_entry_job(thread_t& t, syscall_stop& s) {
  load_args(t, s);
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
template <class Tool>
void engine<Tool>::guest_filter_trace(thread_t& t) {
  store_skipped_call(t, -ENOSYS);
  ::ptrace(PTRACE_CONT, t.tid, 0, 0);
}

// Makes a new child traced, or not, as the run needs, whatever the guest asked. With snare's
// filter, a child made with CLONE_UNTRACED would keep the filter but have no tracer: every
// trapped call would fail with ENOSYS; the flag is dropped, and the child runs as it does
// natively. Without it and without follow_forks (drops_new_processes), a new process (no
// CLONE_THREAD) gets CLONE_UNTRACED, so that PTRACE_O_TRACECLONE, there for the threads,
// does not trace it even for a moment (it could not be traced by anyone else then); but
// for one the guest made with CLONE_PTRACE, traced as natively (let_go_unfollowed lets it
// go, and is the fallback for the rest). From
// clone's `args` (the caller stores them), from clone3's clone_args in guest memory, put
// back at the call's exit (put_back_clone3_flags). Done after the tool's entry handler,
// which sees the guest's own arguments.
template <class Tool>
void engine<Tool>::set_child_tracing(thread_t& t, long nr, dispatch::raw_args& args) {
  // CLONE_THREAD, CLONE_PTRACE (which CLONE_UNTRACED would override: the guest asked for
  // its tracer, and gets it as natively, for let_go_unfollowed to let it go).
  constexpr std::uint64_t untraced = bpf::clone_untraced, keep = 0x00010000 | 0x00002000;
  const bool drop = drops_new_processes();
  if (!drop && syscall_mode_) return;  // an attached run without the filter follows all
  auto want = [&](std::uint64_t flags) {
    if (!drop) return flags & ~untraced;
    return (flags & keep) != 0 ? flags : flags | untraced;
  };
  if (nr == sys::x86_64::clone::number) {
    args[0] = want(args[0]);
  } else if (nr == sys::x86_64::clone3::number) {
    std::uint64_t flags = 0;  // struct clone_args starts with its u64 flags
    if (!read_memory(t.tid, args[0], std::as_writable_bytes(std::span(&flags, 1))) || want(flags) == flags)
      return;
    const std::uint64_t changed = want(flags);
    if (!write_memory(t.tid, args[0], std::as_bytes(std::span(&changed, 1)))) return;
    t.clone3_args = args[0];  // the exit stop puts the flags back (resume awaits it)
    t.clone3_flags = flags;
  }
}

// At clone3's exit: the guest's clone_args get back the flags set_child_tracing changed, so
// that the tool's exit handler and the guest read what the guest wrote. (A child without
// CLONE_VM keeps its copy of the changed word.)
template <class Tool>
void engine<Tool>::put_back_clone3_flags(thread_t& t) noexcept {
  const std::uint64_t flags = t.clone3_flags;
  (void)write_memory(t.tid, std::exchange(t.clone3_args, 0), std::as_bytes(std::span(&flags, 1)));
}

template <class Tool>
void engine<Tool>::on_syscall_stop(thread_t& t) {
  if constexpr (has_cpuid_handler<Tool, guest_type>) {
    if (t.rearm != thread_t::rearm_stage::none) return rearm_cpuid_step(t);
  }
  if (t.skip_entry_stop) {
    t.skip_entry_stop = false;
    return (void)::ptrace(PTRACE_SYSCALL, t.tid, 0, 0);
  }
  if (std::exchange(t.pass_exit, false) && exit_wants_nothing(t))
    return resume(t);  // the exit of a call no one wants (serve_entry): nothing to read
  syscall_stop s;
  if (!read_call(t, s, false)) return;
  if (t.clone3_args != 0 && !t.injecting) put_back_clone3_flags(t);
  if (t.injecting) {
    t.injecting = false;
    t.inject_result = s.ret;
    t.worker.resume();
    if (!t.worker.busy()) finish_job(t);
    return;
  }
  if (t.exec_pending) {
    // execve's exit stop, where the exec handlers run (lifecycle.hpp, on_exec).
    t.exec_pending = false;
    t.debug_exit = false;  // the exit is the exec's: the debugger saw the exec event
    t.exec_ret = s.ret;
    return run_event(t, stop_kind::event, &engine::exec_handlers, &engine::after_exec);
  }
  if (syscall_mode_ && s.entry) {
    // A call of another ABI fails with ENOSYS unseen, as snare's filter makes it fail where
    // there is one: read as a native call it would be another call (int 0x80's open is
    // x86-64's fstat), a way around the tool's subscription.
    if (s.foreign) {
      store_skipped_call(t, -ENOSYS);
      t.trace_exit = false;
      t.pass_exit = exit_wants_nothing(t);
      return resume(t);
    }
    return serve_entry(t, s);  // as a seccomp stop would go
  }
  if (t.debug_exit) {  // the exit of a call the debugger is told of: it sees it before the tool
    t.debug_exit = false;
    if (debugger_ != nullptr) debugger_->on_call_exit(t.tid, s.ret);
    if (debug_catches(t, t.nr) && debug_take(t, thread_t::debug_hold::syscall_exit, static_cast<int>(t.nr)))
      return;
    return serve_exit(t, s.ret);
  }
  // In an attached process without snare's filter, an exit the tool did not ask for (or of a
  // call entered before the attach) passes.
  if (syscall_mode_ && !t.trace_exit) return resume(t);
  begin_exit_job(t, s.ret);
}

// The exit stop of a call, after the debugger saw it: the tool's exit handler when it wants
// the exit, else the thread goes on.
template <class Tool>
void engine<Tool>::serve_exit(thread_t& t, long ret) {
  if (!t.trace_exit) return resume(t);
  begin_exit_job(t, ret);
}

// The exit stop of a call whose exit the tool wants. After a successful execve the new
// image has no syscall instruction before its instruction pointer: calls injected there run
// as outside a syscall stop.
template <class Tool>
void engine<Tool>::begin_exit_job(thread_t& t, long ret) {
  const bool new_image =
      ret == 0 && (t.nr == sys::x86_64::execve::number || t.nr == sys::x86_64::execveat::number);
  t.trace_exit = false;
  t.stop = new_image ? stop_kind::event : stop_kind::exit;
  t.job = job_kind::exit;
  t.injected = false;
  t.ret = t.new_ret = ret;
  run_job(t);
}

template <class Tool>
void engine<Tool>::job(void* p) {
  auto& t = *static_cast<thread_t*>(p);
  auto& e = *t.owner;
  if (t.job == job_kind::event) {
    t.event_handlers(e, t);
  } else if (t.job == job_kind::entry) {
    t.new_args = t.args;
    t.act = dispatch_type::on_entry(*e.tool_, t.g, t.nr, t.new_args);
  } else {
    t.new_ret = dispatch_type::on_exit(*e.tool_, t.g, t.nr, t.args, t.ret);
  }
}

template <class Tool>
void engine<Tool>::run_job(thread_t& t) {
  if (t.job != job_kind::exit) cancel_precise(t);  // the next event the tool sees
  t.worker.run(&engine::job, &t);
  if (!t.worker.busy()) finish_job(t);
}

template <class Tool>
void engine<Tool>::finish_job(thread_t& t) {
  t.stop = stop_kind::none;
  if (t.dead) return;
  if (t.job == job_kind::event) return finish_event(t);
  raise_deferred_signals(t);
  arm_precise(t);
  if (t.job == job_kind::entry)
    finish_entry(t);
  else
    finish_exit(t);
}

template <class Tool>
void engine<Tool>::finish_entry(thread_t& t) {
  if (t.act.what() == action::kind::suppress) {
    if (t.injected) {
      user_regs_struct r = t.saved;
      regs::skip_syscall(r);
      regs::set_return_value(r, t.act.value());
      set_regs(t, r);
    } else {
      store_skipped_call(t, t.act.value());
    }
    t.trace_exit = false;
    return resume(t);
  }
  if (t.has_tail) {
    if (!t.injected) {
      store_syscall_number(t, t.tail.number);
      store_arguments(t, t.args, t.tail.args);
      return resume(t);
    }
    bool want_exit = t.trace_exit;
    rewind_and_resume(t, t.saved, t.tail.number, t.tail.args);
    if (t.replay) t.trace_exit = want_exit;  // applied at the replay stop
    return;
  }
  // What the call runs with: the handler's arguments, with the child's tracing as the run
  // needs it (the handler, and the exit handler after it, see the guest's own: t.args).
  dispatch::raw_args run_args = t.new_args;
  set_child_tracing(t, t.nr, run_args);
  // A rewound call (below) stops at its entry again before its exit: clone3's flags stay
  // changed then, rather than be put back at a stop that is not the exit.
  if (t.injected) t.clone3_args = 0;
  if (!t.injected) {
    if (run_args != t.args) store_arguments(t, t.args, run_args);
    t.args = t.new_args;
    return resume(t);
  }
  t.args = t.new_args;
  rewind_and_resume(t, t.saved, t.nr, run_args);
}

template <class Tool>
void engine<Tool>::finish_exit(thread_t& t) {
  if (t.injected) {
    user_regs_struct r = t.saved;
    regs::set_return_value(r, t.new_ret);
    set_regs(t, r);
  } else if (t.new_ret != t.ret) {
    store_return_value(t, t.new_ret);
  }
  t.trace_exit = false;
  resume(t);
}

}  // namespace snare::backend::ptrace_detail
