// Defines snare-strace's command-line parser: strace's options for the common subset, trace
// sets with names, classes and negation, and the fault-injection syntax.
#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include <snare/format/format.hpp>
#include <snare/sys/x86_64.hpp>

namespace strace {
namespace {

namespace sys = snare::sys;

struct class_name {
  std::string_view name;
  std::uint16_t bits;
};
constexpr class_name class_names[] = {
    {"file", sys::class_file},   {"process", sys::class_process}, {"network", sys::class_network},
    {"net", sys::class_network}, {"signal", sys::class_signal},   {"ipc", sys::class_ipc},
    {"desc", sys::class_desc},   {"memory", sys::class_memory},   {"creds", sys::class_creds},
    {"clock", sys::class_clock}, {"stat", sys::class_stat},       {"statfs", sys::class_statfs},
};

nr_set all_known() {
  nr_set s;
  for (std::size_t nr = 0; nr < max_nr; ++nr)
    if (sys::x86_64::descriptor(static_cast<long>(nr))) s.set(nr);
  return s;
}

bool parse_unsigned(std::string_view text, unsigned long& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

// -I's argument: 1-4 or strace's names for them.
bool parse_interruptible(std::string_view text, int& out) {
  static constexpr std::string_view names[] = {"anywhere", "waiting", "never", "never_tstp"};
  for (int k = 0; k < 4; ++k) {
    if (text == names[k] || (text.size() == 1 && text[0] == '1' + k)) {
      out = k + 1;
      return true;
    }
  }
  return false;
}

bool parse_long(std::string_view text, long& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

// Returns the errno value named `text` ("ENOENT" or a number), or 0 when unknown.
int parse_errno(std::string_view text) {
  unsigned long n = 0;
  if (parse_unsigned(text, n)) return n > 0 && n < 4096 ? static_cast<int>(n) : 0;
  for (int e = 1; e < 4096; ++e)
    if (snare::format::errno_name(e) == text) return e;
  return 0;
}

}  // namespace

std::optional<nr_set> parse_set_element(std::string_view word) {
  if (word == "all") return all_known();
  if (word == "none") return nr_set{};
  if (!word.empty() && word.front() == '%') {
    word.remove_prefix(1);
    for (auto& c : class_names) {
      if (c.name != word) continue;
      nr_set s;
      for (std::size_t nr = 0; nr < max_nr; ++nr) {
        auto* d = sys::x86_64::descriptor(static_cast<long>(nr));
        if (d && (d->classes & c.bits)) s.set(nr);
      }
      return s;
    }
    return std::nullopt;
  }
  long nr = sys::x86_64::number_of(word);
  if (nr < 0) {
    // strace also accepts a number.
    unsigned long n = 0;
    if (!parse_unsigned(word, n) || n >= max_nr) return std::nullopt;
    nr = static_cast<long>(n);
  }
  nr_set s;
  s.set(static_cast<std::size_t>(nr));
  return s;
}

std::optional<nr_set> parse_set(std::string_view text, std::string& error) {
  bool negate = false;
  if (!text.empty() && text.front() == '!') {
    negate = true;
    text.remove_prefix(1);
  }
  if (text.empty()) {
    error = "empty syscall set";
    return std::nullopt;
  }
  nr_set s;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view word = text.substr(0, comma);
    auto part = parse_set_element(word);
    if (!part) {
      error = "invalid system call '" + std::string(word) + "'";
      return std::nullopt;
    }
    s |= *part;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (negate) s = all_known() & ~s;
  return s;
}

bool parse_when(std::string_view text, inject_rule& rule) {
  // first[..last][+[step]]
  std::string_view step_part;
  bool has_plus = false;
  if (auto plus = text.find('+'); plus != std::string_view::npos) {
    has_plus = true;
    step_part = text.substr(plus + 1);
    text = text.substr(0, plus);
  }
  std::string_view first_part = text, last_part;
  bool has_range = false;
  if (auto dots = text.find(".."); dots != std::string_view::npos) {
    has_range = true;
    first_part = text.substr(0, dots);
    last_part = text.substr(dots + 2);
  }
  unsigned long first = 0, last = ~0u, step = 0;
  if (!parse_unsigned(first_part, first) || first == 0 || first > 65535) return false;
  if (has_range && (!parse_unsigned(last_part, last) || last < first || last > 65535)) return false;
  if (has_plus) {
    if (step_part.empty())
      step = 1;
    else if (!parse_unsigned(step_part, step) || step == 0 || step > 65535)
      return false;
  } else if (has_range) {
    step = 1;  // N..L: every invocation in the range
  }
  rule.first = static_cast<unsigned>(first);
  rule.last = static_cast<unsigned>(last);
  rule.step = static_cast<unsigned>(step);
  return true;
}

namespace {

bool parse_inject(std::string_view text, options& o, std::string& error) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    error = "invalid inject '" + std::string(text) + "': expected SET:error=ERRNO or SET:retval=N";
    return false;
  }
  inject_rule rule;
  auto set = parse_set(text.substr(0, colon), error);
  if (!set) return false;
  rule.calls = *set;
  bool has_action = false;
  text.remove_prefix(colon + 1);
  while (!text.empty()) {
    auto next = text.find(':');
    std::string_view item = text.substr(0, next);
    if (item.starts_with("error=")) {
      int e = parse_errno(item.substr(6));
      if (e == 0) {
        error = "invalid error code '" + std::string(item.substr(6)) + "'";
        return false;
      }
      rule.value = -e;
      rule.is_error = true;
      has_action = true;
    } else if (item.starts_with("retval=")) {
      long v = 0;
      if (!parse_long(item.substr(7), v) || v < 0) {
        error = "invalid retval '" + std::string(item.substr(7)) + "'";
        return false;
      }
      rule.value = v;
      rule.is_error = false;
      has_action = true;
    } else if (item.starts_with("when=")) {
      if (!parse_when(item.substr(5), rule)) {
        error = "invalid when '" + std::string(item.substr(5)) + "': expected N, N+, N+S, N..L or N..L+S";
        return false;
      }
    } else {
      error = "invalid inject item '" + std::string(item) + "'";
      return false;
    }
    if (next == std::string_view::npos) break;
    text.remove_prefix(next + 1);
  }
  if (!has_action) {
    error = "inject needs error= or retval=";
    return false;
  }
  o.injects.push_back(rule);
  return true;
}

bool parse_expression(std::string_view text, options& o, std::string& error) {
  std::string_view qual = "trace", value = text;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    qual = text.substr(0, eq);
    value = text.substr(eq + 1);
  }
  if (qual == "trace" || qual == "t") {
    auto s = parse_set(value, error);
    if (!s) return false;
    o.trace = *s;
    return true;
  }
  if (qual == "inject") return parse_inject(value, o, error);
  error = "invalid -e qualifier '" + std::string(qual) + "' (supported: trace, inject)";
  return false;
}

}  // namespace

parse_result parse(int argc, char** argv) {
  parse_result r;
  options o;
  o.trace = all_known();
  int i = 1;
  auto fail = [&](std::string msg) {
    r.error = std::move(msg);
    return r;
  };
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') break;
    if (a.starts_with("--")) {
      if (a == "--help") {
        r.help = true;
        return r;
      }
      if (a == "--version") {
        r.version = true;
        return r;
      }
      if (a == "--host") {
        r.host = true;
        return r;
      }
      if (a == "--tracer-info") {
        o.tracer_info = true;
        continue;
      }
      if (a.starts_with("--backend=")) {
        auto b = a.substr(10);
        if (b == "ptrace")
          o.backend = backend_choice::ptrace;
        else if (b == "seccomp" || b == "seccomp_notify")
          o.backend = backend_choice::seccomp;
        else if (b == "kvm" || b == "hypercall")
          o.backend = backend_choice::kvm;
        else
          return fail("unknown backend '" + std::string(b) + "' (ptrace, seccomp, kvm)");
        continue;
      }
      if (a.starts_with("--output=")) {
        o.output_file = std::string(a.substr(9));
        continue;
      }
      if (a.starts_with("--string-limit=")) {
        unsigned long n = 0;
        if (!parse_unsigned(a.substr(15), n))
          return fail("invalid string limit '" + std::string(a.substr(15)) + "'");
        o.string_limit = n;
        continue;
      }
      if (a.starts_with("--trace=") || a.starts_with("--inject=")) {
        std::string err;
        if (!parse_expression(a.substr(2), o, err)) return fail(err);
        continue;
      }
      if (a.starts_with("--interruptible=")) {
        if (!parse_interruptible(a.substr(16), o.interruptible))
          return fail("invalid -I argument: '" + std::string(a.substr(16)) + "'");
        continue;
      }
      if (a == "--follow-forks") {
        o.follow_forks = true;
        continue;
      }
      if (a == "--summary-only") {
        o.summary = true;
        continue;
      }
      return fail("unrecognized option '" + std::string(a) + "'");
    }
    // A cluster of short options: -ff, -tt, -qq, -fT, -s64, -o file.
    for (std::size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      auto take_value = [&](const char* what) -> std::optional<std::string_view> {
        if (k + 1 < a.size()) {
          auto v = a.substr(k + 1);
          k = a.size();
          return v;
        }
        if (i + 1 >= argc) {
          r.error = std::string("option requires an argument -- '") + c + "' (" + what + ")";
          return std::nullopt;
        }
        k = a.size();
        return std::string_view(argv[++i]);
      };
      switch (c) {
        case 'f':
          o.follow_forks = true;
          break;
        case 'c':
          o.summary = true;
          break;
        case 'T':
          o.syscall_times = true;
          break;
        case 't':
          if (o.timestamps < 3) ++o.timestamps;
          break;
        case 'y':
          o.fd_paths = true;
          break;
        case 'q':
          if (o.quiet < 2) ++o.quiet;
          break;
        case 'v':
          o.verbose = true;
          break;
        case 'h':
          r.help = true;
          return r;
        case 'V':
          r.version = true;
          return r;
        case 'o': {
          auto v = take_value("FILE");
          if (!v) return r;
          o.output_file = std::string(*v);
          break;
        }
        case 's': {
          auto v = take_value("STRSIZE");
          if (!v) return r;
          unsigned long n = 0;
          if (!parse_unsigned(*v, n)) return fail("invalid -s argument: '" + std::string(*v) + "'");
          o.string_limit = n;
          break;
        }
        case 'I': {
          auto v = take_value("INTERRUPTIBLE");
          if (!v) return r;
          if (!parse_interruptible(*v, o.interruptible))
            return fail("invalid -I argument: '" + std::string(*v) + "'");
          break;
        }
        case 'e': {
          auto v = take_value("EXPR");
          if (!v) return r;
          std::string err;
          if (!parse_expression(*v, o, err)) return fail(err);
          break;
        }
        default:
          return fail(std::string("invalid option -- '") + c + "'");
      }
    }
  }
  for (; i < argc; ++i) o.command.emplace_back(argv[i]);
  if (o.command.empty()) return fail("must have PROG [ARGS]");
  r.opts = std::move(o);
  return r;
}

std::string_view help_text() {
  return R"(Usage: snare-strace [OPTIONS] PROG [ARGS]
Traces the system calls of PROG with snare and prints them as strace does.

Options (strace's common subset):
  -f                follow forks, vforks and clones (every process and thread)
  -o FILE           write the trace to FILE instead of stderr
  -s N              show at most N bytes of strings and buffers (default 32)
  -e trace=SET      trace only SET: names (openat,read), classes (%file %process
                    %network %signal %ipc %desc %memory %creds %clock %stat %statfs),
                    all, none; a leading ! negates the set
  -e inject=SET:error=ERRNO[:when=EXPR]
  -e inject=SET:retval=N[:when=EXPR]
                    make matching calls fail with ERRNO or return N without running;
                    EXPR is N (the Nth call only), N+ (the Nth and every later one),
                    N+S (the Nth and every Sth after it), N..L, N..L+S; invocations
                    are counted per syscall per thread, from 1
  -c                count time, calls and errors per syscall; print a summary at the end
  -T                show the time spent in each syscall
  -t, -tt, -ttt     prefix each line with the time of day (-tt: with microseconds,
                    -ttt: seconds since the epoch)
  -y                print paths of file descriptor arguments and results
  -q, -qq           suppress attach messages (-q), and exit messages too (-qq)
  -v                print unabbreviated structures (environment arrays)
  -I N, --interruptible=N
                    what SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM to snare-strace
                    do: 1 (anywhere), 2 (waiting): end the run: the guests get the
                    signal and the trace ends with whole lines; 3 (never): ignored;
                    4 (never_tstp): ignored, and SIGTSTP too. Default: 3 with -o FILE,
                    else 2. A second signal kills the guests
  --backend=B       ptrace (default), seccomp (seccomp user notification: entries only,
                    results print as '?', no -c errors, no -T, no inject retval) or kvm
  --tracer-info     say on stderr which compile-time specialised tracer runs
  --host            print what this host provides (feature, yes/no, reason, what
                    needs it) and exit; a backend or option whose feature is absent
                    is refused with exit code 69 and the reason
  -h, --help        print this help;  -V, --version  print the version

The tracer is specialised at compile time for the set of syscalls that stop the guest:
one specialisation per class (%file %process %network %signal %ipc %desc %memory) and a
general one. The smallest specialisation covering the trace and inject sets is chosen at
run time; calls outside the chosen set never leave the kernel.

Exit status: the command's (128+N when killed by signal N), 127 when it cannot be run,
2 on a bad option.
)";
}

}  // namespace strace
