// The guest behaves under snare as it does without it: privileges (setuid programs and
// no_new_privs), the guest's own seccomp filters, CLONE_UNTRACED children. Each case runs
// the guest natively first: that is the right value (../shared/cases).
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/tracer.hpp>

#include <guests.hpp>

namespace {

using snare::test::guest_path;
using both_backends = std::tuple<snare::backend::ptrace, snare::backend::seccomp_notify>;

// Runs argv natively (snare::test::run_natively); returns its exit code (128+N for signal N).
int run_natively(const std::vector<std::string>& args) {
  int st = snare::test::run_natively(args);
  REQUIRE(st != -1);
  return snare::exit_status::from_wait_status(st).shell_code();
}

// Runs argv under Tool on Backend with the guest's stdout on /dev/null.
template <class Backend, class Tool>
int run_quietly(Tool& tool, const std::vector<std::string>& args) {
  int saved = ::dup(1), devnull = ::open("/dev/null", O_WRONLY);
  ::dup2(devnull, 1);
  int code = snare::run<Backend>(tool, args);
  ::dup2(saved, 1);
  ::close(saved);
  ::close(devnull);
  return code;
}

// Traces nothing: what any tool does to the guest's semantics shows here.
struct nothing {};

struct getppid_counter {
  long calls = 0;
  void on(snare::sys::getppid, auto&) { ++calls; }
};

}  // namespace

TEMPLATE_LIST_TEST_CASE("no_new_privs is set only when the tracer cannot install its filter without it",
                        "[engine][privileges]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("privs");
  const int native = run_natively({guest});
  nothing tool;
  if (::geteuid() == 0) {
    CHECK(native == 2);  // root, no no_new_privs
    CHECK(run_quietly<TestType>(tool, {guest}) == native);
  }
  // An unprivileged tracer needs no_new_privs for its filter (seccomp(2)): the guest has it.
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
                             ::setresuid(65534, 65534, 65534) != 0))
      ::_exit(100);
    // A process that changed its uids is not dumpable, which forbids ptrace of its children
    // until they exec; an unprivileged user's own tracer is dumpable.
    ::prctl(PR_SET_DUMPABLE, 1);
    ::_exit(run_quietly<TestType>(tool, {guest}));
  }
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  REQUIRE(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 1);  // no_new_privs, euid not 0
}

TEMPLATE_LIST_TEST_CASE("a setuid-root program keeps its privilege under a root tracer",
                        "[engine][privileges]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  if (::geteuid() != 0) snare::test::skip("needs root: the test installs a setuid-root copy of a guest");
  if (::access("/usr/bin/setpriv", X_OK) != 0) snare::test::skip("setpriv (util-linux) is not installed");
  // A setuid-root copy where exec honours setuid bits (not a nosuid mount), readable by 65534.
  char dir_template[] = "/tmp/snare-setuid-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template, copy = dir + "/privs";
  std::filesystem::copy_file(guest_path("privs"), copy);
  REQUIRE(::chmod(dir.c_str(), 0755) == 0);
  REQUIRE(::chown(copy.c_str(), 0, 0) == 0);
  REQUIRE(::chmod(copy.c_str(), 04755) == 0);
  struct statvfs fs {};
  REQUIRE(::statvfs(copy.c_str(), &fs) == 0);
  const std::vector<std::string> cmd{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     copy};
  int native = run_natively(cmd);
  if (fs.f_flag & ST_NOSUID) {
    std::filesystem::remove_all(dir);
    snare::test::skip("/tmp is mounted nosuid: setuid bits are ignored natively too");
  }
  CHECK(native == 2);  // euid 0 by the setuid bit, no no_new_privs
  nothing tool;
  CHECK(run_quietly<TestType>(tool, cmd) == native);
  std::filesystem::remove_all(dir);
}

TEMPLATE_LIST_TEST_CASE("the guest's own seccomp filters act as natively", "[engine][seccomp-filter]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("own_filter");
  REQUIRE(run_natively({guest, "fork"}) == 0);
  // seccomp_notify's limit (docs/seccomp_notify.md): the kernel allows one listener per
  // filter tree, and snare's is there first, so the guest's own NEW_LISTENER gets EBUSY.
  const int expected = std::is_same_v<TestType, snare::backend::seccomp_notify> ? 8 : 0;
  SECTION("nothing traced") {
    nothing tool;
    CHECK(run_quietly<TestType>(tool, {guest, "fork"}) == expected);
  }
  SECTION("a call the guest's filter acts on is traced too") {
    getppid_counter tool;
    CHECK(run_quietly<TestType>(tool, {guest, "fork"}) == expected);
    CHECK(tool.calls == 0);  // the guest's ERRNO wins over snare's trap: the call never ran
  }
}

TEMPLATE_LIST_TEST_CASE("a child made with CLONE_UNTRACED runs as natively and stays traced",
                        "[engine][clone]", both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  const std::string guest = guest_path("untraced");
  REQUIRE(run_natively({guest}) == 0);
  SECTION("nothing traced") {
    nothing tool;
    CHECK(run_quietly<TestType>(tool, {guest}) == 0);
  }
  SECTION("the children's calls reach the tool") {
    getppid_counter tool;
    CHECK(run_quietly<TestType>(tool, {guest}) == 0);
    CHECK(tool.calls == 2);  // one per child: clone's and clone3's
  }
}

namespace {
// Keeps how each process ended, as on_process_exit is told in its structured form.
struct end_recorder {
  std::vector<snare::exit_status> ends;
  void on_process_exit(snare::exit_status s, auto&) { ends.push_back(s); }
};
}  // namespace

TEMPLATE_LIST_TEST_CASE("a signal death is reported as one, for every fatal signal", "[engine][exit]",
                        both_backends) {
  snare::test::require_host(TestType::host_requirements.back());
  for (int sig : {SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGINT, SIGHUP, SIGQUIT, SIGBUS, SIGPIPE, SIGUSR1}) {
    INFO("signal " << sig);
    const std::string cmd = "ulimit -c 0; kill -" + std::to_string(sig) + " $$";
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(tracer.run({"/bin/sh", "-c", cmd.c_str()}) == 128 + sig);
    CHECK(tracer.status() == snare::exit_status::killed(sig));
    REQUIRE(tool.ends.size() == 1);
    CHECK(tool.ends[0] == snare::exit_status::killed(sig));
  }
  SECTION("an exit with 128+N stays an exit") {
    end_recorder tool;
    snare::tracer<TestType, end_recorder> tracer(tool);
    CHECK(tracer.run({"/bin/sh", "-c", "exit 139"}) == 139);
    CHECK(tracer.status() == snare::exit_status::exited(139));
    REQUIRE(tool.ends.size() == 1);
    CHECK(tool.ends[0] == snare::exit_status::exited(139));
  }
}
