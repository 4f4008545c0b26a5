// Defines strace::session: strace's line discipline, summary table and fault injection over
// snare::format, independent of the backend and of the compile-time specialisation.
#include "session.hpp"

#include "siginfo.hpp"

#include <dirent.h>
#include <errno.h>  // program_invocation_name: the name strace prefixes its messages with
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

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

bool is_error(long ret) { return ret < 0 && ret >= -4095; }

// The formatter's resolver: thread `tid`'s fds (-y, through its /proc directory, which is
// not `tid` when /proc comes from an ancestor pid namespace) and the notes after pids (-Y,
// --decode-pids=pidns), which read the ids in `tid`'s pid namespace.
struct call_resolver {
  pid_t tid;
  pid_notes* pids;
  snare::format::proc_fd_resolver fds;

  call_resolver(pid_t t, pid_notes& p) : tid(t), pids(&p), fds(p.proc_pid(t)) {}
  bool append_fd_path(int fd, std::string& out) const noexcept { return fds.append_fd_path(fd, out); }
  int netlink_protocol(int fd) const noexcept { return fds.netlink_protocol(fd); }
  /// -yy: a socket's protocol and addresses, a device's numbers, a pidfd's process.
  bool append_fd_details(int fd, std::string_view path, const snare::format::options& o,
                         std::string& out) const noexcept {
    return fds.append_fd_details(fd, path, o, out);
  }
  /// Whether a path ending in " (deleted)" marks an unlinked file (-y prints `<path>(deleted)`).
  bool fd_path_deleted(int fd, std::string_view path) const noexcept { return fds.fd_path_deleted(fd, path); }
  /// The pid a pidfd refers to, as the /proc the fds are read from numbers it (pidfd_getfd).
  long pidfd_pid(int fd) const noexcept { return fds.pidfd_pid(fd); }
  /// A resolver of process `p`'s fds (`p` numbered as pid() is): pidfd_getfd's target fd.
  snare::format::proc_fd_resolver of_pid(pid_t p) const noexcept {
    return snare::format::proc_fd_resolver(p);
  }
  /// The /proc directory whose fds are read.
  pid_t pid() const noexcept { return fds.pid(); }
  /// Where the process maps the file `path` names (-e kvm=vcpu: a vcpu's kvm_run).
  std::uint64_t mapping_start(std::string_view path) const noexcept { return fds.mapping_start(path); }
  void append_pid_note(int pid, snare::format::pid_type t, std::string& out) {
    if (pids->active()) pids->append_note(tid, pid, t, out);
  }
  /// A tgid of the thread's namespace as pid() numbers it (kcmp's fds).
  int translate_pid(int pid) { return pids->to_proc(tid, pid, snare::format::pid_type::tgid); }
};

// Ends a line with a result the tool states itself, as strace does: `)`, padding to
// column `align` (-a; or one space when past it), `= ` and `result` (default `?`, unknown).
// `line` holds the whole line so far.
void end_unknown(std::string& line, std::size_t align, const char* result = "?") {
  line += ')';
  auto nl = line.rfind('\n');
  std::size_t col = nl == std::string::npos ? line.size() : line.size() - nl - 1;
  if (col < align)
    line.append(align - col, ' ');
  else
    line += ' ';
  line += "= ";
  line += result;
  line += '\n';
}

// Says whether a call whose entry printed `entry` still had arguments to print at its exit
// (`nanosleep({...}, ` or `pipe2(`): strace marks a call that ends without an exit so,
// `<... nanosleep resumed> <unfinished ...>) = ?`.
bool awaits_exit_args(const std::string& entry, long nr) {
  if (entry.ends_with(", ")) return true;
  return entry.ends_with("(") && desc_of(nr).nargs > 0;
}

// The CPU time thread `tid` has run, in ns: the first field of /proc/TID/schedstat
// (sum_exec_runtime, exact for a thread stopped by ptrace, since it was scheduled out). Its
// growth from a call's entry to its exit is the call's system time: user code does not run
// meanwhile. 0 when it cannot be read.
std::uint64_t thread_cpu_ns(pid_t tid) {
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/schedstat", static_cast<int>(tid));
  std::FILE* f = std::fopen(path, "re");
  if (!f) return 0;
  unsigned long long ns = 0;
  if (std::fscanf(f, "%llu", &ns) != 1) ns = 0;
  std::fclose(f);
  return ns;
}

}  // namespace

session::session(const options& o) : opts_(o), pids_(o.pid_comm, o.pidns), stats_(max_nr + 1) {}

session::~session() {
  if (own_out_ && out_ && pipe_cmd_ != -2)
    close_pipe(out_, pipe_cmd_);
  else if (own_out_ && out_)
    std::fclose(out_);
  for (auto& [tid, f] : files_)
    if (f != stderr) std::fclose(f);
}

void session::count(long nr, long ret, std::uint64_t ns) {
  auto i = nr >= 0 && static_cast<std::size_t>(nr) < max_nr ? static_cast<std::size_t>(nr) : max_nr;
  auto& row = stats_[i];
  ++row.calls;
  if (is_error(ret)) ++row.errors;
  ns = ns > opts_.overhead_ns ? ns - opts_.overhead_ns : 0;  // -O: the tracing overhead per call
  row.ns += ns;
  row.min_ns = std::min(row.min_ns, ns);
  row.max_ns = std::max(row.max_ns, ns);
}

session::decision session::on_entry(pid_t pid, pid_t tid, thread_info& t, process_info& p, long nr,
                                    const raw_args& args, memory_ref mem, std::uint64_t ip) {
  decision d;
  if (cut_off()) return d;
  t.in_call = false;
  t.shown = false;
  t.held = spawn_work(pid);
  t.injected = false;
  t.inject_signal = 0;
  t.tamper = nullptr;
  t.poked = t.delayed = false;
  t.nr = nr;
  t.args = args;
  t.ip = ip;
  if (opts_.syscall_numbers) last_nr_[tid] = nr;
  if (nr == snare::sys::x86_64::exit_group::number) {
    p.group_exit = true;
    p.group_status = static_cast<int>(args[0] & 0xff);
  } else if (nr == snare::sys::x86_64::exit::number) {
    t.exit_status = static_cast<int>(args[0] & 0xff);
  }
  if (spawn_work(pid) && nr != snare::sys::x86_64::execve::number) return d;  // spawn work
  // -d: strace's debug line for a number its table lacks (syscall.c, get_scno), at entry.
  if (opts_.debug && snare::sys::x86_64::descriptor(nr) == nullptr)
    std::fprintf(stderr, "%s: pid %d invalid syscall %#lx\n", program_invocation_name, tid,
                 static_cast<unsigned long>(nr));
  bool in_range = nr >= 0 && static_cast<std::size_t>(nr) < max_nr;
  bool traced = (nr >= table_end || nr < 0 || opts_.trace.test(static_cast<std::size_t>(nr))) &&
                (t.held || visible(tid));
  // -P: only calls whose path or fd arguments name one of the paths (read before the call).
  if (traced && !opts_.paths.empty()) traced = touches_paths(pid, nr, args, mem);
  const bool counting = opts_.summary || opts_.summary_and_trace;
  const bool printing = !opts_.summary;

  // strace tampers only with calls it traces (-e trace=, -P): an injection rule counts and
  // fires on those alone (syscall.c: syscall_entering_trace returns before tampering).
  if (started_ && traced && in_range && !opts_.injects.empty()) {
    // The last rule naming the call is its rule, as each -e inject= replaces the earlier
    // ones' for the calls it names; its invocations are counted whether it fires or not.
    auto rule = std::find_if(opts_.injects.rbegin(), opts_.injects.rend(), [&](const inject_rule& r) {
      return r.calls.test(static_cast<std::size_t>(nr));
    });
    if (rule != opts_.injects.rend() && rule->fires(++t.invocations[nr])) {
      t.inject_signal = rule->signal;
      // syscall=: the pure call strace runs in the call's place has no effect the guest
      // could see and its result is replaced, so the call is answered without it.
      d.suppress = rule->has_result;
      d.value = rule->value;
      t.tamper = &*rule;
      // strace pokes and delays before it prints the entry; an answered call has no exit,
      // so its exit's pokes and delay come at once.
      tamper(tid, t, true, mem);
      if (d.suppress) tamper(tid, t, false, mem);
    }
  }

  t.entry_ns = now_ns(CLOCK_MONOTONIC);
  if ((opts_.summary || opts_.summary_and_trace) && !opts_.summary_wall) t.entry_cpu_ns = thread_cpu_ns(tid);
  const auto& fo = format_options(nr);
  const bool raw = in_range && opts_.raw_calls.test(static_cast<std::size_t>(nr));
  call_resolver fds(tid, pids_);

  if (d.suppress) {
    // Answered here: the call never runs, so its whole line is printed now.
    if (counting) count(nr, d.value, 0);
    // retval= is a success whatever its value (strace's set_success): printed unsigned.
    const bool succeeded = t.tamper != nullptr && !t.tamper->is_error;
    const bool failed = !succeeded && is_error(d.value);
    if (!printing || !status_shown(failed ? status_failed : status_successful)) return d;
    interrupt_open_line(tid);
    std::string line = prefix(tid, &t);
    const bool no_return =
        nr == snare::sys::x86_64::exit::number || nr == snare::sys::x86_64::exit_group::number;
    if (raw) {
      format_raw(line, nr, args, true, d.value);
    } else if (no_return) {
      // The formatter ends a call that never returns with `= ?`; answered, it returns.
      (void)snare::format::format_entry(line, desc_of(nr), args, mem, fo, fds);
      std::string result = std::to_string(static_cast<std::uint64_t>(d.value));  // unsigned, as strace
      if (failed) {
        int e = static_cast<int>(-d.value);
        result = "-1 " + std::string(snare::format::errno_name(e)) + " (" +
                 std::string(snare::format::errno_message(e)) + ")";
      }
      end_unknown(line, opts_.align, result.c_str());
      line.pop_back();  // its newline: the mark follows
    } else if (succeeded && is_error(d.value)) {
      snare::format::options as_success = fo;
      as_success.result_succeeded = true;
      (void)snare::format::format_call(line, desc_of(nr), args, d.value, mem, as_success, fds);
    } else {
      (void)snare::format::format_call(line, desc_of(nr), args, d.value, mem, fo, fds);
    }
    line += tamper_notes(t, true);
    if (opts_.syscall_times)
      line += " <0." + std::string(static_cast<std::size_t>(opts_.syscall_times_digits), '0') + ">";
    line += '\n';
    write(tid, line);
    return d;
  }

  if (!traced) return d;
  t.in_call = true;
  if (!printing) {
    // Entries only (seccomp_notify): count the call now; its result is never known.
    if (!exits_observed_ && !t.held) {
      // exit and exit_group never return, and strace counts calls at their return.
      if (nr != snare::sys::x86_64::exit::number && nr != snare::sys::x86_64::exit_group::number)
        count(nr, 0, 0);
      t.in_call = false;
    }
    return d;
  }
  t.line = t.held ? std::string() : prefix(tid, &t);
  if (raw)
    format_raw(t.line, nr, args, false, 0);
  else
    (void)snare::format::format_entry(t.line, desc_of(nr), args, mem, fo, fds, &t.inout);
  // restart_syscall has no arguments: strace names the call it resumes, the thread's last
  // call whose exit it printed (signal.c, SYS_FUNC(restart_syscall)).
  if (nr == snare::sys::x86_64::restart_syscall::number && !raw)
    t.line += "<... resuming interrupted " +
              std::string(t.prev_nr >= 0 ? desc_of(t.prev_nr).name : std::string_view("system call")) +
              " ...>";
  t.shown = true;
  if (t.held) return d;  // printed at exit once the exec succeeded
  if (!exits_observed_) {
    // Entries only (seccomp_notify): the line ends now with an unknown result.
    t.in_call = false;
    t.shown = false;
    if (!status_shown(status_unavailable)) return d;
    interrupt_open_line(tid);
    std::string line = t.line;
    while (line.ends_with(", ")) line.resize(line.size() - 2);  // out-arguments never come
    end_unknown(line, opts_.align);
    write(tid, line);
    return d;
  }
  // With a status filter the line waits for its result, whole (strace does the same); an
  // interrupt prints it as detached (cut_off).
  if (status_filtered()) {
    if (status_shown(status_detached)) held_lines_[tid] = t.line;
    return d;
  }
  interrupt_open_line(tid);
  write(tid, t.line);
  if (opts_.output_separately) {
    open_lines_[tid] = &t;
  } else {
    open_ = &t;
    open_tid_ = tid;
  }
  return d;
}

bool session::on_exit(pid_t pid, pid_t tid, thread_info& t, long ret, memory_ref mem) {
  // -Y: strace reads a thread's comm again after a PR_SET_NAME, traced or not.
  if (pids_.comm() && t.nr == snare::sys::x86_64::prctl::number && t.args[0] == PR_SET_NAME && !is_error(ret))
    pids_.load_comm(tid);
  if (cut_off()) return false;
  // The spawn's failed execs: execvp's errno is the first other than ENOENT, else ENOENT.
  if (spawn_work(pid) && t.nr == snare::sys::x86_64::execve::number && is_error(ret) &&
      (exec_errno_ == 0 || exec_errno_ == ENOENT))
    exec_errno_ = static_cast<int>(-ret);
  if (!t.in_call) return false;
  t.in_call = false;
  held_lines_.erase(tid);
  if (t.tamper != nullptr) tamper(tid, t, false, mem);  // before the exit is printed, as strace
  if (t.held && spawn_work(pid)) {
    // A failed exec of the spawn: a PATH lookup's miss (ENOENT: strace looks the command up
    // itself and execs once, so it shows none), or the command's own failure (EACCES,
    // ENOEXEC), which strace's trace shows before its message.
    if (t.nr == snare::sys::x86_64::execve::number && is_error(ret) && ret != -ENOENT && !opts_.summary) {
      std::string line = prefix(tid, &t) + t.line;
      call_resolver fds(tid, pids_);
      (void)snare::format::format_exit(line, desc_of(t.nr), t.args, ret, mem, format_options(t.nr), fds,
                                       &t.inout);
      write(tid, line + '\n');
      std::fflush(out_);
    }
    return false;
  }
  std::uint64_t ns = now_ns(CLOCK_MONOTONIC) - t.entry_ns;
  if (opts_.summary || opts_.summary_and_trace) {
    // strace's -c counts the call's system time, -w its wall-clock time.
    std::uint64_t cpu = opts_.summary_wall ? 0 : thread_cpu_ns(tid);
    count(t.nr, ret, opts_.summary_wall ? ns : cpu > t.entry_cpu_ns ? cpu - t.entry_cpu_ns : 0);
  }
  if (opts_.summary || !t.shown) return false;
  t.shown = false;
  t.prev_nr = t.nr;
  const auto& fo = format_options(t.nr);
  const bool raw = t.nr >= 0 && static_cast<std::size_t>(t.nr) < max_nr &&
                   opts_.raw_calls.test(static_cast<std::size_t>(t.nr));
  call_resolver fds(tid, pids_);
  const bool whole = status_filtered();  // the entry was kept, not printed
  if (whole && !status_shown(is_error(ret) ? status_failed : status_successful)) {
    t.line.clear();
    return false;
  }
  std::string line;
  std::size_t from = 0;
  bool continues = false;
  if (opts_.output_separately) {
    auto it = open_lines_.find(tid);
    continues = it != open_lines_.end() && it->second == &t;
    if (continues) open_lines_.erase(it);
  } else {
    continues = open_ == &t;
  }
  if (t.held || whole) {
    // The guest's first execve (its entry was kept until it succeeded), or a status filter.
    interrupt_open_line(tid);
    line = t.held ? prefix(tid, &t) + t.line : std::move(t.line);
  } else if (continues) {
    line = std::move(t.line);
    from = line.size();
  } else {
    interrupt_open_line(tid);
    line = prefix(tid, &t);
    (void)snare::format::resumed(line, desc_of(t.nr));
  }
  if (raw) {
    // The raw form has no out-arguments: the entry printed every argument.
    line += ')';
    auto nl = line.rfind('\n');
    std::size_t col = nl == std::string::npos ? line.size() : line.size() - nl - 1;
    line.append(col < opts_.align ? opts_.align - col : 1, ' ');
    std::string tail;
    format_raw(tail, t.nr, t.args, true, ret);
    line += tail.substr(tail.find("= "));
  } else {
    (void)snare::format::format_exit(line, desc_of(t.nr), t.args, ret, mem, fo, fds, &t.inout);
    t.inout = {};  // the next call's entry saves its own
  }
  line += tamper_notes(t, false);
  if (opts_.syscall_times) {
    line += " <" + std::to_string(ns / 1000000000u);
    append_fraction(line, ns, opts_.syscall_times_digits);
    line += '>';
  }
  line += '\n';
  if (!opts_.read_fds.none() || !opts_.write_fds.none()) append_dumps(line, tid, t, ret, mem);
  if (open_ == &t) {
    open_ = nullptr;
    open_tid_ = -1;
  }
  write(tid, line.substr(from));
  t.line.clear();
  return true;
}

void session::on_thread_start(pid_t pid, pid_t tid) {
  if (on_attached_ != nullptr) {  // -D: the tracee is held; strace tells the attach
    std::exchange(on_attached_, nullptr)();
    if (!(opts_.quiet & quiet_attach))
      std::fprintf(stderr, "%s: Process %d attached\n", program_invocation_name, static_cast<int>(pid));
  }
  // The first thread of a launched guest: forked, so the tracer lets go of its streams.
  if (live_threads_ == 0 && !started_ && attach_roots_.empty()) {
    release_standard_streams();
    spawned_ = pid;
  }
  // -p with a command: the first process not attached to is the command's (the engine
  // starts it before it attaches), traced from its exec on.
  if (launching_ && spawned_ < 0 &&
      std::find(attach_roots_.begin(), attach_roots_.end(), pid) == attach_roots_.end()) {
    release_standard_streams();
    spawned_ = spawning_ = root_ = pid;
    if (on_spawned_ != nullptr) std::exchange(on_spawned_, nullptr)();
  }
  live_[tid] = pid;
  if (counted(tid)) ++live_threads_;
  pids_.load_comm(tid);
  const bool root = std::find(attach_roots_.begin(), attach_roots_.end(), pid) != attach_roots_.end();
  if (root && !announced_.count(pid)) {
    // The first start of a process attached to (-p): strace's message, with its threads
    // then (the engine attached them all; their own starts are not told again).
    announced_.insert(pid);
    int threads = 0;
    char dir[64];
    std::snprintf(dir, sizeof dir, "/proc/%d/task", pid);
    if (DIR* d = ::opendir(dir)) {
      while (dirent* e = ::readdir(d)) {
        const int t = std::atoi(e->d_name);
        if (t <= 0) continue;
        ++threads;
        attached_tids_.insert(t);
      }
      ::closedir(d);
    }
    if (!(opts_.quiet & quiet_attach)) {
      if (out_ == stderr) interrupt_open_line(open_tid_);
      if (opts_.follow_forks && threads > 1)
        std::fprintf(stderr, "%s: Process %d attached with %d threads\n", program_invocation_name, pid,
                     threads);
      else
        std::fprintf(stderr, "%s: Process %d attached\n", program_invocation_name, pid);
    }
    return;
  }
  if (attached_tids_.count(tid)) return;
  if (started_ && opts_.follow_forks && !(opts_.quiet & quiet_attach) && tid != root_) {
    if (out_ == stderr) interrupt_open_line(open_tid_);  // the message must not split a trace line
    std::fprintf(stderr, "%s: Process %d attached\n", program_invocation_name, tid);
  }
}

void session::on_thread_exiting(pid_t tid, thread_info& t) { end_unreturned(tid, t); }

void session::end_unreturned(pid_t tid, thread_info& t) {
  bool open_here = opts_.output_separately ? open_lines_.count(tid) && open_lines_[tid] == &t : open_ == &t;
  if (t.in_call && t.shown && !t.held && !opts_.summary && visible(tid) && status_shown(status_unfinished)) {
    // A call that never returns (exit_group) or was cut short by the thread's end.
    const char* mark = awaits_exit_args(t.line, t.nr) ? " <unfinished ...>" : "";
    if (status_filtered()) {
      interrupt_open_line(tid);
      std::string line = t.line + mark;
      end_unknown(line, opts_.align);
      write(tid, line);
    } else if (open_here) {
      std::string line = t.line + mark;
      end_unknown(line, opts_.align);
      write(tid, line.substr(t.line.size()));
    } else {
      interrupt_open_line(tid);
      std::string line = prefix(tid, &t);
      (void)snare::format::resumed(line, desc_of(t.nr));
      line += mark;
      end_unknown(line, opts_.align);
      write(tid, line);
    }
  } else if (open_here && t.in_call && t.shown) {
    write(tid, " <unfinished ...>\n");
  }
  t.in_call = false;
  held_lines_.erase(tid);
  open_lines_.erase(tid);
  if (open_ == &t) {
    open_ = nullptr;
    open_tid_ = -1;
  }
}

void session::on_thread_exit(pid_t pid, pid_t tid, thread_info& t, process_info& p, snare::exit_status end) {
  end_unreturned(tid, t);
  live_.erase(tid);
  if (end.is_superseded()) {
    // The leader, ended by another thread's execve; that thread carries on under its id.
    // The exec'ing thread's execve line, still open, ends as strace ends it: the thread now
    // carries the leader's id.
    const pid_t by = static_cast<pid_t>(end.superseded_by());
    if (opts_.output_separately ? open_lines_.count(by) != 0 : open_tid_ == by && open_ != nullptr) {
      write(by, " <pid changed to " + std::to_string(tid) + " ...>\n");
      open_lines_.erase(by);
      if (open_tid_ == by) open_ = nullptr, open_tid_ = -1;
    }
    if (visible(tid) && !opts_.summary && !(opts_.quiet & quiet_thread_execve)) {
      interrupt_open_line(tid);
      write(tid, prefix(tid) + "+++ superseded by execve in pid " + std::to_string(end.superseded_by()) +
                     " +++\n");
    }
    if (counted(tid)) --live_threads_;
    return;
  }
  if (tid != pid && visible(tid) && !opts_.summary && !(opts_.quiet & quiet_exit)) {
    interrupt_open_line(tid);
    if (end.is_killed()) {
      write(tid, prefix(tid) + "+++ killed by " + signal_name(end.signal()) +
                     (end.core_dumped() ? " (core dumped)" : "") + " +++\n");
    } else {
      int status = end.is_exited() ? end.code() : p.group_exit ? p.group_status : t.exit_status;
      write(tid, prefix(tid) + "+++ exited with " + std::to_string(status) + " +++\n");
    }
  }
  if (tid != pid && counted(tid)) --live_threads_;
  if (tid != pid) pids_.forget(tid);
}

void session::on_process_exit(pid_t pid, int status) {
  if (visible(pid) && !opts_.summary && !(opts_.quiet & quiet_exit)) {
    interrupt_open_line(pid);
    std::string line = prefix(pid);
    if (status == -1)  // the backend cannot know (seccomp_notify, a process it did not reap)
      line += "+++ exited with ? +++\n";
    else if (WIFSIGNALED(status))
      line += "+++ killed by " + signal_name(WTERMSIG(status)) + (WCOREDUMP(status) ? " (core dumped)" : "") +
              " +++\n";
    else
      line += "+++ exited with " + std::to_string(WEXITSTATUS(status)) + " +++\n";
    write(pid, line);
  }
  if (counted(pid)) --live_threads_;
  pids_.forget(pid);
}

// Once the guest is forked, the tracer lets go of its own stdin and stdout (strace's
// redirect test): a pipe the guest closes must see its end of file, or its reader's end,
// while the tracer still runs. Not on KVM, where the guest's calls use the tracer's fds.
void session::release_standard_streams() const {
  if (opts_.backend == backend_choice::kvm) return;
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return;
  std::fflush(stdout);
  ::dup2(null, STDIN_FILENO);
  ::dup2(null, STDOUT_FILENO);
  ::close(null);
}

void session::on_exec(pid_t pid, pid_t tid, thread_info& t) {
  pids_.load_comm(tid);  // -Y: the new program's name
  if (spawn_work(pid)) {
    started_ = true;
    spawning_ = -1;
    root_ = pid;
    // Entries only (seccomp_notify): the guest's first execve was held at its entry, since
    // only now is it known to be the one that succeeded.
    if (!exits_observed_ && t.in_call && t.held && opts_.summary) {
      count(t.nr, 0, 0);
      t.in_call = false;
    } else if (!exits_observed_ && t.in_call && t.held) {
      if ((opts_.summary_and_trace)) count(t.nr, 0, 0);
      std::string line = prefix(tid, &t) + t.line;
      while (line.ends_with(", ")) line.resize(line.size() - 2);
      end_unknown(line, opts_.align, "0");
      interrupt_open_line(tid);
      if (status_shown(status_unavailable)) write(tid, line);
      t.in_call = false;
      t.shown = false;
    }
  }
}

void session::guest_line(pid_t tid, std::string_view text, std::size_t pad_at, bool no_return) {
  if (!visible(tid) || opts_.summary) return;
  std::string line = prefix(tid);
  if (no_return) {
    line += text;
    end_unknown(line, opts_.align);
  } else if (pad_at < text.size()) {
    line += text.substr(0, pad_at);
    const std::size_t col = line.size();
    line.append(col < opts_.align ? opts_.align - col : 1, ' ');
    line += text.substr(pad_at + 1);
    line += '\n';
  } else {
    line += text;
    line += '\n';
  }
  interrupt_open_line(tid);
  write(tid, line);
}

void session::finish() {
  if (opts_.output_separately) {
    for (auto& [tid, t] : open_lines_) write(tid, " <unfinished ...>\n");
    open_lines_.clear();
  } else {
    interrupt_open_line(open_tid_);
  }
  if (opts_.summary || opts_.summary_and_trace) print_summary();
  // A trace that could not be written says so, as strace does (`-o /dev/full`: "NAME: No
  // space left on device"); strace tells it at each line it flushes, snare-strace once.
  auto check = [](std::FILE* f, const std::string& name) {
    if (f == nullptr || f == stderr) return;
    if (std::fflush(f) != 0 || std::ferror(f)) {
      int e = errno != 0 ? errno : EIO;
      std::fprintf(stderr, "%s: %s: %s\n", program_invocation_name, name.c_str(), std::strerror(e));
      std::clearerr(f);
    }
  };
  check(out_, opts_.output_file);
  for (auto& [tid, f] : files_) check(f, opts_.output_file + "." + std::to_string(tid));
  std::fflush(nullptr);
  if (pipe_cmd_ != -2 && own_out_) {
    close_pipe(out_, pipe_cmd_);
    out_ = stderr;
    own_out_ = false;
    pipe_cmd_ = -2;
  }
}

}  // namespace strace
