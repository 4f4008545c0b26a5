// Guest: the main thread blocks in read() on a pipe; another thread queues SIGUSR1 to it
// (pthread_sigqueue: si_code SI_QUEUE, si_value 77) once /proc shows it in read, then writes
// one byte to the pipe once the thread has taken the signal (the read was interrupted).
// argv[1] "restart": the handler has SA_RESTART, the read resumes and returns the byte;
// "eintr": no SA_RESTART, the read fails with EINTR (signal(7)).
// Exit 0 when the read ended as the mode says and the handler saw the queued siginfo; 1 to 4
// name what differed; 10 when the handler never ran and the read returned the byte (the
// signal was dropped before delivery), 11 when it never ran and the read failed; 12 when the
// main thread was not seen in read, or not seen to take the signal, within 10 s.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t code = 0, value = 0, handled = 0, timed_out = 0;
static pthread_t main_thread;
static int fds[2];
// The main thread's /proc/thread-self files, opened by it: right in a pid namespace too.
static int main_syscall_fd, main_status_fd;

static void on_usr1(int sig, siginfo_t* si, void* ctx) {
  (void)sig;
  (void)ctx;
  code = si->si_code;
  value = si->si_value.sival_int;
  handled = 1;
}

// Reads the file behind `fd` afresh (a /proc file is made at each read from offset 0).
static void read_proc(int fd, char* buf, size_t size) {
  ssize_t n = pread(fd, buf, size - 1, 0);
  buf[n > 0 ? n : 0] = 0;
}

// Says whether the main thread is inside read(2): /proc/.../syscall shows its number, 0.
static int main_in_read(void) {
  char buf[128];
  read_proc(main_syscall_fd, buf, sizeof buf);
  return strncmp(buf, "0 ", 2) == 0;
}

// Says whether SIGUSR1 is pending for the main thread (SigPnd): a thread takes a signal on
// its way out of the call it interrupted.
static int usr1_pending(void) {
  char buf[2048];
  read_proc(main_status_fd, buf, sizeof buf);
  const char* p = strstr(buf, "SigPnd:");
  return p != NULL && (strtoull(p + 7, NULL, 16) >> (SIGUSR1 - 1)) & 1;
}

// Polls `done` every millisecond for up to 10 s; notes a bound that ran out.
static void wait_for(int (*done)(void)) {
  struct timespec start, now, ms = {0, 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (!done()) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 10) {
      timed_out = 1;
      return;
    }
    nanosleep(&ms, NULL);
  }
}

static int usr1_taken(void) { return !usr1_pending(); }

static void* sender(void* arg) {
  (void)arg;
  wait_for(main_in_read);
  union sigval v;
  v.sival_int = 77;
  pthread_sigqueue(main_thread, SIGUSR1, v);
  // The byte comes after the read was interrupted: before, it would end the read with data.
  wait_for(usr1_taken);
  if (write(fds[1], "x", 1) != 1) return (void*)1;
  return NULL;
}

int main(int argc, char** argv) {
  int restart = argc > 1 && strcmp(argv[1], "restart") == 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO | (restart ? SA_RESTART : 0);
  if (sigaction(SIGUSR1, &sa, NULL) != 0 || pipe(fds) != 0) return 5;
  main_thread = pthread_self();
  main_syscall_fd = open("/proc/thread-self/syscall", O_RDONLY | O_CLOEXEC);
  main_status_fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
  if (main_syscall_fd < 0 || main_status_fd < 0) return 7;
  pthread_t t;
  if (pthread_create(&t, NULL, sender, NULL) != 0) return 6;
  char c = 0;
  ssize_t n = read(fds[0], &c, 1);
  int err = errno;
  pthread_join(t, NULL);
  if (timed_out) return 12;
  if (!handled) return n == 1 && c == 'x' ? 10 : 11;
  if (code != SI_QUEUE) return 1;
  if (value != 77) return 2;
  if (restart) return n == 1 && c == 'x' ? 0 : 3;
  return n == -1 && err == EINTR ? 0 : 4;
}
