// Guest: makes a child with clone(CLONE_UNTRACED) (raw clone, then clone3 with the flag in
// its clone_args), as checkpoint tools do to keep tracers off a helper. Each child opens a
// file, forks and execs /bin/true, and exits 9. Exits 0 when both children did, else
// 10 + what went wrong. The tool sees each child's getppid call when it stays traced.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void child_work(void) {
  syscall(SYS_getppid);
  int fd = open("/etc/hostname", O_RDONLY);
  if (fd < 0) _exit(20);
  pid_t g = fork();
  if (g == 0) {
    execl("/bin/true", "true", (char*)NULL);
    _exit(127);
  }
  int st = 0;
  waitpid(g, &st, 0);
  _exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 9 : 21);
}

static int reap(long c) {
  if (c < 0) return 1;
  int st = 0;
  if (waitpid((pid_t)c, &st, 0) != c) return 2;
  return WIFEXITED(st) && WEXITSTATUS(st) == 9 ? 0 : 3;
}

int main(void) {
  long c = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
  if (c == 0) child_work();
  int r = reap(c);
  if (r != 0) return 10 + r;
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = CLONE_UNTRACED;
  args.exit_signal = SIGCHLD;
  c = syscall(SYS_clone3, &args, sizeof args);
  if (c == 0) child_work();
  r = reap(c);
  return r == 0 ? 0 : 20 + r;
}
