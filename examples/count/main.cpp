// Defines snare-count: counts the syscalls of a command and its children per syscall, and
// prints the table when the command ends. The smallest useful snare tool: one generic
// handler, a per-process state handed to the global state, the same source on three
// backends (counter.hpp; on in_guest it runs in the guest, built as snare-count-in-guest.so).
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <snare/backend/in_guest.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include "counter.hpp"

namespace {

using snare_count::counter;

/// Runs argv under a counter with Backend and prints the table to `out`.
template <class Backend>
int run(const std::vector<const char*>& argv, std::FILE* out, const snare::run_options& options = {}) {
  counter t;
  snare::tracer<Backend, counter> tracer(t, options);
  int code = tracer.run(std::span<const char* const>(argv.data(), argv.size()));
  const auto& totals = tracer.global_state();
  std::vector<std::pair<std::uint64_t, long>> rows;
  for (long nr = 0; nr <= snare_count::known; ++nr)
    if (totals.counts[static_cast<std::size_t>(nr)])
      rows.emplace_back(totals.counts[static_cast<std::size_t>(nr)], nr);
  std::sort(rows.begin(), rows.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::fprintf(out, "%10s  %s\n", "calls", "syscall");
  for (auto& [n, nr] : rows) {
    auto name = snare::sys::x86_64::name_of(nr);
    if (name.empty()) name = "unknown";
    std::fprintf(out, "%10llu  %.*s\n", static_cast<unsigned long long>(n), static_cast<int>(name.size()),
                 name.data());
  }
  std::fprintf(out, "%10llu  total (%llu threads)\n", static_cast<unsigned long long>(totals.calls),
               static_cast<unsigned long long>(totals.threads));
  return code;
}

/// Returns the in_guest tool object: SNARE_IN_GUEST_OBJECT, else snare-count-in-guest.so next
/// to this executable, else in ../lib/snare/ from it (an installed snare-count).
std::string in_guest_object() {
  if (const char* e = std::getenv("SNARE_IN_GUEST_OBJECT"); e && *e) return e;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "snare-count-in-guest.so";
  std::string dir(self, static_cast<std::size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  std::string here = dir + "/snare-count-in-guest.so";
  if (::access(here.c_str(), R_OK) == 0) return here;
  return dir + "/../lib/snare/snare-count-in-guest.so";
}

constexpr const char* usage =
    "Usage: snare-count [--backend=ptrace|seccomp|in-guest] [-o FILE] PROG [ARGS]\n"
    "Counts the syscalls of PROG and of every process and thread it starts, per syscall,\n"
    "and prints the table (on stderr, or in FILE) when PROG ends. in-guest counts in the\n"
    "guest itself (dynamic programs only; not the loader's calls before the tool loads).\n"
    "Exit status: PROG's (128+N when killed by signal N), 127 when it cannot run, 2 on a\n"
    "bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  enum class which { ptrace, seccomp, in_guest } backend = which::ptrace;
  const char* out_path = nullptr;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--backend=ptrace") {
      backend = which::ptrace;
    } else if (a == "--backend=seccomp") {
      backend = which::seccomp;
    } else if (a == "--backend=in-guest") {
      backend = which::in_guest;
    } else if (a == "-o" && i + 1 < argc) {
      out_path = argv[++i];
    } else if (a == "--") {
      ++i;
      break;
    } else {
      std::fprintf(stderr, "snare-count: unknown option '%s'\nTry 'snare-count --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "snare-count: no command given\nTry 'snare-count --help'.\n");
    return 2;
  }
  std::FILE* out = out_path ? std::fopen(out_path, "we") : stderr;
  if (!out) {
    std::fprintf(stderr, "snare-count: cannot open '%s': %s\n", out_path, std::strerror(errno));
    return 1;
  }
  std::vector<const char*> cmd(argv + i, argv + argc);
  int code = 0;
  if (backend == which::in_guest) {
    const std::string object = in_guest_object();
    snare::run_options o;
    o.in_guest_object = object.c_str();
    code = run<snare::backend::in_guest>(cmd, out, o);
  } else {
    code = backend == which::seccomp ? run<snare::backend::seccomp_notify>(cmd, out)
                                     : run<snare::backend::ptrace>(cmd, out);
  }
  if (out != stderr) std::fclose(out);
  return code;
}
