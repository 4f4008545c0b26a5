// snare-strace's tool object for the in_guest backend (snare-strace --backend=in-guest):
// strace::in_guest_tool, built into the shared object the guest preloads.
#include <snare/backend/in_guest/agent.hpp>

#include "in_guest_tool.hpp"

SNARE_IN_GUEST_TOOL(strace::in_guest_tool);
