// Defines snare-strace's command line: the options it accepts (strace's common subset), the
// trace set and fault-injection rules they describe, and the parser that reads them.
#pragma once

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <snare/format/options.hpp>

#include "tips.hpp"

namespace strace {

/// The highest syscall number (plus one) the trace and inject sets can hold.
inline constexpr std::size_t max_nr = 512;

/// A set of syscall numbers chosen on the command line (`-e trace=...`).
using nr_set = std::bitset<max_nr>;

/// The first number past x86_64's syscall table (strace 6.1's and snare's end at 450).
/// strace traces a call past its table whatever the trace set says (qual_flags), so an
/// unknown call always shows, as `syscall_0x1c3(...)`.
inline constexpr long table_end = 451;

/// One `-e inject=SET:error=E|retval=N[:when=...]` rule: which calls, what they return,
/// and on which invocations (counted per syscall per guest thread, from 1, as strace does).
struct inject_rule {
  nr_set calls;
  long value = 0;         ///< what the guest sees: -errno for error=, N for retval=
  bool is_error = false;  ///< error= (printed with its name) or retval=
  unsigned first = 1;     ///< first invocation injected
  unsigned last = ~0u;    ///< last invocation injected (`first..last`)
  unsigned step = 1;      ///< 0: only `first` (when=N); else every step-th after it
                          ///< (the default, no when=: every invocation)
  int signal = 0;         ///< signal= (0: none): sent to the thread, as the kernel sends it
  long substitute = -1;   ///< syscall=: the pure call strace runs in its place (-1: none)
  bool delay = false;     ///< delay_enter= or delay_exit= was given
  bool poke = false;      ///< poke_enter= or poke_exit= was given
  bool delay_enter = false, delay_exit = false;         ///< which of the two was given
  std::uint64_t delay_enter_ns = 0, delay_exit_ns = 0;  ///< delay_enter=, delay_exit=
  /// One `@argN=HEX` of poke_enter= or poke_exit=: the bytes written at the address the
  /// call's argument N (1..7) holds.
  struct poke_item {
    unsigned arg = 0;
    std::vector<unsigned char> data;
  };
  std::vector<poke_item> poke_enter, poke_exit;  ///< written at the call's entry, at its exit
  bool has_result = true;  ///< error= or retval= (or fault='s default): the call is answered
  /// Returns whether invocation `n` (1-based) of a matching call is injected.
  bool fires(unsigned n) const noexcept {
    if (n < first || n > last) return false;
    if (step == 0) return n == first;
    return (n - first) % step == 0;
  }
};

/// A set of signal numbers (`-e signal=SET`), 1..127.
using sig_set = std::bitset<128>;

/// A set of file descriptors (`-e read=SET`, `-e write=SET`): any int, as strace's
/// number_set (tests dump fd 19999): fds below 1024 by bit, larger ones listed.
class fd_set {
 public:
  /// Returns whether fd `fd` is in the set.
  bool test(std::size_t fd) const noexcept {
    if (fd < low_.size()) return low_.test(fd);
    bool listed = std::find(high_.begin(), high_.end(), fd) != high_.end();
    return listed != negated_;
  }
  /// Adds fd `fd`.
  void set(std::size_t fd) {
    if (fd < low_.size()) return low_.set(fd), void();
    auto it = std::find(high_.begin(), high_.end(), fd);
    if (negated_ && it != high_.end())
      high_.erase(it);
    else if (!negated_ && it == high_.end())
      high_.push_back(fd);
  }
  /// Makes the set hold every fd.
  void set() noexcept { low_.set(), high_.clear(), negated_ = true; }
  /// Makes the set hold every fd it does not hold, and no other.
  void flip() noexcept { low_.flip(), negated_ = !negated_; }
  bool any() const noexcept { return low_.any() || negated_ || !high_.empty(); }
  bool none() const noexcept { return !any(); }

 private:
  std::bitset<1024> low_;
  std::vector<std::size_t> high_;  // fds >= 1024, listed or (negated_) left out
  bool negated_ = false;
};

/// The statuses of `-e status=SET` (and -z, -Z), as bits.
enum status_bit : unsigned {
  status_successful = 1,   ///< returned without an error
  status_failed = 2,       ///< returned an error
  status_unfinished = 4,   ///< never returned (the thread ended within it)
  status_unavailable = 8,  ///< returned, but its result is unknown (`= ?`)
  status_detached = 16,    ///< the tracer detached within it
  status_all = 31,
};

/// The messages of `-e quiet=SET` (and -q, -qq), as bits.
enum quiet_bit : unsigned {
  quiet_attach = 1,           ///< "Process N attached" and "detached"
  quiet_exit = 2,             ///< "+++ exited with N +++" and "+++ killed by SIG +++"
  quiet_path_resolution = 4,  ///< "Requested path ... resolved into ..." (-P)
  quiet_personality = 8,      ///< "[ Process PID=N runs in ... mode. ]"
  quiet_thread_execve = 16,   ///< "+++ superseded by execve in pid N +++"
  quiet_superseded = 16,
};

/// What `-e decode-fds=SET` (and -y, -yy) shows of an fd, as bits.
enum decode_fd_bit : unsigned {
  decode_fd_path = 1,    ///< its path (-y)
  decode_fd_socket = 2,  ///< a socket's protocol and addresses (-yy)
  decode_fd_dev = 4,     ///< a device's type and numbers (-yy)
  decode_fd_pidfd = 8,   ///< a pidfd's process (-yy)
  decode_fd_all = 15,
};

/// What -X (--const-print-style) prints constants as: the formatter's own.
using xlat_style = snare::format::xlat_style;

/// A column of the -c summary (strace's count.c: -U names them, -S sorts by one).
enum class summary_column : std::uint8_t {
  none,
  time_percent,
  time_total,
  time_min,
  time_max,
  time_avg,
  calls,
  errors,
  name
};

/// Returns the column strace calls `name` (time, total-time, avg_time, shortest, calls,
/// errors, syscall, none, ...), or nullopt.
std::optional<summary_column> summary_column_named(std::string_view name);

/// Which backend runs the guest (--backend=).
enum class backend_choice { ptrace, seccomp, kvm, in_guest };

/// Everything the command line says.
struct options {
  bool follow_forks = false;       ///< -f
  std::string output_file;         ///< -o FILE ("" = stderr)
  bool append = false;             ///< -A: open -o FILE for appending
  bool detach_on_execve = false;   ///< -b execve: let a process go at its execve (not the command's first)
  bool seccomp_bpf = false;        ///< --seccomp-bpf was given (snare's filter is always on)
  bool output_separately = false;  ///< -ff, --output-separately: -o FILE writes FILE.PID per process
  std::size_t string_limit = 32;   ///< -s N
  std::size_t align = 40;          ///< -a N, --columns=N: the column of " = "
  bool summary = false;            ///< -c: the summary only
  bool summary_and_trace = false;  ///< -C: the trace and the summary
  bool summary_wall = false;       ///< -w: summarise wall-clock time (else system time)
  /// -S: the column the summary is sorted by (descending; the name ascending; none: in
  /// syscall-number order).
  summary_column sort_by = summary_column::time_total;
  /// -U: the summary's columns, in order (the name always among them).
  std::vector<summary_column> summary_columns = {summary_column::time_percent, summary_column::time_total,
                                                 summary_column::time_avg,     summary_column::calls,
                                                 summary_column::errors,       summary_column::name};
  std::uint64_t overhead_ns = 0;     ///< -O: per-call tracing overhead subtracted in -c
  bool syscall_times = false;        ///< -T
  int syscall_times_digits = 6;      ///< digits of -T's seconds (--syscall-times=PRECISION)
  int timestamps = 0;                ///< 0: none, 1: time of day (-t, -tt), 2: seconds since the epoch (-ttt)
  int timestamps_digits = 0;         ///< digits after the second (-t: 0, -tt and -ttt: 6)
  bool relative_timestamps = false;  ///< -r: time since the previous call's start
  int relative_digits = 6;           ///< digits after the second of -r
  bool syscall_numbers = false;      ///< -n: "[ NR] " before each call
  bool instruction_pointer = false;  ///< -i: "[0000...] " before each call
  bool stack_trace = false;          ///< -k: the guest's stack after each call
  bool fd_paths = false;             ///< -y, -e decode-fds=path
  unsigned fd_details = 0;           ///< decode_fd_socket|dev|pidfd: -yy, -e decode-fds=
  bool pid_comm = false;             ///< -Y, --decode-pids=comm: `<comm>` after pids and in prefixes
  bool pidns = false;                ///< --decode-pids=pidns: pids in the tracer's namespace too
  unsigned quiet = 0;                ///< quiet_bit set: -q, -qq, -e quiet=
  bool quiet_given = false;          ///< -q or -e quiet= was given (else -o with a command is -q)
  bool verbose = false;              ///< -v: unabbreviated structures (environment arrays)
  int hex_strings = 0;               ///< -x (1: non-ASCII strings in hex), -xx (2: every string),
                                     ///< --strings-in-hex=non-ascii-chars (3: those bytes only)
  xlat_style xlat = xlat_style::abbrev;  ///< -X
  sig_set signals;                       ///< -e signal=: the signals whose delivery is shown (all)
  unsigned status = status_all;          ///< -e status=, -z, -Z: the call statuses shown
  std::vector<std::string> paths;        ///< -P PATH: only calls that touch these paths
  fd_set read_fds, write_fds;            ///< -e read=, -e write=: fds whose data is dumped
  nr_set raw_calls;                      ///< -e raw=: calls whose arguments print as raw hex
  nr_set abbrev_calls;                   ///< -e abbrev=: calls whose structures are abbreviated (all)
  nr_set verbose_calls;                  ///< -e verbose=: calls whose structures are decoded (all)
  bool tracer_info = false;              ///< --tracer-info: print which specialised tracer runs
  bool kvm_vcpu = false;                 ///< -e kvm=vcpu: KVM_RUN's exit reason after its result
  /// -I N, --interruptible=N: what SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM sent to the
  /// tracer do (strace(1)): 1 anywhere and 2 waiting stop the run (the guests get the signal
  /// and the trace ends with whole lines); 3 never ignores them; 4 never_tstp ignores SIGTSTP
  /// too. 0: not given (3 with -o FILE, else 2, as strace).
  int interruptible = 0;
  /// -D, -DD, -DDD, --daemonize[=grandchild|pgroup|session]: the tracer runs as a detached
  /// grandchild (1), in a new process group too (2) or in a new session (3), and the command
  /// keeps the process snare-strace was started as (strace(1)). 0: not given.
  int daemonize = 0;
  backend_choice backend = backend_choice::ptrace;
  /// -d, --debug: strace's debug lines on stderr (those snare-strace has: "pid N invalid
  /// syscall NR" at each call past the table).
  bool debug = false;
  tips_choice tips;  ///< --tips[=...]: the tip printed to stderr at the end
  nr_set trace;      ///< calls printed (all by default)
  std::vector<inject_rule> injects;
  std::vector<std::string> command;
  /// -p PID (repeatable; each a list separated by commas, spaces, tabs or newlines, as
  /// `pidof` and `pgrep` print): running processes to attach to instead of a command.
  std::vector<int> attach_pids;
  /// -E VAR=VAL (set) and -E VAR (remove), in the order given.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  /// -u USER: the user the command runs as, with its group and supplementary groups.
  struct run_as {
    unsigned uid = 0, gid = 0;
    std::vector<unsigned> groups;
  };
  std::optional<run_as> user;
  /// How often -t, -q, -x and -y were given (each repeat means more).
  struct {
    int t = 0, q = 0, x = 0, y = 0;
  } repeats;
};

/// The result of parsing: options, or an error message (exit code 2), or a request for
/// --help / --version / --host (exit code 0).
struct parse_result {
  std::optional<options> opts;
  std::string error;
  bool help = false;
  bool message_only = false;  ///< strace says `error` alone, exit code 1 (a bad -e expression)
  bool version = false;
  bool host = false;  ///< --host: print the host feature table (exit code 0)
};

/// Returns the numbers of the syscalls named by one element of a trace set: a name
/// ("openat"), a class ("%file"), "all" or "none"; nullopt when unknown.
std::optional<nr_set> parse_set_element(std::string_view word);

/// Parses a whole set: comma-separated elements, an optional leading `!` negating it.
/// Returns nullopt and fills `error` when an element is unknown.
std::optional<nr_set> parse_set(std::string_view text, std::string& error);

/// Returns every syscall number the table knows.
nr_set all_known();

/// Parses a signal set: names (SIGINT or INT), numbers, all, none, `!` negating.
std::optional<sig_set> parse_signal_set(std::string_view text, std::string& error);

/// Parses `-e status=` (successful, failed, unfinished, unavailable, detached) into
/// status_bit values.
std::optional<unsigned> parse_status_set(std::string_view text, std::string& error);

/// Parses `-e quiet=` (attach, exit, path-resolution, personality, thread-execve) into
/// quiet_bit values.
std::optional<unsigned> parse_quiet_set(std::string_view text, std::string& error);

/// Parses `-e decode-fds=` (path, socket, dev, pidfd, all, none) into decode_fd_bit values.
std::optional<unsigned> parse_decode_fds_set(std::string_view text, std::string& error);

/// Parses a set of descriptors (`-e read=`, `-e write=`): numbers, all, none, `!`.
std::optional<fd_set> parse_fd_set(std::string_view text, std::string_view what, std::string& error);

/// Parses a `when=` expression: N, N+, N+S, N..L, N..L+S.
bool parse_when(std::string_view text, inject_rule& rule);

/// Applies `-e inject=VALUE` (fault false) or `-e fault=VALUE` (fault true): SET[:TOKEN]...
/// with strace's tokens (error=, retval=, signal=, syscall=, when=, delay_enter=,
/// delay_exit=, poke_enter=, poke_exit=; fault= takes error= and when= only). False with
/// strace's message ("invalid inject argument 'VALUE'") when it is invalid, or with ours
/// when it is valid but asks for what snare-strace does not do.
bool parse_inject(std::string_view text, bool fault, options& o, std::string& error);

/// Applies one `-e QUALIFIER=VALUE` expression (a bare VALUE means trace=VALUE); false
/// with strace's message in `error` when it is invalid or not supported.
bool parse_expression(std::string_view text, options& o, std::string& error);

/// Applies short option `c` (with its value when it takes one); false with strace's message.
bool apply_short(char c, std::optional<std::string_view> value, options& o, std::string& error);

/// Parses argc/argv as strace does (options, then the command).
parse_result parse(int argc, char** argv);

/// Returns the --help text.
std::string_view help_text();

/// Returns what in `o` the in_guest backend cannot do (an option that needs signals, the
/// tracer's view of each call's timing, a per-call decision), or "" when it can run `o`.
std::string in_guest_refusal(const options& o);

}  // namespace strace
