// Defines the entry header of the seccomp_notify backend: snare::run<snare::backend::seccomp_notify> and the
// whole tool model, without the other backends, the formatter or Hana (the umbrella
// <snare.hpp> has everything). Per-backend compile times: docs/compile-time.md.
#pragma once

#include <snare/backend/seccomp_notify.hpp>
#include <snare/tool.hpp>
#include <snare/tracer.hpp>
