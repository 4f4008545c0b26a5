// Defines strace::session, the backend-independent heart of snare-strace: it turns guest
// events (syscall entries and exits, signals, thread and process ends) into strace's lines,
// its <unfinished ...>/<... resumed> pairs, fault injection and the -c summary.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <snare/engine/stop.hpp>
#include <snare/format/entry_state.hpp>
#include <snare/format/options.hpp>
#include <snare/guest/frame.hpp>
#include <snare/result.hpp>
#include <snare/tool/exit_status.hpp>

#include "options.hpp"
#include "pids.hpp"

namespace strace {

// Appends ".ddd": the first `digits` (0-9; none for 0) decimal digits of a nanosecond count.
void append_fraction(std::string& out, std::uint64_t ns, int digits);
/// Starts `sh -c cmd` (-o '|cmd') and returns the stream of its standard input, null with
/// errno on failure; `waiter` gets what close_pipe waits on (a pidfd of the shell, or -1).
std::FILE* open_pipe(const char* cmd, int& waiter);
/// Closes `f` (open_pipe's) and waits for the shell `waiter` names to end.
void close_pipe(std::FILE* f, int waiter);

/// The six raw argument registers of a call.
using raw_args = std::array<std::uint64_t, 6>;

/// A guest_memory model that forwards to any guest handle through one function pointer, so
/// the formatter is instantiated once whatever the backend and specialisation.
struct memory_ref {
  void* self = nullptr;
  snare::result<std::size_t> (*fn)(void*, std::uint64_t, std::span<std::byte>) noexcept = nullptr;
  snare::result<std::size_t> (*write_fn)(void*, std::uint64_t, std::span<const std::byte>) noexcept = nullptr;

  /// Reads up to out.size() bytes of guest memory at `address` (see snare::guest_memory).
  snare::result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    return fn(self, address, out);
  }
  /// Writes up to in.size() bytes at `address` (inject poke_enter=/poke_exit=); returns the
  /// count written, an error when none was (or the handle cannot write).
  snare::result<std::size_t> write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    if (write_fn == nullptr) return std::errc::operation_not_supported;
    return write_fn(self, address, in);
  }
  /// Returns a memory_ref reading (and writing) through guest handle `g`.
  template <class G>
  static memory_ref of(G& g) noexcept {
    memory_ref m{&g, [](void* s, std::uint64_t a, std::span<std::byte> o) noexcept {
                   return static_cast<G*>(s)->read_bytes(a, o);
                 }};
    if constexpr (G::backend_type::can_write_memory)
      m.write_fn = [](void* s, std::uint64_t a, std::span<const std::byte> in) noexcept {
        return static_cast<G*>(s)->write_bytes(a, in);
      };
    return m;
  }
};

/// Reads the `n` bytes at `addr` of the guest into `out` (resized to n); false when any of
/// them is unreadable (dumpio.cpp).
bool read_all(memory_ref mem, std::uint64_t addr, std::size_t n, std::string& out);

/// What snare-strace keeps per guest thread (the tool's thread_state).
struct thread_info {
  bool in_call = false;   ///< between an entry and its exit
  bool shown = false;     ///< the entry was printed (or held before the first exec)
  bool held = false;      ///< the entry came before the guest's first exec
  bool injected = false;  ///< the call was answered at entry
  int inject_signal = 0;  ///< -e inject=...:signal=: the signal the tool sends the thread
                          ///< at this call (at its entry when answered there, else at exit)
  long nr = -1;
  long prev_nr = -1;  ///< the last call whose exit was printed: what restart_syscall resumes
  raw_args args{};
  std::string line;                     ///< the entry's text, prefix included
  snare::format::entry_state inout;     ///< in-out values at the entry, for `[110 => 16]`
  std::uint64_t entry_ns = 0;           ///< monotonic time of the entry (-T, -c -w)
  std::uint64_t entry_cpu_ns = 0;       ///< the thread's CPU time at the entry (-c)
  int exit_status = 0;                  ///< the status passed to exit(2), for "+++ exited with" lines
  std::uint64_t ip = 0;                 ///< the instruction pointer at the entry (-i; 0: unknown)
  bool path_matched = true;             ///< the call touches a -P path
  const inject_rule* tamper = nullptr;  ///< the inject rule that fired at this call (poke/delay at exit)
  bool poked = false;                   ///< inject poke_enter=/poke_exit= wrote: "(INJECTED: args)"
  bool delayed = false;                 ///< inject delay_enter=/delay_exit= held it: "(DELAYED)"
  std::unordered_map<long, unsigned> invocations;  ///< per syscall, for inject when=
};

/// What snare-strace keeps per guest process (the tool's process_state).
struct process_info {
  bool group_exit = false;  ///< exit_group was called: every thread exits with group_status
  int group_status = 0;
};

/// Turns guest events into strace output. One per run; not thread-safe (every backend
/// calls tool handlers from the tracer's own thread).
class session {
 public:
  /// What the entry handler does with the call.
  struct decision {
    bool suppress = false;
    long value = 0;
  };

  explicit session(const options& o);
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  /// Opens the output; false (with a message on stderr) when -o FILE cannot be opened.
  bool open();
  /// Says whether backend results are known at exit (false for seccomp: entries only).
  void set_exits_observed(bool v) noexcept { exits_observed_ = v; }
  /// Where the tracer's signal handlers ask the run to end (-I); null: nowhere.
  void set_stop_source(snare::stop_source* s) noexcept { stop_ = s; }
  snare::stop_source* stop_source() const noexcept { return stop_; }

  decision on_entry(pid_t pid, pid_t tid, thread_info& t, process_info& p, long nr, const raw_args& args,
                    memory_ref mem, std::uint64_t ip = 0);
  /// Ends the call's line; returns whether a line was printed (-k then prints the stack).
  bool on_exit(pid_t pid, pid_t tid, thread_info& t, long ret, memory_ref mem);
  /// Says whether -i asks for the instruction pointer at each call.
  bool wants_ip() const noexcept { return opts_.instruction_pointer; }
  /// Says whether -k asks for the stack after each printed call.
  bool wants_stack() const noexcept { return opts_.stack_trace; }
  /// Prints -k's stack lines for a call of thread `tid` of process `pid`.
  void print_stack(pid_t pid, pid_t tid, const std::vector<snare::frame>& frames);
  void on_signal(pid_t pid, pid_t tid, int sig, const siginfo_t* info, std::uint64_t ip = 0);
  /// A thread entered a group-stop by `sig`: strace's `--- stopped by SIG ---` line.
  void on_stop(pid_t tid, int sig);
  void on_thread_start(pid_t pid, pid_t tid);
  /// A thread is leaving (ptrace's PTRACE_EVENT_EXIT): the call it was in ends now with
  /// `= ?`, as strace ends it, before lines of threads that outlive it.
  void on_thread_exiting(pid_t tid, thread_info& t);
  /// A thread ended; `end` is how, when the backend knows (a thread of a process killed by
  /// a signal is killed by it too), else the exit/exit_group argument seen decides.
  void on_thread_exit(pid_t pid, pid_t tid, thread_info& t, process_info& p, snare::exit_status end);
  void on_process_exit(pid_t pid, int wait_status);
  void on_exec(pid_t pid, pid_t tid, thread_info& t);
  /// -p: the run attaches to running processes `pids` (the first is the root): their calls
  /// are traced from the first, and their attach is told as strace does ("Process N
  /// attached", "with M threads" under -f). `with_command`: -p with a command, which the run
  /// also launches; its process is then the root, its calls before its exec spawn work.
  void start_attached(const std::vector<int>& pids, bool with_command = false);
  /// -p: the tracer detached from every task: ends an open line with " <detached ...>" and
  /// says "Process N detached" for each traced task, as strace does. `kept`: the process
  /// carries snare's filter and the tracer stays as its keeper: the trace is finished now
  /// and `on_keep` (set_on_keep) runs.
  void on_detach(bool kept);
  /// -b execve: the tracer let process `pid` go at its exec: its open line ends with
  /// " <detached ...>" and strace's "Process N detached" is said (unless -q); nothing more
  /// of it is traced.
  void on_process_detach(pid_t pid);
  /// Says whether -b execve let the run's first process go (snare-strace then exits with 0,
  /// as strace, which no longer knows how it ends).
  bool root_detached() const noexcept { return root_detached_; }
  /// A task the tracer does not trace: `exited`, it reaped it ("Exit of unknown pid N
  /// ignored", a child by CLONE_PARENT); else it let it go ("Detached unknown pid N", a
  /// child by CLONE_PTRACE without -f). As strace, unless -q/--quiet says otherwise.
  void on_unknown_task(int pid, bool exited);
  /// Sets what runs when the tracer becomes a keeper (snare-strace's main: tell the parent,
  /// let go of the terminal and the output).
  void set_on_keep(void (*f)()) noexcept { on_keep_ = f; }
  /// -p with a command: `f` runs once the command's process is forked (its first start),
  /// where strace installs its signal handlers (after startup_child, so the command inherits
  /// the dispositions snare-strace was started with).
  void set_on_spawned(void (*f)()) noexcept { on_spawned_ = f; }
  /// -D: the run attaches to `tracee`, the process snare-strace was started as, whose calls
  /// are hidden until it execs the command, as a launched guest's; `attached` runs at its
  /// first stop (then every later call of it is traced).
  void start_daemonized(pid_t tracee, void (*attached)()) noexcept {
    daemon_tracee_ = tracee;
    on_attached_ = attached;
  }
  /// Makes every write reach the output at once (strace flushes at each entry): for a
  /// tracer that a signal may end without its handlers (-D -I1), no line is lost in a buffer.
  void set_flush_each_write(bool v) noexcept { flush_each_write_ = v; }
  /// Returns the process -D attaches to, or 0.
  pid_t daemon_tracee() const noexcept { return daemon_tracee_; }
  /// Says whether the tracer became a keeper (on_detach(true)): the trace is finished.
  bool kept() const noexcept { return kept_; }
  /// Says whether an interrupt cut the launched run's trace off (cut_off), as strace's
  /// detach: snare-strace then ends by the signal, as strace does.
  bool cut_short() const noexcept { return cut_; }

  /// After a run whose command never ran (ptrace, run_options::tool_reports_exec_failure):
  /// says why as strace does, "exec: Permission denied" then "+++ exited with 1 +++", and
  /// returns 1, strace's exit status then; a missing command gets strace's "Can't stat 'CMD':
  /// No such file or directory" and 127, the shell's status for a command not found (snare's
  /// rule for every tool; strace exits with 1). Returns 0 when no failed execve of the spawn
  /// was seen (the engine reported the failure).
  int report_exec_failure(const std::string& command);

  /// Prints the -c table (when -c) and flushes the output.
  void finish();

  // The in_guest backend (run_in_guest.cpp): the guests format their calls themselves and
  // send the text; the session adds what only the tracer knows (the prefix, the alignment
  // after it, thread counts) and writes in the order the messages come.

  /// Thread `tid` of process `pid` started (the first one: the run's root, after its exec).
  void guest_thread_start(pid_t pid, pid_t tid);
  /// Writes call line `text` (no newline) of thread `tid`: the prefix, then `text` with its
  /// one space at `pad_at` widened to the -a column (no such space: npos). `no_return`:
  /// `text` is the call's entry, ended with ") = ?" (exit, exit_group).
  void guest_line(pid_t tid, std::string_view text, std::size_t pad_at, bool no_return);
  /// A thread (not by exit_group) ended with exit code `code`.
  void guest_thread_exit(pid_t pid, pid_t tid, int code);
  /// Process `pid` ended with wait status `status`: its threads' ends and its own.
  void guest_process_exit(pid_t pid, int status);

 private:
  void release_standard_streams() const;
  /// Ends the line of a call that never returns (exit, exit_group, a thread cut short).
  void end_unreturned(pid_t tid, thread_info& t);
  // inject poke_enter=/poke_exit= and delay_enter=/delay_exit= (tamper.cpp).
  void tamper(pid_t tid, thread_info& t, bool entering, memory_ref mem);
  static std::string tamper_notes(const thread_info& t, bool answered);
  snare::stop_source* stop_ = nullptr;
  void (*on_keep_)() = nullptr;
  void (*on_spawned_)() = nullptr;
  pid_t daemon_tracee_ = 0;
  bool flush_each_write_ = false;
  std::uint64_t signal_ip_ = 0;  // -i: the ip of the signal being printed (prefix without a call)
  void (*on_attached_)() = nullptr;
  bool kept_ = false;
  /// Says whether the calls of process `pid` are spawn work (before the launched command's
  /// exec), which strace does not show.
  bool spawn_work(pid_t pid) const noexcept { return !started_ || (spawning_ > 0 && pid == spawning_); }
  bool visible(pid_t tid) const noexcept {
    return started_ && (opts_.follow_forks || tid == root_ ||
                        std::find(attach_roots_.begin(), attach_roots_.end(), tid) != attach_roots_.end());
  }
  /// Says whether thread `tid` counts in live_threads_ (for the "[pid N]" prefix): every
  /// thread of a launched run; only the traced ones (strace's) of an attached run.
  bool counted(pid_t tid) const noexcept { return attach_roots_.empty() || visible(tid); }
  /// The line prefix: pid, timestamps, -r, -n (the call of `t`), -i.
  std::string prefix(pid_t tid, const thread_info* t = nullptr);
  void interrupt_open_line(pid_t tid);
  /// Writes `s` to thread `tid`'s output; nothing once the trace is cut off (cut_off).
  void write(pid_t tid, const std::string& s);
  /// A launched run that a signal to snare-strace interrupted (a stop request, -I1/-I2):
  /// strace kills its command and detaches from every task at once (strace.c, cleanup and
  /// droptcb), so a line left open ends with " <detached ...>" (held lines under a status
  /// filter are printed so when -e status= shows detached) and nothing later is traced,
  /// though snare's engine serves the guests until they end. Returns whether the trace is
  /// cut off; the first call after the request ends the lines.
  bool cut_off();
  std::FILE* file_for(pid_t tid);
  void count(long nr, long ret, std::uint64_t ns);
  void print_summary();
  bool status_shown(unsigned status) const noexcept { return (opts_.status & status) != 0; }
  bool status_filtered() const noexcept { return opts_.status != status_all; }
  /// The formatter's options for call `nr` (-e abbrev=).
  const snare::format::options& format_options(long nr);
  /// Says whether the call touches a -P path (its path and fd arguments).
  bool touches_paths(pid_t pid, long nr, const raw_args& args, memory_ref mem);
  /// Appends -e read=/write= hex dumps of the call's data to `line`.
  void append_dumps(std::string& line, pid_t tid, const thread_info& t, long ret, memory_ref mem);
  /// Formats a call of -e raw= (hex arguments and result).
  void format_raw(std::string& line, long nr, const raw_args& args, bool with_result, long ret);

  struct stat_row {
    std::uint64_t calls = 0, errors = 0, ns = 0;  // ns: the calls' time (-O's overhead taken off)
    std::uint64_t min_ns = ~std::uint64_t{0}, max_ns = 0;
  };

  options opts_;
  pid_notes pids_;  // -Y, --decode-pids=pidns
  snare::format::options fo_, fo_verbose_;
  // The same for the calls -e verbose= leaves out: their structures as addresses.
  snare::format::options fo_addrs_, fo_verbose_addrs_;
  std::vector<std::string> resolved_paths_;      // -P paths, and their real paths when different
  std::uint64_t last_line_ns_ = 0;               // -r: the previous call's start
  std::unordered_map<pid_t, long> last_nr_;      // -n: each thread's latest call, for other lines
  std::unordered_map<pid_t, std::FILE*> files_;  // -ff: one file per thread
  std::FILE* out_ = nullptr;
  bool own_out_ = false;
  int pipe_cmd_ = -2;  // -o '|CMD': a pidfd of CMD's shell (-1: none), closed by close_pipe
  bool exits_observed_ = true;
  bool started_ = false;  // the guest's first exec happened: what comes before is spawn work
  pid_t root_ = -1;
  int live_threads_ = 0;
  std::vector<pid_t> attach_roots_;          // -p: the processes attached to
  bool several_attached_ = false;            // -p: more than one task at the start
  bool launching_ = false;                   // -p with a command: the command is launched too
  pid_t spawning_ = -1;                      // -p with a command: its process until its exec
  std::unordered_set<pid_t> attached_tids_;  // -p: their threads when attached (told at once)
  std::map<pid_t, pid_t> live_;              // every live thread: tid -> its process
  std::unordered_set<pid_t> announced_;      // -p: the processes whose attach was told
  thread_info* open_ = nullptr;              // the thread whose entry line is printed but not ended
  pid_t open_tid_ = -1;
  std::unordered_map<pid_t, thread_info*> open_lines_;  // -ff: the open line of each file
  std::unordered_map<pid_t, std::string> held_lines_;   // -e status=: entries held for their result
  int exec_errno_ = 0;                                  // the spawn's failed execve (report_exec_failure)
  pid_t spawned_ = -1;                                  // the launched guest's first process
  bool root_detached_ = false;                          // on_process_detach of the first process
  bool cut_ = false;                                    // cut_off: the trace ended at an interrupt
  bool partial_ = false;  // the main output ends in a line not yet ended (cut_off ends it)
  std::vector<stat_row> stats_;
};

}  // namespace strace
