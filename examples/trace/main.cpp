// Defines snare-trace: records the syscalls of a command, per guest thread, as a Chrome /
// Perfetto trace (trace event JSON): one track per thread, named processes and threads, one
// complete event per syscall with its duration, its arguments and result as event args.
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

double now_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

/// Appends `s` as a JSON string literal.
void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

/// Splits the strace rendering `name(a, b, {c, d}) = r` into its top-level arguments and
/// its result (what follows " = ").
void split_call(std::string_view line, std::vector<std::string_view>& args, std::string_view& result) {
  auto open = line.find('(');
  if (open == std::string_view::npos) return;
  int depth = 0;
  bool quoted = false;
  std::size_t start = open + 1, i = open + 1;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ')' || (c == ',' && depth == 0)) {
      if (i > start) args.push_back(line.substr(start, i - start));
      start = i + 2;  // skip ", "
      if (c == ')') break;
    }
  }
  if (auto eq = line.find(" = ", i); eq != std::string_view::npos) result = line.substr(eq + 3);
}

/// The tool: one complete ("X") event per syscall on its thread's track.
struct tracer_tool {
  using syscall_table = snare::call_list<>;  // formatted from run-time descriptors
  struct thread_state {
    double start_us = 0;
    long nr = -1;
    snare::sys::raw_args args{};
    std::string text;  // the strace rendering, started at entry (in-arguments), ended at exit
  };
  std::string events;
  double t0 = now_us();

  void event(std::string_view body) {
    events += events.empty() ? "\n" : ",\n";
    events += body;
  }
  void name_event(const char* kind, pid_t pid, pid_t tid) {
    std::ifstream comm("/proc/" + std::to_string(tid) + "/comm");
    std::string name;
    std::getline(comm, name);
    std::string e = "{\"name\":\"" + std::string(kind) + "\",\"ph\":\"M\",\"pid\":" + std::to_string(pid) +
                    ",\"tid\":" + std::to_string(tid) + ",\"args\":{\"name\":";
    json_string(e, name.empty() ? "?" : name);
    event(e + "}}");
  }
  template <class G>
  void on(snare::unknown_call& c, G& g) {
    auto& t = g.thread_state();
    t = {now_us(), c.number, c.args, {}};
    if (auto* d = snare::sys::x86_64::descriptor(c.number))
      (void)snare::format::format_entry(t.text, *d, c.args, g);
  }
  template <class G>
  void on_exit(snare::unknown_call& c, long ret, G& g) {
    auto& t = g.thread_state();
    double end = now_us();
    auto* d = snare::sys::x86_64::descriptor(c.number);
    if (!d || t.nr != c.number) return;
    (void)snare::format::format_exit(t.text, *d, t.args, ret, g, {},
                                     snare::format::proc_fd_resolver(g.pid()));
    std::vector<std::string_view> args;
    std::string_view result;
    split_call(t.text, args, result);
    char head[256];
    std::snprintf(head, sizeof head,
                  "{\"name\":\"%.*s\",\"cat\":\"syscall\",\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%d,"
                  "\"tid\":%d,\"args\":{",
                  static_cast<int>(d->name.size()), d->name.data(), t.start_us - t0, end - t.start_us,
                  g.pid(), g.tid());
    std::string e = head;
    for (std::size_t i = 0; i < args.size() && i < d->nargs; ++i) {
      json_string(e, d->args[i].name);
      e += ':';
      json_string(e, args[i]);
      e += ',';
    }
    e += "\"return\":";
    json_string(e, result);
    event(e + "}}");
    t.nr = -1;
  }
  template <class G>
  void on_thread_start(G& g) {
    name_event(g.pid() == g.tid() ? "process_name" : "thread_name", g.pid(), g.tid());
  }
  template <class G>
  void on_exec(G& g) {
    name_event("process_name", g.pid(), g.pid());
    name_event("thread_name", g.pid(), g.tid());
  }
};

constexpr const char* usage =
    "Usage: snare-trace [-o FILE] PROG [ARGS]\n"
    "Records every syscall of PROG and of the processes and threads it starts as a Chrome /\n"
    "Perfetto trace (trace event JSON, default FILE trace.json): one track per thread, one\n"
    "event per syscall with its duration, arguments and result. Open it in ui.perfetto.dev.\n"
    "Exit status: PROG's, 127 when it cannot run, 2 on a bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  std::string out = "trace.json";
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "-o" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--") {
      ++i;
      break;
    } else {
      std::fprintf(stderr, "snare-trace: bad option '%s'\nTry 'snare-trace --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "snare-trace: no command given\nTry 'snare-trace --help'.\n");
    return 2;
  }
  tracer_tool tool;
  int code = snare::run<snare::backend::ptrace>(tool, std::span<const char* const>(argv + i, argc - i));
  std::ofstream f(out);
  f << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[" << tool.events << "\n]}\n";
  if (!f) {
    std::fprintf(stderr, "snare-trace: cannot write '%s'\n", out.c_str());
    return code ? code : 1;
  }
  return code;
}
