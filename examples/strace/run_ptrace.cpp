// Defines strace::run_ptrace: snare-strace's tracers on the ptrace backend, one per specialisation.
#include <snare/backend/ptrace.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_ptrace(std::size_t spec, session& s, const options& o) {
  return run_on<snare::backend::ptrace>(spec, s, o);
}

}  // namespace strace
