// Guest: exits 0 when its auxiliary vector says AT_CLKTCK is 1000 (a tool set it at exec;
// the kernel gives 100 on x86-64) and libc's sysconf(_SC_CLK_TCK) reads the same; 1 otherwise.
#define _GNU_SOURCE
#include <sys/auxv.h>
#include <unistd.h>

int main(void) { return getauxval(AT_CLKTCK) == 1000 && sysconf(_SC_CLK_TCK) == 1000 ? 0 : 1; }
