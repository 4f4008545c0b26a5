// Defines snare::format::entry_state, what a tracer keeps between a call's format_entry and
// its format_exit (a light header: tool state can hold one without the whole formatter).
#pragma once

#include <snare/format/detail/entry_state.hpp>

namespace snare::format {

/// Carries what format_entry read for format_exit: the values of in-out arguments such as
/// getsockname's addrlen, so that the exit prints `[110 => 16]` as strace does. Keep one
/// per call between its entry and its exit; it needs no other setup.
using entry_state = detail::entry_state;

}  // namespace snare::format
