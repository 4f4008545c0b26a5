// Defines strace::run_ptrace: snare-strace's tracer on the ptrace backend.
#include <snare/backend/ptrace.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_ptrace(const snare::runtime_subscription& calls, session& s, const options& o) {
  return run_on<snare::backend::ptrace>(calls, s, o);
}

}  // namespace strace
