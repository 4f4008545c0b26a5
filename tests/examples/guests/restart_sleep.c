// A guest whose nanosleep (clock_nanosleep in glibc) an ignored SIGALRM interrupts under a
// tracer (the signal stops it at delivery): the kernel then resumes the sleep with
// restart_syscall, as in strace's restart_syscall test. Exits 0 when the sleep completed.
// The signal comes from a child (untraced: the tests run without -f) once the sleep has
// begun, not from a timer that a slow tracer could let fire before the sleep.
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// Says whether process `pid` sleeps (state S, so resumed by its tracer) in nanosleep or
// clock_nanosleep.
static int sleeping(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE* f = fopen(path, "r");
  if (f == NULL) return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char* paren = strrchr(buf, ')');
  if (paren == NULL || strncmp(paren, ") S ", 4) != 0) return 0;
  snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
  f = fopen(path, "r");
  if (f == NULL) return 0;
  long nr = -1;
  int got = fscanf(f, "%ld", &nr);
  fclose(f);
#ifdef SYS_nanosleep
  if (got == 1 && nr == SYS_nanosleep) return 1;
#endif
  return got == 1 && nr == SYS_clock_nanosleep;
}

int main(void) {
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = SIG_IGN;
  if (sigaction(SIGALRM, &act, NULL) != 0) return 1;
  // The child reads our /proc/PID/syscall: Yama's ptrace_scope 1 allows it only so.
  (void)prctl(PR_SET_PTRACER, getpid(), 0, 0, 0);
  // The child ends once the sleep has (at `done`'s end): its SIGCHLD would interrupt the
  // resumed sleep too.
  int done[2];
  if (pipe(done) != 0) return 2;
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) {
    close(done[1]);
    int code = 2;
    // Polls for the sleep, for at most 10 s (a guard against hangs only).
    for (int i = 0; i < 10000; ++i) {
      if (sleeping(parent)) {
        code = kill(parent, SIGALRM) == 0 ? 0 : 1;
        break;
      }
      poll(NULL, 0, 1);
    }
    char c;
    (void)!read(done[0], &c, 1);
    _exit(code);
  }
  close(done[0]);
  // Long enough for the child to see it begin, however loaded the host.
  const struct timespec req = {1, 0};
  struct timespec rem;
  const int slept = nanosleep(&req, &rem);
  close(done[1]);
  if (slept != 0) return 3;
  int st = 0;
  if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "restart_sleep: the child saw no sleep to interrupt within 10 s\n");
    return 4;
  }
  return 0;
}
