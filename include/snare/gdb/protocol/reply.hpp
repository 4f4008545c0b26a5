// Defines the encoders of the GDB remote protocol's replies: OK, errors, stop replies,
// exits, console output, thread lists, qXfer chunks and Host I/O results, and gdb's own
// signal numbers. Facts from gdb's manual, appendix "GDB Remote Serial Protocol": "Stop
// Reply Packets", "General Query Packets", "Host I/O Packets"; the signal numbers from
// gdb's include/gdb/signals.def (they are part of the protocol).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <snare/gdb/protocol/packet.hpp>
#include <snare/gdb/protocol/request.hpp>

namespace snare::gdb {

/// Returns gdb's number for Linux signal `sig` (x86-64 and the generic numbering): the
/// protocol carries gdb's numbers, not the host's (SIGUSR1 is 10 on Linux, 30 to gdb).
/// A signal gdb has no name for (SIGSTKFLT) is GDB_SIGNAL_UNKNOWN, 143.
constexpr int to_gdb_signal(int sig) noexcept {
  constexpr int low[32] = {0,   1,  2,  3,  4,  5,  6,  10, 8,  9,  30, 11, 31, 13, 14, 15,
                           143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12};
  if (sig >= 0 && sig < 32) return low[sig];
  if (sig == 32) return 77;                     // GDB_SIGNAL_REALTIME_32
  if (sig >= 33 && sig <= 63) return sig + 12;  // GDB_SIGNAL_REALTIME_33 is 45
  if (sig == 64) return 78;                     // GDB_SIGNAL_REALTIME_64
  return 143;
}

/// Returns the Linux signal for gdb's number `g` (what `C sig` and `vCont;C` carry), or 0
/// for a number with no Linux signal.
constexpr int from_gdb_signal(int g) noexcept {
  for (int s = 1; s <= 64; ++s)
    if (to_gdb_signal(s) == g && g != 143) return s;
  return 0;
}

namespace reply {

/// `OK`.
inline std::string ok() { return "OK"; }

/// `E NN`: an error, NN the errno value in two hex digits (values above 255 are 255).
inline std::string error(int errno_value) {
  unsigned v = errno_value < 0 ? 0u : errno_value > 255 ? 255u : static_cast<unsigned>(errno_value);
  return {'E', hex_digit(v >> 4), hex_digit(v)};
}

/// The empty reply: the packet is not supported.
inline std::string unsupported() { return {}; }

/// Appends a number in lower-case hex without leading zeros ("0" for zero).
inline void append_number(std::string& out, std::uint64_t v) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = hex_digit(static_cast<unsigned>(v & 0xf));
    v >>= 4;
  } while (v != 0);
  while (n > 0) out += digits[--n];
}

/// Appends a thread id in the multiprocess form `pPID.TID` (-1 as `-1`).
inline void append_thread(std::string& out, const thread_id& t) {
  auto part = [&](long v) {
    if (v < 0)
      out += "-1";
    else
      append_number(out, static_cast<std::uint64_t>(v));
  };
  out += 'p';
  part(t.pid);
  out += '.';
  part(t.tid);
}

/// Why a thread stopped, beyond its signal: the `reason:value;` pair of a T stop reply.
struct stop_reason {
  enum class kind : std::uint8_t {
    signal,          ///< the signal alone
    swbreak,         ///< a software breakpoint (gdb asked for `swbreak+`)
    syscall_entry,   ///< `syscall_entry:NR` (QCatchSyscalls)
    syscall_return,  ///< `syscall_return:NR`
    fork,            ///< `fork:pCHILD.CHILD` (gdb asked for `fork-events+`)
    vfork,           ///< `vfork:pCHILD.CHILD` (`vfork-events+`)
    vforkdone,       ///< `vforkdone:` the vfork's child exec'd or exited
    exec,            ///< `exec:HEX(PATH)` (`exec-events+`): the new program's path
    watch,           ///< `watch:ADDR`: a write watchpoint fired (Z2)
    awatch,          ///< `awatch:ADDR`: an access watchpoint fired (Z4)
    hwbreak,         ///< `hwbreak:` a hardware breakpoint (gdb asked for `hwbreak+`)
  };
  stop_reason() = default;
  /// A reason with its kind, and the call's number for the syscall kinds.
  stop_reason(kind k, long nr = 0) : what(k), syscall(nr) {}  // NOLINT: {kind} reads well

  kind what = kind::signal;
  long syscall = 0;
  thread_id child{};          ///< fork, vfork
  std::string exec_path;      ///< exec
  std::uint64_t address = 0;  ///< watch, awatch: the watched address
};

/// `T SS thread:pPID.TID; [reason;]`: thread `t` stopped with Linux signal `sig`. With
/// `core` >= 0 the thread's last CPU is told too (`core:N;`).
inline std::string stopped(int sig, const thread_id& t, stop_reason why = {}, int core = -1) {
  std::string out = "T";
  unsigned g = static_cast<unsigned>(to_gdb_signal(sig));
  out += hex_digit(g >> 4);
  out += hex_digit(g);
  out += "thread:";
  append_thread(out, t);
  out += ';';
  switch (why.what) {
    case stop_reason::kind::signal:
      break;
    case stop_reason::kind::swbreak:
      out += "swbreak:;";
      break;
    case stop_reason::kind::syscall_entry:
    case stop_reason::kind::syscall_return:
      out += why.what == stop_reason::kind::syscall_entry ? "syscall_entry:" : "syscall_return:";
      append_number(out, static_cast<std::uint64_t>(why.syscall));
      out += ';';
      break;
    case stop_reason::kind::fork:
    case stop_reason::kind::vfork:
      out += why.what == stop_reason::kind::fork ? "fork:" : "vfork:";
      append_thread(out, why.child);
      out += ';';
      break;
    case stop_reason::kind::vforkdone:
      out += "vforkdone:;";
      break;
    case stop_reason::kind::watch:
    case stop_reason::kind::awatch:
      out += why.what == stop_reason::kind::watch ? "watch:" : "awatch:";
      append_number(out, why.address);
      out += ';';
      break;
    case stop_reason::kind::hwbreak:
      out += "hwbreak:;";
      break;
    case stop_reason::kind::exec:
      out += "exec:";
      append_hex(out, std::string_view(why.exec_path));
      out += ';';
      break;
  }
  if (core >= 0) {
    out += "core:";
    append_number(out, static_cast<std::uint64_t>(core));
    out += ';';
  }
  return out;
}

/// `W SS;process:PID`: process `pid` exited with status `code` (0..255).
inline std::string exited(long pid, int code) {
  std::string out = "W";
  unsigned v = static_cast<unsigned>(code) & 0xff;
  out += hex_digit(v >> 4);
  out += hex_digit(v);
  out += ";process:";
  append_number(out, static_cast<std::uint64_t>(pid));
  return out;
}

/// `X SS;process:PID`: process `pid` was killed by Linux signal `sig`.
inline std::string killed(long pid, int sig) {
  std::string out = "X";
  unsigned g = static_cast<unsigned>(to_gdb_signal(sig));
  out += hex_digit(g >> 4);
  out += hex_digit(g);
  out += ";process:";
  append_number(out, static_cast<std::uint64_t>(pid));
  return out;
}

/// `O XX...`: text for gdb's console (a monitor command's output, sent before its reply).
inline std::string console(std::string_view text) {
  std::string out = "O";
  append_hex(out, text);
  return out;
}

/// `QC pPID.TID`: the current thread.
inline std::string current_thread(const thread_id& t) {
  std::string out = "QC";
  append_thread(out, t);
  return out;
}

/// `m id,id,...` for a list of threads, `l` for the end of the list (an empty `threads`).
inline std::string thread_list(std::span<const thread_id> threads) {
  if (threads.empty()) return "l";
  std::string out = "m";
  for (std::size_t i = 0; i < threads.size(); ++i) {
    if (i > 0) out += ',';
    append_thread(out, threads[i]);
  }
  return out;
}

/// A qXfer read's chunk: `object` from `offset`, at most `length` bytes: `m` and data when
/// more follows, `l` and data for the last chunk (frame() escapes the binary bytes).
inline std::string xfer_chunk(std::string_view object, std::uint64_t offset, std::size_t length) {
  if (offset >= object.size()) return "l";
  std::string_view part = object.substr(static_cast<std::size_t>(offset), length);
  std::string out(1, offset + part.size() < object.size() ? 'm' : 'l');
  out += part;
  return out;
}

/// `F result[,errno][;data]`: a Host I/O result (negative `result`: failed with `errno_value`,
/// which the caller gives as gdb's File-I/O errno, see the manual's "Errno Values").
inline std::string file_result(long result, int errno_value = 0, std::string_view data = {}) {
  std::string out = "F";
  if (result < 0) {
    out += "-1,";
    append_number(out, static_cast<std::uint64_t>(errno_value));
    return out;
  }
  append_number(out, static_cast<std::uint64_t>(result));
  if (!data.empty()) {
    out += ';';
    out += data;
  }
  return out;
}

/// Hex of raw bytes (registers in target byte order, memory).
inline std::string hex(std::span<const std::byte> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  append_hex(out, bytes);
  return out;
}

}  // namespace reply
}  // namespace snare::gdb
