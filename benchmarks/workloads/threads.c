/* Defines bench_threads: T threads (default 4) each call getppid N times (default 20000)
 * at once; prints "threads <T>x<N> calls <ns> ns/call", wall time over all calls, so a
 * tracer that serialises the threads shows it. */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

static long calls;
static long expected;
static pthread_barrier_t barrier;

static void* worker(void* arg) {
  long* bad = arg;
  pthread_barrier_wait(&barrier);
  for (long i = 0; i < calls; ++i) *bad += syscall(SYS_getppid) != expected;
  return NULL;
}

int main(int argc, char** argv) {
  long nthreads = count_arg(argc, argv, 1, 4);
  calls = count_arg(argc, argv, 2, 20000);
  if (nthreads > 256) nthreads = 256;
  expected = syscall(SYS_getppid);
  pthread_t t[256];
  long bad[256] = {0};
  pthread_barrier_init(&barrier, NULL, (unsigned)nthreads + 1);
  for (long i = 0; i < nthreads; ++i) {
    if (pthread_create(&t[i], NULL, worker, &bad[i]) != 0) {
      fprintf(stderr, "threads: pthread_create failed\n");
      return 2;
    }
  }
  uint64_t start = now_ns();
  pthread_barrier_wait(&barrier);
  long total_bad = 0;
  for (long i = 0; i < nthreads; ++i) {
    pthread_join(t[i], NULL);
    total_bad += bad[i];
  }
  uint64_t elapsed = now_ns() - start;
  if (total_bad) {
    fprintf(stderr, "threads: %ld calls returned a wrong parent pid\n", total_bad);
    return 1;
  }
  printf("threads %ldx%ld calls %.1f ns/call\n", nthreads, calls,
         (double)elapsed / (double)(nthreads * calls));
  return 0;
}
