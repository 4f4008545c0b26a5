// Defines how the ptrace engine attaches to running processes (every thread, as strace
// does) and detaches from them, leaving each task as it was: a signal it was about to get
// is delivered, a call it was in runs or restarts as the kernel would, a group-stop stays.
#pragma once

#include <dirent.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/engine/detail/proc.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::backend::ptrace_detail {

// Says whether task `tid` has exited (state Z or X in /proc/<tid>/stat, or no such task).
inline bool task_is_dead(pid_t tid) noexcept {
  char path[64], buf[512];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(tid));
  FILE* f = std::fopen(path, "re");
  if (f == nullptr) return true;
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  return close == nullptr || close[1] != ' ' || close[2] == 'Z' || close[2] == 'X';
}

template <class Tool>
int engine<Tool>::attach(std::span<const pid_t> pids) {
  const char* name = "attach";
  if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
  // Both are set up in the guest before its exec (PR_SET_TSC, arch_prctl): not from outside.
  if (plan_.trap_rdtsc || plan_.trap_cpuid)
    return this->refuse_option("intercept RDTSC or CPUID in a process it attaches to");
  attach_mode_ = true;
  // Without snare's filter every call stops at its entry and exit. No PTRACE_O_EXITKILL:
  // the tracer's end must not kill what it attached to. No PTRACE_O_TRACESECCOMP: the
  // process's own filters' RET_TRACE fails with ENOSYS, as before the attach.
  syscall_mode_ = true;
  long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT;
  if (options_.follow_forks) opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  // A filter is worth injecting when some calls would not stop; only into one process, so
  // that every task of the run is trapped the same way. Its children inherit it: they are
  // traced whether followed or not, as in a launched run.
  bool want_filter = options_.attach_filter == attach_filter_policy::when_harmless;
  if (want_filter && pids.size() != 1) {
    filter_refusal_ = "a filter is injected into one attached process only";
    want_filter = false;
  } else if (want_filter && subscription.entry.is_everything()) {
    filter_refusal_ = "the subscription is every call: a filter would stop them all";
    want_filter = false;
  }
  if (want_filter) opts |= PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  for (pid_t pid : pids) {
    const int e = seize_process(pid, opts);
    if (e != 0) {
      if (options_.report_exec_failure)
        std::fprintf(stderr, "snare: attach: ptrace(PTRACE_SEIZE, %d): %s\n", static_cast<int>(pid),
                     std::strerror(e));
      continue;
    }
    const pid_t tgid = read_tgid(pid);
    if (root_ < 0) root_ = tgid;
    this->attached_.push_back(tgid);
  }
  if (root_ < 0) {
    this->finish(exit_status{});
    return 1;
  }
  // Stops waited for by the injection (and the injecting thread's first stop), served first.
  std::vector<std::pair<pid_t, int>> reports;
  if (want_filter && inject_filter(root_, reports)) syscall_mode_ = false;
  if (options_.stop) (void)waker_.start(*options_.stop);
  for (auto [tid, status] : reports) handle(tid, status);
  loop();
  if (detached_ || keeping_) {  // kept: how the process ended is known all the same
    this->finish(keeping_ && root_reaped_ ? exit_status::from_wait_status(root_status_) : exit_status{});
    return 0;
  }
  return this->finish(root_reaped_ ? exit_status::from_wait_status(root_status_) : exit_status{});
}

// attach_too: seizes the processes to attach to beside the launched command (root_, seized
// already) with `ptrace_options` (the command's, without PTRACE_O_EXITKILL: the tracer's end
// must not kill them). Neither they nor the command get snare's filter (syscall_mode_): one
// filter could not go into several processes (attach), and every task of the run is
// trapped the same way. The run ends when every task is gone; its status is the command's.
// A stop request sends its signal to the command, as strace's cleanup does, then detaches
// from every task, the command's too (on_stop_request). A process that cannot be seized is
// told on stderr, as attach() does; the command runs all the same.
template <class Tool>
void engine<Tool>::attach_others(long ptrace_options) {
  attach_mode_ = true;
  for (pid_t pid : attach_too_) {
    if (const int e = seize_process(pid, ptrace_options); e != 0) {
      if (options_.report_exec_failure)
        std::fprintf(stderr, "snare: attach: ptrace(PTRACE_SEIZE, %d): %s\n", static_cast<int>(pid),
                     std::strerror(e));
      continue;
    }
    this->attached_.push_back(read_tgid(pid));
  }
}

// Seizes every thread of the process of `pid`, reading /proc/PID/task again until a pass
// finds no new thread (one may be cloned by a thread not yet seized), and interrupts each:
// its first stop is that interrupt, where its start is told (events.hpp, begin_start).
// Threads cloned by a seized thread are the kernel's to attach (PTRACE_O_TRACECLONE); their
// seize here fails (EPERM: traced already) and is left to the clone event. Returns 0, or
// the errno of the first thread's seize (ESRCH: no such process).
template <class Tool>
int engine<Tool>::seize_process(pid_t pid, long ptrace_options) {
  auto ids = snare::detail::read_task_ids(pid);
  if (!ids) return ESRCH;
  const pid_t tgid = ids->tgid;
  if (records_.find_process(tgid) != nullptr) return 0;  // named twice
  char dir[64];
  std::snprintf(dir, sizeof dir, "/proc/%d/task", static_cast<int>(tgid));
  std::unordered_set<pid_t> tried;
  int first_error = 0;
  bool any = false;
  for (bool grew = true; grew;) {
    grew = false;
    DIR* d = ::opendir(dir);
    if (d == nullptr) break;  // the process is gone
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      const long v = std::strtol(e->d_name, &end, 10);
      if (v <= 0 || *end != '\0') continue;
      const auto tid = static_cast<pid_t>(v);
      if (!tried.insert(tid).second) continue;
      if (::ptrace(PTRACE_SEIZE, tid, 0, ptrace_options) != 0) {
        if (!any && first_error == 0) first_error = errno;
        continue;
      }
      ::ptrace(PTRACE_INTERRUPT, tid, 0, 0);
      add_thread(tid, tgid);
      any = grew = true;
    }
    ::closedir(d);
  }
  if (any) return 0;
  return first_error != 0 ? first_error : ESRCH;
}

// Reads the facts of /proc/<tid>/status the filter's injection needs: NoNewPrivs, CapEff
// and Seccomp (proc(5)); false when the task is gone.
struct seccomp_facts {
  bool no_new_privs = false;
  bool cap_sys_admin = false;
  int seccomp_mode = 0;
};
inline bool read_seccomp_facts(pid_t tgid, pid_t tid, seccomp_facts& f) noexcept {
  char path[96], buf[4096];
  std::snprintf(path, sizeof path, "/proc/%d/task/%d/status", static_cast<int>(tgid), static_cast<int>(tid));
  FILE* file = std::fopen(path, "re");
  if (file == nullptr) return false;
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, file);
  std::fclose(file);
  buf[n] = '\0';
  if (const char* p = std::strstr(buf, "\nNoNewPrivs:"))
    f.no_new_privs = std::strtol(p + 12, nullptr, 10) != 0;
  if (const char* p = std::strstr(buf, "\nCapEff:"))
    f.cap_sys_admin = ((std::strtoull(p + 8, nullptr, 16) >> 21) & 1) != 0;  // CAP_SYS_ADMIN is 21
  if (const char* p = std::strstr(buf, "\nSeccomp:"))
    f.seccomp_mode = static_cast<int>(std::strtol(p + 9, nullptr, 10));
  return true;
}

// Injects the subscription's filter into the attached process `tgid` from its main thread:
// seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, prog), the program on the
// thread's stack below its red zone, the call run from a syscall instruction of its vDSO at
// the attach's interrupt stop; then the thread's registers are put back (a call the
// interrupt cut short restarts). Only where the kernel takes the filter without a change to
// the process (seccomp(2)): every thread has no_new_privs already (TSYNC would set it in a
// thread that lacks it), or the thread has CAP_SYS_ADMIN; snare never sets no_new_privs.
// The stops it waits for are added to `reports` for the loop (the main thread's first stop
// among them). Returns whether the filter is in place; else filter_refusal_ says why.
template <class Tool>
bool engine<Tool>::inject_filter(pid_t tgid, std::vector<std::pair<pid_t, int>>& reports) {
  thread_t* t = find(tgid);
  if (t == nullptr) {
    filter_refusal_ = "its main thread has exited";
    return false;
  }
  seccomp_facts leader;
  if (!read_seccomp_facts(tgid, tgid, leader)) {
    filter_refusal_ = "its main thread has exited";
    return false;
  }
  bool all_nnp = true;
  records_.for_each_thread([&](thread_t& other) {
    seccomp_facts f;
    if (other.proc->pid == tgid && read_seccomp_facts(tgid, other.tid, f) && !f.no_new_privs) all_nnp = false;
  });
  if (leader.seccomp_mode == SECCOMP_MODE_STRICT) {
    filter_refusal_ = "it runs in seccomp strict mode";
    return false;
  }
  if (leader.no_new_privs && !all_nnp) {
    filter_refusal_ = "a thread lacks no_new_privs, which the filter's TSYNC would set in it";
    return false;
  }
  if (!leader.no_new_privs && !leader.cap_sys_admin) {
    filter_refusal_ = "it has neither no_new_privs nor CAP_SYS_ADMIN (snare never sets no_new_privs)";
    return false;
  }
  int status = 0;
  pid_t p = 0;
  while ((p = ::waitpid(t->tid, &status, __WALL)) < 0 && errno == EINTR) {
  }
  if (p != t->tid) {
    filter_refusal_ = "its main thread could not be waited for";
    return false;
  }
  if (!WIFSTOPPED(status) || (status >> 16) != PTRACE_EVENT_STOP || WSTOPSIG(status) != SIGTRAP) {
    reports.emplace_back(t->tid, status);  // served by the loop as it came
    filter_refusal_ =
        "its main thread stopped otherwise than at the attach's interrupt (a group-stop, a signal)";
    return false;
  }
  // The thread is at its interrupt stop from here on: whatever happens, the loop gets it.
  constexpr int first_stop = (PTRACE_EVENT_STOP << 16) | (SIGTRAP << 8) | 0x7f;
  t->have_regs = false;
  if (!load_registers(*t) || !regs::is_native_abi(t->regs)) {
    reports.emplace_back(t->tid, first_stop);
    filter_refusal_ = "its main thread runs another ABI than the native one";
    return false;
  }
  const user_regs_struct saved = t->regs;
  const auto site = syscall_site(*t);
  const bpf::program& filter = this->filter_program([](const syscall_set& entry) {
    return bpf::build_filter(filter_set(entry), SECCOMP_RET_TRACE | trace_data, sys::x86_64::clone::number);
  });
  // struct sock_fprog as the kernel reads it: a u16 length, then the program's address.
  struct guest_fprog {
    std::uint16_t len;
    std::uint16_t pad[3];
    std::uint64_t code;
  };
  const std::size_t code_size = filter.size * sizeof(sock_filter);
  const std::uint64_t code_at = (regs::stack_pointer(saved) - 128 - code_size) & ~std::uint64_t{15};
  const std::uint64_t prog_at = (code_at - sizeof(guest_fprog)) & ~std::uint64_t{15};
  const guest_fprog fp{static_cast<std::uint16_t>(filter.size), {0, 0, 0}, code_at};
  const auto code = std::as_bytes(std::span(filter.code.data(), filter.size));
  const auto written = write_memory(t->tid, code_at, code);
  const auto written_fp = write_memory(t->tid, prog_at, std::as_bytes(std::span(&fp, 1)));
  if (!site || !written || *written != code_size || !written_fp || *written_fp != sizeof fp) {
    reports.emplace_back(t->tid, first_stop);
    filter_refusal_ = "no syscall instruction or stack to run seccomp(2) from";
    return false;
  }
  user_regs_struct r = saved;
  regs::set_instruction_pointer(r, *site);
  regs::set_syscall_number(r, SYS_seccomp);
  regs::set_arguments(r, {SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, prog_at, 0, 0, 0});
  long ret = -1;
  const bool ran = run_injected_call(*t, r, ret, reports);
  if (!ran) {
    filter_refusal_ = "its main thread ended during the injection";
    return false;
  }
  // Its own registers back; the call the interrupt cut short restarts as the kernel would
  // have restarted it (events.hpp, after_start), and signals held back are raised again.
  user_regs_struct back = saved;
  regs::restart_interrupted_call(back);
  set_regs(*t, back);
  raise_deferred_signals(*t);
  reports.emplace_back(t->tid, first_stop);  // where its start is told (begin_start)
  if (ret != 0) {
    filter_refusal_ = ret < 0 ? std::string("seccomp(2) failed: ") + std::strerror(static_cast<int>(-ret))
                              : "seccomp(2) could not synchronise thread " + std::to_string(ret);
    return false;
  }
  return true;
}

// Runs the call the registers `r` set up in stopped thread `t` (from PTRACE_SYSCALL to its
// exit stop, before the event loop runs) and gives its result in `ret`. A signal meanwhile
// is held back (t.deferred_signals) and raised again by the caller; a group-stop is left as
// injection leaves one (the thread goes on to the call). Returns false when the thread ended
// (its report then goes to `reports`).
template <class Tool>
bool engine<Tool>::run_injected_call(thread_t& t, const user_regs_struct& r, long& ret,
                                     std::vector<std::pair<pid_t, int>>& reports) {
  if (!set_regs(t, r) || ::ptrace(PTRACE_SYSCALL, t.tid, 0, 0) != 0) return false;
  for (bool entered = false;;) {
    int status = 0;
    pid_t p = 0;
    while ((p = ::waitpid(t.tid, &status, __WALL)) < 0 && errno == EINTR) {
    }
    if (p != t.tid) return false;
    if (!WIFSTOPPED(status) || (status >> 16) == PTRACE_EVENT_EXIT) {
      reports.emplace_back(t.tid, status);
      return false;
    }
    const int sig = WSTOPSIG(status);
    if (sig == (SIGTRAP | 0x80)) {
      if (entered) {
        t.have_regs = false;
        if (!load_registers(t)) return false;
        ret = regs::return_value(t.regs);
        return true;
      }
      entered = true;
    } else if ((status >> 16) == 0 && sig > 0 && sig <= 64) {
      t.deferred_signals |= std::uint64_t{1} << (sig - 1);
    }
    if (::ptrace(PTRACE_SYSCALL, t.tid, 0, 0) != 0) return false;
  }
}

// A stop request in a run whose process carries snare's filter: the tool is told it is
// detached and gets no event from now on; the engine goes on serving the filter's stops (a
// trapped call resumes as if untraced) until the processes end, as a silent keeper.
template <class Tool>
void engine<Tool>::keep_silently() {
  keeping_ = true;
  this->silenced_ = true;
  snare::engine::notify_detach(*tool_, true);
}

// Puts back the registers of a thread whose handler injected a call and is ended by the
// detach: the call it stopped at runs again (entry), keeps its result (exit), or restarts
// as the kernel would (another stop). Signals held back meanwhile are raised again.
template <class Tool>
void engine<Tool>::put_back(thread_t& t) noexcept {
  if (!t.injected) return;
  user_regs_struct r = t.saved;
  if (t.stop == stop_kind::entry) {
    regs::rewind_syscall(r);
    regs::set_syscall_number(r, t.nr);
  } else if (t.stop != stop_kind::exit) {
    regs::restart_interrupted_call(r);
  }
  set_regs(t, r);
  t.injected = false;
  raise_deferred_signals(t);
}

// Detaches from every task of an attached run (ptrace(2), "Detaching"): each is stopped with
// PTRACE_INTERRUPT and detached at its next stop, with the signal of a signal-delivery-stop
// (so that it is not lost; the kernel delivers it on detach); 0 at any other stop, where a
// call in progress completes or restarts and a group-stop stays in effect (the kernel puts a
// task detached in a group-stop back into it). A handler still running (waiting, or in an
// injected call) is ended first, as at the end of a run; its thread's registers are put back.
// Tasks born meanwhile (a fork's child, traced by the kernel) are detached at their first
// stop. The tool is told nothing more: the tasks have not ended.
template <class Tool>
void engine<Tool>::detach_all() noexcept {
  detached_ = true;
  waker_.end();
  std::unordered_set<pid_t> awaited, done;
  auto detach = [&](pid_t tid, int sig) {
    ::ptrace(PTRACE_DETACH, tid, 0, sig);
    done.insert(tid);
    awaited.erase(tid);
  };
  // A thread whose handler waits (wait_until) is stopped at its stop now; one in an injected
  // call runs and is caught at its next stop.
  std::unordered_map<pid_t, thread_t*> busy;
  waiters_.clear();
  records_.for_each_thread([&](thread_t& t) {
    if (!t.worker.busy()) return;
    const bool was_injecting = t.injecting;
    t.dead = true;  // its inject or wait returns no_such_process; the handler ends
    t.injecting = false;
    try {
      while (t.worker.busy()) t.worker.resume();
    } catch (...) {
    }
    if (was_injecting) {
      busy[t.tid] = &t;
      return;
    }
    put_back(t);
    // A signal's handler ended: the signal goes on, as it came.
    const bool at_signal = t.job == job_kind::event && t.event_handlers == &engine::signal_handlers;
    detach(t.tid, at_signal ? t.event_value : 0);
  });
  for (auto& [tid, h] : held_) detach(tid, 0);  // a new task's first stop, held
  held_.clear();
  // The task whose stop was being served when a handler's exception ended the run: stopped
  // there, already reported (an interrupt would bring no report).
  if (thread_t* t = serving_ > 0 ? find(serving_) : nullptr; t != nullptr && done.count(t->tid) == 0) {
    put_back(*t);
    const bool at_signal = t->job == job_kind::event && t->event_handlers == &engine::signal_handlers;
    detach(t->tid, at_signal ? t->event_value : 0);
  }
  records_.for_each_thread([&](thread_t& t) {
    if (done.count(t.tid) != 0) return;
    // A zombie (a leader whose process lives on in other threads) reports no stop again; the
    // kernel detaches it when the process ends or the tracer's process exits.
    if (task_is_dead(t.tid)) return;
    if (::ptrace(PTRACE_INTERRUPT, t.tid, 0, 0) == 0) awaited.insert(t.tid);
  });
  while (!awaited.empty()) {
    int status = 0;
    const pid_t p = ::waitpid(-1, &status, __WALL);
    if (p < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: nothing left to detach from
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (p == root_) {
        root_status_ = status;
        root_reaped_ = true;
      }
      awaited.erase(p);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    const int sig = WSTOPSIG(status);
    const int event = status >> 16;
    if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK) {
      unsigned long child = 0;
      if (::ptrace(PTRACE_GETEVENTMSG, p, 0, &child) == 0 && child > 0 &&
          done.count(static_cast<pid_t>(child)) == 0)
        awaited.insert(static_cast<pid_t>(child));  // its first stop is still to come
    }
    if (auto it = busy.find(p); it != busy.end()) {
      put_back(*it->second);
      busy.erase(it);
    }
    // A signal-delivery-stop: no event, not a syscall stop.
    const bool signal_stop = event == 0 && sig != (SIGTRAP | 0x80);
    detach(p, signal_stop ? sig : 0);
  }
  waiters_.end_all(records_);
  records_.clear();
}

}  // namespace snare::backend::ptrace_detail
