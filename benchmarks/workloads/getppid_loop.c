/* Defines bench_getppid_loop: calls getppid N times (default 100000) and prints the mean
 * time of one call, "getppid_loop <N> calls <ns> ns/call, cpu <ns> ns/call" (wall, then the
 * thread's CPU time), on stdout. It checks that every
 * call returns the real parent pid, so a tracer that breaks the call is seen. */
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

int main(int argc, char** argv) {
  long n = count_arg(argc, argv, 1, 100000);
  long expected = syscall(SYS_getppid);
  for (int i = 0; i < 100; ++i) syscall(SYS_getppid); /* warm up the path */
  cpu_ns(); /* warm up its own call site too (an in-guest runtime rewrites it at its first call) */
  uint64_t cpu_start = cpu_ns();
  uint64_t start = now_ns();
  long bad = 0;
  for (long i = 0; i < n; ++i) bad += syscall(SYS_getppid) != expected;
  uint64_t elapsed = now_ns() - start;
  uint64_t cpu = cpu_ns() - cpu_start;
  if (bad) {
    fprintf(stderr, "getppid_loop: %ld of %ld calls returned a wrong parent pid\n", bad, n);
    return 1;
  }
  printf("getppid_loop %ld calls %.1f ns/call, cpu %.1f ns/call\n", n, (double)elapsed / (double)n,
         (double)cpu / (double)n);
  return 0;
}
