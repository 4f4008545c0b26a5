// Defines snare-gdbserver: debug a command with gdb while a snare tool traces it. Starts PROG
// under the ptrace backend, stops it before its first instruction, and waits for gdb on
// HOST:PORT (or a Unix socket), as gdbserver does; a tool (count: syscalls per number,
// printed on stderr at the end; strace: each call as snare-strace prints it, on stderr;
// none) runs in the same run.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/gdb/server.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>

namespace {

/// Counts every syscall by number (snare-count's tool, without its per-thread totals).
struct counter {
  template <class Call, class G>
  void on(const Call& call, G&) {
    long nr = call.to_raw().number;
    ++counts[nr >= 0 && nr < snare::max_syscall_number ? nr : snare::max_syscall_number];
  }
  std::array<std::uint64_t, snare::max_syscall_number + 1> counts{};
};

/// Prints each call as strace does, `[pid N] openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`,
/// on stderr when it returns (the entry's in-arguments read at entry, as strace). Every call
/// stops for it, so gdb's `catch syscall` can catch any of them.
struct strace_lines {
  using syscall_table = snare::call_list<>;  // formatted from the run-time descriptors
  struct thread_state {
    long nr = -1;
    snare::sys::raw_args args{};
    std::string text;
  };
  template <class G>
  void on(snare::unknown_call& c, G& g) {
    auto& t = g.thread_state();
    t.nr = c.number;
    t.args = c.args;
    t.text.clear();
    if (auto* d = snare::sys::x86_64::descriptor(c.number))
      (void)snare::format::format_entry(t.text, *d, c.args, g);
  }
  template <class G>
  void on_exit(snare::unknown_call& c, long ret, G& g) {
    auto& t = g.thread_state();
    auto* d = snare::sys::x86_64::descriptor(c.number);
    if (d == nullptr || t.nr != c.number) return;
    (void)snare::format::format_exit(t.text, *d, t.args, ret, g, {},
                                     snare::format::proc_fd_resolver(g.pid()));
    std::fprintf(stderr, "[pid %d] %s\n", static_cast<int>(g.tid()), t.text.c_str());
    t.nr = -1;
  }
};

/// Handles nothing: every syscall runs without a stop (the filter allows them all).
struct nothing {};

void print_counts(const counter& t) {
  std::vector<std::pair<std::uint64_t, long>> rows;
  for (long nr = 0; nr <= snare::max_syscall_number; ++nr)
    if (t.counts[nr]) rows.emplace_back(t.counts[nr], nr);
  std::sort(rows.begin(), rows.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::fprintf(stderr, "%10s  %s\n", "calls", "syscall");
  for (auto& [n, nr] : rows) {
    auto name = snare::sys::x86_64::name_of(nr);
    if (name.empty()) name = "unknown";
    std::fprintf(stderr, "%10llu  %.*s\n", static_cast<unsigned long long>(n), static_cast<int>(name.size()),
                 name.data());
  }
}

template <class Tool>
int serve(Tool& tool, const char* where, const std::vector<const char*>& argv, bool verbose) {
  snare::gdb::server<Tool> server(tool);
  if (auto ok = server.listen(where); !ok) {
    std::fprintf(stderr, "snare-gdbserver: cannot listen on %s: %s\n", where,
                 std::make_error_code(ok.error()).message().c_str());
    return 2;
  }
  if (verbose) server.set_log(stderr);
  std::fprintf(stderr, "Process %s created; listening on %s\n", argv[0], server.address().c_str());
  return server.run(std::span<const char* const>(argv.data(), argv.size()));
}

constexpr const char* usage =
    "Usage: snare-gdbserver [--tool=count|strace|none] [--debug] HOST:PORT|unix:PATH -- PROG [ARGS]\n"
    "Starts PROG under snare's ptrace backend, stopped before its first instruction, and\n"
    "serves one gdb on HOST:PORT (TCP; HOST defaults to 127.0.0.1, PORT 0 picks one) or\n"
    "on the Unix socket PATH: in gdb, `target remote HOST:PORT`. The tool runs meanwhile:\n"
    "count prints the syscalls per number on stderr when PROG ends; strace prints each\n"
    "call as snare-strace does, on stderr, as it returns. --debug logs packets.\n"
    "Exit status: PROG's (128+N when killed by signal N), 127 when it cannot run, 2 on a\n"
    "bad option or address.\n";

}  // namespace

int main(int argc, char** argv) {
  std::string_view tool = "count";
  bool verbose = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2] != '\0'; ++i) {
    std::string_view a = argv[i];
    if (a == "--help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a.starts_with("--tool=")) {
      tool = a.substr(7);
    } else if (a == "--debug") {
      verbose = true;
    } else {
      std::fprintf(stderr, "snare-gdbserver: unknown option %s\n%s", argv[i], usage);
      return 2;
    }
  }
  if (tool != "count" && tool != "strace" && tool != "none") {
    std::fprintf(stderr, "snare-gdbserver: unknown tool '%.*s' (count, strace or none)\n",
                 static_cast<int>(tool.size()), tool.data());
    return 2;
  }
  if (i >= argc) {
    std::fputs(usage, stderr);
    return 2;
  }
  const char* where = argv[i++];
  if (i < argc && std::strcmp(argv[i], "--") == 0) ++i;
  if (i >= argc) {
    std::fputs(usage, stderr);
    return 2;
  }
  std::vector<const char*> prog(argv + i, argv + argc);
  if (tool == "none") {
    nothing t;
    return serve(t, where, prog, verbose);
  }
  if (tool == "strace") {
    strace_lines t;
    return serve(t, where, prog, verbose);
  }
  counter t;
  int code = serve(t, where, prog, verbose);
  print_counts(t);
  return code;
}
