// Runs the backend conformance laws (laws.hpp) over the in_guest backend. Its handlers run in
// the guest, in a tool object built from laws/tools.hpp per tool (CMakeLists.txt); a law
// needing a capability the backend lacks skips saying so (signals, timers, RDTSC, CPUID,
// add_fd, backtraces, wait_until, registers, daemonize: docs/in_guest.md).
#include <tuple>

#include <snare/backend/in_guest.hpp>

#include "subject.hpp"

namespace snare::test::conformance {
/// The in_guest backend learns of a process and a thread from the guest itself, in the tool
/// object's constructor and the runtime's clone stub, and runs the handlers there.
struct in_guest_subject : subject<snare::backend::in_guest> {
  static constexpr bool handler_dies_with_thread = true;
  static constexpr bool refuses_vdso_as_syscalls = true;  // the vDSO's functions make no call to trap
  static constexpr const char* exec_told_late =
      "the in_guest backend learns of an exec in the new image's preloaded tool object, after the loader "
      "has run (docs/in_guest.md)";
};
/// The backends this executable holds to the laws.
using subjects = std::tuple<in_guest_subject>;
}  // namespace snare::test::conformance

#include "laws.hpp"
