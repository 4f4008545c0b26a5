// Defines the macros that make the native architecture's syscall namespace inline, so that
// snare::sys::openat names the native table's openat. Every header that opens
// snare::sys::x86_64 or snare::sys::aarch64 opens it through these (an inline namespace
// must be reopened as inline).
#pragma once

#if defined(__x86_64__)
#define SNARE_SYS_DETAIL_INLINE_X86_64 inline
#else
#define SNARE_SYS_DETAIL_INLINE_X86_64
#endif

#if defined(__aarch64__)
#define SNARE_SYS_DETAIL_INLINE_AARCH64 inline
#else
#define SNARE_SYS_DETAIL_INLINE_AARCH64
#endif
