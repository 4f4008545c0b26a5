// Defines the helpers of snare-strace's tests: run it with -o to a temporary file and read
// the trace back, compare with strace, match lines.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "run.hpp"

namespace snare::test::strace_run {

using snare::test::command_result;
using snare::test::lines_of;
using snare::test::run_command;

inline const std::string strace_bin = SNARE_STRACE_PATH;

/// What a run of snare-strace left: its result, and the trace it wrote (whole and by line).
struct traced {
  command_result r;
  std::string trace;
  std::vector<std::string> lines;
};

/// Runs snare-strace with `args` and -o to a temporary file; returns the result with the trace.
inline traced run_traced(std::vector<std::string> args) {
  std::string out = snare::test::temp_path("trace");
  std::vector<std::string> argv = {strace_bin, "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  traced t;
  t.r = run_command(argv);
  t.trace = snare::test::slurp(out);
  t.lines = lines_of(t.trace);
  std::remove(out.c_str());
  return t;
}

/// Says whether the real strace is installed (the reference some tests compare with).
inline bool has_strace() { return ::access("/usr/bin/strace", X_OK) == 0; }

/// Returns how many of `lines` match the regular expression `pattern`.
inline std::size_t count_matching(const std::vector<std::string>& lines, const std::string& pattern) {
  std::regex re(pattern);
  std::size_t n = 0;
  for (auto& l : lines)
    if (std::regex_search(l, re)) ++n;
  return n;
}

/// Returns the name of the call a trace line shows ("openat"), "" for other lines.
inline std::string call_name(std::string line) {
  static const std::regex pfx(R"(^(\d+ +|\[pid +\d+\] )?([0-9:.]+ )?)");
  line = std::regex_replace(line, pfx, "");
  static const std::regex name(R"(^([a-z_0-9]+)\()");
  std::smatch m;
  if (std::regex_search(line, m, name)) return m[1];
  return "";
}

/// Writes `content` to a new temporary file and returns its path.
inline std::string write_temp_file(const std::string& content) {
  std::string p = snare::test::temp_path("file");
  std::ofstream(p) << content;
  return p;
}

}  // namespace snare::test::strace_run
