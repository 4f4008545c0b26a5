// Defines the run-time subscription of snare-strace's tracer (the syscalls that stop the
// guest, from the trace and inject sets), how --tracer-info names it, and run_<backend>,
// which runs the guest on one backend. Each backend's tracer lives in its own translation
// unit (run_ptrace.cpp, ...) so they build in parallel.
#pragma once

#include <cstddef>
#include <string>

#include <snare/subscription/runtime.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool/exit_status.hpp>

#include "options.hpp"
#include "session.hpp"

namespace strace {

/// Returns the calls that stop the guest for the calls `need` (those traced and those
/// injected): `need` plus the three the line discipline needs, execve (the first exec ends
/// the spawn's own work) and exit/exit_group (the status of exiting threads); every syscall
/// when `need` holds every known call (a shorter filter, and what strace traces then).
/// The numbers past the table too (strace traces them whatever the trace set).
/// With `comm` (-Y) prctl too: a thread's PR_SET_NAME changes the name its lines show.
inline snare::runtime_subscription subscription_for(const nr_set& need, bool comm = false) {
  if ((all_known() & ~need).none()) return snare::runtime_subscription::everything();
  snare::runtime_subscription calls;
  for (std::size_t nr = 0; nr < max_nr; ++nr)
    if (need.test(nr)) calls.add(static_cast<long>(nr));
  if (comm) calls.add(snare::sys::x86_64::prctl::number);
  for (long nr = table_end; nr < snare::max_syscall_number; ++nr) calls.add(nr);  // always traced
  calls.add(snare::sys::x86_64::execve::number);
  calls.add(snare::sys::x86_64::exit::number);
  calls.add(snare::sys::x86_64::exit_group::number);
  return calls;
}

/// Returns how many calls of the syscall table stop the guest under `calls` (those past it
/// are subscribed whatever the trace set: subscription_for).
inline std::size_t known_count(const snare::runtime_subscription& calls) {
  std::size_t n = 0;
  for (long nr = 0; nr < table_end; ++nr) n += calls.contains(nr);
  return n;
}

/// Returns what --tracer-info calls the calls `need`: "all syscalls" when it holds every
/// known call, strace's class name when it is exactly one class ("%process"), the names
/// when there are at most eight ("getppid,brk"), else "N syscalls of the trace set".
inline std::string subscription_name(const nr_set& need) {
  if ((all_known() & ~need).none()) return "all syscalls";
  constexpr const char* classes[] = {"%file",   "%process", "%network", "%signal", "%ipc",    "%desc",
                                     "%memory", "%creds",   "%clock",   "%%stat",  "%%statfs"};
  for (const char* name : classes) {
    snare::runtime_subscription c;
    c.add_classes(snare::syscall_class_named(name));
    bool same = true;
    for (std::size_t nr = 0; nr < max_nr && same; ++nr)
      same = need.test(nr) == c.contains(static_cast<long>(nr));
    if (same) return name;
  }
  if (need.count() > 8) return std::to_string(need.count()) + " syscalls of the trace set";
  std::string names;
  for (std::size_t nr = 0; nr < max_nr; ++nr) {
    if (!need.test(nr)) continue;
    if (!names.empty()) names += ',';
    names += snare::sys::x86_64::name_of(static_cast<long>(nr));
  }
  return names.empty() ? "no syscall" : names;
}

/// Runs the command of `o` with the run-time subscription `calls` on backend ptrace,
/// seccomp_notify or hypercall; returns how the guest ended. Defined in run_<backend>.cpp.
snare::exit_status run_ptrace(const snare::runtime_subscription& calls, session& s, const options& o);
snare::exit_status run_seccomp(const snare::runtime_subscription& calls, session& s, const options& o);
snare::exit_status run_kvm(const snare::runtime_subscription& calls, session& s, const options& o);
/// On the in_guest backend: the guests format the calls of `trace` themselves
/// (run_in_guest.cpp, in_guest_tool.hpp).
snare::exit_status run_in_guest(const nr_set& trace, session& s, const options& o);

}  // namespace strace
