// Guest: a child with three threads (the leader and two blocked in pause) is stopped with
// SIGSTOP, then SIGTSTP, continued after each, and killed with SIGTERM by its parent, as
// job control does. Exits 0 when the child stopped and died as natively. The child leads a
// process group of its own, as a shell's job does: in an orphaned group (a test harness's,
// with no controlling terminal) the kernel discards SIGTSTP, natively too.
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void* blocker(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static int stop_and_continue(pid_t child, int sig) {
  kill(child, sig);
  int st = 0;
  if (waitpid(child, &st, WUNTRACED) != child || !WIFSTOPPED(st) || WSTOPSIG(st) != sig) return 1;
  kill(child, SIGCONT);
  if (waitpid(child, &st, WCONTINUED) != child || !WIFCONTINUED(st)) return 2;
  // As a person at a terminal: the next stop comes once every thread runs again. (A stop
  // that finds a thread still in a tracer's stop from the SIGCONT is reported to the
  // tracer without its signal, under strace too: the line count would vary.)
  usleep(50000);
  return 0;
}

int main(void) {
  int ready[2];
  if (pipe(ready) != 0) return 10;
  pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    pthread_t a, b;
    pthread_create(&a, NULL, blocker, NULL);
    pthread_create(&b, NULL, blocker, NULL);
    (void)!write(ready[1], "x", 1);
    for (;;) pause();
  }
  setpgid(child, child);  // both sides set it: whichever runs first
  char c;
  if (read(ready[0], &c, 1) != 1) return 11;
  usleep(20000);  // the threads are in pause
  if (stop_and_continue(child, SIGSTOP) != 0) return 12;
  if (stop_and_continue(child, SIGTSTP) != 0) return 13;
  kill(child, SIGTERM);
  int st = 0;
  if (waitpid(child, &st, 0) != child || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM) return 14;
  return 0;
}
