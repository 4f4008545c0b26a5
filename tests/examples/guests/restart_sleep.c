// A guest whose nanosleep (clock_nanosleep in glibc) an ignored SIGALRM interrupts under a
// tracer (the signal stops it at delivery): the kernel then resumes the sleep with
// restart_syscall, as in strace's restart_syscall test. Exits 0 when the sleep completed.
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = SIG_IGN;
  if (sigaction(SIGALRM, &act, NULL) != 0) return 1;
  const struct itimerval itv = {{0, 0}, {0, 111111}};
  if (setitimer(ITIMER_REAL, &itv, NULL) != 0) return 2;
  const struct timespec req = {0, 222222222};
  struct timespec rem;
  return nanosleep(&req, &rem) == 0 ? 0 : 3;
}
