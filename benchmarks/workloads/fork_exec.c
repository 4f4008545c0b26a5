/* Defines bench_fork_exec: N times (default 200) forks, execs /bin/true (or the program
 * given as the second argument) and waits for it; prints "fork_exec <N> runs <ns> ns/run". */
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

int main(int argc, char** argv) {
  long n = count_arg(argc, argv, 1, 200);
  const char* program = argc > 2 ? argv[2] : "/bin/true";
  uint64_t start = now_ns();
  for (long i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork_exec: fork");
      return 2;
    }
    if (pid == 0) {
      execl(program, program, (char*)NULL);
      _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "fork_exec: %s failed\n", program);
      return 1;
    }
  }
  uint64_t elapsed = now_ns() - start;
  printf("fork_exec %ld runs %.1f ns/run\n", n, (double)elapsed / (double)n);
  return 0;
}
