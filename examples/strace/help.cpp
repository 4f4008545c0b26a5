// Defines snare-strace's --help text (kept in step with docs/man/snare-strace.1).
#include "options.hpp"

namespace strace {

std::string_view help_text() {
  return R"(Usage: snare-strace [OPTIONS] PROG [ARGS]
       snare-strace [OPTIONS] -p PID... [PROG [ARGS]]
Traces the system calls of PROG (or of running processes) with snare and prints them as
strace does.

Output:
  -o FILE, --output=FILE      write the trace to FILE instead of stderr; -o '|CMD' or
                              -o '!CMD': to the standard input of sh -c CMD, waited for
                              at the end
  -ff, --output-separately    with -o FILE: one file FILE.TID per traced thread
  -A, --output-append-mode    open -o FILE for appending
  -a N, --columns=N           align results at column N (default 40)
  -s N, --string-limit=N      show at most N bytes of strings and buffers (default 32)
  -x, -xx, --strings-in-hex[=non-ascii|all|non-ascii-chars|none]
                              print non-ASCII strings (-x) or every string (-xx) in hex
  -X STYLE, --const-print-style=STYLE
                              print constants by name (abbrev, the default), as numbers
                              (raw) or as numbers with their names in comments (verbose)
  -v, --no-abbrev             print unabbreviated structures (environment arrays)
  -y, --decode-fds[=path]     print the paths of file descriptors
  -yy, --decode-fds=all       also sockets by protocol and addresses, devices by
                              number and pidfds by process
  -Y, --decode-pids=comm      print the command name of pids and of each line's thread
  --decode-pids=pidns         print pids of another pid namespace in the tracer's too
  --decode-pids=SET, -e decode-pids=SET
                              comm, pidns, all, none; a leading ! negates
  --pidns-translation         the same as --decode-pids=pidns
  -i, --instruction-pointer   print the instruction pointer at each call and signal
  -n, --syscall-number        print the syscall number before each call
  -k, --stack-traces          print the guest's stack after each call (ptrace)
  -t, -tt, -ttt               prefix lines with the time of day (-tt: with microseconds,
                              -ttt: seconds since the epoch)
  --timestamps[=[format:]none|time|unix][,[precision:]s|ms|us|ns]
  --absolute-timestamps[=...] the same as --timestamps
  -r, --relative-timestamps[=s|ms|us|ns]
                              prefix lines with the time since the previous call began
  -T, --syscall-times[=s|ms|us|ns]
                              show the time spent in each call
  -q, -qq, -qqq               suppress attach messages (-q), exit messages (-qq), all
  --quiet=SET, -e quiet=SET   attach, exit, path-resolution, personality, thread-execve
  -z, --successful-only       print only calls that succeed
  -Z, --failed-only           print only calls that fail

Filtering:
  -e trace=SET, --trace=SET   trace only SET: names (openat,read), numbers, classes
                              (%file %process %network %signal %ipc %desc %memory %creds
                              %clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs
                              %pure), /REGEX, ?NAME (no error when unknown), all, none;
                              a leading ! negates the set
  -e signal=SET               print only these signals' deliveries (names or numbers)
  -e status=SET               print only calls that end so: successful, failed,
                              unfinished, unavailable, detached
  -P PATH, --trace-path=PATH  print only calls that use PATH (repeatable)
  -e read=SET, -e write=SET   hex-dump the data read from / written to these fds
  -e abbrev=SET, -e raw=SET   abbreviate the structures of (all by default) / print
                              raw arguments and results of the calls in SET
  -e verbose=SET              decode the structures of the calls in SET (all by
                              default); the others print their addresses
  -e decode-fds=SET           what -y shows: path, socket, dev, pidfd, all, none
  -e kvm=vcpu, --kvm=vcpu     print the exit reason of a vcpu after its KVM_RUN

Tampering:
  -e inject=SET:error=ERRNO[:when=EXPR]
  -e inject=SET:retval=N[:when=EXPR]
                              make matching calls fail with ERRNO or return N without
                              running; EXPR is N (the Nth call only), N+ (the Nth and
                              every later one), N+S (the Nth and every Sth after it),
                              N..L, N..L+S; calls are counted per syscall per thread
  -e inject=SET:signal=SIG[:error=ERRNO|:retval=N][:when=EXPR]
                              also send SIG to the thread at the call (ptrace)
  -e fault=SET[:error=ERRNO][:when=EXPR]
                              the same, error=ENOSYS by default; only traced calls
                              are tampered with, the last rule naming a call wins;
                              :syscall=NAME (a pure call) is accepted, as strace's
  -e inject=SET:poke_enter=@argN=HEX[,...]|:poke_exit=@argN=HEX[,...]
                              write HEX at the address in argument N before the call's
                              entry (exit) is printed; the line ends (INJECTED: args)
  -e inject=SET:delay_enter=TIME|:delay_exit=TIME
                              hold the call TIME (us, or s ms us ns) before it runs
                              (returns), the line ends (DELAYED); the tracer, and every
                              process it traces, waits meanwhile (ptrace)

Statistics:
  -c, --summary-only          count time, calls and errors per syscall; print a summary
  -C, --summary               the trace and the summary
  -S KEY, --summary-sort-by=KEY
                              sort the summary by KEY: time (default), min-time,
                              max-time, avg-time, calls, errors, name or nothing
  -U COLS, --summary-columns=COLS
                              the summary's columns: time-percent, total-time,
                              min-time, max-time, avg-time, calls, errors, name
  -w, --summary-wall-clock    summarise wall-clock time (else system time)
  -O TIME                     subtract TIME (microseconds; or s, ms, us, ns) per call

Tracing:
  -f, --follow-forks          follow forks, vforks and clones (every process and thread)
  -p PID, --attach=PID        attach to running process PID (every thread; repeatable, or
                              a list: "1 2", 1,2); SIGINT, SIGTERM... detach and leave it
                              running (ptrace backend). One PID with -e trace= and no
                              command: a seccomp filter where the process takes one
                              unchanged, served after the detach by a silent keeper
                              process until the process ends. With PROG: PROG is run
                              and traced too, until every process ends; a signal that
                              detaches is sent to PROG first (not with -D)
  -I N, --interruptible=N     what SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM to
                              snare-strace do: 1 (anywhere), 2 (waiting): end the run
                              (the guests get the signal; as strace's detach, an open
                              line ends with " <detached ...>" and nothing later is
                              traced); 3 (never): ignored; 4 (never_tstp): SIGTSTP too.
                              Default: 3 with -o FILE, else 2. A second signal kills
                              the guests
  -b execve, --detach-on=execve
                              let a process go at its execve (not the command's
                              first): it runs on untraced; no seccomp filter then
                              (ptrace)
  -D, -DD, -DDD, --daemonize[=grandchild|pgroup|session]
                              run the tracer as a detached grandchild (-DD: in a new
                              process group, -DDD: in a new session) that attaches to
                              snare-strace's own process, which then becomes PROG:
                              PROG keeps its parent, and signals to its process group
                              (-DD) or session (-DDD) miss the tracer (ptrace). Fatal
                              signals to the tracer are ignored (-I 4) unless -I says
                              otherwise; -I 1 leaves them fatal to it alone
  -E VAR=VAL, --env=VAR=VAL   run the command with VAR set to VAL; -E VAR removes VAR
  -u USER, --user=USER        run the command as USER (its uid, gid and groups; needs
                              root; not with --backend=kvm)
  --seccomp-bpf               accepted: with -f snare always stops the guest only for
                              traced calls (its seccomp filter); without -f every call
                              stops, as strace then
  --kill-on-exit              accepted: the guests are always killed if snare-strace dies
  --backend=B                 ptrace (default), seccomp (seccomp user notification:
                              entries only, results print as '?', no -c errors, no -T,
                              no inject retval), kvm, or in-guest (formatted in the
                              guest by a preloaded object: dynamic programs only; not
                              the calls before it loads, nor signals; no -k -i -c -C
                              -T -t -r -n -P -ff -z -Z -yy, signal=, status=, read=,
                              write=, raw=, inject=)
  --tracer-info               say on stderr which compile-time specialised tracer runs
  -d, --debug                 debug lines on stderr (those snare-strace has: "pid N
                              invalid syscall NR" at each call past the syscall table)
  --tips[=[[id:]ID][,[format:]FORMAT]]
                              at the end, print a tip on stderr beside strace's ostrich:
                              ID a number or random (the default), FORMAT compact (the
                              default), full or none
  --host                      print what this host provides and exit; a backend or
                              option whose feature is absent is refused (exit code 69)
  -h, --help                  print this help
  -V, --version               print the version

Not supported (exit code 2 with a reason): -D with -u or with -p, -e secontext.

Exit status: the command's (128+N when killed by signal N), 1 when it cannot be run
(strace's "exec:" message), 127 when it is not found (or, off the ptrace backend, cannot
be run), 0 when -b execve let it go,
2 on a bad option, 1 on a bad -e expression (strace's message alone). With -p: 0 when the processes end, 1 when none can be attached, and
killed by the signal that detached it; with -p and PROG, PROG's.
)";
}

}  // namespace strace
