/* A guest program that sends itself signals: a handler with SA_SIGINFO, a blocked signal
   delivered when unblocked, an ignored one, and a default (fatal) one: exit code 143. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile int got;
static void on_usr1(int sig, siginfo_t* si, void* uc) {
  (void)uc;
  got = sig * 100 + (si->si_signo == sig);
}
static void on_term(int sig) { got += sig; }
int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  long before = 12345;
  raise(SIGUSR1);
  printf("usr1 handled: %d, locals kept: %d\n", got, before == 12345);
  signal(SIGTERM, on_term);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGTERM);
  printf("blocked: %d\n", got);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("unblocked: %d\n", got);
  signal(SIGTERM, SIG_IGN);
  raise(SIGTERM);
  printf("ignored\n");
  signal(SIGTERM, SIG_DFL);
  fflush(stdout);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
