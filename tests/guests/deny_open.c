// Guest: tries to open its argv[1] four ways: libc open (openat), syscall(SYS_open), the
// i386 ABI through int 0x80 (open = 5), and the x32 ABI (openat | 0x40000000). Prints one
// line per way ("way result") and exits with the count of ways that opened the file.
// argv[2] "no-int80" leaves out int 0x80, which kills the caller on a kernel without it.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long int80_open(const char* path) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(5L), "b"(path), "c"(0L), "d"(0L) : "memory");
  return ret;
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  int try_int80 = !(argc > 2 && strcmp(argv[2], "no-int80") == 0);
  int opened = 0;
  long r = open(argv[1], O_RDONLY);
  printf("openat %ld\n", r);
  opened += r >= 0;
  r = syscall(SYS_open, argv[1], O_RDONLY);
  printf("open %ld\n", r);
  opened += r >= 0;
  // int 0x80 takes 32-bit pointers: copy the path below 4 GiB.
  char* low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return 101;
  strncpy(low, argv[1], 4095);
  if (try_int80) {
    r = int80_open(low);
    printf("int80 %ld\n", r);
    opened += r >= 0;
  }
  r = syscall(257 | 0x40000000, AT_FDCWD, argv[1], O_RDONLY);
  printf("x32 %ld\n", r);
  opened += r >= 0;
  fflush(stdout);
  return opened;
}
