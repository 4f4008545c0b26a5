/* A guest program: prints its arguments and a heap string, exits with argv[1] as code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  printf("hello argc=%d\n", argc);
  for (int i = 1; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  char* p = malloc(1 << 20); /* large enough for mmap */
  strcpy(p, "heap ok");
  puts(p);
  free(p);
  const char* home = getenv("SNARE_TEST_VAR");
  printf("env=%s\n", home ? home : "(unset)");
  return argc > 1 ? atoi(argv[1]) : 0;
}
