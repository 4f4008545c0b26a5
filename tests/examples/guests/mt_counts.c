/* A multi-threaded guest with a fixed syscall mix per thread: the -c counts of
 * snare-strace and strace are compared on it. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { threads = 4 };

static void* work(void* arg) {
  (void)arg;
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  for (int i = 0; i < 50; ++i) syscall(SYS_getppid);
  for (int i = 0; i < 20; ++i) (void)open("/nonexistent/snare-mt-counts", O_RDONLY);
  for (int i = 0; i < 30; ++i) (void)!write(null_fd, "x", 1);
  close(null_fd);
  return NULL;
}

int main(void) {
  pthread_t t[threads];
  for (int i = 0; i < threads; ++i) pthread_create(&t[i], NULL, work, NULL);
  work(NULL);
  for (int i = 0; i < threads; ++i) pthread_join(t[i], NULL);
  return 0;
}
