// Guest: reports its privileges as its exit code: 1 when no_new_privs is set, plus 2 when
// its effective uid is 0 (a setuid-root copy run by another user gets euid 0 natively).
// Prints "ruid=R euid=E no_new_privs=N".
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void) {
  int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  printf("ruid=%d euid=%d no_new_privs=%d\n", (int)getuid(), (int)geteuid(), nnp);
  return (nnp == 1 ? 1 : 0) + (geteuid() == 0 ? 2 : 0);
}
