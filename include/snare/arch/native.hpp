// Defines snare::arch::native: the tag of the architecture snare is compiled for.
#pragma once

#if defined(__x86_64__)
#include <snare/arch/x86_64.hpp>
#elif defined(__aarch64__)
#include <snare/arch/aarch64.hpp>
#else
#error "snare supports x86-64 and aarch64 hosts"
#endif

namespace snare::arch {

#if defined(__x86_64__)
/// The architecture snare is compiled for.
using native = x86_64;
#elif defined(__aarch64__)
/// The architecture snare is compiled for.
using native = aarch64;
#endif

}  // namespace snare::arch
