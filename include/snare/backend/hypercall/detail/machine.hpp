// Defines snare::backend::hypercall_detail::machine: the KVM virtual machine under a
// micro-VM (its fds, the guest's memory and kernel, the CPU state every vCPU starts in) and
// the program loaded into it as execve would. It knows nothing of Linux threads, syscalls
// or signals: threads.hpp, syscalls.hpp and vm.hpp build those on top of it.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include <pthread.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
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
#include <snare/guest/auxv.hpp>
#include <snare/result.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare::backend::hypercall_detail {

/// How the guest, or one of its threads, ended: snare::exit_status, the one type every
/// backend reports (kept under this name for users of the micro-VM alone).
using ::snare::exit_status;

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

/// One vCPU of a VM and the guest thread it runs: its fd and kvm_run page, and what the
/// host thread serving it keeps (threads.hpp: one guest thread per vCPU).
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
  pid_t creator = 0;        // the tid of the guest thread whose clone made it (0: the first)
  pthread_t thread{};
  std::uint64_t clear_child_tid = 0;  // set_tid_address / CLONE_CHILD_CLEARTID
  std::array<std::uint32_t, 2> pending_cpuid{};
  bool done = false;                 // this guest thread has exited by exit(2)
  exit_status end{};                 // and with what, when done
  std::atomic<bool> stopped{false};  // its host thread has left the run loop
  std::atomic<bool> go{false};       // its parent has written the tid where clone asked
  // Its CPU-time timer (thread_group::set_timer), made on first use, and its host thread's
  // signal mask from before (the timer's signal is blocked there outside KVM_RUN).
  timer_t timer{};
  bool has_timer = false;
  sigset_t saved_mask{};
};

/// The virtual machine: KVM's fds, the guest's address space with the guest kernel in it,
/// the loaded program and the creation of vCPUs. The base of vm (vm.hpp).
class machine {
 public:
  machine(const machine&) = delete;
  machine& operator=(const machine&) = delete;

  /// Returns the name given in vm_options.
  const std::string& name() const noexcept { return opts_.name; }
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
  /// Returns the explanation of the last error of create() or run().
  const std::string& why() const noexcept { return why_; }
  /// Returns the auxiliary vector the guest got on its initial stack (build_stack).
  const auxv_table& auxv() const noexcept { return auxv_; }

 protected:
  explicit machine(vm_options opts) : opts_(std::move(opts)) {}
  ~machine() = default;

  // Opens KVM, creates the VM with the guest's memory and kernel, loads argv[0] and builds
  // its initial stack; returns the first vCPU, at the program's entry. Errors as vm::create.
  result<std::unique_ptr<vcpu_state>> load(const std::vector<std::string>& argv,
                                           const std::vector<std::string>& envp, std::string& why) {
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
      return result<std::unique_ptr<vcpu_state>>(e);
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

    auto v = create_vcpu(0);
    if (!v) return fail(why_, v.error());

    std::uint64_t sp = build_stack(*img, bias, argv, envp);
    kvm_regs& r = (*v)->run->s.regs.regs;
    std::memset(&r, 0, sizeof r);
    r.rip = img->entry + bias;
    r.rsp = sp;
    r.rflags = 0x202;
    if (!kvm_ioctl((*v)->fd.get(), KVM_SET_REGS, &r))
      return fail("KVM_SET_REGS failed", std::errc::no_such_device);
    return v;
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

  vm_options opts_;
  std::string why_;
  std::string exe_path_;  // what readlink("/proc/self/exe") answers
  unique_fd kvm_, vm_;
  address_space mem_;

 private:
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
    auxv_.entries.clear();
    auto aux = [&words, this](std::uint64_t k, std::uint64_t v) {
      words.push_back(k);
      words.push_back(v);
      if (k != AT_NULL) auxv_.entries.push_back({k, v});
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

  std::uint64_t hwcap_ = 0;  // CPUID.1:EDX as the vCPU reports it: the guest's AT_HWCAP
  auxv_table auxv_;          // what build_stack gave the guest
};

}  // namespace snare::backend::hypercall_detail
