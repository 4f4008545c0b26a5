/* A guest program that exercises brk, mmap, munmap, mprotect, mremap and file mappings,
   printing what it observes; the test compares the output with a native run. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  (void)argc;
  /* brk: grow, write, shrink, grow again reads zeros */
  char* b0 = (char*)syscall(SYS_brk, 0);
  char* b1 = (char*)syscall(SYS_brk, b0 + 3 * 4096);
  printf("brk grows: %d\n", b1 == b0 + 3 * 4096);
  memset(b0, 0x5a, 3 * 4096);
  syscall(SYS_brk, b0);
  syscall(SYS_brk, b0 + 3 * 4096);
  printf("brk regrown zero: %d\n", b0[4096 + 17] == 0);
  /* anonymous mmap is zeroed and writable */
  size_t len = 5 * 4096;
  unsigned char* m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int zero = 1;
  for (size_t i = 0; i < len; ++i) zero &= m[i] == 0;
  printf("mmap ok: %d zeroed: %d\n", m != MAP_FAILED, zero);
  memset(m, 7, len);
  printf("mprotect: %d\n", mprotect(m, 4096, PROT_READ));
  /* munmap then mmap again: fresh zero pages */
  printf("munmap: %d\n", munmap(m, len));
  unsigned char* m2 = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  zero = 1;
  for (size_t i = 0; i < len; ++i) zero &= m2[i] == 0;
  printf("remapped zeroed: %d\n", zero);
  /* mremap keeps the contents */
  memset(m2, 3, len);
  unsigned char* m3 = mremap(m2, len, 64 * 4096, MREMAP_MAYMOVE);
  printf("mremap ok: %d kept: %d\n", m3 != MAP_FAILED, m3[len - 1] == 3 && m3[0] == 3);
  munmap(m3, 64 * 4096);
  /* a file mapping sees the file */
  int fd = open(argv[0], O_RDONLY);
  unsigned char* f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  printf("file map: %d elf magic: %d\n", f != MAP_FAILED, f != MAP_FAILED && memcmp(f, "\177ELF", 4) == 0);
  close(fd);
  /* unmapping nothing, bad arguments */
  printf("munmap unaligned: %d\n", munmap((char*)f + 1, 4096) == -1);
  printf("done\n");
  return 0;
}
