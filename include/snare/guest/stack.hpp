// Defines snare::guest_stack: scratch memory for injected calls, taken from the stopped
// guest thread's own stack below its red zone, so that a call the tool injects can take
// pointers (a path for openat, a struct utsname for uname, a timespec for nanosleep).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <snare/memory.hpp>
#include <snare/result.hpp>
#include <snare/sys/types.hpp>

namespace snare {

/// Scratch memory on a stopped guest thread's stack (Reverie's `Guest::stack`). Values are
/// pushed downwards from below the red zone the ABI lets the thread's code use without
/// moving its stack pointer (128 bytes on x86-64: System V psABI 3.2.2), buffered here, and
/// written into the guest by one commit(); addresses returned by push/reserve are valid in
/// the guest only after commit() succeeds, and only until the thread runs again (its own
/// code then reuses that memory). The thread's registers are not changed.
/// Guest: a guest handle (write_bytes).
template <class Guest>
class guest_stack {
 public:
  /// The bytes below the stack pointer the thread's code may use (x86-64 red zone).
  static constexpr std::uint64_t red_zone = 128;
  /// The default most bytes one stack hands out.
  static constexpr std::size_t default_capacity = 16 * 1024;

  /// Takes scratch space below `stack_pointer` (the thread's at this stop) for `g`.
  guest_stack(Guest& g, std::uint64_t stack_pointer, std::size_t capacity = default_capacity) noexcept
      : guest_(&g), top_((stack_pointer - red_zone) & ~std::uint64_t{15}), capacity_(capacity) {}

  /// Reserves room for `value`, copies it there at commit(); returns its guest address.
  template <class T>
  requires std::is_trivially_copyable_v<T> guest_ptr<T> push(const T& value) {
    return {place(std::as_bytes(std::span<const T, 1>(&value, 1)), alignof(T))};
  }
  /// Reserves zeroed room for one T (an out-argument: a struct utsname, a stat).
  template <class T>
  requires std::is_trivially_copyable_v<T> guest_ptr<T> reserve() {
    const std::byte zeros[sizeof(T)] = {};
    return {place(std::span<const std::byte>(zeros, sizeof(T)), alignof(T))};
  }
  /// Reserves room for `s` and its NUL; returns its guest address (a path, a name).
  guest_cstr push_cstr(std::string_view s) {
    std::vector<std::byte> z(s.size() + 1);
    std::memcpy(z.data(), s.data(), s.size());
    return {place(z, 1)};
  }
  /// Reserves room for `bytes` (aligned to `align`, a power of two); returns their address.
  std::uint64_t push_bytes(std::span<const std::byte> bytes, std::size_t align = 16) {
    return place(bytes, align);
  }

  /// Returns the bytes handed out so far, and the most that may be.
  std::size_t size() const noexcept { return static_cast<std::size_t>(top_ - bottom()); }
  std::size_t capacity() const noexcept { return capacity_; }

  /// Writes everything pushed into the guest, in one write. Errors: not_enough_memory when
  /// the pushes went over capacity() (nothing is written), bad_address when the guest's
  /// stack cannot take it (a stack that is not mapped that far down), and the guest
  /// handle's errors (operation_not_supported where it cannot write now).
  result<void> commit() noexcept {
    if (overflow_) return std::errc::not_enough_memory;
    if (bytes_.empty()) return {};
    auto n = guest_->write_bytes(bottom(), bytes_);
    if (!n) return n.error();
    if (*n != bytes_.size()) return std::errc::bad_address;
    return {};
  }

 private:
  // bytes_ holds [bottom(), top_): each push goes below what is there.
  std::uint64_t bottom() const noexcept { return top_ - bytes_.size(); }

  std::uint64_t place(std::span<const std::byte> value, std::size_t align) {
    std::uint64_t at = (bottom() - value.size()) & ~(std::uint64_t{align} - 1);
    const std::size_t grown = static_cast<std::size_t>(top_ - at);
    if (grown > capacity_) {
      overflow_ = true;
      return 0;
    }
    // Grow downwards: the new bytes, then padding, go in front of what is there.
    std::vector<std::byte> front(grown - bytes_.size());
    std::memcpy(front.data(), value.data(), value.size());
    bytes_.insert(bytes_.begin(), front.begin(), front.end());
    return at;
  }

  Guest* guest_;
  std::uint64_t top_;
  std::size_t capacity_;
  std::vector<std::byte> bytes_;
  bool overflow_ = false;
};

}  // namespace snare
