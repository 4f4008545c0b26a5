// Defines snare::probe(id, args...), the header guest programs include to send an event to
// the host tool: one hypercall under the hypercall (KVM) backend, a harmless -ENOSYS
// elsewhere. It needs nothing but the compiler and also compiles as C (snare_probe()), so
// musl-gcc and freestanding guests can use it.
#pragma once

/* The syscall number a probe uses. No Linux syscall has it (numbers stay far below it, and
   bit 30, the x32 marker, is clear), so outside the VM the kernel answers -ENOSYS and
   nothing else happens; inside the VM the guest kernel's syscall entry turns it into a VM
   exit that the host reports as a probe event. */
#define SNARE_PROBE_SYSCALL_NUMBER 0x0FF5EA00L

/* C++ gives the function external (inline) linkage so that snare::probe, an inline
   template, names the same function in every translation unit; C keeps it static. */
#ifdef __cplusplus
#define SNARE_PROBE_LINKAGE inline
#else
#define SNARE_PROBE_LINKAGE static inline
#endif

/* Fires probe `id` with five integer arguments (id in rdi, arguments in rsi rdx r10 r8 r9).
   Returns 0 when a host tool received it, a negative errno otherwise (-ENOSYS natively). */
SNARE_PROBE_LINKAGE long snare_probe(unsigned long id, unsigned long a0, unsigned long a1, unsigned long a2,
                                     unsigned long a3, unsigned long a4) {
  long ret;
  register unsigned long r10 __asm__("r10") = a2;
  register unsigned long r8 __asm__("r8") = a3;
  register unsigned long r9 __asm__("r9") = a4;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(SNARE_PROBE_SYSCALL_NUMBER), "D"(id), "S"(a0), "d"(a1), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

#ifdef __cplusplus
namespace snare {

/// The syscall number a probe uses (see SNARE_PROBE_SYSCALL_NUMBER).
inline constexpr long probe_syscall_number = SNARE_PROBE_SYSCALL_NUMBER;

/// Fires probe `id` with up to five integer arguments (pointers and enums convert).
/// Returns 0 when a host tool received it (hypercall backend), a negative errno otherwise
/// (-ENOSYS natively; under the ptrace/seccomp backends it is a syscall like any other).
template <class... Args>
inline long probe(unsigned long id, Args... args) noexcept {
  static_assert(sizeof...(Args) <= 5, "snare::probe takes an id and at most 5 arguments");
  unsigned long v[5] = {(unsigned long)(args)...};
  return snare_probe(id, v[0], v[1], v[2], v[3], v[4]);
}

}  // namespace snare
#endif
