// Defines signal names as strace prints them: SIGTERM as an argument, TERM in a set,
// SIGRTMIN / SIGRT_n for real-time signals (numbered from the kernel's 32).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// Names of signals 1-31 without the SIG prefix (x86-64 numbering).
inline constexpr std::string_view signal_names[32] = {
    "",     "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS"};

/// Appends the name of signal `sig` without "SIG" (TERM, RTMIN, RT_3); false when the
/// number has no name (nothing appended).
inline bool put_signal_suffix(std::string& out, std::int64_t sig) {
  if (sig >= 1 && sig < 32) {
    out.append(signal_names[sig]);
    return true;
  }
  if (sig == 32) {
    out.append("RTMIN");
    return true;
  }
  if (sig > 32 && sig <= 64) {
    out.append("RT_");
    put_dec(out, sig - 32);
    return true;
  }
  return false;
}

/// Appends signal `sig` as an argument: SIGTERM, SIGRT_8, or the number when unnamed; with
/// -X raw the number, with -X verbose `15 /* SIGTERM */` (strace's printsignal).
inline void put_signal(std::string& out, std::int64_t sig) {
  if (xlat_raw()) return put_dec(out, sig);
  std::size_t mark = out.size();
  out.append("SIG");
  if (!put_signal_suffix(out, sig)) {
    out.resize(mark);
    put_dec(out, sig);
    return;
  }
  if (xlat_abbrev()) return;
  std::string name = out.substr(mark);
  out.resize(mark);
  put_dec(out, sig);
  out.append(" /* ");
  out.append(name);
  out.append(" */");
}

/// Appends a signal set of `bytes` bytes (at most 8) as strace does: [INT TERM], or
/// ~[KILL STOP] when more than half of the bits are set; -X raw [2 15], verbose
/// [2 /* INT */ 15 /* TERM */].
inline void put_sigset(std::string& out, std::uint64_t mask, unsigned bytes) {
  unsigned nsig = bytes * 8;
  if (nsig < 64) mask &= (std::uint64_t{1} << nsig) - 1;
  if (static_cast<unsigned>(__builtin_popcountll(mask)) * 2 > nsig) {
    out.push_back('~');
    mask = ~mask;
    if (nsig < 64) mask &= (std::uint64_t{1} << nsig) - 1;
  }
  out.push_back('[');
  bool first = true;
  for (unsigned bit = 0; bit < nsig; ++bit) {
    if (!(mask & (std::uint64_t{1} << bit))) continue;
    if (!first) out.push_back(' ');
    first = false;
    // -X raw: the number; verbose: `15 /* TERM */` (strace's sprintsigmask_n).
    if (!xlat_abbrev()) put_dec(out, bit + 1);
    if (xlat_raw()) continue;
    if (xlat_verbose()) out.append(" /* ");
    if (!put_signal_suffix(out, bit + 1)) put_dec(out, bit + 1);
    if (xlat_verbose()) out.append(" */");
  }
  out.push_back(']');
}

}  // namespace snare::format::detail
