// Defines the guest memory concept: how the formatter and tools read guest memory
// without knowing the backend, and typed reads built on it. Core vocabulary beside
// result.hpp: every layer may include it (the formatter, guest handles, backends).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include <snare/config.hpp>
#include <snare/result.hpp>
#include <snare/sys/types.hpp>

namespace snare {

/// Satisfied by anything that reads guest memory. Minimal complete definition:
///   `m.read_bytes(address, span<std::byte>) -> result<std::size_t>`
/// reads up to `span.size()` bytes at `address`; it returns the count read (fewer when the
/// range crosses into unmapped memory) or an error (std::errc::bad_address) when nothing
/// could be read. It never crashes on a bad address.
/// Models: every backend's guest handle, snare::test fake memories.
template <class M>
concept guest_memory = requires(M& m, std::uint64_t address, std::span<std::byte> out) {
  { m.read_bytes(address, out) } -> std::same_as<result<std::size_t>>;
};

/// Reads one trivially copyable T at `p`; bad_address when not all of it is readable.
template <class T, guest_memory M>
requires std::is_trivially_copyable_v<T> result<T> read(M& m, guest_ptr<T> p)
noexcept {
  T value;
  std::byte raw[sizeof(T)];
  auto n = m.read_bytes(p.address, std::span<std::byte>(raw, sizeof(T)));
  if (!n) return n.error();
  if (*n != sizeof(T)) return std::errc::bad_address;
  std::memcpy(&value, raw, sizeof(T));
  return value;
}

/// Reads a NUL-terminated string at `s`, at most `max` bytes (without the NUL). The string
/// is cut at `max` when longer; bad_address when its first byte cannot be read.
template <guest_memory M>
result<std::string> read_cstr(M& m, guest_cstr s, std::size_t max = SNARE_MAX_GUEST_STRING) noexcept {
  std::string out;
  std::byte chunk[256];
  std::uint64_t at = s.address;
  while (out.size() < max) {
    // Stay within one page per read so a string ending before an unmapped page still reads.
    std::size_t page_left = 4096 - (at & 4095);
    std::size_t want = std::min({sizeof(chunk), page_left, max - out.size() + 1});
    auto n = m.read_bytes(at, std::span<std::byte>(chunk, want));
    if (!n || *n == 0) {
      if (out.empty() && at == s.address) return std::errc::bad_address;
      break;
    }
    for (std::size_t i = 0; i < *n; ++i) {
      if (chunk[i] == std::byte{0}) return out;
      if (out.size() == max) return out;
      out.push_back(static_cast<char>(chunk[i]));
    }
    at += *n;
  }
  return out;
}

}  // namespace snare
