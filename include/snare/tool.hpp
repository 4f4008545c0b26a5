// Defines the tool model: what a tool is, which handlers it may define, what their return
// values mean, how it states its subscription, state and capability needs.
//
// A tool is a plain C++ type. Every handler is optional and found at compile time with
// `requires`; a tracer is specialised for exactly the handlers a tool defines. `Guest` below
// is the backend's guest handle type (a model of snare::guest_handle, see
// snare/guest/handle.hpp); write handlers with `auto& g` to keep one source for every backend.
//
// Syscall handlers (declare the return type: a deduced `auto` return cannot be detected):
//   void|snare::action on(sys::openat call, Guest& g);   // typed, at syscall entry
//   void|snare::action on(auto call, Guest& g);          // generic: every subscribed call;
//                                                        // typed for known numbers,
//                                                        // snare::unknown_call otherwise
//   void|long on_exit(sys::openat call, long ret, Guest& g);  // at syscall exit; returning a
//   void|long on_exit(auto call, long ret, Guest& g);         // long replaces the return value
// Take the call by reference (`sys::openat& call`) to change its arguments: changed
// arguments are written back to the guest before the call runs (needs can_modify_args).
//
// What an entry handler's end means:
//   - returns void / snare::proceed(): the call runs (with any changed arguments);
//   - g.suppress(v) or returns snare::suppress(v): the call does not run, the guest sees v;
//   - g.fail(errno) or returns snare::fail(errno): the call does not run, the guest sees
//     -errno (the libc wrapper sets errno);
//   - g.tail_inject(other): `other` runs instead of the call, the guest sees its result.
// g.inject(call) -> result<long> runs another syscall in the guest thread and returns its
// raw result (negative errno values included) once it is done: straight-line code, since
// the handler runs on a fiber of its own while every other guest thread keeps being served.
//
// Other events (all optional, all noexcept in spirit: an exception that leaves a handler is
// carried to the tracer's own stack and rethrown from snare::run):
//   void|snare::signal_action on_signal(int sig, Guest& g);  // deliver/suppress/replace
//   void on_thread_start(Guest& g);   void on_thread_exit(Guest& g);
//   void on_process_start(Guest& g);  void on_process_exit(int wait_status, Guest& g);
//   void on_exec(Guest& g);           // after a successful execve, in the new image
//   void on_rdtsc(snare::rdtsc_event& e, Guest& g);  // e holds the real value; may change it
//   void on_cpuid(snare::cpuid_event& e, Guest& g);  // e holds the real leaf; may change it
//
// Subscription: derived from the handlers (typed handlers subscribe their calls; a generic
// handler subscribes every call). State it explicitly with a member type:
//   using subscription = snare::syscalls<sys::openat, sys::read>;   // or snare::all_syscalls
// An explicit subscription wins: a generic handler then sees only those calls.
//
// State: `using thread_state = T;` (one T per guest thread, default-constructed when the
// thread starts), `using process_state = P;` (one per guest process),
// `using global_state = G;` (one per run, reached through a message call:
// `g.global().call([](G& s) { ... })`, direct for in-process backends, an RPC for a future
// in-guest backend). Handlers reach them as g.thread_state(), g.process_state(), g.global().
//
// Capabilities: a tool needing a capability the backend lacks does not compile; needs are
// derived from the handlers (on_exit: can_observe_exit, on_rdtsc: can_intercept_rdtsc, ...)
// and from guest operations used (g.inject: can_inject, ...), and may be stated explicitly:
//   using needs = snare::needs<snare::capability::can_add_fd>;
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include <snare/sys/call.hpp>

namespace snare {

/// What happens to a syscall after its entry handler returns.
class action {
 public:
  enum class kind : std::uint8_t { proceed, suppress };
  constexpr action() noexcept = default;
  /// Returns the kind of action.
  constexpr kind what() const noexcept { return kind_; }
  /// Returns the value the guest sees for a suppressed call.
  constexpr long value() const noexcept { return value_; }
  friend constexpr action proceed() noexcept;
  friend constexpr action suppress(long value) noexcept;
  friend constexpr bool operator==(action, action) = default;

 private:
  constexpr action(kind k, long v) noexcept : kind_(k), value_(v) {}
  kind kind_ = kind::proceed;
  long value_ = 0;
};

/// Returns the action that lets the call run (the default).
constexpr action proceed() noexcept { return {}; }
/// Returns the action that skips the call; the guest sees `value` as its return value.
constexpr action suppress(long value) noexcept { return {action::kind::suppress, value}; }
/// Returns the action that skips the call; the guest sees -err (errno `err`).
constexpr action fail(int err) noexcept { return suppress(-static_cast<long>(err)); }

/// What happens to a signal after on_signal returns.
class signal_action {
 public:
  constexpr signal_action() noexcept = default;
  /// Returns the signal delivered to the guest; 0 when the signal is suppressed.
  constexpr int signal() const noexcept { return sig_; }
  constexpr bool keeps_original() const noexcept { return sig_ == -1; }
  friend constexpr signal_action deliver() noexcept;
  friend constexpr signal_action suppress_signal() noexcept;
  friend constexpr signal_action replace_signal(int sig) noexcept;
  friend constexpr bool operator==(signal_action, signal_action) = default;

 private:
  constexpr explicit signal_action(int s) noexcept : sig_(s) {}
  int sig_ = -1;  // -1: deliver the original
};

/// Returns the signal action that delivers the signal unchanged (the default).
constexpr signal_action deliver() noexcept { return signal_action{}; }
/// Returns the signal action that drops the signal.
constexpr signal_action suppress_signal() noexcept { return signal_action{0}; }
/// Returns the signal action that delivers `sig` instead.
constexpr signal_action replace_signal(int sig) noexcept { return signal_action{sig}; }

/// An RDTSC or RDTSCP the guest executed; `tsc` (and `aux` for RDTSCP) hold the real values
/// and the guest sees whatever the handler leaves in them.
struct rdtsc_event {
  bool rdtscp = false;
  std::uint64_t tsc = 0;
  std::uint32_t aux = 0;
};

/// A CPUID the guest executed; the outputs hold the real values and the guest sees whatever
/// the handler leaves in them.
struct cpuid_event {
  std::uint32_t leaf = 0, subleaf = 0;
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

/// A syscall whose number no typed table knows, given to generic handlers.
struct unknown_call {
  long number = -1;
  std::array<std::uint64_t, 6> args{};
  /// Returns "unknown".
  static constexpr std::string_view name() noexcept { return "unknown"; }
  constexpr std::uint64_t raw(std::size_t i) const noexcept { return args[i]; }
  constexpr void set_raw(std::size_t i, std::uint64_t v) noexcept { args[i] = v; }
  constexpr const std::array<std::uint64_t, 6>& raw_args() const noexcept { return args; }
  constexpr sys::raw_call to_raw() const noexcept { return {number, args}; }
  friend constexpr bool operator==(const unknown_call&, const unknown_call&) = default;
};

/// An explicit subscription to exactly these typed calls.
template <class... Calls>
struct syscalls {
  static constexpr long numbers[] = {Calls::number..., -1};
  static constexpr std::size_t size = sizeof...(Calls);
};

/// An explicit subscription to every syscall.
struct all_syscalls {};

/// Names a capability a backend may have (see snare/backend/concept.hpp).
enum class capability : std::uint8_t {
  can_modify_args,
  can_inject,
  can_read_memory,
  can_write_memory,
  can_intercept_rdtsc,
  can_intercept_cpuid,
  can_add_fd,
  can_observe_exit,
  can_observe_signals,
  can_backtrace,
  can_follow_process_tree,  // the guest may fork, vfork and exec; every process is followed
};

/// Returns the name of a capability ("can_intercept_rdtsc").
constexpr std::string_view name_of(capability c) noexcept {
  constexpr std::string_view names[] = {
      "can_modify_args",
      "can_inject",
      "can_read_memory",
      "can_write_memory",
      "can_intercept_rdtsc",
      "can_intercept_cpuid",
      "can_add_fd",
      "can_observe_exit",
      "can_observe_signals",
      "can_backtrace",
      "can_follow_process_tree",
  };
  return names[static_cast<std::size_t>(c)];
}

/// An explicit statement of capabilities a tool needs: `using needs = snare::needs<...>;`.
template <capability... Caps>
struct needs {};

/// The state type used when a tool declares none.
struct no_state {};

namespace detail {
template <class Tool>
struct thread_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::thread_state; }
struct thread_state_of<Tool> {
  using type = typename Tool::thread_state;
};
template <class Tool>
struct process_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::process_state; }
struct process_state_of<Tool> {
  using type = typename Tool::process_state;
};
template <class Tool>
struct global_state_of {
  using type = no_state;
};
template <class Tool>
requires requires { typename Tool::global_state; }
struct global_state_of<Tool> {
  using type = typename Tool::global_state;
};
}  // namespace detail

/// The per-thread, per-process and global state types of a tool (no_state when undeclared).
template <class Tool>
using thread_state_t = typename detail::thread_state_of<Tool>::type;
template <class Tool>
using process_state_t = typename detail::process_state_of<Tool>::type;
template <class Tool>
using global_state_t = typename detail::global_state_of<Tool>::type;

/// Handler detection: each concept says whether Tool defines the handler for Guest.
template <class Tool, class Call, class Guest>
concept has_entry_handler = requires(Tool& t, Call& c, Guest& g) {
  t.on(c, g);
};
template <class Tool, class Guest>
concept has_generic_entry_handler = has_entry_handler<Tool, unknown_call, Guest>;
template <class Tool, class Call, class Guest>
concept has_exit_handler = requires(Tool& t, Call& c, long ret, Guest& g) {
  t.on_exit(c, ret, g);
};
template <class Tool, class Guest>
concept has_generic_exit_handler = has_exit_handler<Tool, unknown_call, Guest>;
template <class Tool, class Guest>
concept has_signal_handler = requires(Tool& t, int sig, Guest& g) {
  t.on_signal(sig, g);
};
template <class Tool, class Guest>
concept has_thread_start_handler = requires(Tool& t, Guest& g) {
  t.on_thread_start(g);
};
template <class Tool, class Guest>
concept has_thread_exit_handler = requires(Tool& t, Guest& g) {
  t.on_thread_exit(g);
};
template <class Tool, class Guest>
concept has_process_start_handler = requires(Tool& t, Guest& g) {
  t.on_process_start(g);
};
template <class Tool, class Guest>
concept has_process_exit_handler = requires(Tool& t, int status, Guest& g) {
  t.on_process_exit(status, g);
};
template <class Tool, class Guest>
concept has_exec_handler = requires(Tool& t, Guest& g) {
  t.on_exec(g);
};
template <class Tool, class Guest>
concept has_rdtsc_handler = requires(Tool& t, rdtsc_event& e, Guest& g) {
  t.on_rdtsc(e, g);
};
template <class Tool, class Guest>
concept has_cpuid_handler = requires(Tool& t, cpuid_event& e, Guest& g) {
  t.on_cpuid(e, g);
};

/// Says whether the tool states its subscription explicitly.
template <class Tool>
concept has_explicit_subscription = requires {
  typename Tool::subscription;
};

}  // namespace snare
