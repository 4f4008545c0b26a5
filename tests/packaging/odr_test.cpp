// Tests that two translation units including <snare.hpp> link into one program and agree
// on snare's inline entities (no multiple definitions, one object per inline variable).
#include <cerrno>

#include <catch2/catch.hpp>

namespace snare::test {
const void* odr_version_address_a();
const void* odr_version_address_b();
int odr_result_a();
int odr_result_b();
}  // namespace snare::test

TEST_CASE("two translation units that include the umbrella link and share inline variables", "[packaging]") {
  REQUIRE(snare::test::odr_version_address_a() == snare::test::odr_version_address_b());
  REQUIRE(snare::test::odr_result_a() == EFAULT);
  REQUIRE(snare::test::odr_result_b() == EFAULT);
}
