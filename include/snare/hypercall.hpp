// Defines the entry header of the hypercall backend: snare::run<snare::backend::hypercall> and the
// whole tool model, without the other backends, the formatter or Hana (the umbrella
// <snare.hpp> has everything). Per-backend compile times: docs/compile-time.md.
#pragma once

#include <snare/backend/hypercall.hpp>
#include <snare/tool.hpp>
#include <snare/tracer.hpp>
