// Defines the kernel's struct sigaction of the 64-bit architectures (x86-64, aarch64): what
// rt_sigaction reads and writes, which is not libc's struct sigaction.
#pragma once

#include <cstdint>

namespace snare::arch::detail {

/// The kernel's struct sigaction where unsigned long is 8 bytes and the architecture has
/// SA_RESTORER (x86-64, aarch64): handler, flags, restorer, then the 8-byte mask. The fields
/// drop the `sa_` prefix because <signal.h> defines `sa_handler` as a macro.
struct sigaction64 {
  std::uint64_t handler, flags, restorer, mask;
};
static_assert(sizeof(sigaction64) == 32);

}  // namespace snare::arch::detail
