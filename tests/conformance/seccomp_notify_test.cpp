// Runs the backend conformance laws (laws.hpp) over the seccomp_notify backend.
#include <tuple>

#include <snare/backend/seccomp_notify.hpp>

#include "subject.hpp"

namespace snare::test::conformance {
/// A seccomp listener learns of a task only through the calls its filter traps.
struct seccomp_notify_subject : subject<snare::backend::seccomp_notify> {
  static constexpr const char* misses_quiet_tasks =
      "the seccomp_notify backend never sees a task that makes no call the filter traps: the killed tasks "
      "only read, so no seccomp listener can know they existed (docs/seccomp_notify.md)";
  static constexpr bool unknown_descendant_exit = true;   // pidfds say nothing of non-children
  static constexpr bool refuses_vdso_as_syscalls = true;  // it learns of an exec too late
  static constexpr const char* exec_told_late =
      "the seccomp_notify backend learns of an exec at the new image's first trapped call, after the "
      "loader has run (docs/seccomp_notify.md)";
  static constexpr const char* thread_creator_unknown =
      "the seccomp_notify backend learns of a thread at its first trapped call, which does not say which "
      "thread created it: thread state is not built from the creator's (docs/seccomp_notify.md)";
};
/// The backends this executable holds to the laws.
using subjects = std::tuple<seccomp_notify_subject>;
}  // namespace snare::test::conformance

#include "laws.hpp"
