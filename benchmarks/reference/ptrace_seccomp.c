/* Defines ref_ptrace_seccomp: a minimal ptrace tracer of a process tree, whose guest runs
 * under a seccomp-BPF filter that returns SECCOMP_RET_TRACE for the trapped syscalls (getppid
 * unless told otherwise). Each trapped call costs one PTRACE_EVENT_SECCOMP stop and one
 * PTRACE_CONT, which is the least a ptrace+seccomp tracer can do per call.
 *
 *   ref_ptrace_seccomp [-a] [-t NR]... [-r] [-s] [--] command [args...]
 *     -a     trap every syscall     -t NR  trap syscall NR (repeatable; default getppid)
 *     -r     read the registers at every stop (PTRACE_GETREGS), as a tool that looks would
 *     -s     no seccomp: stop at every syscall entry and exit with PTRACE_SYSCALL, as
 *            strace without --seccomp-bpf does
 *
 * Exits with the command's exit code (128+signal when it was killed). */
#define _GNU_SOURCE
#include "common.h"

#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

/* Pids whose first stop (the SIGSTOP of an auto-attached child) was already seen. */
#define REF_PID_LIMIT 4194304
static uint8_t seen[REF_PID_LIMIT / 8];
static int was_seen(pid_t p) { return (unsigned)p < REF_PID_LIMIT && (seen[p >> 3] >> (p & 7)) & 1; }
static void mark_seen(pid_t p, int on) {
  if ((unsigned)p >= REF_PID_LIMIT) return;
  if (on)
    seen[p >> 3] |= (uint8_t)(1u << (p & 7));
  else
    seen[p >> 3] &= (uint8_t) ~(1u << (p & 7));
}

int main(int argc, char** argv) {
  struct ref_options o = ref_parse(argc, argv, 'r', 's', "[-a] [-t NR]... [-r] [-s] [--] command [args...]");
  const int read_regs = o.flag_a;
  const int no_seccomp = o.flag_b;

  pid_t child = fork();
  if (child < 0) ref_die("fork");
  if (child == 0) {
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) ref_die("PTRACE_TRACEME");
    raise(SIGSTOP); /* let the tracer set its options before the filter exists */
    if (!no_seccomp && ref_install_filter(&o, SECCOMP_RET_TRACE, 0) != 0) ref_die("seccomp");
    execvp(o.argv[0], o.argv);
    ref_die(o.argv[0]);
  }

  int status;
  if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) ref_die("waitpid (initial stop)");
  long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
              PTRACE_O_EXITKILL | (no_seccomp ? PTRACE_O_TRACESYSGOOD : PTRACE_O_TRACESECCOMP);
  if (ptrace(PTRACE_SETOPTIONS, child, 0, (void*)opts) != 0) ref_die("PTRACE_SETOPTIONS");
  mark_seen(child, 1);
  const enum __ptrace_request resume = no_seccomp ? PTRACE_SYSCALL : PTRACE_CONT;
  if (ptrace(resume, child, 0, 0) != 0) ref_die("resume");

  int exit_code = 125;
  for (;;) {
    pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) break;
      ref_die("waitpid");
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      mark_seen(pid, 0);
      if (pid == child) exit_code = ref_exit_code(status);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    int inject = 0;
    if (!was_seen(pid)) {
      /* The first stop of an auto-attached child: a SIGSTOP that is not to be delivered. */
      mark_seen(pid, 1);
      if (sig != SIGSTOP) inject = sig;
    } else if (event != 0 || sig == (SIGTRAP | 0x80)) {
      /* A seccomp stop, a syscall stop, or a fork/clone/exec event: nothing to deliver. */
      if (read_regs && (event == PTRACE_EVENT_SECCOMP || sig == (SIGTRAP | 0x80))) {
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) != 0 && errno != ESRCH) ref_die("PTRACE_GETREGS");
      }
    } else {
      inject = sig; /* a signal for the guest: pass it on */
    }
    if (ptrace(resume, pid, 0, (void*)(long)inject) != 0 && errno != ESRCH) ref_die("resume");
  }
  return exit_code;
}
