// Defines the guest side of the in_guest backend: agent<Tool>, which builds the tool inside
// each guest process, installs the runtime's hooks and sends each trapped call through
// snare's dispatch to the tool's typed handlers; and SNARE_IN_GUEST_TOOL(Tool), which makes
// a shared object built from the tool's source (CMake: snare_add_in_guest_tool) into the
// object the tracer preloads. Include it in that object only (one source file).
#pragma once

#include <dlfcn.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include <snare/backend/in_guest/channel.hpp>
#include <snare/backend/in_guest/exec_check.hpp>
#include <snare/backend/in_guest/guest.hpp>
#include <snare/backend/in_guest/heap.hpp>
#include <snare/backend/in_guest/policy.hpp>
#include <snare/backend/in_guest/runtime/hooks.hpp>
#include <snare/backend/in_guest/runtime/runtime.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/notify.hpp>
#include <snare/subscription/runtime.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/tool.hpp>
#include <snare/tool/exit_status.hpp>

namespace snare::backend::in_guest_detail {

/// Says how the guest side builds Tool: `static Tool in_guest_make(std::string_view config)`
/// when Tool has it (config: what Tool::in_guest_config() returned in the tracer, passed in
/// the channel), else value-initialisation.
template <class Tool>
concept made_from_config = requires(std::string_view s) {
  { Tool::in_guest_make(s) } -> std::same_as<Tool>;
};

/// The status a wait4/waitid gives: the guest's own buffer, or ours when it passed none.
struct wait_watch {
  long nr = 0;
  long original = 0;  // the guest's pointer (0: none, ours used)
  int status = 0;
  siginfo_t info{};
};
/// What a vfork's parent puts back once its child has exec'd or ended.
struct vfork_stash {
  bool active = false;
  snare::detail::in_guest::process_globals process{};
  snare::detail::in_guest::thread_slot thread{};
};
/// What each thread of the agent keeps, whatever the tool (one block for every agent of an
/// object of several tools: initial-exec TLS, which the tracer's dlopen of the object takes
/// from the little static TLS glibc keeps spare).
struct agent_thread {
  wait_watch watch;
  vfork_stash vfork;
  void* pending_thread = nullptr;  // the state built for the thread a clone is creating (from_parent)
};
[[gnu::tls_model("initial-exec")]] inline thread_local agent_thread agent_tls{};

/// The guest side of one tool: a tool object per guest process and the runtime's hooks.
template <class Tool>
class agent {
 public:
  using guest_type = guest<Tool>;
  using table_type = syscall_table_t<Tool>;
  using dispatch_type = dispatch::table<Tool, guest_type, table_type>;
  static_assert(
      !has_runtime_subscription<Tool>,
      "snare: the in_guest backend takes a compile-time subscription only (a run-time one is not wired)");
  static_assert(check_tool_capabilities<in_guest, Tool, guest_type, table_type>());
  static constexpr subscription_info subscription = subscription_of<Tool, guest_type, table_type>;
  /// The calls that reach the hooks (install_options::interest): the subscribed ones, and
  /// those the agent watches itself (a thread's and a process's end, the waits that tell a
  /// child's death, the forks it holds the heap's lock across). Others run at native cost.
  static constexpr std::array<std::uint64_t, 8> interest = [] {
    std::array<std::uint64_t, 8> bits{};
    auto add = [&](long nr) { bits[static_cast<std::size_t>(nr) / 64] |= std::uint64_t{1} << (nr % 64); };
    for (long nr = 0; nr < 512; ++nr)
      if (subscription.entry.contains(nr) || subscription.exit.contains(nr)) add(nr);
    for (long nr :
         {SYS_exit, SYS_exit_group, SYS_wait4, SYS_waitid, SYS_fork, SYS_vfork, SYS_clone, SYS_clone3})
      add(nr);
    return bits;
  }();

  /// Starts the guest side in this process (the object's constructor): does nothing when
  /// the object was not loaded through a run's link (no channel next to it: the tracer's
  /// own dlopen, or a process outside any run).
  /// With `by_name` (an object of several tools, SNARE_IN_GUEST_TOOLS): returns false, doing
  /// nothing, when the run's tool (the channel's tool_name) is not Tool; true otherwise.
  static bool start(void* anchor, bool by_name = false) noexcept {
    using namespace snare::detail::in_guest;
    Dl_info info{};
    if (::dladdr(anchor, &info) == 0 || info.dli_fname == nullptr) return true;
    auto& proc = current_process;
    proc.channel = map_channel(info.dli_fname);
    if (proc.channel == nullptr) return true;  // not loaded by a tracer's run (its own dlopen, a stray load)
    if (by_name &&
        std::strncmp(proc.channel->tool_name, typeid(Tool).name(), sizeof proc.channel->tool_name - 1)) {
      ::munmap(proc.channel, sizeof(channel_page));
      proc.channel = nullptr;
      return false;
    }
    proc.pid = static_cast<pid_t>(::syscall(SYS_getpid));
    if (proc.channel->follow_forks == 0 &&
        proc.pid != proc.channel->root_pid.load(std::memory_order_acquire)) {
      // Without follow_forks only the root is traced: an image another process exec'd loads
      // the object (LD_PRELOAD is inherited) and leaves it idle: no tool, no interception.
      ::munmap(proc.channel, sizeof(channel_page));
      proc.channel = nullptr;
      return true;
    }
    proc.object_base = reinterpret_cast<std::uintptr_t>(info.dli_fbase);
    heap::enable();
    current_thread = {};
    const std::string_view config(proc.channel->config,
                                  std::min<std::size_t>(proc.channel->config_size, max_call_bytes));
    try {
      if constexpr (made_from_config<Tool>)
        tool_ = ::new (static_cast<void*>(storage_)) Tool(Tool::in_guest_make(config));
      else
        tool_ = ::new (static_cast<void*>(storage_)) Tool();
    } catch (...) {
      handler_threw();
    }
    const bool fresh = add_process(*proc.channel, proc.pid);
    snare::in_guest::hooks h;
    h.enter = &enter;
    h.exit = &exit;
    h.thread_start = &thread_start;
    h.process_start = &process_start;
    snare::in_guest::install_options options;
    options.interest = interest.data();
    options.refuse_i386 = true;  // as the other backends' seccomp filter refuses a foreign ABI
    auto installed = snare::in_guest::install(h, options);
    if (!installed) {
      say("snare: in_guest: Syscall User Dispatch refused in the guest: ");
      say(std::strerror(installed.error_number()));
      say_and_exit("\n");
    }
    // The handlers run here outside any hook, with the thread's selector at BLOCK: their own
    // calls (a global call's futex on the channel's lock, held) would trap into the hooks and
    // re-enter the tool. Let them through, as the hooks' calls are.
    const char selector = snare::in_guest::detail::tls.selector;
    snare::in_guest::detail::tls.selector = snare::in_guest::detail::selector_allow;
    guest_type g;
    try {
      // The constructor runs in an image just exec'd: a process new to the run (the root,
      // exec'd by the tracer's launch) starts, then execs, as the other backends tell it.
      if (fresh) {
        snare::engine::notify_process_start(*tool_, g);
        started_thread();
        snare::engine::notify_thread_start(*tool_, g);
      } else {
        // An exec: every other thread of the process ended with the old image, making no exit
        // call (the leader, when another thread exec'd): tell their ends, as unknown (the new
        // image cannot know which thread exec'd, nor their ids).
        tell_silent_ends(own_slot(), exit_status{}, 1);
      }
      snare::engine::notify_exec(*tool_, g);
    } catch (...) {
      handler_threw();
    }
    snare::in_guest::detail::tls.selector = selector;
    return true;
  }

  /// Ends the process (127) with a message: the object has no tool the run names.
  [[noreturn]] static void no_such_tool() noexcept {
    say_and_exit(
        "snare: in_guest: the tool object has no tool of the run's tool type (typeid names differ: "
        "build the object from the tracer's tool type)\n");
  }

 private:
  static constexpr long x32_bit = 0x40000000;  // __X32_SYSCALL_BIT

  static bool enter(snare::in_guest::syscall_frame& f) noexcept {
    if (snare::detail::in_guest::current_process.untraced) return true;
    const long nr = f.nr;
    if ((nr & x32_bit) != 0) {
      // An x32 call: refused, as the other backends' seccomp filter refuses it, so that a
      // subscription cannot be bypassed through that ABI.
      f.ret = -ENOSYS;
      return false;
    }
    const bool forks = starts_process(f);
    if (shares_memory_with_child(f)) {
      // vfork, posix_spawn: the child runs in this very memory (and on this thread's TLS)
      // until it execs or exits; keep this process's identity and states to put back.
      agent_tls.vfork = {true, snare::detail::in_guest::current_process,
                         snare::detail::in_guest::current_thread};
    }
    if (nr == SYS_wait4 || nr == SYS_waitid) watch_wait(f);
    if constexpr (inherits_from_parent<thread_state_t<Tool>>) {
      // A new thread's state is built from this thread's (its creator's) now, and carried to
      // it by the call (creator_word() at its start).
      if (creates_thread(f)) {
        guest_type me(&f);
        try {
          agent_tls.pending_thread = new thread_state_t<Tool>(from_parent, me.thread_state());
        } catch (...) {
          handler_threw();
        }
        snare::in_guest::set_child_word(reinterpret_cast<std::uint64_t>(agent_tls.pending_thread));
      }
    }
    if (nr >= 0 && subscription.entry.contains(nr)) {
      guest_type g(&f);
      sys::raw_args args;
      for (std::size_t i = 0; i < 6; ++i) args[i] = static_cast<std::uint64_t>(f.args[i]);
      action a;
      try {
        a = dispatch_type::on_entry(*tool_, g, nr, args);
      } catch (...) {
        handler_threw();
      }
      if (a.what() == action::kind::suppress) {
        f.ret = a.value();
        return false;
      }
      if (!g.tail_injected())
        for (std::size_t i = 0; i < 6; ++i) f.args[i] = static_cast<long>(args[i]);
    }
    if (f.nr == SYS_execve || f.nr == SYS_execveat) note_untraced_exec(f);
    // The ends after the call's own handler, as the other backends order them (its process
    // state edits seen at on_process_exit), and of the call that runs (a tail_inject's code).
    if (f.nr == SYS_exit || f.nr == SYS_exit_group) ending(f);
    // The child of a fork must not inherit the heap's lock held by another thread: hold it
    // across the fork (as pthread_atfork does); exit and process_start let it go.
    if (forks) snare::detail::in_guest::heap::lock_for_fork();
    return true;
  }

  // An exec whose new image will not load the tool object (a static, 32-bit or set-ID
  // executable: exec_check.hpp) leaves the process untraced from there on: say so to the user
  // through the tracer (a notice on its stderr), since the process cannot tell it later.
  static void note_untraced_exec(const snare::in_guest::syscall_frame& f) noexcept {
    auto* c = snare::detail::in_guest::current_process.channel;
    if (c == nullptr) return;
    const bool at = f.nr == SYS_execveat;
    const int dirfd = at ? static_cast<int>(f.args[0]) : AT_FDCWD;
    const int flags = at ? static_cast<int>(f.args[4]) : 0;
    // The path is guest memory: copied with process_vm_readv (a bad pointer is the exec's
    // own EFAULT, not a fault here).
    char path[4096];
    iovec local{path, sizeof path - 1};
    iovec remote{reinterpret_cast<void*>(f.args[at ? 1 : 0]), sizeof path - 1};
    const ssize_t got = ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0);
    if (got <= 0) return;
    path[got] = '\0';
    if (std::memchr(path, '\0', static_cast<std::size_t>(got)) == nullptr) return;  // ENAMETOOLONG
    const bool empty = path[0] == '\0' && (flags & AT_EMPTY_PATH) != 0;
    if (!empty && ::faccessat(dirfd, path, X_OK, AT_EACCESS) != 0) return;  // the exec fails
    const auto why = snare::detail::in_guest::untraced_exec(dirfd, path, flags);
    if (!why) return;
    char line[4096 + 512];
    std::size_t n = 0;
    auto put = [&](const char* s) {
      for (; *s != '\0' && n < sizeof line - 2; ++s) line[n++] = *s;
    };
    char pid[16];
    int d = 0;
    for (unsigned long v = static_cast<unsigned long>(::getpid()); d == 0 || v != 0; v /= 10)
      pid[d++] = static_cast<char>('0' + v % 10);
    char pid_text[16];
    for (int i = 0; i < d; ++i) pid_text[i] = pid[d - 1 - i];
    pid_text[d] = '\0';
    put("snare: in_guest: process ");
    put(pid_text);
    put(" execs '");
    put(empty ? "(fd)" : path);
    put("', ");
    put(snare::detail::in_guest::describe(*why));
    put(": it runs on untraced\n");
    // Asynchronous signals wait for the round trip, as a global call's do (guest.hpp).
    std::uint64_t all = ~std::uint64_t{0}, old = 0;
    for (int sig : {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
      all &= ~(std::uint64_t{1} << (sig - 1));
    snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&all),
                                       reinterpret_cast<long>(&old), 8);
    snare::detail::in_guest::call_tracer(*c, snare::detail::in_guest::notice_offset, line, n, nullptr, 0, {});
    snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&old), 0, 8);
  }

  static void exit(snare::in_guest::syscall_frame& f) noexcept {
    const long nr = f.nr;
    if (snare::detail::in_guest::current_process.untraced) {
      // A vfork child not followed marked the memory it shares with this parent untraced:
      // the parent's own identity and states (untraced false) come back here.
      if ((nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3) && agent_tls.vfork.active)
        back_from_vfork();
      return;
    }
    // Not from the frame's flags: the runtime may have run clone3 with a copy of its
    // arguments. The heap's lock is let go only if this thread took it for this fork.
    if (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3) {
      // A thread's state built for a child that never started (the call failed) is ours to free.
      if (auto* p = std::exchange(agent_tls.pending_thread, nullptr); p && f.ret < 0) {
        snare::in_guest::set_child_word(0);
        delete static_cast<thread_state_t<Tool>*>(p);
      }
      snare::detail::in_guest::heap::unlock_after_fork();
      if (agent_tls.vfork.active) back_from_vfork();
    }
    if (nr == SYS_wait4 || nr == SYS_waitid) reaped(f);
    if (nr < 0 || !subscription.exit.contains(nr)) return;
    guest_type g(&f);
    sys::raw_args args;
    for (std::size_t i = 0; i < 6; ++i) args[i] = static_cast<std::uint64_t>(f.args[i]);
    try {
      f.ret = dispatch_type::on_exit(*tool_, g, nr, args, f.ret);
    } catch (...) {
      handler_threw();
    }
  }

  static void thread_start() noexcept {
    using namespace snare::detail::in_guest;
    if (current_process.untraced) return;
    current_thread = {};
    // Built by the creator from its own (enter, creates_thread); null when it builds none.
    current_thread.state = reinterpret_cast<void*>(snare::in_guest::creator_word());
    guest_type g;
    try {
      started_thread();
      snare::engine::notify_thread_start(*tool_, g);
    } catch (...) {
      handler_threw();
    }
  }

  static void process_start() noexcept {
    using namespace snare::detail::in_guest;
    const bool shared = agent_tls.vfork.active;  // a vfork child: the parent's memory, left as it is
    auto& proc = current_process;
    if (proc.untraced) return;
    if (!shared) heap::after_fork_in_child();
    proc.pid = static_cast<pid_t>(::syscall(SYS_getpid));
    if (proc.channel && proc.channel->follow_forks == 0) {
      // Not followed (run_options::follow_forks off): the child runs untraced, its hooks
      // do nothing (a vfork child's flag is its parent's, put back at the parent's return).
      proc.untraced = true;
      return;
    }
    // The forking thread's state is the parent's (a copy, or the parent's own after vfork):
    // this process's only thread starts fresh.
    auto* thread = static_cast<thread_state_t<Tool>*>(std::exchange(current_thread.state, nullptr));
    if (!shared) delete thread;
    current_thread.tid = 0;
    using process_state = process_state_t<Tool>;
    auto* parent = static_cast<process_state*>(std::exchange(proc.state, nullptr));
    guest_type g;
    try {
      if constexpr (inherits_from_parent<process_state>) {
        if (parent) proc.state = new process_state(from_parent, *parent);
      }
      if (!shared) delete parent;
      if (proc.channel) add_process(*proc.channel, proc.pid);
      snare::engine::notify_process_start(*tool_, g);
      started_thread();
      snare::engine::notify_thread_start(*tool_, g);
    } catch (...) {
      handler_threw();
    }
  }

  // exit (the thread) or exit_group (the process) is about to run: tell the tool, for the
  // guest sees no more of this thread. Not reached for a death by a signal (the tracer's wait).
  static void ending(const snare::in_guest::syscall_frame& f) noexcept {
    using namespace snare::detail::in_guest;
    guest_type g;
    const auto end = exit_status::exited(static_cast<int>(f.args[0] & 0xff));
    process_slot* slot = own_slot();
    // Uncounted first: an exit_group of another thread meanwhile does not tell this end again.
    if (slot) slot->threads.fetch_sub(1, std::memory_order_acq_rel);
    try {
      snare::engine::notify_thread_exit(*tool_, end, g);
      if (f.nr == SYS_exit_group) {
        // The process's other threads end with it, making no exit call of their own.
        tell_silent_ends(slot, end, 0);
        snare::engine::notify_process_exit(*tool_, static_cast<int>((f.args[0] & 0xff) << 8), g);
        if (slot) slot->told_end.store(1, std::memory_order_release);
      }
    } catch (...) {
      handler_threw();
    }
    if (f.nr == SYS_exit)
      delete static_cast<thread_state_t<Tool>*>(std::exchange(current_thread.state, nullptr));
  }

  // The status a wait4/waitid gives: the guest's own buffer, or ours when it passed none
  // (restored before it sees the result), so that a child's death by a signal is learnt by
  // the parent that reaps it (the tracer only reaps orphans): agent_tls.watch.
  static void watch_wait(snare::in_guest::syscall_frame& f) noexcept {
    const int at = f.nr == SYS_wait4 ? 1 : 2;
    agent_tls.watch.nr = f.nr;
    agent_tls.watch.original = f.args[at];
    if (f.args[at] == 0)
      f.args[at] = f.nr == SYS_wait4 ? reinterpret_cast<long>(&agent_tls.watch.status)
                                     : reinterpret_cast<long>(&agent_tls.watch.info);
  }

  static void reaped(snare::in_guest::syscall_frame& f) noexcept {
    using namespace snare::detail::in_guest;
    const int at = f.nr == SYS_wait4 ? 1 : 2;
    if (agent_tls.watch.nr != f.nr) return;
    agent_tls.watch.nr = 0;
    const long used = f.args[at];
    f.args[at] = agent_tls.watch.original;
    if (current_process.channel == nullptr) return;
    pid_t pid = 0;
    int status = 0;
    guest_type me;
    if (f.nr == SYS_wait4) {
      if (f.ret <= 0 || used == 0) return;
      auto st = me.read(guest_ptr<int>{static_cast<std::uint64_t>(used)});
      if (!st) return;
      pid = static_cast<pid_t>(f.ret);
      status = *st;
    } else {
      if (f.ret != 0 || used == 0 || (f.args[3] & WNOWAIT) != 0) return;
      auto si = me.read(guest_ptr<siginfo_t>{static_cast<std::uint64_t>(used)});
      if (!si || si->si_pid == 0 || (si->si_code != CLD_KILLED && si->si_code != CLD_DUMPED)) return;
      pid = si->si_pid;
      status = (si->si_status & 0x7f) | (si->si_code == CLD_DUMPED ? 0x80 : 0);
    }
    if (!WIFSIGNALED(status)) return;
    process_slot* slot = find_process(*current_process.channel, pid);
    if (slot == nullptr || slot->told_end.exchange(1, std::memory_order_acq_rel) != 0) return;
    auto g = guest_type::ended(pid);
    try {
      for (int n = slot->threads.exchange(0, std::memory_order_acq_rel); n > 0; --n)
        snare::engine::notify_thread_exit(*tool_, status, g);
      snare::engine::notify_process_exit(*tool_, status, g);
    } catch (...) {
      handler_threw();
    }
  }

  // What a vfork's parent puts back once its child has exec'd or ended (the child ran on the
  // parent's memory and on this thread's TLS): agent_tls.vfork.
  static void back_from_vfork() noexcept {
    using namespace snare::detail::in_guest;
    // The states the child made (if it did not exec, its objects are in this heap).
    if (current_process.state != agent_tls.vfork.process.state)
      delete static_cast<process_state_t<Tool>*>(current_process.state);
    if (current_thread.state != agent_tls.vfork.thread.state)
      delete static_cast<thread_state_t<Tool>*>(current_thread.state);
    current_process = agent_tls.vfork.process;
    current_thread = agent_tls.vfork.thread;
    agent_tls.vfork.active = false;
  }

  // vfork, or clone/clone3 making a process that shares this memory (CLONE_VM, not a thread).
  static bool shares_memory_with_child(const snare::in_guest::syscall_frame& f) noexcept {
    if (f.nr == SYS_vfork) return true;
    std::uint64_t flags = 0;
    if (f.nr == SYS_clone) {
      flags = static_cast<std::uint64_t>(f.args[0]);
    } else if (f.nr == SYS_clone3) {
      guest_type g;
      auto r = g.read(guest_ptr<std::uint64_t>{static_cast<std::uint64_t>(f.args[0])});
      if (!r) return false;
      flags = *r;
    } else {
      return false;
    }
    return (flags & CLONE_VM) != 0 && (flags & CLONE_THREAD) == 0;
  }

  // clone/clone3 making a thread of this process (CLONE_THREAD).
  static bool creates_thread(const snare::in_guest::syscall_frame& f) noexcept {
    if (f.nr == SYS_clone) return (static_cast<unsigned long>(f.args[0]) & CLONE_THREAD) != 0;
    if (f.nr != SYS_clone3) return false;
    guest_type g;
    auto flags = g.read(guest_ptr<std::uint64_t>{static_cast<std::uint64_t>(f.args[0])});
    return flags && (*flags & CLONE_THREAD) != 0;
  }

  // fork, vfork, or clone/clone3 making a process (not a thread) sharing nothing.
  static bool starts_process(const snare::in_guest::syscall_frame& f) noexcept {
    if (f.nr == SYS_fork) return true;
    if (f.nr == SYS_clone) return (static_cast<unsigned long>(f.args[0]) & (CLONE_VM | CLONE_THREAD)) == 0;
    if (f.nr == SYS_clone3) {
      // struct clone_args starts with its flags (u64); our own memory, so readable when valid.
      std::uint64_t flags = 0;
      guest_type g;
      if (!g.read(guest_ptr<std::uint64_t>{static_cast<std::uint64_t>(f.args[0])}).has_value()) return false;
      flags = *g.read(guest_ptr<std::uint64_t>{static_cast<std::uint64_t>(f.args[0])});
      return (flags & (CLONE_VM | CLONE_THREAD)) == 0;
    }
    return false;
  }

  // This process's entry in the channel's table (null outside a run, or past its size).
  static snare::detail::in_guest::process_slot* own_slot() noexcept {
    using namespace snare::detail::in_guest;
    return current_process.channel ? find_process(*current_process.channel, current_process.pid) : nullptr;
  }
  // A thread of this process told started: counted, so that ends it cannot tell are told.
  static void started_thread() noexcept {
    if (auto* slot = own_slot()) slot->threads.fetch_add(1, std::memory_order_acq_rel);
  }
  // Tells the ends of the threads of this process that ended without an exit call, all but
  // `keep` of those counted, with a handle naming the process (their ids are not known here).
  static void tell_silent_ends(snare::detail::in_guest::process_slot* slot, exit_status end, int keep) {
    if (slot == nullptr) return;
    auto g = guest_type::ended(snare::detail::in_guest::current_process.pid);
    for (int n = slot->threads.exchange(keep, std::memory_order_acq_rel) - keep; n > 0; --n)
      snare::engine::notify_thread_exit(*tool_, end, g);
  }

  // Leaves `what` in the channel (the first handler to throw in the run wins): the tracer
  // rethrows it from run() as std::runtime_error and ends the other processes (engine.hpp).
  static void tell_tracer_threw(const char* what) noexcept {
    auto* c = snare::detail::in_guest::current_process.channel;
    if (c == nullptr) return;
    std::uint32_t none = 0;
    if (!c->threw.compare_exchange_strong(none, 2, std::memory_order_acq_rel)) return;
    std::strncpy(c->thrown, what, sizeof c->thrown - 1);
    c->threw.store(1, std::memory_order_release);  // 2 while writing: the tracer waits for 1
  }

  static void say(const char* m) noexcept {
    snare::in_guest::untrapped_syscall(SYS_write, 2, reinterpret_cast<long>(m),
                                       static_cast<long>(std::strlen(m)));
  }
  [[noreturn]] static void say_and_exit(const char* m) noexcept {
    say(m);
    snare::in_guest::untrapped_syscall(SYS_exit_group, 127);
    __builtin_unreachable();
  }
  // A handler's exception cannot cross the guest's code: say which, and end the process
  // with SIGABRT (the tracer reports the death as any other).
  [[noreturn]] static void handler_threw() noexcept {
    say("snare: in_guest: a handler threw");
    try {
      throw;
    } catch (const std::exception& e) {
      say(": ");
      say(e.what());
      tell_tracer_threw(e.what());
    } catch (...) {
      tell_tracer_threw("a handler threw an exception that is no std::exception");
    }
    say("\n");
    snare::in_guest::untrapped_syscall(SYS_kill, static_cast<long>(::syscall(SYS_getpid)), SIGABRT);
    snare::in_guest::untrapped_syscall(SYS_exit_group, 134);
    __builtin_unreachable();
  }

  alignas(Tool) static inline unsigned char storage_[sizeof(Tool)];
  static inline Tool* tool_ = nullptr;
};

/// Starts, in this guest process, the one of Tools that the run's tracer runs (the object of
/// several tools, SNARE_IN_GUEST_TOOLS); ends the process with a message when none is.
template <class First, class... Rest>
void start_one_of(void* anchor) noexcept {
  if (agent<First>::start(anchor, true) || (agent<Rest>::start(anchor, true) || ...)) return;
  agent<First>::no_such_tool();
}

}  // namespace snare::backend::in_guest_detail

/// Makes this shared object the guest side of `ToolType` on the in_guest backend: the tool
/// is built in each guest process before main (ToolType::in_guest_make(config) when it has
/// it, else value-initialised), and its handlers run in the guest's threads. Use once, in a
/// source file of a library built with snare_add_in_guest_tool (cmake/SnareInGuest.cmake).
#define SNARE_IN_GUEST_TOOL(ToolType)                                                       \
  extern "C" [[gnu::visibility("default"), gnu::used]] const char snare_in_guest_anchor[] = \
      "snare in_guest tool object";                                                         \
  [[gnu::constructor(101)]] static void snare_in_guest_start_tool() {                       \
    ::snare::backend::in_guest_detail::agent<ToolType>::start(                              \
        const_cast<char*>(static_cast<const char*>(snare_in_guest_anchor)));                \
  }                                                                                         \
  SNARE_IN_GUEST_HEAP_DEFINITIONS

/// Makes this shared object the guest side of each of the tool types listed (an object that
/// serves several tracers' tools, e.g. a test suite's): each guest process builds the one the
/// run's tracer runs (named in the channel by typeid), as SNARE_IN_GUEST_TOOL does for one.
#define SNARE_IN_GUEST_TOOLS(...)                                                           \
  extern "C" [[gnu::visibility("default"), gnu::used]] const char snare_in_guest_anchor[] = \
      "snare in_guest tool object";                                                         \
  [[gnu::constructor(101)]] static void snare_in_guest_start_tool() {                       \
    ::snare::backend::in_guest_detail::start_one_of<__VA_ARGS__>(                           \
        const_cast<char*>(static_cast<const char*>(snare_in_guest_anchor)));                \
  }                                                                                         \
  SNARE_IN_GUEST_HEAP_DEFINITIONS
