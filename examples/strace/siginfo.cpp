// Defines how snare-strace prints signals: their names, the siginfo of a "--- SIG {...} ---"
// line (strace's printsiginfo, for the fields a signal delivery shows) and the session's
// signal and group-stop lines.
#include "siginfo.hpp"

#include <cstdio>
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

namespace {

std::string si_code_name(const siginfo_t& si) {
  switch (si.si_code) {
    case SI_USER:
      return "SI_USER";
    case SI_KERNEL:
      return "SI_KERNEL";
    case SI_QUEUE:
      return "SI_QUEUE";
    case SI_TIMER:
      return "SI_TIMER";
    case SI_MESGQ:
      return "SI_MESGQ";
    case SI_ASYNCIO:
      return "SI_ASYNCIO";
    case SI_SIGIO:
      return "SI_SIGIO";
    case SI_TKILL:
      return "SI_TKILL";
    default:
      break;
  }
  if (si.si_signo == SIGCHLD) {
    static const char* const chld[] = {
        "", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
    if (si.si_code >= 1 && si.si_code <= 6) return chld[si.si_code];
  }
  if (si.si_signo == SIGSEGV) {
    static const char* const segv[] = {"", "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"};
    if (si.si_code >= 1 && si.si_code <= 4) return segv[si.si_code];
  }
  return std::to_string(si.si_code);
}

void append_ticks(std::string& s, const char* name, long ticks) {
  s += ", ";
  s += name;
  s += '=';
  s += std::to_string(ticks);
  if (ticks != 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " /* %.2f s */", static_cast<double>(ticks) / 100.0);
    s += buf;
  }
}

// Renders a named constant in -X style `x` as strace's print_xlat_ex: NAME (abbrev), NUMBER
// (raw) or NUMBER /* NAME */ (verbose); a NAME that is the number itself stays alone.
std::string styled(const std::string& name, const std::string& number, xlat_style x) {
  if (x == xlat_style::abbrev || name == number) return x == xlat_style::abbrev ? name : number;
  return x == xlat_style::raw ? number : number + " /* " + name + " */";
}

std::string hex_number(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, v ? "%#x" : "0", v);
  return buf;
}

}  // namespace

std::string format_siginfo(int sig, const siginfo_t* si, xlat_style x,
                           const std::function<std::string(int)>& pid_note) {
  auto signo = [&](int n) { return styled(signal_name(n), std::to_string(n), x); };
  std::string s = "{si_signo=" + signo(sig);
  if (!si) return s + "}";
  std::string code = si_code_name(*si);
  s += ", si_code=" + (code == std::to_string(si->si_code)
                           ? code
                           : styled(code, hex_number(static_cast<unsigned>(si->si_code)), x));
  if (sig == SIGCHLD && si->si_code > 0) {
    s += ", si_pid=" + std::to_string(si->si_pid) + pid_note(si->si_pid) +
         ", si_uid=" + std::to_string(si->si_uid);
    s += ", si_status=";
    s += si->si_code == CLD_EXITED ? std::to_string(si->si_status) : signo(si->si_status);
    append_ticks(s, "si_utime", static_cast<long>(si->si_utime));
    append_ticks(s, "si_stime", static_cast<long>(si->si_stime));
  } else if (si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE) {
    s += ", si_pid=" + std::to_string(si->si_pid) + pid_note(si->si_pid) +
         ", si_uid=" + std::to_string(si->si_uid);
  } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
    char buf[40];
    if (si->si_addr)
      std::snprintf(buf, sizeof buf, ", si_addr=%p", si->si_addr);
    else
      std::snprintf(buf, sizeof buf, ", si_addr=NULL");
    s += buf;
  }
  return s + "}";
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
