// Defines -o '|CMD' and -o '!CMD': the trace written to the standard input of a shell
// command that snare-strace starts and, at its end, waits for (strace's strace_popen).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "session.hpp"

namespace strace {

// -o '|CMD': starts `sh -c CMD` reading the returned stream, as strace's strace_popen, but as
// a grandchild (its parent exits at once): a child would be reaped by the ptrace engine's
// waitpid(-1) and keep it waiting. `waiter` gets a pidfd of the shell (or -1), which
// close_pipe polls for its end. Returns null with errno on failure.
std::FILE* open_pipe(const char* cmd, int& waiter) {
  waiter = -1;
  int data[2], report[2];
  if (::pipe2(data, O_CLOEXEC) != 0) return nullptr;
  if (::pipe2(report, O_CLOEXEC) != 0) {
    ::close(data[0]), ::close(data[1]);
    return nullptr;
  }
  const pid_t mid = ::fork();
  if (mid == 0) {
    const pid_t sh = ::fork();
    if (sh == 0) {
      ::dup2(data[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC on the copy
      ::execl("/bin/sh", "sh", "-c", cmd, static_cast<char*>(nullptr));
      ::_exit(127);
    }
    (void)!::write(report[1], &sh, sizeof sh);
    ::_exit(0);
  }
  ::close(data[0]), ::close(report[1]);
  pid_t sh = -1;
  if (mid > 0) {
    while (::read(report[0], &sh, sizeof sh) < 0 && errno == EINTR) {
    }
    while (::waitpid(mid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  ::close(report[0]);
  if (mid < 0 || sh <= 0) {
    ::close(data[1]);
    errno = mid < 0 ? errno : ECHILD;
    return nullptr;
  }
  waiter = static_cast<int>(::syscall(SYS_pidfd_open, sh, 0));
  return ::fdopen(data[1], "w");
}

// Closes the pipe of -o '|CMD' and waits for its shell to end, as strace does at its end (a
// shell after `strace -o '|cmd'` sees cmd's work done).
void close_pipe(std::FILE* f, int waiter) {
  std::fclose(f);
  if (waiter < 0) return;
  pollfd p{waiter, POLLIN, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  ::close(waiter);
}

}  // namespace strace
