// Defines DTrace's scalar aggregating functions: count, sum, min, max and avg. Each is
// a small value with add() (one datum), merge() (another partial result, as DTrace folds
// its per-CPU buffers), value(), compare() (the order DTrace prints entries in) and
// append_to() (the value as DTrace prints it after the keys: " %16lld").
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include <snare/aggregate/detail/text.hpp>

namespace snare::aggregate {

namespace detail {
/// Returns a + b wrapping around as DTrace's 64-bit counters do (no undefined overflow).
constexpr std::int64_t wrapping_add(std::int64_t a, std::int64_t b) noexcept {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
constexpr int compare_values(std::int64_t a, std::int64_t b) noexcept { return a < b ? -1 : a > b ? 1 : 0; }

/// The part the scalar functions share: one 64-bit value, ordered and printed as is.
template <class Derived>
class scalar_base {
 public:
  constexpr std::int64_t value() const noexcept { return value_; }
  constexpr int compare(const Derived& other) const noexcept { return compare_values(value_, other.value_); }
  void append_to(std::string& out) const { append(out, " %16lld", static_cast<long long>(value_)); }

 protected:
  std::int64_t value_ = 0;
};
}  // namespace detail

/// The number of times it was called (D's count()).
struct count : detail::scalar_base<count> {
  constexpr void add() noexcept { value_ = detail::wrapping_add(value_, 1); }
  constexpr void merge(const count& o) noexcept { value_ = detail::wrapping_add(value_, o.value_); }
};

/// The sum of the values given (D's sum(v)); wraps around at 64 bits as DTrace's.
struct sum : detail::scalar_base<sum> {
  constexpr void add(std::int64_t v) noexcept { value_ = detail::wrapping_add(value_, v); }
  constexpr void merge(const sum& o) noexcept { value_ = detail::wrapping_add(value_, o.value_); }
};

/// The smallest value given (D's min(v)); INT64_MAX before the first, as DTrace starts it.
struct min : detail::scalar_base<min> {
  constexpr min() noexcept { value_ = std::numeric_limits<std::int64_t>::max(); }
  constexpr void add(std::int64_t v) noexcept { value_ = v < value_ ? v : value_; }
  constexpr void merge(const min& o) noexcept { add(o.value_); }
};

/// The largest value given (D's max(v)); INT64_MIN before the first, as DTrace starts it.
struct max : detail::scalar_base<max> {
  constexpr max() noexcept { value_ = std::numeric_limits<std::int64_t>::min(); }
  constexpr void add(std::int64_t v) noexcept { value_ = v > value_ ? v : value_; }
  constexpr void merge(const max& o) noexcept { add(o.value_); }
};

/// The arithmetic mean of the values given (D's avg(v)), kept as a count and a total; the
/// value is total / count truncated toward zero as C divides (0 before the first value),
/// which is what DTrace prints and sorts by.
class avg {
 public:
  constexpr void add(std::int64_t v) noexcept {
    count_ = detail::wrapping_add(count_, 1);
    total_ = detail::wrapping_add(total_, v);
  }
  constexpr void merge(const avg& o) noexcept {
    count_ = detail::wrapping_add(count_, o.count_);
    total_ = detail::wrapping_add(total_, o.total_);
  }
  constexpr std::int64_t value() const noexcept { return count_ != 0 ? total_ / count_ : 0; }
  constexpr std::int64_t samples() const noexcept { return count_; }
  constexpr std::int64_t total() const noexcept { return total_; }
  constexpr int compare(const avg& o) const noexcept { return detail::compare_values(value(), o.value()); }
  void append_to(std::string& out) const { detail::append(out, " %16lld", static_cast<long long>(value())); }

 private:
  std::int64_t count_ = 0, total_ = 0;
};

}  // namespace snare::aggregate
