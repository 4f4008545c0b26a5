// Guest: prints the 16 bytes at AT_RANDOM (getauxval(3)) in hex on one line; exits 0 when
// they are 0, 1, ..., 15 (a tool wrote them at exec), 1 otherwise.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>

int main(void) {
  const unsigned char* r = (const unsigned char*)getauxval(AT_RANDOM);
  if (!r) return 2;
  int same = 1;
  for (int i = 0; i < 16; ++i) {
    printf("%02x", r[i]);
    same &= r[i] == i;
  }
  printf("\n");
  return same ? 0 : 1;
}
