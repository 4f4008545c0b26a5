// Guest: executes RDTSC and RDTSCP; exits 0 when they return what the tool set (TSC 12345,
// aux 7), 1 when RDTSC differs, 2 when RDTSCP differs.
#include <stdint.h>
#include <x86intrin.h>

int main(void) {
  uint64_t a = __rdtsc();
  unsigned aux = 0;
  uint64_t b = __rdtscp(&aux);
  if (a != 12345) return 1;
  if (b != 12345 || aux != 7) return 2;
  return 0;
}
