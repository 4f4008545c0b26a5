/* Defines ref_ptrace_requests: what one ptrace request costs the tracer at a seccomp stop, for
 * each request the ptrace backend could make there. A child calls getppid N times under a
 * filter that returns SECCOMP_RET_TRACE for it; at each stop the tracer times R back-to-back
 * calls of every request (vDSO clock around them, so the stop itself is not counted) and
 * prints the median ns per request over the stops. The backend's choice between
 * PTRACE_GETREGS (+ PTRACE_GETEVENTMSG for the filter's data) and PTRACE_GET_SYSCALL_INFO
 * (number, arguments and the data in one call) is made on these figures (docs/benchmarks.md).
 *
 *   ref_ptrace_requests [-n STOPS] [-r REPEATS]
 *
 * Prints one line per request: "<request> <ns> ns/request (median of STOPS stops)". */
#define _GNU_SOURCE
#include "common.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <time.h>

#define MAX_STOPS 100000

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int by_value(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

enum { GETREGS, GET_SYSCALL_INFO, GETEVENTMSG, PEEKUSER, SETREGS, POKEUSER, NREQUESTS };
static const char* const names[NREQUESTS] = {"PTRACE_GETREGS",
                                             "PTRACE_GET_SYSCALL_INFO",
                                             "PTRACE_GETEVENTMSG",
                                             "PTRACE_PEEKUSER (orig_rax)",
                                             "PTRACE_SETREGS (unchanged)",
                                             "PTRACE_POKEUSER (rax, unchanged)"};

/* One request of kind k on the stopped thread; returns nonzero on failure. */
static int request(int k, pid_t pid, struct user_regs_struct* regs) {
  switch (k) {
    case GETREGS:
      return ptrace(PTRACE_GETREGS, pid, 0, regs) != 0;
    case GET_SYSCALL_INFO: {
      struct __ptrace_syscall_info info;
      long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void*)sizeof info, &info);
      return n <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP;
    }
    case GETEVENTMSG: {
      unsigned long msg = 0;
      return ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) != 0;
    }
    case PEEKUSER:
      errno = 0;
      ptrace(PTRACE_PEEKUSER, pid, (void*)offsetof(struct user_regs_struct, orig_rax), 0);
      return errno != 0;
    case SETREGS:
      return ptrace(PTRACE_SETREGS, pid, 0, regs) != 0;
    case POKEUSER:
      return ptrace(PTRACE_POKEUSER, pid, (void*)offsetof(struct user_regs_struct, rax), (void*)regs->rax) !=
             0;
  }
  return 1;
}

static uint64_t samples[NREQUESTS][MAX_STOPS];

int main(int argc, char** argv) {
  long stops = 20000, repeats = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "-n") == 0)
      stops = strtol(argv[i + 1], NULL, 0);
    else if (strcmp(argv[i], "-r") == 0)
      repeats = strtol(argv[i + 1], NULL, 0);
  }
  if (stops < 1 || stops > MAX_STOPS || repeats < 1) {
    fprintf(stderr, "usage: %s [-n STOPS (1..%d)] [-r REPEATS]\n", argv[0], MAX_STOPS);
    return 125;
  }
  struct ref_options o;
  memset(&o, 0, sizeof o);
  o.trapped[o.ntrapped++] = SYS_getppid;

  pid_t child = fork();
  if (child < 0) ref_die("fork");
  if (child == 0) {
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) ref_die("PTRACE_TRACEME");
    raise(SIGSTOP);
    if (ref_install_filter(&o, SECCOMP_RET_TRACE | 0x534e, 0) != 0) ref_die("seccomp");
    for (long i = 0; i < stops; ++i) syscall(SYS_getppid);
    _exit(0);
  }
  int status;
  if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) ref_die("waitpid (initial stop)");
  if (ptrace(PTRACE_SETOPTIONS, child, 0, (void*)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)) != 0)
    ref_die("PTRACE_SETOPTIONS");
  if (ptrace(PTRACE_CONT, child, 0, 0) != 0) ref_die("PTRACE_CONT");

  long n = 0;
  for (;;) {
    if (waitpid(child, &status, 0) != child) ref_die("waitpid");
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_SECCOMP && n < stops) {
      struct user_regs_struct regs;
      if (ptrace(PTRACE_GETREGS, child, 0, &regs) != 0) ref_die("PTRACE_GETREGS");
      for (int k = 0; k < NREQUESTS; ++k) {
        uint64_t t0 = now_ns();
        for (long r = 0; r < repeats; ++r)
          if (request(k, child, &regs) != 0) ref_die(names[k]);
        samples[k][n] = (now_ns() - t0) / (uint64_t)repeats;
      }
      ++n;
    }
    if (ptrace(PTRACE_CONT, child, 0, 0) != 0) ref_die("PTRACE_CONT");
  }
  for (int k = 0; k < NREQUESTS; ++k) {
    qsort(samples[k], (size_t)n, sizeof samples[k][0], by_value);
    printf("%s %llu ns/request (median of %ld stops, %ld each)\n", names[k],
           (unsigned long long)samples[k][n / 2], n, repeats);
  }
  return 0;
}
