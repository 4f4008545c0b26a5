// Guest for injection: thread A calls pread64 on a pipe (the tool turns it into an injected
// read that blocks); the main thread calls getppid until the tool answers 4242 (meaning A's
// handler waits in its injected read), then writes the byte A reads. Exits 0 when A got it.
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fds[2];
static long got = -1;
static char byte;

static void* reader(void* arg) {
  (void)arg;
  got = syscall(SYS_pread64, fds[0], &byte, 1, 4242);  // offset 4242 marks it for the tool
  return NULL;
}

int main(void) {
  if (pipe(fds) != 0) return 2;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  while (syscall(SYS_getppid) != 4242) {
  }
  if (write(fds[1], "x", 1) != 1) return 3;
  pthread_join(t, NULL);
  return got == 1 && byte == 'x' ? 0 : 4;
}
