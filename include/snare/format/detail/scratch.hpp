// Defines the formatter's reusable per-thread byte buffer, which guest strings and buffers
// are read into (no allocation per call once it has grown).
#pragma once

#include <string>

namespace snare::format::detail {

/// Returns the reusable byte buffer of this thread.
inline std::string& scratch() {
  thread_local std::string buffer;
  return buffer;
}

}  // namespace snare::format::detail
