// Defines snare-strace's entry point: reads strace's options, turns the trace and inject sets
// into the tracer's run-time subscription (specs.hpp), runs the command on the chosen backend
// and returns its exit code.
#include <errno.h>  // program_invocation_name: the name strace prefixes its messages with
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <snare/backend/hypercall.hpp>
#include <snare/backend/in_guest.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/stop.hpp>
#include <snare/host.hpp>
#include <snare/version.hpp>

#include "options.hpp"
#include "session.hpp"
#include "specs.hpp"
#include "tips.hpp"

namespace {

// Ends this process by signal `sig` (default action, no core dump); exits 128+sig should
// the signal not end it.
[[noreturn]] void die_of(int sig) {
  std::fflush(nullptr);
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(sig, &dfl, nullptr);
  sigset_t only;
  ::sigemptyset(&only);
  ::sigaddset(&only, sig);
  ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
  ::raise(sig);
  std::_Exit(128 + sig);
}

// Where SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM to the tracer ask the run to end.
snare::stop_source g_stop;
// The first signal that asked the run to end (-p: snare-strace then ends by it, as strace).
volatile sig_atomic_t g_interrupted = 0;

void request_stop(int sig) {
  // SIGPIPE comes again at each write to a closed output: once is a request, not two.
  static volatile sig_atomic_t pipe_seen = 0;
  if (sig == SIGPIPE) {
    if (pipe_seen) return;
    pipe_seen = 1;
  }
  if (g_interrupted == 0) g_interrupted = sig;
  g_stop.request(sig);
}
void ignore_signal(int) {}

// -p with a seccomp filter injected into the process: a tracer cannot leave it (the filter's
// calls would fail with ENOSYS), so snare-strace runs its tracer in a child that stays behind
// as the process's silent keeper after a detach, while snare-strace itself (the parent)
// returns as strace -p does (docs/attach.md). The parent forwards the fatal signals to the
// child and waits for a byte on a pipe (the child kept the process) or the child's end.
pid_t g_tracer_child = -1;  // in the parent
int g_keeper_pipe = -1;     // in the child: the byte to the parent

void forward_signal(int sig) {
  if (g_interrupted == 0) g_interrupted = sig;
  ::kill(g_tracer_child, sig);
}

// In the child, once the trace is finished and the tracer keeps the process: tells the
// parent, lets go of the terminal and of snare-strace's streams, ignores the signals a
// terminal or a shell sends, and goes on serving silently.
void become_keeper() {
  if (g_keeper_pipe >= 0) {
    (void)!::write(g_keeper_pipe, "k", 1);
    ::close(g_keeper_pipe);
    g_keeper_pipe = -1;
  }
  std::fflush(nullptr);
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, 0), ::dup2(null, 1), ::dup2(null, 2);
    ::close(null);
  }
  ::setsid();
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU})
    ::signal(sig, SIG_IGN);
}

// Forks the tracer's child; returns in the child, ends the parent with the child's outcome.
void split_keeper() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return;  // no pipe: trace here (a detach then keeps us)
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(p[0]), ::close(p[1]);
    return;
  }
  if (child == 0) {
    ::close(p[0]);
    g_keeper_pipe = p[1];
    return;
  }
  ::close(p[1]);
  g_tracer_child = child;
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  ::sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM}) ::sigaction(sig, &sa, nullptr);
  char c = 0;
  ssize_t n = 0;
  while ((n = ::read(p[0], &c, 1)) < 0 && errno == EINTR) {
  }
  if (n == 1) {  // the child keeps the process: done here, as strace -p after a detach
    if (g_interrupted != 0) die_of(g_interrupted);
    std::exit(0);
  }
  int st = 0;
  while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(st)) die_of(WTERMSIG(st));
  std::exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

// Sets what the fatal signals (and SIGTSTP for -I4) do to the tracer, as strace's -I does.
// A handler, never SIG_IGN: a caught signal is reset to its default at the guest's execve,
// while SIG_IGN would be inherited. A signal the tracer was started with ignored (nohup) is
// left ignored, so the guest inherits that as it would without the tracer; with -p there
// is no guest to inherit it, and strace catches them all (a shell's background job starts
// with SIGINT ignored).
int g_level = 2;  // the -I level set_interruptible was given
void set_interruptible(int level, bool attaching) {
  auto catch_with = [attaching](int sig, void (*fn)(int)) {
    struct sigaction old {};
    if (!attaching && ::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) return;
    struct sigaction sa {};
    sa.sa_handler = fn;
    ::sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(sig, &sa, nullptr);
  };
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM})
    catch_with(sig, level <= 2 ? request_stop : ignore_signal);
  if (level == 4) catch_with(SIGTSTP, ignore_signal);
}

// -D: the process snare-strace was started as becomes the command, under a tracer that is
// its grandchild (strace's startup_child and startup_attach with daemonized_tracer). The
// middle child waits until the tracer, at the tracee's first stop, kills it; the original
// process waits for the middle child's end, then execs the command, traced from there.
pid_t g_daemon_middle = -1;  // in the tracer: the middle child while it waits

void release_tracee() {
  if (g_daemon_middle > 0) ::kill(g_daemon_middle, SIGKILL);
  g_daemon_middle = -1;
}

// Returns in the tracer (the grandchild, in a new process group for -DD, a new session for
// -DDD) with the pid of the process to attach to; the original process never returns.
pid_t daemonize(const strace::options& o) {
  (void)::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);  // Yama: the tracer is no ancestor
  const pid_t tracee = ::getpid();
  std::fflush(nullptr);
  const pid_t middle = ::fork();
  if (middle < 0) {
    std::fprintf(stderr, "%s: fork: %s\n", program_invocation_name, std::strerror(errno));
    std::exit(1);
  }
  if (middle == 0) {
    const pid_t tracer = ::fork();
    if (tracer == 0) {
      if (o.daemonize == 2 && ::setpgid(0, 0) < 0) {
        std::fprintf(stderr, "%s: Cannot create a new process group: %s\n", program_invocation_name,
                     std::strerror(errno));
        ::_exit(1);
      }
      if (o.daemonize == 3 && ::setsid() < 0) {
        std::fprintf(stderr, "%s: Cannot create a new session: %s\n", program_invocation_name,
                     std::strerror(errno));
        ::_exit(1);
      }
      g_daemon_middle = ::getppid();
      return tracee;
    }
    // Killed by the tracer once it holds the tracee; or the tracer ended first.
    while (tracer > 0 && ::waitpid(tracer, nullptr, 0) < 0 && errno == EINTR) {
    }
    ::_exit(0);
  }
  while (::waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
  }
  for (const auto& [name, value] : o.env) {
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
  std::vector<char*> argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "%s: exec: %s\n", program_invocation_name, std::strerror(errno));
  std::fflush(nullptr);
  ::_exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = strace::parse(argc, argv);
  if (parsed.help) {
    std::fputs(strace::help_text().data(), stdout);
    return 0;
  }
  if (parsed.host) {
    snare::host_features().print(stdout);
    return 0;
  }
  if (parsed.version) {
    std::printf("snare-strace (snare %d.%d.%d)\n", SNARE_VERSION_MAJOR, SNARE_VERSION_MINOR,
                SNARE_VERSION_PATCH);
    return 0;
  }
  if (!parsed.opts && parsed.message_only) {
    std::fprintf(stderr, "%s: %s\n", program_invocation_name, parsed.error.c_str());
    return 1;
  }
  if (!parsed.opts) {
    std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", program_invocation_name,
                 parsed.error.c_str(), program_invocation_name);
    return 2;
  }
  const strace::options& o = *parsed.opts;
  if ((o.stack_trace || o.instruction_pointer) && o.backend != strace::backend_choice::ptrace) {
    std::fprintf(stderr, "%s: %s needs the ptrace backend\nTry '%s --help' for more information.\n",
                 program_invocation_name, o.stack_trace ? "-k" : "-i", program_invocation_name);
    return 2;
  }

  // The calls that must stop the guest: those printed and those injected.
  strace::nr_set need = o.trace;
  for (auto& r : o.injects) need |= r.calls;
  const snare::runtime_subscription calls = strace::subscription_for(need, o.pid_comm);

  const char* backend_name = "ptrace";
  std::vector<snare::host_gap> gaps;
  if (o.backend == strace::backend_choice::ptrace) {
    gaps = snare::missing_host_features<snare::backend::ptrace>();
  } else if (o.backend == strace::backend_choice::seccomp) {
    backend_name = "seccomp_notify";
    gaps = snare::missing_host_features<snare::backend::seccomp_notify>();
  } else if (o.backend == strace::backend_choice::in_guest) {
    backend_name = "in_guest";
    gaps = snare::missing_host_features<snare::backend::in_guest>();
  } else {
    backend_name = "hypercall (KVM)";
    gaps = snare::missing_host_features<snare::backend::hypercall>();
  }
  for (const auto& gap : gaps) {
    auto feature = snare::name_of(gap.feature);
    std::fprintf(stderr, "%s: the %s backend cannot run here: host feature %.*s is absent: %s\n",
                 program_invocation_name, backend_name, static_cast<int>(feature.size()), feature.data(),
                 gap.reason.c_str());
  }
  if (!gaps.empty()) return snare::exit_host_unsupported;
  if (o.tracer_info) {
    std::fprintf(stderr, "%s: backend %s, tracer specialised for %s", program_invocation_name, backend_name,
                 strace::subscription_name(need).c_str());
    if (!o.attach_pids.empty() &&
        (o.attach_pids.size() > 1 || calls.calls().is_everything() || !o.command.empty()))
      std::fprintf(stderr, "; attached processes stop at every call (PTRACE_SYSCALL, no filter injected)");
    else if (!o.attach_pids.empty())
      std::fprintf(stderr,
                   "; a seccomp filter of %zu syscalls (and the numbers past the table) is injected into"
                   " the attached process if it takes one unchanged, else it stops at every call",
                   strace::known_count(calls));
    else if (!calls.calls().is_everything())
      std::fprintf(stderr,
                   " (run-time subscription: %zu syscalls stop the guest, and the numbers past the table,"
                   " which strace traces whatever the set)",
                   strace::known_count(calls));
    std::fputc('\n', stderr);
  }

  // strace turns its filter off for -b (strace.c); snare's is then off too (run_on).
  if (o.detach_on_execve && o.seccomp_bpf)
    std::fprintf(stderr, "%s: --seccomp-bpf is not enabled because it is not compatible with -b\n",
                 program_invocation_name);

  // -p, one process, a trace set narrower than every call: a filter may be injected (run_on).
  const bool may_keep = o.attach_pids.size() == 1 && o.command.empty() &&
                        o.backend == strace::backend_choice::ptrace && !calls.calls().is_everything() &&
                        !o.detach_on_execve;
  if (may_keep) split_keeper();

  strace::session s(o);
  if (!s.open()) return 1;
  s.set_on_keep(become_keeper);
  if (o.daemonize != 0) s.start_daemonized(daemonize(o), release_tracee);
  // As strace: fatal signals end the run (2, "waiting") unless -o FILE traces a command (3)
  // or -D runs the tracer apart (4). -D -I1 leaves them fatal, as strace's -I1 does: the
  // tracer dies alone, its tracee lives on.
  const int level = o.interruptible != 0                         ? o.interruptible
                    : o.daemonize != 0                           ? 4
                    : o.output_file.empty() || o.command.empty() ? 2
                                                                 : 3;
  g_level = level;
  if (!o.command.empty() && !o.attach_pids.empty() && o.backend == strace::backend_choice::ptrace)
    s.set_on_spawned([] { set_interruptible(g_level, true); });  // strace's order: the command inherits
  else if (o.daemonize == 0 || level != 1)
    set_interruptible(level, o.command.empty());
  else
    s.set_flush_each_write(true);
  s.set_stop_source(&g_stop);
  snare::exit_status end = o.backend == strace::backend_choice::seccomp    ? strace::run_seccomp(calls, s, o)
                           : o.backend == strace::backend_choice::kvm      ? strace::run_kvm(calls, s, o)
                           : o.backend == strace::backend_choice::in_guest ? strace::run_in_guest(need, s, o)
                                                                           : strace::run_ptrace(calls, s, o);
  release_tracee();             // -D: an attach that failed lets the command run untraced, as strace
  if (s.kept()) std::_Exit(0);  // a keeper whose process has ended: its trace was finished
  if (o.backend == strace::backend_choice::ptrace && !o.command.empty() && o.daemonize == 0 &&
      end == snare::exit_status::exited(127)) {
    if (int code = s.report_exec_failure(o.command.front()); code != 0) {
      s.finish();
      return code;
    }
  }
  s.finish();
  strace::print_tip(o.tips, stderr);  // --tips: after the trace, whatever the end, as strace
  // -p, or a launched run's trace cut off by an interrupt: a signal that detached ends
  // snare-strace by the same signal, as strace does (strace.c, terminate).
  if (g_interrupted != 0 && (!o.attach_pids.empty() || s.cut_short())) die_of(g_interrupted);
  // -b execve let the command go: strace no longer knows how it ends, and exits with 0.
  if (s.root_detached()) return 0;
  // As strace does: a guest killed by a signal kills the tracer with the same signal, so a
  // parent (make, a shell, Python) sees the same death (the tracer dumps no core).
  if (end.is_killed()) die_of(end.signal());
  return end.shell_code();
}
