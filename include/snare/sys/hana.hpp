// Defines the Boost.Hana views of the typed syscall tables: `all` (every typed call of an
// architecture as a hana::tuple_t) and `in_class_types<Classes>` (the calls of some classes).
// Kept out of <snare/sys.hpp> so that a translation unit pays for Hana only when it asks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <snare/sys/aarch64.hpp>
#include <snare/sys/detail/native.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::sys::detail {

template <class... Ts>
constexpr auto to_hana(call_list<Ts...>) noexcept {
  return boost::hana::tuple_t<Ts...>;
}

template <class Arch, std::uint16_t Classes, std::size_t... I>
constexpr auto class_types(std::index_sequence<I...>) noexcept {
  constexpr auto numbers = class_numbers<Arch, Classes>.template to_array<sizeof...(I)>();
  return boost::hana::tuple_t<call_t<Arch, numbers[I]>...>;
}

}  // namespace snare::sys::detail

namespace snare::sys {

/// Every typed call of `Arch`, in number order, as a hana::tuple_t.
template <class Arch>
inline constexpr auto all_of = detail::to_hana(typename table<Arch>::all_types{});

/// The typed calls of `Arch` in every class of `Classes`, in number order, as a hana::tuple_t.
template <class Arch, std::uint16_t Classes>
inline constexpr auto class_types_of =
    detail::class_types<Arch, Classes>(std::make_index_sequence<class_numbers<Arch, Classes>.size()>{});

}  // namespace snare::sys

namespace snare::sys {
SNARE_SYS_DETAIL_INLINE_X86_64 namespace x86_64 {
  /// Every x86-64 typed call, in number order, as a hana::tuple_t.
  inline constexpr auto all = all_of<::snare::arch::x86_64>;
  /// The x86-64 typed calls in every class of `Classes` (class_file, ...), as a hana::tuple_t.
  template <std::uint16_t Classes>
  inline constexpr auto in_class_types = class_types_of<::snare::arch::x86_64, Classes>;

}  // namespace x86_64
}  // namespace snare::sys

namespace snare::sys {
SNARE_SYS_DETAIL_INLINE_AARCH64 namespace aarch64 {
  /// Every aarch64 typed call, in number order, as a hana::tuple_t.
  inline constexpr auto all = all_of<::snare::arch::aarch64>;
  /// The aarch64 typed calls in every class of `Classes` (class_file, ...), as a hana::tuple_t.
  template <std::uint16_t Classes>
  inline constexpr auto in_class_types = class_types_of<::snare::arch::aarch64, Classes>;

}  // namespace aarch64
}  // namespace snare::sys
