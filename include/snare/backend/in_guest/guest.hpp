// Defines the guest handle of the in_guest backend (what a handler receives inside the guest
// thread that made the call) and remote_global, its g.global(): a message call to the tracer
// that runs the function object on the run's global state there.
#pragma once

#include <dlfcn.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include <snare/backend/in_guest/channel.hpp>
#include <snare/backend/in_guest/policy.hpp>
#include <snare/backend/in_guest/runtime/hooks.hpp>
#include <snare/backend/in_guest/runtime/runtime.hpp>  // untrapped_syscall
#include <snare/guest/auxv.hpp>
#include <snare/guest/handle.hpp>
#include <snare/guest/stack.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>
#include <snare/tool/state.hpp>

namespace snare::detail::in_guest {

/// What each guest thread keeps (initial-exec TLS: no allocation, no lazy TLS lookup): its
/// id and its state (built on first use, from the object's private heap).
struct thread_slot {
  pid_t tid = 0;
  void* state = nullptr;
};
[[gnu::tls_model("initial-exec")]] inline thread_local thread_slot current_thread{};

/// What each guest process keeps: its id, the channel, where the tool's object is loaded,
/// its state, and the root process's id.
struct process_globals {
  pid_t pid = 0;
  channel_page* channel = nullptr;
  std::uintptr_t object_base = 0;
  void* state = nullptr;
  bool untraced = false;  // a process the run does not follow (follow_forks off): hooks do nothing
};
inline process_globals current_process{};

/// In the tracer: the run's global state and the channel whose lock serialises it with the
/// guests' calls, for the handlers the tracer runs itself (ends the guest cannot tell).
struct tracer_globals {
  void* state = nullptr;
  channel_page* channel = nullptr;
};
inline tracer_globals tracer_side{};

/// Returns this thread's id, asked of the kernel once per thread.
inline pid_t self_tid() noexcept {
  if (current_thread.tid == 0)
    current_thread.tid = static_cast<pid_t>(snare::in_guest::untrapped_syscall(SYS_gettid));
  return current_thread.tid;
}

/// Runs the function object at `f` (an Fn) on the global state at `state` and writes its
/// result at `ret`: the code the tracer reaches at the offset the guest sends.
template <class State, class Fn>
int global_thunk_of(void* state, const void* f, const global_caller* from, void* ret) noexcept {
  alignas(Fn) unsigned char buf[sizeof(Fn)];
  std::memcpy(buf, f, sizeof(Fn));
  Fn& fn = *std::launder(reinterpret_cast<Fn*>(buf));
  State& s = *static_cast<State*>(state);
  try {
    if constexpr (std::is_invocable_v<Fn&, State&, const global_caller&>) {
      using R = std::invoke_result_t<Fn&, State&, const global_caller&>;
      if constexpr (std::is_void_v<R>) {
        fn(s, *from);
      } else {
        R r = fn(s, *from);
        std::memcpy(ret, &r, sizeof(R));
      }
    } else {
      using R = std::invoke_result_t<Fn&, State&>;
      if constexpr (std::is_void_v<R>) {
        fn(s);
      } else {
        R r = fn(s);
        std::memcpy(ret, &r, sizeof(R));
      }
    }
  } catch (...) {
    return 1;
  }
  return 0;
}

}  // namespace snare::detail::in_guest

namespace snare::backend::in_guest_detail {

/// g.global() on the in_guest backend: call(f) sends f's bytes to the tracer, which runs f
/// on the run's global state (the tracer's object, the one tracer::global_state() returns)
/// and sends back its result. One call at a time across the whole guest, in order.
/// f and its result must be trivially copyable (checked), and f must not point into the
/// guest: capture by value, never by reference (a `[&]` capture compiles and points into
/// the guest's stack, which the tracer cannot see). Failure (the tracer gone, f threw
/// there) ends the guest process with a message: there is no value to return.
template <class State>
class remote_global {
 public:
  explicit remote_global(global_caller from) noexcept : from_(from) {}
  template <class F>
  auto call(F&& f) const {
    using Fn = std::remove_cvref_t<F>;
    static_assert(
        std::is_trivially_copyable_v<Fn>,
        "snare: on the in_guest backend, g.global().call(f) copies f to the tracer process: f must be "
        "trivially copyable (capture numbers and fixed arrays by value, not std::string or containers)");
    static_assert(sizeof(Fn) <= snare::detail::in_guest::max_call_bytes,
                  "snare: on the in_guest backend, g.global().call(f) carries at most 8192 bytes of f");
    constexpr bool with_caller = std::is_invocable_v<Fn&, State&, const global_caller&>;
    using R = typename result_of<Fn, with_caller>::type;
    static_assert(
        !std::is_reference_v<R>,
        "snare: on the in_guest backend, g.global().call(f) returns by value: f must not return a reference");
    static_assert(
        sendable<R>,
        "snare: on the in_guest backend, g.global().call(f)'s result crosses to the guest: it must be "
        "trivially copyable and at most 8192 bytes");
    auto& proc = snare::detail::in_guest::current_process;
    const auto thunk = &snare::detail::in_guest::global_thunk_of<State, Fn>;
    const auto offset = reinterpret_cast<std::uintptr_t>(thunk) - proc.object_base;
    if constexpr (std::is_void_v<R>) {
      finish(send<Fn>(offset, &f, sizeof(Fn), nullptr, 0));
    } else {
      alignas(R) unsigned char buf[sizeof(R)];
      finish(send<Fn>(offset, &f, sizeof(Fn), buf, sizeof(R)));
      R r;
      std::memcpy(&r, buf, sizeof(R));
      return r;
    }
  }
  /// Returns the thread whose handler holds this reference.
  const global_caller& caller() const noexcept { return from_; }

 private:
  template <class R>
  static constexpr bool sendable = [] {
    if constexpr (std::is_void_v<R>)
      return true;
    else
      return std::is_trivially_copyable_v<R> && sizeof(R) <= snare::detail::in_guest::max_call_bytes;
  }();
  template <class Fn, bool WithCaller>
  struct result_of {
    using type = std::invoke_result_t<Fn&, State&, const global_caller&>;
  };
  template <class Fn>
  struct result_of<Fn, false> {
    using type = std::invoke_result_t<Fn&, State&>;
  };

  template <class Fn>
  int send(std::uintptr_t offset, const void* f, std::size_t n, void* ret, std::size_t rn) const noexcept {
    auto* c = snare::detail::in_guest::current_process.channel;
    if (c == nullptr) return local<Fn>(f, ret);
    // A guest's signal handler run in the middle (the runtime runs them with interception
    // on, also inside a hook) would call again while this thread holds the channel: block
    // the asynchronous signals for the round trip (the faults stay deliverable).
    std::uint64_t all = ~std::uint64_t{0}, old = 0;
    for (int sig : {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
      all &= ~(std::uint64_t{1} << (sig - 1));
    snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&all),
                                       reinterpret_cast<long>(&old), 8);
    int status = snare::detail::in_guest::call_tracer(*c, offset, f, n, ret, rn, from_);
    snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&old), 0, 8);
    return status;
  }
  // In the tracer (a handler it runs itself): the call is direct, under the channel's lock.
  template <class Fn>
  int local(const void* f, void* ret) const noexcept {
    auto& t = snare::detail::in_guest::tracer_side;
    if (t.state == nullptr || t.channel == nullptr) return -1;
    int r = ::pthread_mutex_lock(&t.channel->lock);
    if (r == EOWNERDEAD)
      ::pthread_mutex_consistent(&t.channel->lock);
    else if (r != 0)
      return -1;
    int status = snare::detail::in_guest::global_thunk_of<State, Fn>(t.state, f, &from_, ret);
    ::pthread_mutex_unlock(&t.channel->lock);
    return status;
  }
  static void finish(int status) noexcept {
    if (status == 0) return;
    static constexpr char gone[] = "snare: in_guest: the tracer is gone; g.global().call cannot be served\n";
    static constexpr char threw[] = "snare: in_guest: g.global().call's function threw in the tracer\n";
    const char* m = status == 1 ? threw : gone;
    snare::in_guest::untrapped_syscall(SYS_write, 2, reinterpret_cast<long>(m),
                                       static_cast<long>(std::strlen(m)));
    snare::in_guest::untrapped_syscall(SYS_exit_group, 127);
    __builtin_unreachable();
  }

  global_caller from_;
};

/// The guest handle of the in_guest backend: the trapping thread itself. Memory is this
/// process's own, read and written with process_vm_readv/writev on itself (a bad address is
/// EFAULT, never a fault); inject runs the call here and now, untrapped.
template <class Tool>
class guest : public guest_base<guest<Tool>, in_guest, Tool> {
 public:
  /// A handle for the call in `frame` (null for lifecycle events).
  explicit guest(snare::in_guest::syscall_frame* frame = nullptr) noexcept : frame_(frame) {}
  /// A handle the tracer makes for an end of process `pid` it learnt itself (killed by a
  /// signal): no memory, no call, a state of its own (the process's died with it).
  static guest ended(pid_t pid) noexcept {
    guest g;
    g.ended_ = pid;
    return g;
  }

  pid_t pid() const noexcept { return ended_ ? ended_ : snare::detail::in_guest::current_process.pid; }
  pid_t tid() const noexcept { return ended_ ? ended_ : snare::detail::in_guest::self_tid(); }

  /// g.global(): the run's global state in the tracer, by message call (remote_global).
  remote_global<global_state_t<Tool>> global() const noexcept {
    return remote_global<global_state_t<Tool>>({pid(), tid()});
  }

  /// Says whether the current call was replaced by tail_inject (the engine runs the frame).
  bool tail_injected() const noexcept { return tail_; }

  // guest_base's backend hooks.
  result<std::size_t> do_read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    if (ended_) return std::errc::no_such_process;
    if (out.empty()) return std::size_t{0};
    iovec local{out.data(), out.size()};
    iovec remote{reinterpret_cast<void*>(address), out.size()};
    return moved(snare::in_guest::untrapped_syscall(SYS_process_vm_readv, pid(),
                                                    reinterpret_cast<long>(&local), 1,
                                                    reinterpret_cast<long>(&remote), 1, 0));
  }
  result<std::size_t> do_write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    if (ended_) return std::errc::no_such_process;
    if (in.empty()) return std::size_t{0};
    iovec local{const_cast<std::byte*>(in.data()), in.size()};
    iovec remote{reinterpret_cast<void*>(address), in.size()};
    return moved(snare::in_guest::untrapped_syscall(SYS_process_vm_writev, pid(),
                                                    reinterpret_cast<long>(&local), 1,
                                                    reinterpret_cast<long>(&remote), 1, 0));
  }
  // Also from the start and exec handlers: they run in the thread itself, as a call's do.
  result<long> do_inject(const sys::raw_call& c) noexcept {
    if (ended_) return std::errc::no_such_process;
    const auto& a = c.args;
    // Signals for this thread are held back while the call runs (as snare::guest_base::inject
    // promises): a guest handler without SA_RESTART would otherwise make it fail with EINTR.
    // (Not around an injected rt_sigprocmask, whose mask the restore would undo.)
    std::uint64_t all = ~std::uint64_t{0}, old = 0;
    for (int sig : {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP})
      all &= ~(std::uint64_t{1} << (sig - 1));
    const bool hold = c.number != SYS_rt_sigprocmask;
    if (hold)
      snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&all),
                                         reinterpret_cast<long>(&old), 8);
    const long r = snare::in_guest::untrapped_syscall(
        c.number, static_cast<long>(a[0]), static_cast<long>(a[1]), static_cast<long>(a[2]),
        static_cast<long>(a[3]), static_cast<long>(a[4]), static_cast<long>(a[5]));
    if (hold)
      snare::in_guest::untrapped_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&old), 0, 8);
    return r;
  }
  result<void> do_tail_inject(const sys::raw_call& c) noexcept {
    if (frame_ == nullptr) return std::errc::operation_not_supported;
    frame_->nr = c.number;
    for (int i = 0; i < 6; ++i) frame_->args[i] = static_cast<long>(c.args[static_cast<std::size_t>(i)]);
    tail_ = true;
    return {};
  }
  thread_state_t<Tool>& do_thread_state() noexcept {
    if (ended_) return scratch<thread_state_t<Tool>>();
    auto& slot = snare::detail::in_guest::current_thread;
    if (slot.state == nullptr) slot.state = new thread_state_t<Tool>();
    return *static_cast<thread_state_t<Tool>*>(slot.state);
  }
  process_state_t<Tool>& do_process_state() noexcept {
    if (ended_) return scratch<process_state_t<Tool>>();
    auto& proc = snare::detail::in_guest::current_process;
    if (proc.state == nullptr) proc.state = new process_state_t<Tool>();
    return *static_cast<process_state_t<Tool>*>(proc.state);
  }
  /// Returns scratch memory for injected calls' pointers (snare::guest_stack): a buffer of
  /// this handle's, in the tool's heap (the handler runs on the guest's stack, whose memory
  /// below it the handler's own calls reuse), valid until the handler returns.
  guest_stack<guest> stack(std::size_t capacity = guest_stack<guest>::default_capacity) noexcept {
    scratch_.reset(new (std::nothrow) std::byte[capacity + guest_stack<guest>::red_zone + 16]);
    const auto top = scratch_ ? reinterpret_cast<std::uint64_t>(scratch_.get()) + capacity +
                                    guest_stack<guest>::red_zone + 16
                              : 0;
    return guest_stack<guest>(*this, top, scratch_ ? capacity : 0);
  }
  /// The parent when it is a process of this run (in the channel's table, not yet reaped);
  /// nullopt for the root and for an orphan reparented to a reaper.
  std::optional<pid_t> do_ppid() const noexcept {
    auto* c = snare::detail::in_guest::current_process.channel;
    if (ended_ || c == nullptr) return std::nullopt;
    const auto parent = static_cast<pid_t>(snare::in_guest::untrapped_syscall(SYS_getppid));
    if (parent <= 0 || snare::detail::in_guest::find_process(*c, parent) == nullptr) return std::nullopt;
    return parent;
  }
  /// The auxiliary vector the process's image got at exec (/proc/self/auxv).
  result<auxv_table> do_auxv() const {
    if (ended_) return std::errc::no_such_process;
    return snare::detail::read_process_auxv(pid());
  }
  bool do_is_root_process() const noexcept {
    auto* c = snare::detail::in_guest::current_process.channel;
    if (c == nullptr) c = snare::detail::in_guest::tracer_side.channel;
    return c != nullptr && c->root_pid.load(std::memory_order_relaxed) == pid();
  }

 private:
  static result<std::size_t> moved(long n) noexcept {
    if (n < 0) return result<std::size_t>::from_errno(static_cast<int>(-n));
    if (n == 0) return std::errc::bad_address;
    return static_cast<std::size_t>(n);
  }
  snare::in_guest::syscall_frame* frame_;
  std::unique_ptr<std::byte[]> scratch_;  // stack()'s memory
  bool tail_ = false;
  pid_t ended_ = 0;

  // The state a tracer-side handle gives (value-initialised again for each end told).
  template <class S>
  static S& scratch() {
    alignas(S) static unsigned char storage[sizeof(S)];
    static S* s = nullptr;
    if (s) s->~S();
    s = ::new (static_cast<void*>(storage)) S();
    return *s;
  }
};

}  // namespace snare::backend::in_guest_detail
