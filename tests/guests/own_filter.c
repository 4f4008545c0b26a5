// Guest: installs seccomp filters of its own, as sandboxed programs do: getppid ->
// ERRNO(EACCES), uname -> TRACE(7) (no tracer asked for it: ENOSYS natively), getpgrp ->
// TRAP (its SIGSYS handler runs); then a second filter with NEW_LISTENER (getuid to its
// own listener, never called). Exits 0 when each call ends as it does natively, else the
// number of the first check that failed (8: NEW_LISTENER refused; errno + 100 is printed);
// argv[1] "fork" checks in a forked child too.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigsys_nr = -1;
static void on_sys(int s, siginfo_t* si, void* uc) {
  (void)s;
  (void)uc;
  sigsys_nr = si->si_syscall;
}

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ON(nr, ret) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (ret))

static int check(void) {
  struct utsname u;
  errno = 0;
  if (syscall(SYS_getppid) != -1 || errno != EACCES) return 3;
  errno = 0;
  if (syscall(SYS_uname, &u) != -1 || errno != ENOSYS) return 4;
  sigsys_nr = -1;
  syscall(SYS_getpgrp);
  if (sigsys_nr != SYS_getpgrp) return 5;
  if (syscall(SYS_gettid) != getpid()) return 6;
  return 0;
}

int main(int argc, char** argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  struct sock_filter f[] = {
      LD_NR,
      ON(SYS_getppid, SECCOMP_RET_ERRNO | EACCES),
      ON(SYS_uname, SECCOMP_RET_TRACE | 7),
      ON(SYS_getpgrp, SECCOMP_RET_TRAP),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return 2;
  struct sock_filter g[] = {LD_NR, ON(SYS_getuid, SECCOMP_RET_USER_NOTIF),
                            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  struct sock_fprog prog2 = {sizeof g / sizeof g[0], g};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog2) < 0) {
    printf("NEW_LISTENER: %s\n", strerror(errno));
    return 8;
  }
  int r = check();
  if (r != 0 || argc < 2 || strcmp(argv[1], "fork") != 0) return r;
  pid_t c = fork();
  if (c == 0) _exit(check());
  int st = 0;
  if (waitpid(c, &st, 0) != c || !WIFEXITED(st)) return 7;
  return WEXITSTATUS(st) == 0 ? 0 : 10 + WEXITSTATUS(st);
}
