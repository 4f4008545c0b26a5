// Guest: mode "child": a child blocks in read on a pipe, the parent SIGKILLs it once it is
// blocked and checks it died of SIGKILL (exit 0). Mode "self": a thread blocks in read and
// the main thread SIGKILLs the whole process (the tracer reports 137).
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fds[2];
static volatile pid_t reader_tid;

// Waits until task `tid` of process `pid` is inside read(2) (/proc/.../syscall shows 0).
static void wait_blocked_in_read(pid_t pid, pid_t tid) {
  char path[96];
  snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", pid, tid);
  for (;;) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
      (void)!read(fd, buf, sizeof buf - 1);
      close(fd);
      if (strncmp(buf, "0 ", 2) == 0) return;
    }
    sched_yield();
  }
}

static void* reader(void* arg) {
  (void)arg;
  reader_tid = (pid_t)syscall(SYS_gettid);
  char c;
  (void)!read(fds[0], &c, 1);
  return NULL;
}

int main(int argc, char** argv) {
  if (pipe(fds) != 0) return 2;
  if (argc > 1 && strcmp(argv[1], "self") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (reader_tid == 0) sched_yield();
    wait_blocked_in_read(getpid(), reader_tid);
    raise(SIGKILL);
    return 3;
  }
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    (void)!read(fds[0], &c, 1);
    _exit(4);
  }
  wait_blocked_in_read(pid, pid);
  kill(pid, SIGKILL);
  int st = 0;
  if (waitpid(pid, &st, 0) != pid) return 5;
  return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 6;
}
