// Defines strace::run_seccomp: snare-strace's tracers on the seccomp_notify backend, one per specialisation.
#include <snare/backend/seccomp_notify.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_seccomp(std::size_t spec, session& s, const options& o) {
  return run_on<snare::backend::seccomp_notify>(spec, s, o);
}

}  // namespace strace
