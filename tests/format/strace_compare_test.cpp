// Tests snare's lines against the real strace: strace_helper makes system calls and
// formats each one from its own memory; strace traces it; every line snare wrote must be a
// line strace wrote (same addresses, same process, strace's default -a 40 and -s 32).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "skip.hpp"

#ifndef SNARE_STRACE_HELPER
#error "SNARE_STRACE_HELPER must name the helper program"
#endif

namespace {
std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> v;
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}
}  // namespace

namespace {
// Runs the helper under strace (with `flag`, e.g. "-y", given to both) and checks that each
// line the helper formatted is a line strace printed.
void compare_with_strace(const std::string& flag, std::size_t min_lines = 45) {
  if (::access("/usr/bin/strace", X_OK) != 0) snare::test::skip("strace is not installed");
  std::string dir = "/tmp/snare-format-strace-" + std::to_string(::getpid());
  REQUIRE(std::system(("mkdir -p " + dir).c_str()) == 0);
  std::string data = dir + "/data.txt";
  {
    std::ofstream f(data);
    f << "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  }
  REQUIRE(std::system(("chmod 0640 " + data).c_str()) == 0);
  std::string ours = dir + "/snare.txt", theirs = dir + "/strace.txt";
  // LeakSanitizer cannot run under ptrace; the sanitizer build's helper would exit 1 at its end.
  std::string cmd = "ASAN_OPTIONS=detect_leaks=0 /usr/bin/strace " + flag + " -o " + theirs +
                    " " SNARE_STRACE_HELPER " " + ours + " " + data + " " + flag;
  int rc = std::system(cmd.c_str());
  if (rc != 0 && read_lines(theirs).empty()) snare::test::skip("strace cannot trace here (ptrace denied?)");
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);

  std::vector<std::string> snare_lines = read_lines(ours), strace_lines = read_lines(theirs);
  std::set<std::string> strace_set(strace_lines.begin(), strace_lines.end());
  REQUIRE(snare_lines.size() >= min_lines);
  std::size_t matched = 0;
  for (const auto& l : snare_lines) {
    INFO("snare:  " << l);
    CHECK(strace_set.count(l) == 1);
    matched += strace_set.count(l);
  }
  CHECK(matched == snare_lines.size());
  std::system(("rm -rf " + dir).c_str());
}
}  // namespace

TEST_CASE("Every line snare formats is the line strace prints for the same call", "[format][strace]") {
  compare_with_strace("");
}

TEST_CASE("With fd paths every line is the line strace -y prints", "[format][strace]") {
  compare_with_strace("-y");
}

TEST_CASE("With -v the unabbreviated structs are the ones strace -v prints", "[format][strace]") {
  compare_with_strace("-v", 3);
}
