// snare-count's tool object for the in_guest backend (snare-count --backend=in-guest): the
// counter, built into the shared object the guest preloads.
#include <snare/backend/in_guest/agent.hpp>

#include "counter.hpp"

SNARE_IN_GUEST_TOOL(snare_count::counter);
