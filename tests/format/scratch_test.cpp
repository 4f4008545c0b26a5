// Tests of the formatter's per-thread objects (format/detail/scratch.hpp) used after the
// thread's thread_local destructors ran, as an in-guest tool formats the calls of glibc's
// atexit handlers, which exit() runs after those destructors (issue 18: basename's
// close_stdout wrote into the destroyed scratch buffer, a freed block of the tool's heap).
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include <snare/format/detail/scratch.hpp>

namespace {

namespace fd = snare::format::detail;

/// Built before the thread's first scratch(), so destroyed after it: its destructor uses the
/// buffer as a call formatted in an exit handler does.
struct late_user {
  bool* ok = nullptr;
  ~late_user() {
    std::string& s = fd::scratch();
    s.assign(200, 'x');
    // A block of the same size: a destroyed buffer's freed block would be handed out here
    // (glibc's tcache is last in, first out) and the buffer overwritten.
    std::string other(200, 'y');
    *ok = s == std::string(200, 'x') && other == std::string(200, 'y');
  }
};

}  // namespace

TEST_CASE("format scratch: usable after the thread's thread_local destructors ran") {
  // In a child: writing a freed block may corrupt the heap and abort.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    bool ok = false;
    std::thread([&ok] {
      thread_local late_user late;
      late.ok = &ok;
      fd::scratch().assign(200, 'a');  // grown onto the heap
    }).join();
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  INFO("child status " << status);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
