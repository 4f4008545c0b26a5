// Guest: a child with three threads (the leader and two blocked in pause) is stopped with
// SIGSTOP, then SIGTSTP, continued after each, and killed with SIGTERM by its parent, as
// job control does. Exits 0 when the child stopped and died as natively. The child leads a
// process group of its own, as a shell's job does: in an orphaned group (a test harness's,
// with no controlling terminal) the kernel discards SIGTSTP, natively too.
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void* blocker(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

// Says whether every thread of process `pid` sleeps (state S: in pause, resumed by any
// tracer; not t or T).
static int all_sleeping(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  DIR* d = opendir(path);
  if (d == NULL) return 0;
  int threads = 0, sleeping = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    ++threads;
    char stat_path[320], buf[512];
    snprintf(stat_path, sizeof stat_path, "/proc/%d/task/%s/stat", (int)pid, e->d_name);
    FILE* f = fopen(stat_path, "r");
    if (f == NULL) break;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char* paren = strrchr(buf, ')');
    if (paren == NULL || strncmp(paren, ") S ", 4) != 0) break;
    ++sleeping;
  }
  closedir(d);
  return threads == 3 && sleeping == 3;
}

// Waits until the child's three threads are in pause, for at most 10 s (a guard against
// hangs only): a stop is then reported to a tracer with its signal for each of them.
static int wait_all_sleeping(pid_t pid) {
  for (int i = 0; i < 10000; ++i) {
    if (all_sleeping(pid)) return 0;
    poll(NULL, 0, 1);
  }
  fprintf(stderr, "mt_stopped: the child's threads were not all in pause within 10 s\n");
  return 1;
}

static int stop_and_continue(pid_t child, int sig) {
  kill(child, sig);
  int st = 0;
  if (waitpid(child, &st, WUNTRACED) != child || !WIFSTOPPED(st) || WSTOPSIG(st) != sig) return 1;
  kill(child, SIGCONT);
  if (waitpid(child, &st, WCONTINUED) != child || !WIFCONTINUED(st)) return 2;
  // As a person at a terminal: the next stop comes once every thread runs again. (A stop
  // that finds a thread still in a tracer's stop from the SIGCONT is reported to the
  // tracer without its signal, under strace too: the line count would vary.)
  return wait_all_sleeping(child) != 0 ? 3 : 0;
}

int main(void) {
  int ready[2];
  if (pipe(ready) != 0) return 10;
  pid_t child = fork();
  if (child == 0) {
    setpgid(0, 0);
    pthread_t a, b;
    pthread_create(&a, NULL, blocker, NULL);
    pthread_create(&b, NULL, blocker, NULL);
    (void)!write(ready[1], "x", 1);
    for (;;) pause();
  }
  setpgid(child, child);  // both sides set it: whichever runs first
  char c;
  if (read(ready[0], &c, 1) != 1) return 11;
  if (wait_all_sleeping(child) != 0) return 15;  // the threads are in pause
  if (stop_and_continue(child, SIGSTOP) != 0) return 12;
  if (stop_and_continue(child, SIGTSTP) != 0) return 13;
  kill(child, SIGTERM);
  int st = 0;
  if (waitpid(child, &st, 0) != child || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM) return 14;
  return 0;
}
