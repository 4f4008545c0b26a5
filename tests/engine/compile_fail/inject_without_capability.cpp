// Must not compile: the tool injects, the backend lacks can_inject.
#include "tools.hpp"

int main() {
  injecting_tool t;
  return snare::run<snare::test::mock_backend<false, true>>(t, {"39"});
}
