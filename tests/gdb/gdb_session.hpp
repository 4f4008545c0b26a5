// The gdbserver tests' session helper: serves the guest (tests/gdb/guests/debuggee.c) under a
// tool in a child process, drives the real gdb in batch mode against it, and returns what gdb
// and the guest printed and what the tool counted. Shared by the tests/gdb/*_test.cpp files.
#pragma once

#include <snare/gdb/server.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <skip.hpp>
#include <snare.hpp>

namespace gdb_test {

struct counts {
  long opens = 0, writes = 0;
  void on(snare::sys::openat, auto&) { ++opens; }
  void on(snare::sys::write, auto&) { ++writes; }
  std::string report() const { return std::to_string(opens) + " " + std::to_string(writes); }
};

// Counts every syscall by number (a generic handler: the whole table is subscribed to).
struct every_call {
  std::array<long, snare::max_syscall_number + 1> n{};
  template <class Call, class G>
  void on(const Call& call, G&) {
    long nr = call.to_raw().number;
    ++n[nr >= 0 && nr < snare::max_syscall_number ? nr : snare::max_syscall_number];
  }
  // "name=count ..." in number order, the calls made only.
  std::string report() const {
    std::string out;
    for (long nr = 0; nr <= snare::max_syscall_number; ++nr) {
      if (n[nr] == 0) continue;
      auto name = snare::sys::x86_64::name_of(nr);
      out += (name.empty() ? std::to_string(nr) : std::string(name)) + "=" + std::to_string(n[nr]) + " ";
    }
    return out;
  }
};

struct session {
  std::string gdb;         // what gdb printed (stdout and stderr)
  std::string guest;       // what the guest printed
  int server_status = -1;  // the server process's wait status
  counts counted;          // the counts tool's
  std::string report;      // the tool's report()
};

inline std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline void require_gdb() {
  snare::test::require_host(snare::host_feature::ptrace);
  snare::test::require_host(snare::host_feature::seccomp_filter);
  if (::access(SNARE_GDB_PATH, X_OK) != 0) snare::test::skip("gdb is not installed (" SNARE_GDB_PATH ")");
}

// Serves the guest in a child process (the engine's waitpid(-1) must not reap gdb), runs gdb
// on it with `commands`, and returns what both printed and the tool counted.
template <class Tool = counts>
session debug(const std::vector<std::string>& commands, const char* where = "127.0.0.1:0",
              bool give_program = true, const char* guest_arg = nullptr, const char* sysroot = "/") {
  char dir_template[] = "/tmp/snare-gdb-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  const std::string guest_out = dir + "/guest.out";
  std::string address = where;
  if (address == "unix") address = "unix:" + dir + "/sock";
  int info[2];
  REQUIRE(::pipe(info) == 0);
  pid_t server = ::fork();
  REQUIRE(server >= 0);
  if (server == 0) {
    ::close(info[0]);
    ::alarm(120);  // a hung session ends (PTRACE_O_EXITKILL takes the guest with it)
    int out = ::open(guest_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    Tool tool;
    snare::gdb::server<Tool> s(tool);
    if (!s.listen(address)) ::_exit(120);
    std::string line = s.address() + "\n";
    (void)!::write(info[1], line.data(), line.size());
    int code = guest_arg ? s.run({SNARE_DEBUGGEE_PATH, guest_arg}) : s.run({SNARE_DEBUGGEE_PATH});
    line = tool.report() + "\n";
    (void)!::write(info[1], line.data(), line.size());
    ::_exit(code);
  }
  ::close(info[1]);
  FILE* from_server = ::fdopen(info[0], "r");
  char line[4096] = {};
  REQUIRE(std::fgets(line, sizeof line, from_server) != nullptr);
  std::string bound(line);
  bound.pop_back();
  std::string target = bound.starts_with("unix:") ? bound.substr(5) : bound;

  // gdb's Python finds the guest's output in SNARE_GUEST_OUT (a test waits there for its line).
  std::string cmd = "SNARE_GUEST_OUT=" + shell_quote(guest_out) +
                    " timeout 100 " SNARE_GDB_PATH " -nx -batch -ex " +
                    shell_quote(std::string("set sysroot ") + sysroot) + " -ex 'set confirm off'";
  cmd += " -ex " + shell_quote("target remote " + target);
  for (auto& c : commands) cmd += " -ex " + shell_quote(c);
  if (give_program) cmd += " " SNARE_DEBUGGEE_PATH;
  cmd += " 2>&1";
  session s;
  FILE* gdb = ::popen(cmd.c_str(), "r");
  REQUIRE(gdb != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, gdb)) > 0) s.gdb.append(buf, n);
  ::pclose(gdb);
  if (std::fgets(line, sizeof line, from_server) != nullptr) {
    s.report = line;
    if (!s.report.empty()) s.report.pop_back();
    std::sscanf(line, "%ld %ld", &s.counted.opens, &s.counted.writes);
  }
  std::fclose(from_server);
  while (::waitpid(server, &s.server_status, 0) < 0 && errno == EINTR) {
  }
  s.guest = read_all(guest_out);
  std::remove(guest_out.c_str());
  std::remove((dir + "/sock").c_str());
  ::rmdir(dir.c_str());
  UNSCOPED_INFO("gdb printed:\n" << s.gdb << "\nthe guest printed:\n" << s.guest);
  return s;
}

// The counts of a run without gdb.
inline counts plain_counts(const char* guest_arg = nullptr) {
  counts tool;
  int out = ::dup(1);
  int devnull = ::open("/dev/null", O_WRONLY);
  ::dup2(devnull, 1);
  if (guest_arg != nullptr)
    snare::run<snare::backend::ptrace>(tool, {SNARE_DEBUGGEE_PATH, guest_arg});
  else
    snare::run<snare::backend::ptrace>(tool, {SNARE_DEBUGGEE_PATH});
  ::dup2(out, 1);
  ::close(out);
  ::close(devnull);
  return tool;
}

inline bool has(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern));
}

}  // namespace gdb_test
