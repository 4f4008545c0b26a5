// Defines entry_state: what the formatter reads at a syscall's entry and needs again at its
// exit, for value-result arguments such as getsockname's addrlen (`[110 => 16]`).
#pragma once

#include <array>
#include <cstdint>

namespace snare::format::detail {

/// Holds the values that a call's in-out int pointers (socklen_t *addrlen, getsockopt's
/// optlen) held at entry. format_entry fills it and format_exit reads it, so a tracer keeps
/// one per unfinished call; without it, only the value after the call is shown.
struct entry_state {
  std::array<std::int32_t, 6> value{};  ///< value[i]: what argument i pointed to at entry
  std::uint8_t held = 0;                ///< bit i: value[i] was read
};

}  // namespace snare::format::detail
