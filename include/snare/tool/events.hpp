// Defines the events handlers receive besides typed calls: snare::rdtsc_event,
// snare::cpuid_event, and snare::unknown_call (a syscall no typed table knows).
// Part of the tool model: see snare/tool.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/sys/call.hpp>

namespace snare {

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
  sys::raw_args args{};
  /// Returns "unknown".
  static constexpr std::string_view name() noexcept { return "unknown"; }
  constexpr std::uint64_t raw(std::size_t i) const noexcept { return args[i]; }
  constexpr void set_raw(std::size_t i, std::uint64_t v) noexcept { args[i] = v; }
  constexpr const sys::raw_args& raw_args() const noexcept { return args; }
  constexpr sys::raw_call to_raw() const noexcept { return {number, args}; }
  friend constexpr bool operator==(const unknown_call&, const unknown_call&) = default;
};

}  // namespace snare
