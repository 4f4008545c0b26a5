// Must not compile: snare::attach on a backend that cannot attach to running processes (the
// seccomp_notify backend starts its guests itself).
#include <snare/backend/seccomp_notify.hpp>
#include <snare/tracer.hpp>

namespace {
struct tool {
  void on(snare::sys::getppid, auto&) {}
};
}  // namespace

int main() {
  tool t;
  return snare::attach<snare::backend::seccomp_notify>(t, {1});
}
