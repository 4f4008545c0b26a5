// Defines strace::session: strace's line discipline, summary table and fault injection over
// snare::format, independent of the backend and of the compile-time specialisation.
#include "session.hpp"

#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <cinttypes>
#include <cstring>

#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/sys/x86_64.hpp>

namespace strace {
namespace {

std::uint64_t now_ns(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// The descriptor of `nr`, or a stand-in that prints as strace prints unknown calls.
const snare::sys::syscall_desc& desc_of(long nr) {
  if (auto* d = snare::sys::x86_64::descriptor(nr)) return *d;
  static thread_local std::string name;
  static thread_local snare::sys::syscall_desc unknown;
  char buf[32];
  std::snprintf(buf, sizeof buf, "syscall_%#lx", static_cast<unsigned long>(nr));
  name = buf;
  unknown = snare::sys::syscall_desc{};
  unknown.number = nr;
  unknown.name = name;
  unknown.nargs = 6;
  for (auto& a : unknown.args) a.kind = snare::sys::arg_kind::hex;
  return unknown;
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  if (abbrev) return std::string("SIG") + abbrev;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return "SIGRT_" + std::to_string(sig - SIGRTMIN);
  return std::to_string(sig);
}

bool is_error(long ret) { return ret < 0 && ret >= -4095; }

// Ends a line with a result the tool states itself, as strace does: `)`, padding to
// column 40 (or one space when past it), `= ` and `result` (default `?`, unknown).
// `line` holds the whole line so far.
void end_unknown(std::string& line, const char* result = "?") {
  line += ')';
  auto nl = line.rfind('\n');
  std::size_t col = nl == std::string::npos ? line.size() : line.size() - nl - 1;
  if (col < 40)
    line.append(40 - col, ' ');
  else
    line += ' ';
  line += "= ";
  line += result;
  line += '\n';
}

std::string si_code_name(const siginfo_t& si) {
  switch (si.si_code) {
    case SI_USER:
      return "SI_USER";
    case SI_KERNEL:
      return "SI_KERNEL";
    case SI_QUEUE:
      return "SI_QUEUE";
    case SI_TIMER:
      return "SI_TIMER";
    case SI_MESGQ:
      return "SI_MESGQ";
    case SI_ASYNCIO:
      return "SI_ASYNCIO";
    case SI_SIGIO:
      return "SI_SIGIO";
    case SI_TKILL:
      return "SI_TKILL";
    default:
      break;
  }
  if (si.si_signo == SIGCHLD) {
    static const char* const chld[] = {
        "", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
    if (si.si_code >= 1 && si.si_code <= 6) return chld[si.si_code];
  }
  if (si.si_signo == SIGSEGV) {
    static const char* const segv[] = {"", "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"};
    if (si.si_code >= 1 && si.si_code <= 4) return segv[si.si_code];
  }
  return std::to_string(si.si_code);
}

void append_ticks(std::string& s, const char* name, long ticks) {
  s += ", ";
  s += name;
  s += '=';
  s += std::to_string(ticks);
  if (ticks != 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " /* %.2f s */", static_cast<double>(ticks) / 100.0);
    s += buf;
  }
}

// Renders a siginfo as strace does in "--- SIGCHLD {...} ---".
std::string format_siginfo(int sig, const siginfo_t* si) {
  std::string s = "{si_signo=" + signal_name(sig);
  if (!si) return s + "}";
  s += ", si_code=" + si_code_name(*si);
  if (sig == SIGCHLD && si->si_code > 0) {
    s += ", si_pid=" + std::to_string(si->si_pid) + ", si_uid=" + std::to_string(si->si_uid);
    s += ", si_status=";
    s += si->si_code == CLD_EXITED ? std::to_string(si->si_status) : signal_name(si->si_status);
    append_ticks(s, "si_utime", static_cast<long>(si->si_utime));
    append_ticks(s, "si_stime", static_cast<long>(si->si_stime));
  } else if (si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE) {
    s += ", si_pid=" + std::to_string(si->si_pid) + ", si_uid=" + std::to_string(si->si_uid);
  } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
    char buf[40];
    if (si->si_addr)
      std::snprintf(buf, sizeof buf, ", si_addr=%p", si->si_addr);
    else
      std::snprintf(buf, sizeof buf, ", si_addr=NULL");
    s += buf;
  }
  return s + "}";
}

}  // namespace

session::session(const options& o) : opts_(o), stats_(max_nr + 1) {}

session::~session() {
  if (own_out_ && out_) std::fclose(out_);
}

bool session::open() {
  if (opts_.output_file.empty()) {
    out_ = stderr;
    return true;
  }
  out_ = std::fopen(opts_.output_file.c_str(), "we");
  if (!out_) {
    std::fprintf(stderr, "snare-strace: cannot open '%s': %s\n", opts_.output_file.c_str(),
                 std::strerror(errno));
    return false;
  }
  own_out_ = true;
  return true;
}

std::string session::prefix(pid_t tid) const {
  std::string s;
  char buf[64];
  // With -o and -f every line names its thread ("1234  "); on stderr, only while more than
  // one thread is traced ("[pid  1234] "), as strace does.
  if (!opts_.output_file.empty() && opts_.follow_forks) {
    std::snprintf(buf, sizeof buf, "%-5d ", tid);
    s += buf;
  } else if (opts_.output_file.empty() && live_threads_ > 1) {
    std::snprintf(buf, sizeof buf, "[pid %5d] ", tid);
    s += buf;
  }
  if (opts_.timestamps > 0) {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    if (opts_.timestamps >= 3) {
      std::snprintf(buf, sizeof buf, "%lld.%06ld ", static_cast<long long>(ts.tv_sec), ts.tv_nsec / 1000);
    } else {
      tm local{};
      ::localtime_r(&ts.tv_sec, &local);
      std::size_t n = ::strftime(buf, sizeof buf, "%H:%M:%S", &local);
      if (opts_.timestamps == 2) std::snprintf(buf + n, sizeof buf - n, ".%06ld", ts.tv_nsec / 1000);
      std::strcat(buf, " ");
    }
    s += buf;
  }
  return s;
}

void session::write(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), out_);
  if (!own_out_) std::fflush(out_);
}

void session::interrupt_open_line() {
  if (!open_) return;
  write(" <unfinished ...>\n");
  open_ = nullptr;
  open_tid_ = -1;
}

void session::count(long nr, long ret, std::uint64_t ns) {
  auto i = nr >= 0 && static_cast<std::size_t>(nr) < max_nr ? static_cast<std::size_t>(nr) : max_nr;
  auto& row = stats_[i];
  ++row.calls;
  if (is_error(ret)) ++row.errors;
  row.ns += ns;
}

session::decision session::on_entry(pid_t, pid_t tid, thread_info& t, process_info& p, long nr,
                                    const raw_args& args, memory_ref mem) {
  decision d;
  t.in_call = false;
  t.shown = false;
  t.held = !started_;
  t.injected = false;
  t.nr = nr;
  t.args = args;
  if (nr == snare::sys::x86_64::exit_group::number) {
    p.group_exit = true;
    p.group_status = static_cast<int>(args[0] & 0xff);
  } else if (nr == snare::sys::x86_64::exit::number) {
    t.exit_status = static_cast<int>(args[0] & 0xff);
  }
  if (!started_ && nr != snare::sys::x86_64::execve::number) return d;  // spawn work
  bool in_range = nr >= 0 && static_cast<std::size_t>(nr) < max_nr;
  bool traced = in_range && opts_.trace.test(static_cast<std::size_t>(nr)) && (t.held || visible(tid));

  if (started_ && in_range && !opts_.injects.empty()) {
    unsigned n = ++t.invocations[nr];
    for (auto& rule : opts_.injects) {
      if (!rule.calls.test(static_cast<std::size_t>(nr)) || !rule.fires(n)) continue;
      d.suppress = true;
      d.value = rule.value;
      break;
    }
  }

  t.entry_ns = now_ns(CLOCK_MONOTONIC);
  snare::format::options fo;
  fo.string_limit = opts_.string_limit;
  fo.show_fd_paths = opts_.fd_paths;
  fo.align_column = 40;
  fo.verbose = opts_.verbose;
  snare::format::proc_fd_resolver fds(tid);

  if (d.suppress) {
    // Answered here: the call never runs, so its whole line is printed now.
    if (opts_.summary) {
      if (traced) count(nr, d.value, 0);
      return d;
    }
    if (!traced) return d;
    interrupt_open_line();
    std::string line = prefix(tid);
    (void)snare::format::format_call(line, desc_of(nr), args, d.value, mem, fo, fds);
    line += " (INJECTED)";
    if (opts_.syscall_times) line += " <0.000000>";
    line += '\n';
    write(line);
    return d;
  }

  if (!traced) return d;
  t.in_call = true;
  if (opts_.summary) {
    // Entries only (seccomp_notify): count the call now; its result is never known.
    if (!exits_observed_ && !t.held) {
      // exit and exit_group never return, and strace counts calls at their return.
      if (nr != snare::sys::x86_64::exit::number && nr != snare::sys::x86_64::exit_group::number)
        count(nr, 0, 0);
      t.in_call = false;
    }
    return d;
  }
  t.line = t.held ? std::string() : prefix(tid);
  (void)snare::format::format_entry(t.line, desc_of(nr), args, mem, fo, fds);
  t.shown = true;
  if (t.held) return d;  // printed at exit once the exec succeeded
  if (!exits_observed_) {
    // Entries only (seccomp_notify): the line ends now with an unknown result.
    interrupt_open_line();
    std::string line = t.line;
    while (line.ends_with(", ")) line.resize(line.size() - 2);  // out-arguments never come
    end_unknown(line);
    write(line);
    t.in_call = false;
    t.shown = false;
    return d;
  }
  interrupt_open_line();
  write(t.line);
  open_ = &t;
  open_tid_ = tid;
  return d;
}

void session::on_exit(pid_t, pid_t tid, thread_info& t, long ret, memory_ref mem) {
  if (!t.in_call) return;
  t.in_call = false;
  if (t.held && !started_) return;  // a failed exec attempt of the spawn (PATH lookup)
  std::uint64_t ns = now_ns(CLOCK_MONOTONIC) - t.entry_ns;
  if (opts_.summary) {
    count(t.nr, ret, ns);
    return;
  }
  if (!t.shown) return;
  t.shown = false;
  snare::format::options fo;
  fo.string_limit = opts_.string_limit;
  fo.show_fd_paths = opts_.fd_paths;
  fo.align_column = 40;
  fo.verbose = opts_.verbose;
  snare::format::proc_fd_resolver fds(tid);
  std::string line;
  std::size_t from = 0;
  if (t.held) {
    // The guest's first execve: its entry was kept until it succeeded.
    interrupt_open_line();
    line = prefix(tid) + t.line;
  } else if (open_ == &t) {
    line = std::move(t.line);
    from = line.size();
  } else {
    interrupt_open_line();
    line = prefix(tid);
    (void)snare::format::resumed(line, desc_of(t.nr));
  }
  (void)snare::format::format_exit(line, desc_of(t.nr), t.args, ret, mem, fo, fds);
  if (opts_.syscall_times) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " <%" PRIu64 ".%06" PRIu64 ">", ns / 1000000000u, (ns / 1000u) % 1000000u);
    line += buf;
  }
  line += '\n';
  open_ = nullptr;
  open_tid_ = -1;
  std::fwrite(line.data() + from, 1, line.size() - from, out_);
  if (!own_out_) std::fflush(out_);
  t.line.clear();
}

void session::on_stop(pid_t tid, int sig) {
  if (!visible(tid) || opts_.summary) return;
  interrupt_open_line();
  write(prefix(tid) + "--- stopped by " + signal_name(sig) + " ---\n");
}

void session::on_signal(pid_t, pid_t tid, int sig, const siginfo_t* info) {
  if (!visible(tid) || opts_.summary) return;
  interrupt_open_line();
  write(prefix(tid) + "--- " + signal_name(sig) + " " + format_siginfo(sig, info) + " ---\n");
}

void session::on_thread_start(pid_t, pid_t tid) {
  ++live_threads_;
  if (started_ && opts_.follow_forks && opts_.quiet == 0 && tid != root_) {
    if (out_ == stderr) interrupt_open_line();  // the message must not split a trace line
    std::fprintf(stderr, "snare-strace: Process %d attached\n", tid);
  }
}

void session::on_thread_exit(pid_t pid, pid_t tid, thread_info& t, process_info& p, snare::exit_status end) {
  if (t.in_call && t.shown && !t.held && !opts_.summary && visible(tid)) {
    // A call that never returns (exit_group) or was cut short by the thread's end.
    if (open_ == &t) {
      std::string line = t.line;
      end_unknown(line);
      write(line.substr(t.line.size()));
      open_ = nullptr;
      open_tid_ = -1;
    } else {
      interrupt_open_line();
      std::string line = prefix(tid);
      (void)snare::format::resumed(line, desc_of(t.nr));
      end_unknown(line);
      write(line);
    }
  }
  t.in_call = false;
  if (open_ == &t) {
    open_ = nullptr;
    open_tid_ = -1;
  }
  if (end.is_superseded()) {
    // The leader, ended by another thread's execve; that thread carries on under its id.
    if (visible(tid) && !opts_.summary && opts_.quiet < 2) {
      interrupt_open_line();
      write(prefix(tid) + "+++ superseded by execve in pid " + std::to_string(end.superseded_by()) +
            " +++\n");
    }
    --live_threads_;
    return;
  }
  if (tid != pid && visible(tid) && !opts_.summary && opts_.quiet < 2) {
    interrupt_open_line();
    if (end.is_killed()) {
      write(prefix(tid) + "+++ killed by " + signal_name(end.signal()) +
            (end.core_dumped() ? " (core dumped)" : "") + " +++\n");
    } else {
      int status = end.is_exited() ? end.code() : p.group_exit ? p.group_status : t.exit_status;
      write(prefix(tid) + "+++ exited with " + std::to_string(status) + " +++\n");
    }
  }
  if (tid != pid) --live_threads_;
}

void session::on_process_exit(pid_t pid, int status) {
  if (visible(pid) && !opts_.summary && opts_.quiet < 2) {
    interrupt_open_line();
    std::string line = prefix(pid);
    if (status == -1)  // the backend cannot know (seccomp_notify, a process it did not reap)
      line += "+++ exited with ? +++\n";
    else if (WIFSIGNALED(status))
      line += "+++ killed by " + signal_name(WTERMSIG(status)) + (WCOREDUMP(status) ? " (core dumped)" : "") +
              " +++\n";
    else
      line += "+++ exited with " + std::to_string(WEXITSTATUS(status)) + " +++\n";
    write(line);
  }
  --live_threads_;
}

void session::on_exec(pid_t pid, pid_t tid, thread_info& t) {
  if (!started_) {
    started_ = true;
    root_ = pid;
    // Entries only (seccomp_notify): the guest's first execve was held at its entry, since
    // only now is it known to be the one that succeeded.
    if (!exits_observed_ && t.in_call && t.held && opts_.summary) {
      count(t.nr, 0, 0);
      t.in_call = false;
    } else if (!exits_observed_ && t.in_call && t.held) {
      std::string line = prefix(tid) + t.line;
      while (line.ends_with(", ")) line.resize(line.size() - 2);
      end_unknown(line, "0");
      interrupt_open_line();
      write(line);
      t.in_call = false;
      t.shown = false;
    }
  }
}

void session::print_summary() {
  struct row {
    long nr;
    stat_row s;
  };
  std::vector<row> rows;
  stat_row total;
  for (std::size_t i = 0; i < stats_.size(); ++i) {
    if (stats_[i].calls == 0) continue;
    rows.push_back({static_cast<long>(i), stats_[i]});
    total.calls += stats_[i].calls;
    total.errors += stats_[i].errors;
    total.ns += stats_[i].ns;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.s.ns > b.s.ns; });
  auto line = [&](double pct, const stat_row& s, const std::string& name) {
    char errors[32] = "";
    if (s.errors) std::snprintf(errors, sizeof errors, "%" PRIu64, s.errors);
    std::fprintf(out_, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " %9s %s\n", pct,
                 static_cast<double>(s.ns) / 1e9, s.calls ? s.ns / 1000 / s.calls : 0, s.calls, errors,
                 name.c_str());
  };
  std::fprintf(out_, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time", "seconds", "usecs/call", "calls",
               "errors", "syscall");
  const char* dashes = "------ ----------- ----------- --------- --------- ----------------\n";
  std::fputs(dashes, out_);
  for (auto& r : rows) {
    double pct = total.ns ? 100.0 * static_cast<double>(r.s.ns) / static_cast<double>(total.ns) : 0.0;
    std::string name = r.nr < static_cast<long>(max_nr) ? std::string(desc_of(r.nr).name) : "unknown";
    line(pct, r.s, name);
  }
  std::fputs(dashes, out_);
  line(100.0, total, "total");
}

void session::finish() {
  interrupt_open_line();
  if (opts_.summary) print_summary();
  std::fflush(out_);
}

}  // namespace strace
