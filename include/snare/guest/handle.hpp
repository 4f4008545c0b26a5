// Defines what a handler may do with the guest: the guest_handle concept, the common base
// backends build their handle on (typed reads, state, suppress/fail, capability checks, the
// guest's facts: parent, main thread, root process, auxiliary vector), and the message-call
// reference to global state.
#pragma once

#include <sys/types.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include <snare/guest/auxv.hpp>
#include <snare/memory.hpp>
#include <snare/result.hpp>
#include <snare/sys/call.hpp>
#include <snare/tool/action.hpp>
#include <snare/tool/capability.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/state.hpp>

namespace snare {

/// What a handler waits for in wait_until: its predicate, type-erased (it lives on the
/// handler's fiber stack while the handler waits). Engines test it after each event.
struct wait_condition {
  bool (*test)(void*) = nullptr;
  void* ctx = nullptr;
  bool operator()() const { return test(ctx); }
  explicit operator bool() const noexcept { return test != nullptr; }
};

/// The guest thread a call on the global state comes from (Reverie's `receive_rpc(from, ..)`).
struct global_caller {
  pid_t pid = 0;  ///< its process id
  pid_t tid = 0;  ///< its thread id
  friend constexpr bool operator==(const global_caller&, const global_caller&) = default;
};

/// A reference to the run's global state, reached through message calls so that tool code
/// keeps working when the handler runs in another address space (an in-guest backend).
/// For in-process backends a call is a direct function call.
template <class State>
class global_ref {
 public:
  global_ref(State& s, global_caller from) noexcept : state_(&s), from_(from) {}
  /// Calls `f(state, caller)` when f takes the calling thread (a snare::global_caller), else
  /// `f(state)`, and returns what it returns. Keep `f` free of references into the guest
  /// handler's stack if the tool must run on an in-guest backend.
  template <class F>
  decltype(auto) call(F&& f) const {
    if constexpr (std::is_invocable_v<F, State&, const global_caller&>)
      return std::forward<F>(f)(*state_, from_);
    else
      return std::forward<F>(f)(*state_);
  }
  /// Returns the thread whose handler holds this reference.
  const global_caller& caller() const noexcept { return from_; }

 private:
  State* state_;
  global_caller from_;
};

/// Satisfied by a backend's guest handle: what every handler may use whatever the backend.
/// Operations whose capability the backend lacks fail to compile when used.
template <class G>
concept guest_handle = guest_memory<G> && requires(G& g, const G& cg, long v, int e) {
  { cg.pid() } -> std::same_as<pid_t>;
  { cg.tid() } -> std::same_as<pid_t>;
  g.suppress(v);
  g.fail(e);
  g.thread_state();
  g.process_state();
  g.global();
};

/// The base of a backend's guest handle (CRTP). Derived provides, all noexcept:
///   pid_t pid() const; pid_t tid() const;
///   result<std::size_t> do_read_bytes(std::uint64_t, std::span<std::byte>);
///   result<std::size_t> do_write_bytes(std::uint64_t, std::span<const std::byte>);
///   result<long> do_inject(const sys::raw_call&);      // only if Backend::can_inject
///   result<void> do_tail_inject(const sys::raw_call&); // only if Backend::can_inject
///   thread_state_t<Tool>& do_thread_state(); process_state_t<Tool>& do_process_state();
///   global_state_t<Tool>& do_global_state();
/// and, used only by the guest facts a tool asks for (a backend lacking one fails to compile
/// where the tool uses it):
///   std::optional<pid_t> do_ppid() const; bool do_is_root_process() const;
///   result<auxv_table> do_auxv() const; result<void> do_wait(wait_condition);
/// and may add backend-specific operations (registers, backtrace).
template <class Derived, class Backend, class Tool>
class guest_base {
 public:
  using backend_type = Backend;
  using tool_type = Tool;

  /// Reads up to out.size() bytes at `address`; returns the count read, bad_address when
  /// nothing is readable. Never crashes on a bad address.
  result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    require_capability<Backend, capability::can_read_memory>();
    return self().do_read_bytes(address, out);
  }
  /// Writes `in` at `address`; returns the count written, bad_address when nothing is.
  result<std::size_t> write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    require_capability<Backend, capability::can_write_memory>();
    return self().do_write_bytes(address, in);
  }
  /// Reads one T at `p`; bad_address when not all of it is readable.
  template <class T>
  requires std::is_trivially_copyable_v<T> result<T> read(guest_ptr<T> p)
  noexcept { return snare::read(self(), p); }
  /// Reads the C string at `s` (at most `max` bytes); bad_address when unreadable.
  result<std::string> read_cstr(guest_cstr s, std::size_t max = SNARE_MAX_GUEST_STRING) noexcept {
    return snare::read_cstr(self(), s, max);
  }
  /// Writes one T at `p`; bad_address when not all of it could be written.
  template <class T>
  requires std::is_trivially_copyable_v<T> result<void> write(guest_ptr<T> p, const T& value)
  noexcept {
    auto n = write_bytes(p.address, std::as_bytes(std::span<const T, 1>(&value, 1)));
    if (!n) return n.error();
    if (*n != sizeof(T)) return std::errc::bad_address;
    return {};
  }

  /// Runs `call` (a typed call, snare::unknown_call or sys::raw_call) in this guest thread
  /// now and returns its raw result (a negative errno value when it fails in the guest).
  /// While it runs, other guest threads are served; signals for this thread are held back
  /// until the handler ends (an interrupted call is run again). Only syscall handlers may
  /// inject. Errors: operation_not_supported outside a syscall handler, no_such_process
  /// when the thread died meanwhile (SIGKILL).
  template <class Call>
  result<long> inject(const Call& call) noexcept {
    require_capability<Backend, capability::can_inject>();
    return self().do_inject(to_raw(call));
  }
  /// Replaces the current call by `call`: it runs instead, the guest sees its result.
  template <class Call>
  result<void> tail_inject(const Call& call) noexcept {
    require_capability<Backend, capability::can_inject>();
    return self().do_tail_inject(to_raw(call));
  }
  /// Skips the current call; the guest sees `value` as its return value.
  void suppress(long value) noexcept { action_ = snare::suppress(value); }
  /// Skips the current call; the guest sees the error `err` (-err in the register).
  void fail(int err) noexcept { action_ = snare::fail(err); }

  /// Returns this thread's, this process's state; the run's global state by message call.
  thread_state_t<Tool>& thread_state() noexcept { return self().do_thread_state(); }
  process_state_t<Tool>& process_state() noexcept { return self().do_process_state(); }
  global_ref<global_state_t<Tool>> global() noexcept {
    return global_ref<global_state_t<Tool>>(self().do_global_state(), {self().pid(), self().tid()});
  }

  /// Suspends the handler until `pred()` is true, while the engine serves the other guest
  /// threads; this thread stays stopped where it is. The engine tests `pred` after each event
  /// it serves, so it must become true through another handler (a scheduler's turn in the
  /// global state, a message another thread left). Returns at once when it already is.
  /// Errors: operation_not_supported where the handler does not run on a fiber;
  /// no_such_process when the thread died meanwhile. The ptrace engine throws
  /// std::runtime_error from run() when every guest thread it knows waits (none can wake).
  /// On every backend (hypercall: the vCPU gives up the run's lock while it waits).
  template <class Pred, class D = Derived>
  requires requires(D& d, wait_condition c) { d.do_wait(c); }
  result<void> wait_until(Pred&& pred) {
    if (pred()) return {};
    using P = std::remove_reference_t<Pred>;
    return self().do_wait(wait_condition{[](void* p) { return static_cast<bool>((*static_cast<P*>(p))()); },
                                         const_cast<void*>(static_cast<const void*>(&pred))});
  }

  /// Says whether this thread is its process's main thread (the thread-group leader: its
  /// tid is the pid).
  bool is_main_thread() const noexcept { return cself().pid() == cself().tid(); }
  /// Returns the id of the parent process when the parent is a process of this run; nullopt
  /// for the run's first process and for one whose parent is outside the run (an orphan
  /// reparented to a reaper, proc(5) PPid).
  std::optional<pid_t> ppid() const noexcept { return cself().do_ppid(); }
  /// Says whether this thread's process is the run's first process (the command started,
  /// before and after it execs).
  bool is_root_process() const noexcept { return cself().do_is_root_process(); }
  /// Says whether this is the main thread of the root process.
  bool is_root_thread() const noexcept { return is_root_process() && is_main_thread(); }
  /// Returns the process's auxiliary vector as its image got it at exec (getauxval(3),
  /// proc(5) /proc/pid/auxv): AT_RANDOM's address, AT_SYSINFO_EHDR, ... Errors:
  /// no_such_process when the process is gone, operation_not_supported on a backend that
  /// cannot read it.
  result<auxv_table> auxv() const { return cself().do_auxv(); }

  /// Returns the action set by suppress/fail (engines read it after the handler).
  action pending_action() const noexcept { return action_; }
  void reset_action() noexcept { action_ = proceed(); }

 protected:
  guest_base() = default;

 private:
  template <class Call>
  static sys::raw_call to_raw(const Call& c) noexcept {
    if constexpr (std::is_same_v<Call, sys::raw_call>)
      return c;
    else
      return c.to_raw();
  }
  Derived& self() noexcept { return static_cast<Derived&>(*this); }
  const Derived& cself() const noexcept { return static_cast<const Derived&>(*this); }
  action action_{};
};

}  // namespace snare
