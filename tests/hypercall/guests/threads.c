/* A guest program with POSIX threads (clone with CLONE_VM|CLONE_THREAD, futexes, TLS per
   thread). Modes: "join N" (N workers increment a shared counter under a mutex and return
   their TLS value; exit code 3), "leave" (main exits while two threads block forever;
   exit code 5), "crash" (a thread dereferences a bad pointer), "abort". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counter;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static __thread long mine;

static void* work(void* arg) {
  mine = (long)arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&mu);
    ++counter;
    pthread_mutex_unlock(&mu);
  }
  return (void*)(mine * 10);
}

static void* blocker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  for (;;) pthread_cond_wait(&cv, &mu);
  return NULL;
}

static void* crasher(void* arg) {
  (void)arg;
  *(volatile int*)16 = 1;
  return NULL;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "join";
  pthread_t t[16];
  if (!strcmp(mode, "join")) {
    int n = argc > 2 ? atoi(argv[2]) : 4;
    if (n > 16) n = 16;
    for (long i = 0; i < n; ++i) pthread_create(&t[i], NULL, work, (void*)(i + 1));
    long sum = 0;
    for (int i = 0; i < n; ++i) {
      void* r;
      pthread_join(t[i], &r);
      sum += (long)r;
    }
    printf("threads=%d counter=%d sum=%ld\n", n, counter, sum);
    return 3;
  }
  pthread_create(&t[0], NULL, blocker, NULL);
  pthread_create(&t[1], NULL, blocker, NULL);
  if (!strcmp(mode, "crash")) {
    pthread_create(&t[2], NULL, crasher, NULL);
    pthread_join(t[2], NULL);
  }
  if (!strcmp(mode, "abort")) abort();
  printf("main leaves\n");
  fflush(stdout);
  exit(5);
}
