// Defines where the test guest programs (tests/guests) are: each built dynamically linked and
// static from the same source (tests/guests/CMakeLists.txt).
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#ifndef SNARE_GUEST_DIR
#error "SNARE_GUEST_DIR must name the folder of the test guest programs"
#endif

namespace snare::test {

/// Returns the path of test guest program `name` (tests/guests/<name>.c), dynamically linked.
inline std::string guest_path(const char* name) {
  return std::string(SNARE_GUEST_DIR) + "/snare_guest_" + name;
}

/// Returns the path of the static build of test guest program `name` (gcc -static), for
/// backends that run static executables only.
inline std::string static_guest_path(const char* name) {
  return std::string(SNARE_GUEST_DIR) + "/static/snare_guest_" + name;
}

/// Runs `args` natively (args[0] searched in PATH), its stdout on /dev/null, and returns its
/// wait status (-1 when it could not be waited for): the right value a traced run is
/// compared with.
inline int run_natively(const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    ::execvp(argv[0], const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  int st = 0;
  while (::waitpid(pid, &st, 0) != pid) {
    if (errno != EINTR) return -1;
  }
  return st;
}

}  // namespace snare::test
