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
#include <x86intrin.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

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
    if (run_ != nullptr) ::munmap(run_, run_size_);
  }

  /// Returns the error create() met, std::errc{} when the VM is ready to run.
  std::errc error() const noexcept { return error_; }
  /// Returns the name given in vm_options.
  const std::string& name() const noexcept { return opts_.name; }

  /// Returns the vCPU's general registers (valid while a hook runs; changes are written back).
  kvm_regs& regs() noexcept { return run_->s.regs.regs; }
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
  /// Returns the host thread id that runs the vCPU (what gettid() returns to the guest).
  pid_t tid() const noexcept { return tid_; }
  /// Says whether the guest has ended (exit_group, a fatal fault or signal).
  bool finished() const noexcept { return finished_; }
  const exit_status& status() const noexcept { return status_; }
  /// Returns the reason the guest was stopped by the VM, if any ("unsupported syscall clone").
  const std::string& diagnostic() const noexcept { return diagnostic_; }

  /// Performs syscall `c` for the guest, the way Linux would: memory, TLS, signal-state and
  /// exit calls are emulated by the VM; fork/clone/exec return -ENOSYS (with a diagnostic);
  /// everything else runs in the host process, where guest pointers are host pointers.
  /// Returns the raw value (-errno on failure).
  long execute(const sys::raw_call& c) noexcept {
    auto a = c.args;
    switch (c.number) {
      case SYS_brk:
        return mem_.do_brk(a[0]);
      case SYS_mmap:
        return mem_.do_mmap(a[0], a[1], a[2], a[3], a[4], a[5]);
      case SYS_munmap:
        return mem_.do_munmap(a[0], a[1]);
      case SYS_mprotect:
        return mem_.do_mprotect(a[0], a[1]);
      case SYS_madvise:
        return mem_.do_madvise(a[0], a[1], a[2]);
      case SYS_mremap:
        return mem_.do_mremap(a[0], a[1], a[2], a[3]);
      case SYS_arch_prctl:
        return arch_prctl(a[0], a[1]);
      case SYS_exit:  // one vCPU: the last thread leaving ends the program
      case SYS_exit_group:
        finish({false, static_cast<int>(a[0] & 0xFF), 0});
        return 0;
      case SYS_set_tid_address:
        return tid_;
      case SYS_set_robust_list:
        return 0;
      case SYS_rseq:
        return -ENOSYS;
      case SYS_rt_sigaction:
        return sigaction(a[0], a[1], a[2], a[3]);
      case SYS_rt_sigprocmask:
        return sigprocmask(a[0], a[1], a[2], a[3]);
      case SYS_sigaltstack:
        if (a[1] != 0) {
          stack_t none{nullptr, SS_DISABLE, 0};
          if (!mem_.write_bytes(a[1], std::as_bytes(std::span(&none, 1)))) return -EFAULT;
        }
        return 0;
      case SYS_clone:
      case SYS_clone3:
      case SYS_fork:
      case SYS_vfork:
      case SYS_execve:
      case SYS_execveat:
        diagnostic_ = "unsupported syscall " + std::to_string(c.number) +
                      " (fork/clone/exec are not supported by the hypercall backend yet)";
        return -ENOSYS;
      case SYS_kill:
        if (static_cast<pid_t>(a[0]) == ::getpid() || a[0] == 0) return self_signal(static_cast<int>(a[1]));
        break;
      case SYS_tkill:
        if (static_cast<pid_t>(a[0]) == tid_) return self_signal(static_cast<int>(a[1]));
        break;
      case SYS_tgkill:
        if (static_cast<pid_t>(a[1]) == tid_) return self_signal(static_cast<int>(a[2]));
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
    status_ = status;
    finished_ = true;
  }

  /// Runs the guest until it ends. `hooks` may define any of:
  ///   long on_syscall(vm&, sys::raw_call&)   // the value for rax; default: execute(call)
  ///   void on_probe(vm&, const probe_event&)
  ///   void on_cpuid(vm&, std::uint32_t leaf, std::uint32_t subleaf, cpuid_regs&)  // needs trap_cpuid
  ///   void on_rdtsc(vm&, std::uint64_t&)                                          // needs trap_rdtsc
  ///   bool on_mmio(vm&, std::uint64_t address)     // an access to unbacked memory; true: handled
  ///   bool on_exception(vm&, std::uint64_t vector, std::uint64_t& rip)  // true: resume at rip
  /// Returns how the guest ended, or the error that stopped the VM (why() says more).
  template <class Hooks>
  result<exit_status> run(Hooks& hooks) noexcept {
    if (error_ != std::errc{}) return error_;
    tid_ = static_cast<pid_t>(::syscall(SYS_gettid));
    while (!finished_) {
      run_->kvm_dirty_regs = dirty_;
      dirty_ = 0;
      if (::ioctl(vcpu_.get(), KVM_RUN, 0) < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        why_ = std::string("KVM_RUN: ") + std::strerror(errno);
        return result<exit_status>::from_errno(errno);
      }
      switch (run_->exit_reason) {
        case KVM_EXIT_IO:
          if (run_->io.direction != KVM_EXIT_IO_OUT) return stop("unexpected port input");
          if (run_->io.port == port_exception) {
            if (!on_exception_exit(hooks)) return status_;
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
          diagnostic_ = "access to unmapped guest address 0x" + hex(run_->mmio.phys_addr) + " at rip 0x" +
                        hex(regs().rip);
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
    return status_;
  }

  /// Returns the explanation of the last error of create() or run().
  const std::string& why() const noexcept { return why_; }

 private:
  explicit vm(vm_options opts) : opts_(std::move(opts)) {}

  static std::string hex(std::uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
  }
  result<exit_status> stop(std::string what) noexcept {
    why_ = std::move(what) + " (rip 0x" + hex(regs().rip) + ")";
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

    auto vcpu = move_high(::ioctl(vm_.get(), KVM_CREATE_VCPU, 0));
    if (!vcpu) return fail("KVM_CREATE_VCPU failed", std::errc::no_such_device);
    vcpu_ = std::move(*vcpu);
    int mmap_size = ::ioctl(kvm_.get(), KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size <= 0) return fail("KVM_GET_VCPU_MMAP_SIZE failed", std::errc::no_such_device);
    run_size_ = static_cast<std::size_t>(mmap_size);
    void* run = ::mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_.get(), 0);
    if (run == MAP_FAILED) return fail("cannot map kvm_run", std::errc::no_such_device);
    run_ = static_cast<kvm_run*>(run);

    auto cpu = setup_cpu(kbase);
    if (!cpu) return fail(why_, cpu.error());

    std::uint64_t sp = build_stack(*img, bias, argv, envp);
    kvm_regs& r = run_->s.regs.regs;
    std::memset(&r, 0, sizeof r);
    r.rip = img->entry + bias;
    r.rsp = sp;
    r.rflags = 0x202;
    if (!kvm_ioctl(vcpu_.get(), KVM_SET_REGS, &r))
      return fail("KVM_SET_REGS failed", std::errc::no_such_device);
    run_->kvm_valid_regs = KVM_SYNC_X86_REGS;
    return {};
  }

  result<void> setup_cpu(std::uint64_t kbase) {
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
    if (!kvm_ioctl(vcpu_.get(), ioctl_set_cpuid2, table.get())) {
      why_ = "KVM_SET_CPUID2 failed";
      return std::errc::no_such_device;
    }

    kvm_sregs s{};
    if (!kvm_ioctl(vcpu_.get(), KVM_GET_SREGS, &s)) {
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
    if (!kvm_ioctl(vcpu_.get(), KVM_SET_SREGS, &s)) {
      why_ = "KVM_SET_SREGS failed";
      return std::errc::no_such_device;
    }
    if (xsave) {
      kvm_xcrs x{};
      x.nr_xcrs = 1;
      x.xcrs[0].xcr = 0;
      x.xcrs[0].value = xcr0 & 0x2FF;  // user states only: x87 SSE AVX MPX AVX-512 PKRU
      if (!kvm_ioctl(vcpu_.get(), KVM_SET_XCRS, &x)) {
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
    auto set = kvm_ioctl(vcpu_.get(), ioctl_set_msrs, &msrs);
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
        random[i] = static_cast<std::uint8_t>(__rdtsc() >> (i % 8));
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
    dirty_ |= KVM_SYNC_X86_REGS;
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
      diagnostic_ = "corrupt exception frame";
      finish({true, 0, SIGSEGV});
      return false;
    }
    std::uint8_t insn[3]{};
    (void)mem_.read_bytes(f->rip, std::as_writable_bytes(std::span(insn)));
    if (f->vector == 13 && insn[0] == 0x0F) {
      if (insn[1] == 0xA2 && opts_.trap_cpuid) {
        // Let KVM answer at CPL0 first, then give the tool the answer to edit.
        pending_cpuid_ = {static_cast<std::uint32_t>(r.rax), static_cast<std::uint32_t>(r.rcx)};
        f->rip += 2;
        r.rip = mem_.kernel_base() + kernel_layout::code + kernel_layout::cpuid_helper;
        dirty_ |= KVM_SYNC_X86_REGS;
        return true;
      }
      bool rdtscp = insn[1] == 0x01 && insn[2] == 0xF9;
      if ((insn[1] == 0x31 || rdtscp) && opts_.trap_rdtsc) {
        std::uint64_t tsc = __rdtsc();
        if constexpr (requires { hooks.on_rdtsc(*this, tsc); }) hooks.on_rdtsc(*this, tsc);
        r.rax = tsc & 0xFFFFFFFF;
        r.rdx = tsc >> 32;
        if (rdtscp) r.rcx = 0;
        f->rip += rdtscp ? 3 : 2;
        dirty_ |= KVM_SYNC_X86_REGS;
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
    diagnostic_ = "CPU exception " + std::to_string(f->vector) + " at rip 0x" + hex(f->rip) +
                  " (error code 0x" + hex(f->error) + ", cs 0x" + hex(f->cs) + ", ss 0x" + hex(f->ss) +
                  ", rflags 0x" + hex(f->rflags) + ")";
    finish({true, 0, sig});
    return false;
  }

  template <class Hooks>
  void on_cpuid_answer(Hooks& hooks) noexcept {
    kvm_regs& r = regs();
    cpuid_regs c{static_cast<std::uint32_t>(r.rax), static_cast<std::uint32_t>(r.rbx),
                 static_cast<std::uint32_t>(r.rcx), static_cast<std::uint32_t>(r.rdx)};
    if constexpr (requires { hooks.on_cpuid(*this, 0u, 0u, c); })
      hooks.on_cpuid(*this, pending_cpuid_[0], pending_cpuid_[1], c);
    r.rax = c.eax;
    r.rbx = c.ebx;
    r.rcx = c.ecx;
    r.rdx = c.edx;
    dirty_ |= KVM_SYNC_X86_REGS;
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
      if (!kvm_ioctl(vcpu_.get(), KVM_GET_SREGS, &s)) return -EIO;
      (code == set_fs ? s.fs : s.gs).base = addr;
      if (!kvm_ioctl(vcpu_.get(), KVM_SET_SREGS, &s)) return -EIO;
      return 0;
    }
    if (code == get_fs || code == get_gs) {
      kvm_sregs s{};
      if (!kvm_ioctl(vcpu_.get(), KVM_GET_SREGS, &s)) return -EIO;
      std::uint64_t v = (code == get_fs ? s.fs : s.gs).base;
      return mem_.write_bytes(addr, std::as_bytes(std::span(&v, 1))) ? 0 : -EFAULT;
    }
    return -EINVAL;
  }

  struct kernel_sigaction {
    std::uint64_t handler, flags, restorer, mask;
  };

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
  long self_signal(int sig) noexcept {
    if (sig == 0) return 0;
    if (sig < 1 || sig > 64) return -EINVAL;
    std::uint64_t handler = actions_[sig].handler;
    bool ignored_by_default = sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
    if (handler == reinterpret_cast<std::uint64_t>(SIG_IGN) || (handler == 0 && ignored_by_default)) return 0;
    diagnostic_ = "the guest sent itself signal " + std::to_string(sig) +
                  (handler > 1 ? " (its handler is not run: the VM delivers no signals)" : "");
    finish({true, 0, sig});
    return 0;
  }

  vm_options opts_;
  std::errc error_{};
  std::string why_, diagnostic_;
  std::string exe_path_;  // what readlink("/proc/self/exe") answers
  unique_fd kvm_, vm_, vcpu_;
  kvm_run* run_ = nullptr;
  std::size_t run_size_ = 0;
  std::uint64_t dirty_ = 0;
  address_space mem_;
  std::uint64_t hwcap_ = 0;
  pid_t tid_ = 0;
  bool finished_ = false;
  exit_status status_{};
  std::array<std::uint32_t, 2> pending_cpuid_{};
  kernel_sigaction actions_[65]{};
  std::uint64_t sigmask_ = 0;
};

}  // namespace snare::backend::hypercall_detail
