// Must compile: the same tools on a backend that has both capabilities.
#include "tools.hpp"

int main() {
  injecting_tool a;
  exit_tool b;
  return snare::run<snare::test::mock_backend<true, true>>(a, {"39"}) +
         snare::run<snare::test::mock_backend<true, true>>(b, {"39"});
}
