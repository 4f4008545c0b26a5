// Defines snare-strace's command line: the options it accepts (strace's common subset), the
// trace set and fault-injection rules they describe, and the parser that reads them.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strace {

/// The highest syscall number (plus one) the trace and inject sets can hold.
inline constexpr std::size_t max_nr = 512;

/// A set of syscall numbers chosen on the command line (`-e trace=...`).
using nr_set = std::bitset<max_nr>;

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
  /// Returns whether invocation `n` (1-based) of a matching call is injected.
  bool fires(unsigned n) const noexcept {
    if (n < first || n > last) return false;
    if (step == 0) return n == first;
    return (n - first) % step == 0;
  }
};

/// Which backend runs the guest (--backend=).
enum class backend_choice { ptrace, seccomp, kvm };

/// Everything the command line says.
struct options {
  bool follow_forks = false;      ///< -f
  std::string output_file;        ///< -o FILE ("" = stderr)
  std::size_t string_limit = 32;  ///< -s N
  bool summary = false;           ///< -c
  bool syscall_times = false;     ///< -T
  int timestamps = 0;             ///< -t (1), -tt (2), -ttt (3)
  bool fd_paths = false;          ///< -y
  int quiet = 0;                  ///< -q (1), -qq (2)
  bool verbose = false;           ///< -v: unabbreviated structures (environment arrays)
  bool tracer_info = false;       ///< --tracer-info: print which specialised tracer runs
  /// -I N, --interruptible=N: what SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM sent to the
  /// tracer do (strace(1)): 1 anywhere and 2 waiting stop the run (the guests get the signal
  /// and the trace ends with whole lines); 3 never ignores them; 4 never_tstp ignores SIGTSTP
  /// too. 0: not given (3 with -o FILE, else 2, as strace).
  int interruptible = 0;
  backend_choice backend = backend_choice::ptrace;
  nr_set trace;  ///< calls printed (all by default)
  std::vector<inject_rule> injects;
  std::vector<std::string> command;
};

/// The result of parsing: options, or an error message (exit code 2), or a request for
/// --help / --version / --host (exit code 0).
struct parse_result {
  std::optional<options> opts;
  std::string error;
  bool help = false;
  bool version = false;
  bool host = false;  ///< --host: print the host feature table (exit code 0)
};

/// Returns the numbers of the syscalls named by one element of a trace set: a name
/// ("openat"), a class ("%file"), "all" or "none"; nullopt when unknown.
std::optional<nr_set> parse_set_element(std::string_view word);

/// Parses a whole set: comma-separated elements, an optional leading `!` negating it.
/// Returns nullopt and fills `error` when an element is unknown.
std::optional<nr_set> parse_set(std::string_view text, std::string& error);

/// Parses a `when=` expression: N, N+, N+S, N..L, N..L+S.
bool parse_when(std::string_view text, inject_rule& rule);

/// Parses argc/argv as strace does (options, then the command).
parse_result parse(int argc, char** argv);

/// Returns the --help text.
std::string_view help_text();

}  // namespace strace
