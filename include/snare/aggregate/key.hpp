// Defines the keys of an aggregation: a tuple of columns (strings and integers: a thread
// id, a process or VM name, a syscall name, any key of the tool's), printed and ordered as
// DTrace prints and orders an aggregation's keys.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <snare/aggregate/detail/text.hpp>

namespace snare::aggregate {

/// Satisfied by the types a key column may have: std::string, or an integer type other
/// than bool (a pid_t, a syscall number, a file descriptor, ...).
template <class T>
concept key_column = std::is_same_v<T, std::string> ||(std::is_integral_v<T> && !std::is_same_v<T, bool>);

/// Appends one key column as DTrace prints it before the value: a string as "  %-50s", an
/// integer by its size as " %3d", " %5d", " %8d" or " %16lld" (1- and 2-byte integers
/// as their unsigned value, as DTrace 1 does). Source: libdtrace's dt_print_datum and
/// dt_print_bytes; checked against oracle/dtrace-utils' test results (tst.signedkeys.r).
template <key_column T>
void append_key_column(std::string& out, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    detail::append(out, "  %-50s", v.c_str());
  } else if constexpr (sizeof(T) == 1) {
    detail::append(out, " %3d", static_cast<int>(static_cast<std::uint8_t>(v)));
  } else if constexpr (sizeof(T) == 2) {
    detail::append(out, " %5d", static_cast<int>(static_cast<std::uint16_t>(v)));
  } else if constexpr (sizeof(T) == 4) {
    detail::append(out, " %8d", static_cast<int>(static_cast<std::int32_t>(v)));
  } else {
    detail::append(out, " %16lld", static_cast<long long>(v));
  }
}

/// Appends every column of `key`, in order.
template <key_column... Ts>
void append_key(std::string& out, const std::tuple<Ts...>& key) {
  std::apply([&](const Ts&... column) { (append_key_column(out, column), ...); }, key);
}

/// Compares one column as DTrace does: integers as unsigned values of their size (so -1
/// sorts after 2), strings byte by byte as unsigned chars. Returns <0, 0 or >0.
template <key_column T>
int compare_key_column(const T& a, const T& b) noexcept {
  if constexpr (std::is_same_v<T, std::string>) {
    int c = a.compare(b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  } else {
    using U = std::make_unsigned_t<T>;
    U x = static_cast<U>(a), y = static_cast<U>(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
}

/// Compares two keys column by column (DTrace's dt_aggregate_keycmp).
template <key_column... Ts>
int compare_keys(const std::tuple<Ts...>& a, const std::tuple<Ts...>& b) noexcept {
  int c = 0;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (void)(((c = compare_key_column(std::get<I>(a), std::get<I>(b))) == 0) && ...);
  }
  (std::index_sequence_for<Ts...>{});
  return c;
}

/// Orders keys as compare_keys does (for std::map).
struct key_less {
  template <key_column... Ts>
  bool operator()(const std::tuple<Ts...>& a, const std::tuple<Ts...>& b) const noexcept {
    return compare_keys(a, b) < 0;
  }
};

}  // namespace snare::aggregate
