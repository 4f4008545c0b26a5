// Defines snare-count: counts the syscalls of a command and its children per syscall, and
// prints the table when the command ends. The smallest useful snare tool: one generic
// handler, a per-thread state, the same source on two backends.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

/// The tool: every syscall of every guest thread bumps its number's counter. The tool
/// object outlives the run, so the table is read from it afterwards.
struct counter {
  using thread_state = std::uint64_t;  // calls made by this thread, summed when it ends

  // A generic handler sees every call: a typed call (snare::sys::openat, ...) for known
  // numbers, snare::unknown_call for the others; both give their number through to_raw().
  template <class Call, class G>
  void on(const Call& call, G& g) {
    long nr = call.to_raw().number;
    ++counts[nr >= 0 && nr < snare::max_syscall_number ? nr : snare::max_syscall_number];
    ++g.thread_state();
  }
  template <class G>
  void on_thread_exit(G& g) {
    threads += 1;
    calls += g.thread_state();
  }

  std::array<std::uint64_t, snare::max_syscall_number + 1> counts{};
  std::uint64_t threads = 0, calls = 0;
};

/// Runs argv under a counter with Backend and prints the table to `out`.
template <class Backend>
int run(const std::vector<const char*>& argv, std::FILE* out) {
  counter t;
  int code = snare::run<Backend>(t, std::span<const char* const>(argv.data(), argv.size()));
  std::vector<std::pair<std::uint64_t, long>> rows;
  for (long nr = 0; nr <= snare::max_syscall_number; ++nr)
    if (t.counts[nr]) rows.emplace_back(t.counts[nr], nr);
  std::sort(rows.begin(), rows.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::fprintf(out, "%10s  %s\n", "calls", "syscall");
  for (auto& [n, nr] : rows) {
    auto name = snare::sys::x86_64::name_of(nr);
    if (name.empty()) name = "unknown";
    std::fprintf(out, "%10llu  %.*s\n", static_cast<unsigned long long>(n), static_cast<int>(name.size()),
                 name.data());
  }
  std::fprintf(out, "%10llu  total (%llu threads)\n", static_cast<unsigned long long>(t.calls),
               static_cast<unsigned long long>(t.threads));
  return code;
}

constexpr const char* usage =
    "Usage: snare-count [--backend=ptrace|seccomp] [-o FILE] PROG [ARGS]\n"
    "Counts the syscalls of PROG and of every process and thread it starts, per syscall,\n"
    "and prints the table (on stderr, or in FILE) when PROG ends.\n"
    "Exit status: PROG's (128+N when killed by signal N), 127 when it cannot run, 2 on a\n"
    "bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  bool seccomp = false;
  const char* out_path = nullptr;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--backend=ptrace") {
      seccomp = false;
    } else if (a == "--backend=seccomp") {
      seccomp = true;
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
  int code = seccomp ? run<snare::backend::seccomp_notify>(cmd, out) : run<snare::backend::ptrace>(cmd, out);
  if (out != stderr) std::fclose(out);
  return code;
}
