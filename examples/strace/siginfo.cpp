// Defines how snare-strace prints signals: their names, the siginfo of a "--- SIG {...} ---"
// line (the formatter's, as strace's printsiginfo) and the session's signal and group-stop
// lines.
#include "siginfo.hpp"

#include <span>
#include <string>

#include <snare/format/format.hpp>

#include "session.hpp"

namespace strace {

// strace's names (SIGIO, not glibc's SIGPOLL), from the formatter's signal table.
std::string signal_name(int sig) {
  std::string out;
  if (snare::format::format_signal_name(out, sig) && !out.empty()) return out;
  return std::to_string(sig);
}

std::string format_siginfo(int sig, const siginfo_t* si, xlat_style x,
                           const std::function<std::string(int)>& pid_note) {
  std::string s;
  if (si == nullptr) {  // no siginfo to read (not the ptrace backend): the signal alone
    s = "{si_signo=";
    const std::string name = signal_name(sig), number = std::to_string(sig);
    if (x == xlat_style::abbrev || name == number) return s + (x == xlat_style::raw ? number : name) + "}";
    return s + number + (x == xlat_style::verbose ? " /* " + name + " */}" : "}");
  }
  (void)snare::format::format_siginfo(s, std::as_bytes(std::span(si, 1)), x,
                                      [&](std::string& out, int pid) { out += pid_note(pid); });
  return s;
}

void session::on_stop(pid_t tid, int sig) {
  if (!visible(tid) || opts_.summary) return;
  if (sig > 0 && sig < 128 && !opts_.signals.test(static_cast<std::size_t>(sig))) return;
  interrupt_open_line(tid);
  write(tid, prefix(tid) + "--- stopped by " + signal_name(sig) + " ---\n");
}

void session::on_signal(pid_t, pid_t tid, int sig, const siginfo_t* info, std::uint64_t ip) {
  if (!visible(tid) || opts_.summary) return;
  if (sig > 0 && sig < 128 && !opts_.signals.test(static_cast<std::size_t>(sig))) return;
  interrupt_open_line(tid);
  signal_ip_ = ip;
  std::string lead = prefix(tid);
  signal_ip_ = 0;
  write(tid, lead + "--- " + signal_name(sig) + " " + format_siginfo(sig, info, opts_.xlat, [&](int pid) {
               std::string note;
               pids_.append_note(tid, pid, snare::format::pid_type::tgid, note);
               return note;
             }) + " ---\n");
}

}  // namespace strace
