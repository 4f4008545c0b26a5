// Guest for attach tests: starts N worker threads (argv[1]) that call getppid every
// millisecond until told to stop, writes "ready\n" to stdout, then serves commands read from
// stdin, one byte each, the main thread blocked in read(2) between them:
//   'f': forks a child that calls getppid 5 times and exits 5; prints "child=<its code>\n";
//   'q' (or end of input): stops and joins the workers, prints "usr1=<SIGUSR1 count>
//        calls=<1 if every worker called getppid>\n" and exits 3.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static volatile sig_atomic_t usr1;

static void on_usr1(int sig) {
  (void)sig;
  ++usr1;
}

static void* worker(void* arg) {
  long* calls = arg;
  struct timespec ms = {0, 1000000};
  while (!stop) {
    syscall(SYS_getppid);
    ++*calls;
    nanosleep(&ms, NULL);
  }
  return NULL;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n < 0 || n > 64) return 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  pthread_t t[64];
  long calls[64] = {0};
  for (int i = 0; i < n; ++i)
    if (pthread_create(&t[i], NULL, worker, &calls[i]) != 0) return 2;
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("ready\n");
  for (;;) {
    char c = 'q';
    if (read(0, &c, 1) != 1) c = 'q';
    if (c == 'f') {
      pid_t child = fork();
      if (child == 0) {
        for (int i = 0; i < 5; ++i) syscall(SYS_getppid);
        _exit(5);
      }
      int st = 0;
      while (waitpid(child, &st, 0) < 0) {
      }
      printf("child=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    } else if (c == 'q') {
      break;
    }
  }
  stop = 1;
  int all = 1;
  for (int i = 0; i < n; ++i) {
    pthread_join(t[i], NULL);
    all = all && calls[i] > 0;
  }
  printf("usr1=%d calls=%d\n", (int)usr1, all);
  return 3;
}
