// Defines the C++ types syscall arguments have in a typed call: guest pointers, C string
// pointers, buffers and flag sets. They carry addresses only; reading goes through a guest.
#pragma once

#include <cstdint>

#include <snare/sys/arg.hpp>

namespace snare {

/// A typed address in guest memory. Never dereferenced directly: read it through a guest.
template <class T>
struct guest_ptr {
  using element_type = T;
  std::uint64_t address = 0;
  constexpr bool is_null() const noexcept { return address == 0; }
  constexpr explicit operator bool() const noexcept { return address != 0; }
  /// Returns the pointer `n` elements further on.
  constexpr guest_ptr operator+(std::uint64_t n) const noexcept { return {address + n * sizeof(T)}; }
  friend constexpr bool operator==(guest_ptr, guest_ptr) = default;
};

/// The address of a NUL-terminated string in guest memory.
struct guest_cstr {
  std::uint64_t address = 0;
  constexpr bool is_null() const noexcept { return address == 0; }
  constexpr explicit operator bool() const noexcept { return address != 0; }
  friend constexpr bool operator==(guest_cstr, guest_cstr) = default;
};

/// The address of a NULL-terminated array of C strings (argv, envp) in guest memory.
struct guest_cstr_array {
  std::uint64_t address = 0;
  friend constexpr bool operator==(guest_cstr_array, guest_cstr_array) = default;
};

/// The address of a byte buffer in guest memory; its length is another argument or the
/// return value (the call's descriptor says which).
struct guest_buffer {
  std::uint64_t address = 0;
  friend constexpr bool operator==(guest_buffer, guest_buffer) = default;
};

/// A set of flags or a symbolic value of the named set (open flags, mmap prot, ...).
template <sys::flag_set Set>
struct flags {
  static constexpr sys::flag_set set = Set;
  std::uint64_t value = 0;
  /// Returns whether every bit of `bits` is set.
  constexpr bool has(std::uint64_t bits) const noexcept { return (value & bits) == bits; }
  constexpr operator std::uint64_t() const noexcept { return value; }  // NOLINT: reads as the raw value
  friend constexpr bool operator==(flags, flags) = default;
};

}  // namespace snare
