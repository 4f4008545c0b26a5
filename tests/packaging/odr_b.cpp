// Defines the second of two translation units that include the umbrella header, so that
// the ODR test links them together.
#include <snare.hpp>

namespace snare::test {

/// Returns the address of snare's inline version variable as this translation unit sees it.
const void* odr_version_address_b() { return &snare::version_string; }

/// Returns a value computed with snare's templates in this translation unit.
int odr_result_b() { return snare::result<int>(std::errc::bad_address).error_number(); }

}  // namespace snare::test
