// Guest for injection: thread A calls pread64 on a pipe (the tool turns it into an injected
// read that blocks); the main thread calls getppid until the tool answers 4242 (meaning A's
// handler waits in its injected read), then writes the byte A reads. Exits 0 when A got it.
// Mode "kill": instead of writing, the main thread SIGKILLs the process while A waits.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
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

int main(int argc, char** argv) {
  if (pipe(fds) != 0) return 2;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  while (syscall(SYS_getppid) != 4242) {
  }
  if (argc > 1 && argv[1][0] == 'k') kill(getpid(), SIGKILL);
  if (write(fds[1], "x", 1) != 1) return 3;
  pthread_join(t, NULL);
  return got == 1 && byte == 'x' ? 0 : 4;
}
