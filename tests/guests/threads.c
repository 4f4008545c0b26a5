// Guest: starts N threads (argv[1]); each calls getppid K times (argv[2]); joins them; exits
// with argv[3] (0 when absent). With argv[4] = M, the main thread first calls getppid M times.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long calls;

static void* worker(void* arg) {
  (void)arg;
  for (long i = 0; i < calls; ++i) syscall(SYS_getppid);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  int n = atoi(argv[1]);
  calls = atol(argv[2]);
  pthread_t t[256];
  if (n > 256) return 2;
  for (long i = 0, m = argc > 4 ? atol(argv[4]) : 0; i < m; ++i) syscall(SYS_getppid);
  for (int i = 0; i < n; ++i)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0) return 3;
  for (int i = 0; i < n; ++i) pthread_join(t[i], NULL);
  return argc > 3 ? atoi(argv[3]) : 0;
}
