// Tests that the version macros, string and function agree.
#include <snare/version.hpp>

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("the version string is built from the three version macros", "[core]") {
  std::string expected = std::to_string(SNARE_VERSION_MAJOR) + "." + std::to_string(SNARE_VERSION_MINOR) +
                         "." + std::to_string(SNARE_VERSION_PATCH);
  REQUIRE(std::string(snare::version_string) == expected);
  REQUIRE(std::string(SNARE_VERSION_STRING) == expected);
  STATIC_REQUIRE(snare::version() ==
                 SNARE_VERSION_MAJOR * 10000 + SNARE_VERSION_MINOR * 100 + SNARE_VERSION_PATCH);
}
