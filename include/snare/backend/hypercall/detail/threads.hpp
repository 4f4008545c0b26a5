// Defines snare::backend::hypercall_detail::thread_group: the guest's threads and how its
// process ends. Each guest thread is a vCPU served by a host thread of its own (whose tid is
// the guest thread's): clone(CLONE_THREAD) adds one, exit(2) ends one, and exit_group, a
// fault or a fatal signal ends them all, pulling every host thread out of KVM_RUN or a
// blocking call. The run loop that serves a vCPU is vm.hpp's.
#pragma once

#include <linux/kvm.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <snare/backend/hypercall/detail/kvm.hpp>
#include <snare/backend/hypercall/detail/machine.hpp>

namespace snare::backend::hypercall_detail {

/// The guest's threads, one vCPU each, and the end of their process. The base of vm
/// (vm.hpp), above machine.
class thread_group : public machine {
 public:
  /// Returns the vCPU's general registers (valid while a hook runs; changes are written back).
  kvm_regs& regs() noexcept { return current_->run->s.regs.regs; }
  /// Returns the host thread id that runs the current vCPU (what gettid() returns to the
  /// guest thread); valid while a hook runs.
  pid_t tid() const noexcept { return current_ ? current_->tid : vcpus_.empty() ? 0 : vcpus_[0]->tid; }
  /// Returns the tid of the guest thread whose clone made the current one (0 for the first).
  pid_t creator_tid() const noexcept { return current_ ? current_->creator : 0; }
  /// Returns how many guest threads (vCPUs) have been started so far.
  std::size_t vcpu_count() noexcept {
    std::lock_guard l(mu_);
    return vcpus_.size();
  }
  /// Says whether the guest has ended (exit_group, a fatal fault or signal).
  bool finished() const noexcept { return finished_; }
  const exit_status& status() const noexcept { return status_; }
  /// Returns the reason the guest was stopped by the VM, if any ("unsupported syscall clone").
  const std::string& diagnostic() const noexcept { return diagnostic_; }
  /// Records why the guest is being stopped (the first reason wins: guest threads may fail
  /// at the same time).
  void note(std::string what) noexcept {
    std::lock_guard l(mu_);
    if (diagnostic_.empty()) diagnostic_ = std::move(what);
  }
  /// Arms the current guest thread's timer (guest::set_timer): once its vCPU's host thread
  /// has used `cpu_time` more of CPU time (CLOCK_THREAD_CPUTIME_ID: the guest's own run
  /// and the calls the host performs for it; 0 disarms), the run loop calls the hooks'
  /// on_timer. The timer's signal is blocked in the host thread but inside KVM_RUN
  /// (KVM_SET_SIGNAL_MASK), so that it ends a run with EINTR and never interrupts a call the
  /// host performs for the guest; it is taken with sigtimedwait. Errors: invalid_argument
  /// for a negative time, else those of timer_create, timer_settime or the ioctl.
  result<void> set_timer(std::chrono::nanoseconds cpu_time) noexcept {
    if (cpu_time.count() < 0) return std::errc::invalid_argument;
    vcpu_state& v = *current_;
    if (!v.has_timer) {
      sigset_t block;
      ::sigemptyset(&block);
      ::sigaddset(&block, timer_signal());
      if (::pthread_sigmask(SIG_BLOCK, &block, &v.saved_mask) != 0) return std::errc::invalid_argument;
      sigset_t in_run = v.saved_mask;
      ::sigdelset(&in_run, timer_signal());
      // struct kvm_signal_mask: a length, then the kernel's 8-byte sigset at offset 4. Its
      // C++ spelling in <linux/kvm.h> (__DECLARE_FLEX_ARRAY) pads it to 8 bytes, which would
      // change KVM_SET_SIGNAL_MASK's number (the size is in it): C's 4 is used.
      struct {
        std::uint32_t len = 8;
        unsigned char set[8];
      } m;
      std::memcpy(m.set, &in_run, sizeof m.set);
      sigevent ev{};
      ev.sigev_notify = SIGEV_THREAD_ID;
      ev.sigev_signo = timer_signal();
      ev._sigev_un._tid = v.tid;
      auto set = kvm_ioctl(v.fd.get(), _IOW(KVMIO, 0x8b, std::uint32_t), &m);
      if (!set || ::timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &v.timer) != 0) {
        int err = set ? errno : static_cast<int>(set.error());
        ::pthread_sigmask(SIG_SETMASK, &v.saved_mask, nullptr);
        return result<void>::from_errno(err);
      }
      v.has_timer = true;
    }
    itimerspec when{};
    when.it_value.tv_sec = static_cast<time_t>(cpu_time.count() / 1'000'000'000);
    when.it_value.tv_nsec = static_cast<long>(cpu_time.count() % 1'000'000'000);
    if (::timer_settime(v.timer, 0, &when, nullptr) != 0) return result<void>::from_errno(errno);
    return {};
  }

  /// Ends the guest with `status` (the run loop returns after the current event).
  void finish(exit_status status) noexcept {
    std::lock_guard l(mu_);
    if (!finished_) {
      status_ = status;
      finished_ = true;
    }
    kick_others();
  }

 protected:
  explicit thread_group(vm_options opts) : machine(std::move(opts)) {}
  ~thread_group() = default;

  static inline thread_local vcpu_state* current_ = nullptr;

  // The signal that pulls another vCPU's host thread out of KVM_RUN or a blocking call when
  // the program ends; its handler does nothing (installed when a guest starts a thread).
  static int kick_signal() noexcept { return SIGRTMAX - 3; }

  // The signal of the vCPUs' timers (set_timer).
  static int timer_signal() noexcept { return SIGRTMAX - 4; }

  // Says whether v's timer expired (its signal is pending, and is taken here).
  static bool take_timer_expiry(vcpu_state& v) noexcept {
    if (!v.has_timer) return false;
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, timer_signal());
    timespec now{};
    return ::sigtimedwait(&set, nullptr, &now) == timer_signal();
  }

  // Deletes v's timer once its guest thread is done, and gives the host thread its mask back.
  static void end_timer(vcpu_state& v) noexcept {
    if (!v.has_timer) return;
    ::timer_delete(v.timer);
    (void)take_timer_expiry(v);
    v.has_timer = false;
    ::pthread_sigmask(SIG_SETMASK, &v.saved_mask, nullptr);
  }

  // Called with mu_ held.
  void kick_others() noexcept {
    for (auto& v : vcpus_) {
      if (v.get() == current_ || v->stopped || v->tid == 0) continue;
      v->run->immediate_exit = 1;  // KVM_RUN returns at once if not yet entered
      ::pthread_kill(v->thread, kick_signal());
    }
  }

  bool is_own_thread(pid_t tid) noexcept {
    std::lock_guard l(mu_);
    for (auto& v : vcpus_)
      if (v->tid == tid && !v->done) return true;
    return false;
  }

  // Waits until the host thread of every vCPU has left its run loop (the caller's has),
  // pulling them out once the process has ended, and joins them.
  void wait_for_other_threads() noexcept {
    for (;;) {
      bool all = true;
      {
        std::lock_guard l(mu_);
        for (auto& v : vcpus_) all = all && v->stopped;
        if (!all && finished_) kick_others();
      }
      if (all) break;
      ::usleep(1000);
    }
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  // Returns how the current vCPU's guest thread ended once its run loop is left: by its
  // own exit(2), or with its process (exit_group, a fault, a fatal signal).
  exit_status end_of_current() noexcept {
    std::lock_guard l(mu_);
    return current_->done ? current_->end : status_;
  }

  // clone(CLONE_VM|CLONE_THREAD, ...): a new vCPU with the caller's registers and segment
  // state, rax = 0 and the new stack, served by a new host thread.
  long clone_thread(std::uint64_t flags, std::uint64_t stack, std::uint64_t ptid, std::uint64_t ctid,
                    std::uint64_t tls) noexcept {
    try {
      static const bool installed = [] {
        struct sigaction sa {};
        sa.sa_handler = [](int) {};
        ::sigemptyset(&sa.sa_mask);
        return ::sigaction(kick_signal(), &sa, nullptr) == 0;
      }();
      if (!installed || !start_thread_) return -ENOSYS;
      std::unique_lock l(mu_);
      auto made = create_vcpu(static_cast<unsigned>(vcpus_.size()));
      if (!made) return -EAGAIN;
      vcpu_state& child = **made;
      kvm_regs r = regs();
      r.rax = 0;
      if (stack != 0) r.rsp = stack;
      if (!kvm_ioctl(child.fd.get(), KVM_SET_REGS, &r)) return -EAGAIN;
      kvm_sregs s{};
      if (!kvm_ioctl(current_->fd.get(), KVM_GET_SREGS, &s)) return -EAGAIN;
      if (flags & CLONE_SETTLS) s.fs.base = tls;
      if (!kvm_ioctl(child.fd.get(), KVM_SET_SREGS, &s)) return -EAGAIN;
      if (flags & CLONE_CHILD_CLEARTID) child.clear_child_tid = ctid;
      child.creator = current_->tid;
      vcpus_.push_back(std::move(*made));
      ++live_;
      l.unlock();
      pid_t tid = 0;
      try {
        tid = start_thread_(child);
      } catch (...) {  // no host thread: the guest thread never existed
        std::lock_guard again(mu_);
        child.done = true;
        child.stopped = true;
        --live_;
        return -EAGAIN;
      }
      std::uint32_t t32 = static_cast<std::uint32_t>(tid);
      if (flags & CLONE_PARENT_SETTID) (void)mem_.write_bytes(ptid, std::as_bytes(std::span(&t32, 1)));
      if (flags & CLONE_CHILD_SETTID) (void)mem_.write_bytes(ctid, std::as_bytes(std::span(&t32, 1)));
      // Only now may the child run: if it exited first, its CLONE_CHILD_CLEARTID zero would
      // be overwritten by the tid above and pthread_join would wait forever.
      child.go = true;
      child.go.notify_one();
      return tid;
    } catch (...) {
      return -EAGAIN;
    }
  }

  // exit(2): the thread ends; the last one ends the program with its code.
  long thread_exit(int code) noexcept {
    std::uint64_t ctid = 0;
    {
      std::lock_guard l(mu_);
      if (live_ > 1) {
        --live_;
        current_->done = true;
        current_->end = exit_status::exited(code);
        ctid = current_->clear_child_tid;
      }
    }
    if (!current_->done) {
      finish(exit_status::exited(code));
      return 0;
    }
    if (ctid != 0) {  // as the kernel does for CLONE_CHILD_CLEARTID: pthread_join waits on it
      std::uint32_t zero = 0;
      if (mem_.write_bytes(ctid, std::as_bytes(std::span(&zero, 1))))
        (void)host_syscall(SYS_futex, ctid, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
    }
    return 0;
  }

  std::mutex mu_;  // guards vcpus_, live_, status_, the address space and the signal state
  std::vector<std::unique_ptr<vcpu_state>> vcpus_;
  std::mutex threads_mu_;  // guards threads_
  std::vector<std::thread> threads_;
  std::function<pid_t(vcpu_state&)> start_thread_;  // starts a vCPU's host thread (vm::run)
  int live_ = 1;                                    // guest threads not yet exited
  std::atomic<bool> finished_{false};
  exit_status status_{};
  std::string diagnostic_;
};

}  // namespace snare::backend::hypercall_detail
