// Defines snare::result<T>: a value or a std::errc, for operations that run inside fibers.
#pragma once

#include <cerrno>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace snare {

/// Holds either a value of type T or an error code. Used instead of exceptions because an
/// exception that leaves a Boost.Context fiber terminates the process.
template <class T>
class [[nodiscard]] result {
 public:
  using value_type = T;

  constexpr result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
      : v_(std::in_place_index<0>, std::move(value)) {}
  constexpr result(std::errc error) noexcept : v_(std::in_place_index<1>, error) {}  // NOLINT

  /// Returns a result holding the error for a raw errno value.
  static constexpr result from_errno(int err) noexcept { return result(static_cast<std::errc>(err)); }

  constexpr bool has_value() const noexcept { return v_.index() == 0; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  /// Returns the value; the result must hold one.
  constexpr T& value() & noexcept { return *std::get_if<0>(&v_); }
  constexpr const T& value() const& noexcept { return *std::get_if<0>(&v_); }
  constexpr T&& value() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  constexpr T& operator*() & noexcept { return value(); }
  constexpr const T& operator*() const& noexcept { return value(); }
  constexpr T* operator->() noexcept { return &value(); }
  constexpr const T* operator->() const noexcept { return &value(); }

  /// Returns the value, or `fallback` when this holds an error.
  template <class U>
  constexpr T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  /// Returns the error; std::errc{} when this holds a value.
  constexpr std::errc error() const noexcept { return has_value() ? std::errc{} : *std::get_if<1>(&v_); }
  /// Returns the error as a positive errno value (0 when this holds a value).
  constexpr int error_number() const noexcept { return static_cast<int>(error()); }

 private:
  std::variant<T, std::errc> v_;
};

/// The result of an operation that has no value, only success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  constexpr result() noexcept = default;
  constexpr result(std::errc error) noexcept : error_(error) {}  // NOLINT
  static constexpr result from_errno(int err) noexcept { return result(static_cast<std::errc>(err)); }
  constexpr bool has_value() const noexcept { return error_ == std::errc{}; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  constexpr std::errc error() const noexcept { return error_; }
  constexpr int error_number() const noexcept { return static_cast<int>(error_); }

 private:
  std::errc error_{};
};

}  // namespace snare
