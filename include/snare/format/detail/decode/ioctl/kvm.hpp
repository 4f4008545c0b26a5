// Defines the decoder of the KVM ioctls of linux/kvm.h (strace's kvm.c and
// linux/x86_64/arch_kvm.c): capabilities by name, memory regions, the x86-64 registers and
// special registers (abbreviated unless verbose), CPUID tables, the vcpu number; the fds
// KVM_CREATE_VM and KVM_CREATE_VCPU return, and the exit reason a KVM_RUN left in the
// vcpu's kvm_run (`-e kvm=vcpu`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// KVM_MEM_* of struct kvm_userspace_memory_region's flags (linux/kvm.h; strace's
/// kvm_mem_flags).
inline constexpr xlat_entry kvm_mem_flags_bits[] = {
    {1u << 0, "KVM_MEM_LOG_DIRTY_PAGES"},
    {1u << 1, "KVM_MEM_READONLY"},
};
inline constexpr xlat kvm_mem_flags_xlat{{}, 0, kvm_mem_flags_bits, "0", "KVM_MEM_???"};

/// KVM_CPUID_FLAG_* of struct kvm_cpuid_entry2 (linux/kvm.h, x86; the kernel's spelling).
inline constexpr xlat_entry kvm_cpuid_flags_bits[] = {
    {1u << 0, "KVM_CPUID_FLAG_SIGNIFCANT_INDEX"},
    {1u << 1, "KVM_CPUID_FLAG_STATEFUL_FUNC"},
    {1u << 2, "KVM_CPUID_FLAG_STATE_READ_NEXT"},
};
inline constexpr xlat kvm_cpuid_flags_xlat{{}, 0, kvm_cpuid_flags_bits, "0", "KVM_CPUID_FLAG_???"};

inline constexpr std::uint32_t kvm_create_vm = 0xae01;    // _IO(KVMIO, 0x01)
inline constexpr std::uint32_t kvm_create_vcpu = 0xae41;  // _IO(KVMIO, 0x41)
inline constexpr std::uint32_t kvm_run = 0xae80;          // _IO(KVMIO, 0x80)

/// The KVM requests strace decodes (x86-64 numbers), sorted by number; every other KVM
/// request prints its argument in hex, as strace's.
inline constexpr ioctl_entry kvm_ioctls[] = {
    {0xae00, "KVM_GET_API_VERSION", ioctl_shape::hex},
    {kvm_create_vm, "KVM_CREATE_VM", ioctl_shape::hex},
    {0xae03, "KVM_CHECK_EXTENSION", ioctl_shape::enum64_value, &kvm_cap_xlat},
    {0xae04, "KVM_GET_VCPU_MMAP_SIZE", ioctl_shape::hex},
    {kvm_create_vcpu, "KVM_CREATE_VCPU"},
    {kvm_run, "KVM_RUN", ioctl_shape::hex},
    {0x4008ae90, "KVM_SET_CPUID2"},
    {0x4020ae46, "KVM_SET_USER_MEMORY_REGION"},
    {0x4090ae82, "KVM_SET_REGS"},
    {0x4138ae84, "KVM_SET_SREGS"},
    {0x8090ae81, "KVM_GET_REGS"},
    {0x8138ae83, "KVM_GET_SREGS"},
    {0xc008ae05, "KVM_GET_SUPPORTED_CPUID"},
    {0xc008ae09, "KVM_GET_EMULATED_CPUID"},
};
static_assert(ioctl_table_sorted(kvm_ioctls), "kvm_ioctls must stay sorted by request");

/// Returns whether KVM request `code` returns a new fd (strace's RVAL_FD).
constexpr bool kvm_returns_fd(std::uint32_t code) noexcept {
  return code == kvm_create_vm || code == kvm_create_vcpu;
}

/// Appends struct kvm_regs (144 bytes: rax..r15, rip, rflags), the general registers
/// elided unless verbose.
inline void put_kvm_regs(std::string& out, const unsigned char* r, bool verbose) {
  static constexpr const char* names[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8",
                                          "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};
  field_sep f{out};
  out.push_back('{');
  for (std::size_t i = 0; i < 18; ++i) {
    // Abbreviated: rax, ..., rsp, rbp, ..., rip, rflags (strace's arch_print_kvm_regs).
    if (!verbose && ((i >= 1 && i <= 5) || (i >= 8 && i <= 15))) {
      if (i == 1 || i == 8) f.next(), out.append("...");
      continue;
    }
    put_hex(f(names[i]), ioctl_field<std::uint64_t>(r, i * 8));
  }
  out.push_back('}');
}

/// Appends struct kvm_segment (24 bytes).
inline void put_kvm_segment(std::string& out, const unsigned char* s) {
  out.append("{base="), put_hex(out, ioctl_field<std::uint64_t>(s, 0));
  out.append(", limit="), put_udec(out, ioctl_field<std::uint32_t>(s, 8));
  out.append(", selector="), put_udec(out, ioctl_field<std::uint16_t>(s, 12));
  static constexpr const char* bytes[] = {"type", "present", "dpl", "db", "s", "l", "g", "avl"};
  for (std::size_t i = 0; i < 8; ++i)
    out.append(", ").append(bytes[i]).push_back('='), put_udec(out, s[14 + i]);
  out.push_back('}');
}

/// Appends struct kvm_sregs (312 bytes on x86-64): the segments, descriptor tables,
/// control registers and the interrupt bitmap; only cs unless verbose.
inline void put_kvm_sregs(std::string& out, const unsigned char* s, bool verbose) {
  static constexpr const char* segs[] = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
  out.append("{cs="), put_kvm_segment(out, s);
  if (!verbose) return out.append(", ...}"), void();
  for (std::size_t i = 1; i < 8; ++i)
    out.append(", ").append(segs[i]).push_back('='), put_kvm_segment(out, s + i * 24);
  const char* tables[] = {"gdt", "idt"};
  for (std::size_t i = 0; i < 2; ++i) {
    const unsigned char* t = s + 192 + i * 16;
    out.append(", ").append(tables[i]).append("={base="), put_hex(out, ioctl_field<std::uint64_t>(t, 0));
    out.append(", limit="), put_udec(out, ioctl_field<std::uint16_t>(t, 8)), out.push_back('}');
  }
  static constexpr const char* regs[] = {"cr0", "cr2", "cr3", "cr4", "cr8", "efer"};
  for (std::size_t i = 0; i < 6; ++i)
    out.append(", ").append(regs[i]).push_back('='),
        put_udec(out, ioctl_field<std::uint64_t>(s, 224 + i * 8));
  out.append(", apic_base="), put_hex(out, ioctl_field<std::uint64_t>(s, 272));
  out.append(", interrupt_bitmap=[");
  for (std::size_t i = 0; i < 4; ++i) {
    if (i) out.append(", ");
    put_hex(out, ioctl_field<std::uint64_t>(s, 280 + i * 8));
  }
  out.append("]}");
}

/// Appends struct kvm_cpuid2 at `addr`: the count and, verbose, the entries (struct
/// kvm_cpuid_entry2, 40 bytes each); `[...]` for them otherwise. False when unreadable.
template <class P>
bool put_kvm_cpuid2(P& p, std::uint64_t addr) {
  std::uint32_t head[2];  // nent, padding
  if (!p.read_obj(addr, head)) return false;
  std::string& out = p.out();
  out.append("{nent="), put_udec(out, head[0]), out.append(", entries=");
  if (!p.opts().verbose) {
    out.append(head[0] ? "[...]}" : "[]}");
    return true;
  }
  put_ioctl_structs(p, addr + sizeof head, head[0], 40, [&](const unsigned char* e) {
    out.append("{function="), put_hex(out, ioctl_field<std::uint32_t>(e, 0));
    out.append(", index="), put_hex(out, ioctl_field<std::uint32_t>(e, 4));
    out.append(", flags="), put_flags(out, kvm_cpuid_flags_xlat, ioctl_field<std::uint32_t>(e, 8));
    static constexpr const char* regs[] = {"eax", "ebx", "ecx", "edx"};
    for (std::size_t i = 0; i < 4; ++i)
      out.append(", ").append(regs[i]).push_back('='),
          put_hex(out, ioctl_field<std::uint32_t>(e, 12 + i * 4));
    out.push_back('}');
  });
  out.push_back('}');
  return true;
}

/// Appends ` (KVM_EXIT_HLT)`: the exit reason in the kvm_run of the vcpu whose fd a
/// successful KVM_RUN was given (strace -e kvm=vcpu), read where the process maps the vcpu
/// fd; nothing when the mapping is not found or unreadable.
template <class P>
void put_kvm_exit_reason(P& p) {
  std::uint64_t run = p.fd_mapping(static_cast<std::int32_t>(p.arg(0)), "anon_inode:kvm-vcpu:");
  std::uint32_t reason;  // struct kvm_run: request_interrupt_window, immediate_exit, padding1[6], exit_reason
  if (run == 0 || !p.read_obj(run + 8, reason)) return;
  std::string_view name = find_name(kvm_exit_reason_field, reason);
  p.out().append(" (").append(name.empty() ? std::string_view{"KVM_EXIT_???"} : name).push_back(')');
}

/// Prints the argument of KVM request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_kvm_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(kvm_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  if (code == kvm_create_vcpu) {
    if (!exit) put_udec(out, static_cast<std::uint32_t>(arg));
    return ioctl_step::done;
  }
  // The GET requests are printed at exit (the address after a failure), the SET at entry.
  const bool get = (code >> 30) == 2 || code == 0xc008ae05 || code == 0xc008ae09;
  if (get != exit) return exit ? ioctl_step::done : ioctl_step::more;
  if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
  bool ok = true;
  switch (code) {
    case 0x4020ae46: {  // struct kvm_userspace_memory_region
      struct {
        std::uint32_t slot, flags;
        std::uint64_t guest_phys_addr, memory_size, userspace_addr;
      } m;
      if (!(ok = p.read_obj(arg, m))) break;
      out.append("{slot="), put_udec(out, m.slot);
      out.append(", flags="), put_flags(out, kvm_mem_flags_xlat, m.flags);
      out.append(", guest_phys_addr="), put_hex(out, m.guest_phys_addr);
      out.append(", memory_size="), put_udec(out, m.memory_size);
      out.append(", userspace_addr="), put_hex(out, m.userspace_addr), out.push_back('}');
      break;
    }
    case 0x4090ae82:
    case 0x8090ae81: {
      unsigned char r[144];
      if ((ok = p.read_obj(arg, r))) put_kvm_regs(out, r, p.opts().verbose);
      break;
    }
    case 0x4138ae84:
    case 0x8138ae83: {
      unsigned char s[312];
      if ((ok = p.read_obj(arg, s))) put_kvm_sregs(out, s, p.opts().verbose);
      break;
    }
    default:  // the CPUID tables
      ok = put_kvm_cpuid2(p, arg);
      break;
  }
  if (!ok) put_ptr(out, arg);
  return ioctl_step::done;
}

}  // namespace snare::format::detail
