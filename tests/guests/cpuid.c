// Guest: executes CPUID leaf 0; exits 0 when EAX is what the tool set (0x1234), 1 when it
// is the real value.
#include <cpuid.h>

int main(void) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  __cpuid(0, a, b, c, d);
  return a == 0x1234 ? 0 : 1;
}
