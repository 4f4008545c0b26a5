// Guest: prints its arguments, separated by spaces, as one line on stdout through stdio, and
// exits 0 when stdio reports every byte written (1 otherwise).
#include <stdio.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) printf(i > 1 ? " %s" : "%s", argv[i]);
  printf("\n");
  return fflush(stdout) == 0 ? 0 : 1;
}
