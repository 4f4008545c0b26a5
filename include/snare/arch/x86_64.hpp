// Defines the x86-64 architecture tag: its name, audit arch value, syscall number range, x32
// bit and kernel sigaction layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/arch/detail/sigaction.hpp>

namespace snare::arch {

/// Tags the x86-64 (64-bit) syscall ABI.
struct x86_64 {
  /// The architecture's name, as uname -m prints it.
  static constexpr std::string_view name = "x86_64";
  /// The AUDIT_ARCH_X86_64 value seccomp_data.arch holds for this ABI.
  static constexpr std::uint32_t audit_arch = 0xC000003E;
  /// The highest syscall number of the table (the kernel headers snare was generated from).
  static constexpr long max_syscall_number = 450;
  /// The bit that marks an x32 syscall number (__X32_SYSCALL_BIT); x32 calls share the
  /// audit arch of x86-64, so a filter must test this bit.
  static constexpr long x32_syscall_bit = 0x40000000;
  /// The width of a syscall argument register, in bytes.
  static constexpr std::size_t register_size = 8;
  /// The struct sigaction rt_sigaction reads and writes (the kernel's layout, not libc's).
  using kernel_sigaction = detail::sigaction64;
};

}  // namespace snare::arch
