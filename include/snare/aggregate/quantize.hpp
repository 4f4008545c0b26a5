// Defines snare::aggregate::quantize: DTrace's power-of-two frequency distribution (D's
// quantize(v[, incr])) and its text, the "value ---- Distribution ---- count" histogram.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string>

#include <snare/aggregate/detail/text.hpp>

namespace snare::aggregate {

/// A power-of-two histogram of 64-bit values, with DTrace's 127 buckets: one for 0, and
/// for each sign 63 buckets [2^k, 2^(k+1)) and (-2^(k+1), -2^k] for k = 0..62 (values of
/// magnitude 2^62 and beyond fall in the outermost buckets). Each bucket is labelled by
/// the power of two nearest zero (1, 2, 4, ...; -1, -2, -4, ...). Source: DTrace's
/// DTRACE_QUANTIZE_* definitions and dtrace_aggregate_quantize (sys/dtrace.h, dtrace.c).
class quantize {
 public:
  static constexpr int bucket_count = 127;
  static constexpr int zero_bucket = 63;

  /// Returns bucket i's label: -2^(62-i) below zero_bucket, 0, 2^(i-64) above.
  static constexpr std::int64_t bucket_value(int i) noexcept {
    if (i < zero_bucket) return -(std::int64_t{1} << (zero_bucket - 1 - i));
    if (i == zero_bucket) return 0;
    return std::int64_t{1} << (i - zero_bucket - 1);
  }
  /// Returns the bucket `v` falls in.
  static constexpr int bucket_of(std::int64_t v) noexcept {
    if (v == 0) return zero_bucket;
    if (v > 0) return bucket_count - std::countl_zero(static_cast<std::uint64_t>(v));
    // -v as an unsigned magnitude (INT64_MIN included); 2^62 and more go to bucket 0.
    int b = std::countl_zero(std::uint64_t{0} - static_cast<std::uint64_t>(v)) - 1;
    return b < 0 ? 0 : b;
  }

  /// Adds `incr` (1 by default; DTrace allows any, negative included) to v's bucket.
  constexpr void add(std::int64_t v, std::int64_t incr = 1) noexcept {
    auto& b = buckets_[static_cast<std::size_t>(bucket_of(v))];
    b = static_cast<std::int64_t>(static_cast<std::uint64_t>(b) + static_cast<std::uint64_t>(incr));
  }
  /// Adds every bucket of `o`.
  constexpr void merge(const quantize& o) noexcept {
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      buckets_[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(buckets_[i]) +
                                              static_cast<std::uint64_t>(o.buckets_[i]));
  }

  /// Returns the count in bucket i (0 <= i < bucket_count).
  constexpr std::int64_t at(int i) const noexcept { return buckets_[static_cast<std::size_t>(i)]; }
  /// Returns the count in the bucket of `v`.
  constexpr std::int64_t count_of(std::int64_t v) const noexcept { return at(bucket_of(v)); }
  /// Returns the counts, bucket by bucket.
  std::span<const std::int64_t, bucket_count> buckets() const noexcept { return buckets_; }
  /// Returns the sum of the counts (the number of values added, with increments of 1).
  constexpr std::int64_t total() const noexcept {
    std::int64_t t = 0;
    for (auto c : buckets_) t += c;
    return t;
  }

  /// Orders as DTrace sorts quantize entries: by the sum of label x count over the
  /// buckets, then by the count at zero (dt_aggregate_quantizedcmp).
  int compare(const quantize& o) const noexcept {
    long double a = 0, b = 0;
    for (int i = 0; i < bucket_count; ++i) {
      a += static_cast<long double>(bucket_value(i)) * static_cast<long double>(at(i));
      b += static_cast<long double>(bucket_value(i)) * static_cast<long double>(o.at(i));
    }
    if (a != b) return a < b ? -1 : 1;
    std::int64_t za = at(zero_bucket), zb = o.at(zero_bucket);
    return za < zb ? -1 : za > zb ? 1 : 0;
  }

  /// Appends the histogram as DTrace prints it: a blank line, the column header, then one
  /// row per bucket from the one before the first non-zero bucket to the one after the
  /// last (-1, 0, 1 when all are zero), each "%16lld |<bar> count" (dt_print_quantize).
  void append_to(std::string& out) const {
    auto shown = detail::shown_buckets(buckets_, {zero_bucket - 1, zero_bucket + 1});
    auto scale = detail::scale_of(buckets_, shown.first, shown.last);
    detail::append_distribution_header(out);
    for (std::size_t i = shown.first; i <= shown.last; ++i) {
      detail::append(out, "%16lld ", static_cast<long long>(bucket_value(static_cast<int>(i))));
      detail::append_bar(out, buckets_[i], scale);
    }
  }

 private:
  std::array<std::int64_t, bucket_count> buckets_{};
};

}  // namespace snare::aggregate
