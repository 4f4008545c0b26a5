// Guest: calls getppid (where a tool may arm a precise timer), runs argv[1] (default 10^6)
// iterations of a loop whose only conditional branch is its own jump, calls getppid again,
// exits 0. No syscall between the two getppid calls but those of the syscall wrapper.
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  if (n < 1) n = 1;
  syscall(SYS_getppid);
  __asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
  syscall(SYS_getppid);
  return 0;
}
