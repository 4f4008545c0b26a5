// Guest: the main thread blocks in read() on a pipe; another thread queues SIGUSR1 to it
// (pthread_sigqueue: si_code SI_QUEUE, si_value 77), then writes one byte to the pipe.
// argv[1] "restart": the handler has SA_RESTART, the read resumes and returns the byte;
// "eintr": no SA_RESTART, the read fails with EINTR (signal(7)).
// Exit 0 when the read ended as the mode says and the handler saw the queued siginfo; 1 to 4
// name what differed; 10 when the handler never ran and the read returned the byte (the
// signal was dropped before delivery), 11 when it never ran and the read failed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t code = 0, value = 0, handled = 0;
static pthread_t main_thread;
static int fds[2];

static void on_usr1(int sig, siginfo_t* si, void* ctx) {
  (void)sig;
  (void)ctx;
  code = si->si_code;
  value = si->si_value.sival_int;
  handled = 1;
}

static void* sender(void* arg) {
  (void)arg;
  usleep(100 * 1000);  // let the main thread block in read
  union sigval v;
  v.sival_int = 77;
  pthread_sigqueue(main_thread, SIGUSR1, v);
  usleep(100 * 1000);
  if (write(fds[1], "x", 1) != 1) return (void*)1;
  return NULL;
}

int main(int argc, char** argv) {
  int restart = argc > 1 && strcmp(argv[1], "restart") == 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO | (restart ? SA_RESTART : 0);
  if (sigaction(SIGUSR1, &sa, NULL) != 0 || pipe(fds) != 0) return 5;
  main_thread = pthread_self();
  pthread_t t;
  if (pthread_create(&t, NULL, sender, NULL) != 0) return 6;
  char c = 0;
  ssize_t n = read(fds[0], &c, 1);
  int err = errno;
  pthread_join(t, NULL);
  if (!handled) return n == 1 && c == 'x' ? 10 : 11;
  if (code != SI_QUEUE) return 1;
  if (value != 77) return 2;
  if (restart) return n == 1 && c == 'x' ? 0 : 3;
  return n == -1 && err == EINTR ? 0 : 4;
}
