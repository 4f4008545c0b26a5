/* Defines bench_syscall_mix: N rounds (default 20000) of a small-file syscall mix over 8
 * files it creates in a fresh directory under $TMPDIR (default /tmp): openat, read,
 * close, stat of another file and one getppid, the trapped call. Prints
 * "syscall_mix <N> rounds <ns> ns/round, cpu <ns> ns/round" (wall, then the thread's CPU time)
 * and removes its files. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

#define NFILES 8

int main(int argc, char** argv) {
  long n = count_arg(argc, argv, 1, 20000);
  const char* tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/snare-bench-mix-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    perror("syscall_mix: mkdtemp");
    return 2;
  }
  char paths[NFILES][4200];
  for (int i = 0; i < NFILES; ++i) {
    snprintf(paths[i], sizeof paths[i], "%s/f%d", dir, i);
    int fd = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char content[512];
    memset(content, 'a' + i, sizeof content);
    if (fd < 0 || write(fd, content, sizeof content) != (ssize_t)sizeof content) {
      perror("syscall_mix: create");
      return 2;
    }
    close(fd);
  }
  char buf[1024];
  struct stat st;
  long bad = 0;
  cpu_ns(); /* warm up its own call site too (an in-guest runtime rewrites it at its first call) */
  uint64_t cpu_start = cpu_ns();
  uint64_t start = now_ns();
  for (long i = 0; i < n; ++i) {
    int fd = open(paths[i % NFILES], O_RDONLY | O_CLOEXEC);
    bad += read(fd, buf, sizeof buf) != 512;
    close(fd);
    bad += stat(paths[(i + 1) % NFILES], &st) != 0 || st.st_size != 512;
    bad += syscall(SYS_getppid) <= 0;
  }
  uint64_t elapsed = now_ns() - start;
  uint64_t cpu = cpu_ns() - cpu_start;
  for (int i = 0; i < NFILES; ++i) unlink(paths[i]);
  rmdir(dir);
  if (bad) {
    fprintf(stderr, "syscall_mix: %ld calls failed\n", bad);
    return 1;
  }
  printf("syscall_mix %ld rounds %.1f ns/round, cpu %.1f ns/round\n", n, (double)elapsed / (double)n,
         (double)cpu / (double)n);
  return 0;
}
