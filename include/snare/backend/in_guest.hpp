// Defines snare::backend::in_guest: the backend whose handlers run inside the guest's own
// threads. The tool is compiled into a shared object (SNARE_IN_GUEST_TOOL, in_guest/agent.hpp;
// CMake: snare_add_in_guest_tool) that the guest loads before main through LD_PRELOAD; the
// in-guest runtime (in_guest/runtime/) traps every syscall instruction with Syscall User
// Dispatch and rewrites each trapped site into a direct call. The tracer only starts the
// guest, serves g.global().call over shared memory and reaps the processes.
// See docs/in_guest.md. Not a security boundary: the guest can switch SUD off.
#pragma once

#include <snare/backend/in_guest/engine.hpp>
#include <snare/backend/in_guest/exec_check.hpp>
#include <snare/backend/in_guest/policy.hpp>
