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
  movzwl %ax, %ecx
  lea snare_ig_v1_dispatch(%rip), %r11
  movzbl (%r11,%rcx), %ecx
  jrcxz 2f
  lea -1(%rcx), %rcx
  jrcxz 1f
  lea 8(%rsp), %rsp
  jmp snare_ig_v1_trapping_syscall
1:
  jmp snare_ig_v1_direct_syscall
2:
  lea -128(%rsp), %rsp
  pushfq
  cld
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
  mov snare_ig_v1_fast_mask(%rip), %rsi
  test %rsi, %rsi
  jz 7f
  mov $1, %ecx
  xgetbv
  shl $32, %rdx
  or %rdx, %rax
  mov %rsi, %rcx
  not %rcx
  test %rcx, %rax
  jnz 7f
  sub $2176, %rsp
  and $-64, %rsp
  mov %rax, 2112(%rsp)
  stmxcsr 2120(%rsp)
  test $0x40, %al
  jnz 11f
  test $0x4, %al
  jnz 12f
  movaps %xmm0, 0(%rsp)
  movaps %xmm1, 16(%rsp)
  movaps %xmm2, 32(%rsp)
  movaps %xmm3, 48(%rsp)
  movaps %xmm4, 64(%rsp)
  movaps %xmm5, 80(%rsp)
  movaps %xmm6, 96(%rsp)
  movaps %xmm7, 112(%rsp)
  movaps %xmm8, 128(%rsp)
  movaps %xmm9, 144(%rsp)
  movaps %xmm10, 160(%rsp)
  movaps %xmm11, 176(%rsp)
  movaps %xmm12, 192(%rsp)
  movaps %xmm13, 208(%rsp)
  movaps %xmm14, 224(%rsp)
  movaps %xmm15, 240(%rsp)
  jmp 13f
11:
  vmovdqa64 %zmm0, 0(%rsp)
  vmovdqa64 %zmm1, 64(%rsp)
  vmovdqa64 %zmm2, 128(%rsp)
  vmovdqa64 %zmm3, 192(%rsp)
  vmovdqa64 %zmm4, 256(%rsp)
  vmovdqa64 %zmm5, 320(%rsp)
  vmovdqa64 %zmm6, 384(%rsp)
  vmovdqa64 %zmm7, 448(%rsp)
  vmovdqa64 %zmm8, 512(%rsp)
  vmovdqa64 %zmm9, 576(%rsp)
  vmovdqa64 %zmm10, 640(%rsp)
  vmovdqa64 %zmm11, 704(%rsp)
  vmovdqa64 %zmm12, 768(%rsp)
  vmovdqa64 %zmm13, 832(%rsp)
  vmovdqa64 %zmm14, 896(%rsp)
  vmovdqa64 %zmm15, 960(%rsp)
  jmp 13f
12:
  vmovdqa %ymm0, 0(%rsp)
  vmovdqa %ymm1, 32(%rsp)
  vmovdqa %ymm2, 64(%rsp)
  vmovdqa %ymm3, 96(%rsp)
  vmovdqa %ymm4, 128(%rsp)
  vmovdqa %ymm5, 160(%rsp)
  vmovdqa %ymm6, 192(%rsp)
  vmovdqa %ymm7, 224(%rsp)
  vmovdqa %ymm8, 256(%rsp)
  vmovdqa %ymm9, 288(%rsp)
  vmovdqa %ymm10, 320(%rsp)
  vmovdqa %ymm11, 352(%rsp)
  vmovdqa %ymm12, 384(%rsp)
  vmovdqa %ymm13, 416(%rsp)
  vmovdqa %ymm14, 448(%rsp)
  vmovdqa %ymm15, 480(%rsp)
13:
  test $0x80, %al
  jz 14f
  vmovdqa64 %zmm16, 1024(%rsp)
  vmovdqa64 %zmm17, 1088(%rsp)
  vmovdqa64 %zmm18, 1152(%rsp)
  vmovdqa64 %zmm19, 1216(%rsp)
  vmovdqa64 %zmm20, 1280(%rsp)
  vmovdqa64 %zmm21, 1344(%rsp)
  vmovdqa64 %zmm22, 1408(%rsp)
  vmovdqa64 %zmm23, 1472(%rsp)
  vmovdqa64 %zmm24, 1536(%rsp)
  vmovdqa64 %zmm25, 1600(%rsp)
  vmovdqa64 %zmm26, 1664(%rsp)
  vmovdqa64 %zmm27, 1728(%rsp)
  vmovdqa64 %zmm28, 1792(%rsp)
  vmovdqa64 %zmm29, 1856(%rsp)
  vmovdqa64 %zmm30, 1920(%rsp)
  vmovdqa64 %zmm31, 1984(%rsp)
14:
  test $0x20, %al
  jz 15f
  kmovq %k0, 2048(%rsp)
  kmovq %k1, 2056(%rsp)
  kmovq %k2, 2064(%rsp)
  kmovq %k3, 2072(%rsp)
  kmovq %k4, 2080(%rsp)
  kmovq %k5, 2088(%rsp)
  kmovq %k6, 2096(%rsp)
  kmovq %k7, 2104(%rsp)
15:
  test $0x200, %eax
  jz 16f
  xor %ecx, %ecx
  rdpkru
  mov %eax, 2124(%rsp)
16:
  lea -112(%rbp), %rdi
  call snare_ig_v1_rewritten_entry
  mov 2112(%rsp), %rsi
  mov snare_ig_v1_fast_mask(%rip), %rdi
  cmpb $0, snare_ig_v1_exact_after(%rip)
  je 30f
  mov $1, %ecx
  xgetbv
  shl $32, %rdx
  or %rdx, %rax
  mov %rsi, %rcx
  not %rcx
  and %rcx, %rax
  jz 17f
  mov %rax, %rdx
  shr $32, %rdx
  xrstor64 snare_ig_v1_init_image(%rip)
  jmp 17f
30:
  fnstcw 2128(%rsp)
  fnstsw %ax
  cmpw $0x37f, 2128(%rsp)
  jne 31f
  test %ax, %ax
  jz 32f
31:
  mov $1, %eax
  xor %edx, %edx
  xrstor64 snare_ig_v1_init_image(%rip)
32:
  test $0x200, %edi
  jz 33f
  test $0x200, %esi
  jnz 33f
  xor %ecx, %ecx
  rdpkru
  test %eax, %eax
  jz 33f
  xor %eax, %eax
  xor %ecx, %ecx
  xor %edx, %edx
  wrpkru
33:
  test $0x20, %dil
  jz 34f
  test $0x20, %sil
  jnz 34f
  kxorw %k0, %k0, %k0
  kxorw %k1, %k1, %k1
  kxorw %k2, %k2, %k2
  kxorw %k3, %k3, %k3
  kxorw %k4, %k4, %k4
  kxorw %k5, %k5, %k5
  kxorw %k6, %k6, %k6
  kxorw %k7, %k7, %k7
34:
  test $0x80, %dil
  jz 17f
  test $0x80, %sil
  jnz 17f
  vpxord %zmm16, %zmm16, %zmm16
  vpxord %zmm17, %zmm17, %zmm17
  vpxord %zmm18, %zmm18, %zmm18
  vpxord %zmm19, %zmm19, %zmm19
  vpxord %zmm20, %zmm20, %zmm20
  vpxord %zmm21, %zmm21, %zmm21
  vpxord %zmm22, %zmm22, %zmm22
  vpxord %zmm23, %zmm23, %zmm23
  vpxord %zmm24, %zmm24, %zmm24
  vpxord %zmm25, %zmm25, %zmm25
  vpxord %zmm26, %zmm26, %zmm26
  vpxord %zmm27, %zmm27, %zmm27
  vpxord %zmm28, %zmm28, %zmm28
  vpxord %zmm29, %zmm29, %zmm29
  vpxord %zmm30, %zmm30, %zmm30
  vpxord %zmm31, %zmm31, %zmm31
17:
  test $0x200, %esi
  jz 18f
  xor %ecx, %ecx
  rdpkru
  cmp 2124(%rsp), %eax
  je 18f
  mov 2124(%rsp), %eax
  xor %ecx, %ecx
  xor %edx, %edx
  wrpkru
18:
  test $0x20, %sil
  jz 19f
  kmovq 2048(%rsp), %k0
  kmovq 2056(%rsp), %k1
  kmovq 2064(%rsp), %k2
  kmovq 2072(%rsp), %k3
  kmovq 2080(%rsp), %k4
  kmovq 2088(%rsp), %k5
  kmovq 2096(%rsp), %k6
  kmovq 2104(%rsp), %k7
19:
  test $0x80, %sil
  jz 20f
  vmovdqa64 1024(%rsp), %zmm16
  vmovdqa64 1088(%rsp), %zmm17
  vmovdqa64 1152(%rsp), %zmm18
  vmovdqa64 1216(%rsp), %zmm19
  vmovdqa64 1280(%rsp), %zmm20
  vmovdqa64 1344(%rsp), %zmm21
  vmovdqa64 1408(%rsp), %zmm22
  vmovdqa64 1472(%rsp), %zmm23
  vmovdqa64 1536(%rsp), %zmm24
  vmovdqa64 1600(%rsp), %zmm25
  vmovdqa64 1664(%rsp), %zmm26
  vmovdqa64 1728(%rsp), %zmm27
  vmovdqa64 1792(%rsp), %zmm28
  vmovdqa64 1856(%rsp), %zmm29
  vmovdqa64 1920(%rsp), %zmm30
  vmovdqa64 1984(%rsp), %zmm31
20:
  test $0x40, %sil
  jnz 21f
  test $0x4, %sil
  jnz 22f
  test $0x4, %dil
  jnz 24f
  movaps 0(%rsp), %xmm0
  movaps 16(%rsp), %xmm1
  movaps 32(%rsp), %xmm2
  movaps 48(%rsp), %xmm3
  movaps 64(%rsp), %xmm4
  movaps 80(%rsp), %xmm5
  movaps 96(%rsp), %xmm6
  movaps 112(%rsp), %xmm7
  movaps 128(%rsp), %xmm8
  movaps 144(%rsp), %xmm9
  movaps 160(%rsp), %xmm10
  movaps 176(%rsp), %xmm11
  movaps 192(%rsp), %xmm12
  movaps 208(%rsp), %xmm13
  movaps 224(%rsp), %xmm14
  movaps 240(%rsp), %xmm15
  jmp 23f
21:
  vmovdqa64 0(%rsp), %zmm0
  vmovdqa64 64(%rsp), %zmm1
  vmovdqa64 128(%rsp), %zmm2
  vmovdqa64 192(%rsp), %zmm3
  vmovdqa64 256(%rsp), %zmm4
  vmovdqa64 320(%rsp), %zmm5
  vmovdqa64 384(%rsp), %zmm6
  vmovdqa64 448(%rsp), %zmm7
  vmovdqa64 512(%rsp), %zmm8
  vmovdqa64 576(%rsp), %zmm9
  vmovdqa64 640(%rsp), %zmm10
  vmovdqa64 704(%rsp), %zmm11
  vmovdqa64 768(%rsp), %zmm12
  vmovdqa64 832(%rsp), %zmm13
  vmovdqa64 896(%rsp), %zmm14
  vmovdqa64 960(%rsp), %zmm15
  jmp 23f
22:
  vmovdqa 0(%rsp), %ymm0
  vmovdqa 32(%rsp), %ymm1
  vmovdqa 64(%rsp), %ymm2
  vmovdqa 96(%rsp), %ymm3
  vmovdqa 128(%rsp), %ymm4
  vmovdqa 160(%rsp), %ymm5
  vmovdqa 192(%rsp), %ymm6
  vmovdqa 224(%rsp), %ymm7
  vmovdqa 256(%rsp), %ymm8
  vmovdqa 288(%rsp), %ymm9
  vmovdqa 320(%rsp), %ymm10
  vmovdqa 352(%rsp), %ymm11
  vmovdqa 384(%rsp), %ymm12
  vmovdqa 416(%rsp), %ymm13
  vmovdqa 448(%rsp), %ymm14
  vmovdqa 480(%rsp), %ymm15
  jmp 23f
24:
  vmovdqa 0(%rsp), %xmm0
  vmovdqa 16(%rsp), %xmm1
  vmovdqa 32(%rsp), %xmm2
  vmovdqa 48(%rsp), %xmm3
  vmovdqa 64(%rsp), %xmm4
  vmovdqa 80(%rsp), %xmm5
  vmovdqa 96(%rsp), %xmm6
  vmovdqa 112(%rsp), %xmm7
  vmovdqa 128(%rsp), %xmm8
  vmovdqa 144(%rsp), %xmm9
  vmovdqa 160(%rsp), %xmm10
  vmovdqa 176(%rsp), %xmm11
  vmovdqa 192(%rsp), %xmm12
  vmovdqa 208(%rsp), %xmm13
  vmovdqa 224(%rsp), %xmm14
  vmovdqa 240(%rsp), %xmm15
23:
  ldmxcsr 2120(%rsp)
  jmp 8f
7:
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
8:
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
  popfq
  lea 128(%rsp), %rsp
  ret
  .popsection
)");
// clang-format on

// snare_ig_v1_copy(dst, src, n): copies n bytes with `rep movsb` and returns 0. A fault of that
//   one instruction (its address is snare_ig_v1_copy_fault) is resumed by the runtime's SIGSEGV
//   and SIGBUS handlers at snare_ig_v1_copy_fixup, which returns -EFAULT (-14): the kernel's
//   copy_from_user, with its exception table of one entry. No syscall: any section would do.
// clang-format off
asm(R"(
  .pushsection .text.snare_ig_v1_copy,"axG",@progbits,snare_ig_v1_copy_group,comdat
  .globl snare_ig_v1_copy, snare_ig_v1_copy_fault, snare_ig_v1_copy_fixup
  .hidden snare_ig_v1_copy, snare_ig_v1_copy_fault, snare_ig_v1_copy_fixup
  .type snare_ig_v1_copy, @function
  .p2align 4
snare_ig_v1_copy:
  mov %rdx, %rcx
  cld
snare_ig_v1_copy_fault:
  rep movsb
  xor %eax, %eax
  ret
snare_ig_v1_copy_fixup:
  mov $-14, %rax
  ret
  .size snare_ig_v1_copy, . - snare_ig_v1_copy
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
[[gnu::visibility("hidden")]] long snare_ig_v1_copy(void* dst, const void* src, unsigned long n) noexcept;
[[gnu::visibility("hidden")]] extern char snare_ig_v1_copy_fault[];
[[gnu::visibility("hidden")]] extern char snare_ig_v1_copy_fixup[];
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
// What the trampoline does with number n, at index n % 65536 (read without touching the flags:
// movzwl, movzbl, jrcxz): 0 the hooks, 1 `syscall; ret` (snare_ig_v1_direct), 2 rt_sigreturn
// (15). Built from snare_ig_v1_direct by setup_rewriting().
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned char snare_ig_v1_dispatch[65536] = {};
// The extended-state components the trampoline saves by hand when they are the only ones in use
// (XINUSE, read by `xgetbv` with ecx 1): SSE 1, AVX 2, AVX-512 opmask 5, ZMM_Hi256 6, Hi16_ZMM 7,
// PKRU 9, those of them XCR0 enables; 0: always xsavec/xsave (no XGETBV ecx=1). Set by install().
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned long snare_ig_v1_fast_mask = 0;
// Whether XCR0 enables a component the fast path neither saves nor puts back in its initial state
// itself (AMX, MPX, opmask without AVX512BW...): then the trampoline reads XINUSE again after the
// hooks and puts every component they brought into use back in its initial state. Set by install().
[[gnu::used, gnu::visibility("hidden")]] inline constinit unsigned char snare_ig_v1_exact_after = 1;
// An xsave image (standard form, legacy area and header) whose header's XSTATE_BV is 0: xrstor
// from it with a component's bit in edx:eax puts that component in its initial state. MXCSR
// (bytes 24..27) holds its initial 0x1f80, since xrstor loads it when it restores SSE or AVX.
struct alignas(64) snare_ig_v1_xsave_image {
  unsigned char bytes[576];
};
[[gnu::used, gnu::visibility("hidden")]] inline constinit snare_ig_v1_xsave_image snare_ig_v1_init_image = {
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x1f}};
}
