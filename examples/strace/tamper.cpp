// Defines the session's side of inject's poke_enter=/poke_exit= and delay_enter=/delay_exit=:
// bytes written at the addresses a call's arguments hold, a pause before the call runs or
// returns, and the notes strace adds to the call's line for them.
#include <errno.h>  // program_invocation_name
#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <span>
#include <string>

#include <snare/sys/x86_64.hpp>

#include "session.hpp"

namespace strace {

void session::tamper(pid_t tid, thread_info& t, bool entering, memory_ref mem) {
  const inject_rule& rule = *t.tamper;
  const auto& pokes = entering ? rule.poke_enter : rule.poke_exit;
  const auto* desc = snare::sys::x86_64::descriptor(t.nr);
  const unsigned nargs = desc ? static_cast<unsigned>(desc->nargs) : 6;  // unknown: all six
  for (const auto& poke : pokes) {
    // strace's poke_tcb: an argument the call does not have is not written.
    if (poke.arg > nargs) {
      char unknown[32];
      std::snprintf(unknown, sizeof unknown, "syscall_%#lx", static_cast<unsigned long>(t.nr));
      const std::string name = desc ? std::string(desc->name) : std::string(unknown);
      std::fprintf(stderr,
                   "%s: Failed to tamper with process %d: requested to tamper with argument #%u, but system "
                   "call '%s' has only %u arguments\n",
                   program_invocation_name, static_cast<int>(tid), poke.arg, name.c_str(), nargs);
      continue;
    }
    const std::uint64_t at = t.args[poke.arg - 1];
    auto n = mem.write_bytes(at, std::as_bytes(std::span(poke.data)));
    if (!n || *n == 0) {
      std::fprintf(stderr, "%s: Failed to tamper with process %d: couldn't poke\n", program_invocation_name,
                   static_cast<int>(tid));
    } else {
      // A part written counts, as strace's upoken, which says so on stderr.
      if (*n < poke.data.size())
        std::fprintf(stderr, "%s: upoken: pid:%d short write (%zu < %zu) @%#" PRIx64 "\n",
                     program_invocation_name, static_cast<int>(tid), *n, poke.data.size(), at);
      t.poked = true;
    }
  }
  // delay: the tracer holds the call here (every thread it serves waits too: the engine
  // serves one stop at a time, where strace restarts the others meanwhile).
  if (!(entering ? rule.delay_enter : rule.delay_exit)) return;
  const std::uint64_t ns = entering ? rule.delay_enter_ns : rule.delay_exit_ns;
  timespec ts{static_cast<time_t>(ns / 1000000000u), static_cast<long>(ns % 1000000000u)};
  while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  t.delayed = true;
}

std::string session::tamper_notes(const thread_info& t, bool answered) {
  // strace's print_injected_note.
  std::string notes;
  if (answered && t.poked)
    notes = " (INJECTED: args, retval)";
  else if (t.poked)
    notes = " (INJECTED: args)";
  else if (answered)
    notes = " (INJECTED)";
  if (t.delayed) notes += " (DELAYED)";
  return notes;
}

}  // namespace strace
