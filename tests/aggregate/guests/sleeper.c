/* The guest of the aggregation tests: sleeps N times for NS nanoseconds each with the raw
 * nanosleep syscall (glibc's nanosleep() is clock_nanosleep), then exits 0.
 * Usage: sleeper N NS */
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  long n = atol(argv[1]), ns = atol(argv[2]);
  struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
  for (long i = 0; i < n; ++i)
    if (syscall(SYS_nanosleep, &ts, NULL) != 0) return 1;
  return 0;
}
