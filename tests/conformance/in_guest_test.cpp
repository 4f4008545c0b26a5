// Runs the backend conformance laws (laws.hpp) over the in_guest backend. Its handlers run in
// the guest, in a tool object built from laws/tools.hpp per tool (CMakeLists.txt); a law whose
// tool keeps its results in its own members, not in its global state, skips saying so
// (with_tool_object in laws/support.hpp), as does one needing a capability the backend lacks
// (signals, timers, RDTSC, CPUID, add_fd, backtraces, wait_until: docs/in_guest.md).
#include <tuple>

#include <snare/backend/in_guest.hpp>

#include "subject.hpp"

namespace snare::test::conformance {
/// The in_guest backend learns of a process and a thread from the guest itself, in the tool
/// object's constructor and the runtime's clone stub.
struct in_guest_subject : subject<snare::backend::in_guest> {
  static constexpr const char* thread_creator_unknown =
      "the in_guest backend learns of a thread in the thread itself (thread_start), which does not say "
      "which thread created it: thread state is not built from the creator's (docs/in_guest.md)";
  static constexpr const char* exec_told_late =
      "the in_guest backend learns of an exec in the new image's preloaded tool object, after the loader "
      "has run (docs/in_guest.md)";
  static constexpr const char* ignores_follow_forks =
      "the in_guest backend's tool object is preloaded into every process the guest makes and runs there "
      "whatever run_options::follow_forks says (finding: follow_forks is not passed to the guest)";
  static constexpr const char* misses_silent_thread_ends =
      "the in_guest backend tells a thread's end from the thread's own exit call; a thread killed with its "
      "process by a signal, or ended by another thread's exec, makes none, and the tracer's reaping tells "
      "only the process's end (finding: docs/in_guest.md, Ends)";
};
/// The backends this executable holds to the laws.
using subjects = std::tuple<in_guest_subject>;
}  // namespace snare::test::conformance

#include "laws.hpp"
