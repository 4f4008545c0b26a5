// Runs the snare::command tests (command_tests.hpp) on the ptrace backend.
#include <snare/ptrace.hpp>

namespace snare::test::command {
using backend = snare::backend::ptrace;
}  // namespace snare::test::command

#include "command_tests.hpp"
