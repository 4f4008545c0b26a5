// Defines the text helpers the aggregations print with: printf into a std::string, and the
// one row of a DTrace distribution (value label, bar of '@', count).
#pragma once

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace snare::aggregate::detail {

/// Appends printf(fmt, ...) to `out`.
[[gnu::format(printf, 2, 3)]] inline void append(std::string& out, const char* fmt, ...) {
  char small[128];
  std::va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<std::size_t>(n) < sizeof small) {
    out.append(small, static_cast<std::size_t>(n));
    return;
  }
  std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(n) + 1);
  va_start(ap, fmt);
  std::vsnprintf(out.data() + at, static_cast<std::size_t>(n) + 1, fmt, ap);
  va_end(ap);
  out.resize(at + static_cast<std::size_t>(n));
}

/// The column header of a distribution: "value", the 40-column title and "count", each
/// as wide as the rows below it (libdtrace prints "\n%16s %41s %-9s\n").
inline void append_distribution_header(std::string& out) {
  append(out, "\n%16s %41s %-9s\n", "value", "------------- Distribution -------------", "count");
}

/// What the bars of one distribution are scaled by: whether any shown bucket holds a
/// positive or a negative count (negative ones come from negative increments), and the
/// sum of their magnitudes.
struct bar_scale {
  bool positives = false, negatives = false;
  long double total = 0;
};

/// Returns the bar scale of counts[first..last].
inline bar_scale scale_of(std::span<const std::int64_t> counts, std::size_t first, std::size_t last) {
  bar_scale s;
  for (std::size_t i = first; i <= last; ++i) {
    s.positives |= counts[i] > 0;
    s.negatives |= counts[i] < 0;
    long double v = static_cast<long double>(counts[i]);
    s.total += v < 0 ? -v : v;
  }
  return s;
}

/// Appends the bar and count of one row (after its value label): 40 columns of '@' for
/// the whole total, rounded to the nearest column; bars to the left of the '|' when only
/// negative counts are shown, half-width bars on each side of it when both signs are.
/// The layout is DTrace's (libdtrace dt_print_quantline), so output compares with it.
inline void append_bar(std::string& out, std::int64_t count, const bar_scale& s) {
  auto depth_of = [&](unsigned width) -> unsigned {
    if (s.total == 0) return 0;
    long double v = static_cast<long double>(count);
    long double f = (v < 0 ? -v : v) * width / s.total;
    return static_cast<unsigned>(f + 0.5L);
  };
  const long long value = static_cast<long long>(count);
  if (!s.negatives) {
    unsigned depth = s.positives ? depth_of(40) : 0;
    out += '|';
    out.append(depth, '@');
    out.append(40 - depth, ' ');
    append(out, " %-9lld\n", value);
  } else if (!s.positives) {
    unsigned depth = depth_of(40);
    out.append(40 - depth, ' ');
    out.append(depth, '@');
    append(out, "| %-9lld\n", value);
  } else {
    unsigned depth = depth_of(20);
    if (count <= 0) {
      out.append(20 - depth, ' ');
      out.append(depth, '@');
      out += '|';
      out.append(20, ' ');
    } else {
      out.append(20, ' ');
      out += '|';
      out.append(depth, '@');
      out.append(20 - depth, ' ');
    }
    append(out, " %-9lld\n", value);
  }
}

/// Returns the buckets a distribution shows: from the bucket before the first non-zero one
/// to the bucket after the last (each within the array), or `none` when all are zero.
struct shown_range {
  std::size_t first, last;
};
inline shown_range shown_buckets(std::span<const std::int64_t> counts, shown_range none) {
  std::size_t first = 0, last = counts.size();
  while (first < counts.size() && counts[first] == 0) ++first;
  if (first == counts.size()) return none;
  while (last > 0 && counts[last - 1] == 0) --last;
  --last;  // now the last non-zero bucket
  if (first > 0) --first;
  if (last + 1 < counts.size()) ++last;
  return {first, last};
}

}  // namespace snare::aggregate::detail
