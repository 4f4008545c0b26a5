// Guest: calls getppid with 4242 in r12, a register the syscall instruction keeps (only rax,
// rcx and r11 change: x86-64 psABI A.2.1); exits 0 when r12 holds 4243 afterwards (a handler
// wrote the register), 1 when it still holds 4242, 2 for anything else.
#define _GNU_SOURCE
#include <sys/syscall.h>

int main(void) {
  register long r12 __asm__("r12") = 4242;
  long ret = SYS_getppid;
  __asm__ volatile("syscall" : "+a"(ret), "+r"(r12) : : "rcx", "r11", "memory");
  (void)ret;
  return r12 == 4243 ? 0 : r12 == 4242 ? 1 : 2;
}
