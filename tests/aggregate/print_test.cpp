// Tests of the printed text against DTrace's: outputs recorded by DTrace's own test suite
// (oracle/dtrace-utils test/unittest/aggs/*.r, rebuilt here from the same D programs), and
// hand-checked cases for the bucket edges (0, 1, negative values, lquantize's under- and
// overflow), empty histograms and negative increments. Every line of a histogram is
// "%16s " + a 40-column bar + " %-9lld" (so the count column has trailing blanks).
#include <cstdint>
#include <string>

#include <snare/aggregate.hpp>

#include <catch2/catch.hpp>

namespace agg = snare::aggregate;

namespace {
const std::string header = "           value  ------------- Distribution ------------- count    \n";
}  // namespace

TEST_CASE("count keyed by a string prints as DTrace's writes-by-command example", "[aggregate]") {
  // The Solaris Dynamic Tracing Guide's @counts[execname] = count() output: the key in 52
  // columns, the value right-aligned to column 69.
  agg::aggregation<agg::count, std::string> counts;
  counts("dtrace").add();
  for (int i = 0; i < 4; ++i) counts("cat").add();
  REQUIRE(counts.to_string() ==
          "\n"
          "  dtrace                                                            1\n"
          "  cat                                                               4\n");
}

TEST_CASE("quantize with data only in the last bucket prints as DTrace's tst.quantlast", "[aggregate]") {
  // @ = quantize(0x4000000000000000, 1234): no key, the bucket before, no bucket after.
  agg::aggregation<agg::quantize> q;
  q().add(0x4000000000000000, 1234);
  REQUIRE(q.to_string() == "\n\n" + header +
                               "2305843009213693952 |                                         0        \n"
                               "4611686018427387904 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1234     \n"
                               "\n");
}

TEST_CASE("lquantize keyed by an int prints as DTrace's tst.trunc-lquantize-5", "[aggregate]") {
  // @[100 + i] = lquantize(i + 1 .. i + 4, 0, 150, 1, 10000 + i) for i = 95..99, and
  // @[200 + i] = ... 20000 + i for i = 101: what trunc(@, 5) left, in DTrace's order.
  agg::aggregation<agg::lquantize, int> a{agg::lquantize(0, 150, 1)};
  auto fill = [&](int key, int i, int incr) {
    for (int v = i + 1; v <= i + 4; ++v) a(key).add(v, incr);
  };
  for (int i = 95; i <= 99; ++i) fill(100 + i, i, 10000 + i);
  fill(301, 101, 20101);
  std::string expected = "\n";
  auto label = [](int v) {  // "%16d "
    std::string s = std::to_string(v);
    return std::string(16 - s.size(), ' ') + s + " ";
  };
  auto entry = [&](int key, int first, long long count) {
    expected += "      " + std::to_string(key) + "\n" + header;
    expected += label(first - 1) + "|                                         0        \n";
    for (int v = first; v < first + 4; ++v)
      expected += label(v) + "|@@@@@@@@@@                               " + std::to_string(count) + "    \n";
    expected += label(first + 4) + "|                                         0        \n\n";
  };
  for (int i = 95; i <= 99; ++i) entry(100 + i, i + 1, 10000 + i);
  entry(301, 102, 20101);
  // A few lines of tst.trunc-lquantize-5.r verbatim, so the builder above cannot drift.
  REQUIRE(expected.find("\n      195\n" + header +
                        "              95 |                                         0        \n"
                        "              96 |@@@@@@@@@@                               10095    \n") !=
          std::string::npos);
  REQUIRE(a.to_string() == expected);
}

TEST_CASE("integer keys print by their size and sort as unsigned, as DTrace's tst.signedkeys",
          "[aggregate]") {
  // @i8[(char)k] = sum(k) ... for k = -2..2, with the aggsortkey option.
  agg::aggregation<agg::sum, std::int8_t> i8;
  agg::aggregation<agg::sum, std::int16_t> i16;
  agg::aggregation<agg::sum, std::int32_t> i32;
  agg::aggregation<agg::sum, std::int64_t> i64;
  for (int k = -2; k <= 2; ++k) {
    i8(static_cast<std::int8_t>(k)).add(k);
    i16(static_cast<std::int16_t>(k)).add(k);
    i32(k).add(k);
    i64(std::int64_t{k}).add(k);
  }
  REQUIRE(i8.to_string(agg::order::by_key) ==
          "\n   0                0\n   1                1\n   2                2\n 254               -2\n"
          " 255               -1\n");
  REQUIRE(
      i16.to_string(agg::order::by_key) ==
      "\n     0                0\n     1                1\n     2                2\n 65534               -2\n"
      " 65535               -1\n");
  REQUIRE(i32.to_string(agg::order::by_key) ==
          "\n        0                0\n        1                1\n        2                2\n"
          "       -2               -2\n       -1               -1\n");
  REQUIRE(i64.to_string(agg::order::by_key) ==
          "\n                0                0\n                1                1\n"
          "                2                2\n               -2               -2\n"
          "               -1               -1\n");
}

TEST_CASE("quantize prints the buckets around 0, 1 and negative values", "[aggregate]") {
  agg::aggregation<agg::quantize, std::string> q;
  for (std::int64_t v : {-1, 0, 1, 1}) q("edges").add(v);
  // total 4: one value is 10 columns of '@', two are 20.
  REQUIRE(q.to_string() == "\n  edges                                             \n" + header +
                               "              -2 |                                         0        \n"
                               "              -1 |@@@@@@@@@@                               1        \n"
                               "               0 |@@@@@@@@@@                               1        \n"
                               "               1 |@@@@@@@@@@@@@@@@@@@@                     2        \n"
                               "               2 |                                         0        \n"
                               "\n");
  SECTION("a bar is rounded to the nearest column: 1 of 3 is 13, 2 of 3 is 27") {
    agg::aggregation<agg::quantize> t;
    t().add(4);
    t().add(9);
    t().add(10);
    REQUIRE(t.to_string() == "\n\n" + header +
                                 "               2 |                                         0        \n"
                                 "               4 |@@@@@@@@@@@@@                            1        \n"
                                 "               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@              2        \n"
                                 "              16 |                                         0        \n"
                                 "\n");
  }
}

TEST_CASE("an entry without data prints the buckets around zero", "[aggregate]") {
  agg::aggregation<agg::quantize> q;
  (void)q();
  REQUIRE(q.to_string() == "\n\n" + header +
                               "              -1 |                                         0        \n"
                               "               0 |                                         0        \n"
                               "               1 |                                         0        \n"
                               "\n");
  agg::aggregation<agg::lquantize> l{agg::lquantize(-10, 10, 5)};
  (void)l();
  REQUIRE(l.to_string() == "\n\n" + header +
                               "           < -10 |                                         0        \n"
                               "             -10 |                                         0        \n"
                               "              -5 |                                         0        \n"
                               "\n");
}

TEST_CASE("lquantize prints its under- and overflow rows", "[aggregate]") {
  agg::aggregation<agg::lquantize> l{agg::lquantize(0, 10, 2)};
  for (int v = -5; v < 15; ++v) l().add(v);
  // total 20: 5 values are 10 columns, 2 are 4.
  REQUIRE(l.to_string() == "\n\n" + header +
                               "             < 0 |@@@@@@@@@@                               5        \n"
                               "               0 |@@@@                                     2        \n"
                               "               2 |@@@@                                     2        \n"
                               "               4 |@@@@                                     2        \n"
                               "               6 |@@@@                                     2        \n"
                               "               8 |@@@@                                     2        \n"
                               "           >= 10 |@@@@@@@@@@                               5        \n"
                               "\n");
  SECTION("only the overflow: the step before it, no row after") {
    agg::aggregation<agg::lquantize> o{agg::lquantize(0, 10, 2)};
    o().add(1000);
    REQUIRE(o.to_string() == "\n\n" + header +
                                 "               8 |                                         0        \n"
                                 "           >= 10 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n"
                                 "\n");
  }
  SECTION("only the underflow: no row before it, the first step after") {
    agg::aggregation<agg::lquantize> u{agg::lquantize(0, 10, 2)};
    u().add(-1);
    REQUIRE(u.to_string() == "\n\n" + header +
                                 "             < 0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n"
                                 "               0 |                                         0        \n"
                                 "\n");
  }
}

TEST_CASE("negative increments draw bars to the left of the axis", "[aggregate]") {
  SECTION("only negative counts: 40-column bars ending at the '|'") {
    agg::aggregation<agg::quantize> q;
    q().add(2, -2);
    q().add(4, -2);
    REQUIRE(q.to_string() == "\n\n" + header +
                                 "               1                                         | 0        \n"
                                 "               2                     @@@@@@@@@@@@@@@@@@@@| -2       \n"
                                 "               4                     @@@@@@@@@@@@@@@@@@@@| -2       \n"
                                 "               8                                         | 0        \n"
                                 "\n");
  }
  SECTION("both signs: half-width bars on each side") {
    agg::aggregation<agg::quantize> q;
    q().add(1, 3);
    q().add(2, -1);
    // total 4: 3 is 15 of 20 columns to the right, -1 is 5 to the left.
    REQUIRE(q.to_string() == "\n\n" + header +
                                 "               0                     |                     0        \n"
                                 "               1                     |@@@@@@@@@@@@@@@      3        \n"
                                 "               2                @@@@@|                     -1       \n"
                                 "               4                     |                     0        \n"
                                 "\n");
  }
}

TEST_CASE("scalar values print after every key column", "[aggregate]") {
  agg::aggregation<agg::avg, std::string, int> a;
  a("vm0", 7).add(10);
  a("vm0", 7).add(21);
  agg::aggregation<agg::max> m;
  m().add(-5);
  REQUIRE(a.to_string() ==
          "\n  vm0                                                       7               15\n");
  REQUIRE(m.to_string() == "\n               -5\n");
}
