# The hypercall backend's guest kernel code in assembler: the reference for the byte table
# in include/snare/backend/hypercall/detail/guest_kernel.hpp (guest_kernel_code()). The test
# "the guest kernel table is what the assembler makes of guest_kernel.S" assembles this file
# twice (SYSRET=0: PVM flavour, SYSRET=1: hardware KVM flavour) and compares the bytes.
        .text
        .code64
syscall_entry:                          # LSTAR; rcx/r11 = the user's rip/rflags
        movabs  %al, 0xF0000000         # syscall_mmio_address: an MMIO exit, the host runs the call
.if SYSRET
        sysretq                         # hardware KVM: LSTAR ran at CPL0
.else
        jmp     *%rcx                   # PVM: LSTAR ran at the user's CPL3
.endif
        .org    0x10, 0xCC
cpuid_helper:                           # the host sends rip here after a trapped user cpuid
        cpuid
        outb    %al, $0x12              # port_cpuid: the host edits KVM's answer
        jmp     exception_return
        .org    0x20, 0xCC
exception_common:                       # [rsp] = vector, [rsp+8] = error code, iret frame
        outb    %al, $0x11              # port_exception
exception_return:
        add     $16, %rsp
        iretq

.macro  stub v
        .org    0x40 + \v * 16, 0xCC
.if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
.else
        push    $0                      # no error code from the CPU: push one
.endif
        push    $\v
        .byte   0xE9                    # jmp exception_common (rel32)
        .long   exception_common - (. + 4)
.endm

        .irp    v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        stub    \v
        .endr
        .org    0x240, 0xCC
