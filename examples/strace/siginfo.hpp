// Declares how snare-strace prints signals: strace's signal names and the siginfo of its
// "--- SIGCHLD {...} ---" lines.
#pragma once

#include <signal.h>

#include <functional>
#include <string>

#include "options.hpp"

namespace strace {

/// Returns strace's name of signal `sig` (SIGIO, not glibc's SIGPOLL; SIGRT_3), from the
/// formatter's signal table; the number when it has none.
std::string signal_name(int sig);

/// Renders a siginfo as strace does in "--- SIGCHLD {...} ---" (`si` null: the signal number
/// only), its constants in -X style `x`; `pid_note(pid)` is what follows si_pid (-Y,
/// --decode-pids=pidns).
std::string format_siginfo(int sig, const siginfo_t* si, xlat_style x,
                           const std::function<std::string(int)>& pid_note);

}  // namespace strace
