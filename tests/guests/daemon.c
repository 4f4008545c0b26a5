// Guest: forks a child that becomes a daemon (setsid) and then waits (pause) for at most 20
// seconds (alarm: SIGALRM ends it); the parent waits until the child has called setsid, then
// exits 0 without waiting for it. Natively the run's first process ends at once and the
// daemon lives on for 20 seconds.
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

int main(void) {
  int ready[2];
  if (pipe(ready) != 0) return 2;
  pid_t child = fork();
  if (child < 0) return 3;
  if (child == 0) {
    close(ready[0]);
    setsid();
    alarm(20);
    if (write(ready[1], "r", 1) != 1) _exit(4);
    for (;;) pause();
  }
  close(ready[1]);
  char c;
  return read(ready[0], &c, 1) == 1 ? 0 : 5;
}
