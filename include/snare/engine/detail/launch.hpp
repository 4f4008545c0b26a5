// Defines how a snare::command becomes a guest: launch_plan, everything prepared before fork
// (argv and envp arrays, descriptors, mount and map strings, the host check of the
// namespaces asked for); apply_in_child, the setup the forked child runs before the
// backend's filter (async-signal-safe: no allocation); and output_pump, the tracer-side
// thread that feeds stdin and captures stdout, stderr and the pty while the guest runs.
#pragma once

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/engine/command.hpp>
#include <snare/engine/options.hpp>
#include <snare/host.hpp>

extern char** environ;  // NOLINT: POSIX

namespace snare::detail {

/// A step of the child-side setup, named in the failure report.
enum class launch_step : int {
  none,
  setgroups,
  uid_map,
  gid_map,
  loopback,
  hostname,
  domainname,
  mount_private,
  mount,
  chroot,
  terminal,
  streams,
  chdir,
  rlimit,
  affinity,
  credentials,
  clone,  // made in the parent: clone(2) into the new namespaces failed
};

/// Where the child-side setup failed: the step, its item (a mount's or a limit's index) and
/// the errno.
struct launch_failure {
  launch_step step = launch_step::none;
  int item = 0;
  int err = 0;
};

/// Everything a guest's launch needs, prepared before fork so the child allocates nothing.
/// Move-only: it owns the child's ends of pipes and files until the parent closes them.
struct launch_plan {
  std::string file;  // what execvpe runs (PATH lookup when it has no slash)
  std::vector<std::string> arg_store;
  std::vector<char*> argv;  // NULL-terminated
  std::vector<std::string> env_store;
  std::vector<char*> envp;  // NULL-terminated
  const std::function<int()>* function = nullptr;
  bool custom_arg0 = false;
  const char* process_setup =
      nullptr;  // the first option that needs a process of its own (command::needs_process_setup)

  unsigned clone_flags = 0;  // CLONE_NEW* for clone(2)
  bool map_ids = false;
  std::string uid_map, gid_map;  // "inside outside 1\n"
  bool loopback_up = false;
  const std::string* hostname = nullptr;
  const std::string* domainname = nullptr;
  bool private_mounts = false;
  const std::vector<mount_spec>* mounts = nullptr;
  const std::string* root = nullptr;
  bool pivot = false;  // enter `root` with pivot_root(2), not chroot(2)
  const std::string* cwd = nullptr;
  int terminal = -1;                 // the pty's slave, made the controlling terminal
  int streams[3] = {-1, -1, -1};     // dup2'd onto 0, 1, 2 (-1: inherited)
  std::vector<unique_fd> child_fds;  // the child's ends, closed by the parent after fork
  const std::vector<resource_limit>* limits = nullptr;
  bool has_cpus = false;
  cpu_set_t cpus{};
  const command::credentials* ids = nullptr;

  /// Returns the program's name for messages.
  const char* name() const noexcept { return file.c_str(); }
  /// Says whether this launch runs no program (a function guest).
  bool is_function() const noexcept { return function != nullptr && *function; }
  /// Closes the child's ends in the parent, once the child has its copies.
  void close_child_ends() noexcept { child_fds.clear(); }
};

/// The tracer's ends of the guest's pipes and pty (output_pump reads and writes them).
struct launch_io {
  unique_fd in;        // write end of stdin's pipe, or the pty master (a dup)
  unique_fd out;       // read end of stdout's pipe, or the pty master
  unique_fd err;       // read end of stderr's pipe
  unique_fd terminal;  // the tracer's hold on the pty slave, so reads see no EIO before the guest opens it
  std::string input;
  bool out_is_pty = false;
};

/// Returns a one-line description of a setup failure ("chdir to '/x': No such file ...").
inline std::string describe(const launch_plan& p, launch_failure f) {
  std::string what;
  switch (f.step) {
    case launch_step::none:
      what = "setup";
      break;
    case launch_step::setgroups:
      what = "writing /proc/self/setgroups";
      break;
    case launch_step::uid_map:
      what = "writing the uid map (" + p.uid_map.substr(0, p.uid_map.size() - 1) + ")";
      break;
    case launch_step::gid_map:
      what = "writing the gid map (" + p.gid_map.substr(0, p.gid_map.size() - 1) + ")";
      break;
    case launch_step::loopback:
      what = "bringing up the loopback interface";
      break;
    case launch_step::hostname:
      what = "sethostname";
      break;
    case launch_step::domainname:
      what = "setdomainname";
      break;
    case launch_step::mount_private:
      what = "making the mounts private";
      break;
    case launch_step::mount:
      if (p.mounts && f.item >= 0 && static_cast<std::size_t>(f.item) < p.mounts->size()) {
        const auto& m = (*p.mounts)[static_cast<std::size_t>(f.item)];
        static constexpr const char* kinds[] = {"bind", "tmpfs", "proc", "devpts"};
        what = std::string("mounting ") + kinds[static_cast<int>(m.what)] + " on '" + m.target + "'";
        if (m.what == mount_spec::kind::bind) what += " from '" + m.source + "'";
      } else {
        what = "mount";
      }
      break;
    case launch_step::chroot:
      what =
          std::string(p.pivot ? "pivot_root" : "chroot") + " to '" + (p.root ? *p.root : std::string()) + "'";
      break;
    case launch_step::terminal:
      what = "making the pseudo-terminal the controlling terminal";
      break;
    case launch_step::streams:
      what = "setting up the standard streams";
      break;
    case launch_step::chdir:
      what = "chdir to '" + (p.cwd ? *p.cwd : std::string()) + "'";
      break;
    case launch_step::rlimit:
      what = "setrlimit (limit " + std::to_string(f.item) + ")";
      break;
    case launch_step::affinity:
      what = "sched_setaffinity";
      break;
    case launch_step::clone:
      what = "clone into new namespaces";
      break;
    case launch_step::credentials:
      what = p.ids ? "becoming uid " + std::to_string(p.ids->uid) + " gid " + std::to_string(p.ids->gid)
                   : std::string("setresuid");
      break;
  }
  return what + ": " + std::strerror(f.err);
}

/// Why a launch could not be prepared: `code` is what the run returns (127: the command
/// cannot run; exit_host_unsupported: the host lacks a namespace kind asked for).
struct launch_refusal {
  int code = 127;
  std::string why;
};

/// Returns the host feature that says whether namespace kind `k` can be made.
constexpr host_feature feature_of(ns k) noexcept {
  switch (k) {
    case ns::user:
      return host_feature::user_namespace;
    case ns::pid:
      return host_feature::pid_namespace;
    case ns::mount:
      return host_feature::mount_namespace;
    case ns::net:
      return host_feature::net_namespace;
    case ns::uts:
      return host_feature::uts_namespace;
    default:
      return host_feature::ipc_namespace;
  }
}

/// Returns the launch plan and the tracer's ends for `cmd`, or why it cannot start: a file
/// that cannot be opened, a namespace kind the host cannot give (with its probe's reason),
/// a pseudo-terminal that cannot be made. Runs host probes (forking children): call before
/// the tracer's loop starts.
inline std::optional<launch_refusal> prepare_launch(const command& cmd, launch_plan& p, launch_io& io) {
  auto fail_errno = [&](const std::string& what, int err) {
    return launch_refusal{127, what + ": " + std::strerror(err)};
  };
  if (cmd.program().empty() && !cmd.is_function()) return launch_refusal{127, "empty command line"};
  p.file = cmd.program();
  p.function = cmd.is_function() ? &cmd.guest_function() : nullptr;
  p.custom_arg0 = cmd.argv0().has_value();
  cmd.needs_process_setup(&p.process_setup);
  p.arg_store.push_back(cmd.argv0() ? *cmd.argv0() : cmd.program());
  for (const auto& a : cmd.arguments()) p.arg_store.push_back(a);
  for (auto& a : p.arg_store) p.argv.push_back(a.data());
  p.argv.push_back(nullptr);

  // The environment: the tracer's, or none, then the changes in order.
  if (!cmd.env_cleared())
    for (char** e = environ; e && *e; ++e) p.env_store.emplace_back(*e);
  for (const auto& [name, value] : cmd.env_changes()) {
    std::erase_if(p.env_store, [&](const std::string& e) {
      return e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=';
    });
    if (value) p.env_store.push_back(name + "=" + *value);
  }
  for (auto& e : p.env_store) p.envp.push_back(e.data());
  p.envp.push_back(nullptr);

  // Namespaces: each kind asked for must be one the host gives (probed), and every kind but
  // user needs privilege, which a new user namespace gives an unprivileged tracer.
  const ns kinds = cmd.namespaces();
  for (ns k : {ns::user, ns::pid, ns::mount, ns::net, ns::uts, ns::ipc}) {
    if (!has(kinds, k)) continue;
    const auto& probe = host_features().get(feature_of(k));
    if (!probe.available)
      return launch_refusal{
          exit_host_unsupported,
          "the host cannot give a new " + std::string(name_of(feature_of(k))) + ": " + probe.reason};
  }
  if (kinds != ns::none && !has(kinds, ns::user) && ::geteuid() != 0)
    return launch_refusal{exit_host_unsupported,
                          "new namespaces need root or a new user namespace as well "
                          "(command::unshare(snare::ns::user) or map_root)"};
  p.clone_flags = static_cast<unsigned>(kinds);
  if (cmd.id_map()) {
    p.map_ids = true;
    p.uid_map = std::to_string(cmd.id_map()->first) + " " + std::to_string(::geteuid()) + " 1\n";
    p.gid_map = std::to_string(cmd.id_map()->second) + " " + std::to_string(::getegid()) + " 1\n";
  }
  p.loopback_up = has(kinds, ns::net);
  if (cmd.host_name()) p.hostname = &*cmd.host_name();
  if (cmd.domain_name()) p.domainname = &*cmd.domain_name();
  p.private_mounts = has(kinds, ns::mount);
  if (!cmd.mounts().empty()) p.mounts = &cmd.mounts();
  if (cmd.root_dir()) p.root = &*cmd.root_dir();
  p.pivot = cmd.pivots_root();
  if (cmd.working_dir()) p.cwd = &*cmd.working_dir();
  if (!cmd.limits().empty()) p.limits = &cmd.limits();
  if (cmd.run_as()) p.ids = &*cmd.run_as();
  if (!cmd.cpu_list().empty()) {
    p.has_cpus = true;
    CPU_ZERO(&p.cpus);
    for (int c : cmd.cpu_list()) {
      if (c < 0 || c >= CPU_SETSIZE)
        return launch_refusal{127, "CPU " + std::to_string(c) + " is out of range"};
      CPU_SET(c, &p.cpus);
    }
  }

  // Every descriptor the child will dup2 is above 2, so that no dup2 clobbers another's source.
  auto keep_for_child = [&](int fd) -> int {
    int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    if (high < 0) return -1;
    p.child_fds.emplace_back(high);
    return high;
  };
  if (cmd.has_pty()) {
    unique_fd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master) return fail_errno("posix_openpt", errno);
    if (::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0) return fail_errno("grantpt", errno);
    char name[128];
    if (::ptsname_r(master.get(), name, sizeof name) != 0) return fail_errno("ptsname", errno);
    int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) return fail_errno(std::string("opening ") + name, errno);
    io.terminal.reset(::fcntl(slave, F_DUPFD_CLOEXEC, 3));
    p.terminal = keep_for_child(slave);
    if (p.terminal < 0 || !io.terminal) return fail_errno("dup", errno);
    if (!cmd.input_bytes().empty() || cmd.stream(0).what() == stdio::kind::pipe) {
      io.in.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
      io.input = cmd.input_bytes();
    }
    io.out = std::move(master);
    io.out_is_pty = true;
  }
  for (int i = 0; i < 3; ++i) {
    const stdio& s = cmd.stream(i);
    int fd = -1;
    switch (s.what()) {
      case stdio::kind::inherit:
        if (p.terminal >= 0) p.streams[i] = p.terminal;
        continue;
      case stdio::kind::null:
        fd = ::open("/dev/null", (i == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
        if (fd < 0) return fail_errno("opening /dev/null", errno);
        break;
      case stdio::kind::file: {
        int flags = s.flags() != -1 ? s.flags() : i == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC;
        fd = ::open(s.path().c_str(), flags | O_CLOEXEC, s.mode());
        if (fd < 0) return fail_errno("opening '" + s.path() + "'", errno);
        break;
      }
      case stdio::kind::fd:
        fd = ::fcntl(s.fd_number(), F_DUPFD_CLOEXEC, 3);
        if (fd < 0) return fail_errno("duplicating fd " + std::to_string(s.fd_number()), errno);
        break;
      case stdio::kind::pipe: {
        if (i == 0 && p.terminal >= 0) {  // typed into the terminal (above)
          p.streams[0] = p.terminal;
          continue;
        }
        int pp[2];
        if (::pipe2(pp, O_CLOEXEC) != 0) return fail_errno("pipe", errno);
        if (i == 0) {
          io.in.reset(pp[1]);
          io.input = cmd.input_bytes();
          fd = pp[0];
        } else {
          (i == 1 ? io.out : io.err).reset(pp[0]);
          fd = pp[1];
        }
        break;
      }
    }
    p.streams[i] = keep_for_child(fd);
    if (p.streams[i] < 0) return fail_errno("dup", errno);
  }
  return std::nullopt;
}

namespace launch_child {
// Runs in the forked child only: async-signal-safe calls, no allocation.

inline bool write_file(const char* path, const char* data, std::size_t n) noexcept {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = retry_eintr([&] { return ::write(fd, data, n); }) == static_cast<ssize_t>(n);
  int e = errno;
  ::close(fd);
  errno = e;
  return ok;
}

inline int loopback_up() noexcept {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return errno;
  ifreq r{};
  std::memcpy(r.ifr_name, "lo", 3);
  int err = 0;
  if (::ioctl(s, SIOCGIFFLAGS, &r) != 0) {
    err = errno;
  } else {
    r.ifr_flags = static_cast<short>(r.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(s, SIOCSIFFLAGS, &r) != 0) err = errno;
  }
  ::close(s);
  return err;
}

inline int mount_one(const mount_spec& m) noexcept {
  const char* t = m.target.c_str();
  switch (m.what) {
    case mount_spec::kind::bind:
      if (::mount(m.source.c_str(), t, nullptr, MS_BIND | MS_REC, nullptr) != 0) return errno;
      if (m.read_only && ::mount(nullptr, t, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
        return errno;
      return 0;
    case mount_spec::kind::tmpfs:
      return ::mount("tmpfs", t, "tmpfs", MS_NOSUID | MS_NODEV, nullptr) == 0 ? 0 : errno;
    case mount_spec::kind::proc:
      return ::mount("proc", t, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0 ? 0 : errno;
    case mount_spec::kind::devpts:
      return ::mount("devpts", t, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") == 0
                 ? 0
                 : errno;
  }
  return EINVAL;
}

}  // namespace launch_child

/// Applies `p` in the forked child, before the backend's filter and exec: id maps, network,
/// names, mounts, chroot, terminal, streams, working directory, limits, affinity, in that
/// order. Returns the failure (step none when all went well). Async-signal-safe.
inline launch_failure apply_in_child(const launch_plan& p) noexcept {
  using launch_child::write_file;
  auto failed = [](launch_step s, int err, int item = 0) { return launch_failure{s, item, err}; };
  if (p.map_ids) {
    // Denying setgroups is what lets an unprivileged process write its gid map
    // (user_namespaces(7)); a kernel without the file (before 3.19) needs nothing.
    if (!write_file("/proc/self/setgroups", "deny", 4) && errno != ENOENT)
      return failed(launch_step::setgroups, errno);
    if (!write_file("/proc/self/uid_map", p.uid_map.data(), p.uid_map.size()))
      return failed(launch_step::uid_map, errno);
    if (!write_file("/proc/self/gid_map", p.gid_map.data(), p.gid_map.size()))
      return failed(launch_step::gid_map, errno);
  }
  if (p.loopback_up)
    if (int err = launch_child::loopback_up(); err != 0) return failed(launch_step::loopback, err);
  if (p.hostname && ::sethostname(p.hostname->data(), p.hostname->size()) != 0)
    return failed(launch_step::hostname, errno);
  if (p.domainname && ::setdomainname(p.domainname->data(), p.domainname->size()) != 0)
    return failed(launch_step::domainname, errno);
  if (p.private_mounts) {
    // The new namespace's mounts start shared with the host's: made private first, so that
    // what the guest mounts is not propagated back (mount_namespaces(7)).
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return failed(launch_step::mount_private, errno);
    if (p.mounts)
      for (std::size_t i = 0; i < p.mounts->size(); ++i)
        if (int err = launch_child::mount_one((*p.mounts)[i]); err != 0)
          return failed(launch_step::mount, err, static_cast<int>(i));
  }
  if (p.root && p.pivot) {
    // pivot_root(".", ".") stacks the old root on the new one, which umount2 then detaches
    // (pivot_root(2), NOTES): no directory for the old root is needed.
    if (::mount(p.root->c_str(), p.root->c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        ::chdir(p.root->c_str()) != 0 || ::syscall(SYS_pivot_root, ".", ".") != 0 ||
        ::umount2(".", MNT_DETACH) != 0)
      return failed(launch_step::chroot, errno);
    if (!p.cwd && ::chdir("/") != 0) return failed(launch_step::chroot, errno);
  } else if (p.root) {
    if (::chroot(p.root->c_str()) != 0) return failed(launch_step::chroot, errno);
    if (!p.cwd && ::chdir("/") != 0) return failed(launch_step::chroot, errno);
  }
  if (p.terminal >= 0) {
    if (::setsid() < 0 || ::ioctl(p.terminal, TIOCSCTTY, 0) != 0) return failed(launch_step::terminal, errno);
  }
  for (int i = 0; i < 3; ++i) {
    if (p.streams[i] < 0) continue;
    if (::dup2(p.streams[i], i) < 0) return failed(launch_step::streams, errno, i);
  }
  if (p.cwd && ::chdir(p.cwd->c_str()) != 0) return failed(launch_step::chdir, errno);
  if (p.limits)
    for (std::size_t i = 0; i < p.limits->size(); ++i) {
      const auto& l = (*p.limits)[i];
      rlimit r{l.soft, l.hard};
      if (::setrlimit(static_cast<__rlimit_resource>(l.resource), &r) != 0)
        return failed(launch_step::rlimit, errno, static_cast<int>(i));
    }
  if (p.has_cpus && ::sched_setaffinity(0, sizeof p.cpus, &p.cpus) != 0)
    return failed(launch_step::affinity, errno);
  if (p.ids) {
    // Raw calls: glibc's wrappers would broadcast to threads (setxid) this child lacks.
    if (::syscall(SYS_setgroups, p.ids->groups.size(), p.ids->groups.data()) != 0 ||
        ::syscall(SYS_setresgid, p.ids->gid, p.ids->gid, p.ids->gid) != 0 ||
        ::syscall(SYS_setresuid, p.ids->uid, p.ids->uid, p.ids->uid) != 0)
      return failed(launch_step::credentials, errno);
  }
  return {};
}

/// Forks the guest's child: fork(), or clone(2) with the plan's CLONE_NEW* flags (a new pid
/// namespace can only be entered by a new process). Returns as fork does.
inline pid_t fork_for(const launch_plan& p) noexcept {
  if (p.clone_flags == 0) return ::fork();
  // A raw clone runs no atfork handlers: the child only sets up and execs (or, for a
  // function guest, runs single-threaded code that glibc 2.34+ serves: raise() asks the
  // kernel for its tid).
  return static_cast<pid_t>(
      ::syscall(SYS_clone, static_cast<unsigned long>(p.clone_flags) | SIGCHLD, 0UL, 0UL, 0UL, 0UL));
}

/// Runs the function guest of `p` in the child (stdio flushed before _exit), or returns
/// when it has none.
inline void run_function_guest(const launch_plan& p) noexcept {
  if (!p.is_function()) return;
  int code = 1;
  try {
    code = (*p.function)();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "snare: the guest function threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "snare: the guest function threw\n");
  }
  std::fflush(nullptr);
  ::_exit(code & 0xff);
}

/// Feeds the guest's stdin and captures its stdout, stderr (or pty) on a thread of the
/// tracer while the run goes on; finish() collects what was written.
class output_pump {
 public:
  explicit output_pump(launch_io io) : io_(std::move(io)) {
    if (!io_.in && !io_.out && !io_.err) return;
    stop_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    // A pthread rather than std::thread: <thread> would cost every tool's compile time.
    if (!stop_ || ::pthread_create(&thread_, nullptr, &output_pump::main, this) != 0) {
      io_ = launch_io{};  // no capture: the guest's writes then fail (EPIPE) rather than block
      return;
    }
    running_ = true;
  }
  output_pump(const output_pump&) = delete;
  output_pump& operator=(const output_pump&) = delete;
  ~output_pump() { finish(); }

  /// Ends the pump once the guests are gone: reads what is left and returns.
  void finish() noexcept {
    if (!running_) return;
    running_ = false;
    std::uint64_t one = 1;
    (void)!::write(stop_.get(), &one, sizeof one);
    ::pthread_join(thread_, nullptr);
    io_.terminal.reset();
  }
  std::string& out() noexcept { return out_; }
  std::string& err() noexcept { return err_; }

 private:
  static void* main(void* self) noexcept {
    static_cast<output_pump*>(self)->pump();
    return nullptr;
  }

  void pump() noexcept {
    // A write to a stdin the guest closed fails with EPIPE on this thread instead of
    // raising SIGPIPE in the tracer.
    sigset_t pipe_sig;
    ::sigemptyset(&pipe_sig);
    ::sigaddset(&pipe_sig, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_sig, nullptr);
    std::size_t written = 0;
    if (io_.in && io_.input.empty() && !io_.out_is_pty) io_.in.reset();  // nothing to feed: EOF at once
    if (io_.in) ::fcntl(io_.in.get(), F_SETFL, O_NONBLOCK);
    bool stopping = false;
    char buf[16384];
    auto drain = [&](unique_fd& fd, std::string& into) {
      // Reads what is there; false at end of file (or EIO: the pty's last user is gone).
      ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n > 0) {
        into.append(buf, static_cast<std::size_t>(n));
        return true;
      }
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
      fd.reset();
      return false;
    };
    while (io_.out || io_.err || (io_.in && written < io_.input.size())) {
      pollfd fds[4];
      int n = 0;
      fds[n++] = {stop_.get(), POLLIN, 0};
      int out_i = -1, err_i = -1, in_i = -1;
      if (io_.out) fds[out_i = n++] = {io_.out.get(), POLLIN, 0};
      if (io_.err) fds[err_i = n++] = {io_.err.get(), POLLIN, 0};
      if (io_.in && written < io_.input.size()) fds[in_i = n++] = {io_.in.get(), POLLOUT, 0};
      // Once asked to stop, take only what is already there.
      if (::poll(fds, static_cast<nfds_t>(n), stopping ? 0 : -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      bool any = false;
      if (out_i >= 0 && fds[out_i].revents) any |= drain(io_.out, out_);
      if (err_i >= 0 && fds[err_i].revents) any |= drain(io_.err, err_);
      if (in_i >= 0 && fds[in_i].revents) {
        ssize_t w = ::write(io_.in.get(), io_.input.data() + written, io_.input.size() - written);
        if (w > 0)
          written += static_cast<std::size_t>(w);
        else if (errno != EAGAIN && errno != EINTR)
          written = io_.input.size();
        if (written == io_.input.size() && !io_.out_is_pty) io_.in.reset();  // end of file
        any = true;
      }
      if (fds[0].revents) stopping = true;
      if (stopping && !any) break;
    }
    // A pty's input is written to its master: ^D ends it in canonical mode, not a close.
  }

  launch_io io_;
  unique_fd stop_;
  std::string out_, err_;
  pthread_t thread_{};
  bool running_ = false;
};

}  // namespace snare::detail
