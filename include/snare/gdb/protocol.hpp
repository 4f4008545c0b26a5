// Includes the GDB remote protocol layer: framing (packet.hpp), typed requests and their
// parser (request.hpp), reply encoders (reply.hpp) and the x86-64 register file and target
// description (x86_64.hpp). It depends on no engine: usable, and fuzzed, on its own.
#pragma once

#include <snare/gdb/protocol/packet.hpp>
#include <snare/gdb/protocol/reply.hpp>
#include <snare/gdb/protocol/request.hpp>
#include <snare/gdb/protocol/x86_64.hpp>
