// Guest: probes, with signal 0 (nothing is sent), whether it can reach processes other than
// itself: every process (-1), process 1, its process group, and a pidfd of process 1.
// Prints one line per probe, "0" or the errno name, and exits 0. Natively as root every
// probe succeeds; in the hypercall backend's VM, the guest's whole world, none may.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char* what, long r) { printf("%s %s\n", what, r == 0 ? "0" : strerrorname_np(errno)); }

int main(void) {
  show("kill(-1)", kill(-1, 0));
  show("kill(1)", kill(1, 0));
  show("kill(-pgrp)", kill(-getpgrp(), 0));
  long fd = syscall(SYS_pidfd_open, 1, 0);
  show("pidfd_open(1)", fd < 0 ? -1 : 0);
  show("kill(self)", kill(getpid(), 0));
  return 0;
}
