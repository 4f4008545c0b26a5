/* Prints two RDTSC readings and their difference: a deterministic-time tool makes the
 * output the same on every run. */
#include <stdio.h>
#include <x86intrin.h>

int main(void) {
  unsigned long long a = __rdtsc();
  unsigned long long b = __rdtsc();
  printf("%llu %llu %llu\n", a, b, b - a);
  return 0;
}
