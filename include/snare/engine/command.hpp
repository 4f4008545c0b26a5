// Defines snare::command: how a guest is launched (program and arguments, arg0, environment,
// working directory, standard streams, CPU affinity, resource limits, namespaces, mounts, a
// pseudo-terminal, or a C++ callable instead of a program), snare::stdio, snare::ns and
// snare::run_output (the status and captured bytes of a run). Built on by snare::run and
// snare::tracer::run (snare/tracer.hpp); docs/command.md.
#pragma once

#include <sched.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <snare/tool/exit_status.hpp>

namespace snare {

/// How one of the guest's standard streams (stdin, stdout, stderr) is set up.
class stdio {
 public:
  enum class kind : std::uint8_t {
    inherit,  ///< the tracer's own stream (the default)
    null,     ///< /dev/null
    file,     ///< a file opened by the tracer before the guest starts
    fd,       ///< a duplicate of one of the tracer's descriptors
    pipe,     ///< a pipe to the tracer: output captured into run_output, input from command::input
  };

  /// Returns a stream that is the tracer's own.
  static stdio inherit() noexcept { return stdio(kind::inherit); }
  /// Returns a stream on /dev/null.
  static stdio null() noexcept { return stdio(kind::null); }
  /// Returns a stream on file `path`, opened with `flags` (open(2); -1: O_RDONLY for stdin,
  /// O_WRONLY|O_CREAT|O_TRUNC for stdout and stderr) and `mode` when created. A file that
  /// cannot be opened fails the run before the guest starts (exit code 127 and the reason).
  static stdio file(std::string path, int flags = -1, mode_t mode = 0644) {
    stdio s(kind::file);
    s.path_ = std::move(path);
    s.flags_ = flags;
    s.mode_ = mode;
    return s;
  }
  /// Returns a stream on a duplicate of the tracer's descriptor `fd` (which stays the
  /// caller's to close).
  static stdio fd(int fd) noexcept {
    stdio s(kind::fd);
    s.fd_ = fd;
    return s;
  }
  /// Returns a pipe to the tracer: stdout and stderr are captured into run_output::out and
  /// ::err; stdin reads command::input's bytes, then end of file.
  static stdio pipe() noexcept { return stdio(kind::pipe); }

  kind what() const noexcept { return kind_; }
  const std::string& path() const noexcept { return path_; }
  int flags() const noexcept { return flags_; }
  mode_t mode() const noexcept { return mode_; }
  int fd_number() const noexcept { return fd_; }

 private:
  explicit stdio(kind k) noexcept : kind_(k) {}
  kind kind_ = kind::inherit;
  std::string path_;
  int flags_ = -1;
  mode_t mode_ = 0644;
  int fd_ = -1;
};

/// The namespaces a guest may get new ones of (namespaces(7)); combine with `|`.
enum class ns : unsigned {
  none = 0,
  user = CLONE_NEWUSER,  ///< new user namespace (see command::map_root)
  pid = CLONE_NEWPID,    ///< new pid namespace: the guest is its pid 1
  mount = CLONE_NEWNS,   ///< new mount namespace: command's mounts are private to it
  net = CLONE_NEWNET,    ///< new network namespace: loopback only, brought up
  uts = CLONE_NEWUTS,    ///< new UTS namespace (see command::hostname)
  ipc = CLONE_NEWIPC,    ///< new IPC namespace
};
constexpr ns operator|(ns a, ns b) noexcept {
  return static_cast<ns>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr ns operator&(ns a, ns b) noexcept {
  return static_cast<ns>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
}
/// Says whether `set` holds every namespace of `part`.
constexpr bool has(ns set, ns part) noexcept { return (set & part) == part && part != ns::none; }

/// A mount made in the guest's mount namespace before it starts (command::bind, tmpfs, proc,
/// devpts).
struct mount_spec {
  enum class kind : std::uint8_t { bind, tmpfs, proc, devpts };
  kind what = kind::bind;
  std::string source;  ///< bind: the path mounted (as the tracer sees it)
  std::string target;  ///< where (as the tracer sees it; before command::chroot)
  bool read_only = false;
};

/// A resource limit set on the guest before it starts (setrlimit(2)).
struct resource_limit {
  int resource = RLIMIT_NOFILE;  ///< RLIMIT_*
  rlim_t soft = RLIM_INFINITY;
  rlim_t hard = RLIM_INFINITY;
};

/// The status of a run and what it wrote to the streams that were pipes (stdio::pipe, or the
/// pseudo-terminal of command::pty, whose output is `out`).
struct run_output {
  exit_status status{};  ///< how the first guest process ended
  int code = 0;          ///< what run() returns (status.shell_code(), 127, exit_host_unsupported)
  std::string out;       ///< bytes written to stdout (or the pty)
  std::string err;       ///< bytes written to stderr
};

/// How to launch a guest: a program (searched in PATH) with arguments, or a C++ callable run
/// in a forked child (command::function); and its environment, working directory, standard
/// streams, CPU affinity, resource limits, namespaces, mounts and terminal. Setters return
/// *this, so a command reads as one expression:
///
///     snare::command("sh").arg("-c").arg("echo $X").env("X", "1").std_out(snare::stdio::pipe())
///
/// What a backend cannot give is refused before the guest starts with a clear error (the
/// hypercall backend takes the program, arguments, arg0 and environment only;
/// docs/command.md). Setup happens in the forked child before the backend's filter is
/// installed, so the tool sees none of it.
class command {
 public:
  /// A command that runs `program` (PATH lookup when it has no slash) with no arguments.
  explicit command(std::string program) : program_(std::move(program)) {}
  /// A command from a command line: argv[0] is the program, the rest its arguments.
  static command from_argv(std::span<const char* const> argv) {
    command c(argv.empty() || argv[0] == nullptr ? std::string() : std::string(argv[0]));
    for (std::size_t i = 1; i < argv.size() && argv[i] != nullptr; ++i) c.args_.emplace_back(argv[i]);
    return c;
  }
  static command from_argv(std::initializer_list<const char*> argv) {
    return from_argv(std::span<const char* const>(argv.begin(), argv.size()));
  }
  static command from_argv(const std::vector<std::string>& argv) {
    command c(argv.empty() ? std::string() : argv[0]);
    if (!argv.empty()) c.args_.assign(argv.begin() + 1, argv.end());
    return c;
  }
  /// A command whose guest is `f` called in a forked child once the backend's filter is in
  /// place; its return value is the guest's exit code (stdio is flushed first). The child is
  /// a copy of the tracer: `f` may use what the tracer had, but only the calling thread
  /// exists in it (fork(2)), so `f` must not wait on locks other threads could have held.
  static command function(std::function<int()> f, std::string name = "function") {
    command c(std::move(name));
    c.function_ = std::move(f);
    return c;
  }

  /// Appends one argument.
  command& arg(std::string a) {
    args_.push_back(std::move(a));
    return *this;
  }
  /// Appends each argument of `list`.
  template <class Range>
  command& args(const Range& list) {
    for (const auto& a : list) args_.emplace_back(a);
    return *this;
  }
  command& args(std::initializer_list<std::string_view> list) {
    for (auto a : list) args_.emplace_back(a);
    return *this;
  }
  /// Sets the guest's argv[0] (the program's name as it sees it; the program itself is
  /// still the one given to the constructor).
  command& arg0(std::string name) {
    arg0_ = std::move(name);
    return *this;
  }

  /// Sets environment variable `name` to `value` in the guest.
  command& env(std::string name, std::string value) {
    env_.push_back({std::move(name), std::move(value)});
    return *this;
  }
  /// Removes environment variable `name` from the guest's environment.
  command& env_remove(std::string name) {
    env_.push_back({std::move(name), std::nullopt});
    return *this;
  }
  /// Starts the guest's environment empty instead of the tracer's (later env() calls add).
  command& env_clear() {
    env_clear_ = true;
    env_.clear();
    return *this;
  }
  /// Runs the guest in directory `dir` (after chroot, when there is one; a relative program
  /// path is then looked up from `dir`). A missing directory fails the run with 127.
  command& current_dir(std::string dir) {
    cwd_ = std::move(dir);
    return *this;
  }

  /// Sets the guest's stdin, stdout or stderr (snare::stdio; inherited by default).
  command& std_in(stdio s) {
    streams_[0] = std::move(s);
    return *this;
  }
  command& std_out(stdio s) {
    streams_[1] = std::move(s);
    return *this;
  }
  command& std_err(stdio s) {
    streams_[2] = std::move(s);
    return *this;
  }
  /// Feeds `bytes` to the guest's stdin (which becomes a pipe), then end of file.
  command& input(std::string bytes) {
    input_ = std::move(bytes);
    streams_[0] = stdio::pipe();
    return *this;
  }

  /// Restricts the guest (and so its whole tree) to the CPUs listed (sched_setaffinity(2));
  /// an empty list leaves placement to the kernel (or run_options::pin_cpu).
  command& cpus(std::vector<int> list) {
    cpus_ = std::move(list);
    return *this;
  }
  /// Sets resource limit `resource` (RLIMIT_*) of the guest to `soft` and `hard`.
  command& limit(int resource, rlim_t soft, rlim_t hard) {
    limits_.push_back({resource, soft, hard});
    return *this;
  }
  command& limit(int resource, rlim_t both) { return limit(resource, both, both); }

  /// Gives the guest new namespaces of the kinds in `kinds` (added to earlier calls). Each
  /// needs its host feature (snare/host.hpp: user_namespace, pid_namespace, ...); without
  /// root, every kind but user needs ns::user as well. A kind the host cannot give fails the
  /// run before the guest starts (exit_host_unsupported, with the probe's reason).
  command& unshare(ns kinds) {
    ns_ = ns_ | kinds;
    return *this;
  }
  /// Maps the tracer's user and group to root (uid 0, gid 0) in a new user namespace (which
  /// it implies), as `unshare -r` does; setgroups(2) is then denied in the guest.
  command& map_root() { return map_user(0, 0); }
  /// Maps the tracer's user and group to `uid` and `gid` in a new user namespace.
  command& map_user(uid_t uid, gid_t gid) {
    ns_ = ns_ | ns::user;
    map_ = std::pair<uid_t, gid_t>(uid, gid);
    return *this;
  }
  /// Sets the guest's host name in a new UTS namespace (which it implies).
  command& hostname(std::string name) {
    ns_ = ns_ | ns::uts;
    hostname_ = std::move(name);
    return *this;
  }
  /// Sets the guest's NIS domain name in a new UTS namespace (which it implies).
  command& domainname(std::string name) {
    ns_ = ns_ | ns::uts;
    domainname_ = std::move(name);
    return *this;
  }
  /// Bind-mounts `source` on `target` (read-only when asked) in a new mount namespace (which
  /// it implies). Mounts are made in the order given, before chroot.
  command& bind(std::string source, std::string target, bool read_only = false) {
    return add_mount({mount_spec::kind::bind, std::move(source), std::move(target), read_only});
  }
  /// Mounts a fresh tmpfs on `target` in a new mount namespace (which it implies).
  command& tmpfs(std::string target) {
    return add_mount({mount_spec::kind::tmpfs, {}, std::move(target), false});
  }
  /// Mounts a proc file system on `target` in a new mount namespace (which it implies): in a
  /// new pid namespace it shows the guest's processes only.
  command& proc(std::string target = "/proc") {
    return add_mount({mount_spec::kind::proc, {}, std::move(target), false});
  }
  /// Mounts a new devpts instance on `target` in a new mount namespace (which it implies).
  command& devpts(std::string target = "/dev/pts") {
    return add_mount({mount_spec::kind::devpts, {}, std::move(target), false});
  }
  /// Changes the guest's root directory to `dir` (after the mounts; then current_dir or /).
  command& chroot(std::string dir) {
    chroot_ = std::move(dir);
    pivot_ = false;
    return *this;
  }
  /// Makes `dir` the root of the guest's mount namespace (which it implies) with
  /// pivot_root(2), after the mounts, and detaches the old root: unlike chroot, nothing
  /// of the host's tree stays reachable. `dir` is bind-mounted on itself first, so it need
  /// not be a mount point.
  command& pivot_root(std::string dir) {
    ns_ = ns_ | ns::mount;
    chroot_ = std::move(dir);
    pivot_ = true;
    return *this;
  }
  /// Runs the guest as user `uid`, group `gid` with supplementary groups `groups` (set last,
  /// after the mounts, chroot, directory and limits; needs CAP_SETUID and CAP_SETGID, as
  /// strace -u does).
  command& user(uid_t uid, gid_t gid, std::vector<gid_t> groups = {}) {
    ids_ = credentials{uid, gid, std::move(groups)};
    return *this;
  }
  /// Gives the guest a new session whose controlling terminal is a new pseudo-terminal; its
  /// inherited standard streams become that terminal, whose output is captured into
  /// run_output::out (and command::input is typed into it).
  command& pty(bool on = true) {
    pty_ = on;
    return *this;
  }

  // What was asked (for the backends).
  const std::string& program() const noexcept { return program_; }
  const std::vector<std::string>& arguments() const noexcept { return args_; }
  const std::optional<std::string>& argv0() const noexcept { return arg0_; }
  /// Returns the environment changes in the order made (nullopt value: removed).
  const std::vector<std::pair<std::string, std::optional<std::string>>>& env_changes() const noexcept {
    return env_;
  }
  bool env_cleared() const noexcept { return env_clear_; }
  const std::optional<std::string>& working_dir() const noexcept { return cwd_; }
  const stdio& stream(int fd) const noexcept { return streams_[static_cast<std::size_t>(fd)]; }
  const std::string& input_bytes() const noexcept { return input_; }
  const std::vector<int>& cpu_list() const noexcept { return cpus_; }
  const std::vector<resource_limit>& limits() const noexcept { return limits_; }
  ns namespaces() const noexcept { return ns_; }
  const std::optional<std::pair<uid_t, gid_t>>& id_map() const noexcept { return map_; }
  const std::optional<std::string>& host_name() const noexcept { return hostname_; }
  const std::optional<std::string>& domain_name() const noexcept { return domainname_; }
  const std::vector<mount_spec>& mounts() const noexcept { return mounts_; }
  const std::optional<std::string>& root_dir() const noexcept { return chroot_; }
  /// Says whether root_dir() is entered with pivot_root(2) rather than chroot(2).
  bool pivots_root() const noexcept { return pivot_; }
  bool has_pty() const noexcept { return pty_; }
  /// The user, group and supplementary groups the guest runs as (command::user).
  struct credentials {
    uid_t uid;
    gid_t gid;
    std::vector<gid_t> groups;
  };
  const std::optional<credentials>& run_as() const noexcept { return ids_; }
  const std::function<int()>& guest_function() const noexcept { return function_; }
  bool is_function() const noexcept { return static_cast<bool>(function_); }

  /// Says whether the command asks for more than a program, arguments, arg0 and an
  /// environment (what a backend that runs the guest in the tracer's own process, the
  /// hypercall backend, can give); `what` names the first such option.
  bool needs_process_setup(const char** what = nullptr) const noexcept {
    const char* w = nullptr;
    if (function_)
      w = "a function as the guest";
    else if (cwd_)
      w = "a working directory";
    else if (streams_[0].what() != stdio::kind::inherit || streams_[1].what() != stdio::kind::inherit ||
             streams_[2].what() != stdio::kind::inherit)
      w = "standard streams other than the tracer's";
    else if (!cpus_.empty())
      w = "a CPU affinity";
    else if (!limits_.empty())
      w = "resource limits";
    else if (ns_ != ns::none)
      w = "new namespaces";
    else if (!mounts_.empty())
      w = "mounts";
    else if (chroot_)
      w = "a root directory";
    else if (pty_)
      w = "a pseudo-terminal";
    else if (ids_)
      w = "another user";
    if (what) *what = w;
    return w != nullptr;
  }

 private:
  command& add_mount(mount_spec m) {
    ns_ = ns_ | ns::mount;
    mounts_.push_back(std::move(m));
    return *this;
  }

  std::string program_;
  std::vector<std::string> args_;
  std::optional<std::string> arg0_;
  std::vector<std::pair<std::string, std::optional<std::string>>> env_;
  bool env_clear_ = false;
  std::optional<std::string> cwd_;
  stdio streams_[3] = {stdio::inherit(), stdio::inherit(), stdio::inherit()};
  std::string input_;
  std::vector<int> cpus_;
  std::vector<resource_limit> limits_;
  ns ns_ = ns::none;
  std::optional<std::pair<uid_t, gid_t>> map_;
  std::optional<std::string> hostname_, domainname_;
  std::vector<mount_spec> mounts_;
  std::optional<std::string> chroot_;
  bool pivot_ = false;
  bool pty_ = false;
  std::optional<credentials> ids_;
  std::function<int()> function_;
};

}  // namespace snare
