// Guest: raises SIGVTALRM, SIGALRM and SIGUSR1 in turn, then calls getppid; SIGVTALRM and
// SIGUSR1 have counting handlers, SIGALRM has none (natively it would end the process).
// Under a tool that delays SIGVTALRM, drops SIGALRM and holds SIGUSR1 back until the next
// call, the process lives: exit 0 when SIGVTALRM's handler ran before raise returned, and
// SIGUSR1's ran only once getppid was called; 1 to 3 name what differed.
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t vtalrm, usr1;
static void on_signal(int sig) {
  if (sig == SIGVTALRM) ++vtalrm;
  if (sig == SIGUSR1) ++usr1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGVTALRM, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGVTALRM);
  if (vtalrm != 1) return 1;
  raise(SIGALRM);
  raise(SIGUSR1);
  if (usr1 != 0) return 2;  // held back
  syscall(SYS_getppid);
  return usr1 == 1 ? 0 : 3;
}
