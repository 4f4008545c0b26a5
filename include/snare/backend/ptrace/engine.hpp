// Defines the ptrace backend's engine: spawn under a seccomp filter, the waitpid(-1, __WALL)
// event loop, per-thread records with fibers, syscall injection, signals, group-stop, exec,
// exits; and the guest handle handlers receive.
#pragma once

#include <snare/backend/ptrace.hpp>

// The engine is split by topic under detail/: the records (records.hpp), the class and its
// event loop (event_loop.hpp), event handlers on the fiber (events.hpp), syscall stops
// (syscalls.hpp), injection (injection.hpp), the event loop and its sorting of stops (stops.hpp),
// processes, threads and exec (lifecycle.hpp), signals (signals.hpp), the per-thread
// timer (timer.hpp), the debugger seam (debugger.hpp, debug.hpp), and attaching to running
// processes and detaching (attach.hpp).
#include <snare/backend/ptrace/detail/attach.hpp>
#include <snare/backend/ptrace/detail/debug.hpp>
#include <snare/backend/ptrace/detail/event_loop.hpp>
#include <snare/backend/ptrace/detail/events.hpp>
#include <snare/backend/ptrace/detail/injection.hpp>
#include <snare/backend/ptrace/detail/lifecycle.hpp>
#include <snare/backend/ptrace/detail/records.hpp>
#include <snare/backend/ptrace/detail/signals.hpp>
#include <snare/backend/ptrace/detail/stops.hpp>
#include <snare/backend/ptrace/detail/syscalls.hpp>
#include <snare/backend/ptrace/detail/timer.hpp>
