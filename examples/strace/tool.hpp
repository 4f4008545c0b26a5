// Defines strace::tool, the snare tool behind snare-strace: thin handlers that hand every
// event to strace::session, with a run-time subscription to the syscalls that stop the guest,
// specialised at compile time for what the backend can report.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>

#include <sys/syscall.h>

#include <type_traits>
#include <utility>

#include <snare/backend/ptrace.hpp>
#include <snare/guest/stack.hpp>
#include <snare/subscription/runtime.hpp>
#include <snare/tool.hpp>

#include "page_cache.hpp"
#include "session.hpp"

namespace strace {

/// The snare-strace tool. `calls` is its run-time subscription (snare::runtime_subscription,
/// read by the engine at start): the guest stops only for those calls, and the session
/// filters the trace set within them. Exits and Signals say whether the backend reports
/// syscall exits and signals: the matching handlers exist only then (a constrained member is
/// not a handler), so one template serves ptrace (both), hypercall (exits) and seccomp_notify
/// (neither).
template <bool Exits, bool Signals>
struct tool {
  // Every call reaches the handlers as snare::unknown_call (number + raw registers): the
  // session formats from the run-time descriptor, so one handler instantiation serves all
  // calls instead of one per typed call.
  using syscall_table = snare::call_list<>;
  using thread_state = thread_info;
  using process_state = process_info;

  session* s;
  snare::runtime_subscription calls;

  const snare::runtime_subscription& runtime_subscription() const noexcept { return calls; }

  template <class G>
  static constexpr bool is_ptrace = std::is_same_v<typename G::backend_type, snare::backend::ptrace>;

  // The hypercall backend reports tid 0 outside a syscall (its vCPU thread is not running
  // then); its guest is one thread, so the pid names it.
  template <class G>
  static pid_t tid_of(G& g) noexcept {
    pid_t t = g.tid();
    return t > 0 ? t : g.pid();
  }

  // By value: the tool never changes arguments (seccomp_notify cannot).
  template <class G>
  snare::action on(snare::unknown_call c, G& g) {
    std::uint64_t ip = 0;
    // -i: the ptrace backend has the thread's registers at the stop.
    if constexpr (is_ptrace<G>) {
      if (s->wants_ip()) ip = g.registers().rip;
      // rt_sigreturn shows the mask of the signal frame at the stack pointer.
      if (c.number == snare::sys::x86_64::rt_sigreturn::number)
        g.thread_state().inout.stack_pointer = g.registers().rsp;
    }
    page_cache mem(memory_ref::of(g));  // the entry's reads, a page at a time (strace's cache)
    auto d =
        s->on_entry(g.pid(), tid_of(g), g.thread_state(), g.process_state(), c.number, c.args, mem.ref(), ip);
    // inject signal= on an answered call: its line is printed, the signal follows it.
    if constexpr (is_ptrace<G>) {
      if (d.suppress && g.thread_state().inject_signal != 0) send_injected_signal(g);
    }
    return d.suppress ? snare::suppress(d.value) : snare::proceed();
  }
  // -e inject=...:signal=SIG: strace restarts the thread with SIG, which the kernel sends it
  // as from itself (SI_KERNEL) and delivers on the way back to user space, after the call.
  // The same here: the thread sends it to itself with rt_tgsigqueueinfo, which lets a
  // process queue any si_code to itself, from its stack below the red zone.
  template <class G>
  void send_injected_signal(G& g) {
    int sig = std::exchange(g.thread_state().inject_signal, 0);
    siginfo_t si{};
    si.si_signo = sig;
    si.si_code = SI_KERNEL;
    snare::guest_stack<G> stack(g, g.registers().rsp);
    auto at = stack.push(si);
    if (!stack.commit()) return;
    snare::sys::raw_call call;
    call.number = SYS_rt_tgsigqueueinfo;
    call.args = {static_cast<std::uint64_t>(g.pid()),
                 static_cast<std::uint64_t>(tid_of(g)),
                 static_cast<std::uint64_t>(sig),
                 at.address,
                 0,
                 0};
    (void)g.inject(call);
  }
  template <class G>
  requires Exits void on_exit(snare::unknown_call, long ret, G& g) {
    page_cache mem(memory_ref::of(g));
    bool printed = s->on_exit(g.pid(), tid_of(g), g.thread_state(), ret, mem.ref());
    if constexpr (is_ptrace<G>) {
      if (g.thread_state().inject_signal != 0) send_injected_signal(g);
    }
    // -k: the stack at the call's exit, through the ptrace backend's backtraces.
    if constexpr (is_ptrace<G>) {
      if (printed && s->wants_stack()) {
        if (auto frames = g.backtrace(256)) s->print_stack(g.pid(), tid_of(g), *frames);
      }
    }
  }
  template <class G>
  requires Signals void on_signal(int sig, G& g) {
    siginfo_t si{};
    const siginfo_t* info = nullptr;
    // The ptrace backend runs handlers on the tracer's thread, so the siginfo of the
    // signal-delivery stop can be read directly.
    std::uint64_t ip = 0;  // -i: where the signal stopped the thread (strace prints it too)
    if constexpr (is_ptrace<G>) {
      if (::ptrace(PTRACE_GETSIGINFO, tid_of(g), 0, &si) == 0) info = &si;
      if (s->wants_ip()) ip = g.registers().rip;
    }
    s->on_signal(g.pid(), tid_of(g), sig, info, ip);
  }
  template <class G>
  requires Signals void on_stop(int sig, G& g) { s->on_stop(tid_of(g), sig); }
  template <class G>
  void on_thread_start(G& g) {
    s->on_thread_start(g.pid(), tid_of(g));
  }
  template <class G>
  void on_thread_exiting(G& g) {
    s->on_thread_exiting(tid_of(g), g.thread_state());
  }
  template <class G>
  void on_thread_exit(snare::exit_status end, G& g) {
    s->on_thread_exit(g.pid(), tid_of(g), g.thread_state(), g.process_state(), end);
  }
  template <class G>
  void on_process_exit(int status, G& g) {
    s->on_process_exit(g.pid(), status);
  }
  // -p: a signal to snare-strace detached it; `kept`: the tracer stays as the keeper of the
  // process's filter (docs/attach.md).
  void on_detach(bool kept) { s->on_detach(kept); }
  // Tasks the ptrace engine reaped or let go without tracing them (engine/notify.hpp).
  void on_unknown_exit(pid_t pid, int) { s->on_unknown_task(pid, true); }
  void on_unknown_detach(pid_t pid) { s->on_unknown_task(pid, false); }
  // -b execve: the ptrace engine let a process go at its exec (run_options::detach_on_exec).
  void on_process_detach(pid_t pid) { s->on_process_detach(pid); }
  template <class G>
  void on_exec(G& g) {
    s->on_exec(g.pid(), tid_of(g), g.thread_state());
  }
};

}  // namespace strace
