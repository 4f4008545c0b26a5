// Guest: calls getppid (where a tool may arm a timer), then runs for argv[1] milliseconds of
// its own CPU time (CLOCK_THREAD_CPUTIME_ID) in a loop without syscalls but that clock's
// reads; exits 0. A timer's signal reaching it (SIGSTKFLT, default action: terminate) would
// end it by that signal.
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char** argv) {
  long long ms = argc > 1 ? atoll(argv[1]) : 300;
  syscall(SYS_getppid);
  long long end = cpu_ns() + ms * 1000000LL;
  volatile unsigned long spin = 0;
  while (cpu_ns() < end)
    for (int i = 0; i < 10000; ++i) spin = spin + 1;
  return 0;
}
