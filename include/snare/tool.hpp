// Defines the tool model: what a tool is, which handlers it may define, what their return
// values mean, how it states its subscription, state and capability needs. The vocabulary
// lives in snare/tool/: action.hpp, events.hpp, capability.hpp, state.hpp, handlers.hpp.
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
//   void on_stop(int sig, Guest& g);  // the thread entered a group-stop by sig (SIGSTOP, ...)
//   void on_thread_start(Guest& g);   void on_thread_exit(Guest& g);
//                                     // or on_thread_exit(snare::exit_status, Guest& g)
//   void on_process_start(Guest& g);  void on_process_exit(int wait_status, Guest& g);
//                                     // or on_process_exit(snare::exit_status, Guest& g)
//   void on_exec(Guest& g);           // after a successful execve, in the new image
//   void on_rdtsc(snare::rdtsc_event& e, Guest& g);  // e holds the real value; may change it
//   void on_cpuid(snare::cpuid_event& e, Guest& g);  // e holds the real leaf; may change it
//   void on_detach(bool kept);        // snare::attach: a stop request detached the tool;
//                                     // kept: the tracer stays as its filter's keeper
//   void on_process_detach(pid_t pid);  // run_options::detach_on_exec let process pid go
//
// Subscription: derived from the handlers (typed handlers subscribe their calls; a generic
// handler subscribes every call). State it explicitly with a member type:
//   using subscription = snare::syscalls<sys::openat, sys::read>;   // or snare::all_syscalls
// An explicit subscription wins: a generic handler then sees only those calls. To choose
// the calls at run time (names, classes such as %file, numbers), define
//   snare::runtime_subscription runtime_subscription() const;   // read once, at start
// within what the handlers can receive (snare/subscription/runtime.hpp; docs/index.md).
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

#include <snare/tool/action.hpp>
#include <snare/tool/capability.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/exit_status.hpp>
#include <snare/tool/handlers.hpp>
#include <snare/tool/state.hpp>
