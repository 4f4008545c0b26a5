// Defines snare::test::find_histogram: reads one entry of a printed quantize aggregation
// (the rows under a key line) back into labels and counts, for the tests that run tools.
#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace snare::test {

/// Returns the key line DTrace prints for string key columns: each "  %-50s".
inline std::string key_line(const std::vector<std::string>& columns) {
  std::string s;
  for (auto& c : columns) s += "  " + c + std::string(c.size() < 50 ? 50 - c.size() : 0, ' ');
  return s;
}

/// One histogram row: the bucket's label (its lower bound) and its count.
struct row {
  std::int64_t value;
  std::int64_t count;
};

/// Returns the rows of the histogram under the line `key` in `text`, or nothing when no
/// line is `key`. Rows are "%16lld |<40-column bar> count"; the histogram ends at a blank line.
inline std::optional<std::vector<row>> find_histogram(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line) && line != key) {
  }
  if (line != key) return std::nullopt;
  std::vector<row> rows;
  std::getline(in, line);  // the column header
  while (std::getline(in, line) && !line.empty()) {
    auto bar = line.find('|');
    if (bar == std::string::npos || line.size() < bar + 42) return std::nullopt;
    rows.push_back({std::stoll(line.substr(0, bar)), std::stoll(line.substr(bar + 42))});
  }
  return rows;
}

/// Returns the sum of the counts of `rows`.
inline std::int64_t total(const std::vector<row>& rows) {
  std::int64_t t = 0;
  for (auto& r : rows) t += r.count;
  return t;
}

/// Says whether every row holding values is at or above the bucket of `ns` (the power of two
/// at or below it): nothing took less than `ns`.
inline bool all_at_least(const std::vector<row>& rows, std::int64_t ns) {
  std::int64_t floor = 1;
  while (floor * 2 <= ns) floor *= 2;
  for (auto& r : rows)
    if (r.count != 0 && r.value < floor) return false;
  return true;
}

}  // namespace snare::test
