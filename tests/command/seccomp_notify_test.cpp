// Runs the snare::command tests (command_tests.hpp) on the seccomp_notify backend.
#include <snare/seccomp_notify.hpp>

namespace snare::test::command {
using backend = snare::backend::seccomp_notify;
}  // namespace snare::test::command

#include "command_tests.hpp"
