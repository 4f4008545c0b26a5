#include <snare/result.hpp>

#include <catch2/catch.hpp>

TEST_CASE("result holds a value or an error", "[core]") {
  snare::result<int> ok = 42;
  REQUIRE(ok.has_value());
  REQUIRE(*ok == 42);
  snare::result<int> bad = std::errc::bad_address;
  REQUIRE_FALSE(bad);
  REQUIRE(bad.error_number() == EFAULT);
  REQUIRE(bad.value_or(7) == 7);
  STATIC_REQUIRE(snare::result<int>(std::errc::invalid_argument).error() == std::errc::invalid_argument);
}
