/* The C guest of the in-guest runtime's tests: each mode prints what it saw, the same natively
 * and under the runtime (tests/in_guest/runtime_test.cpp compares the two runs).
 * Usage: snare_ig_guest
 * threads|fork|vfork_exec|spawn|signals|own_sigsys|signal_in_hook|bad_numbers|segv|resethand|mask|clone_storm|getppid|loop
 *   |exec_efault|seccomp_no_prctl|own_sud|int80|clone_bad_args|signal_efault|null_call|altstack|fp_controls|mprotect_denied|uc_mask|longjmp_storm|fork_while_rewriting|sud_refused|vectors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a SECCOMP_RET_TRAP SIGSYS (asm-generic/siginfo.h) */
#endif

extern char** environ;

static void* thread_main(void* arg) {
  for (int i = 0; i < 3; ++i) syscall(SYS_getppid);
  return arg;
}

static int threads(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; ++i) {
    if (pthread_create(&t[i], NULL, thread_main, (void*)i) != 0) return 1;
  }
  long sum = 0;
  for (int i = 0; i < 4; ++i) {
    void* r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  printf("threads joined, sum %ld\n", sum);
  return 0;
}

static int fork_mode(void) {
  fflush(stdout);
  pid_t p = fork();
  if (p == 0) {
    syscall(SYS_getppid);
    printf("child\n");
    exit(3);
  }
  int st = 0;
  waitpid(p, &st, 0);
  printf("parent: child exited %d\n", WEXITSTATUS(st));
  return 0;
}

static int vfork_exec(void) {
  /* The new environment drops LD_PRELOAD (and keeps the rest): the runtime must keep it. */
  static char* envp[256];
  int n = 0;
  for (char** e = environ; *e != NULL && n < 255; ++e) {
    if (strncmp(*e, "LD_PRELOAD=", 11) != 0) envp[n++] = *e;
  }
  envp[n] = NULL;
  char* argv[] = {"/bin/true", NULL};
  pid_t p = vfork();
  if (p == 0) {
    execve(argv[0], argv, envp);
    _exit(127);
  }
  int st = 0;
  waitpid(p, &st, 0);
  printf("vfork child exited %d\n", WEXITSTATUS(st));
  return 0;
}

static int spawn(void) {
  char* argv[] = {"/bin/echo", "spawned", NULL};
  pid_t p;
  fflush(stdout);
  if (posix_spawn(&p, argv[0], NULL, NULL, argv, environ) != 0) return 1;
  int st = 0;
  waitpid(p, &st, 0);
  printf("spawn child exited %d\n", WEXITSTATUS(st));
  return 0;
}

static int pipe_fds[2];
static volatile sig_atomic_t handled;

static void on_alarm(int sig) {
  (void)sig;
  for (int i = 0; i < 7; ++i) syscall(SYS_getppid); /* counted only if interception is on */
  char c = 'x';
  if (write(pipe_fds[1], &c, 1) != 1) _exit(9);
  handled++;
}

static pthread_t reader;
static int reader_syscall_fd; /* the reader's /proc/thread-self/syscall, opened by it */
static volatile sig_atomic_t reader_not_seen;

/* Sends SIGALRM to the reader once /proc shows it inside read(2) (number 0), polling for up
 * to 10 s: a signal before the read would leave the read nothing to interrupt. */
static void* alarm_in_read(void* arg) {
  struct timespec start, now, ms = {0, 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    char buf[128] = {0};
    if (pread(reader_syscall_fd, buf, sizeof buf - 1, 0) > 0 && strncmp(buf, "0 ", 2) == 0) break;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 10) {
      reader_not_seen = 1;
      break;
    }
    nanosleep(&ms, NULL);
  }
  pthread_kill(reader, SIGALRM);
  return arg;
}

/* A blocking read interrupted by a handler that makes calls: restarted with SA_RESTART
 * (it then reads the handler's byte), EINTR without. */
static int signals(void) {
  reader = pthread_self();
  reader_syscall_fd = open("/proc/thread-self/syscall", O_RDONLY | O_CLOEXEC);
  if (reader_syscall_fd < 0) return 1;
  for (int restart = 1; restart >= 0; --restart) {
    if (pipe(pipe_fds) != 0) return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, alarm_in_read, NULL) != 0) return 1;
    char c;
    ssize_t n = read(pipe_fds[0], &c, 1);
    int err = errno;
    pthread_join(t, NULL);
    if (reader_not_seen) {
      printf("SA_RESTART %d: the read was not seen blocking within 10 s\n", restart);
      return 1;
    }
    printf("SA_RESTART %d: read returned %zd (%s), handled %d\n", restart, n, n < 0 ? strerror(err) : "data",
           (int)handled);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
  }
  close(reader_syscall_fd);
  return 0;
}

static volatile sig_atomic_t in_hook_handled;

static void on_alarm_in_hook(int sig) {
  (void)sig;
  for (int i = 0; i < 7; ++i) syscall(SYS_getppid);
  in_hook_handled = 1;
}

/* A SIGALRM that, under the test preload with SNARE_IG_ALARM_IN_GETPID, arrives while the
 * getpid hook runs (natively, and as a fallback, from a 50 ms timer). */
static int signal_in_hook(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm_in_hook;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &it, NULL);
  syscall(SYS_getpid);
  while (!in_hook_handled) usleep(1000);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("handled\n");
  return 0;
}

/* Numbers no sled covers, through glibc's syscall() after a valid call has rewritten its site:
 * -1, past the page, and the x32 bit; the results and errno as natively. */
static int bad_numbers(void) {
  long numbers[] = {SYS_getppid, -1, 100000, 0x40000000L | SYS_getpid, 1L << 40, SYS_getppid};
  for (int round = 0; round < 2; ++round) {
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; ++i) {
      errno = 0;
      long r = syscall(numbers[i]);
      printf("syscall(%#lx): %s, errno %d\n", numbers[i], r == -1 ? "-1" : "ok", errno);
    }
  }
  return 0;
}

static char* segv_page;
static volatile sig_atomic_t segv_seen;

static void on_segv(int sig, siginfo_t* info, void* uc) {
  (void)sig;
  (void)uc;
  segv_seen = (char*)info->si_addr == segv_page + 10;
  mprotect(segv_page, 4096, PROT_READ | PROT_WRITE);
}

/* Its own SIGSEGV handler, which repairs the fault (a write to a read-only page). */
static int segv(void) {
  segv_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (segv_page == MAP_FAILED) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  segv_page[10] = 'x';
  printf("recovered: %d %c\n", (int)segv_seen, segv_page[10]);
  return 0;
}

static void on_usr1(int sig) {
  (void)sig;
  syscall(SYS_getppid);
}

/* SA_RESETHAND: the first SIGUSR1 runs the handler, the second kills the process. */
static int resethand(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  struct sigaction now;
  sigaction(SIGUSR1, NULL, &now);
  printf("after the first: %s\n", now.sa_handler == SIG_DFL ? "SIG_DFL" : "handler");
  fflush(stdout);
  raise(SIGUSR1);
  printf("not reached\n");
  return 0;
}

static volatile sig_atomic_t usr2_runs;
static void on_usr2(int sig) {
  (void)sig;
  usr2_runs++;
}

/* sigprocmask as natively: a blocked signal stays pending until unblocked (the runtime runs the
 * call inside its SIGSYS handler, whose sigreturn would restore the old mask). */
static int mask(void) {
  signal(SIGUSR2, on_usr2);
  sigset_t s, pending;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  sigprocmask(SIG_BLOCK, &s, NULL);
  raise(SIGUSR2);
  sigpending(&pending);
  printf("blocked: runs %d, pending %d\n", (int)usr2_runs, sigismember(&pending, SIGUSR2));
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  printf("unblocked: runs %d\n", (int)usr2_runs);
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  raise(SIGUSR2);
  printf("all blocked: runs %d\n", (int)usr2_runs);
  pthread_sigmask(SIG_UNBLOCK, &all, NULL);
  printf("all unblocked: runs %d\n", (int)usr2_runs);
  return 0;
}

static volatile sig_atomic_t ticks;
static void on_tick(int sig) {
  (void)sig;
  ticks++;
  syscall(SYS_getppid);
}
static int clone_child(void* arg) { return (int)(long)arg % 7; }

/* Processes made by glibc's clone() on a stack of the parent's (no CLONE_VM, no signal blocking
 * around it) while a 200 us timer interrupts everything: every child starts and exits right. */
static int clone_storm(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_tick;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 200}, {0, 200}};
  setitimer(ITIMER_REAL, &it, NULL);
  static char stack[64 * 1024] __attribute__((aligned(16)));
  long sum = 0;
  for (long i = 0; i < 200; ++i) {
    pid_t p = clone(clone_child, stack + sizeof stack, SIGCHLD, (void*)i);
    if (p < 0) return 1;
    int st = 0;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
    }
    sum += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("200 clones, exit codes sum %ld\n", sum);
  return 0;
}

static volatile long sigsys_nr = -1;
static volatile int sigsys_code = -1;

static void on_sigsys(int sig, siginfo_t* info, void* ucv) {
  (void)sig;
  ucontext_t* uc = ucv;
  sigsys_code = info->si_code;
  sigsys_nr = info->si_code == SYS_SECCOMP ? info->si_syscall : -1;
  if (info->si_code == SYS_SECCOMP) uc->uc_mcontext.gregs[REG_RAX] = 777; /* the emulated result */
}

/* Its own SIGSYS handler, sigprocmask of SIGSYS, a tkill'd SIGSYS, a seccomp filter of its own
 * that traps getuid (SECCOMP_RET_TRAP): all as natively. */
static int own_sigsys(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  sigaction(SIGSYS, NULL, &old);
  printf("own handler installed: %d\n", old.sa_sigaction == on_sigsys);

  sigset_t set, got;
  sigemptyset(&set);
  sigaddset(&set, SIGSYS);
  sigprocmask(SIG_BLOCK, &set, NULL);
  sigprocmask(SIG_BLOCK, NULL, &got);
  printf("SIGSYS blocked: %d\n", sigismember(&got, SIGSYS));
  raise(SIGSYS);
  printf("raised while blocked: si_code %d\n", sigsys_code);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  sigprocmask(SIG_BLOCK, NULL, &got);
  printf("SIGSYS blocked after unblock: %d, the pending one: si_code %d\n", sigismember(&got, SIGSYS),
         sigsys_code);
  sigsys_code = -1;

  raise(SIGSYS);
  printf("raised SIGSYS: si_code %d\n", sigsys_code);

  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return 2;
  long uid = syscall(SYS_getuid);
  printf("getuid under a trapping filter: %ld, si_code %d, si_syscall %ld\n", uid, sigsys_code, sigsys_nr);
  return 0;
}

/* execve with an environment the kernel cannot read: EFAULT, as natively (the runtime reads the
 * environment to keep LD_PRELOAD in it; it must not fault where the kernel would not). */
static int exec_efault(void) {
  char* argv[] = {"/bin/true", NULL};
  /* Not page 0's addresses: the runtime maps page 0 when it rewrites (docs/in_guest.md). */
  char** unreadable = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char* bad_string[] = {"A=1", (char*)unreadable, NULL};
  char** bad_envps[] = {unreadable, bad_string, (char**)-4096L};
  for (unsigned i = 0; i < sizeof bad_envps / sizeof bad_envps[0]; ++i) {
    errno = 0;
    int r = execve(argv[0], argv, bad_envps[i]);
    printf("execve, bad envp %u: %d, %s\n", i, r, strerror(errno));
  }
  /* A string ending right before an unreadable page, shorter than "LD_PRELOAD=". */
  char* two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(two + 4096, 4096, PROT_NONE);
  strcpy(two + 4096 - 4, "B=2");
  char* edge[] = {two + 4096 - 4, (char*)unreadable, NULL};
  errno = 0;
  int r = execve(argv[0], argv, edge);
  printf("execve, a string at a page's end then a bad one: %d, %s\n", r, strerror(errno));
  return 0;
}

/* Seccomp filters of its own that forbid prctl (EPERM, then kill), as sandboxes do; threads and
 * a fork child created after each, making calls. */
static int seccomp_no_prctl(void) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  for (int kill = 0; kill <= 1; ++kill) {
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, kill ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
    if (kill) {
      if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return 2;
    } else {
      if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) return 2;
      errno = 0;
      int r = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
      printf("prctl under the filter: %d, %s\n", r, strerror(errno));
    }
    if (threads() != 0) return 3;
    if (fork_mode() != 0) return 4;
  }
  return 0;
}

/* Its own Syscall User Dispatch: switching it off (never on) succeeds, as natively. */
static int own_sud(void) {
  errno = 0;
  int r = prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 0 /* PR_SYS_DISPATCH_OFF */, 0, 0, 0);
  printf("own SUD off: %d, %s\n", r, strerror(errno));
  for (int i = 0; i < 5; ++i) syscall(SYS_getppid);
  return 0;
}

/* 32-bit calls by `int $0x80` (i386 numbers and registers), which a 64-bit process may make. */
static int int80(void) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory"); /* i386 getpid */
  printf("int80 getpid right: %d\n", r == getpid());
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(64L) : "memory"); /* i386 getppid */
  printf("int80 getppid right: %d\n", r == getppid());
  static const char text[] = "int80 write\n";
  char* msg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (msg == MAP_FAILED) return 1;
  memcpy(msg, text, sizeof text);
  fflush(stdout);
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(4L), "b"(1L), "c"(msg), "d"(sizeof text - 1) : "memory");
  printf("int80 write returned %ld\n", r);
  return 0;
}

/* clone3 with arguments the kernel cannot read, or a size past the struct with a zero tail,
 * and a raw clone onto a stack that is not mapped: what the kernel gives natively. */
static int clone_bad_args(void) {
  void* unreadable = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  errno = 0;
  long r = syscall(SYS_clone3, unreadable, 88);
  printf("clone3, unreadable args: %ld, %s\n", r, strerror(errno));
  /* struct clone_args (88 bytes) then zeros: a larger size the kernel accepts. */
  static unsigned long long args[64];
  memset(args, 0, sizeof args);
  args[4] = SIGCHLD; /* exit_signal */
  fflush(stdout);
  r = syscall(SYS_clone3, args, sizeof args);
  if (r == 0) _exit(5);
  int st = 0;
  if (r > 0) waitpid((pid_t)r, &st, 0);
  printf("clone3, size %zu: %s, child exited %d\n", sizeof args, r > 0 ? "ok" : strerror(errno),
         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  args[20] = 1; /* nonzero past the 88 bytes the kernel knows: E2BIG */
  errno = 0;
  r = syscall(SYS_clone3, args, sizeof args);
  printf("clone3, nonzero tail: %ld, %s\n", r, strerror(errno));
  /* The child starts on a stack that is not there: it dies by SIGSEGV, the parent goes on. */
  r = syscall(SYS_clone, SIGCHLD, (char*)unreadable + 4096, 0, 0, 0);
  if (r == 0) _exit(6); /* not reached: the child's first return faults */
  st = 0;
  if (r > 0) waitpid((pid_t)r, &st, 0);
  printf("clone, bad stack: child %s %d\n", WIFSIGNALED(st) ? "signalled" : "exited",
         WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
  return 0;
}

/* The signal calls the runtime emulates, given pointers the kernel cannot read or write. */
static int signal_efault(void) {
  void* bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  struct timespec zero = {0, 0};
  long pselect_data[2] = {(long)bad, 8};
  struct {
    const char* what;
    long r;
    int err;
  } rs[7];
  int n = 0;
#define TRY(label, call)  \
  do {                    \
    errno = 0;            \
    rs[n].r = (call);     \
    rs[n].err = errno;    \
    rs[n++].what = label; \
  } while (0)
  TRY("rt_sigaction act", syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8));
  TRY("rt_sigaction oact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, bad, 8));
  TRY("rt_sigprocmask set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
  TRY("rt_sigsuspend", syscall(SYS_rt_sigsuspend, bad, 8));
  TRY("ppoll sigmask", syscall(SYS_ppoll, NULL, 0, &zero, bad, 8));
  TRY("pselect6 data", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, bad));
  TRY("pselect6 mask", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &zero, pselect_data));
#undef TRY
  for (int i = 0; i < n; ++i) printf("%s: %ld, %s\n", rs[i].what, rs[i].r, strerror(rs[i].err));
  /* An unwritable oset: EFAULT after the kernel changed the mask. */
  void* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sigset_t usr2, now;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  errno = 0;
  long r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &usr2, ro, 8);
  int err = errno;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("rt_sigprocmask oset: %ld, %s, SIGUSR2 blocked after: %d\n", r, strerror(err),
         sigismember(&now, SIGUSR2));
  return 0;
}

/* A call through a null function pointer, after calls that rewrote sites: a crash by SIGSEGV
 * (page 0 holds the runtime's sled when it rewrites: it must not run as a syscall). */
static int null_call(void) {
  for (int i = 0; i < 3; ++i) syscall(SYS_getppid);
  void (*volatile fp)(void) = NULL;
  fflush(stdout);
  fp();
  printf("survived a call through a null pointer\n");
  return 0;
}

static unsigned char alt_area[64 * 1024];
static volatile long alt_got;
static void on_usr1_alt(int sig) {
  (void)sig;
  long r; /* a site of its own: its first call traps and is rewritten, on the alternate stack */
  __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
  alt_got = r;
}

/* A handler on an 8 KiB alternate signal stack (the classic SIGSTKSZ) making calls: nothing
 * written below the stack (the runtime's SIGSYS path runs on it too). */
static int altstack(void) {
  const size_t size = 8192;
  memset(alt_area, 0xa5, sizeof alt_area);
  stack_t ss = {.ss_sp = alt_area + sizeof alt_area - size, .ss_size = size};
  if (sigaltstack(&ss, NULL) != 0) return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1_alt;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  for (int i = 0; i < 2; ++i) raise(SIGUSR1); /* the trap and rewrite, then the rewritten site */
  size_t below = 0;
  for (size_t i = 0; i < sizeof alt_area - size; ++i) below += alt_area[i] != 0xa5;
  printf("on the alternate stack: getppid right %d, bytes written below it %zu\n", alt_got == getppid(),
         below);
  return 0;
}

static void* rounding_of_thread(void* arg) {
  (void)arg;
  return (void*)(long)fegetround();
}

/* Threads inherit the floating-point controls (rounding mode here) of their creator. */
static int fp_controls(void) {
  fesetround(FE_UPWARD);
  for (int i = 0; i < 2; ++i) { /* the first through a trap, the second a rewritten site */
    pthread_t t;
    void* r = NULL;
    if (pthread_create(&t, NULL, rounding_of_thread, NULL) != 0) return 1;
    pthread_join(t, &r);
    printf("thread %d rounds upward: %d\n", i, (long)r == FE_UPWARD);
  }
  fesetround(FE_TONEAREST);
  return 0;
}

/* A seccomp filter refusing writable-executable mprotect (as SELinux's execmod or PaX would):
 * 300 calls from one site, which the runtime cannot rewrite. */
static int mprotect_denied(void) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) return 2;
  long sum = 0;
  for (int i = 0; i < 300; ++i) sum += syscall(SYS_getppid) == getppid();
  printf("%ld\n", sum);
  return 0;
}

static void on_sigsys_blocking(int sig, siginfo_t* info, void* ucv) {
  (void)sig;
  (void)info;
  sigaddset(&((ucontext_t*)ucv)->uc_sigmask, SIGSYS); /* blocked from its return on */
}

/* A SIGSYS handler that blocks SIGSYS through the mask its return restores; calls after it. */
static int uc_mask(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys_blocking;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  raise(SIGSYS);
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  long sum = 0;
  for (int i = 0; i < 3; ++i) sum += syscall(SYS_getppid) == getppid();
  printf("SIGSYS blocked after the handler: %d, calls %ld\n", sigismember(&now, SIGSYS), sum);
  return 0;
}

static sigjmp_buf storm_jump;
static void on_storm_tick(int sig) {
  (void)sig;
  siglongjmp(storm_jump, 1);
}

/* Sites of its own (`syscall; ret` stubs in a private read+execute page) called while a 50 us
 * timer's handler leaves whatever it interrupts by siglongjmp; then, the timer off, a fresh
 * stub called twice. Prints whether that stub is still `syscall` (0f 05: natively, or SUD
 * only) and whether any page of the process is writable and executable. */
static int longjmp_storm(void) {
  enum { stubs = 1000 };
  unsigned char* code = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) return 1;
  for (int i = 0; i < stubs + 1; ++i) {
    unsigned char* p = code + 8 * i; /* syscall; ret, one per 8 bytes (never across a cache line) */
    p[0] = 0x0f, p[1] = 0x05, p[2] = 0xc3;
  }
  if (mprotect(code, 8192, PROT_READ | PROT_EXEC) != 0) return 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_storm_tick;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 50}, {0, 50}};
  volatile int next = 0;
  if (sigsetjmp(storm_jump, 1) == 0) setitimer(ITIMER_REAL, &it, NULL);
  while (next < stubs) {
    long (*stub)(long) = (long (*)(long))(void*)(code + 8 * next++);
    __asm__ volatile("" ::: "memory");
    long r;
    __asm__ volatile("call *%1" : "=a"(r) : "r"(stub), "a"((long)SYS_getppid) : "rcx", "r11", "memory");
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  for (int i = 0; i < 2; ++i) {
    long r;
    __asm__ volatile("call *%1"
                     : "=a"(r)
                     : "r"(code + 8 * stubs), "a"((long)SYS_getppid)
                     : "rcx", "r11", "memory");
  }
  int rwx = 0;
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[512];
  while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
    char perms[8] = "";
    if (sscanf(line, "%*x-%*x %7s", perms) == 1 && strncmp(perms, "rwx", 3) == 0) rwx = 1;
  }
  if (maps != NULL) fclose(maps);
  printf("fresh stub: %02x %02x, a writable executable page: %d\n", code[8 * stubs], code[8 * stubs + 1],
         rwx);
  return 0;
}

static unsigned char* rw_code;
static volatile int rw_stop;
enum { rw_stubs = 4000 };
static long call_stub(int i) {
  long r;
  __asm__ volatile("call *%1"
                   : "=a"(r)
                   : "r"(rw_code + 8 * i), "a"((long)SYS_getppid)
                   : "rcx", "r11", "memory");
  return r;
}
static void* rewriting_thread(void* arg) {
  (void)arg;
  for (int i = 0; i < rw_stubs - 100 && !rw_stop; ++i) call_stub(i); /* each a first trap: a rewrite */
  return NULL;
}

/* fork while another thread rewrites sites (most of the time): each child's own first call of
 * a fresh site is rewritten too (exit 0 when its bytes became ff d0; natively 0f 05, exit 1). */
static int fork_while_rewriting(void) {
  rw_code = mmap(NULL, 8 * rw_stubs, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (rw_code == MAP_FAILED) return 1;
  for (int i = 0; i < rw_stubs; ++i)
    rw_code[8 * i] = 0x0f, rw_code[8 * i + 1] = 0x05, rw_code[8 * i + 2] = 0xc3;
  if (mprotect(rw_code, 8 * rw_stubs, PROT_READ | PROT_EXEC) != 0) return 2;
  pthread_t t;
  if (pthread_create(&t, NULL, rewriting_thread, NULL) != 0) return 3;
  int rewritten = 0, forks = 20;
  for (int k = 0; k < forks; ++k) {
    usleep(2000);
    pid_t p = fork();
    if (p == 0) {
      int i = rw_stubs - 1 - k;
      call_stub(i);
      call_stub(i);
      _exit(rw_code[8 * i] == 0xff && rw_code[8 * i + 1] == 0xd0 ? 0 : 1);
    }
    int st = 0;
    waitpid(p, &st, 0);
    rewritten += WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }
  rw_stop = 1;
  pthread_join(t, NULL);
  printf("children whose site was rewritten: %d of %d\n", rewritten, forks);
  return 0;
}

static void* returns_arg(void* arg) { return arg; }

/* A seccomp filter refusing prctl loaded by a 32-bit prctl (int $0x80, which the runtime runs
 * as it comes: no prefix for its own prctl), then a thread: natively it runs; under the
 * runtime the thread cannot turn SUD on and the process ends by SIGSYS. */
static int sud_refused(void) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 1;
  unsigned char* low =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (low == MAP_FAILED) return 2;
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  memcpy(low + 64, filter, sizeof filter);
  unsigned short len = sizeof filter / sizeof filter[0];
  unsigned int at = (unsigned int)(unsigned long)(low + 64);
  memcpy(low, &len, sizeof len); /* the i386 struct sock_fprog: len, then a 32-bit pointer at 4 */
  memcpy(low + 4, &at, sizeof at);
  long r;
  __asm__ volatile("int $0x80"
                   : "=a"(r)
                   : "a"(172L), "b"(22L), "c"(2L), "d"((long)(unsigned long)low)
                   : "memory");
  printf("filter loaded: %ld\n", r);
  fflush(stdout);
  pthread_t t;
  if (pthread_create(&t, NULL, returns_arg, NULL) != 0) return 3;
  pthread_join(t, NULL);
  printf("thread ran\n");
  return 0;
}

/* Vector registers, MXCSR and the x87 control word across getppid calls from one site (the
 * first trapped, the rest from the rewritten site), while the test preload's hooks clobber
 * them (SNARE_IG_CLOBBER). Per width the CPU has (xmm0-15; ymm0-15 with AVX; zmm0-31 and k0-7
 * with AVX-512F and BW) and per x87 state: untouched (its control word must stay the default)
 * or set to 0x27f (x87 state in use). Prints how many registers kept their values. */
#define VEC_CALLS 6
static unsigned char vec_in[32][64] __attribute__((aligned(64)));
static unsigned char vec_out[32][64] __attribute__((aligned(64)));
static unsigned long long k_in[8], k_out[8];
static unsigned vec_mxcsr_out;
static unsigned short vec_fcw_out;
static unsigned long vec_flags_out;
/* CF, PF, AF, ZF, SF, OF and DF set: the kernel gives them back after a syscall. */
static const unsigned long flags_in = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x202;

static void vec_fill(int round) {
  for (int r = 0; r < 32; ++r)
    for (int i = 0; i < 64; ++i) vec_in[r][i] = (unsigned char)(r * 64 + i + round * 7 + 1) | 1;
  for (int k = 0; k < 8; ++k) k_in[k] = 0x0123456789abcdefULL * (unsigned long long)(k + 1 + round);
  memset(vec_out, 0, sizeof vec_out);
  memset(k_out, 0, sizeof k_out);
}

/* One asm statement: load, syscall, store; the compiler never sees the registers live. */
#define VEC_X87(x87) "cmpl $0, %[x] \n je 1f \n fldcw %[cw] \n 1: \n"
#define VEC_TAIL \
  "stmxcsr %[mo] \n fnstcw %[co] \n ldmxcsr %[md] \n cmpl $0, %[x] \n je 2f \n fldcw %[cd] \n 2: \n"
#define VEC_OPERANDS(x87)                           \
  [mo] "=m"(vec_mxcsr_out), [co] "=m"(vec_fcw_out), \
      [fo] "=m"(vec_flags_out)                      \
      : [in] "r"(vec_in),                           \
        [out] "r"(vec_out),                         \
        [ki] "r"(k_in),                             \
        [ko] "r"(k_out),                            \
        [mi] "m"(mxcsr_in),                         \
        [md] "m"(mxcsr_default),                    \
        [x] "r"(x87),                               \
        [cw] "m"(fcw_in),                           \
        [cd] "m"(fcw_default),                      \
        [fi] "m"(flags_in)

static const unsigned mxcsr_in = 0x1f80 | 0x6000 | 0x8000; /* round toward zero, flush to zero */
static const unsigned mxcsr_default = 0x1f80;
static const unsigned short fcw_in = 0x27f, fcw_default = 0x37f;

static void vec_call_sse(int x87) {
  __asm__ volatile(
      "movaps 0(%[in]), %%xmm0 \n movaps 64(%[in]), %%xmm1 \n movaps 128(%[in]), %%xmm2 \n"
      "movaps 192(%[in]), %%xmm3 \n movaps 256(%[in]), %%xmm4 \n movaps 320(%[in]), %%xmm5 \n"
      "movaps 384(%[in]), %%xmm6 \n movaps 448(%[in]), %%xmm7 \n movaps 512(%[in]), %%xmm8 \n"
      "movaps 576(%[in]), %%xmm9 \n movaps 640(%[in]), %%xmm10 \n movaps 704(%[in]), %%xmm11 \n"
      "movaps 768(%[in]), %%xmm12 \n movaps 832(%[in]), %%xmm13 \n movaps 896(%[in]), %%xmm14 \n"
      "movaps 960(%[in]), %%xmm15 \n ldmxcsr %[mi] \n" VEC_X87(x87)
      "push %[fi] \n popfq \n mov $110, %%eax \n syscall \n pushfq \n pop %[fo] \n cld \n"
      "movaps %%xmm0, 0(%[out]) \n movaps %%xmm1, 64(%[out]) \n movaps %%xmm2, 128(%[out]) \n"
      "movaps %%xmm3, 192(%[out]) \n movaps %%xmm4, 256(%[out]) \n movaps %%xmm5, 320(%[out]) \n"
      "movaps %%xmm6, 384(%[out]) \n movaps %%xmm7, 448(%[out]) \n movaps %%xmm8, 512(%[out]) \n"
      "movaps %%xmm9, 576(%[out]) \n movaps %%xmm10, 640(%[out]) \n movaps %%xmm11, 704(%[out]) \n"
      "movaps %%xmm12, 768(%[out]) \n movaps %%xmm13, 832(%[out]) \n movaps %%xmm14, 896(%[out]) \n"
      "movaps %%xmm15, 960(%[out]) \n" VEC_TAIL
      : VEC_OPERANDS(x87)
      : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

__attribute__((target("avx"))) static void vec_call_avx(int x87) {
  __asm__ volatile(
      "vmovdqa 0(%[in]), %%ymm0 \n vmovdqa 64(%[in]), %%ymm1 \n vmovdqa 128(%[in]), %%ymm2 \n"
      "vmovdqa 192(%[in]), %%ymm3 \n vmovdqa 256(%[in]), %%ymm4 \n vmovdqa 320(%[in]), %%ymm5 \n"
      "vmovdqa 384(%[in]), %%ymm6 \n vmovdqa 448(%[in]), %%ymm7 \n vmovdqa 512(%[in]), %%ymm8 \n"
      "vmovdqa 576(%[in]), %%ymm9 \n vmovdqa 640(%[in]), %%ymm10 \n vmovdqa 704(%[in]), %%ymm11 \n"
      "vmovdqa 768(%[in]), %%ymm12 \n vmovdqa 832(%[in]), %%ymm13 \n vmovdqa 896(%[in]), %%ymm14 \n"
      "vmovdqa 960(%[in]), %%ymm15 \n ldmxcsr %[mi] \n" VEC_X87(x87)
      "push %[fi] \n popfq \n mov $110, %%eax \n syscall \n pushfq \n pop %[fo] \n cld \n"
      "vmovdqa %%ymm0, 0(%[out]) \n vmovdqa %%ymm1, 64(%[out]) \n vmovdqa %%ymm2, 128(%[out]) \n"
      "vmovdqa %%ymm3, 192(%[out]) \n vmovdqa %%ymm4, 256(%[out]) \n vmovdqa %%ymm5, 320(%[out]) \n"
      "vmovdqa %%ymm6, 384(%[out]) \n vmovdqa %%ymm7, 448(%[out]) \n vmovdqa %%ymm8, 512(%[out]) \n"
      "vmovdqa %%ymm9, 576(%[out]) \n vmovdqa %%ymm10, 640(%[out]) \n vmovdqa %%ymm11, 704(%[out]) \n"
      "vmovdqa %%ymm12, 768(%[out]) \n vmovdqa %%ymm13, 832(%[out]) \n vmovdqa %%ymm14, 896(%[out]) \n"
      "vmovdqa %%ymm15, 960(%[out]) \n vzeroupper \n" VEC_TAIL
      : VEC_OPERANDS(x87)
      : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

#define Z(n, off) "vmovdqa64 " #off "(%[in]), %%zmm" #n " \n"
#define ZO(n, off) "vmovdqa64 %%zmm" #n ", " #off "(%[out]) \n"
// clang-format reflows this list differently on each run: left as one entry a line.
// clang-format off
#define ZALL(M) \
  M(0, 0) \
  M(1, 64) \
  M(2, 128) \
  M(3, 192) \
  M(4, 256) \
  M(5, 320) \
  M(6, 384) \
  M(7, 448) \
  M(8, 512) \
  M(9, 576) \
  M(10, 640) \
  M(11, 704) \
  M(12, 768) \
  M(13, 832) \
  M(14, 896) \
  M(15, 960) \
  M(16, 1024) \
  M(17, 1088) \
  M(18, 1152) \
  M(19, 1216) \
  M(20, 1280) \
  M(21, 1344) \
  M(22, 1408) \
  M(23, 1472) \
  M(24, 1536) \
  M(25, 1600) \
  M(26, 1664) \
  M(27, 1728) \
  M(28, 1792) \
  M(29, 1856) \
  M(30, 1920) \
  M(31, 1984)
// clang-format on
#define K(n) "kmovq " #n "*8(%[ki]), %%k" #n " \n"
#define KO(n) "kmovq %%k" #n ", " #n "*8(%[ko]) \n"

__attribute__((target("avx512f,avx512bw"))) static void vec_call_avx512(int x87) {
  __asm__ volatile(
      ZALL(Z) K(0) K(1) K(2) K(3) K(4) K(5) K(6) K(7) "ldmxcsr %[mi] \n" VEC_X87(
          x87) "push %[fi] \n popfq \n mov $110, %%eax \n syscall \n pushfq \n pop %[fo] \n cld \n" ZALL(ZO)
          KO(0) KO(1) KO(2) KO(3) KO(4) KO(5) KO(6) KO(7) "vzeroupper \n" VEC_TAIL
      : VEC_OPERANDS(x87)
      : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19",
        "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30",
        "xmm31", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
}

static int vectors(void) {
  struct {
    const char* name;
    int ok;
    void (*call)(int);
    int regs, bytes, kregs;
  } w[] = {{"xmm", 1, vec_call_sse, 16, 16, 0},
           {"ymm", __builtin_cpu_supports("avx"), vec_call_avx, 16, 32, 0},
           {"zmm", __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"), vec_call_avx512,
            32, 64, 8}};
  /* x87 untouched first: once the guest sets its control word, the x87 state stays in use. */
  for (int x87 = 0; x87 < 2; ++x87) {
    for (int i = 0; i < 3; ++i) {
      if (!w[i].ok) continue;
      int regs = 0, kregs = 0, mxcsr = 0, fcw = 0, flags = 0;
      for (int c = 0; c < VEC_CALLS; ++c) {
        vec_fill(c);
        w[i].call(x87);
        for (int r = 0; r < w[i].regs; ++r) regs += memcmp(vec_in[r], vec_out[r], (size_t)w[i].bytes) == 0;
        for (int k = 0; k < w[i].kregs; ++k) kregs += k_in[k] == k_out[k];
        mxcsr += vec_mxcsr_out == mxcsr_in;
        fcw += vec_fcw_out == (x87 ? fcw_in : fcw_default);
        flags += (vec_flags_out & 0xcd5) == (flags_in & 0xcd5);
      }
      printf(
          "%s, x87 %s: registers kept %d/%d, k0-k7 kept %d/%d, mxcsr kept %d/%d, x87 cw kept %d/%d, flags "
          "kept %d/%d\n",
          w[i].name, x87 ? "cw 0x27f" : "untouched", regs, w[i].regs * VEC_CALLS, kregs,
          w[i].kregs * VEC_CALLS, mxcsr, VEC_CALLS, fcw, VEC_CALLS, flags, VEC_CALLS);
    }
  }
  return 0;
}

/* copy: the test preload answers write(-77, p, n) with copy_from_guest's result (n, or
   -errno): a readable page, an unmapped one, a shared file mapping cut short (SIGBUS), and the
   unmapped one again while the thread blocks SIGSEGV (the runtime declines: EAGAIN). The
   guest must live through all of them. */
static const char* copy_result(long r) {
  static char buf[32];
  if (r >= 0) {
    snprintf(buf, sizeof buf, "%ld", r);
    return buf;
  }
  return errno == EFAULT ? "EFAULT" : errno == EAGAIN ? "EAGAIN" : errno == EBADF ? "EBADF" : "other";
}
static int copy_mode(void) {
  char* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 1;
  memcpy(p, "abcd", 4);
  printf("readable %s\n", copy_result(syscall(SYS_write, -77, p, 4)));
  munmap(p, 4096);
  printf("unmapped %s\n", copy_result(syscall(SYS_write, -77, p, 4)));
  char path[] = "/tmp/snare_ig_copy_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  unlink(path);
  if (ftruncate(fd, 4096) != 0) return 1;
  char* f = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (f == MAP_FAILED) return 1;
  printf("file %s\n", copy_result(syscall(SYS_write, -77, f, 4)));
  if (ftruncate(fd, 0) != 0) return 1;
  printf("truncated %s\n", copy_result(syscall(SYS_write, -77, f, 4)));
  sigset_t segv_set, old;
  sigemptyset(&segv_set);
  sigaddset(&segv_set, SIGSEGV);
  sigprocmask(SIG_BLOCK, &segv_set, &old);
  printf("blocked %s\n", copy_result(syscall(SYS_write, -77, p, 4)));
  sigprocmask(SIG_SETMASK, &old, NULL);
  close(fd);
  return 0;
}

/* bus: the guest's own SIGBUS handler gets a fault of a shared file mapping cut short
   (siglongjmp out of it); bus_die: the same fault with no handler kills by SIGBUS. */
static sigjmp_buf bus_jump;
static volatile sig_atomic_t bus_code;
static void on_bus(int sig, siginfo_t* info, void* uc) {
  (void)sig;
  (void)uc;
  bus_code = info->si_code;
  siglongjmp(bus_jump, 1);
}
static int bus(int handled) {
  char path[] = "/tmp/snare_ig_bus_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 1;
  unlink(path);
  if (ftruncate(fd, 4096) != 0) return 1;
  volatile char* f = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (f == MAP_FAILED) return 1;
  if (ftruncate(fd, 0) != 0) return 1;
  if (handled) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    if (sigsetjmp(bus_jump, 1) == 0) {
      (void)f[0];
      printf("no fault\n");
      return 1;
    }
    printf("bus handled, si_code %d\n", (int)bus_code);
    return 0;
  }
  fflush(stdout);
  (void)f[0];
  printf("no fault\n");
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* m = argv[1];
  int r = 2;
  if (strcmp(m, "threads") == 0) r = threads();
  if (strcmp(m, "fork") == 0) r = fork_mode();
  if (strcmp(m, "vfork_exec") == 0) r = vfork_exec();
  if (strcmp(m, "spawn") == 0) r = spawn();
  if (strcmp(m, "signals") == 0) r = signals();
  if (strcmp(m, "own_sigsys") == 0) r = own_sigsys();
  if (strcmp(m, "signal_in_hook") == 0) r = signal_in_hook();
  if (strcmp(m, "bad_numbers") == 0) r = bad_numbers();
  if (strcmp(m, "segv") == 0) r = segv();
  if (strcmp(m, "resethand") == 0) r = resethand();
  if (strcmp(m, "mask") == 0) r = mask();
  if (strcmp(m, "clone_storm") == 0) r = clone_storm();
  if (strcmp(m, "exec_efault") == 0) r = exec_efault();
  if (strcmp(m, "seccomp_no_prctl") == 0) r = seccomp_no_prctl();
  if (strcmp(m, "own_sud") == 0) r = own_sud();
  if (strcmp(m, "int80") == 0) r = int80();
  if (strcmp(m, "clone_bad_args") == 0) r = clone_bad_args();
  if (strcmp(m, "signal_efault") == 0) r = signal_efault();
  if (strcmp(m, "null_call") == 0) r = null_call();
  if (strcmp(m, "altstack") == 0) r = altstack();
  if (strcmp(m, "fp_controls") == 0) r = fp_controls();
  if (strcmp(m, "mprotect_denied") == 0) r = mprotect_denied();
  if (strcmp(m, "uc_mask") == 0) r = uc_mask();
  if (strcmp(m, "longjmp_storm") == 0) r = longjmp_storm();
  if (strcmp(m, "fork_while_rewriting") == 0) r = fork_while_rewriting();
  if (strcmp(m, "sud_refused") == 0) r = sud_refused();
  if (strcmp(m, "vectors") == 0) r = vectors();
  if (strcmp(m, "copy") == 0) r = copy_mode();
  if (strcmp(m, "bus") == 0) r = bus(1);
  if (strcmp(m, "bus_die") == 0) r = bus(0);
  if (strcmp(m, "loop") == 0) { /* one site, 1000 calls: rewritten after its first trap */
    long sum = 0;
    for (int i = 0; i < 3; ++i) sum -= getuid() != getuid(); /* rewrites libc's getuid site */
    for (int i = 0; i < 1000; ++i) sum += syscall(SYS_getppid) == getppid();
    printf("%ld\n", sum);
    r = 0;
  }
  if (strcmp(m, "getppid") == 0) {
    printf("%ld\n", (long)getppid());
    r = 0;
  }
  fflush(stdout);
  return r;
}
