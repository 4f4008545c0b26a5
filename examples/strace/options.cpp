// Defines snare-strace's command-line parser: strace's long and short options, the -e
// expressions (trace, inject, fault, signal, status, quiet, read, write, ...) and timestamps.
#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include <snare/format/format.hpp>
#include <snare/sys/x86_64.hpp>

namespace strace {
namespace {

bool set_decode_fds(std::string_view value, options& o, std::string& error) {
  auto bits = parse_decode_fds_set(value, error);
  if (!bits) return false;
  o.fd_paths = (*bits & decode_fd_path) != 0;
  o.fd_details = *bits & ~unsigned{decode_fd_path};
  return true;
}

// --decode-pids=SET, -e decode-pids=SET: strace's qualify_tokens over {pidns, comm}; each
// use replaces the set (-Y and --pidns-translation are its "comm" and "pidns").
bool set_decode_pids(std::string_view value, options& o, std::string& error) {
  bool negate = false;
  while (!value.empty() && value.front() == '!') negate = !negate, value.remove_prefix(1);
  bool comm = false, pidns = false;
  if (value == "all") {
    comm = pidns = true;
  } else if (value != "none") {
    bool any = false;  // strace skips empty items, but wants one
    for (std::string_view rest = value; !rest.empty();) {
      auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item.empty()) continue;
      if (item == "comm")
        comm = true;
      else if (item == "pidns")
        pidns = true;
      else
        return error = "invalid decode-pids '" + std::string(item) + "'", false;
      any = true;
    }
    if (!any) return error = "invalid decode-pids '" + std::string(value) + "'", false;
  }
  o.pid_comm = comm != negate;
  o.pidns = pidns != negate;
  return true;
}

}  // namespace

bool parse_expression(std::string_view text, options& o, std::string& error) {
  std::string_view qual = "trace", value = text;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    qual = text.substr(0, eq);
    value = text.substr(eq + 1);
  }
  auto calls = [&](nr_set& into) {
    auto s = parse_set(value, error);
    if (s) into = *s;
    return s.has_value();
  };
  if (qual == "trace" || qual == "t") return calls(o.trace);
  if (qual == "abbrev" || qual == "a") return calls(o.abbrev_calls);
  if (qual == "verbose" || qual == "v") return calls(o.verbose_calls);  // the others: structures as addresses
  if (qual == "raw" || qual == "x") return calls(o.raw_calls);
  if (qual == "inject") return parse_inject(value, false, o, error);
  if (qual == "fault") return parse_inject(value, true, o, error);
  if (qual == "signal" || qual == "signals" || qual == "s") {
    auto s = parse_signal_set(value, error);
    if (s) o.signals = *s;
    return s.has_value();
  }
  if (qual == "status") {
    auto s = parse_status_set(value, error);
    if (s) o.status = *s;
    return s.has_value();
  }
  if (qual == "quiet" || qual == "silent" || qual == "silence" || qual == "q") {
    auto s = parse_quiet_set(value, error);
    if (s) o.quiet = *s, o.quiet_given = true;
    return s.has_value();
  }
  if (qual == "read" || qual == "r" || qual == "write" || qual == "w") {
    bool read = qual[0] == 'r';
    auto s = parse_fd_set(value, qual, error);
    if (s) (read ? o.read_fds : o.write_fds) = *s;
    return s.has_value();
  }
  if (qual == "decode-fds" || qual == "decode-fd") return set_decode_fds(value, o, error);
  if (qual == "decode-pids" || qual == "decode-pid") return set_decode_pids(value, o, error);
  if (qual == "kvm") {  // strace's qualify_kvm: vcpu is the one value
    if (value == "vcpu") return o.kvm_vcpu = true, true;
    error = "invalid -e kvm= argument: '" + std::string(value) + "'";
    return false;
  }
  if (qual == "secontext" || qual == "trace-fds" || qual == "trace-fd") {
    error = "-e " + std::string(qual) + "= is not supported by snare-strace";
    return false;
  }
  error = "invalid -e qualifier '" + std::string(qual) + "'";
  return false;
}

namespace {

// "s", "ms", "us", "ns": digits after the second; -1 when invalid.
int parse_precision(std::string_view text) {
  if (text == "s") return 0;
  if (text == "ms") return 3;
  if (text == "us") return 6;
  if (text == "ns") return 9;
  return -1;
}

// --timestamps=[[format:]none|time|unix][,[precision:]s|ms|us|ns]
bool parse_timestamps(std::string_view text, options& o) {
  int format = -1, digits = -1;
  bool ok = true;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    bool may_format = true, may_precision = true;
    if (item.starts_with("format:")) item.remove_prefix(7), may_precision = false;
    if (item.starts_with("precision:")) item.remove_prefix(10), may_format = false;
    if (may_format && item == "none")
      format = 0;
    else if (may_format && item == "time")
      format = 1;
    else if (may_format && item == "unix")
      format = 2;
    else if (may_precision && parse_precision(item) >= 0)
      digits = parse_precision(item);
    else if (!item.empty())
      ok = false;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (!ok) return false;
  if (format >= 0)
    o.timestamps = format;
  else if (o.timestamps == 0)
    o.timestamps = 1;
  if (digits >= 0) o.timestamps_digits = digits;
  return true;
}

// Long options, with the value after '=' when the option takes one.
struct long_opt {
  std::string_view name;
  char short_name;  // the short option it means, or 0
  int arg;          // 0: none, 1: required, 2: optional
};
constexpr long_opt long_opts[] = {
    {"columns", 'a', 1},
    {"output-append-mode", 'A', 0},
    {"detach-on", 'b', 1},
    {"summary-only", 'c', 0},
    {"summary", 'C', 0},
    {"follow-forks", 'f', 0},
    {"instruction-pointer", 'i', 0},
    {"interruptible", 'I', 1},
    {"stack-traces", 'k', 0},
    {"syscall-number", 'n', 0},
    {"output", 'o', 1},
    {"summary-syscall-overhead", 'O', 1},
    {"trace-path", 'P', 1},
    {"string-limit", 's', 1},
    {"summary-sort-by", 'S', 1},
    {"summary-columns", 'U', 1},
    {"no-abbrev", 'v', 0},
    {"summary-wall-clock", 'w', 0},
    {"const-print-style", 'X', 1},
    {"successful-only", 'z', 0},
    {"failed-only", 'Z', 0},
    {"failing-only", 'Z', 0},
    {"attach", 'p', 1},
    {"user", 'u', 1},
    {"env", 'E', 1},
};

}  // namespace

parse_result parse(int argc, char** argv) {
  parse_result r;
  options o;
  o.trace = all_known();
  o.abbrev_calls = o.trace;
  o.verbose_calls = o.trace;
  o.signals.set();
  int i = 1;
  int f_count = 0;
  int daemonize_long = 0;  // --daemonize=: strace refuses it with -D
  auto fail = [&](std::string msg) {
    r.error = std::move(msg);
    return r;
  };
  // A bad -e expression: strace's qualifiers end with the message alone (error_msg_and_die).
  auto fail_qualifier = [&](std::string msg) {
    r.message_only = msg.starts_with("invalid ");
    return fail(std::move(msg));
  };
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.size() < 2 || a[0] != '-') break;
    if (a.starts_with("--")) {
      std::string_view name = a.substr(2), value;
      bool has_value = false;
      if (auto eq = name.find('='); eq != std::string_view::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      auto no_value = [&]() -> bool {
        if (has_value) r.error = "option '--" + std::string(name) + "' doesn't allow an argument";
        return !has_value;
      };
      if (name == "help") return r.help = true, r;
      if (name == "version") return r.version = true, r;
      if (name == "host") return r.host = true, r;
      if (name == "tracer-info") {
        o.tracer_info = true;
        continue;
      }
      if (name == "backend") {
        if (value == "ptrace")
          o.backend = backend_choice::ptrace;
        else if (value == "seccomp" || value == "seccomp_notify")
          o.backend = backend_choice::seccomp;
        else if (value == "kvm" || value == "hypercall")
          o.backend = backend_choice::kvm;
        else if (value == "in-guest" || value == "in_guest")
          o.backend = backend_choice::in_guest;
        else
          return fail("unknown backend '" + std::string(value) + "' (ptrace, seccomp, kvm, in-guest)");
        continue;
      }
      if (name == "seccomp-bpf" || name == "kill-on-exit") {
        // Always on: snare stops the guest only for traced calls (its BPF filter), and the
        // guest is killed when the tracer exits (PTRACE_O_EXITKILL).
        if (!no_value()) return r;
        if (name == "seccomp-bpf") o.seccomp_bpf = true;
        continue;
      }
      if (name == "output-separately") {
        if (!no_value()) return r;
        o.follow_forks = o.output_separately = true;
        continue;
      }
      if (name == "absolute-timestamps" || name == "timestamps") {
        if (!parse_timestamps(has_value ? value : "", o))
          return fail("invalid --" + std::string(name) + " argument: '" + std::string(value) + "'");
        continue;
      }
      if (name == "relative-timestamps" || name == "syscall-times") {
        int digits = has_value ? parse_precision(value) : 6;
        if (digits < 0)
          return fail("invalid --" + std::string(name) + " argument: '" + std::string(value) + "'");
        if (name[0] == 'r')
          o.relative_timestamps = true, o.relative_digits = digits;
        else
          o.syscall_times = true, o.syscall_times_digits = digits;
        continue;
      }
      if (name == "strings-in-hex") {
        if (!has_value || value == "all")
          o.hex_strings = 2;
        else if (value == "none")
          o.hex_strings = 0;
        else if (value == "non-ascii")
          o.hex_strings = 1;
        else if (value == "non-ascii-chars")
          o.hex_strings = 3;
        else
          return fail("invalid --strings-in-hex argument: '" + std::string(value) + "'");
        continue;
      }
      if (name == "pidns-translation") {
        if (!no_value()) return r;
        o.pid_comm = false;
        o.pidns = true;
        continue;
      }
      if (name == "decode-fds") {
        std::string err;
        if (!set_decode_fds(has_value ? value : "path", o, err)) return fail(err);
        continue;
      }
      if (name == "quiet" || name == "silent" || name == "silence") {
        std::string err;
        auto q = parse_quiet_set(has_value ? value : "attach,personality", err);
        if (!q) return fail(err);
        o.quiet = *q;
        o.quiet_given = true;
        continue;
      }
      if (name == "trace" || name == "abbrev" || name == "verbose" || name == "raw" || name == "signal" ||
          name == "signals" || name == "status" || name == "read" || name == "write" || name == "fault" ||
          name == "inject" || name == "decode-pids" || name == "decode-pid" || name == "kvm" ||
          name == "secontext") {
        if (!has_value) return fail("option '--" + std::string(name) + "' requires an argument");
        std::string err;
        if (!parse_expression(std::string(name) + "=" + std::string(value), o, err))
          return fail_qualifier(err);
        continue;
      }
      if (name == "daemonize" || name == "daemonized" || name == "daemonised") {
        // strace's daemonize_str; no value is a grandchild.
        if (!has_value || value == "grandchild")
          daemonize_long = 1;
        else if (value == "pgroup" || value == "pgrp")
          daemonize_long = 2;
        else if (value == "session")
          daemonize_long = 3;
        else
          return fail("invalid --" + std::string(name) + " argument: '" + std::string(value) + "'");
        continue;
      }
      if (name == "tips") {
        if (!parse_tips(has_value ? value : "", o.tips))
          return fail("invalid --tips argument: '" + std::string(value) + "'");
        continue;
      }
      if (name == "debug") {
        if (!no_value()) return r;
        o.debug = true;
        continue;
      }
      const long_opt* lo = nullptr;
      for (auto& l : long_opts)
        if (l.name == name) lo = &l;
      if (!lo) return fail("unrecognized option '" + std::string(a) + "'");
      if (lo->arg == 0 && !no_value()) return r;
      if (lo->arg == 1 && !has_value) {
        if (i + 1 >= argc) return fail("option '--" + std::string(name) + "' requires an argument");
        value = argv[++i];
        has_value = true;
      }
      if (lo->short_name == 'f') {
        o.follow_forks = true;
        continue;
      }
      std::string err;
      if (!apply_short(lo->short_name, has_value ? std::optional(value) : std::nullopt, o, err)) {
        if (err.starts_with("invalid -"))
          err = "invalid --" + std::string(name) + err.substr(err.find(' ', 9));
        return fail(err);
      }
      continue;
    }
    // A cluster of short options: -ff, -tt, -qq, -fT, -s64, -o file.
    for (std::size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      static constexpr std::string_view takes_value = "abeEIoOpPsSuUX";
      std::optional<std::string_view> value;
      if (takes_value.find(c) != std::string_view::npos) {
        if (k + 1 < a.size()) {
          value = a.substr(k + 1);
        } else if (i + 1 < argc) {
          value = std::string_view(argv[++i]);
        } else {
          return fail(std::string("option requires an argument -- '") + c + "'");
        }
        k = a.size();
      }
      if (c == 'h') return r.help = true, r;
      if (c == 'V') return r.version = true, r;
      if (c == 'f') {
        if (++f_count >= 2) o.output_separately = true;
        o.follow_forks = true;
        continue;
      }
      std::string err;
      if (!apply_short(c, value, o, err)) return c == 'e' ? fail_qualifier(err) : fail(err);
    }
  }
  for (; i < argc; ++i) o.command.emplace_back(argv[i]);
  if (o.command.empty() && o.attach_pids.empty()) return fail("must have PROG [ARGS] or -p PID");
  if (daemonize_long != 0 && o.daemonize != 0) {
    r.message_only = true;
    return fail("-D and --daemonize cannot be provided simultaneously");
  }
  if (daemonize_long != 0) o.daemonize = daemonize_long;
  if (o.daemonize != 0 && o.command.empty()) return fail("PROG [ARGS] must be specified with -D/--daemonize");
  if (o.daemonize > 3)
    return fail("Too many -D's (" + std::to_string(o.daemonize) + "), maximum supported -D count is 3");
  if (o.daemonize != 0 && o.backend != backend_choice::ptrace)
    return fail("-D/--daemonize needs the ptrace backend");
  if (o.daemonize != 0 && o.user) return fail("-D/--daemonize with -u is not supported by snare-strace");
  if (o.daemonize != 0 && !o.attach_pids.empty())
    return fail("-D/--daemonize with -p PID is not supported by snare-strace");
  if (o.backend != backend_choice::ptrace && o.backend != backend_choice::in_guest &&
      std::any_of(o.injects.begin(), o.injects.end(), [](const inject_rule& r) { return r.signal != 0; }))
    return fail("-e inject=...:signal= needs the ptrace backend");
  if (o.backend != backend_choice::ptrace && o.backend != backend_choice::in_guest &&
      std::any_of(o.injects.begin(), o.injects.end(), [](const inject_rule& r) { return r.delay || r.poke; }))
    return fail("-e inject=...:poke_enter=/poke_exit=/delay_enter=/delay_exit= needs the ptrace backend");
  if (!o.attach_pids.empty() && o.backend != backend_choice::ptrace)
    return fail("-p PID (attach) needs the ptrace backend");
  if (o.detach_on_execve && o.backend != backend_choice::ptrace)
    return fail("-b execve needs the ptrace backend");
  if (o.output_separately && o.output_file.empty())
    o.output_separately = false;  // as strace: -ff alone is -f
  if (o.output_separately && (o.output_file[0] == '|' || o.output_file[0] == '!'))
    return fail("piping the output and -ff/--output-separately are mutually exclusive");
  if (o.summary && o.summary_and_trace) o.summary = false;  // -c -C: -C wins, as strace
  // strace: -o FILE with a command implies -q (no "Process N attached" on the terminal).
  if (!o.output_file.empty() && !o.command.empty() && !o.quiet_given)
    o.quiet = quiet_attach | quiet_personality;
  if (o.backend == backend_choice::in_guest) {
    if (auto why = in_guest_refusal(o); !why.empty())
      return fail(why + " is not supported by --backend=in-guest");
  }
  r.opts = std::move(o);
  return r;
}

std::string in_guest_refusal(const options& o) {
  // The guest formats its own calls and sends whole lines; what needs the tracer to see
  // each call (its registers, stack, timing, signals) or a per-call decision is refused.
  if (o.stack_trace) return "-k (the stack needs the ptrace backend)";
  if (o.instruction_pointer) return "-i (the instruction pointer needs the ptrace backend)";
  sig_set all;
  all.set();
  if (o.signals != all) return "-e signal= (the backend sees no signal deliveries)";
  if (o.summary || o.summary_and_trace) return "-c/-C (the summary)";
  if (o.timestamps || o.relative_timestamps) return "-t/-r (timestamps)";
  if (o.syscall_numbers) return "-n";
  if (!o.paths.empty()) return "-P";
  if (o.output_separately) return "-ff";
  if (o.status != status_all) return "-z/-Z/-e status=";
  if (o.read_fds.any() || o.write_fds.any()) return "-e read=/write=";
  if (o.raw_calls.any()) return "-e raw=";
  if (!o.injects.empty()) return "-e inject=/fault=";
  if (o.fd_details != 0) return "-yy/-e decode-fds= other than path";
  if (o.pid_comm || o.pidns) return "-Y/--decode-pids= (the guest's lines are formatted in the guest)";
  return {};
}

}  // namespace strace
