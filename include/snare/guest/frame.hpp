// Defines snare::frame: one frame of a guest thread's backtrace, shared by backends.
#pragma once

#include <cstdint>
#include <string>

namespace snare {

/// One frame of a guest backtrace: the instruction address, and the enclosing function's
/// name and the offset into it when symbols exist (empty name otherwise).
struct frame {
  std::uint64_t ip = 0;
  std::string symbol;
  std::uint64_t offset = 0;
};

}  // namespace snare
