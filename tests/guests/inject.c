// Guest for injection: thread A calls pread64 on a pipe (the tool turns it into an injected
// read that blocks); the main thread calls getppid until the tool answers 4242 (meaning A's
// handler waits in its injected read), then writes the byte A reads. Exits 0 when A got it.
// Mode "kill": instead of writing, the main thread SIGKILLs the process while A waits.
// Mode "signal": first sends A a SIGUSR1 (handler without SA_RESTART) while A waits; A must
// still get the byte, and its handler must run exactly once.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fds[2];
static long got = -1;
static char byte;
static volatile pid_t reader_tid;
static volatile sig_atomic_t usr1;

static void on_usr1(int s) {
  (void)s;
  ++usr1;
}

static void* reader(void* arg) {
  (void)arg;
  reader_tid = (pid_t)syscall(SYS_gettid);
  got = syscall(SYS_pread64, fds[0], &byte, 1, 4242);  // offset 4242 marks it for the tool
  return NULL;
}

int main(int argc, char** argv) {
  char mode = argc > 1 ? argv[1][0] : 'n';
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  if (pipe(fds) != 0) return 2;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  while (syscall(SYS_getppid) != 4242) {
  }
  if (mode == 'k') kill(getpid(), SIGKILL);
  if (mode == 's') syscall(SYS_tgkill, getpid(), reader_tid, SIGUSR1);
  if (write(fds[1], "x", 1) != 1) return 3;
  pthread_join(t, NULL);
  if (mode == 's' && usr1 != 1) return 5;
  return got == 1 && byte == 'x' ? 0 : 4;
}
