// Defines strace::run_kvm: snare-strace's tracers on the hypercall backend, one per specialisation.
#include <snare/backend/hypercall.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_kvm(std::size_t spec, session& s, const options& o) {
  return run_on<snare::backend::hypercall>(spec, s, o);
}

}  // namespace strace
