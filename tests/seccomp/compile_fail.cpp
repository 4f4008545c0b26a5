// Defines the compile-fail cases of the seccomp_notify backend: a tool that changes call
// arguments or injects a syscall must not compile, and the message must name the capability
// and the backend. Without a SNARE_COMPILE_FAIL_* macro it is the positive control.
#include <snare/backend/seccomp_notify.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace sys = snare::sys::x86_64;

struct tool {
  using syscall_table = sys::all_types;
#if defined(SNARE_COMPILE_FAIL_MODIFY_ARGS)
  void on(sys::openat& call, auto&) { call.set_raw(2, 0); }  // by reference: changes arguments
#elif defined(SNARE_COMPILE_FAIL_INJECT)
  void on(sys::openat, auto& g) { (void)g.inject(sys::getpid{}); }
#elif defined(SNARE_COMPILE_FAIL_EXIT)
  long on_exit(sys::openat, long ret, auto&) { return ret; }
#else
  void on(sys::openat call, auto& g) { (void)g.read_cstr(call.template arg<1>()); }
#endif
};

int main() {
  tool t;
  return snare::run<snare::backend::seccomp_notify>(t, {"true"});
}
