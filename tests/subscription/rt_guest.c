/* The guest of the run-time subscription tests: a known count of a few calls, made with
 * syscall() so that libc adds none of its own. A child, blocked in read() on a pipe until
 * the end, carries the parent's seccomp filter where a test can read it (it is not stopped
 * by the tracer); with the argument "nofork" there is none (the hypercall backend runs one
 * process). getppid's first argument, unused by the kernel, tells the tool the child's pid.
 * Exits 0 when the calls gave consistent results (none is changed by the tools). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const int with_child = !(argc > 1 && strcmp(argv[1], "nofork") == 0);
  int p[2];
  pid_t child = 0;
  if (with_child) {
    if (pipe(p) != 0) return 1;
    child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      char c;
      close(p[1]);
      _exit(read(p[0], &c, 1) == 1 ? 0 : 1);
    }
    close(p[0]);
  }
  int bad = 0;
  long ppid = syscall(SYS_getppid, (long)child), euid = syscall(SYS_geteuid), uid = syscall(SYS_getuid);
  for (int i = 1; i < 3; ++i) bad |= syscall(SYS_getppid, (long)child) != ppid;
  bad |= syscall(SYS_geteuid) != euid;
  bad |= syscall(SYS_getuid) != uid;
  bad |= syscall(SYS_getpid) <= 0 || ppid <= 0 || euid < 0 || uid < 0;
  bad |= syscall(SYS_shmget, (long)IPC_PRIVATE, 0L, 0L) != -1; /* size 0: EINVAL */
  if (!with_child) return bad;
  if (write(p[1], "x", 1) != 1) return 1;
  int st = 0;
  if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return 1;
  return bad;
}
