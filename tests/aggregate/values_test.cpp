// Tests of the aggregating functions' values: count, sum, min, max, avg, quantize's and
// lquantize's buckets (edges: 0, 1, negative values, under- and overflow), merging, and
// the order DTrace prints entries in.
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <snare/aggregate.hpp>

#include <catch2/catch.hpp>

namespace agg = snare::aggregate;
using i64 = std::int64_t;
constexpr i64 i64_max = std::numeric_limits<i64>::max(), i64_min = std::numeric_limits<i64>::min();

TEST_CASE("count, sum, min, max and avg aggregate as DTrace's", "[aggregate]") {
  agg::count c;
  agg::sum s;
  agg::min lo;
  agg::max hi;
  agg::avg a;
  REQUIRE(lo.value() == i64_max);  // DTrace's starting values
  REQUIRE(hi.value() == i64_min);
  REQUIRE(a.value() == 0);
  for (i64 v : {5, -3, 12, 0}) {
    c.add();
    s.add(v);
    lo.add(v);
    hi.add(v);
    a.add(v);
  }
  REQUIRE(c.value() == 4);
  REQUIRE(s.value() == 14);
  REQUIRE(lo.value() == -3);
  REQUIRE(hi.value() == 12);
  REQUIRE(a.samples() == 4);
  REQUIRE(a.total() == 14);
  REQUIRE(a.value() == 3);  // 14 / 4 truncated

  SECTION("avg truncates toward zero, as C's division") {
    agg::avg n;
    n.add(-3);
    n.add(-4);
    REQUIRE(n.value() == -3);
  }
  SECTION("sum wraps around at 64 bits") {
    agg::sum w;
    w.add(i64_max);
    w.add(1);
    REQUIRE(w.value() == i64_min);
  }
  SECTION("merging two partial results gives the result of all the data") {
    agg::count c2;
    c2.add();
    c.merge(c2);
    REQUIRE(c.value() == 5);
    agg::min lo2;
    lo2.add(-10);
    lo.merge(lo2);
    REQUIRE(lo.value() == -10);
    agg::max hi2;  // empty: INT64_MIN changes nothing
    hi.merge(hi2);
    REQUIRE(hi.value() == 12);
    agg::avg a2;
    a2.add(26);
    a.merge(a2);
    REQUIRE(a.value() == 8);  // 40 / 5
  }
}

TEST_CASE("quantize puts each value in its power-of-two bucket", "[aggregate]") {
  using q = agg::quantize;
  REQUIRE(q::bucket_value(q::zero_bucket) == 0);
  REQUIRE(q::bucket_value(q::zero_bucket + 1) == 1);
  REQUIRE(q::bucket_value(q::zero_bucket - 1) == -1);
  REQUIRE(q::bucket_value(0) == -(i64{1} << 62));
  REQUIRE(q::bucket_value(q::bucket_count - 1) == i64{1} << 62);

  // value -> the label of its bucket (the power of two nearest zero at or below |value|)
  const std::pair<i64, i64> cases[] = {
      {0, 0},
      {1, 1},
      {2, 2},
      {3, 2},
      {4, 4},
      {7, 4},
      {8, 8},
      {-1, -1},
      {-2, -2},
      {-3, -2},
      {-4, -4},
      {-5, -4},
      {1000, 512},
      {1024, 1024},
      {1023, 512},
      {i64{1} << 62, i64{1} << 62},
      {(i64{1} << 62) - 1, i64{1} << 61},
      {i64_max, i64{1} << 62},
      {i64_min, -(i64{1} << 62)},
      {-(i64{1} << 62), -(i64{1} << 62)},
  };
  for (auto [v, label] : cases) {
    INFO("value " << v);
    REQUIRE(q::bucket_value(q::bucket_of(v)) == label);
  }

  q h;
  h.add(0);
  h.add(1);
  h.add(1);
  h.add(-7);
  h.add(100, 5);  // an increment, as D's quantize(v, incr)
  REQUIRE(h.count_of(0) == 1);
  REQUIRE(h.count_of(1) == 2);
  REQUIRE(h.count_of(-4) == 1);
  REQUIRE(h.count_of(64) == 5);
  REQUIRE(h.count_of(127) == 5);
  REQUIRE(h.count_of(2) == 0);
  REQUIRE(h.total() == 9);

  q other;
  other.add(1);
  h.merge(other);
  REQUIRE(h.count_of(1) == 3);
}

TEST_CASE("lquantize counts below low, each step, and at or above high", "[aggregate]") {
  agg::lquantize l(0, 10, 2);
  REQUIRE(l.levels() == 5);
  REQUIRE(l.high() == 10);
  for (i64 v = -5; v < 15; ++v) l.add(v);
  auto b = l.buckets();
  REQUIRE(b.size() == 7);
  REQUIRE(b[0] == 5);  // -5..-1
  for (std::size_t i = 1; i <= 5; ++i) REQUIRE(b[i] == 2);
  REQUIRE(b[6] == 5);  // 10..14
  REQUIRE(l.count_of(i64_min) == 5);
  REQUIRE(l.count_of(i64_max) == 5);

  SECTION("a step that does not divide the range ends the last level early, as DTrace's") {
    agg::lquantize odd(0, 10, 3);  // levels 0, 3, 6; overflow from 9
    REQUIRE(odd.levels() == 3);
    REQUIRE(odd.high() == 9);
    REQUIRE(odd.bucket_of(8) == 3);
    REQUIRE(odd.bucket_of(9) == 4);
  }
  SECTION("bounds DTrace refuses are refused") {
    REQUIRE_THROWS_AS(agg::lquantize(0, 10, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(agg::lquantize(10, 0, 1), std::invalid_argument);
    REQUIRE_THROWS_AS(agg::lquantize(0, 5, 10), std::invalid_argument);
    REQUIRE_THROWS_AS(agg::lquantize(0, 70000, 1), std::invalid_argument);
  }
  SECTION("only histograms with the same bounds merge") {
    agg::lquantize same(0, 10, 2), other(0, 20, 2);
    same.add(3);
    REQUIRE(l.merge(same));
    REQUIRE(l.count_of(3) == 3);
    REQUIRE_FALSE(l.merge(other));
  }
}

TEST_CASE("an aggregation keeps one function per key tuple and merges another", "[aggregate]") {
  agg::aggregation<agg::count, std::string, int> calls;
  calls("read", 1).add();
  calls("read", 1).add();
  calls("read", 2).add();
  calls(std::string("write"), 1).add();
  REQUIRE(calls.size() == 3);
  REQUIRE(calls.find({"read", 1})->value() == 2);
  REQUIRE(calls.find({"read", 3}) == nullptr);

  agg::aggregation<agg::count, std::string, int> more;
  more("read", 1).add();
  more("open", 7).add();
  REQUIRE(calls.merge(more));
  REQUIRE(calls.size() == 4);
  REQUIRE(calls.find({"read", 1})->value() == 3);
  REQUIRE(calls.find({"open", 7})->value() == 1);

  SECTION("lquantize entries start from the aggregation's prototype") {
    agg::aggregation<agg::lquantize, std::string> sizes{agg::lquantize(0, 100, 10)};
    sizes("a").add(55);
    REQUIRE(sizes.find({"a"})->levels() == 10);
    REQUIRE(sizes.find({"a"})->count_of(50) == 1);
  }
}

TEST_CASE("entries are ordered by value, ties by key, as DTrace prints them", "[aggregate]") {
  agg::aggregation<agg::sum, std::string> s;
  s("b").add(5);
  s("a").add(5);
  s("c").add(-1);
  s("d").add(100);
  std::string order;
  for (auto* e : s.sorted()) order += std::get<0>(e->first);
  REQUIRE(order == "cabd");
  order.clear();
  for (auto* e : s.sorted(agg::order::by_key)) order += std::get<0>(e->first);
  REQUIRE(order == "abcd");

  SECTION("integer keys order as unsigned values of their size") {
    agg::aggregation<agg::count, int> k;
    for (int v : {-1, 2, 0}) k(v).add();
    std::string seen;
    for (auto* e : k.sorted()) seen += std::to_string(std::get<0>(e->first)) + " ";
    REQUIRE(seen == "0 2 -1 ");
  }
  SECTION("quantize entries order by the sum of label x count") {
    agg::aggregation<agg::quantize, std::string> q;
    q("slow").add(1000);
    q("fast").add(3);
    q("fast").add(3);  // 2 + 2 = 4 < 512
    q("zero").add(0);
    std::string seen;
    for (auto* e : q.sorted()) seen += std::get<0>(e->first) + " ";
    REQUIRE(seen == "zero fast slow ");
  }
  SECTION("avg entries order by their truncated mean") {
    agg::aggregation<agg::avg, std::string> a;
    a("x").add(10);
    a("y").add(3);
    a("y").add(4);  // 3
    std::string seen;
    for (auto* e : a.sorted()) seen += std::get<0>(e->first);
    REQUIRE(seen == "yx");
  }
}

TEST_CASE("aggregations are default-constructible global state unless their function needs bounds",
          "[aggregate]") {
  STATIC_REQUIRE(agg::key_column<std::string>);
  STATIC_REQUIRE(agg::key_column<int>);
  STATIC_REQUIRE(agg::key_column<std::uint8_t>);
  STATIC_REQUIRE_FALSE(agg::key_column<double>);
  STATIC_REQUIRE_FALSE(agg::key_column<bool>);
  STATIC_REQUIRE_FALSE(agg::key_column<const char*>);  // keys own their text
  STATIC_REQUIRE(agg::aggregating_function<agg::count>);
  STATIC_REQUIRE(agg::aggregating_function<agg::avg>);
  STATIC_REQUIRE(agg::aggregating_function<agg::quantize>);
  STATIC_REQUIRE(agg::aggregating_function<agg::lquantize>);
  STATIC_REQUIRE(std::is_default_constructible_v<agg::aggregation<agg::quantize, std::string, int>>);
  STATIC_REQUIRE_FALSE(std::is_default_constructible_v<agg::aggregation<agg::lquantize, std::string>>);
  struct global_state {
    agg::aggregation<agg::lquantize, std::string> sizes{agg::lquantize(0, 4096, 512)};
  };
  STATIC_REQUIRE(std::is_default_constructible_v<global_state>);
  global_state s;
  s.sizes("read").add(600);
  REQUIRE(s.sizes.find({"read"})->count_of(512) == 1);
}
