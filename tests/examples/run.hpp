// Defines snare::test::run_command: runs a program with arguments, its stdout and stderr
// captured to files, and returns its exit code and output (for the example tools' tests).
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace snare::test {

/// What a finished command left: its exit code (128+N when killed by signal N), the signal
/// that killed it (0 when it exited), and its output.
struct command_result {
  int code = -1;
  int signal = 0;
  std::string out, err;
};

/// Returns the whole content of `path` ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// Returns a fresh temporary file name under $TMPDIR (or /tmp), created empty.
inline std::string temp_path(const char* tag) {
  const char* dir = std::getenv("TMPDIR");
  std::string p = std::string(dir ? dir : "/tmp") + "/snare-" + tag + "-XXXXXX";
  std::vector<char> buf(p.begin(), p.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd >= 0) ::close(fd);
  return std::string(buf.data());
}

/// Starts argv (argv[0] found through PATH unless it has a slash) with stdin /dev/null and
/// stdout, stderr on the files `out` and `err`; returns its pid.
inline pid_t start_command(const std::vector<std::string>& argv, const std::string& out,
                           const std::string& err) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int o = ::open(out.c_str(), O_WRONLY | O_TRUNC);
    int e = ::open(err.c_str(), O_WRONLY | O_TRUNC);
    ::dup2(in, 0), ::dup2(o, 1), ::dup2(e, 2);
    // Only 0-2 reach the command, as from a shell (fd numbers in traces stay strace's).
    ::close_range(3, ~0u, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(126);
  }
  return pid;
}

/// Waits for command `pid` and fills the code and signal of `r`.
inline void wait_command(pid_t pid, command_result& r) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/// Runs argv (as start_command), waits for it and returns its exit code and captured output.
inline command_result run_command(const std::vector<std::string>& argv) {
  command_result r;
  std::string out = temp_path("out"), err = temp_path("err");
  wait_command(start_command(argv, out, err), r);
  r.out = slurp(out);
  r.err = slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

/// Returns the lines of `text`.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

}  // namespace snare::test
