// Guest: a child stops itself with SIGSTOP; the parent must see it stopped (WUNTRACED),
// continue it with SIGCONT, see it continued (WCONTINUED) and then exit with 5. A second
// child gets SIGTSTP from its parent. Exits 0 when job control behaves as without a tracer.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

// Closes `release` (when >= 0) once the child is seen continued, so it can go on.
static int check(pid_t pid, int stopsig, int release) {
  int st = 0;
  if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) || WSTOPSIG(st) != stopsig) {
    fprintf(stderr, "not stopped: %#x\n", st);
    return 1;
  }
  if (kill(pid, SIGCONT) != 0) return 2;
  if (waitpid(pid, &st, WCONTINUED) != pid || !WIFCONTINUED(st)) {
    fprintf(stderr, "not continued: %#x\n", st);
    return 3;
  }
  if (release >= 0) close(release);
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 5) {
    fprintf(stderr, "bad exit: %#x\n", st);
    return 4;
  }
  return 0;
}

int main(void) {
  // Each child waits at a gate after it is continued, so its exit cannot overtake the
  // parent's WCONTINUED wait.
  int gate_a[2];
  if (pipe(gate_a) != 0) return 6;
  pid_t a = fork();
  if (a == 0) {
    close(gate_a[1]);
    raise(SIGSTOP);
    char c;
    (void)!read(gate_a[0], &c, 1);
    _exit(5);
  }
  close(gate_a[0]);
  int r = check(a, SIGSTOP, gate_a[1]);
  if (r) return r;
  int gate[2];
  if (pipe(gate) != 0) return 6;
  // SIGTSTP is discarded in an orphaned process group: give b a group of its own whose
  // parent (this process) sits in another group of the same session.
  pid_t b = fork();
  if (b == 0) {
    setpgid(0, 0);
    close(gate[1]);
    char c;
    (void)!read(gate[0], &c, 1);  // blocks until the parent closes its end
    _exit(5);
  }
  close(gate[0]);
  setpgid(b, b);
  if (kill(b, SIGTSTP) != 0) return 7;
  r = check(b, SIGTSTP, gate[1]);
  return r ? r + 10 : 0;
}
