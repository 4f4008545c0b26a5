/* Defines the clock the workload programs share: CLOCK_MONOTONIC through the vDSO, so
 * reading it never enters the kernel and is never trapped by a tracer. */
#ifndef SNARE_BENCH_WORKLOADS_CLOCK_H
#define SNARE_BENCH_WORKLOADS_CLOCK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The calling thread's CPU time (user and system): the guest's own cost, which a loaded machine
 * inflates less than wall time. A real call (no vDSO), made twice per run. */
static inline uint64_t cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Returns argv[i] as a positive count, or `fallback` when absent; exits on bad input. */
static inline long count_arg(int argc, char** argv, int i, long fallback) {
  if (argc <= i) return fallback;
  char* end;
  long n = strtol(argv[i], &end, 10);
  if (*end != 0 || n <= 0) {
    fprintf(stderr, "%s: '%s' is not a positive count\n", argv[0], argv[i]);
    exit(2);
  }
  return n;
}

#endif
