// Defines snare::sys::call: the base of every typed syscall (one C++ type per syscall),
// holding the six raw argument registers and converting them to typed arguments.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include <snare/sys/arg.hpp>
#include <snare/sys/types.hpp>

namespace snare::sys {

/// The six raw argument registers of a syscall, as the kernel passes them: the one type
/// every layer (typed calls, dispatch, formatter, backends) holds arguments in.
using raw_args = std::array<std::uint64_t, 6>;

/// The raw registers of one syscall: its number and six arguments.
struct raw_call {
  long number = -1;
  raw_args args{};
};

namespace detail {
template <class T>
constexpr T from_register(std::uint64_t v) noexcept {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(v);
  else
    return T{v};
}
template <class T>
constexpr std::uint64_t to_register(T v) noexcept {
  if constexpr (std::is_integral_v<T>)
    return static_cast<std::uint64_t>(v);
  else if constexpr (requires { v.address; })
    return v.address;
  else
    return v.value;
}
}  // namespace detail

/// The base of a typed syscall. `Derived` (generated per syscall) provides:
///   `static constexpr syscall_desc desc;` and `using arg_types = std::tuple<...>;`
/// and named accessors (`pathname()`, `flags()`) built on `arg<I>()`.
template <class Derived, class Arch, long Nr>
class call {
 public:
  using arch_type = Arch;
  static constexpr long number = Nr;

  constexpr call() noexcept = default;
  constexpr explicit call(const ::snare::sys::raw_args& args) noexcept : args_(args) {}

  /// Returns the syscall's name ("openat").
  static constexpr std::string_view name() noexcept { return Derived::desc.name; }
  /// Returns the descriptor of the syscall (argument names and kinds).
  static constexpr const syscall_desc& descriptor() noexcept { return Derived::desc; }

  /// Returns argument I with its C++ type.
  template <std::size_t I>
  constexpr auto arg() const noexcept {
    using T = std::tuple_element_t<I, typename Derived::arg_types>;
    return detail::from_register<T>(args_[I]);
  }
  /// Sets argument I (the backend writes changed arguments back where it can).
  template <std::size_t I, class T>
  constexpr void set_arg(T v) noexcept {
    args_[I] = detail::to_register(v);
  }

  /// Returns raw argument register i (0-5).
  constexpr std::uint64_t raw(std::size_t i) const noexcept { return args_[i]; }
  /// Sets raw argument register i (0-5).
  constexpr void set_raw(std::size_t i, std::uint64_t v) noexcept { args_[i] = v; }
  /// Returns the six raw argument registers.
  constexpr const ::snare::sys::raw_args& raw_args() const noexcept { return args_; }
  /// Returns the call as number and raw registers.
  constexpr raw_call to_raw() const noexcept { return {Nr, args_}; }

  friend constexpr bool operator==(const call&, const call&) = default;

 private:
  ::snare::sys::raw_args args_{};
};

/// Satisfied by every generated typed syscall.
template <class T>
concept typed_call = requires {
  { T::number } -> std::convertible_to<long>;
  { T::desc } -> std::convertible_to<const syscall_desc&>;
  typename T::arch_type;
  typename T::arg_types;
};

}  // namespace snare::sys
