// Guest: a non-leader thread execs this program again with "done", which exits 7.
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static char* self;

static void* worker(void* arg) {
  (void)arg;
  char* args[] = {self, "done", NULL};
  execv(self, args);
  _exit(9);
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "done") == 0) return 7;
  self = argv[0];
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) != 0) return 3;
  for (;;) pause();
}
