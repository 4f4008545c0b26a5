// Defines the compile-time specialisations of snare-strace's tracer (one subscription per
// syscall class, plus every syscall) and run_on<Backend>, which runs the guest under the
// specialisation chosen at run time. Each backend's instantiations live in their own
// translation unit (run_ptrace.cpp, ...) so they build in parallel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include <snare/sys/lookup.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>
#include <snare/tool/exit_status.hpp>

#include "options.hpp"
#include "session.hpp"

namespace strace {

namespace detail {

// The calls of some classes, plus the three every specialisation needs: execve (the first
// exec ends the spawn's own work) and exit/exit_group (the status of exiting threads).
template <std::uint16_t Classes>
constexpr auto spec_numbers() {
  auto set = snare::sys::x86_64::in_class<Classes>;
  set.add(snare::sys::x86_64::execve::number);
  set.add(snare::sys::x86_64::exit::number);
  set.add(snare::sys::x86_64::exit_group::number);
  return set;
}
template <std::uint16_t Classes>
inline constexpr auto spec_set = spec_numbers<Classes>();

template <std::uint16_t Classes, std::size_t... I>
auto make_subscription(std::index_sequence<I...>) {
  constexpr auto numbers = spec_set<Classes>.template to_array<sizeof...(I)>();
  return snare::syscalls<snare::sys::call_t<snare::arch::x86_64, numbers[I]>...>{};
}

}  // namespace detail

/// The compile-time subscription to the calls of Classes: a snare::syscalls<...> list of the
/// typed calls, built from the table's class bitmap.
template <std::uint16_t Classes>
using class_subscription = decltype(detail::make_subscription<Classes>(
    std::make_index_sequence<detail::spec_set<Classes>.size()>{}));

/// The classes with a specialisation of their own, in the order of spec_names.
inline constexpr std::uint16_t spec_classes[] = {
    snare::sys::class_ipc,     snare::sys::class_signal, snare::sys::class_network, snare::sys::class_memory,
    snare::sys::class_process, snare::sys::class_file,   snare::sys::class_desc,
};
/// The names --tracer-info prints; the last is the general tracer.
inline constexpr const char* spec_names[] = {"%ipc",     "%signal", "%network", "%memory",
                                             "%process", "%file",   "%desc",    "all syscalls"};
inline constexpr std::size_t spec_count = std::size(spec_names);

/// The subscriptions, index for index with spec_names.
using spec_subscriptions =
    std::tuple<class_subscription<spec_classes[0]>, class_subscription<spec_classes[1]>,
               class_subscription<spec_classes[2]>, class_subscription<spec_classes[3]>,
               class_subscription<spec_classes[4]>, class_subscription<spec_classes[5]>,
               class_subscription<spec_classes[6]>, snare::all_syscalls>;

/// Returns the calls that stop the guest under specialisation `i` (every bit for the last).
inline nr_set spec_calls(std::size_t i) {
  nr_set calls;
  if (i + 1 == spec_count) return calls.set();
  auto add = [&](const auto& set) {
    for (std::size_t nr = 0; nr < max_nr; ++nr)
      if (set.contains(static_cast<long>(nr))) calls.set(nr);
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((I == i ? add(detail::spec_set<spec_classes[I]>) : void()), ...);
  }
  (std::make_index_sequence<std::size(spec_classes)>{});
  return calls;
}

/// Returns the index of the smallest specialisation whose calls cover `need`.
inline std::size_t choose_spec(const nr_set& need) {
  std::size_t best = spec_count - 1;
  std::size_t best_size = max_nr + 1;
  for (std::size_t i = 0; i + 1 < spec_count; ++i) {
    nr_set calls = spec_calls(i);
    if ((need & ~calls).none() && calls.count() < best_size) {
      best = i;
      best_size = calls.count();
    }
  }
  return best;
}

/// Runs the command of `o` under specialisation `spec` with backend ptrace, seccomp_notify
/// or hypercall; returns how the guest ended. Defined in run_<backend>.cpp.
snare::exit_status run_ptrace(std::size_t spec, session& s, const options& o);
snare::exit_status run_seccomp(std::size_t spec, session& s, const options& o);
snare::exit_status run_kvm(std::size_t spec, session& s, const options& o);

}  // namespace strace
