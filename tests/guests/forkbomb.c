// Guest: a binary tree of processes of depth D (argv[1]): 2^(D+1)-1 processes, each calls
// getppid once; every parent waits for its children and fails if one failed.
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int node(int depth) {
  syscall(SYS_getppid);
  if (depth == 0) return 0;
  pid_t kids[2];
  for (int i = 0; i < 2; ++i) {
    kids[i] = fork();
    if (kids[i] < 0) return 1;
    if (kids[i] == 0) _exit(node(depth - 1));
  }
  int bad = 0;
  for (int i = 0; i < 2; ++i) {
    int st = 0;
    if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) bad = 1;
  }
  return bad;
}

int main(int argc, char** argv) { return node(argc > 1 ? atoi(argv[1]) : 3); }
