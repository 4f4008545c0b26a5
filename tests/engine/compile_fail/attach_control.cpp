// Must compile: the same attach on the ptrace backend.
#include <snare/backend/ptrace.hpp>
#include <snare/tracer.hpp>

namespace {
struct tool {
  void on(snare::sys::getppid, auto&) {}
};
}  // namespace

int main() {
  tool t;
  return snare::attach<snare::backend::ptrace>(t, {1});
}
