/* A guest program that uses thread-local storage (set up with arch_prctl(ARCH_SET_FS) by
   the C library) and reads its fs base back. */
#define _GNU_SOURCE
#define ARCH_GET_FS 0x1003 /* <asm/prctl.h>, absent from musl */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread int counter = 40;
static __thread char name[16] = "tls";

int main(void) {
  counter += 2;
  unsigned long fs = 0;
  syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
  printf("%s %d fs_set=%d\n", name, counter, fs != 0);
  printf("errno-is-tls=%d\n", syscall(SYS_arch_prctl, 0x9999, 0) == -1);
  return counter;
}
