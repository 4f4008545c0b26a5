// Defines the micro-VM's guest "kernel": the layout of its 64 KiB area (page tables, GDT,
// TSS, IDT, code, stack), the machine code as a commented byte table, and the builder that
// writes all of it into guest memory.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace snare::backend::hypercall_detail {

/// The I/O ports the guest kernel writes to from CPL0; each `out` is one VM exit to the host.
enum hypercall_port : std::uint16_t {
  port_exception = 0x11,  ///< a CPU exception: [rsp] = vector, [rsp+8] = error code, then the iret frame
  port_cpuid = 0x12,      ///< the answer of the CPL0 cpuid the host asked for, in rax..rdx
};

/// The guest-physical address whose write is the syscall hypercall. No memory slot covers
/// it, so the one-byte store at LSTAR is an MMIO exit to the host: rax = number, rdi..r9 =
/// arguments, rcx/r11 = the user's rip/rflags.
///
/// Why MMIO and not `out` here: this machine's /dev/kvm is PVM (kvm_pvm, a software
/// hypervisor for nested clouds). It delivers `syscall` to LSTAR but leaves the vCPU at
/// CPL3, so `out` and `sysretq` at LSTAR raise #GP; a store to an unbacked address exits
/// at any privilege level. Exceptions are delivered at CPL0 there, so their stubs use `out`.
inline constexpr std::uint64_t syscall_mmio_address = 0xF0000000;

/// Says how the syscall entry returns to the user.
enum class syscall_return : std::uint8_t {
  sysret,    ///< hardware KVM (SVM/VMX): LSTAR runs at CPL0, sysretq goes back to CPL3
  jump_rcx,  ///< PVM: LSTAR runs at the user's CPL3, a plain jmp *%rcx goes back
};

/// Where each part of the guest kernel lives, as offsets from the kernel area's base.
struct kernel_layout {
  static constexpr std::uint64_t pml4 = 0x0000;
  static constexpr std::uint64_t pdpt = 0x1000;
  static constexpr std::uint64_t pd = 0x2000;  ///< four page directories: 0-4 GiB in 2 MiB pages
  static constexpr std::uint64_t gdt = 0x6000;
  static constexpr std::uint64_t tss = 0x6100;
  static constexpr std::uint64_t idt = 0x7000;
  static constexpr std::uint64_t code = 0x8000;
  static constexpr std::uint64_t stack_top = 0xC000;
  static constexpr std::uint64_t size = 0x10000;

  // Offsets inside the code block.
  static constexpr std::uint64_t syscall_entry = 0x00;
  static constexpr std::uint64_t cpuid_helper = 0x10;
  static constexpr std::uint64_t exception_common = 0x20;
  static constexpr std::uint64_t exception_return = 0x22;
  static constexpr std::uint64_t exception_stubs = 0x40;  ///< stub for vector v at +v*16
  static constexpr int vectors = 32;

  // GDT selectors. STAR makes syscall load CS=0x08/SS=0x10 and sysret CS=0x23/SS=0x1b.
  static constexpr std::uint16_t kernel_cs = 0x08;
  static constexpr std::uint16_t kernel_ss = 0x10;
  static constexpr std::uint16_t user_ss = 0x18 | 3;
  static constexpr std::uint16_t user_cs = 0x20 | 3;
  static constexpr std::uint16_t tss_sel = 0x28;
};

/// Says whether the CPU pushes an error code for exception `vector`.
constexpr bool has_error_code(int vector) noexcept {
  return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 ||
         vector == 30;
}

/// Returns the guest kernel's machine code, position-independent, to copy at kernel_layout::code.
/// Every instruction is listed with its encoding; tests/hypercall/guest_kernel.S is the same
/// code in assembler, and a test checks that `as` produces these exact bytes.
constexpr std::array<std::uint8_t, 0x240> guest_kernel_code(syscall_return how) noexcept {
  std::array<std::uint8_t, 0x240> c{};
  for (auto& b : c) b = 0xCC;  // int3 padding
  auto put = [&c](std::size_t at, std::initializer_list<std::uint8_t> bytes) {
    for (auto b : bytes) c[at++] = b;
    return at;
  };
  // syscall_entry (LSTAR): the user's rcx/r11 hold its rip/rflags; no stack is touched
  // (SFMASK is 0, so the user's flags are still live). The host runs the call and sets rax.
  std::size_t at =
      put(kernel_layout::syscall_entry, {
                                            0xA2, 0x00, 0x00, 0x00, 0xF0,  // movabs %al, 0xF0000000
                                            0x00, 0x00, 0x00, 0x00,        //   (syscall_mmio_address)
                                        });
  if (how == syscall_return::sysret)
    put(at, {0x48, 0x0F, 0x07});  // sysretq
  else
    put(at, {0xFF, 0xE1});  // jmp *%rcx
  // cpuid_helper: the host points rip here when the user's cpuid faulted (CPUID faulting
  // is on, so cpuid at CPL3 raises #GP); KVM answers it at CPL0, the host edits the answer.
  put(kernel_layout::cpuid_helper, {
                                       0x0F, 0xA2,        // cpuid
                                       0xE6, port_cpuid,  // out port_cpuid, al
                                       0xEB, 0x0C,        // jmp exception_return (0x16 + 0x0C = 0x22)
                                   });
  // exception_common: the stack holds vector, error code, then the CPU's iret frame.
  put(kernel_layout::exception_common, {
                                           0xE6, port_exception,    // out port_exception, al
                                           0x48, 0x83, 0xC4, 0x10,  // exception_return: add rsp, 16
                                           0x48, 0xCF,              // iretq
                                       });
  // One stub per vector: push a zero error code where the CPU does not, push the vector,
  // jump to exception_common.
  for (int v = 0; v < kernel_layout::vectors; ++v) {
    std::size_t at = kernel_layout::exception_stubs + static_cast<std::size_t>(v) * 16;
    if (!has_error_code(v)) at = put(at, {0x6A, 0x00});  // push 0
    at = put(at, {0x6A, static_cast<std::uint8_t>(v)});  // push v
    auto rel = static_cast<std::int32_t>(kernel_layout::exception_common) - static_cast<std::int32_t>(at + 5);
    auto u = static_cast<std::uint32_t>(rel);
    put(at, {0xE9, static_cast<std::uint8_t>(u), static_cast<std::uint8_t>(u >> 8),  // jmp exception_common
             static_cast<std::uint8_t>(u >> 16), static_cast<std::uint8_t>(u >> 24)});
  }
  return c;
}

/// Writes page tables, GDT, TSS, IDT and code into the kernel area at host address `area`,
/// which is also its guest-physical and guest-virtual address (identity mapping). The
/// page tables map guest-virtual 0-4 GiB onto guest-physical 0-4 GiB, user-accessible.
inline void build_guest_kernel(std::uint8_t* area, std::uint64_t base, syscall_return how) noexcept {
  std::memset(area, 0, kernel_layout::size);
  auto put64 = [area](std::uint64_t off, std::uint64_t v) { std::memcpy(area + off, &v, 8); };
  constexpr std::uint64_t present = 1, writable = 2, user = 4, large = 0x80;
  put64(kernel_layout::pml4, (base + kernel_layout::pdpt) | present | writable | user);
  for (std::uint64_t gib = 0; gib < 4; ++gib) {
    std::uint64_t pd = kernel_layout::pd + gib * 0x1000;
    put64(kernel_layout::pdpt + gib * 8, (base + pd) | present | writable | user);
    for (std::uint64_t i = 0; i < 512; ++i)
      put64(pd + i * 8, ((gib << 30) + (i << 21)) | present | writable | user | large);
  }
  // GDT: null, kernel code64, kernel data, user data, user code64, 16-byte TSS.
  put64(kernel_layout::gdt + 0x00, 0);
  put64(kernel_layout::gdt + 0x08, 0x00AF9B000000FFFFull);
  put64(kernel_layout::gdt + 0x10, 0x00CF93000000FFFFull);
  put64(kernel_layout::gdt + 0x18, 0x00CFF3000000FFFFull);
  put64(kernel_layout::gdt + 0x20, 0x00AFFB000000FFFFull);
  std::uint64_t tss = base + kernel_layout::tss;
  std::uint64_t tss_lo = 0x67 | ((tss & 0xFFFFFF) << 16) | (0x8Bull << 40) | (((tss >> 24) & 0xFF) << 56);
  put64(kernel_layout::gdt + 0x28, tss_lo);
  put64(kernel_layout::gdt + 0x30, tss >> 32);
  // TSS: rsp0 is the kernel stack used by exceptions taken at CPL3; no I/O bitmap.
  put64(kernel_layout::tss + 4, base + kernel_layout::stack_top);
  std::uint16_t iomap = 0x68;
  std::memcpy(area + kernel_layout::tss + 0x66, &iomap, 2);
  // IDT: 64-bit interrupt gates (DPL0) to the stubs.
  for (int v = 0; v < kernel_layout::vectors; ++v) {
    std::uint64_t target =
        base + kernel_layout::code + kernel_layout::exception_stubs + static_cast<std::uint64_t>(v) * 16;
    std::uint64_t lo = (target & 0xFFFF) | (std::uint64_t{kernel_layout::kernel_cs} << 16) | (0x8Eull << 40) |
                       (((target >> 16) & 0xFFFF) << 48);
    put64(kernel_layout::idt + static_cast<std::uint64_t>(v) * 16, lo);
    put64(kernel_layout::idt + static_cast<std::uint64_t>(v) * 16 + 8, target >> 32);
  }
  const auto code = guest_kernel_code(how);
  std::memcpy(area + kernel_layout::code, code.data(), code.size());
}

}  // namespace snare::backend::hypercall_detail
