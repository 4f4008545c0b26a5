// Defines the backend conformance laws: real guests (tests/guests) under a backend, with
// exact event counts, written once for every backend (as Hana's test/_include/laws/).
//
// Use: a backend's conformance .cpp declares the subjects the laws run over, then includes
// this header, which registers every law as a Catch2 TEMPLATE_LIST_TEST_CASE over them:
//
//   #include <snare/backend/ptrace.hpp>
//   #include "subject.hpp"
//   namespace snare::test::conformance {
//   using subjects = std::tuple<subject<snare::backend::ptrace>>;
//   }  // namespace snare::test::conformance
//   #include "laws.hpp"
//
// A law that needs a capability the backend lacks skips with the capability's name
// (snare::test::skip, exit code 77); one that needs a host feature skips with the probe's
// reason (require_host); one that cannot run for a reason no capability names skips with
// the subject's reason (subject.hpp).
#pragma once

#include "laws/events.hpp"     // start, exec, signal, timer handlers that inject and wait
#include "laws/guest.hpp"      // facts, registers, scratch stack, global state after the run
#include "laws/handlers.hpp"   // inject, argument changes, denial, results, RDTSC, exceptions
#include "laws/lifecycle.hpp"  // exit codes, threads, processes, exec, state, signals
