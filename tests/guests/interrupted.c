// Guest: a handled signal (SIGUSR1, no SA_RESTART) arrives while getppid waits at the tracer,
// which the tracing tool arranges (it signals the thread from its getppid handler). getppid
// never fails natively: the call must complete and the handler run afterwards.
// Exit 0: completed, then handled; 4: the call failed with EINTR; 5: the handler never ran.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
  (void)sig;
  handled = 1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;  // no SA_RESTART: an interrupted call would fail with EINTR
  if (sigaction(SIGUSR1, &sa, NULL) != 0) return 3;
  long r = syscall(SYS_getppid);
  if (r == -1 && errno == EINTR) {
    puts("getppid: EINTR");
    return 4;
  }
  printf("getppid: %s, handler %s\n", r > 0 ? "ok" : "failed", handled ? "ran" : "did not run");
  return handled ? 0 : 5;
}
