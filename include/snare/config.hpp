// Defines every user-overridable configuration macro of snare.
#pragma once

// Size of one fiber stack, in bytes; stacks are pooled and reused across guest threads.
#ifdef SNARE_FIBER_STACK_SIZE
// user's value
#else
#define SNARE_FIBER_STACK_SIZE (64 * 1024)
#endif

// Longest C string the guest memory interface reads before it gives up (bytes).
#ifdef SNARE_MAX_GUEST_STRING
// user's value
#else
#define SNARE_MAX_GUEST_STRING (64 * 1024)
#endif
