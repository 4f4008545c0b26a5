// Defines the guest program the seccomp tests run: each mode exercises one kind of guest
// behaviour and reports what it saw through its exit code (0 = as expected).
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

long raw_getppid() { return ::syscall(SYS_getppid); }

// getppid N times; with EXPECT given, every result must equal it.
int getppid_loop(long n, const char* expect) {
  for (long i = 0; i < n; ++i) {
    long r = raw_getppid();
    if (expect != nullptr && r != std::atol(expect)) return 1;
  }
  return 0;
}

struct thread_arg {
  long n;
  long expect;
  int failures;
};

void* thread_main(void* p) {
  auto* a = static_cast<thread_arg*>(p);
  for (long i = 0; i < a->n; ++i)
    if (raw_getppid() != a->expect) ++a->failures;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  std::string mode = argv[1];
  if (mode == "exit") return std::atoi(argv[2]);
  if (mode == "getppid") return getppid_loop(std::atol(argv[2]), argc > 3 ? argv[3] : nullptr);
  if (mode == "getppid-errno") {
    // getppid must fail with errno argv[2]
    errno = 0;
    long r = raw_getppid();
    return (r == -1 && errno == std::atoi(argv[2])) ? 0 : 1;
  }
  if (mode == "open") {
    // openat(path) must fail with errno argv[3], or succeed when argv[3] is "ok"
    int fd = ::openat(AT_FDCWD, argv[2], O_RDONLY);
    if (std::strcmp(argv[3], "ok") == 0) return fd >= 0 ? 0 : 1;
    return (fd == -1 && errno == std::atoi(argv[3])) ? 0 : 1;
  }
  if (mode == "open-read") {
    // openat(path) must give an fd whose content is argv[3]
    int fd = ::openat(AT_FDCWD, argv[2], O_RDONLY);
    if (fd < 0) return 2;
    char buf[256] = {};
    auto n = ::read(fd, buf, sizeof buf - 1);
    if (n < 0) return 3;
    return std::string(buf, static_cast<std::size_t>(n)) == argv[3] ? 0 : 1;
  }
  if (mode == "read-fill") {
    // read(fd 1000) must return strlen(argv[2]) and fill the buffer with argv[2]
    char buf[64];
    std::memset(buf, '.', sizeof buf);
    auto n = ::read(1000, buf, sizeof buf);
    if (n != static_cast<long>(std::strlen(argv[2]))) return 2;
    return std::memcmp(buf, argv[2], static_cast<std::size_t>(n)) == 0 && buf[n] == '.' ? 0 : 1;
  }
  if (mode == "threads") {
    // argv[2] threads, argv[3] getppid each, every result must be argv[4]
    int nt = std::atoi(argv[2]);
    std::vector<pthread_t> ts(static_cast<std::size_t>(nt));
    std::vector<thread_arg> args(static_cast<std::size_t>(nt),
                                 thread_arg{std::atol(argv[3]), std::atol(argv[4]), 0});
    for (int i = 0; i < nt; ++i) pthread_create(&ts[i], nullptr, thread_main, &args[i]);
    int failures = 0;
    for (int i = 0; i < nt; ++i) {
      pthread_join(ts[i], nullptr);
      failures += args[i].failures;
    }
    return failures == 0 ? 0 : 1;
  }
  if (mode == "thread-then-getppid") {
    // one thread calls getppid and ends; once it is joined, the main thread calls getppid
    pthread_t t;
    thread_arg a{1, 0, 0};
    a.expect = raw_getppid();
    pthread_create(&t, nullptr, thread_main, &a);
    pthread_join(t, nullptr);
    raw_getppid();
    return a.failures;
  }
  if (mode == "forks") {
    // argv[2] children, each getppid argv[3] times then exit_group(10 + i); all must be seen
    int nc = std::atoi(argv[2]);
    std::vector<pid_t> kids;
    for (int i = 0; i < nc; ++i) {
      pid_t p = ::fork();
      if (p == 0) {
        for (long k = 0; k < std::atol(argv[3]); ++k) raw_getppid();
        ::_exit(10 + i);
      }
      kids.push_back(p);
    }
    int bad = 0;
    for (int i = 0; i < nc; ++i) {
      int st = 0;
      ::waitpid(kids[static_cast<std::size_t>(i)], &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 10 + i) ++bad;
    }
    return bad;
  }
  if (mode == "exec") {
    // execve argv[2..] (a failed exec returns 20)
    ::execv(argv[2], argv + 2);
    return 20;
  }
  if (mode == "exec-fail-then") {
    // a failing execve, then getppid once, then exit 0
    char* const none[] = {const_cast<char*>("/nonexistent/snare"), nullptr};
    ::execv(none[0], none);
    raw_getppid();
    return 0;
  }
  if (mode == "report-getppid") {
    // getppid once, write "<ret> <errno>\n" to fd argv[2] (the supervisor may be dead by then)
    errno = 0;
    long r = raw_getppid();
    int e = errno;
    char line[64];
    int len = std::snprintf(line, sizeof line, "%ld %d\n", r, e);
    if (::write(std::atoi(argv[2]), line, static_cast<std::size_t>(len)) != len) return 2;
    return 0;
  }
  if (mode == "sleep-getppid") {
    // block in getppid until killed (the supervisor never answers)
    raw_getppid();
    return 0;
  }
  return 100;
}
