// Must not compile: the tool handles syscall exits, the backend lacks can_observe_exit.
#include "tools.hpp"

int main() {
  exit_tool t;
  return snare::run<snare::test::mock_backend<true, false>>(t, {"39"});
}
