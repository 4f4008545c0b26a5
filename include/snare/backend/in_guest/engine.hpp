// Defines the tracer side of the in_guest backend: start the command with the tool object
// preloaded (LD_PRELOAD, prepended), serve the guests' g.global().call over the channel,
// reap the processes (a child subreaper, so orphans come back to the tracer) and tell the
// tool the ends the guest could not tell itself (a process killed by a signal).
#pragma once

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/backend/in_guest/channel.hpp>
#include <snare/backend/in_guest/exec_check.hpp>
#include <snare/backend/in_guest/guest.hpp>
#include <snare/backend/in_guest/policy.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/engine/command.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/detail/launch.hpp>
#include <snare/engine/notify.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/tool.hpp>
#include <snare/tool/exit_status.hpp>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace snare::detail::in_guest {

/// The tracer's end of the channel: the shared memory (unlinked at destruction), and the
/// thread serving global calls on `state` through thunks of the object loaded at `base`.
class channel_server {
 public:
  channel_server() = default;
  channel_server(const channel_server&) = delete;
  channel_server& operator=(const channel_server&) = delete;
  ~channel_server() { close(); }

  /// Creates the run's directory on /dev/shm with the channel and a link to `object`
  /// (absolute), and `config` in the channel; returns the path to preload (the link).
  /// Errors: the errno of mkdir, open, symlink, mmap; file_too_large for a config over 8 KiB.
  result<std::string> open(const char* object, std::string_view config) {
    if (config.size() > max_call_bytes) return std::errc::file_too_large;
    remove_stale_runs();
    static std::atomic<unsigned> counter{0};
    dir_ =
        "/dev/shm/" + std::string(run_prefix) + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    if (::mkdir(dir_.c_str(), 0700) != 0) {
      int e = errno;
      dir_.clear();
      return result<std::string>::from_errno(e);
    }
    const std::string file = dir_ + "/" + channel_file, link = dir_ + "/" + object_link;
    if (::symlink(object, link.c_str()) != 0) return result<std::string>::from_errno(errno);
    unique_fd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) return result<std::string>::from_errno(errno);
    if (::ftruncate(fd.get(), sizeof(channel_page)) != 0) return result<std::string>::from_errno(errno);
    void* p = ::mmap(nullptr, sizeof(channel_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
    if (p == MAP_FAILED) return result<std::string>::from_errno(errno);
#if defined(__SANITIZE_ADDRESS__)
    // Fresh memory: ASan may still hold poison for a mapping that was here before (a thread's
    // stack, unmapped when the thread ended), and report it as a stack underflow.
    __asan_unpoison_memory_region(p, sizeof(channel_page));
#endif
    page_ = ::new (p) channel_page{};
    pthread_mutexattr_t a;
    ::pthread_mutexattr_init(&a);
    ::pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    ::pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    ::pthread_mutex_init(&page_->lock, &a);
    ::pthread_mutexattr_destroy(&a);
    page_->tracer_pid = ::getpid();
    std::memcpy(page_->config, config.data(), config.size());
    page_->config_size = static_cast<std::uint32_t>(config.size());
    page_->magic = channel_page::magic_value;
    return link;
  }

  /// Serves global calls on `state` with thunks of the object loaded at `base`, on a thread;
  /// the guests' notices go to stderr when `report`.
  void serve(void* state, std::uintptr_t base, bool report) {
    state_ = state;
    base_ = base;
    report_ = report;
    server_ = std::thread([this] { loop(); });
  }

  /// Stops serving and removes the channel (guests that start later run untraced).
  void close() noexcept {
    if (page_) {
      page_->stopping.store(1, std::memory_order_release);
      futex(page_->request_seq, FUTEX_WAKE, 1);
    }
    if (server_.joinable()) server_.join();
    if (!dir_.empty()) {
      ::unlink((dir_ + "/" + channel_file).c_str());
      ::unlink((dir_ + "/" + object_link).c_str());
      ::rmdir(dir_.c_str());
      dir_.clear();
    }
    if (page_) ::munmap(page_, sizeof(channel_page));
    page_ = nullptr;
  }

  channel_page* page() const noexcept { return page_; }

  /// The prefix of a run's directory on /dev/shm; the tracer's pid and a counter follow.
  static constexpr std::string_view run_prefix = "snare-in-guest-";

  /// Removes the run directories on /dev/shm whose tracer is gone (killed before its close():
  /// SIGKILL, a crash), with their channel and link. A guest still running from such a run
  /// keeps its mapping; its next global call ends it (docs/in_guest.md).
  static void remove_stale_runs() noexcept {
    DIR* d = ::opendir("/dev/shm");
    if (d == nullptr) return;
    while (const dirent* e = ::readdir(d)) {
      std::string_view name(e->d_name);
      if (!name.starts_with(run_prefix)) continue;
      const std::string_view rest = name.substr(run_prefix.size());
      const std::size_t dash = rest.find('-');
      if (dash == 0 || dash > 9 || dash == std::string_view::npos) continue;
      pid_t tracer = 0;
      for (char ch : rest.substr(0, dash)) {
        if (ch < '0' || ch > '9') {
          tracer = 0;
          break;
        }
        tracer = tracer * 10 + (ch - '0');
      }
      // Only a tracer known gone (ESRCH): EPERM is a live process of another user.
      if (tracer <= 0 || ::kill(tracer, 0) == 0 || errno != ESRCH) continue;
      const std::string dir = "/dev/shm/" + std::string(name);
      ::unlink((dir + "/" + channel_file).c_str());
      ::unlink((dir + "/" + object_link).c_str());
      ::rmdir(dir.c_str());
    }
    ::closedir(d);
  }

 private:
  void loop() noexcept {
    channel_page& c = *page_;
    // Not the value when this thread starts: a guest's first request may come before.
    std::uint32_t seen = 0;
    for (;;) {
      if (!wait_change(c.request_seq, seen, c.server_sleeping, 2000,
                       [&] { return c.stopping.load(std::memory_order_acquire) == 0; }))
        return;
      seen = c.request_seq.load(std::memory_order_acquire);
      c.status = run_one(c);
      c.served.fetch_add(1, std::memory_order_relaxed);
      c.response_seq.fetch_add(1, std::memory_order_seq_cst);
      wake(c.response_seq, c.client_sleeping);
    }
  }

  int run_one(channel_page& c) noexcept {
    if (c.thunk_offset == notice_offset) {
      // A guest's notice for the user (an exec that leaves the tool behind): a line on the
      // tracer's stderr, as the run's other warnings (run_options::report_exec_failure).
      if (report_ && c.f_size <= max_call_bytes) {
        std::string line(reinterpret_cast<const char*>(c.f), c.f_size);
        if (line.empty() || line.back() != '\n') line += '\n';
        for (std::size_t at = 0; at < line.size();) {
          const ssize_t n = ::write(2, line.data() + at, line.size() - at);
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) break;
          at += static_cast<std::size_t>(n);
        }
      }
      return 0;
    }
    const std::uintptr_t at = base_ + c.thunk_offset;
    // Only code of the tool object: a guest that sends another offset gets status 2.
    Dl_info info{};
    if (c.f_size > max_call_bytes || c.ret_size > max_call_bytes ||
        ::dladdr(reinterpret_cast<void*>(at), &info) == 0 ||
        reinterpret_cast<std::uintptr_t>(info.dli_fbase) != base_)
      return 2;
    auto thunk = reinterpret_cast<global_thunk>(at);
    const global_caller from = c.from;
    return thunk(state_, c.f, &from, c.ret);
  }

  std::string dir_;
  channel_page* page_ = nullptr;
  void* state_ = nullptr;
  std::uintptr_t base_ = 0;
  bool report_ = true;
  std::thread server_;
};

}  // namespace snare::detail::in_guest

namespace snare::backend::in_guest_detail {

/// The tracer side of one run: see the snare::backend concept and docs/in_guest.md.
template <class Tool>
class engine : public ::snare::engine::core<in_guest, Tool, guest<Tool>> {
  using core_type = ::snare::engine::core<in_guest, Tool, guest<Tool>>;
  using core_type::options_;
  using core_type::root_;
  using core_type::tool_;

 public:
  using typename core_type::guest_type;

  engine(Tool& tool, const run_options& options, global_state_t<Tool>& global)
      : core_type(tool, options, global) {}
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Starts argv with the tool object preloaded and serves it to the end; returns its exit
  /// code (128+N when killed by signal N; 127 when it cannot run: no tool object, a static
  /// executable; exit_host_unsupported without Syscall User Dispatch).
  int run(std::span<const char* const> argv) {
    if (argv.empty() || argv[0] == nullptr) return this->cannot_run("", "empty command line");
    snare::detail::launch_plan plan;
    snare::detail::launch_io io;
    if (auto no = snare::detail::prepare_launch(::snare::command::from_argv(argv), plan, io))
      return this->cannot_run(argv[0], no->why.c_str());
    return run(plan);
  }

  /// Starts the guest of a prepared launch (snare::command) and serves it as run(argv) does.
  int run(snare::detail::launch_plan& plan) {
    namespace ig = snare::detail::in_guest;
    const char* name = plan.name();
    if (options_.vdso_as_syscalls)
      return this->refuse_option("make the vDSO's functions syscalls (vdso_as_syscalls)");
    if (plan.is_function())
      return this->cannot_run("(function)",
                              "the in_guest backend loads the tool at exec: a function guest has none");
    if (!this->host_allows(std::span<const char* const>(&name, 1))) return this->refused();
    // The tool object: readable, absolute (the guest may chdir before it execs again).
    const char* object =
        options_.in_guest_object ? options_.in_guest_object : std::getenv("SNARE_IN_GUEST_OBJECT");
    if (object == nullptr || *object == '\0')
      return this->cannot_run(
          name, "no in_guest tool object (run_options::in_guest_object, SNARE_IN_GUEST_OBJECT)");
    char real[PATH_MAX];
    if (::realpath(object, real) == nullptr || ::access(real, R_OK) != 0) {
      std::string why = std::string("the in_guest tool object '") + object + "': " + std::strerror(errno);
      return this->cannot_run(name, why.c_str());
    }
    if (auto found = snare::detail::find_program(plan.file)) {
      if (auto why = ig::untraced_exec(AT_FDCWD, found->c_str())) {
        const std::string msg = "'" + *found + "' is " + ig::describe(*why) +
                                ": the in_guest backend loads the tool with LD_PRELOAD (use the ptrace or "
                                "seccomp_notify backend)";
        return this->cannot_run(name, msg.c_str());
      }
    }
    // The same object in the tracer: the code g.global().call's thunks run here.
    void* handle = ::dlopen(real, RTLD_NOW | RTLD_LOCAL);
    void* anchor = handle ? ::dlsym(handle, "snare_in_guest_anchor") : nullptr;
    Dl_info info{};
    if (anchor == nullptr || ::dladdr(anchor, &info) == 0) {
      std::string why =
          std::string("the in_guest tool object '") + real +
          "' cannot be loaded as one (SNARE_IN_GUEST_TOOL): " + (handle ? "no anchor" : ::dlerror());
      if (handle) ::dlclose(handle);
      return this->cannot_run(name, why.c_str());
    }
    handle_ = handle;
    std::string config;
    if constexpr (requires(const Tool& t) {
                    { t.in_guest_config() } -> std::convertible_to<std::string>;
                  })
      config = this->tool().in_guest_config();
    ig::channel_server channel;
    auto preload = channel.open(real, config);
    if (!preload) {
      std::string why = std::string("cannot create the in_guest channel on /dev/shm: ") +
                        std::strerror(preload.error_number());
      return this->cannot_run(name, why.c_str());
    }
    set_environment(plan, *preload);
    channel.page()->follow_forks = options_.follow_forks ? 1 : 0;
    std::strncpy(channel.page()->tool_name, typeid(Tool).name(), sizeof channel.page()->tool_name - 1);
    channel.serve(&this->global_state(), reinterpret_cast<std::uintptr_t>(info.dli_fbase),
                  options_.report_exec_failure);
    ig::tracer_side = {&this->global_state(), channel.page()};
    struct forget_tracer_side {
      ~forget_tracer_side() { snare::detail::in_guest::tracer_side = {}; }
    } forget;

    // Orphans of the guest come back to the tracer, which reaps them and learns how they end.
    const int was_subreaper = subreaper();
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct restore_subreaper {
      int was;
      ~restore_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, was); }
    } restore{was_subreaper};

    auto child = snare::detail::spawn(plan, options_, [] { return 0; });
    if (!child) {
      std::string why = std::string("cannot start the guest: ") + std::strerror(child.error_number());
      return this->cannot_run(name, why.c_str());
    }
    root_ = child->pid;
    channel.page()->root_pid.store(root_, std::memory_order_release);
    if (!snare::detail::open_gate(*child)) {
      ::kill(root_, SIGKILL);
      (void)snare::detail::retry_eintr([&] { return ::waitpid(root_, nullptr, 0); });
      return this->cannot_run(name, "the guest died before it started");
    }
    const int root_status = wait_root(*channel.page());
    if (int code = snare::detail::read_spawn_failure(*child, name, options_.report_exec_failure, &plan);
        code >= 0) {
      reap_descendants(*channel.page());
      return this->finish(exit_status::exited(code));
    }
    tell_root_end(*channel.page(), root_status);
    reap_descendants(*channel.page());
    // A handler that threw in the guest (its process ended by SIGABRT, the others killed):
    // rethrown here, on the tracer's stack, as the other backends do.
    std::optional<std::string> thrown;
    if (channel.page()->threw.load(std::memory_order_acquire) == 1)
      thrown.emplace(channel.page()->thrown, strnlen(channel.page()->thrown, sizeof channel.page()->thrown));
    channel.close();
    const int code = this->finish(exit_status::from_wait_status(root_status));
    if (thrown) throw std::runtime_error(*thrown);
    return code;
  }

  ~engine() {
    // Not dlclose()d: the run's global state may hold what the object's code made.
    (void)handle_;
  }

 private:
  static int subreaper() noexcept {
    int v = 0;
    ::prctl(PR_GET_CHILD_SUBREAPER, &v);
    return v;
  }

  // LD_PRELOAD with the run's link to the object first.
  static void set_environment(snare::detail::launch_plan& plan, const std::string& object) {
    std::string preload = object;
    std::vector<std::string> env;
    for (char* e : plan.envp) {
      if (e == nullptr) break;
      std::string_view v(e);
      if (v.starts_with("LD_PRELOAD=")) {
        if (v.size() > 11) preload += ":" + std::string(v.substr(11));
      } else {
        env.emplace_back(v);
      }
    }
    env.push_back("LD_PRELOAD=" + preload);
    plan.env_store = std::move(env);
    plan.envp.clear();
    for (auto& e : plan.env_store) plan.envp.push_back(e.data());
    plan.envp.push_back(nullptr);
  }

  // Waits for the root process, passing on stop requests (SIGTERM, then SIGKILL).
  int wait_root(const snare::detail::in_guest::channel_page& c) {
    snare::detail::unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, root_, 0)));
    int status = 0;
    bool killed = false;
    for (;;) {
      if (int sig = this->take_stop_request(); sig != 0) ::kill(root_, stop_requests_++ == 0 ? sig : SIGKILL);
      if (!killed && c.threw.load(std::memory_order_acquire) == 1) killed = ::kill(root_, SIGKILL) == 0;
      if (pidfd) {
        pollfd p{pidfd.get(), POLLIN, 0};
        if (::poll(&p, 1, 50) == 0) continue;
      }
      pid_t r = ::waitpid(root_, &status, pidfd ? WNOHANG : 0);
      if (r == root_) return status;
      if (r < 0 && errno != EINTR) return 0;
    }
  }

  // The root died by a signal: its handlers could not say so; the tracer's do.
  void tell_root_end(snare::detail::in_guest::channel_page& c, int status) {
    auto* slot = snare::detail::in_guest::find_process(c, root_);
    if (slot && WIFSIGNALED(status) && slot->told_end.exchange(1, std::memory_order_acq_rel) == 0)
      tell_killed(*slot, root_, status);
  }

  // Process `pid` was killed by a signal (wait status `status`): its threads, counted in its
  // slot, ended with it without a word; then the process.
  void tell_killed(snare::detail::in_guest::process_slot& slot, pid_t pid, int status) {
    auto g = guest_type::ended(pid);
    for (int n = slot.threads.exchange(0, std::memory_order_acq_rel); n > 0; --n)
      snare::engine::notify_thread_exit(this->tool(), status, g);
    snare::engine::notify_process_exit(this->tool(), status, g);
  }

  // After the root: every process the guest made that is still there (reparented to the
  // tracer, the subreaper, when its parent ended) is waited for; a death by a signal that
  // its handlers could not tell is told from here.
  void reap_descendants(snare::detail::in_guest::channel_page& c) {
    for (;;) {
      bool alive = false;
      const std::uint32_t n =
          std::min<std::uint32_t>(c.process_count.load(std::memory_order_acquire),
                                  static_cast<std::uint32_t>(snare::detail::in_guest::max_processes));
      for (std::uint32_t i = 0; i < n; ++i) {
        auto& slot = c.processes[i];
        const pid_t pid = slot.pid.load(std::memory_order_acquire);
        if (pid <= 0 || pid == root_) continue;
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
          slot.pid.store(-pid, std::memory_order_relaxed);
          if (WIFSIGNALED(status) && slot.told_end.exchange(1, std::memory_order_acq_rel) == 0)
            tell_killed(slot, pid, status);
        } else if (r == 0 || ::kill(pid, 0) == 0) {
          alive = true;  // running, or a zombie its own (guest) parent has yet to reap
        } else {
          slot.pid.store(-pid, std::memory_order_relaxed);  // reaped by its parent
        }
      }
      if (!alive) return;
      if (c.threw.load(std::memory_order_acquire) == 1)  // a handler threw: the run ends now
        for (std::uint32_t i = 0; i < n; ++i)
          if (pid_t pid = c.processes[i].pid.load(); pid > 0) ::kill(pid, SIGKILL);
      if (int sig = this->take_stop_request(); sig != 0)
        for (std::uint32_t i = 0; i < n; ++i)
          if (pid_t pid = c.processes[i].pid.load(); pid > 0) ::kill(pid, stop_requests_ ? SIGKILL : sig);
      ::usleep(2000);
    }
  }

  void* handle_ = nullptr;
  int stop_requests_ = 0;
};

}  // namespace snare::backend::in_guest_detail
