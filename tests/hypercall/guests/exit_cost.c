/* A guest program for tests/hypercall/exit_cost.cpp: runs one kind of VM exit N times and
   prints "<method> <N> <ns per exit>". Methods: getppid (a forwarded syscall: the full
   hypercall path), probe (snare::probe: a syscall the host answers itself), mmio (a store to
   unbacked guest memory from user mode), pio (an `out` from user mode: #GP, then the
   guest kernel's exception stub exits with `out`), int3 (#BP through the same stub),
   vmmcall, cpuid and rdtsc (to see whether they exit at all). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <snare/guest_probe.hpp>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const char* m = argv[1];
  long n = atol(argv[2]);
  long long t0 = now_ns();
  for (long i = 0; i < n; ++i) {
    if (!strcmp(m, "getppid")) {
      syscall(SYS_getppid);
    } else if (!strcmp(m, "probe")) {
      snare_probe(1, 0, 0, 0, 0, 0);
    } else if (!strcmp(m, "mmio")) {
      *(volatile unsigned char*)0xF0001000UL = 1;
    } else if (!strcmp(m, "pio")) {
      __asm__ volatile("outb %%al, $0x20" ::"a"(0));
    } else if (!strcmp(m, "int3")) {
      __asm__ volatile("int3");
    } else if (!strcmp(m, "vmmcall")) {
      __asm__ volatile("vmmcall" ::"a"(0) : "memory");
    } else if (!strcmp(m, "cpuid")) {
      unsigned a = 0, b, c = 0, d;
      __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    } else if (!strcmp(m, "rdtsc")) {
      unsigned lo, hi;
      __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    } else {
      return 2;
    }
  }
  long long t1 = now_ns();
  printf("%s %ld %.1f\n", m, n, n ? (double)(t1 - t0) / (double)n : 0.0);
  return 0;
}
