// Guest: mode "exit": exits 0 when getppid returns 4242 (an exit handler's value); mode
// "tail": exits 0 when getppid returns this thread's id (the call was replaced by gettid).
#define _GNU_SOURCE
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long r = syscall(SYS_getppid);
  if (argc > 1 && strcmp(argv[1], "tail") == 0) return r == syscall(SYS_gettid) ? 0 : 1;
  return r == 4242 ? 0 : 1;
}
