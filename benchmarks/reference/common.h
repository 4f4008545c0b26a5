/* Defines what the two minimal C reference tracers share: the option parser, the
 * seccomp-BPF program that traps a set of syscall numbers, and small error helpers.
 *
 * The reference tracers measure how close to the kernel mechanism's limit a tracer can
 * be: they do the least work a correct tracer of a process tree must do, and nothing
 * else. snare's backends are compared against them by benchmarks/compare. */
#ifndef SNARE_BENCH_REFERENCE_COMMON_H
#define SNARE_BENCH_REFERENCE_COMMON_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define REF_MAX_TRAPPED 64

/* The options both reference tracers accept. */
struct ref_options {
  long trapped[REF_MAX_TRAPPED]; /* syscall numbers sent to the tracer */
  int ntrapped;
  int trap_all; /* -a: every syscall goes to the tracer */
  int flag_a;   /* tracer-specific switch (-r, -w, ...) */
  int flag_b;   /* tracer-specific switch */
  char** argv;  /* the guest command line */
};

static inline void ref_die(const char* what) {
  fprintf(stderr, "reference tracer: %s: %s\n", what, strerror(errno));
  exit(125);
}

/* Parses `[-a] [-t NR]... [-<a>] [-<b>] [--] command [args...]`; getppid is trapped when no
 * -t and no -a is given. `a` and `b` name the tracer's own switches. */
static inline struct ref_options ref_parse(int argc, char** argv, char a, char b, const char* usage) {
  struct ref_options o;
  memset(&o, 0, sizeof o);
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    const char* s = argv[i];
    if (strcmp(s, "--") == 0) {
      ++i;
      break;
    }
    if (strcmp(s, "-a") == 0) {
      o.trap_all = 1;
    } else if (strcmp(s, "-t") == 0 && i + 1 < argc && o.ntrapped < REF_MAX_TRAPPED) {
      o.trapped[o.ntrapped++] = strtol(argv[++i], NULL, 0);
    } else if (a && s[1] == a && s[2] == 0) {
      o.flag_a = 1;
    } else if (b && s[1] == b && s[2] == 0) {
      o.flag_b = 1;
    } else {
      fprintf(stderr, "usage: %s %s\n", argv[0], usage);
      exit(125);
    }
  }
  if (i >= argc) {
    fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    exit(125);
  }
  if (o.ntrapped == 0) o.trapped[o.ntrapped++] = SYS_getppid;
  o.argv = argv + i;
  return o;
}

/* Installs a seccomp filter in the calling process: other architectures and the x32 ABI are
 * killed, the trapped numbers (or every number with trap_all) return `action`, the rest is
 * allowed. `flags` are SECCOMP_FILTER_FLAG_*; returns what seccomp(2) returns. */
static inline int ref_install_filter(const struct ref_options* o, unsigned action, unsigned flags) {
  struct sock_filter f[8 + REF_MAX_TRAPPED];
  int n = 0;
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1); /* x32 */
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  if (o->trap_all) {
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action);
  } else {
    /* A linear scan: the set is small. Each match jumps to the RET action at the end. */
    for (int i = 0; i < o->ntrapped; ++i) {
      unsigned to_action = (unsigned)(o->ntrapped - i); /* skip the rest and RET_ALLOW */
      f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)o->trapped[i], to_action, 0);
    }
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action);
  }
  struct sock_fprog prog = {(unsigned short)n, f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* Turns a wait status into the exit code a shell would report. */
static inline int ref_exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 125;
}

#endif
