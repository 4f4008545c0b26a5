// Defines snare::backend::hypercall_detail::vm: one KVM micro-VM running one static x86-64
// executable, one vCPU per guest thread, whose syscalls, CPU exceptions, CPUID and RDTSC
// reach the host as VM exits, and the run loop that hands them to duck-typed hooks. The VM
// is built in layers: machine.hpp (KVM, memory, loading), threads.hpp (guest threads and
// the process's end), syscalls.hpp (the guest's system calls) and signals.hpp.
#pragma once

#include <linux/kvm.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pthread.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <snare/backend/hypercall/detail/guest_kernel.hpp>
#include <snare/backend/hypercall/detail/machine.hpp>
#include <snare/backend/hypercall/detail/syscalls.hpp>
#include <snare/guest_probe.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>

namespace snare::backend::hypercall_detail {

/// The registers of a CPUID answer.
struct cpuid_regs {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

/// One probe a guest program fired with snare::probe(id, args...).
struct probe_event {
  std::uint64_t id = 0;
  std::array<std::uint64_t, 5> args{};
  std::chrono::steady_clock::time_point host_time;  ///< when the host received the exit
};

/// One micro-VM. Created by vm::create, run by run(hooks); a vm is also the handle hooks
/// receive: registers, memory, and execute() to perform a syscall for the guest.
class vm : public syscall_service {
 public:
  /// Creates the VM, loads `argv[0]` (a static or static-pie x86-64 ELF) and builds its
  /// initial stack. Errors: the errno of the failing step, with why() saying which one:
  /// ENOENT/EACCES for the file, ENOEXEC (executable_format_error) for a non-static or
  /// foreign ELF, EBUSY when the image's fixed addresses are taken (by the host or another
  /// VM of this process), ENODEV when /dev/kvm is unusable.
  static std::unique_ptr<vm> create(const std::vector<std::string>& argv,
                                    const std::vector<std::string>& envp, vm_options opts, std::string& why) {
    std::unique_ptr<vm> v(new vm(std::move(opts)));
    if (argv.empty()) {
      why = "empty command line";
      v->error_ = std::errc::invalid_argument;
      return v;
    }
    auto first = v->load(argv, envp, why);
    if (first)
      v->vcpus_.push_back(std::move(*first));
    else
      v->error_ = first.error();
    return v;
  }

  vm(const vm&) = delete;
  vm& operator=(const vm&) = delete;
  ~vm() {
    finish(exit_status::killed(SIGKILL));  // only matters if run() was left by an error
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  /// Returns the error create() met, std::errc{} when the VM is ready to run.
  std::errc error() const noexcept { return error_; }

  /// Runs the guest until it ends. `hooks` may define any of:
  ///   long on_syscall(vm&, sys::raw_call&)   // the value for rax; default: execute(call)
  ///   void on_probe(vm&, const probe_event&)
  ///   void on_cpuid(vm&, std::uint32_t leaf, std::uint32_t subleaf, cpuid_regs&)  // needs trap_cpuid
  ///   void on_rdtsc(vm&, std::uint64_t&)                                          // needs trap_rdtsc
  ///   bool on_mmio(vm&, std::uint64_t address)     // an access to unbacked memory; true: handled
  ///   bool on_exception(vm&, std::uint64_t vector, std::uint64_t& rip)  // true: resume at rip
  ///   void on_vcpu_start(vm&)  // a guest thread starts (the first one too), on its host thread
  ///   void on_vcpu_exit(vm&, const exit_status&)  // a guest thread ends (or on_vcpu_exit(vm&))
  /// on_vcpu_exit comes once for every thread that started, on its host thread: exited(code)
  /// for one that called exit(2), else how the process ended (exit_group, a fault, a fatal
  /// signal). The first thread's comes last with the process's status, as Linux reports a
  /// thread-group leader only once its group is gone.
  /// Guest threads run on host threads of their own, so hooks may be called concurrently.
  /// Returns how the guest ended, or the error that stopped the VM (why() says more).
  template <class Hooks>
  result<exit_status> run(Hooks& hooks) noexcept {
    if (error_ != std::errc{}) return error_;
    start_thread_ = [this, &hooks](vcpu_state& v) { return spawn(hooks, v); };
    vcpu_state& v0 = *vcpus_[0];
    v0.tid = static_cast<pid_t>(::syscall(SYS_gettid));
    v0.thread = ::pthread_self();
    current_ = &v0;
    if constexpr (requires { hooks.on_vcpu_start(*this); }) hooks.on_vcpu_start(*this);
    auto r = loop(hooks, v0);
    // The first thread is done; the program lives on until its last thread is.
    wait_for_other_threads();
    report_exit(hooks, status_);
    current_ = nullptr;
    if (!r) return r;
    return status_;
  }

 private:
  explicit vm(vm_options opts) : syscall_service(std::move(opts)) {}

  template <class Hooks>
  void report_exit(Hooks& hooks, const exit_status& end) noexcept {
    if constexpr (requires { hooks.on_vcpu_exit(*this, end); })
      hooks.on_vcpu_exit(*this, end);
    else if constexpr (requires { hooks.on_vcpu_exit(*this); })
      hooks.on_vcpu_exit(*this);
  }

  // Starts the host thread of vCPU v; returns its tid once it runs.
  template <class Hooks>
  pid_t spawn(Hooks& hooks, vcpu_state& v) {
    std::atomic<pid_t> tid{0};
    std::unique_lock l(threads_mu_);  // two guest threads may clone at once
    threads_.emplace_back([this, &hooks, &v, &tid] {
      current_ = &v;
      v.tid = static_cast<pid_t>(::syscall(SYS_gettid));
      v.thread = ::pthread_self();
      tid = v.tid;
      tid.notify_one();
      v.go.wait(false);
      if constexpr (requires { hooks.on_vcpu_start(*this); }) hooks.on_vcpu_start(*this);
      (void)loop(hooks, v);
      report_exit(hooks, end_of_current());
      current_ = nullptr;
    });
    l.unlock();
    tid.wait(0);
    return tid;
  }

  // Serves vCPU v on this host thread until its guest thread exits or the program ends.
  template <class Hooks>
  result<exit_status> loop(Hooks& hooks, vcpu_state& v) noexcept {
    result<exit_status> r = serve(hooks, v);
    end_timer(v);
    v.stopped = true;
    return r;
  }

  template <class Hooks>
  result<exit_status> serve(Hooks& hooks, vcpu_state& v) noexcept {
    kvm_run* run_ = v.run;
    while (!finished_ && !v.done) {
      run_->kvm_dirty_regs = v.dirty;
      v.dirty = 0;
      if (::ioctl(v.fd.get(), KVM_RUN, 0) < 0) {
        if (errno == EINTR || errno == EAGAIN) {
          if constexpr (requires { hooks.on_timer(*this); }) {
            if (take_timer_expiry(v) && !finished_) hooks.on_timer(*this);
          }
          continue;
        }
        int err = errno;
        if (finished_) break;
        why_ = std::string("KVM_RUN: ") + std::strerror(err);
        finish(exit_status::killed(SIGKILL));
        return result<exit_status>::from_errno(err);
      }
      switch (run_->exit_reason) {
        case KVM_EXIT_IO:
          if (run_->io.direction != KVM_EXIT_IO_OUT) return stop("unexpected port input");
          if (run_->io.port == port_exception) {
            if (!on_exception_exit(hooks)) return exit_status{};
          } else if (run_->io.port == port_cpuid) {
            on_cpuid_answer(hooks);
          } else {
            return stop("unexpected port output");
          }
          break;
        case KVM_EXIT_MMIO:
          if (run_->mmio.phys_addr == syscall_mmio_address) {
            on_syscall_exit(hooks);
            break;
          }
          if constexpr (requires { hooks.on_mmio(*this, std::uint64_t{}); }) {
            if (hooks.on_mmio(*this, static_cast<std::uint64_t>(run_->mmio.phys_addr))) break;
          }
          // Any other address: the page tables map all of 0-4 GiB, so an access outside
          // every memory slot lands here, which is what a segmentation fault is for this guest.
          note("access to unmapped guest address 0x" + hex(run_->mmio.phys_addr) + " at rip 0x" +
               hex(regs().rip));
          finish(exit_status::killed(SIGSEGV));
          break;
        case KVM_EXIT_SHUTDOWN:
          return stop("the guest triple-faulted");
        case KVM_EXIT_FAIL_ENTRY:
          return stop("VM entry failed");
        case KVM_EXIT_INTERNAL_ERROR:
          return stop("KVM internal error");
        case KVM_EXIT_HLT:
          return stop("the guest halted");
        case KVM_EXIT_INTR:
          break;
        default:
          return stop("unexpected exit reason " + std::to_string(run_->exit_reason));
      }
    }
    return exit_status{};
  }

  static std::string hex(std::uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
  }
  result<exit_status> stop(std::string what) noexcept {
    why_ = std::move(what) + " (rip 0x" + hex(regs().rip) + ")";
    finish(exit_status::killed(SIGKILL));
    return std::errc::state_not_recoverable;
  }

  // --- events ----------------------------------------------------------------------------

  template <class Hooks>
  void on_syscall_exit(Hooks& hooks) noexcept {
    kvm_regs& r = regs();
    sys::raw_call call{static_cast<long>(r.rax), {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9}};
    long ret;
    if (call.number == snare::probe_syscall_number) {
      probe_event ev{call.args[0],
                     {call.args[1], call.args[2], call.args[3], call.args[4], call.args[5]},
                     std::chrono::steady_clock::now()};
      if constexpr (requires { hooks.on_probe(*this, ev); }) hooks.on_probe(*this, ev);
      ret = 0;
    } else if constexpr (requires { hooks.on_syscall(*this, call); }) {
      ret = hooks.on_syscall(*this, call);
    } else {
      ret = execute(call);
    }
    regs().rax = static_cast<std::uint64_t>(ret);
    current_->dirty |= KVM_SYNC_X86_REGS;
  }

  struct exception_frame {
    std::uint64_t vector, error, rip, cs, rflags, rsp, ss;
  };

  // Returns false when the exception ends the guest.
  template <class Hooks>
  bool on_exception_exit(Hooks& hooks) noexcept {
    kvm_regs& r = regs();
    auto* f = reinterpret_cast<exception_frame*>(mem_.host(r.rsp, sizeof(exception_frame)));
    if (f == nullptr) {
      note("corrupt exception frame");
      finish(exit_status::killed(SIGSEGV));
      return false;
    }
    std::uint8_t insn[3]{};
    (void)mem_.read_bytes(f->rip, std::as_writable_bytes(std::span(insn)));
    if (f->vector == 13 && insn[0] == 0x0F) {
      if (insn[1] == 0xA2 && opts_.trap_cpuid) {
        // Let KVM answer at CPL0 first, then give the tool the answer to edit.
        current_->pending_cpuid = {static_cast<std::uint32_t>(r.rax), static_cast<std::uint32_t>(r.rcx)};
        f->rip += 2;
        r.rip = mem_.kernel_base() + kernel_layout::code + kernel_layout::cpuid_helper;
        current_->dirty |= KVM_SYNC_X86_REGS;
        return true;
      }
      bool rdtscp = insn[1] == 0x01 && insn[2] == 0xF9;
      if ((insn[1] == 0x31 || rdtscp) && opts_.trap_rdtsc) {
        std::uint64_t tsc = __builtin_ia32_rdtsc();
        if constexpr (requires { hooks.on_rdtsc(*this, tsc); }) hooks.on_rdtsc(*this, tsc);
        r.rax = tsc & 0xFFFFFFFF;
        r.rdx = tsc >> 32;
        if (rdtscp) r.rcx = 0;
        f->rip += rdtscp ? 3 : 2;
        current_->dirty |= KVM_SYNC_X86_REGS;
        return true;
      }
    }
    if constexpr (requires { hooks.on_exception(*this, f->vector, f->rip); }) {
      if (hooks.on_exception(*this, f->vector, f->rip)) return true;
    }
    int sig = SIGSEGV;
    switch (f->vector) {
      case 0:
      case 16:
      case 19:
        sig = SIGFPE;
        break;
      case 1:
      case 3:
        sig = SIGTRAP;
        break;
      case 6:
        sig = SIGILL;
        break;
      case 17:
        sig = SIGBUS;
        break;
      default:
        break;
    }
    note("CPU exception " + std::to_string(f->vector) + " at rip 0x" + hex(f->rip) + " (error code 0x" +
         hex(f->error) + ", cs 0x" + hex(f->cs) + ", ss 0x" + hex(f->ss) + ", rflags 0x" + hex(f->rflags) +
         ")");
    finish(exit_status::killed(sig));
    return false;
  }

  template <class Hooks>
  void on_cpuid_answer(Hooks& hooks) noexcept {
    kvm_regs& r = regs();
    cpuid_regs c{static_cast<std::uint32_t>(r.rax), static_cast<std::uint32_t>(r.rbx),
                 static_cast<std::uint32_t>(r.rcx), static_cast<std::uint32_t>(r.rdx)};
    if constexpr (requires { hooks.on_cpuid(*this, 0u, 0u, c); })
      hooks.on_cpuid(*this, current_->pending_cpuid[0], current_->pending_cpuid[1], c);
    r.rax = c.eax;
    r.rbx = c.ebx;
    r.rcx = c.ecx;
    r.rdx = c.edx;
    current_->dirty |= KVM_SYNC_X86_REGS;
  }

  std::errc error_{};
};

}  // namespace snare::backend::hypercall_detail
