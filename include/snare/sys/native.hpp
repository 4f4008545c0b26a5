// Defines nothing itself: includes the typed syscall table of the architecture snare is
// compiled for (snare/sys/x86_64.hpp or snare/sys/aarch64.hpp), and arch::native.
#pragma once

#include <snare/arch/native.hpp>

#if defined(__x86_64__)
#include <snare/sys/x86_64.hpp>
#elif defined(__aarch64__)
#include <snare/sys/aarch64.hpp>
#endif
