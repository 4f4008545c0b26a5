// Guest: main -> deep3 -> deep2 -> deep1 -> getppid, so a tool can take a backtrace there.
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) long deep1(void) { return syscall(SYS_getppid) + 1; }
__attribute__((noinline)) long deep2(void) { return deep1() + 1; }
__attribute__((noinline)) long deep3(void) { return deep2() + 1; }

int main(void) { return deep3() > 0 ? 0 : 1; }
