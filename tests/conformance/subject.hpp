// Defines snare::test::conformance::subject: what the conformance laws (laws.hpp) need to
// know of a backend beyond its capability flags. A backend's conformance .cpp derives its
// subject from it and restates only what differs.
#pragma once

#include <string>
#include <vector>

#include <guests.hpp>

#include <snare/backend/concept.hpp>

namespace snare::test::conformance {

/// The defaults: a backend that runs any executable and sees every guest task.
template <snare::backend_policy Backend>
struct subject {
  using backend = Backend;

  /// Returns the path of test guest `name` (tests/guests/<name>.c) built for this backend.
  static std::string guest(const char* name) { return guest_path(name); }

  /// Returns the command line that runs the system program argv[0] (a PATH name such as
  /// "sh" or "ls") with argv[1...] on this backend.
  static std::vector<std::string> program(std::vector<std::string> argv) { return argv; }

  /// Why the backend cannot see a guest task that makes no call the tool subscribed to, or
  /// nullptr when it sees every task (such laws skip with this reason).
  static constexpr const char* misses_quiet_tasks = nullptr;

  /// Why a handler waiting in an injected call that blocks stops the other guest threads,
  /// or nullptr when they keep being served (such laws skip with this reason).
  static constexpr const char* blocking_inject_stops_other_threads = nullptr;

  /// Why the backend does not know which thread created a new thread (so a thread's state
  /// is not built from its creator's, snare::from_parent), or nullptr when it knows.
  static constexpr const char* thread_creator_unknown = nullptr;

  /// Whether the backend reports the end of every process but the first as unknown
  /// (on_process_exit's status), as seccomp_notify does.
  static constexpr bool unknown_descendant_exit = false;

  /// Whether the guest's world is one process (the hypercall backend's VM), so that its
  /// signals to any other process find nobody.
  static constexpr bool one_process_world = false;

  /// Whether the backend refuses run_options::vdso_as_syscalls (seccomp_notify does).
  static constexpr bool refuses_vdso_as_syscalls = false;

  /// Why the backend tells an exec only after the new image has run (so an exec handler
  /// cannot prepare it), or nullptr.
  static constexpr const char* exec_told_late = nullptr;

  /// Why the backend cannot read a guest process's auxiliary vector (g.auxv()), or nullptr.
  static constexpr const char* auxv_unreadable = nullptr;

  /// Why the backend follows every process whatever run_options::follow_forks says, or
  /// nullptr when it honours it (such laws skip with this reason).
  static constexpr const char* ignores_follow_forks = nullptr;

  /// Why the backend does not tell the end (on_thread_exit) of a thread that ends without
  /// calling exit: killed with its process by a signal, or ended by another thread's exec;
  /// nullptr when it tells every thread's end (the laws then leave those counts unchecked,
  /// with this reason as a warning).
  static constexpr const char* misses_silent_thread_ends = nullptr;

  /// Whether a handler runs in the guest's own thread (in_guest), so that a SIGKILL of the
  /// guest ends the handler too, which then tells nothing more.
  static constexpr bool handler_dies_with_thread = false;

  /// Why a guest of this backend has no i386 `int 0x80` entry whatever the host has, or
  /// nullptr when it has the host's (host feature i386_int80).
  static constexpr const char* lacks_int80 = nullptr;
};

}  // namespace snare::test::conformance
