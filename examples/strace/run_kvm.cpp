// Defines strace::run_kvm: snare-strace's tracer on the hypercall backend.
#include <snare/backend/hypercall.hpp>

#include "run_on.hpp"

namespace strace {

snare::exit_status run_kvm(const snare::runtime_subscription& calls, session& s, const options& o) {
  return run_on<snare::backend::hypercall>(calls, s, o);
}

}  // namespace strace
