// Defines how the ptrace engine follows processes and threads: new tasks (clone, fork,
// vfork), exec (a non-leader thread taking the leader's id, and CPUID faulting set again
// in the new image), and the end of a thread's record.
#pragma once

#include <asm/prctl.h>
#include <elf.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cerrno>
#include <memory>
#include <utility>
#include <vector>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/engine/notify.hpp>
#include <snare/engine/vdso.hpp>
#include <snare/guest/auxv.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

template <class Tool>
void engine<Tool>::on_new_task(thread_t& parent, int event) {
  unsigned long msg = 0;
  ::ptrace(PTRACE_GETEVENTMSG, parent.tid, 0, &msg);
  auto child = static_cast<pid_t>(msg);
  const bool seen_first = unannounced_.erase(child) != 0;
  if (gone_unannounced_.erase(child) != 0) return resume(parent);  // it has ended already
  // A new process the run does not follow, traced only for PTRACE_O_TRACECLONE's sake: let go
  // at its first stop, before or after this event (let_go_unfollowed).
  if (event == PTRACE_EVENT_CLONE && drops_new_processes() && child > 0 && read_tgid(child) == child) {
    if (!let_go_.erase(child)) let_go_.insert(child);  // its first stop is still to come
    return resume(parent);
  }
  if (auto* old = find(child); old != nullptr && !seen_first) {
    // A record of an earlier task with this id, whose end was never reported: retire it.
    auto rec = records_.take(child);
    retire(*rec, exit_status{}, true);
    records_.release(std::move(rec));
  }
  if (child > 0 && !find(child)) {
    pid_t tgid = child;
    if (event == PTRACE_EVENT_CLONE) tgid = read_tgid(child);
    add_thread(child, tgid, &parent);
  }
  // A fork's copy of a debugged process's memory holds the debugger's breakpoints: it takes
  // them out before the child runs (its first stop is handled below, or later).
  if (event == PTRACE_EVENT_FORK && child > 0 && debugging(parent.proc->pid))
    debugger_->on_fork(parent.proc->pid, child);
  // Its first stop came first and was held: it starts now, after its creator's event.
  if (auto h = held_.find(child); h != held_.end()) {
    const int status = h->second.status;
    held_.erase(h);
    handle(child, status);
  }
  // A debugger is told of a debugged process's forks and vforks, the parent stopped at its event.
  if (event != PTRACE_EVENT_CLONE && child > 0 &&
      debug_take(parent,
                 event == PTRACE_EVENT_VFORK ? thread_t::debug_hold::vfork : thread_t::debug_hold::fork,
                 child))
    return;
  resume(parent);
}

template <class Tool>
void engine<Tool>::on_exec(thread_t& t) {
  // detach_on_exec: every exec but a launched command's own first one lets its process go.
  const bool launched = !attach_mode_ || !attach_too_.empty();
  const bool let_go = options_.detach_on_exec && (!launched || exec_seen_ || t.proc->pid != root_);
  if (t.proc->pid == root_) exec_seen_ = true;  // the command's (an attached process's exec is not)
  // The exec killed the process's other threads, some perhaps between a clone and its event.
  if (!held_.empty()) release_held(t.proc->pid);
  unsigned long former = 0;
  ::ptrace(PTRACE_GETEVENTMSG, t.tid, 0, &former);
  auto old = static_cast<pid_t>(former);
  const pid_t leader_tid = t.tid;  // `t` is the old leader's record, retired below
  thread_t* cur = &t;
  if (old > 0 && old != t.tid) {
    // A non-leader thread exec'd: it takes the leader's id; the old leader is gone
    // without a report of its own.
    if (records_.find(old) != nullptr) {
      if (auto leader = records_.move_to_leader(old, leader_tid)) {
        retire(*leader, exit_status::superseded(old), false);
        records_.release(std::move(leader));
      }
      cur = records_.find(leader_tid);
      cur->have_regs = false;  // read before the exec, under its old id
    }
  }
  sites_.erase(cur->proc->pid);  // the new image has a vDSO of its own
  if (let_go) return detach_process(*cur);
  cur->timer_id = -1;  // exec deletes POSIX timers (execve(2))
  if (!vdso_patches_.empty()) patch_vdso(*cur);
  if constexpr (has_exec_handler<Tool, guest_type>) {
    if (followed(*cur)) {
      // On to execve's exit stop, where the handlers may inject (events.hpp, after_exec).
      cur->exec_pending = true;
      return (void)::ptrace(PTRACE_SYSCALL, cur->tid, 0, 0);
    }
  }
  if constexpr (has_cpuid_handler<Tool, guest_type>) {
    if (plan_.trap_cpuid) {
      // On to execve's exit stop, where the new image can run arch_prctl.
      cur->rearm = thread_t::rearm_stage::exec_exit;
      return (void)::ptrace(PTRACE_SYSCALL, cur->tid, 0, 0);
    }
  }
  resume(*cur);
}

// Lets the process of `t`, stopped at its exec event, go untraced (detach_on_exec): the
// exec left it one thread, detached here; records of its other threads (gone in the exec,
// their death reports perhaps still to come: ptrace(2), "execve(2) under ptrace") are
// dropped with it, and those reports ignored. The tool is told, and hears nothing more
// of it; a process the tracer forked is still reaped (on_gone: no record, no event).
template <class Tool>
void engine<Tool>::detach_process(thread_t& t) {
  const pid_t pid = t.proc->pid;
  ::ptrace(PTRACE_DETACH, t.tid, 0, 0);
  std::vector<pid_t> tids;
  records_.for_each_thread([&](thread_t& other) {
    if (other.proc->pid != pid) return;
    tids.push_back(other.tid);
    waiters_.remove(other);
    if (!other.worker.busy()) return;
    other.dead = true;  // a handler still waiting ends: its inject or wait fails
    try {
      while (other.worker.busy()) other.worker.resume();
    } catch (...) {
    }
  });
  const pid_t leader = t.tid;  // `t` goes with the records
  for (pid_t tid : tids) {
    records_.erase(tid);
    if (tid != leader) dropped_tasks_.insert(tid);
  }
  snare::engine::notify_process_detach(*tool_, pid);
}

// Makes the new image's vDSO clock functions syscalls (run_options::vdso_as_syscalls,
// engine/vdso.hpp), before any of its code runs. A 32-bit image has another vDSO: left alone.
template <class Tool>
void engine<Tool>::patch_vdso(thread_t& t) noexcept {
  if (!load_registers(t) || !regs::is_native_abi(t.regs)) return;
  auto aux = snare::detail::read_process_auxv(t.proc->pid);
  if (!aux) return;
  auto base = aux->get(AT_SYSINFO_EHDR);
  if (!base || *base == 0) return;
  for (const auto& p : vdso_patches_) {
    auto code = snare::detail::vdso_stub(p.number);
    (void)write_memory(t.tid, *base + p.offset, code);
  }
}

// One syscall stop of the CPUID re-arm after an exec: at execve's exit, put a syscall
// instruction at the first instruction of the new image and run arch_prctl(ARCH_SET_CPUID,
// 0) from it; at that call's exit, put back the text and registers, then carry on as if
// execve's exit stop had just come (the tool may want it).
template <class Tool>
void engine<Tool>::rearm_cpuid_step(thread_t& t) {
  using stage = typename thread_t::rearm_stage;
  switch (t.rearm) {
    case stage::exec_exit: {
      if (!load_registers(t)) return;
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
template <class Tool>
void engine<Tool>::retire(thread_t& t, exit_status end, bool process_may_end) {
  t.dead = true;
  waiters_.remove(t);
  if (t.worker.busy()) {
    t.worker.resume();  // its inject returns no_such_process; the handler ends
  }
  if (!t.started) start_now(t);
  if (process_may_end && t.tid == t.proc->pid) sites_.erase(t.proc->pid);
  if (!followed(t)) return;
  snare::engine::notify_thread_exit(*tool_, end, t.g);
  if (process_may_end && t.tid == t.proc->pid)
    snare::engine::notify_process_exit(*tool_, end.wait_status(), t.g);
}

template <class Tool>
void engine<Tool>::on_gone(pid_t tid, int status) {
  if (tid == root_) {
    root_status_ = status;
    root_reaped_ = true;
    if (debugger_ != nullptr) debugger_->on_root_exit(status);
  } else if (debugging(tid)) {
    debugger_->on_process_exit(tid, status);  // another debugged process's leader
  }
  auto rec = records_.take(tid);
  if (!rec && dropped_tasks_.erase(tid) != 0) return;  // let go with its process (detach_process)
  if (!rec) {
    // Killed while its first stop was held, or ended before any report (its parent's event
    // may follow), or never traced: a child of the tracer by CLONE_PARENT.
    if (held_.erase(tid) == 0 && tid != root_) snare::engine::notify_unknown_exit(*tool_, tid, status);
    gone_unannounced_.insert(tid);
    return;
  }
  if (unannounced_.erase(tid) != 0) gone_unannounced_.insert(tid);
  retire(*rec, exit_status::from_wait_status(status), true);
  const pid_t tgid = rec->proc->pid;
  records_.release(std::move(rec));
  end_if_only_daemons();
  // A creator's event can no longer come once its process is gone: start the tasks it
  // created. (Only those: another process's held child still gets its creator's event, and
  // its state.) A creator thread cannot end alone between its clone and its event but by
  // another thread's exec: on_exec.
  if (!held_.empty() && records_.find_process(tgid) == nullptr) release_held(tgid);
}

}  // namespace snare::backend::ptrace_detail
