// Defines entry_state: what the formatter reads at a syscall's entry and needs again at its
// exit, for value-result arguments such as getsockname's addrlen (`[110 => 16]`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace snare::format::detail {

/// Holds the values that a call's in-out int pointers (socklen_t *addrlen, getsockopt's
/// optlen) held at entry. format_entry fills it and format_exit reads it, so a tracer keeps
/// one per unfinished call; without it, only the value after the call is shown.
struct entry_state {
  std::array<std::int32_t, 6> value{};  ///< value[i]: what argument i pointed to at entry
  std::uint8_t held = 0;                ///< bit i: value[i] was read
  /// recvmmsg's timeout at entry, {tv_sec, tv_nsec}: strace shows it as it was, and the call
  /// overwrites it with the time left.
  std::array<std::int64_t, 2> timespec{};
  bool timespec_held = false;
  /// recvmmsg's msg_namelen of each message at entry (at most IOV_MAX, up to the first
  /// unreadable one), for `msg_namelen=0 => 38`; empty for other calls.
  std::vector<std::int32_t> namelens;
  /// Bytes a decoder keeps at entry to compare at exit (bpf's info struct, `nr_map_ids=0 => 2`);
  /// empty for other calls.
  std::string bytes;
  /// The thread's stack pointer at entry, set by a tracer that has the registers (the
  /// ptrace backend's), 0 when unknown: rt_sigreturn's signal frame lies there.
  std::uint64_t stack_pointer = 0;
};

}  // namespace snare::format::detail
