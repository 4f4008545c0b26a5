// Defines snare::gdb::server<Tool>: a GDB remote-protocol server (gdbserver) on the ptrace
// backend. It starts a guest under a tool, stops the guest's first process at its first
// instruction, and serves one gdb connection (TCP or a Unix socket) while the tool's handlers
// keep running: registers, memory, software breakpoints, continue and step, threads, the
// target description, auxv and the executable's path, forks gdb follows or keeps, range
// stepping, signals passed without a stop, detach and kill. docs/gdbserver.md
// says what works and what does not yet. Its parts are in gdb/server/: the socket
// (connection.hpp), the stop and resume control (session.hpp), breakpoints, registers, the
// packet handlers and the monitor commands.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <snare/backend/ptrace.hpp>
#include <snare/engine/options.hpp>
#include <snare/gdb/server/connection.hpp>
#include <snare/gdb/server/handlers.hpp>
#include <snare/result.hpp>
#include <snare/tool.hpp>

namespace snare::gdb {

/// A gdbserver: serves one gdb over the GDB remote protocol, on the ptrace backend, for the
/// guest's first process and the fork children gdb keeps, while `Tool`'s handlers run as in
/// any run. Use: listen(), then run(argv); gdb connects with `target remote HOST:PORT` (or
/// the Unix socket's path).
template <class Tool>
class server : private detail::handlers<Tool> {
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
    auto l = detail::listen_on(where);
    if (!l) return l.error();
    this->listener_ = std::move(*l);
    return {};
  }

  /// Returns the address listen() bound, with the port it picked ("127.0.0.1:40123"), or
  /// "unix:PATH".
  const std::string& address() const noexcept { return this->listener_.address; }

  /// Writes every packet in and out to `log` (gdb's `set debug remote 1`, on our side).
  void set_log(std::FILE* log) noexcept { this->log_ = log; }

  /// Starts argv under the tool with ptrace, waits for gdb once the first process has exec'd
  /// (stopped before its first instruction), serves it, and goes on serving the tool's
  /// events until every guest process is gone. Returns the guest's exit code as
  /// snare::run does; 127 with a message when listen() was not called or succeeded.
  int run(std::span<const char* const> argv) {
    if (!this->listener_.fd) {
      std::fprintf(stderr, "snare: gdbserver: not listening (call listen first)\n");
      return 127;
    }
    auto global = std::make_unique<global_state_t<Tool>>();
    engine_type engine(*tool_, options_, *global);
    this->engine_ = &engine;
    engine.set_debugger(this);
    int code = engine.run(argv);
    this->engine_ = nullptr;
    status_ = engine.status();
    if (this->conn_) this->conn_->close();
    if (!this->listener_.unix_path.empty()) ::unlink(this->listener_.unix_path.c_str());
    return code;
  }
  int run(std::initializer_list<const char*> argv) {
    return run(std::span<const char* const>(argv.begin(), argv.size()));
  }

  /// Returns how the last run's first guest process ended.
  const exit_status& status() const noexcept { return status_; }

 private:
  Tool* tool_;
  run_options options_;
  exit_status status_{};
};

}  // namespace snare::gdb
