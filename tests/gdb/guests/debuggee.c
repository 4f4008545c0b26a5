// The gdbserver tests' guest: a global, a function with a local to break in, and three
// more threads that wait in read(2) while the first thread stops (info threads shows four);
// with the argument `wait`, a line `waiting PID`, then a loop in pause(2) for gdb to interrupt
// (the test interrupts once it sees the line and the guest asleep); with `fork`, a child
// that calls add first; with `vfork`, a vfork child that does; with `exec`, an exec of
// /bin/true; with `grandchild`, a child that forks one that calls add; with `single`, no threads; with
// `loop`, a loop on one line (gdb's `next` range steps over it); with `usr1`, three SIGUSR1 to itself, each
// counted by a handler. The workers name themselves worker-1..3 (gdb shows thread names)
// before main goes on.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int global_counter = 41;
int last_worker = 0;  // each worker writes its id (a watchpoint in threads made later)
static int gate[2];
static pthread_barrier_t named;  // main goes on once every worker has its name (futex only)

int work(long id) {
  int twice = (int)id * 2;
  return twice;
}

static void* worker(void* arg) {
  char name[16];
  snprintf(name, sizeof name, "worker-%ld", (long)arg);
  pthread_setname_np(pthread_self(), name);  // prctl(PR_SET_NAME): no call the tests count
  pthread_barrier_wait(&named);
  char c;
  while (read(gate[0], &c, 1) < 0) {
  }
  last_worker = (int)(long)arg;
  return (void*)(long)work((long)arg);  // the three threads call it at once: a breakpoint's
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig) {
  (void)sig;
  handled++;
}

int loop_sum(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) total += i;  // one line: one `next` over the whole loop
  return total;                            // after the loop
}

int add(int a, int b) {
  int local_sum = a + b;
  return local_sum;
}

int main(int argc, char** argv) {
  pthread_t t[3];
  if (argc > 1 && argv[1][0] == 'w') {  // "wait": until a signal ends it (gdb's Ctrl-C test)
    printf("waiting %d\n", (int)getpid());
    fflush(stdout);
    for (;;) pause();
  }
  if (argc > 1 && argv[1][0] == 'l') {  // "loop"
    printf("sum %d\n", loop_sum(1000));
    return 0;
  }
  if (argc > 1 && argv[1][0] == 'u') {  // "usr1": the handler runs once per signal
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 3; ++i) kill(getpid(), SIGUSR1);
    printf("handled %d\n", (int)handled);
    return 0;
  }
  if (argc > 1 && argv[1][0] == 'e') {  // "exec": the process becomes /bin/true
    execl("/bin/true", "true", (char*)NULL);
    return 3;
  }
  if (argc > 1 && argv[1][0] == 'v') {  // "vfork": the child runs add in the parent's memory
    pid_t child = vfork();
    if (child == 0) {
      char line[32];
      int n = snprintf(line, sizeof line, "vfork child %d\n", add(1, 1));
      if (write(1, line, (size_t)n) < 0) _exit(2);
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status)) printf("child killed by signal %d\n", WTERMSIG(status));
  }
  if (argc > 1 && argv[1][0] == 'g') {  // "grandchild": a child forks one that runs add
    pid_t child = fork();
    if (child == 0) {
      pid_t grandchild = fork();
      if (grandchild == 0) {
        printf("grandchild %d\n", add(3, 4));
        fflush(stdout);
        _exit(0);
      }
      int status = 0;
      waitpid(grandchild, &status, 0);
      _exit(WIFEXITED(status) ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) printf("child failed: %d\n", status);
  }
  if (argc > 1 && argv[1][0] == 'f') {  // "fork": a child runs add too, before the parent
    pid_t child = fork();
    if (child == 0) {
      printf("child %d\n", add(1, 1));
      fflush(stdout);
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status)) printf("child killed by signal %d\n", WTERMSIG(status));
  }
  // "single": no threads, so that the calls it makes are the same in every run.
  const int threads = argc > 1 && argv[1][0] == 's' ? 0 : 3;
  if (threads > 0) {
    if (pipe(gate) != 0) return 2;
    pthread_barrier_init(&named, NULL, threads + 1);
    for (int i = 0; i < threads; ++i) pthread_create(&t[i], NULL, worker, (void*)(long)(i + 1));
    pthread_barrier_wait(&named);  // the workers are named (then they reach their read)
  }
  global_counter++;
  int r = add(2, 3);
  printf("result %d global %d\n", r, global_counter);
  fflush(stdout);
  if (threads > 0) {
    close(gate[1]);
    for (int i = 0; i < threads; ++i) pthread_join(t[i], NULL);
  }
  return r == 5 ? 0 : 1;
}
