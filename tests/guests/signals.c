// Guest: raises SIGUSR1 three times and SIGUSR2 twice, with handlers counting them; exits
// with usr1 * 10 + usr2 (32 when every signal arrives as sent).
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t usr1, usr2;
static void on_usr1(int s) {
  (void)s;
  ++usr1;
}
static void on_usr2(int s) {
  (void)s;
  ++usr2;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, NULL);
  for (int i = 0; i < 3; ++i) raise(SIGUSR1);
  for (int i = 0; i < 2; ++i) raise(SIGUSR2);
  return usr1 * 10 + usr2;
}
