// Guest: reads the clock through libc, which answers from the vDSO where there is one:
// clock_gettime 5 times, gettimeofday twice, time once. Exit 0 when every read succeeded.
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  int bad = 0;
  struct timespec ts;
  for (int i = 0; i < 5; ++i) bad |= clock_gettime(CLOCK_MONOTONIC, &ts) != 0;
  struct timeval tv;
  for (int i = 0; i < 2; ++i) bad |= gettimeofday(&tv, NULL) != 0;
  bad |= time(NULL) == (time_t)-1;
  return bad;
}
