// Defines the aarch64 architecture tag: its name, audit arch value, syscall number range and
// kernel sigaction layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <snare/arch/detail/sigaction.hpp>

namespace snare::arch {

/// Tags the aarch64 (arm64) syscall ABI, numbered as asm-generic.
struct aarch64 {
  /// The architecture's name, as uname -m prints it.
  static constexpr std::string_view name = "aarch64";
  /// The AUDIT_ARCH_AARCH64 value seccomp_data.arch holds for this ABI.
  static constexpr std::uint32_t audit_arch = 0xC00000B7;
  /// The highest syscall number of the table (the kernel headers snare was generated from).
  static constexpr long max_syscall_number = 450;
  /// The width of a syscall argument register, in bytes.
  static constexpr std::size_t register_size = 8;
  /// The struct sigaction rt_sigaction reads and writes (the kernel's layout, not libc's).
  using kernel_sigaction = detail::sigaction64;
};

}  // namespace snare::arch
