// Defines nothing itself: includes the whole strace-like formatter (snare::format).
#pragma once

#include <snare/format/entry_state.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/format/options.hpp>
#include <snare/format/process_memory.hpp>
