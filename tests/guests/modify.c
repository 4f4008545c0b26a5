// Guest: writes 11 bytes to a pipe; the tool cuts the count to 5. Exits with the count
// the write returned (5 under the tool, 11 without it).
#define _GNU_SOURCE
#include <unistd.h>

int main(void) {
  int fds[2];
  if (pipe(fds) != 0) return 100;
  long n = write(fds[1], "hello world", 11);
  char buf[16];
  long m = read(fds[0], buf, sizeof buf);
  return n == m ? (int)n : 101;
}
