// Runs the backend conformance laws (laws.hpp) over the hypercall (KVM) backend, with the
// static builds of the guests. Every law needs /dev/kvm: without it each one skips with the
// probe's reason (the laws check Backend::host_requirements first).
#include <unistd.h>

#include <string>
#include <tuple>
#include <vector>

#include <skip.hpp>

#include <snare/backend/hypercall.hpp>

#include "subject.hpp"

namespace snare::test::conformance {
/// The hypercall backend runs one static x86-64 executable: the guests' static builds, and
/// system programs as applets of Debian's busybox-static.
struct hypercall_subject : subject<snare::backend::hypercall> {
  static std::string guest(const char* name) { return static_guest_path(name); }
  static std::vector<std::string> program(std::vector<std::string> argv) {
    if (::access("/bin/busybox", X_OK) != 0)
      skip("system programs run as applets of /bin/busybox (busybox-static), which is not installed");
    argv.insert(argv.begin(), "/bin/busybox");
    return argv;
  }
  static constexpr const char* blocking_inject_stops_other_threads =
      "the hypercall backend runs handlers one at a time under a lock and an injected call inside its "
      "handler: a blocking injected read would stop every other thread's handlers (docs/hypercall.md)";
  static constexpr bool one_process_world = true;
  static constexpr const char* lacks_int80 =
      "the hypercall backend's guest kernel has no i386 entry: int 0x80 kills the guest";
};
/// The backends this executable holds to the laws.
using subjects = std::tuple<hypercall_subject>;
}  // namespace snare::test::conformance

#include "laws.hpp"
