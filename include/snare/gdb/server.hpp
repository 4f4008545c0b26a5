// Defines snare::gdb::server<Tool>: a GDB remote-protocol server (gdbserver) on the ptrace
// backend. It starts a guest under a tool, stops the guest's first process at its first
// instruction, and serves one gdb connection (TCP or a Unix socket) while the tool's handlers
// keep running: registers, memory, software breakpoints, continue and step, threads, the
// target description, auxv and the executable's path, detach and kill. docs/gdbserver.md
// says what works and what does not yet.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/engine/options.hpp>
#include <snare/gdb/protocol.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

namespace snare::gdb {

namespace detail {

// The registers of a stopped x86-64 thread in gdb's order (protocol/x86_64.hpp): the general
// file and the FXSAVE area, which hold every register the target description names.
struct register_file {
  user_regs_struct gp{};
  user_fpregs_struct fp{};
};

// Returns the 80-bit x87 tag gdb shows (0 valid, 1 zero, 2 special, 3 empty) for each
// physical register, from FXSAVE's abridged tag byte and the registers' contents, as the
// x87 FSTENV would (Intel SDM vol. 1, 10.5.1.1 "x87 State": the abridged tag word).
inline std::uint32_t full_tag_word(const user_fpregs_struct& fp) noexcept {
  const unsigned top = (fp.swd >> 11) & 7;
  std::uint32_t tags = 0;
  for (unsigned phys = 0; phys < 8; ++phys) {
    unsigned tag = 3;
    if ((fp.ftw >> phys) & 1) {
      const unsigned st = (phys - top) & 7;  // ST(st) is physical register (top + st) mod 8
      const auto* b = reinterpret_cast<const std::uint8_t*>(&fp.st_space[st * 4]);
      const unsigned exponent = (b[9] & 0x7fu) << 8 | b[8];
      std::uint64_t mantissa = 0;
      std::memcpy(&mantissa, b, 8);
      if (exponent == 0x7fff)
        tag = 2;
      else if (exponent == 0)
        tag = mantissa == 0 ? 1 : 2;
      else
        tag = (mantissa >> 63) ? 0 : 2;
    }
    tags |= tag << (2 * phys);
  }
  return tags;
}

// Copies register `n`'s bytes (little-endian, x86_64::size_of(n) of them) out of or into the
// register file. Returns false for a number gdb's x86-64 file does not have.
inline bool access_register(register_file& f, unsigned n, std::byte* bytes, bool write) noexcept {
  using namespace x86_64;
  auto& r = f.gp;
  auto& fp = f.fp;
  auto io = [&](void* field, std::size_t size) {
    if (write)
      std::memcpy(field, bytes, size);
    else
      std::memcpy(bytes, field, size);
  };
  // 32-bit slices of 64-bit fields, and 32-bit registers from 16-bit fields.
  auto io32 = [&](auto& field) {
    std::uint32_t v = static_cast<std::uint32_t>(field);
    io(&v, 4);
    if (write) field = static_cast<std::remove_reference_t<decltype(field)>>(v);
  };
  unsigned long long* gp64[16] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp,
                                  &r.r8,  &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15};
  if (n < 16) return io(gp64[n], 8), true;
  if (n == rip) return io(&r.rip, 8), true;
  if (n == eflags) return io32(r.eflags), true;
  unsigned long long* seg[6] = {&r.cs, &r.ss, &r.ds, &r.es, &r.fs, &r.gs};
  if (n >= 18 && n < 24) return io32(*seg[n - 18]), true;
  if (n >= st0 && n < st0 + 8) return io(&fp.st_space[(n - st0) * 4], 10), true;
  switch (n) {
    case fctrl:
      return io32(fp.cwd), true;
    case fctrl + 1:
      return io32(fp.swd), true;
    case fctrl + 2: {  // ftag: full on gdb's side, abridged in FXSAVE
      std::uint32_t full = full_tag_word(fp);
      io(&full, 4);
      if (write) {
        std::uint16_t abridged = 0;
        for (unsigned phys = 0; phys < 8; ++phys)
          if (((full >> (2 * phys)) & 3) != 3) abridged |= static_cast<std::uint16_t>(1u << phys);
        fp.ftw = abridged;
      }
      return true;
    }
    case fctrl + 3: {  // fiseg, fioff: FXSAVE64's 64-bit FPU instruction pointer, split
      std::uint32_t v = static_cast<std::uint32_t>(fp.rip >> 32);
      io(&v, 4);
      if (write) fp.rip = (fp.rip & 0xffffffffull) | std::uint64_t{v} << 32;
      return true;
    }
    case fctrl + 4: {
      std::uint32_t v = static_cast<std::uint32_t>(fp.rip);
      io(&v, 4);
      if (write) fp.rip = (fp.rip & ~0xffffffffull) | v;
      return true;
    }
    case fctrl + 5: {  // foseg, fooff: the operand pointer, likewise
      std::uint32_t v = static_cast<std::uint32_t>(fp.rdp >> 32);
      io(&v, 4);
      if (write) fp.rdp = (fp.rdp & 0xffffffffull) | std::uint64_t{v} << 32;
      return true;
    }
    case fctrl + 6: {
      std::uint32_t v = static_cast<std::uint32_t>(fp.rdp);
      io(&v, 4);
      if (write) fp.rdp = (fp.rdp & ~0xffffffffull) | v;
      return true;
    }
    case fctrl + 7:
      return io32(fp.fop), true;
    default:
      break;
  }
  if (n >= xmm0 && n < xmm0 + 16) return io(&fp.xmm_space[(n - xmm0) * 4], 16), true;
  if (n == mxcsr) return io(&fp.mxcsr, 4), true;
  if (n == orig_rax) return io(&r.orig_rax, 8), true;
  if (n == fs_base) return io(&r.fs_base, 8), true;
  if (n == gs_base) return io(&r.gs_base, 8), true;
  return false;
}

// The connection to gdb: a reader thread owns recv() (so that gdb's interrupt byte is seen
// while the guest runs, and the tracer's thread never blocks in the socket then); the
// tracer's thread takes the bytes it read and alone sends.
class connection {
 public:
  explicit connection(int fd) : fd_(fd) {
    reader_ = std::thread([this] { read_loop(); });
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() { close(); }

  // Calls `on_interrupt` from the reader thread when gdb's 0x03 comes while `armed`.
  void set_interrupt(std::function<void()> f) { on_interrupt_ = std::move(f); }
  void arm_interrupt(bool armed) noexcept { armed_.store(armed); }

  // Waits for the next byte; nullopt once gdb is gone.
  std::optional<char> next() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !bytes_.empty() || eof_; });
    if (bytes_.empty()) return std::nullopt;
    char c = bytes_.front();
    bytes_.pop_front();
    return c;
  }

  bool send(std::string_view bytes) noexcept {
    while (!bytes.empty()) {
      ssize_t n = snare::detail::retry_eintr(
          [&] { return ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL); });
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close() noexcept {
    if (fd_) ::shutdown(fd_.get(), SHUT_RDWR);  // wakes the reader's recv
    if (reader_.joinable()) reader_.join();
    fd_.reset();
  }

 private:
  void read_loop() {
    char buf[4096];
    for (;;) {
      ssize_t n = snare::detail::retry_eintr([&] { return ::recv(fd_.get(), buf, sizeof buf, 0); });
      if (n <= 0) break;
      bool interrupt = false;
      {
        std::lock_guard lock(mu_);
        // Bounded: gdb sends little while it waits for a reply; a client that floods is cut off.
        if (bytes_.size() + static_cast<std::size_t>(n) > 4 * max_packet_size) break;
        bytes_.insert(bytes_.end(), buf, buf + n);
        interrupt = armed_.load() && std::memchr(buf, '\x03', static_cast<std::size_t>(n)) != nullptr;
      }
      cv_.notify_one();
      if (interrupt && on_interrupt_) on_interrupt_();
    }
    {
      std::lock_guard lock(mu_);
      eof_ = true;
    }
    cv_.notify_one();
    if (armed_.load() && on_interrupt_) on_interrupt_();  // gdb is gone while the guest runs: stop it
  }

  snare::detail::unique_fd fd_;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<char> bytes_;
  bool eof_ = false;
  std::atomic<bool> armed_{false};
  std::function<void()> on_interrupt_;
};

}  // namespace detail

/// A gdbserver: serves one gdb over the GDB remote protocol, on the ptrace backend, for the
/// guest's first process, while `Tool`'s handlers run as in any run. Use: listen(), then
/// run(argv); gdb connects with `target remote HOST:PORT` (or the Unix socket's path).
template <class Tool>
class server : private backend::ptrace_detail::debugger {
  using engine_type = backend::ptrace_detail::engine<Tool>;

 public:
  explicit server(Tool& tool, run_options options = {}) : tool_(&tool), options_(options) {}
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  ~server() override = default;

  /// Listens on `where`: "HOST:PORT" (TCP; an empty HOST or "localhost" is 127.0.0.1; PORT 0
  /// picks a free port) or "unix:PATH" (a Unix socket, made anew). Errors: invalid_argument
  /// for an address that does not parse, and the socket calls' errno otherwise.
  result<void> listen(std::string_view where) noexcept {
    if (where.starts_with("unix:")) {
      std::string path(where.substr(5));
      sockaddr_un sa{};
      if (path.empty() || path.size() >= sizeof sa.sun_path) return std::errc::invalid_argument;
      sa.sun_family = AF_UNIX;
      std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
      snare::detail::unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!fd) return result<void>::from_errno(errno);
      ::unlink(path.c_str());
      if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd.get(), 1) != 0)
        return result<void>::from_errno(errno);
      listener_ = std::move(fd);
      address_ = std::string(where);
      unix_path_ = path;
      return {};
    }
    auto colon = where.rfind(':');
    if (colon == std::string_view::npos) return std::errc::invalid_argument;
    std::string host(where.substr(0, colon));
    if (host.empty() || host == "localhost") host = "127.0.0.1";
    unsigned long port = 0;
    for (char c : where.substr(colon + 1)) {
      if (c < '0' || c > '9' || port > 65535) return std::errc::invalid_argument;
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (colon + 1 == where.size() || port > 65535) return std::errc::invalid_argument;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) return std::errc::invalid_argument;
    snare::detail::unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return result<void>::from_errno(errno);
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd.get(), 1) != 0)
      return result<void>::from_errno(errno);
    socklen_t len = sizeof sa;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len);
    listener_ = std::move(fd);
    address_ = host + ":" + std::to_string(ntohs(sa.sin_port));
    return {};
  }

  /// Returns the address listen() bound, with the port it picked ("127.0.0.1:40123"), or
  /// "unix:PATH".
  const std::string& address() const noexcept { return address_; }

  /// Writes every packet in and out to `log` (gdb's `set debug remote 1`, on our side).
  void set_log(std::FILE* log) noexcept { log_ = log; }

  /// Starts argv under the tool with ptrace, waits for gdb once the first process has exec'd
  /// (stopped before its first instruction), serves it, and goes on serving the tool's
  /// events until every guest process is gone. Returns the guest's exit code as
  /// snare::run does; 127 with a message when listen() was not called or succeeded.
  int run(std::span<const char* const> argv) {
    if (!listener_) {
      std::fprintf(stderr, "snare: gdbserver: not listening (call listen first)\n");
      return 127;
    }
    auto global = std::make_unique<global_state_t<Tool>>();
    engine_type engine(*tool_, options_, *global);
    engine_ = &engine;
    engine.set_debugger(this);
    int code = engine.run(argv);
    engine_ = nullptr;
    status_ = engine.status();
    if (conn_) conn_->close();
    if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
    return code;
  }
  int run(std::initializer_list<const char*> argv) {
    return run(std::span<const char* const>(argv.begin(), argv.size()));
  }

  /// Returns how the last run's first guest process ended.
  const exit_status& status() const noexcept { return status_; }

 private:
  // --- the debugger seam (backend/ptrace/detail/debugger.hpp) ---
  bool on_exec(pid_t pid, pid_t tid) override {
    if (started_) return false;  // only the first exec: the start (later ones: see docs)
    started_ = true;
    pid_ = pid;
    int fd = snare::detail::retry_eintr(
        [&] { return ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC); });
    listener_.reset();
    if (fd < 0) return false;  // no gdb: the run goes on without one
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on a Unix socket
    conn_ = std::make_unique<detail::connection>(fd);
    conn_->set_interrupt([pid] { ::kill(pid, SIGINT); });  // as gdbserver does on Ctrl-C
    stopped(tid, SIGTRAP, {}, false);
    return true;
  }

  bool on_signal(pid_t pid, pid_t tid, int sig) override {
    if (!conn_ || pid != pid_) return false;
    conn_->arm_interrupt(false);
    reply::stop_reason why;
    if (sig == SIGTRAP) {
      siginfo_t si{};
      auto regs = engine_->debug_registers(tid);
      // int3 reports SI_KERNEL with the pc after it: a breakpoint of ours is rewound onto.
      if (::ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code == SI_KERNEL && regs &&
          breakpoints_.count(regs->rip - 1) != 0) {
        user_regs_struct r = *regs;
        r.rip -= 1;
        (void)engine_->debug_set_registers(tid, r);
        if (swbreak_) why.what = reply::stop_reason::kind::swbreak;
      }
    }
    stopped(tid, sig, why, true);
    return true;
  }

  // The child has the parent's memory, int3s included: they go, or it dies of SIGTRAP at one
  // (gdb is not told of forks yet).
  void on_fork(pid_t child) override {
    for (auto& [addr, saved] : breakpoints_)
      (void)backend::ptrace_detail::write_memory(child, addr, std::span(&saved, 1));
  }

  void on_root_exit(int status) override {
    if (!conn_) return;
    conn_->arm_interrupt(false);
    // gdb waits for a stop reply while the guest runs; a stopped guest killed by gdb's `k`
    // is told no more (gdb forgets it itself).
    if (running_)
      send_packet(WIFSIGNALED(status) ? reply::killed(pid_, WTERMSIG(status))
                                      : reply::exited(pid_, WEXITSTATUS(status)));
    running_ = false;
    conn_->close();
    conn_.reset();
  }

  // --- a stop: stop the other threads, tell gdb, serve it until it resumes ---
  void stopped(pid_t tid, int sig, reply::stop_reason why, bool tell) {
    engine_->debug_stop_others(tid);
    // Another thread that hit one of the breakpoints meanwhile goes back onto it, its SIGTRAP
    // dropped: it hits it again when it runs, if gdb still wants it (gdbserver's
    // cancel_breakpoint). Else, gdb having taken the breakpoint out (it does at each stop),
    // its trap would come as a stray SIGTRAP, or kill it after a detach.
    for (pid_t other : engine_->debug_threads(pid_)) {
      if (other == tid) continue;
      auto regs = engine_->debug_registers(other);
      siginfo_t si{};
      if (!regs || breakpoints_.count(regs->rip - 1) == 0 ||
          ::ptrace(PTRACE_GETSIGINFO, other, 0, &si) != 0 || si.si_signo != SIGTRAP ||
          si.si_code != SI_KERNEL || !engine_->debug_drop_trap(other))
        continue;
      user_regs_struct r = *regs;
      r.rip -= 1;
      (void)engine_->debug_set_registers(other, r);
    }
    current_ = tid;
    general_ = 0;
    last_stop_ = reply::stopped(sig, {pid_, tid}, why);
    if (tell && running_) send_packet(last_stop_);
    running_ = false;
    serve();
  }

  void serve() {
    for (;;) {
      auto packet = next_packet();
      if (!packet) {  // gdb is gone without a detach: end the guest, as gdbserver does
        end_session();
        engine_->debug_kill_all();
        return;
      }
      if (log_) std::fprintf(log_, "gdb> %s\n", packet->c_str());
      if (!answer(parse(*packet))) return;  // resumed, detached or killed
    }
  }

  // Reads bytes until a whole good packet; acks it (until no-ack mode), nacks a bad one,
  // sends the last reply again on a nack. Nullopt once gdb is gone.
  std::optional<std::string> next_packet() {
    for (;;) {
      auto c = conn_->next();
      if (!c) return std::nullopt;
      auto got = reader_.feed(*c);
      if (!got) continue;
      switch (*got) {
        case packet_reader::kind::packet:
          if (!no_ack_) conn_->send("+");
          return std::string(reader_.payload());
        case packet_reader::kind::bad:
          if (!no_ack_) conn_->send("-");
          break;
        case packet_reader::kind::nack:
          if (!no_ack_ && !last_sent_.empty()) conn_->send(last_sent_);
          break;
        case packet_reader::kind::ack:
        case packet_reader::kind::interrupt:  // the guest is stopped already
          break;
      }
    }
  }

  void send_packet(std::string_view payload) {
    if (log_)
      std::fprintf(log_, "gdb< %.*s\n", static_cast<int>(std::min<std::size_t>(payload.size(), 200)),
                   payload.data());
    last_sent_ = frame(payload);
    conn_->send(last_sent_);
  }

  // Stops serving: the guest runs on under the tool alone.
  void end_session() {
    running_ = false;
    if (conn_) {
      conn_->arm_interrupt(false);
      conn_->close();
      conn_.reset();
    }
  }

  // The thread a register or memory request is for: Hg's, or the stopped one.
  pid_t thread_for_g() const noexcept { return general_ > 0 ? general_ : current_; }

  bool known_thread(pid_t tid) {
    auto ts = engine_->debug_threads(pid_);
    return std::find(ts.begin(), ts.end(), tid) != ts.end();
  }

  // Answers one request; false when the guest runs again (or is gone) and serving stops.
  bool answer(const request_type& req) {
    return std::visit([&](const auto& r) { return on(r); }, req);
  }

  bool on(const request::halt_reason&) { return send_packet(last_stop_), true; }

  bool on(const request::supported& r) {
    swbreak_ = r.has("swbreak+");
    std::string caps = "PacketSize=";
    reply::append_number(caps, max_packet_size);
    caps +=
        ";QStartNoAckMode+;multiprocess+;swbreak+;qXfer:features:read+;qXfer:auxv:read+;"
        "qXfer:exec-file:read+;vContSupported+";
    return send_packet(caps), true;
  }

  bool on(const request::start_no_ack&) {
    send_packet(reply::ok());
    no_ack_ = true;
    return true;
  }

  bool on(const request::set_thread& r) {
    pid_t tid = static_cast<pid_t>(r.thread.tid);
    if (tid > 0 && !known_thread(tid)) return send_packet(reply::error(ESRCH)), true;
    if (r.op == 'g') general_ = tid > 0 ? tid : 0;
    return send_packet(reply::ok()), true;
  }

  bool on(const request::thread_alive& r) {
    const bool alive = r.thread.tid > 0 && known_thread(static_cast<pid_t>(r.thread.tid));
    return send_packet(alive ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::thread_list& r) {
    if (!r.first) return send_packet(reply::thread_list({})), true;
    std::vector<thread_id> ids;
    for (pid_t t : engine_->debug_threads(pid_)) ids.push_back({pid_, t});
    return send_packet(reply::thread_list(ids)), true;
  }

  bool on(const request::current_thread&) {
    return send_packet(reply::current_thread({pid_, current_})), true;
  }
  bool on(const request::attached&) { return send_packet("0"), true; }  // snare started it

  std::optional<detail::register_file> load(pid_t tid) {
    auto gp = engine_->debug_registers(tid);
    if (!gp) return std::nullopt;
    detail::register_file f;
    f.gp = *gp;
    if (::ptrace(PTRACE_GETFPREGS, tid, 0, &f.fp) != 0) return std::nullopt;
    return f;
  }
  bool store(pid_t tid, const detail::register_file& f) {
    return engine_->debug_set_registers(tid, f.gp).has_value() &&
           ::ptrace(PTRACE_SETFPREGS, tid, 0, &f.fp) == 0;
  }

  bool on(const request::read_registers&) {
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, x86_64::file_size> bytes{};
    for (unsigned n = 0; n < x86_64::registers.size(); ++n)
      detail::access_register(*f, n, bytes.data() + x86_64::offset_of(n), false);
    return send_packet(reply::hex(bytes)), true;
  }

  bool on(const request::write_registers& r) {
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    if (r.bytes.size() != x86_64::file_size) return send_packet(reply::error(EINVAL)), true;
    auto* bytes = reinterpret_cast<std::byte*>(const_cast<char*>(r.bytes.data()));
    for (unsigned n = 0; n < x86_64::registers.size(); ++n)
      detail::access_register(*f, n, bytes + x86_64::offset_of(n), true);
    return send_packet(store(thread_for_g(), *f) ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::read_register& r) {
    if (r.number >= x86_64::registers.size()) return send_packet(reply::error(EINVAL)), true;
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, 16> bytes{};
    detail::access_register(*f, r.number, bytes.data(), false);
    return send_packet(reply::hex(std::span(bytes.data(), x86_64::size_of(r.number)))), true;
  }

  bool on(const request::write_register& r) {
    if (r.number >= x86_64::registers.size() || r.bytes.size() != x86_64::size_of(r.number))
      return send_packet(reply::error(EINVAL)), true;
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, 16> bytes{};
    std::memcpy(bytes.data(), r.bytes.data(), r.bytes.size());
    detail::access_register(*f, r.number, bytes.data(), true);
    return send_packet(store(thread_for_g(), *f) ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::read_memory& r) {
    std::vector<std::byte> buf(r.length);
    auto n = backend::ptrace_detail::read_memory(thread_for_g(), r.address, buf);
    if (!n || (*n == 0 && r.length != 0)) return send_packet(reply::error(EFAULT)), true;
    buf.resize(*n);
    // gdb sees the bytes its breakpoints replaced, not the int3s (gdbserver's shadow).
    for (auto& [addr, saved] : breakpoints_)
      if (addr >= r.address && addr < r.address + buf.size()) buf[addr - r.address] = saved;
    return send_packet(reply::hex(buf)), true;
  }

  bool on(const request::write_memory& r) {
    if (r.bytes.empty()) return send_packet(reply::ok()), true;  // gdb's probe for X support
    std::vector<std::byte> data(r.bytes.size());
    std::memcpy(data.data(), r.bytes.data(), r.bytes.size());
    // A write over a breakpoint changes the byte it restores; the int3 stays.
    for (auto& [addr, saved] : breakpoints_)
      if (addr >= r.address && addr < r.address + data.size()) {
        saved = data[addr - r.address];
        data[addr - r.address] = std::byte{0xcc};
      }
    auto n = backend::ptrace_detail::write_memory(thread_for_g(), r.address, data);
    const bool ok = n && *n == data.size();
    return send_packet(ok ? reply::ok() : reply::error(EFAULT)), true;
  }

  bool on(const request::breakpoint& r) {
    if (r.type != 0) return send_packet(reply::unsupported()), true;  // hardware ones: not yet
    const pid_t tid = thread_for_g();
    if (r.insert) {
      if (breakpoints_.count(r.address) != 0) return send_packet(reply::ok()), true;
      std::byte saved{};
      auto n = backend::ptrace_detail::read_memory(tid, r.address, std::span(&saved, 1));
      const std::byte int3{0xcc};
      if (!n || *n != 1 || !backend::ptrace_detail::write_memory(tid, r.address, std::span(&int3, 1)))
        return send_packet(reply::error(EFAULT)), true;
      breakpoints_[r.address] = saved;
      return send_packet(reply::ok()), true;
    }
    auto it = breakpoints_.find(r.address);
    if (it == breakpoints_.end()) return send_packet(reply::ok()), true;
    auto n = backend::ptrace_detail::write_memory(tid, r.address, std::span(&it->second, 1));
    breakpoints_.erase(it);
    return send_packet(n ? reply::ok() : reply::error(EFAULT)), true;
  }

  bool on(const request::resume_query&) { return send_packet("vCont;c;C;s;S"), true; }

  // Applies gdb's actions: to each stopped thread of the process, the first action naming it
  // (or naming every thread). 't', and actions that would resume no thread (the guest would
  // never stop again), are refused before anything runs.
  bool on(const request::resume& r) {
    if (r.address) {
      auto regs = engine_->debug_registers(current_);
      if (!regs) return send_packet(reply::error(ESRCH)), true;
      user_regs_struct w = *regs;
      w.rip = *r.address;
      (void)engine_->debug_set_registers(current_, w);
    }
    for (const auto& a : r.actions)
      if (a.op == 't') return send_packet(reply::error(EINVAL)), true;  // all-stop: nothing to stop
    auto action_for = [&](pid_t tid) -> const request::resume_action* {
      for (const auto& a : r.actions) {
        if (!a.thread) return &a;
        const auto& t = *a.thread;
        const bool process = t.pid <= 0 || t.pid == pid_;
        if (process && (t.tid == thread_id::all || t.tid == thread_id::any || t.tid == tid)) return &a;
      }
      return nullptr;
    };
    const auto threads = engine_->debug_threads(pid_);
    if (std::none_of(threads.begin(), threads.end(), [&](pid_t tid) { return action_for(tid) != nullptr; }))
      return send_packet(reply::error(ESRCH)), true;
    running_ = true;
    conn_->arm_interrupt(true);
    // A thread no action names stays stopped (gdb steps one thread over a breakpoint so).
    // The old `c`/`s` packets have one action for every thread.
    for (pid_t tid : threads) {
      const request::resume_action* a = action_for(tid);
      if (a == nullptr) continue;
      const int sig = a->signal != 0 ? from_gdb_signal(a->signal) : 0;
      engine_->debug_release(tid, sig, a->op == 's' || a->op == 'r');
    }
    return false;
  }

  bool on(const request::xfer_read& r) {
    std::string object;
    if (r.object == "features") {
      if (r.annex != "target.xml") return send_packet(reply::error(ENOENT)), true;
      object = x86_64::target_description();
    } else if (r.object == "auxv") {
      auto auxv = read_file("/proc/" + std::to_string(pid_) + "/auxv");
      if (!auxv) return send_packet(reply::error(EIO)), true;
      object = std::move(*auxv);
    } else if (r.object == "exec-file") {
      long pid = pid_;
      if (!r.annex.empty()) {
        std::string_view a = r.annex;
        pid = 0;
        for (char c : a) {
          if (hex_value(c) < 0 || pid > 0x7ffffff) return send_packet(reply::error(EINVAL)), true;
          pid = pid * 16 + hex_value(c);
        }
      }
      if (pid != pid_) return send_packet(reply::error(ESRCH)), true;
      char path[64], target[4096];
      std::snprintf(path, sizeof path, "/proc/%ld/exe", pid);
      ssize_t n = ::readlink(path, target, sizeof target);
      if (n <= 0) return send_packet(reply::error(EIO)), true;
      object.assign(target, static_cast<std::size_t>(n));
    } else {
      return send_packet(reply::unsupported()), true;
    }
    return send_packet(reply::xfer_chunk(object, r.offset, r.length)), true;
  }

  bool on(const request::detach&) {
    for (auto& [addr, saved] : breakpoints_)
      (void)backend::ptrace_detail::write_memory(pid_, addr, std::span(&saved, 1));
    breakpoints_.clear();
    send_packet(reply::ok());
    end_session();
    engine_->set_debugger(nullptr);
    for (pid_t tid : engine_->debug_threads(pid_)) engine_->debug_release(tid, 0, false);
    return false;
  }

  bool on(const request::kill& r) {
    if (r.pid) send_packet(reply::ok());  // vKill has a reply, k none
    end_session();
    engine_->set_debugger(nullptr);
    engine_->debug_kill_all();
    return false;
  }

  // `monitor CMD` in gdb: snare's own commands; their text goes to gdb's console.
  bool on(const request::monitor& r) {
    std::string text;
    if (r.command == "help") {
      text =
          "snare gdbserver monitor commands:\n"
          "  monitor help          this list\n"
          "  monitor subscription  the syscalls that stop the guest for the tool's handlers\n";
    } else if (r.command == "subscription") {
      const auto& entry = engine_->subscription.entry;
      if (entry.is_everything()) {
        text = "every syscall\n";
      } else if (entry.empty()) {
        text = "no syscall: the tool handles none\n";
      } else {
        for (long nr = 0; nr < max_syscall_number; ++nr) {
          if (!entry.contains(nr)) continue;
          auto name = sys::x86_64::name_of(nr);
          text += name.empty() ? std::to_string(nr) : std::string(name);
          text += ' ';
        }
        text.back() = '\n';
      }
    } else {
      text = "snare: unknown monitor command '" + r.command + "' (monitor help lists them)\n";
    }
    // Console output in pieces a packet holds (hex doubles it).
    for (std::size_t at = 0; at < text.size(); at += max_read_size / 2)
      send_packet(reply::console(std::string_view(text).substr(at, max_read_size / 2)));
    return send_packet(reply::ok()), true;
  }

  bool on(const request::malformed& r) {
    if (log_) std::fprintf(log_, "gdb: malformed: %s\n", r.what.c_str());
    return send_packet(reply::error(EINVAL)), true;
  }

  // Parsed, not served yet: the empty reply (docs/gdbserver.md lists them).
  template <class Other>
  bool on(const Other&) {
    return send_packet(reply::unsupported()), true;
  }

  static std::optional<std::string> read_file(const std::string& path) {
    snare::detail::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string out;
    char buf[4096];
    for (;;) {
      ssize_t n = snare::detail::retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf); });
      if (n < 0) return std::nullopt;
      if (n == 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
      if (out.size() > (1u << 20)) return std::nullopt;  // /proc files this server reads are small
    }
  }

  Tool* tool_;
  run_options options_;
  exit_status status_{};
  engine_type* engine_ = nullptr;
  snare::detail::unique_fd listener_;
  std::string address_, unix_path_;
  std::unique_ptr<detail::connection> conn_;
  packet_reader reader_;
  std::string last_sent_, last_stop_;
  std::map<std::uint64_t, std::byte> breakpoints_;  // address -> the byte the int3 replaced
  std::FILE* log_ = nullptr;
  pid_t pid_ = 0;      // the process gdb debugs: the guest's first
  pid_t current_ = 0;  // the thread of the last stop
  pid_t general_ = 0;  // Hg's thread (0: the current one)
  bool started_ = false, running_ = false, no_ack_ = false, swbreak_ = false;
};

}  // namespace snare::gdb
