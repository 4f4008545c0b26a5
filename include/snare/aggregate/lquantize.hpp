// Defines snare::aggregate::lquantize: DTrace's linear frequency distribution (D's
// lquantize(v, low, high[, step[, incr]])) and its histogram text with "< low" and
// ">= high" rows.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <snare/aggregate/detail/text.hpp>

namespace snare::aggregate {

/// A histogram with a bucket per `step` from `low` up to `high`, plus one bucket for the
/// values below low and one for those at or above low + levels * step, where levels =
/// (high - low) / step (integer division, as DTrace's; at most 65535, its 16-bit field).
/// Source: DTrace's dtrace_aggregate_lquantize and DTRACE_LQUANTIZE_* (dtrace.c,
/// sys/dtrace.h).
class lquantize {
 public:
  /// Makes an empty histogram. Throws std::invalid_argument unless step > 0 and
  /// 1 <= (high - low) / step <= 65535 (DTrace refuses the same at compile time).
  lquantize(std::int32_t low, std::int32_t high, std::int32_t step = 1) : low_(low), step_(step) {
    const std::int64_t span = std::int64_t{high} - low;
    if (step <= 0) throw std::invalid_argument("lquantize: step must be positive");
    if (span < step) throw std::invalid_argument("lquantize: high must be at least low + step");
    if (span / step > 65535) throw std::invalid_argument("lquantize: more than 65535 levels");
    levels_ = static_cast<std::int32_t>(span / step);
    buckets_.assign(static_cast<std::size_t>(levels_) + 2, 0);
  }

  std::int32_t low() const noexcept { return low_; }
  std::int32_t step() const noexcept { return step_; }
  std::int32_t levels() const noexcept { return levels_; }
  /// Returns the first value of the overflow bucket: low + levels * step.
  std::int64_t high() const noexcept { return std::int64_t{low_} + std::int64_t{levels_} * step_; }

  /// Returns the bucket `v` falls in: 0 below low, levels + 1 at or above high(), else
  /// 1 + (v - low) / step.
  std::size_t bucket_of(std::int64_t v) const noexcept {
    if (v < low_) return 0;
    if (v >= high()) return static_cast<std::size_t>(levels_) + 1;
    return static_cast<std::size_t>((v - low_) / step_) + 1;
  }
  /// Adds `incr` (1 by default; DTrace allows any, negative included) to v's bucket.
  void add(std::int64_t v, std::int64_t incr = 1) noexcept {
    auto& b = buckets_[bucket_of(v)];
    b = static_cast<std::int64_t>(static_cast<std::uint64_t>(b) + static_cast<std::uint64_t>(incr));
  }
  /// Adds every bucket of `o`; returns false, changing nothing, when o has other bounds.
  bool merge(const lquantize& o) noexcept {
    if (o.low_ != low_ || o.step_ != step_ || o.levels_ != levels_) return false;
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      buckets_[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(buckets_[i]) +
                                              static_cast<std::uint64_t>(o.buckets_[i]));
    return true;
  }

  /// Returns the counts: [0] below low, [1..levels] the steps, [levels + 1] the overflow.
  std::span<const std::int64_t> buckets() const noexcept { return buckets_; }
  /// Returns the count in the bucket of `v`.
  std::int64_t count_of(std::int64_t v) const noexcept { return buckets_[bucket_of(v)]; }
  /// Returns the sum of the counts.
  std::int64_t total() const noexcept {
    std::int64_t t = 0;
    for (auto c : buckets_) t += c;
    return t;
  }

  /// Orders as DTrace sorts lquantize entries: by the sum of count x weight, a step's
  /// weight its first value, the underflow's low - 1 and the overflow's high() + 1; then
  /// by the count of the bucket weighing 0, if one does (dt_aggregate_lquantizedcmp).
  int compare(const lquantize& o) const noexcept {
    long double a = weighted_sum(), b = o.weighted_sum();
    if (a != b) return a < b ? -1 : 1;
    std::int64_t za = zero_weight_count(), zb = o.zero_weight_count();
    return za < zb ? -1 : za > zb ? 1 : 0;
  }

  /// Appends the histogram as DTrace prints it: a blank line, the column header, then one
  /// row per bucket from the one before the first non-zero bucket to the one after the
  /// last (the first three when all are zero), labelled "< low", each step's first value,
  /// ">= high()" (dt_print_lquantize).
  void append_to(std::string& out) const {
    auto shown = detail::shown_buckets(buckets_, {0, 2});
    auto scale = detail::scale_of(buckets_, shown.first, shown.last);
    detail::append_distribution_header(out);
    const std::size_t overflow = static_cast<std::size_t>(levels_) + 1;
    for (std::size_t i = shown.first; i <= shown.last; ++i) {
      char label[32];
      if (i == 0)
        std::snprintf(label, sizeof label, "< %d", static_cast<int>(low_));
      else if (i == overflow)
        std::snprintf(label, sizeof label, ">= %lld", static_cast<long long>(high()));
      else
        std::snprintf(label, sizeof label, "%lld", static_cast<long long>(first_value(i)));
      detail::append(out, "%16s ", label);
      detail::append_bar(out, buckets_[i], scale);
    }
  }

 private:
  std::int64_t first_value(std::size_t i) const noexcept {
    return std::int64_t{low_} + static_cast<std::int64_t>(i - 1) * step_;
  }
  long double weighted_sum() const noexcept {
    const std::size_t overflow = static_cast<std::size_t>(levels_) + 1;
    long double t = static_cast<long double>(buckets_[0]) * static_cast<long double>(std::int64_t{low_} - 1);
    for (std::size_t i = 1; i < overflow; ++i)
      t += static_cast<long double>(buckets_[i]) * static_cast<long double>(first_value(i));
    return t + static_cast<long double>(buckets_[overflow]) * static_cast<long double>(high() + 1);
  }
  std::int64_t zero_weight_count() const noexcept {
    if (std::int64_t{low_} - 1 == 0) return buckets_[0];
    for (std::size_t i = 1; i <= static_cast<std::size_t>(levels_); ++i)
      if (first_value(i) == 0) return buckets_[i];
    if (high() + 1 == 0) return buckets_.back();
    return 0;
  }

  std::int32_t low_, step_, levels_ = 0;
  std::vector<std::int64_t> buckets_;
};

}  // namespace snare::aggregate
