// Guest: three threads (the leader and two that block in pause), then the last one sends
// its own process SIGTERM, which kills every thread. Natively it dies of SIGTERM.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void* blocker(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void* killer(void* arg) {
  (void)arg;
  usleep(20000);  // let the others block first
  kill(getpid(), SIGTERM);
  for (;;) pause();
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, blocker, NULL);
  pthread_create(&b, NULL, killer, NULL);
  for (;;) pause();
}
