// Defines the i386 architecture tag: the 32-bit x86 syscall ABI (int 0x80, and ia32
// processes on an x86-64 kernel), with its audit arch value and syscall number range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace snare::arch {

/// Tags the i386 syscall ABI. A guest on x86-64 reaches it through int 0x80 even from a
/// 64-bit process, so a filter for x86-64 must also decide what to do with it.
struct i386 {
  /// The architecture's name, as uname -m prints it for a 32-bit x86 system.
  static constexpr std::string_view name = "i386";
  /// The AUDIT_ARCH_I386 value seccomp_data.arch holds for this ABI.
  static constexpr std::uint32_t audit_arch = 0x40000003;
  /// The highest syscall number of the table (the kernel headers snare was generated from).
  static constexpr long max_syscall_number = 450;
  /// The width of a syscall argument register, in bytes.
  static constexpr std::size_t register_size = 4;
};

}  // namespace snare::arch
