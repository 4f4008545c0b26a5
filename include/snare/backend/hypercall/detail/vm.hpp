// Defines snare::backend::hypercall_detail::vm: one KVM micro-VM running one static x86-64
// executable on one vCPU, whose syscalls, CPU exceptions, CPUID and RDTSC reach the host
// as port-I/O exits, and the run loop that hands them to duck-typed hooks.
#pragma once

#include <linux/kvm.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <snare/arch/x86_64.hpp>
#include <snare/backend/hypercall/detail/address_space.hpp>
#include <snare/backend/hypercall/detail/elf.hpp>
#include <snare/backend/hypercall/detail/guest_kernel.hpp>
#include <snare/backend/hypercall/detail/kvm.hpp>
#include <snare/guest_probe.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>

namespace snare::backend::hypercall_detail {

/// How a micro-VM is set up.
struct vm_options {
  std::string name;                          ///< what the tool sees as this VM's name
  std::uint64_t arena_size = 512ull << 20;   ///< guest kernel + mmap area + stack
  std::uint64_t stack_size = 8ull << 20;     ///< top of the arena
  std::uint64_t brk_reserve = 256ull << 20;  ///< room for the heap after the image
  bool trap_cpuid = false;  ///< user-mode CPUID goes to the host (CPUID faulting; not on PVM)
  bool trap_rdtsc = false;  ///< user-mode RDTSC/RDTSCP goes to the host (CR4.TSD; not on PVM)
  /// Edits the CPUID table the vCPU answers from, once per (leaf, subleaf) at creation: the
  /// host decides what the guest sees, with no exit per CPUID. Works on PVM too.
  std::function<void(std::uint32_t leaf, std::uint32_t subleaf,
                     std::array<std::uint32_t, 4>& eax_ebx_ecx_edx)>
      cpuid_table;
};

/// How the guest ended.
struct exit_status {
  bool signaled = false;  ///< killed (fault, or a signal it sent itself) rather than exited
  int code = 0;           ///< exit code (low 8 bits of exit_group's argument) when !signaled
  int signal = 0;         ///< the signal when signaled
  /// Returns the status as a shell would report it: code, or 128 + signal.
  int shell_code() const noexcept { return signaled ? 128 + signal : code; }
};

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

/// One vCPU of a VM: its fd and kvm_run page, and what the host thread serving it keeps.
struct vcpu_state {
  vcpu_state() = default;
  vcpu_state(const vcpu_state&) = delete;
  vcpu_state& operator=(const vcpu_state&) = delete;
  ~vcpu_state() {
    if (run != nullptr) ::munmap(run, run_size);
  }
  unique_fd fd;
  kvm_run* run = nullptr;
  std::size_t run_size = 0;
  std::uint64_t dirty = 0;  // KVM_SYNC_X86_REGS when the host changed registers
  pid_t tid = 0;            // the host thread serving it: the guest thread's tid
  pthread_t thread{};
  std::uint64_t clear_child_tid = 0;  // set_tid_address / CLONE_CHILD_CLEARTID
  std::array<std::uint32_t, 2> pending_cpuid{};
  bool done = false;                 // this guest thread has exited
  std::atomic<bool> stopped{false};  // its host thread has left the run loop
  std::atomic<bool> go{false};       // its parent has written the tid where clone asked
};

/// One micro-VM. Created by vm::create, run by run(hooks); a vm is also the handle hooks
/// receive: registers, memory, and execute() to perform a syscall for the guest.
class vm {
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
    auto r = v->setup(argv, envp, why);
    if (!r) v->error_ = r.error();
    return v;
  }

  vm(const vm&) = delete;
  vm& operator=(const vm&) = delete;
  ~vm() {
    finish({true, 0, SIGKILL});  // only matters if run() was left by an error
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  /// Returns the error create() met, std::errc{} when the VM is ready to run.
  std::errc error() const noexcept { return error_; }
  /// Returns the name given in vm_options.
  const std::string& name() const noexcept { return opts_.name; }

  /// Returns the vCPU's general registers (valid while a hook runs; changes are written back).
  kvm_regs& regs() noexcept { return current_->run->s.regs.regs; }
  /// Returns the guest's address space (reads and writes of guest memory).
  address_space& memory() noexcept { return mem_; }
  /// Reads guest memory (the snare::guest_memory concept).
  result<std::size_t> read_bytes(std::uint64_t a, std::span<std::byte> out) const noexcept {
    return mem_.read_bytes(a, out);
  }
  /// Writes guest memory; bad_address unless [a, a+in.size()) is guest memory.
  result<std::size_t> write_bytes(std::uint64_t a, std::span<const std::byte> in) noexcept {
    return mem_.write_bytes(a, in);
  }
  /// Returns the host thread id that runs the current vCPU (what gettid() returns to the
  /// guest thread); valid while a hook runs.
  pid_t tid() const noexcept { return current_ ? current_->tid : vcpus_.empty() ? 0 : vcpus_[0]->tid; }
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

  /// Performs syscall `c` for the guest, the way Linux would: memory, TLS, signal-state and
  /// exit calls are emulated by the VM; fork/clone/exec return -ENOSYS (with a diagnostic);
  /// everything else runs in the host process, where guest pointers are host pointers.
  /// Returns the raw value (-errno on failure).
  long execute(const sys::raw_call& c) noexcept {
    auto a = c.args;
    switch (c.number) {
      case SYS_brk: {
        std::lock_guard l(mu_);
        return mem_.do_brk(a[0]);
      }
      case SYS_mmap: {
        std::lock_guard l(mu_);
        return mem_.do_mmap(a[0], a[1], a[2], a[3], a[4], a[5]);
      }
      case SYS_munmap: {
        std::lock_guard l(mu_);
        return mem_.do_munmap(a[0], a[1]);
      }
      case SYS_mprotect: {
        std::lock_guard l(mu_);
        return mem_.do_mprotect(a[0], a[1]);
      }
      case SYS_madvise: {
        std::lock_guard l(mu_);
        return mem_.do_madvise(a[0], a[1], a[2]);
      }
      case SYS_mremap: {
        std::lock_guard l(mu_);
        return mem_.do_mremap(a[0], a[1], a[2], a[3]);
      }
      case SYS_arch_prctl:
        return arch_prctl(a[0], a[1]);
      case SYS_exit:
        return thread_exit(static_cast<int>(a[0] & 0xFF));
      case SYS_exit_group:
        finish({false, static_cast<int>(a[0] & 0xFF), 0});
        return 0;
      case SYS_set_tid_address:
        current_->clear_child_tid = a[0];
        return current_->tid;
      case SYS_set_robust_list:
        return 0;
      case SYS_rseq:
        return -ENOSYS;
      case SYS_rt_sigaction: {
        std::lock_guard l(mu_);
        return sigaction(a[0], a[1], a[2], a[3]);
      }
      case SYS_rt_sigprocmask: {
        long r;
        {
          std::lock_guard l(mu_);
          r = sigprocmask(a[0], a[1], a[2], a[3]);
        }
        return r == 0 ? deliver_pending() : r;
      }
      case SYS_rt_sigreturn:
        return sigreturn();
      case SYS_sigaltstack:
        if (a[1] != 0) {
          stack_t none{nullptr, SS_DISABLE, 0};
          if (!mem_.write_bytes(a[1], std::as_bytes(std::span(&none, 1)))) return -EFAULT;
        }
        return 0;
      case SYS_clone:
        if ((a[0] & (CLONE_VM | CLONE_THREAD)) == (CLONE_VM | CLONE_THREAD))
          return clone_thread(a[0], a[1], a[2], a[3], a[4]);
        [[fallthrough]];
      case SYS_fork:
      case SYS_vfork:
      case SYS_execve:
      case SYS_execveat:
        note("unsupported syscall " + std::to_string(c.number) +
             " (fork/exec are not supported by the hypercall backend yet; threads are)");
        return -ENOSYS;
      case SYS_clone3:  // libcs fall back to clone on ENOSYS, which starts threads
        return -ENOSYS;
      case SYS_kill:
        if (static_cast<pid_t>(a[0]) == ::getpid() || a[0] == 0) return self_signal(static_cast<int>(a[1]));
        break;
      case SYS_tkill:
        if (is_own_thread(static_cast<pid_t>(a[0]))) return self_signal(static_cast<int>(a[1]));
        break;
      case SYS_tgkill:
        if (is_own_thread(static_cast<pid_t>(a[1]))) return self_signal(static_cast<int>(a[2]));
        break;
      case SYS_readlink:  // /proc/self is the tracer: answer /proc/self/exe with the guest's file
        if (is_proc_self_exe(a[0])) return copy_exe_path(a[1], a[2]);
        break;
      case SYS_readlinkat:
        if (is_proc_self_exe(a[1])) return copy_exe_path(a[2], a[3]);
        break;
      case SYS_close:
        if (static_cast<int>(a[0]) >= reserved_fd_floor) return -EBADF;
        break;
      case SYS_dup2:
      case SYS_dup3:
        if (static_cast<int>(a[1]) >= reserved_fd_floor) return -EBADF;
        break;
      case SYS_close_range:
        if (a[0] >= static_cast<std::uint64_t>(reserved_fd_floor)) return 0;
        a[1] = std::min<std::uint64_t>(a[1], reserved_fd_floor - 1);
        break;
      default:
        break;
    }
    return host_syscall(c.number, a[0], a[1], a[2], a[3], a[4], a[5]);
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

  /// Runs the guest until it ends. `hooks` may define any of:
  ///   long on_syscall(vm&, sys::raw_call&)   // the value for rax; default: execute(call)
  ///   void on_probe(vm&, const probe_event&)
  ///   void on_cpuid(vm&, std::uint32_t leaf, std::uint32_t subleaf, cpuid_regs&)  // needs trap_cpuid
  ///   void on_rdtsc(vm&, std::uint64_t&)                                          // needs trap_rdtsc
  ///   bool on_mmio(vm&, std::uint64_t address)     // an access to unbacked memory; true: handled
  ///   bool on_exception(vm&, std::uint64_t vector, std::uint64_t& rip)  // true: resume at rip
  ///   void on_vcpu_start(vm&)  // a guest thread starts (the first one too), on its host thread
  ///   void on_vcpu_exit(vm&)   // a guest thread other than the last one exits
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
    current_ = nullptr;
    // The first thread is done; the program lives on until its last thread is.
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
    if (!r) return r;
    return status_;
  }

  /// Returns the explanation of the last error of create() or run().
  const std::string& why() const noexcept { return why_; }

 private:
  static inline thread_local vcpu_state* current_ = nullptr;

  // Serves vCPU v on this host thread until its guest thread exits or the program ends.
  template <class Hooks>
  result<exit_status> loop(Hooks& hooks, vcpu_state& v) noexcept {
    result<exit_status> r = serve(hooks, v);
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
        if (errno == EINTR || errno == EAGAIN) continue;
        int err = errno;
        if (finished_) break;
        why_ = std::string("KVM_RUN: ") + std::strerror(err);
        finish({true, 0, SIGKILL});
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
          finish({true, 0, SIGSEGV});
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

  explicit vm(vm_options opts) : opts_(std::move(opts)) {}

  static std::string hex(std::uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
  }
  result<exit_status> stop(std::string what) noexcept {
    why_ = std::move(what) + " (rip 0x" + hex(regs().rip) + ")";
    finish({true, 0, SIGKILL});
    return std::errc::state_not_recoverable;
  }

  // --- setup -----------------------------------------------------------------------------

  result<void> setup(const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                     std::string& why) {
    auto img = read_static_elf(argv[0], why);
    if (!img) return img.error();
    if (char* real = ::realpath(argv[0].c_str(), nullptr)) {
      exe_path_ = real;
      std::free(real);
    } else {
      exe_path_ = argv[0];
    }
    auto fail = [&](std::string what, std::errc e) {
      why = std::move(what);
      why_ = why;
      return result<void>(e);
    };
    // Open KVM first so that a machine without it says so, whatever the executable.
    auto kvm = move_high(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
    if (!kvm)
      return fail(std::string("cannot open /dev/kvm: ") + std::strerror(kvm.error_number()),
                  std::errc::no_such_device);
    kvm_ = std::move(*kvm);
    if (::ioctl(kvm_.get(), KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0)
      return fail("KVM lacks KVM_CAP_SYNC_REGS", std::errc::no_such_device);
    auto vmfd = move_high(::ioctl(kvm_.get(), KVM_CREATE_VM, 0));
    if (!vmfd) return fail("KVM_CREATE_VM failed", std::errc::no_such_device);
    vm_ = std::move(*vmfd);
    (void)::ioctl(vm_.get(), KVM_SET_TSS_ADDR, 0xFFFBD000ul);  // needed on Intel only

    // Image: at its link address (static) or anywhere in the window (static-pie), followed
    // by the brk heap reserve, all one mapping.
    std::uint64_t span = img->hi - img->lo;
    std::uint64_t bias = 0;
    if (img->pie) {
      auto at = reserve_anywhere(span + opts_.brk_reserve, 1ull << 24);
      if (!at) return fail("no room for the static-pie image", std::errc::not_enough_memory);
      bias = *at - img->lo;
    } else {
      if (img->lo < window_lo || img->hi + opts_.brk_reserve > (1ull << 32))
        return fail("the image's addresses are outside the VM's 4 GiB", std::errc::executable_format_error);
      if (!reserve_at(img->lo, span + opts_.brk_reserve))
        return fail("the image's fixed addresses are in use in this process (another VM?)",
                    std::errc::device_or_resource_busy);
    }
    mem_.set_image(img->lo + bias, img->hi + bias + opts_.brk_reserve, img->hi + bias);
    for (auto& s : img->segments)
      std::memcpy(reinterpret_cast<void*>(s.vaddr + bias), img->bytes.data() + s.offset, s.filesz);

    auto arena = reserve_anywhere(opts_.arena_size, 1ull << 24);
    if (!arena) return fail("no room for the VM's arena", std::errc::not_enough_memory);
    mem_.set_arena(*arena, *arena + opts_.arena_size, opts_.stack_size);

    for (std::uint32_t slot = 0; slot < 2; ++slot) {
      const region& r = slot == 0 ? mem_.image() : mem_.arena();
      kvm_userspace_memory_region m{};
      m.slot = slot;
      m.guest_phys_addr = r.start;  // identity: guest-physical == host-virtual
      m.memory_size = r.end - r.start;
      m.userspace_addr = r.start;
      if (!kvm_ioctl(vm_.get(), KVM_SET_USER_MEMORY_REGION, &m))
        return fail("KVM_SET_USER_MEMORY_REGION failed", std::errc::no_such_device);
    }
    std::uint64_t kbase = mem_.kernel_base();
    build_guest_kernel(reinterpret_cast<std::uint8_t*>(kbase), kbase,
                       kvm_is_pvm() ? syscall_return::jump_rcx : syscall_return::sysret);

    auto v0 = create_vcpu(0);
    if (!v0) return fail(why_, v0.error());
    vcpus_.push_back(std::move(*v0));

    std::uint64_t sp = build_stack(*img, bias, argv, envp);
    vcpu_state& v = *vcpus_[0];
    kvm_regs& r = v.run->s.regs.regs;
    std::memset(&r, 0, sizeof r);
    r.rip = img->entry + bias;
    r.rsp = sp;
    r.rflags = 0x202;
    if (!kvm_ioctl(v.fd.get(), KVM_SET_REGS, &r))
      return fail("KVM_SET_REGS failed", std::errc::no_such_device);
    return {};
  }

  // Creates vCPU `index` with its kvm_run page and the CPU state every vCPU starts with.
  result<std::unique_ptr<vcpu_state>> create_vcpu(unsigned index) {
    auto v = std::make_unique<vcpu_state>();
    auto fd = move_high(::ioctl(vm_.get(), KVM_CREATE_VCPU, index));
    if (!fd) {
      why_ = std::string("KVM_CREATE_VCPU failed: ") + std::strerror(fd.error_number());
      return std::errc::no_such_device;
    }
    v->fd = std::move(*fd);
    int mmap_size = ::ioctl(kvm_.get(), KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size <= 0) {
      why_ = "KVM_GET_VCPU_MMAP_SIZE failed";
      return std::errc::no_such_device;
    }
    v->run_size = static_cast<std::size_t>(mmap_size);
    void* run = ::mmap(nullptr, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd.get(), 0);
    if (run == MAP_FAILED) {
      why_ = "cannot map kvm_run";
      return std::errc::no_such_device;
    }
    v->run = static_cast<kvm_run*>(run);
    v->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    auto cpu = setup_cpu(*v, mem_.kernel_base());
    if (!cpu) return cpu.error();
    return v;
  }

  result<void> setup_cpu(vcpu_state& v, std::uint64_t kbase) {
    // CPUID: everything KVM supports here, so the guest's libc picks the same code paths
    // as on the host where it can.
    auto table = std::make_unique<kvm_cpuid_table<256>>();
    table->head.count = 256;
    if (!kvm_ioctl(kvm_.get(), ioctl_get_supported_cpuid, table.get())) {
      why_ = std::string("KVM_GET_SUPPORTED_CPUID failed: ") + std::strerror(errno);
      return std::errc::no_such_device;
    }
    std::uint64_t xcr0 = 0;
    bool xsave = false;
    for (std::uint32_t i = 0; i < table->head.count; ++i) {
      auto& e = table->entries[i];
      if (opts_.cpuid_table) {
        std::array<std::uint32_t, 4> r{e.eax, e.ebx, e.ecx, e.edx};
        opts_.cpuid_table(e.function, e.index, r);
        e.eax = r[0], e.ebx = r[1], e.ecx = r[2], e.edx = r[3];
      }
      if (e.function == 1) {
        xsave = (e.ecx & (1u << 26)) != 0;
        hwcap_ = e.edx;
      }
      if (e.function == 0xD && e.index == 0) xcr0 = e.eax | (std::uint64_t{e.edx} << 32);
    }
    if (!kvm_ioctl(v.fd.get(), ioctl_set_cpuid2, table.get())) {
      why_ = "KVM_SET_CPUID2 failed";
      return std::errc::no_such_device;
    }

    kvm_sregs s{};
    if (!kvm_ioctl(v.fd.get(), KVM_GET_SREGS, &s)) {
      why_ = "KVM_GET_SREGS failed";
      return std::errc::no_such_device;
    }
    auto seg = [](std::uint16_t sel, std::uint8_t type, std::uint8_t dpl, bool code) {
      kvm_segment g{};
      g.base = 0;
      g.limit = 0xFFFFFFFF;
      g.selector = sel;
      g.type = type;
      g.present = 1;
      g.dpl = dpl;
      g.db = code ? 0 : 1;
      g.s = 1;
      g.l = code ? 1 : 0;
      g.g = 1;
      return g;
    };
    // The guest starts in user mode (CPL3) directly: no boot code.
    s.cs = seg(kernel_layout::user_cs, 0xB, 3, true);
    s.ss = s.ds = s.es = s.fs = s.gs = seg(kernel_layout::user_ss, 0x3, 3, false);
    s.tr = kvm_segment{};
    s.tr.base = kbase + kernel_layout::tss;
    s.tr.limit = 0x67;
    s.tr.selector = kernel_layout::tss_sel;
    s.tr.type = 0xB;
    s.tr.present = 1;
    s.ldt = kvm_segment{};
    s.ldt.unusable = 1;
    s.gdt.base = kbase + kernel_layout::gdt;
    s.gdt.limit = 0x37;
    s.idt.base = kbase + kernel_layout::idt;
    s.idt.limit = kernel_layout::vectors * 16 - 1;
    s.cr3 = kbase + kernel_layout::pml4;
    s.cr0 = 0x80050033;                    // PG | AM | WP | NE | ET | MP | PE
    s.cr4 = 0x20 | 0x200 | 0x400;          // PAE | OSFXSR | OSXMMEXCPT
    if (xsave) s.cr4 |= 0x40000;           // OSXSAVE
    if (opts_.trap_rdtsc) s.cr4 |= 0x4;    // TSD: rdtsc at CPL3 raises #GP
    s.efer = 0x1 | 0x100 | 0x400 | 0x800;  // SCE | LME | LMA | NXE
    if (!kvm_ioctl(v.fd.get(), KVM_SET_SREGS, &s)) {
      why_ = "KVM_SET_SREGS failed";
      return std::errc::no_such_device;
    }
    if (xsave) {
      kvm_xcrs x{};
      x.nr_xcrs = 1;
      x.xcrs[0].xcr = 0;
      x.xcrs[0].value = xcr0 & 0x2FF;  // user states only: x87 SSE AVX MPX AVX-512 PKRU
      if (!kvm_ioctl(v.fd.get(), KVM_SET_XCRS, &x)) {
        why_ = "KVM_SET_XCRS failed";
        return std::errc::no_such_device;
      }
    }
    kvm_msr_table<4> msrs{};
    auto* e = msrs.entries;
    std::uint32_t n = 0;
    e[n++] = {0xC0000082, 0, kbase + kernel_layout::code + kernel_layout::syscall_entry};  // LSTAR
    e[n++] = {0xC0000081, 0,
              (std::uint64_t{kernel_layout::kernel_ss | 3u} << 48) |
                  (std::uint64_t{kernel_layout::kernel_cs} << 32)};  // STAR
    e[n++] = {0xC0000084, 0, 0};                   // SFMASK: TF IF DF IOPL NT AC cleared in the kernel
    if (opts_.trap_cpuid) e[n++] = {0x140, 0, 1};  // MISC_FEATURES_ENABLES: CPUID faulting
    msrs.head.count = n;
    auto set = kvm_ioctl(v.fd.get(), ioctl_set_msrs, &msrs);
    if (!set || static_cast<std::uint32_t>(*set) != n) {
      why_ = (opts_.trap_cpuid && set && static_cast<std::uint32_t>(*set) == n - 1)
                 ? "KVM does not offer CPUID faulting here"
                 : "KVM_SET_MSRS failed";
      return std::errc::no_such_device;
    }
    return {};
  }

  // Writes the initial stack (argc, argv, envp, auxv and their strings) at the top of the
  // arena, as Linux's binfmt_elf does; returns the initial rsp.
  std::uint64_t build_stack(const elf_image& img, std::uint64_t bias, const std::vector<std::string>& argv,
                            const std::vector<std::string>& envp) {
    std::uint64_t sp = mem_.stack_top();
    auto push_bytes = [&sp](const void* p, std::size_t n) {
      sp -= n;
      std::memcpy(reinterpret_cast<void*>(sp), p, n);
      return sp;
    };
    auto push_str = [&](const std::string& s) { return push_bytes(s.c_str(), s.size() + 1); };
    std::uint64_t execfn = push_str(argv[0]);
    std::vector<std::uint64_t> env_ptrs, arg_ptrs;
    for (auto it = envp.rbegin(); it != envp.rend(); ++it) env_ptrs.insert(env_ptrs.begin(), push_str(*it));
    for (auto it = argv.rbegin(); it != argv.rend(); ++it) arg_ptrs.insert(arg_ptrs.begin(), push_str(*it));
    std::uint64_t platform = push_str("x86_64");
    std::uint8_t random[16];
    if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
      for (std::size_t i = 0; i < sizeof random; ++i)
        random[i] = static_cast<std::uint8_t>(__builtin_ia32_rdtsc() >> (i % 8));
    std::uint64_t at_random = push_bytes(random, sizeof random);

    std::vector<std::uint64_t> words;
    words.push_back(argv.size());
    for (auto p : arg_ptrs) words.push_back(p);
    words.push_back(0);
    for (auto p : env_ptrs) words.push_back(p);
    words.push_back(0);
    auto aux = [&words](std::uint64_t k, std::uint64_t v) {
      words.push_back(k);
      words.push_back(v);
    };
    aux(AT_PHDR, img.phdr + bias);
    aux(AT_PHENT, sizeof(Elf64_Phdr));
    aux(AT_PHNUM, img.phnum);
    aux(AT_PAGESZ, page_size);
    aux(AT_BASE, 0);
    aux(AT_FLAGS, 0);
    aux(AT_ENTRY, img.entry + bias);
    aux(AT_UID, ::getuid());
    aux(AT_EUID, ::geteuid());
    aux(AT_GID, ::getgid());
    aux(AT_EGID, ::getegid());
    aux(AT_SECURE, 0);
    aux(AT_RANDOM, at_random);
    aux(AT_HWCAP, hwcap_);
    aux(AT_HWCAP2, 0);
    aux(AT_CLKTCK, 100);
    aux(AT_PLATFORM, platform);
    aux(AT_EXECFN, execfn);
    aux(AT_NULL, 0);
    sp = (sp - words.size() * 8) & ~std::uint64_t{15};
    std::memcpy(reinterpret_cast<void*>(sp), words.data(), words.size() * 8);
    return sp;
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
      finish({true, 0, SIGSEGV});
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
    finish({true, 0, sig});
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

  // --- threads ---------------------------------------------------------------------------

  // The signal that pulls another vCPU's host thread out of KVM_RUN or a blocking call when
  // the program ends; its handler does nothing (installed when a guest starts a thread).
  static int kick_signal() noexcept { return SIGRTMAX - 3; }

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
      if constexpr (requires { hooks.on_vcpu_exit(*this); })
        if (v.done) hooks.on_vcpu_exit(*this);
      current_ = nullptr;
    });
    l.unlock();
    tid.wait(0);
    return tid;
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
        ctid = current_->clear_child_tid;
      }
    }
    if (!current_->done) {
      finish({false, code, 0});
      return 0;
    }
    if (ctid != 0) {  // as the kernel does for CLONE_CHILD_CLEARTID: pthread_join waits on it
      std::uint32_t zero = 0;
      if (mem_.write_bytes(ctid, std::as_bytes(std::span(&zero, 1))))
        (void)host_syscall(SYS_futex, ctid, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
    }
    return 0;
  }

  // --- emulated process state ------------------------------------------------------------

  bool is_proc_self_exe(std::uint64_t path) const noexcept {
    static constexpr char self_exe[] = "/proc/self/exe";
    char buf[sizeof self_exe]{};
    auto n = mem_.read_bytes(path, std::as_writable_bytes(std::span(buf)));
    return n && *n == sizeof buf && std::memcmp(buf, self_exe, sizeof buf) == 0;
  }
  long copy_exe_path(std::uint64_t buf, std::uint64_t size) noexcept {
    std::size_t n = std::min<std::size_t>(exe_path_.size(), size);
    if (!mem_.write_bytes(buf, std::as_bytes(std::span(exe_path_.data(), n)))) return -EFAULT;
    return static_cast<long>(n);
  }

  long arch_prctl(std::uint64_t code, std::uint64_t addr) noexcept {
    constexpr std::uint64_t set_gs = 0x1001, set_fs = 0x1002, get_fs = 0x1003, get_gs = 0x1004;
    if (code == set_fs || code == set_gs) {
      kvm_sregs s{};
      if (!kvm_ioctl(current_->fd.get(), KVM_GET_SREGS, &s)) return -EIO;
      (code == set_fs ? s.fs : s.gs).base = addr;
      if (!kvm_ioctl(current_->fd.get(), KVM_SET_SREGS, &s)) return -EIO;
      return 0;
    }
    if (code == get_fs || code == get_gs) {
      kvm_sregs s{};
      if (!kvm_ioctl(current_->fd.get(), KVM_GET_SREGS, &s)) return -EIO;
      std::uint64_t v = (code == get_fs ? s.fs : s.gs).base;
      return mem_.write_bytes(addr, std::as_bytes(std::span(&v, 1))) ? 0 : -EFAULT;
    }
    return -EINVAL;
  }

  using kernel_sigaction = ::snare::arch::x86_64::kernel_sigaction;

  // Signal dispositions are kept for the guest (so libc sees its own settings back) but no
  // signal is ever delivered into the guest: a signal it sends itself ends it, by default.
  long sigaction(std::uint64_t sig, std::uint64_t act, std::uint64_t oldact, std::uint64_t size) noexcept {
    if (sig < 1 || sig > 64 || size != 8) return -EINVAL;
    if (act != 0 && (sig == SIGKILL || sig == SIGSTOP)) return -EINVAL;
    kernel_sigaction next{};
    if (act != 0 && !mem_.read_bytes(act, std::as_writable_bytes(std::span(&next, 1)))) return -EFAULT;
    if (oldact != 0 && !mem_.write_bytes(oldact, std::as_bytes(std::span(&actions_[sig], 1)))) return -EFAULT;
    if (act != 0) actions_[sig] = next;
    return 0;
  }
  long sigprocmask(std::uint64_t how, std::uint64_t set, std::uint64_t oldset, std::uint64_t size) noexcept {
    if (size != 8) return -EINVAL;
    std::uint64_t old = sigmask_;
    if (set != 0) {
      std::uint64_t s = 0;
      if (!mem_.read_bytes(set, std::as_writable_bytes(std::span(&s, 1)))) return -EFAULT;
      if (how == SIG_BLOCK)
        sigmask_ |= s;
      else if (how == SIG_UNBLOCK)
        sigmask_ &= ~s;
      else if (how == SIG_SETMASK)
        sigmask_ = s;
      else
        return -EINVAL;
    }
    if (oldset != 0 && !mem_.write_bytes(oldset, std::as_bytes(std::span(&old, 1)))) return -EFAULT;
    return 0;
  }
  // A signal the guest sends itself (kill/tkill/tgkill, so raise() and abort()): ignored,
  // fatal, left pending while blocked, or run in the guest's handler right when the call
  // returns, on a frame laid out as Linux's rt_sigframe. Only such synchronous signals
  // exist for the guest: nothing else is ever delivered into the VM.
  long self_signal(int sig) noexcept {
    if (sig == 0) return 0;
    if (sig < 1 || sig > 64) return -EINVAL;
    std::unique_lock l(mu_);
    std::uint64_t handler = actions_[sig].handler;
    bool ignored_by_default = sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
    if (handler == reinterpret_cast<std::uint64_t>(SIG_IGN) || (handler == 0 && ignored_by_default)) return 0;
    if (handler != 0 && sig != SIGKILL && sig != SIGSTOP) {
      if (sigmask_ & bit(sig)) {
        pending_ |= bit(sig);
        return 0;
      }
      l.unlock();
      return deliver_signal(sig, 0);
    }
    l.unlock();
    note("the guest sent itself signal " + std::to_string(sig));
    finish({true, 0, sig});
    return 0;
  }

  static constexpr std::uint64_t bit(int sig) noexcept { return std::uint64_t{1} << (sig - 1); }

  // The kernel's x86-64 rt_sigframe (pretcode, struct ucontext, siginfo), with no FPU state
  // (fpstate = 0): signals arrive only inside a libc call, where vector registers are
  // caller-saved anyway.
  struct signal_frame {
    std::uint64_t pretcode;
    std::uint64_t uc_flags, uc_link;
    std::uint64_t ss_sp;
    std::int32_t ss_flags, ss_pad;
    std::uint64_t ss_size;
    std::uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    std::uint16_t cs, gs, fs, ss;
    std::uint64_t err, trapno, oldmask, cr2, fpstate, reserved1[8];
    std::uint64_t uc_sigmask;
    std::int32_t si_signo, si_errno, si_code, si_pad;
    std::int32_t sender_pid, sender_uid;  // si_pid, si_uid (macros in <signal.h>)
    std::uint8_t si_rest[104];
  };
  static_assert(sizeof(signal_frame) ==
                8 + 40 + 256 + 8 + 128);  // pretcode, ucontext head, sigcontext, mask, siginfo

  // Runs handler of `sig` when the current syscall (returning `ret`) returns to the guest.
  long deliver_signal(int sig, long ret) noexcept {
    kernel_sigaction act;
    std::uint64_t old_mask;
    {
      std::lock_guard l(mu_);
      act = actions_[sig];
      old_mask = sigmask_;
      constexpr std::uint64_t sa_nodefer = 0x40000000, sa_resethand = 0x80000000;
      sigmask_ |= act.mask | ((act.flags & sa_nodefer) ? 0 : bit(sig));
      sigmask_ &= ~(bit(SIGKILL) | bit(SIGSTOP));
      if (act.flags & sa_resethand) actions_[sig].handler = 0;
    }
    constexpr std::uint64_t sa_restorer = 0x04000000;
    kvm_regs& r = regs();
    if (!(act.flags & sa_restorer)) {  // no way back from the handler without a vDSO
      note("signal " + std::to_string(sig) + " has a handler without SA_RESTORER");
      finish({true, 0, sig});
      return ret;
    }
    // At a syscall exit the user's rip and rflags are in rcx and r11.
    signal_frame f{};
    f.pretcode = act.restorer;
    f.r8 = r.r8, f.r9 = r.r9, f.r10 = r.r10, f.r11 = r.r11, f.r12 = r.r12, f.r13 = r.r13, f.r14 = r.r14;
    f.r15 = r.r15, f.rdi = r.rdi, f.rsi = r.rsi, f.rbp = r.rbp, f.rbx = r.rbx, f.rdx = r.rdx;
    f.rax = static_cast<std::uint64_t>(ret), f.rcx = r.rcx, f.rsp = r.rsp, f.rip = r.rcx, f.eflags = r.r11;
    f.cs = kernel_layout::user_cs, f.ss = kernel_layout::user_ss;
    f.ss_flags = SS_DISABLE;
    f.uc_sigmask = old_mask;
    f.oldmask = old_mask;
    f.si_signo = sig, f.si_code = -6 /* SI_TKILL */, f.sender_pid = ::getpid(),
    f.sender_uid = static_cast<std::int32_t>(::getuid());
    // Below the red zone, and so that rsp + 8 is 16-byte aligned at the handler's entry.
    std::uint64_t at = ((r.rsp - 128 - sizeof f) & ~std::uint64_t{15}) - 8;
    if (!mem_.write_bytes(at, std::as_bytes(std::span(&f, 1)))) {
      note("no room for the frame of signal " + std::to_string(sig));
      finish({true, 0, SIGSEGV});
      return ret;
    }
    r.rsp = at;
    r.rdi = static_cast<std::uint64_t>(sig);
    r.rsi = at + offsetof(signal_frame, si_signo);
    r.rdx = at + offsetof(signal_frame, uc_flags);
    r.rcx = act.handler;                               // where the syscall entry returns to
    r.r11 = f.eflags & ~std::uint64_t{0x400 | 0x100};  // DF and TF clear in the handler
    r.rflags = r.r11 | 0x2;
    current_->dirty |= KVM_SYNC_X86_REGS;
    return ret;
  }

  // Delivers the lowest pending signal that is no longer blocked, if any (after sigprocmask).
  long deliver_pending() noexcept {
    int sig = 0;
    {
      std::lock_guard l(mu_);
      std::uint64_t ready = pending_ & ~sigmask_;
      if (ready == 0) return 0;
      sig = __builtin_ctzll(ready) + 1;
      pending_ &= ~bit(sig);
    }
    return self_signal(sig);
  }

  // rt_sigreturn: the registers and mask saved in the frame at rsp - 8 come back.
  long sigreturn() noexcept {
    kvm_regs& r = regs();
    signal_frame f;
    auto got = mem_.read_bytes(r.rsp - 8, std::as_writable_bytes(std::span(&f, 1)));
    if (!got || *got != sizeof f) {
      note("rt_sigreturn with no signal frame");
      finish({true, 0, SIGSEGV});
      return 0;
    }
    r.r8 = f.r8, r.r9 = f.r9, r.r10 = f.r10, r.r12 = f.r12, r.r13 = f.r13, r.r14 = f.r14, r.r15 = f.r15;
    r.rdi = f.rdi, r.rsi = f.rsi, r.rbp = f.rbp, r.rbx = f.rbx, r.rdx = f.rdx, r.rsp = f.rsp;
    r.rcx = f.rip;  // the syscall entry returns there
    r.r11 = f.eflags;
    r.rflags = (f.eflags & 0xCD5) | 0x202;  // arithmetic flags and DF; IF on, as at user level
    current_->dirty |= KVM_SYNC_X86_REGS;
    {
      std::lock_guard l(mu_);
      sigmask_ = f.uc_sigmask & ~(bit(SIGKILL) | bit(SIGSTOP));
    }
    return static_cast<long>(f.rax);  // what the interrupted call returned
  }

  vm_options opts_;
  std::errc error_{};
  std::string why_, diagnostic_;
  std::string exe_path_;  // what readlink("/proc/self/exe") answers
  unique_fd kvm_, vm_;
  std::mutex mu_;  // guards vcpus_, live_, status_, the address space and the signal state
  std::vector<std::unique_ptr<vcpu_state>> vcpus_;
  std::mutex threads_mu_;  // guards threads_
  std::vector<std::thread> threads_;
  std::function<pid_t(vcpu_state&)> start_thread_;
  int live_ = 1;  // guest threads not yet exited
  address_space mem_;
  std::uint64_t hwcap_ = 0;
  std::atomic<bool> finished_{false};
  exit_status status_{};
  kernel_sigaction actions_[65]{};
  std::uint64_t sigmask_ = 0;
  std::uint64_t pending_ = 0;  // self-sent signals waiting while blocked
};

}  // namespace snare::backend::hypercall_detail
