// Helpers shared by the ioctl tests (test_format_ioctl, ioctl_args_test.cpp): -1 as a raw
// argument, the tail strace prints for a call on a bad fd, and a family table's request
// number by name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace snare::test {

/// -1 in a 64-bit register (an fd no call accepts).
inline constexpr std::uint64_t minus1 = static_cast<std::uint64_t>(-1);
/// What strace appends to a call that failed with EBADF.
inline const std::string ebadf = " = -1 EBADF (Bad file descriptor)";

/// Returns the request number `table` (an ioctl family table: entries with `name` and
/// `code`) gives `name`; fails the test when it has none.
template <class Table>
std::uint32_t ioctl_code(const Table& table, std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return e.code;
  FAIL("no entry " << name);
  return 0;
}

}  // namespace snare::test
