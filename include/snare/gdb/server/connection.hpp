// Defines the gdbserver's socket side: the listening socket (TCP or Unix, from an address
// string) and the connection to one gdb, whose reader thread sees gdb's interrupt byte while
// the guest runs.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/gdb/protocol/packet.hpp>
#include <snare/result.hpp>

namespace snare::gdb::detail {

// A listening socket and what it is bound to.
struct listener {
  snare::detail::unique_fd fd;
  std::string address;    // "127.0.0.1:40123" (the port picked) or "unix:PATH"
  std::string unix_path;  // the Unix socket's path, removed when the run ends; empty for TCP
};

// Listens on `where`: "HOST:PORT" (TCP; an empty HOST or "localhost" is 127.0.0.1; PORT 0
// picks a free port) or "unix:PATH" (a Unix socket, made anew). Errors: invalid_argument for
// an address that does not parse, and the socket calls' errno otherwise.
inline result<listener> listen_on(std::string_view where) noexcept {
  listener out;
  if (where.starts_with("unix:")) {
    std::string path(where.substr(5));
    sockaddr_un sa{};
    if (path.empty() || path.size() >= sizeof sa.sun_path) return std::errc::invalid_argument;
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    snare::detail::unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return result<listener>::from_errno(errno);
    ::unlink(path.c_str());
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd.get(), 1) != 0)
      return result<listener>::from_errno(errno);
    out.fd = std::move(fd);
    out.address = std::string(where);
    out.unix_path = path;
    return out;
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
  if (!fd) return result<listener>::from_errno(errno);
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd.get(), 1) != 0)
    return result<listener>::from_errno(errno);
  socklen_t len = sizeof sa;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  out.fd = std::move(fd);
  out.address = host + ":" + std::to_string(ntohs(sa.sin_port));
  return out;
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

}  // namespace snare::gdb::detail
