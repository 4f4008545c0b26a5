/* A guest program that prints the CPU vendor string and two rdtsc readings. */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <x86intrin.h>

int main(void) {
  unsigned a, b, c, d;
  __cpuid(0, a, b, c, d);
  char vendor[13];
  memcpy(vendor, &b, 4);
  memcpy(vendor + 4, &d, 4);
  memcpy(vendor + 8, &c, 4);
  vendor[12] = 0;
  unsigned long long t1 = __rdtsc(), t2 = __rdtsc();
  printf("vendor=%s max_leaf=%u\n", vendor, a);
  printf("tsc=%llu,%llu\n", t1, t2);
  return 0;
}
