// Defines the in-guest runtime's own code (top-level asm): the untrapped syscall, the signal
// restorer, the clone stub, the trampoline of rewritten sites; and their C++ declarations.
// The stubs call snare_ig_v1_child_entry and snare_ig_v1_rewritten_entry, defined in
// runtime/runtime.hpp: include that header, not this one.
#pragma once

// The runtime's own code: every syscall instruction the runtime executes is in this section,
// whose bounds are SUD's always-allowed range, so they are never trapped whatever the selector
// says. Header-only with one definition per shared object: the block is a COMDAT group
// (`.section ...,"axG",...,comdat`), so the linker keeps one copy however many translation
// units include this header; its symbols are hidden (each shared object has its own runtime)
// and versioned in their names (`snare_ig_v1_*`), as the C++ side is by its inline namespace
// (snare::in_guest::detail::v1): a change of the register block or the frame layouts bumps both.
//
// snare_ig_v1_syscall(nr, a0..a5): the plain call (x86-64 C ABI in, syscall ABI out);
//   snare_ig_v1_syscall_ip is the ip after its `syscall` (what seccomp_data holds for it).
// snare_ig_v1_int80(nr, a0..a5): a 32-bit call (`int $0x80`, i386 numbers and registers: eax,
//   ebx, ecx, edx, esi, edi, ebp), as a 64-bit guest may make one.
// snare_ig_v1_restorer: the sa_restorer of every handler the runtime registers (rt_sigreturn
//   from inside the allowed range), and where a trapped rt_sigreturn of the guest is redone.
// snare_ig_v1_clone(nr, a0..a5): clone/clone3 with a new stack. The parent returns the result;
//   the child (rax 0, rsp = the new stack) finds the register block the parent wrote at
//   ((stack - 512) & ~15), calls snare_ig_v1_child_entry on the stack below it (SUD on, hooks),
//   then loads the guest's registers, rax 0, rsp = the new stack, and jumps to the guest's ip,
//   which the parent also stored at stack - 8: inside the 128-byte red zone, which the kernel
//   leaves alone when it pushes a signal frame, so a signal between `mov ...,%rsp` and `jmp`
//   cannot overwrite it.
// snare_ig_v1_trampoline (outside the allowed range; it makes no call itself): where page 0's
//   nop sled leads a rewritten site (`call *%rax`, return address = the site + 2). It keeps the
//   rest of the red zone (128 bytes down first), all general registers and the extended state
//   (xsavec64 or xsave64, whose size install() reads from CPUID leaf 0xd), calls snare_ig_v1_rewritten_entry
//   with the saved registers and returns the result in rax. An rt_sigreturn reaching it (a site
//   rewritten for another number) goes back to the guest's stack and through
//   snare_ig_v1_trapping_syscall, a syscall instruction outside the allowed range that SUD traps
//   and that is never rewritten, so the SIGSYS path redoes it exactly. A number set in
//   snare_ig_v1_direct (no hook wants it, the runtime need not see it) goes straight to
//   snare_ig_v1_direct_syscall: `syscall; ret` inside the allowed range, registers untouched.
// Block layout (8-byte slots): 0 1 for a child without CLONE_VM (it frees the rewrite lock),
//   1 rdi, 2 rsi, 3 rdx, 4 r10, 5 r8, 6 r9, 7 rbx, 8 rbp, 9 r12, 10 r13, 11 r14, 12 r15, 13 rcx,
//   14 r11, 15 rsp, 16 rip, 17 kind (1 thread, 0 process),
//   18 the signal mask to give the child (the parent blocks every signal but SIGSYS around the
//   call, so no signal frame lands on the block before the child has left it behind), 19 the
//   guest's MXCSR, 20 its x87 control word (loaded before the jump).
// clang-format off
asm(R"(
  .pushsection .text.snare_ig_v1,"axG",@progbits,snare_ig_v1_group,comdat
  .globl snare_ig_v1_begin, snare_ig_v1_end, snare_ig_v1_syscall, snare_ig_v1_restorer, snare_ig_v1_clone
  .hidden snare_ig_v1_begin, snare_ig_v1_end, snare_ig_v1_syscall, snare_ig_v1_restorer, snare_ig_v1_clone
  .globl snare_ig_v1_direct_syscall, snare_ig_v1_syscall_ip, snare_ig_v1_int80
  .hidden snare_ig_v1_direct_syscall, snare_ig_v1_syscall_ip, snare_ig_v1_int80
  .type snare_ig_v1_syscall, @function
  .type snare_ig_v1_clone, @function
  .p2align 4
snare_ig_v1_begin:
snare_ig_v1_syscall:
  mov %rdi, %rax
  mov %rsi, %rdi
  mov %rdx, %rsi
  mov %rcx, %rdx
  mov %r8, %r10
  mov %r9, %r8
  mov 8(%rsp), %r9
  syscall
snare_ig_v1_syscall_ip:
  ret
  .p2align 4
snare_ig_v1_restorer:
  mov $15, %eax
  syscall
  hlt
  .p2align 4
snare_ig_v1_int80:
  push %rbx
  push %rbp
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rdi, %rax
  mov %rsi, %rbx
  mov %rcx, %r10
  mov %rdx, %rcx
  mov %r10, %rdx
  mov %r8, %rsi
  mov %r9, %rdi
  mov 56(%rsp), %rbp
  int $0x80
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbp
  pop %rbx
  ret
  .p2align 4
snare_ig_v1_direct_syscall:
  syscall
  ret
  .p2align 4
snare_ig_v1_clone:
  mov %rdi, %rax
  mov %rsi, %rdi
  mov %rdx, %rsi
  mov %rcx, %rdx
  mov %r8, %r10
  mov %r9, %r8
  mov 8(%rsp), %r9
  syscall
  test %rax, %rax
  jnz 1f
  lea -512(%rsp), %rdi
  and $-16, %rdi
  mov %rdi, %rsp
  call snare_ig_v1_child_entry
  mov %rax, %rsp
  ldmxcsr 152(%rsp)
  fldcw 160(%rsp)
  mov 8(%rsp), %rdi
  mov 16(%rsp), %rsi
  mov 24(%rsp), %rdx
  mov 32(%rsp), %r10
  mov 40(%rsp), %r8
  mov 48(%rsp), %r9
  mov 56(%rsp), %rbx
  mov 64(%rsp), %rbp
  mov 72(%rsp), %r12
  mov 80(%rsp), %r13
  mov 88(%rsp), %r14
  mov 96(%rsp), %r15
  mov 104(%rsp), %rcx
  mov 112(%rsp), %r11
  xor %eax, %eax
  mov 120(%rsp), %rsp
  jmp *-8(%rsp)
1:
  ret
snare_ig_v1_end:
  .popsection

  .pushsection .text.snare_ig_v1_outside,"axG",@progbits,snare_ig_v1_outside_group,comdat
  .globl snare_ig_v1_trapping_syscall, snare_ig_v1_trampoline
  .hidden snare_ig_v1_trapping_syscall, snare_ig_v1_trampoline
  .p2align 4
snare_ig_v1_trapping_syscall:
  syscall
  ud2
  .p2align 4
snare_ig_v1_trampoline:
  cmp $15, %rax
  jne 1f
  add $8, %rsp
  jmp snare_ig_v1_trapping_syscall
1:
  cmp $512, %rax
  jae 2f
  bt %rax, snare_ig_v1_direct(%rip)
  jc snare_ig_v1_direct_syscall
2:
  lea -128(%rsp), %rsp
  push %rbp
  mov %rsp, %rbp
  push %rax
  push %rbx
  push %rcx
  push %rdx
  push %rsi
  push %rdi
  push %r8
  push %r9
  push %r10
  push %r11
  push %r12
  push %r13
  push %r14
  push %r15
  mov snare_ig_v1_xsave_size(%rip), %rcx
  sub %rcx, %rsp
  and $-64, %rsp
  xor %eax, %eax
  mov %rax, 512(%rsp)
  mov %rax, 520(%rsp)
  mov %rax, 528(%rsp)
  mov %rax, 536(%rsp)
  mov %rax, 544(%rsp)
  mov %rax, 552(%rsp)
  mov %rax, 560(%rsp)
  mov %rax, 568(%rsp)
  mov $-1, %eax
  mov $-1, %edx
  cmpb $0, snare_ig_v1_xsavec(%rip)
  je 2f
  xsavec64 (%rsp)
  jmp 3f
2:
  xsave64 (%rsp)
3:
  lea -112(%rbp), %rdi
  call snare_ig_v1_rewritten_entry
  mov $-1, %eax
  mov $-1, %edx
  xrstor64 (%rsp)
  lea -112(%rbp), %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %r11
  pop %r10
  pop %r9
  pop %r8
  pop %rdi
  pop %rsi
  pop %rdx
  pop %rcx
  pop %rbx
  pop %rax
  pop %rbp
  lea 128(%rsp), %rsp
  ret
  .popsection
)");
// clang-format on

namespace snare::in_guest::detail {
inline namespace v1 {

extern "C" {
[[gnu::visibility("hidden")]] long snare_ig_v1_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
                                                       long a5) noexcept;
[[gnu::visibility("hidden")]] long snare_ig_v1_clone(long nr, long a0, long a1, long a2, long a3, long a4,
                                                     long a5) noexcept;
[[gnu::visibility("hidden")]] long snare_ig_v1_int80(long nr, long a0, long a1, long a2, long a3, long a4,
                                                     long a5) noexcept;
[[gnu::visibility("hidden")]] void snare_ig_v1_restorer() noexcept;
[[gnu::visibility("hidden")]] void snare_ig_v1_trampoline() noexcept;
[[gnu::visibility("hidden")]] extern char snare_ig_v1_trapping_syscall[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_syscall_ip[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_begin[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_end[];
}

}  // namespace v1
}  // namespace snare::in_guest::detail

// The xsave area's size for the trampoline (CPUID leaf 0xd, set by install()).
extern "C" {
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned long snare_ig_v1_xsave_size = 4096;
// Whether the trampoline saves with xsavec (compacted: components in their initial state, such
// as unused AVX-512 registers, cost nothing); xrstor reads either form.
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned char snare_ig_v1_xsavec = 0;
// The numbers [0, 512) a rewritten site runs directly (install_options::interest lacks them and
// the runtime does not handle them itself), one bit each.
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned long snare_ig_v1_direct[8] = {};
}
