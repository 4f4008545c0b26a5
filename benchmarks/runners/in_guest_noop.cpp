// The tool object of bench_snare_in_guest --subscribe=getppid.
#include <snare/backend/in_guest/agent.hpp>

#include "in_guest_tools.hpp"

SNARE_IN_GUEST_TOOL(snare_bench::in_guest_noop_tool);
