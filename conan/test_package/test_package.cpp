// Defines the Conan test_package program: it includes snare and uses its result type.
#include <snare.hpp>

#include <cstdio>

int main() {
  snare::result<int> r = std::errc::bad_address;
  std::printf("snare %s: result error %d\n", snare::version_string, r.error_number());
  return r.has_value() ? 1 : 0;
}
