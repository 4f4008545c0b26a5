// Defines the aarch64 architecture tag: its name, audit arch value and syscall number range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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
};

}  // namespace snare::arch
