// The tool object of the in_guest backend's tests: test_tool.hpp's tool, preloaded.
#include <snare/backend/in_guest/agent.hpp>

#include "test_tool.hpp"

SNARE_IN_GUEST_TOOL(snare::test::in_guest_tool);
