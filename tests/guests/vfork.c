// Guest: vforks a child that execs this program with "child" (exit 4); the parent returns
// the child's exit status + 1 (5).
#define _GNU_SOURCE
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return 4;
  pid_t pid = vfork();
  if (pid == 0) {
    char* args[] = {argv[0], "child", NULL};
    execv(argv[0], args);
    _exit(99);
  }
  int st = 0;
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return 1;
  return WEXITSTATUS(st) + 1;
}
