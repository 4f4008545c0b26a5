// Runs the backend conformance laws (laws.hpp) over the ptrace backend.
#include <tuple>

#include <snare/backend/ptrace.hpp>

#include "subject.hpp"

namespace snare::test::conformance {
/// The backends this executable holds to the laws.
using subjects = std::tuple<subject<snare::backend::ptrace>>;
}  // namespace snare::test::conformance

#include "laws.hpp"
