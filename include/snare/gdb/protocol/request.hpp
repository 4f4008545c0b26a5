// Defines the typed requests of the GDB remote protocol and parse(), from a packet's decoded
// payload to one of them. Facts from gdb's manual, appendix "GDB Remote Serial Protocol":
// "Packets", "General Query Packets", "Host I/O Packets" and "Architecture-Specific
// Protocol Details"; the scope follows Reverie's reverie-ptrace/src/gdbstub (our own code).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <snare/gdb/protocol/packet.hpp>

namespace snare::gdb {

/// The most data bytes one memory read or qXfer chunk returns: a longer request is served
/// in part, which the protocol allows (gdb asks again for the rest). Hex doubles each byte,
/// so this keeps every reply within max_packet_size.
inline constexpr std::size_t max_read_size = max_packet_size / 2 - 32;

/// A thread in the multiprocess form `pPID.TID` (hex); -1 means all, 0 any. A form without
/// `p` names no process (pid 0); `pPID` alone means all its threads (tid -1).
struct thread_id {
  static constexpr long all = -1;
  static constexpr long any = 0;
  long pid = 0;
  long tid = 0;
  friend bool operator==(const thread_id&, const thread_id&) = default;
};

namespace request {
struct halt_reason {};     ///< `?`
struct read_registers {};  ///< `g`
struct write_registers {   ///< `G XX...`: every register, raw bytes
  std::string bytes;
};
struct read_register {  ///< `p n`
  unsigned number = 0;
};
struct write_register {  ///< `P n=XX...`
  unsigned number = 0;
  std::string bytes;
};
struct read_memory {  ///< `m addr,length`; length at most max_read_size (a longer ask is cut)
  std::uint64_t address = 0;
  std::size_t length = 0;
};
struct write_memory {  ///< `M addr,length:XX...` and `X addr,length:binary`
  std::uint64_t address = 0;
  std::string bytes;
};
struct breakpoint {  ///< `Z type,addr,kind` (insert) and `z type,addr,kind` (remove)
  bool insert = true;
  unsigned type = 0;  ///< 0 software, 1 hardware, 2 write, 3 read, 4 access watchpoint
  std::uint64_t address = 0;
  std::uint64_t kind = 0;  ///< x86: 1 for a breakpoint, the watched length for a watchpoint
};
/// One action of a vCont packet: `c`, `C sig`, `s`, `S sig`, `t` (stop), `r start,end`
/// (step while the pc is in [start, end)); applies to `thread`, or to every thread that
/// no earlier action named when absent.
struct resume_action {
  char op = 'c';  ///< 'c', 's', 't' or 'r' ('C' and 'S' are 'c' and 's' with a signal)
  int signal = 0;
  std::uint64_t range_start = 0, range_end = 0;
  std::optional<thread_id> thread;
};
struct resume {  ///< `vCont;action[:thread]...`, and the old `c`, `C`, `s`, `S` as one action
  std::vector<resume_action> actions;
  std::optional<std::uint64_t> address;  ///< `c addr`: resume there (old packets only)
};
struct resume_query {};  ///< `vCont?`
struct set_thread {      ///< `H op thread`: 'g' for register/memory requests, 'c' for resume
  char op = 'g';
  thread_id thread;
};
struct thread_alive {  ///< `T thread`
  thread_id thread;
};
struct supported {  ///< `qSupported[:feature;...]`: gdb's features (`name+`, `name-`, `name=value`)
  std::vector<std::string> features;
  bool has(std::string_view f) const {
    return std::find(features.begin(), features.end(), f) != features.end();
  }
};
struct xfer_read {  ///< `qXfer:object:read:annex:offset,length`; length at most max_read_size
  std::string object, annex;
  std::uint64_t offset = 0;
  std::size_t length = 0;
};
struct thread_list {  ///< `qfThreadInfo` (first) and `qsThreadInfo` (the rest)
  bool first = true;
};
struct current_thread {};  ///< `qC`
struct attached {          ///< `qAttached[:pid]`
  std::optional<long> pid;
};
struct monitor {  ///< `qRcmd,hex`: the command, decoded
  std::string command;
};
struct detach {  ///< `D[;pid]`
  std::optional<long> pid;
};
struct kill {  ///< `k`, and `vKill;pid`
  std::optional<long> pid;
};
struct start_no_ack {};  ///< `QStartNoAckMode`
struct catch_syscalls {  ///< `QCatchSyscalls:0` or `QCatchSyscalls:1[;nr...]` (none: every call)
  bool enable = false;
  std::vector<long> numbers;
};
struct thread_events {  ///< `QThreadEvents:0|1`
  bool enable = false;
};
/// `QPassSignals:sig;...` (signals delivered without a stop) and `QProgramSignals:sig;...`
/// (signals the guest may receive): gdb's signal numbers (reply.hpp), at most 256; an empty
/// list clears the set.
struct signal_set {
  bool program = false;  ///< QProgramSignals
  std::vector<unsigned> signals;
};
/// `vFile:op:args`: host I/O. The operations parsed: setfs (pid), open (path, flags, mode),
/// pread (fd, count, offset), pwrite (fd, offset, data), close (fd), fstat (fd), unlink,
/// readlink (path).
struct file_io {
  std::string op;
  std::string path;                ///< open, unlink, readlink
  std::vector<std::int64_t> args;  ///< setfs: pid; open: flags, mode; pread: fd, count, offset;
                                   ///< pwrite: fd, offset; close, fstat: fd
  std::string data;                ///< pwrite
};
/// A packet snare does not implement: the reply is empty, as the protocol asks.
struct unsupported {
  std::string name;
};
/// A packet snare knows whose arguments do not parse: the reply is `E16` (EINVAL).
struct malformed {
  std::string what;
};
}  // namespace request

using request_type =
    std::variant<request::halt_reason, request::read_registers, request::write_registers,
                 request::read_register, request::write_register, request::read_memory, request::write_memory,
                 request::breakpoint, request::resume, request::resume_query, request::set_thread,
                 request::thread_alive, request::supported, request::xfer_read, request::thread_list,
                 request::current_thread, request::attached, request::monitor, request::detach, request::kill,
                 request::start_no_ack, request::catch_syscalls, request::thread_events, request::signal_set,
                 request::file_io, request::unsupported, request::malformed>;

namespace detail {

// A cursor over a payload with the few readers the packets need; each read fails (returns
// nullopt / false) rather than run past the end or overflow.
struct cursor {
  std::string_view s;

  bool empty() const noexcept { return s.empty(); }
  bool eat(char c) noexcept {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
  }
  bool eat(std::string_view p) noexcept {
    if (!s.starts_with(p)) return false;
    s.remove_prefix(p.size());
    return true;
  }
  // A hex number of 1..16 digits.
  std::optional<std::uint64_t> hex() noexcept {
    std::uint64_t v = 0;
    std::size_t n = 0;
    while (n < s.size() && hex_value(s[n]) >= 0) {
      if (n == 16) return std::nullopt;  // more than 64 bits
      v = v << 4 | static_cast<unsigned>(hex_value(s[n]));
      ++n;
    }
    if (n == 0) return std::nullopt;
    s.remove_prefix(n);
    return v;
  }
  // A thread-id part: a hex number (at most 31 bits, as pids are) or -1.
  std::optional<long> id() noexcept {
    if (eat("-1")) return -1;
    auto v = hex();
    if (!v || *v > 0x7fffffff) return std::nullopt;
    return static_cast<long>(*v);
  }
  std::optional<thread_id> thread() noexcept {
    thread_id t;
    if (eat('p')) {
      auto pid = id();
      if (!pid) return std::nullopt;
      t.pid = *pid;
      if (!eat('.')) {
        t.tid = thread_id::all;
        return t;
      }
    }
    auto tid = id();
    if (!tid) return std::nullopt;
    t.tid = *tid;
    return t;
  }
  // Everything up to `c` (not included; the cursor moves past it), or nullopt without one.
  std::optional<std::string_view> until(char c) noexcept {
    auto at = s.find(c);
    if (at == std::string_view::npos) return std::nullopt;
    auto head = s.substr(0, at);
    s.remove_prefix(at + 1);
    return head;
  }
};

inline request::malformed bad(std::string what) { return {std::move(what)}; }

inline std::size_t clamp_length(std::uint64_t n) noexcept {
  return static_cast<std::size_t>(std::min<std::uint64_t>(n, max_read_size));
}

inline request_type parse_resume_action(cursor& c, request::resume& r) {
  request::resume_action a;
  const char op = c.empty() ? '\0' : c.s.front();
  if (c.eat('c') || c.eat('s') || c.eat('t')) {
    a.op = op;
  } else if (c.eat('C') || c.eat('S')) {
    a.op = op == 'C' ? 'c' : 's';
    auto sig = c.hex();
    if (!sig || *sig > 255) return bad("vCont: signal");
    a.signal = static_cast<int>(*sig);
  } else if (c.eat('r')) {
    a.op = 'r';
    auto start = c.hex();
    if (!start || !c.eat(',')) return bad("vCont: range start");
    auto end = c.hex();
    if (!end) return bad("vCont: range end");
    a.range_start = *start, a.range_end = *end;
  } else {
    return bad("vCont: action");
  }
  if (c.eat(':')) {
    auto t = c.thread();
    if (!t) return bad("vCont: thread");
    a.thread = *t;
  }
  r.actions.push_back(a);
  return r;
}

inline request_type parse_vcont(cursor c) {
  request::resume r;
  if (c.empty()) return bad("vCont: no action");
  while (c.eat(';')) {
    if (r.actions.size() == 64) return bad("vCont: too many actions");
    if (auto got = parse_resume_action(c, r); std::holds_alternative<request::malformed>(got)) return got;
  }
  if (!c.empty() || r.actions.empty()) return bad("vCont: trailing bytes");
  return r;
}

// `c [addr]`, `s [addr]`, `C sig[;addr]`, `S sig[;addr]`.
inline request_type parse_old_resume(char op, cursor c) {
  request::resume r;
  request::resume_action a;
  a.op = (op == 'c' || op == 'C') ? 'c' : 's';
  if (op == 'C' || op == 'S') {
    auto sig = c.hex();
    if (!sig || *sig > 255) return bad("resume: signal");
    a.signal = static_cast<int>(*sig);
    if (!c.empty() && !c.eat(';')) return bad("resume: bytes after the signal");
  }
  if (!c.empty()) {
    auto addr = c.hex();
    if (!addr || !c.empty()) return bad("resume: address");
    r.address = *addr;
  }
  r.actions.push_back(a);
  return r;
}

inline request_type parse_query(std::string_view p) {
  cursor c{p};
  if (c.eat("qSupported")) {
    request::supported r;
    if (c.eat(':')) {
      while (!c.empty()) {
        if (r.features.size() == 128) return bad("qSupported: too many features");
        auto f = c.until(';');
        std::string_view item = f ? *f : c.s;
        if (!f) c.s = {};
        r.features.emplace_back(item);
      }
    } else if (!c.empty()) {
      return request::unsupported{std::string(p)};
    }
    return r;
  }
  if (c.eat("qXfer:")) {
    auto object = c.until(':');
    if (!object) return bad("qXfer: object");
    if (!c.eat("read:")) return request::unsupported{std::string(p)};  // write is not offered
    auto annex = c.until(':');
    if (!annex) return bad("qXfer: annex");
    auto offset = c.hex();
    if (!offset || !c.eat(',')) return bad("qXfer: offset");
    auto length = c.hex();
    if (!length || !c.empty()) return bad("qXfer: length");
    return request::xfer_read{std::string(*object), std::string(*annex), *offset, clamp_length(*length)};
  }
  if (p == "qfThreadInfo") return request::thread_list{true};
  if (p == "qsThreadInfo") return request::thread_list{false};
  if (p == "qC") return request::current_thread{};
  if (c.eat("qAttached")) {
    if (c.empty()) return request::attached{};
    if (!c.eat(':')) return request::unsupported{std::string(p)};
    auto pid = c.hex();
    if (!pid || *pid > 0x7fffffff || !c.empty()) return bad("qAttached: pid");
    return request::attached{static_cast<long>(*pid)};
  }
  if (c.eat("qRcmd,")) {
    request::monitor r;
    if (!decode_hex(c.s, r.command)) return bad("qRcmd: hex");
    return r;
  }
  // The name is what comes before the first ':' or ',' (gdb's manual: query names).
  return request::unsupported{std::string(p.substr(0, p.find_first_of(":,;")))};
}

inline request_type parse_set(std::string_view p) {
  cursor c{p};
  if (p == "QStartNoAckMode") return request::start_no_ack{};
  if (c.eat("QCatchSyscalls:")) {
    request::catch_syscalls r;
    if (c.eat('0')) {
      if (!c.empty()) return bad("QCatchSyscalls: bytes after 0");
      return r;
    }
    if (!c.eat('1')) return bad("QCatchSyscalls: neither 0 nor 1");
    r.enable = true;
    while (c.eat(';')) {
      if (r.numbers.size() == 1024) return bad("QCatchSyscalls: too many calls");
      auto nr = c.hex();
      if (!nr || *nr > 0xffff) return bad("QCatchSyscalls: number");
      r.numbers.push_back(static_cast<long>(*nr));
    }
    if (!c.empty()) return bad("QCatchSyscalls: trailing bytes");
    return r;
  }
  if (c.eat("QThreadEvents:")) {
    if (c.s == "0") return request::thread_events{false};
    if (c.s == "1") return request::thread_events{true};
    return bad("QThreadEvents: neither 0 nor 1");
  }
  const bool program = c.eat("QProgramSignals:");
  if (program || c.eat("QPassSignals:")) {
    request::signal_set r;
    r.program = program;
    while (!c.empty()) {
      auto sig = c.hex();
      if (!sig || *sig > 0xff) return bad("QPassSignals: signal number");
      if (r.signals.size() == 256) return bad("QPassSignals: too many signals");
      r.signals.push_back(static_cast<unsigned>(*sig));
      if (!c.empty() && !c.eat(';')) return bad("QPassSignals: separator");
    }
    return r;
  }
  return request::unsupported{std::string(p.substr(0, p.find_first_of(":,;")))};
}

inline request_type parse_file(std::string_view p) {
  cursor c{p};
  request::file_io r;
  auto op = c.until(':');
  if (!op) return bad("vFile: operation");
  r.op = std::string(*op);
  auto number = [&]() -> std::optional<std::int64_t> {
    bool neg = c.eat('-');
    auto v = c.hex();
    if (!v || *v > 0x7fffffffffffffffull) return std::nullopt;
    return neg ? -static_cast<std::int64_t>(*v) : static_cast<std::int64_t>(*v);
  };
  auto numbers = [&](std::size_t n, bool comma_before) -> bool {
    for (std::size_t i = 0; i < n; ++i) {
      if ((i > 0 || comma_before) && !c.eat(',')) return false;
      auto v = number();
      if (!v) return false;
      r.args.push_back(*v);
    }
    return true;
  };
  if (r.op == "open") {
    auto path = c.until(',');
    if (!path || !decode_hex(*path, r.path) || !numbers(2, false) || !c.empty()) return bad("vFile:open");
  } else if (r.op == "unlink" || r.op == "readlink") {
    if (!decode_hex(c.s, r.path)) return bad("vFile: path");
  } else if (r.op == "setfs" || r.op == "close" || r.op == "fstat") {
    if (!numbers(1, false) || !c.empty()) return bad("vFile: number");
  } else if (r.op == "pread") {
    if (!numbers(3, false) || !c.empty()) return bad("vFile:pread");
  } else if (r.op == "pwrite") {
    if (!numbers(2, false) || !c.eat(',')) return bad("vFile:pwrite");
    r.data = std::string(c.s);  // binary: the framing undid its escapes
  } else {
    return request::unsupported{"vFile:" + r.op};
  }
  return r;
}

inline request_type parse_v(std::string_view p) {
  cursor c{p};
  if (p == "vCont?") return request::resume_query{};
  if (c.eat("vCont;")) {
    c.s = p.substr(5);  // keep the ';' the action loop expects
    return parse_vcont(c);
  }
  if (c.eat("vKill;")) {
    auto pid = c.hex();
    if (!pid || *pid > 0x7fffffff || !c.empty()) return bad("vKill: pid");
    return request::kill{static_cast<long>(*pid)};
  }
  if (c.eat("vFile:")) return parse_file(c.s);
  return request::unsupported{std::string(p.substr(0, p.find_first_of(":;?")))};
}

}  // namespace detail

/// Returns the request a packet's decoded payload (packet_reader::payload) holds. Never
/// throws for any input but std::bad_alloc: a packet snare does not implement is
/// `unsupported` (reply empty), one whose arguments do not parse is `malformed` (reply
/// an error). Lengths are bounded: memory reads and qXfer chunks at max_read_size, lists
/// (vCont actions, qSupported features, QCatchSyscalls numbers) at a fixed count.
inline request_type parse(std::string_view p) {
  using detail::bad;
  using detail::cursor;
  if (p.empty()) return request::unsupported{""};
  cursor c{p.substr(1)};
  switch (p.front()) {
    case '?':
      if (!c.empty()) return bad("?: trailing bytes");
      return request::halt_reason{};
    case 'g':
      if (!c.empty()) return bad("g: trailing bytes");
      return request::read_registers{};
    case 'G': {
      request::write_registers r;
      if (!decode_hex(c.s, r.bytes)) return bad("G: hex");
      return r;
    }
    case 'p': {
      auto n = c.hex();
      if (!n || *n > 0xffff || !c.empty()) return bad("p: register number");
      return request::read_register{static_cast<unsigned>(*n)};
    }
    case 'P': {
      request::write_register r;
      auto n = c.hex();
      if (!n || *n > 0xffff || !c.eat('=')) return bad("P: register number");
      r.number = static_cast<unsigned>(*n);
      if (!decode_hex(c.s, r.bytes)) return bad("P: hex");
      return r;
    }
    case 'm': {
      auto addr = c.hex();
      if (!addr || !c.eat(',')) return bad("m: address");
      auto len = c.hex();
      if (!len || !c.empty()) return bad("m: length");
      return request::read_memory{*addr, detail::clamp_length(*len)};
    }
    case 'M':
    case 'X': {
      request::write_memory r;
      auto addr = c.hex();
      if (!addr || !c.eat(',')) return bad("M/X: address");
      auto len = c.hex();
      if (!len || !c.eat(':')) return bad("M/X: length");
      r.address = *addr;
      if (p.front() == 'M') {
        if (!decode_hex(c.s, r.bytes)) return bad("M: hex");
      } else {
        r.bytes = std::string(c.s);
      }
      if (r.bytes.size() != *len) return bad("M/X: length differs from the data's");
      return r;
    }
    case 'Z':
    case 'z': {
      request::breakpoint r;
      r.insert = p.front() == 'Z';
      auto type = c.hex();
      if (!type || *type > 4 || !c.eat(',')) return bad("Z: type");
      auto addr = c.hex();
      if (!addr || !c.eat(',')) return bad("Z: address");
      auto kind = c.hex();
      // Conditions and commands (`;X...`) follow only when gdb was told they are supported.
      if (!kind || !c.empty()) return bad("Z: kind");
      r.type = static_cast<unsigned>(*type), r.address = *addr, r.kind = *kind;
      return r;
    }
    case 'c':
    case 'C':
    case 's':
    case 'S':
      return detail::parse_old_resume(p.front(), c);
    case 'H': {
      request::set_thread r;
      if (!c.eat('g') && !c.eat('c')) return bad("H: operation");
      r.op = p[1];
      auto t = c.thread();
      if (!t || !c.empty()) return bad("H: thread");
      r.thread = *t;
      return r;
    }
    case 'T': {
      auto t = c.thread();
      if (!t || !c.empty()) return bad("T: thread");
      return request::thread_alive{*t};
    }
    case 'D': {
      if (c.empty()) return request::detach{};
      auto pid = c.eat(';') ? c.hex() : std::nullopt;
      if (!pid || *pid > 0x7fffffff || !c.empty()) return bad("D: pid");
      return request::detach{static_cast<long>(*pid)};
    }
    case 'k':
      return request::kill{};
    case 'q':
      return detail::parse_query(p);
    case 'Q':
      return detail::parse_set(p);
    case 'v':
      return detail::parse_v(p);
    default:
      return request::unsupported{std::string(1, p.front())};
  }
}

}  // namespace snare::gdb
