/* The guest of the in_guest backend's tests: a few calls whose results it prints.
 *   getppid N    N getppid calls; prints "getppid=<last> pid=<pid>"
 *   write        writes "hello\n", then from a bad pointer; prints "wrote=<n> bad=<errno>"
 *   tree         a child and two threads, 100 getppid calls each
 *   killchild    a child that kills itself with SIGKILL; exits 5
 *   selfkill     kills itself with SIGTERM
 *   spawn        posix_spawn (vfork-like: CLONE_VM) of true, 3 times, then 10 getppid */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long calls(long n) {
  long r = 0;
  for (long i = 0; i < n; ++i) r = syscall(SYS_getppid);
  return r;
}

static void* worker(void* arg) {
  (void)arg;
  calls(100);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (strcmp(argv[1], "getppid") == 0) {
    long r = calls(argc > 2 ? atol(argv[2]) : 1);
    printf("getppid=%ld pid=%ld\n", r, (long)getpid());
    return 0;
  }
  if (strcmp(argv[1], "write") == 0) {
    long n = write(1, "hello\n", 6);
    /* A kernel address: never readable (not 8: the runtime maps its trampoline at page 0). */
    const void* volatile nowhere = (const void*)~0xfffUL;
    long bad = write(1, nowhere, 10);
    int err = bad < 0 ? errno : 0;
    printf("wrote=%ld bad=%d\n", n, err);
    return 0;
  }
  if (strcmp(argv[1], "tree") == 0) {
    pid_t c = fork();
    if (c == 0) {
      calls(100);
      _exit(0);
    }
    pthread_t t[2];
    for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
    int st = 0;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
  }
  if (strcmp(argv[1], "killchild") == 0) {
    pid_t c = fork();
    if (c == 0) {
      kill(getpid(), SIGKILL);
      _exit(0);
    }
    int st = 0;
    waitpid(c, &st, 0);
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 5 : 1;
  }
  if (strcmp(argv[1], "spawn") == 0) {
    extern char** environ;
    for (int i = 0; i < 3; ++i) {
      pid_t c = 0;
      char* args[] = {"true", NULL};
      if (posix_spawnp(&c, "true", NULL, NULL, args, environ) != 0) return 1;
      int st = 0;
      waitpid(c, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 1;
    }
    calls(10);
    return 0;
  }
  if (strcmp(argv[1], "selfkill") == 0) {
    kill(getpid(), SIGTERM);
    return 0;
  }
  return 2;
}
