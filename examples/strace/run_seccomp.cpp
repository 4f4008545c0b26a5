// Defines strace::run_seccomp: snare-strace's tracer on the seccomp_notify backend.
#include <snare/backend/seccomp_notify.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_seccomp(const snare::runtime_subscription& calls, session& s, const options& o) {
  return run_on<snare::backend::seccomp_notify>(calls, s, o);
}

}  // namespace strace
