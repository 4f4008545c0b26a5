// Runs the engine's backend conformance suite (tests/engine/conformance_test.cpp, the same
// source) over the seccomp_notify backend: the engine's backends.hpp is included first with
// its list renamed, so that its `#pragma once` keeps the suite on this file's list.
#define backends engine_backends
#include "../engine/backends.hpp"
#undef backends

#include <tuple>

#include <snare/backend/seccomp_notify.hpp>

namespace snare::test {
/// The backends this executable runs the conformance suite with.
using backends = std::tuple<snare::backend::seccomp_notify>;
}  // namespace snare::test

#include "../engine/conformance_test.cpp"
