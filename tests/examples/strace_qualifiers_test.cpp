// Tests snare-strace's -e verbose= and inject's poke and delay actions against strace's:
// execve left out of the verbose set prints its argv and envp as addresses (other calls left
// out are refused); poke_enter=/poke_exit= write into the guest and mark the line, delay_*=
// too; -e kvm= takes vcpu alone.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "run.hpp"

using snare::test::lines_of;
using snare::test::run_command;

namespace {

const std::string snare_tracer = SNARE_STRACE_PATH;

// Returns the execve line `tracer` prints for `sh -c true` with `args` ("" when none).
std::string execve_line(const std::string& tracer, std::vector<std::string> args) {
  const std::string out = snare::test::temp_path("verbose");
  std::vector<std::string> argv = {tracer, "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"/bin/sh", "-c", "true"});
  auto r = run_command(argv);
  INFO(tracer << " stderr: " << r.err);
  CHECK(r.code == 0);
  std::string found;
  for (auto& l : lines_of(snare::test::slurp(out)))
    if (l.starts_with("execve(")) found = l;
  std::remove(out.c_str());
  return found;
}

}  // namespace

TEST_CASE("snare-strace -e verbose= leaving execve out prints its arrays as addresses, as strace does") {
  static const std::regex plain(R"(^execve\("/bin/sh", 0x[0-9a-f]+, 0x[0-9a-f]+\) = 0$)");
  static const std::regex decoded(
      R"(^execve\("/bin/sh", \["/bin/sh", "-c", "true"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += 0$)");
  const bool strace = ::access("/usr/bin/strace", X_OK) == 0;
  for (const std::string& tracer : {snare_tracer, std::string("/usr/bin/strace")}) {
    if (tracer != snare_tracer && !strace) continue;
    INFO(tracer);
    for (std::vector<std::string> a : {std::vector<std::string>{"-e", "verbose=none"},
                                       {"-e", "verbose=!execve"},
                                       {"-e", "verbose=chdir"},
                                       {"--verbose=!process"}}) {
      a.insert(a.end(), {"-a", "10", "-e", "trace=execve"});
      CHECK(std::regex_match(execve_line(tracer, a), plain));
    }
    for (std::vector<std::string> a :
         {std::vector<std::string>{"-e", "verbose=execve"}, {"--verbose=%process"}, {"-e", "verbose=all"}}) {
      a.insert(a.end(), {"-e", "trace=execve"});
      CHECK(std::regex_match(execve_line(tracer, a), decoded));
    }
  }
  // Another call left out prints the structures it points to as addresses too (strace's
  // umove_or_printaddr): fstat's struct stat.
  static const std::regex stat_plain(R"((newfstatat\(3, "", |fstat\(3, )0x[0-9a-f]+[,)])");
  for (const std::string& tracer : {snare_tracer, std::string("/usr/bin/strace")}) {
    if (tracer != snare_tracer && !strace) continue;
    INFO(tracer);
    auto r = run_command({tracer, "-e", "verbose=none", "-e", "trace=fstat,newfstatat", "cat", "/dev/null"});
    CHECK(r.code == 0);
    CHECK(std::regex_search(r.err, stat_plain));
    CHECK(r.err.find("st_mode") == std::string::npos);
  }
}

namespace {

// Returns the masked trace lines and the stderr of `tracer` with `args`.
std::pair<std::vector<std::string>, std::string> traced_lines(const std::string& tracer,
                                                              std::vector<std::string> args) {
  const std::string out = snare::test::temp_path("tamper");
  args.insert(args.begin(), {tracer, "-o", out});
  auto r = run_command(args);
  INFO(tracer << " stderr: " << r.err);
  CHECK(r.code == 0);
  std::vector<std::string> lines;
  static const std::regex hex(R"(0x[0-9a-f]{5,})");
  for (auto& l : lines_of(snare::test::slurp(out))) lines.push_back(std::regex_replace(l, hex, "0xADDR"));
  std::remove(out.c_str());
  return {lines, r.err};
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

}  // namespace

TEST_CASE(
    "snare-strace inject poke_enter=, poke_exit=, delay_enter= and delay_exit= tamper and mark the line, as "
    "strace does") {
  const bool strace = ::access("/usr/bin/strace", X_OK) == 0;
  // chdir("/usr") becomes chdir("/tmp") (as long: the poke writes 5 bytes); /bin/pwd's getcwd
  // buffer gets "/xyz" after the call. env -C, not a shell: dash calls getcwd itself when $PWD
  // is not its directory (as under ctest), which would add a line.
  const std::vector<std::string> poke = {"-e",   "trace=chdir,getcwd",
                                         "-e",   "inject=chdir:poke_enter=@arg1=2f746d7000",
                                         "-e",   "inject=getcwd:poke_exit=@arg1=2f78797a00:delay_exit=1ms",
                                         "env",  "-C",
                                         "/usr", "/bin/pwd",
                                         "-P"};
  auto ours = traced_lines(snare_tracer, poke);
  INFO(join_lines(ours.first));
  REQUIRE(ours.first.size() == 3);
  CHECK(ours.first[0] == "chdir(\"/tmp\")                           = 0 (INJECTED: args)");
  CHECK(std::regex_match(ours.first[1],
                         std::regex(R"(^getcwd\("/xyz", \d+\) += \d+ \(INJECTED: args\) \(DELAYED\)$)")));
  if (strace) CHECK(traced_lines("/usr/bin/strace", poke).first == ours.first);
  // retval= with a poke: both notes; an argument chdir lacks is told and not written.
  const std::vector<std::string> both = {
      "-e", "trace=chdir", "-e",  "inject=chdir:poke_enter=@arg1=2f746d7000,@arg2=00:retval=0",
      "sh", "-c",          "cd /"};
  auto answered = traced_lines(snare_tracer, both);
  REQUIRE_FALSE(answered.first.empty());
  CHECK(answered.first[0] == "chdir(\"/tmp\")                           = 0 (INJECTED: args, retval)");
  CHECK(answered.second.find("Failed to tamper with process ") != std::string::npos);
  CHECK(answered.second.find(
            "requested to tamper with argument #2, but system call 'chdir' has only 1 arguments") !=
        std::string::npos);
  if (strace) CHECK(traced_lines("/usr/bin/strace", both).first == answered.first);
}

TEST_CASE("snare-strace -e kvm=vcpu is accepted and another value refused, as strace does") {
  const bool strace = ::access("/usr/bin/strace", X_OK) == 0;
  auto ok = run_command({snare_tracer, "-e", "kvm=vcpu", "-e", "trace=none", "true"});
  INFO(ok.err);
  CHECK(ok.code == 0);
  auto bad = run_command({snare_tracer, "-e", "kvm=cpu", "-e", "trace=none", "true"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("invalid -e kvm= argument: 'cpu'") != std::string::npos);
  if (strace) {
    auto theirs = run_command({"/usr/bin/strace", "-e", "kvm=cpu", "-e", "trace=none", "true"});
    CHECK(theirs.code == bad.code);
    CHECK(theirs.err.find("invalid -e kvm= argument: 'cpu'") != std::string::npos);
  }
}
