// Guest: its children trace themselves or are traced oddly, as debuggers and strace's tests
// do. Modes (argv[1]):
//   traceme       a child by fork, by clone with exit signal 0 and by clone3 each checks it has
//                 no tracer (TracerPid 0) and calls PTRACE_TRACEME; exits 0 when each could,
//                 else the sum of 1 (fork), 2 (clone), 4 (clone3); 8 when clone3's flags in
//                 its clone_args changed under it
//   clone_parent  a child by clone(CLONE_PARENT|SIGCHLD) exits 42: it is its grandparent's
//                 child, so this process cannot wait for it; exits 0 once it is gone
//   clone_ptrace  a child by clone(CLONE_PTRACE|SIGCHLD) is killed by SIGUSR1; exits 0 when
//                 it was (strace's clone_ptrace.c)
// Prints the child's pid on stdout in the last two modes.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The child's work in traceme mode: 0 when it has no tracer and can take its parent as one.
static int trace_me(void) {
  FILE* f = fopen("/proc/self/status", "re");
  if (f == NULL) return 1;
  char line[256];
  long tracer = -1;
  while (fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "TracerPid:", 10) == 0) tracer = strtol(line + 10, NULL, 10);
  fclose(f);
  if (tracer != 0) return 1;
  return ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 ? 0 : 1;
}

static int ok_child(long c) {
  if (c == 0) _exit(trace_me());
  int st = 0;
  if (c < 0 || waitpid((pid_t)c, &st, __WALL) != c) return 0;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static char stack[65536] __attribute__((aligned(16)));

static int exit42(void* arg) {
  (void)arg;
  return 42;
}
static int wait_signal(void* arg) {
  (void)arg;
  for (;;) pause();
  return 0;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "traceme";
  if (strcmp(mode, "traceme") == 0) {
    int r = 0;
    if (!ok_child(fork())) r |= 1;
    if (!ok_child(syscall(SYS_clone, 0UL, 0UL, 0UL, 0UL, 0UL))) r |= 2;
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    if (!ok_child(syscall(SYS_clone3, &args, sizeof args))) r |= 4;
    if (args.flags != 0) r |= 8;
    return r;
  }
  if (strcmp(mode, "clone_parent") == 0) {
    pid_t pid = clone(exit42, stack + sizeof stack, CLONE_PARENT | SIGCHLD, NULL);
    if (pid < 0) return 1;
    printf("%d\n", pid);
    fflush(stdout);
    int st;
    if (wait(&st) >= 0) return 2;  // not this process's child
    while (kill(pid, 0) == 0) usleep(1000);
    return errno == ESRCH ? 0 : 3;
  }
  if (strcmp(mode, "clone_ptrace") == 0) {
    pid_t pid = clone(wait_signal, stack + sizeof stack, CLONE_PTRACE | SIGCHLD, NULL);
    if (pid < 0) return 1;
    printf("%d\n", pid);
    fflush(stdout);
    kill(pid, SIGUSR1);
    int st = 0;
    while (waitpid(pid, &st, 0) != pid)
      if (errno != EINTR) return 2;
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1 ? 0 : 3;
  }
  return 100;
}
