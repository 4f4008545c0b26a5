// Tests -yy (options::show_socket_details, show_device_numbers, show_pidfd_pids): the forms
// strace 6.1 prints (tests/net-yy-unix.c, net-yy-netlink.c, dev-yy.c, pidfd_open-yy.c), on
// this process's own fds through proc_fd_resolver, which asks the kernel's
// NETLINK_SOCK_DIAG as strace does.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "fake_memory.hpp"
#include "skip.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {

snare::format::options yy() {
  snare::format::options o;
  o.show_fd_paths = true;
  o.show_socket_details = o.show_device_numbers = o.show_pidfd_pids = true;
  return o;
}

unsigned long inode_of(int fd) {
  struct stat st;
  REQUIRE(::fstat(fd, &st) == 0);
  return st.st_ino;
}

std::string close_line(int fd, snare::format::options o = yy()) {
  fake_memory mem;
  return call("close", {static_cast<std::uint64_t>(fd)}, 0, mem, o,
              snare::format::proc_fd_resolver(::getpid()));
}

}  // namespace

TEST_CASE("format -yy prints a device with its type and numbers, and other files by path", "[format][fd]") {
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(null >= 0);
  // strace -yy: close(3</dev/null<char 1:3>>) = 0
  CHECK(close_line(null) == "close(" + std::to_string(null) + "</dev/null<char 1:3>>) = 0");
  SECTION("decode-fds=dev alone does the same; decode-fds=socket alone prints no path") {
    snare::format::options dev;
    dev.show_device_numbers = true;
    CHECK(close_line(null, dev) == "close(" + std::to_string(null) + "</dev/null<char 1:3>>) = 0");
    snare::format::options sock;
    sock.show_socket_details = true;
    CHECK(close_line(null, sock) == "close(" + std::to_string(null) + ") = 0");
  }
  ::close(null);
  int file = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
  if (file < 0) snare::test::skip("/etc/hostname cannot be opened");
  CHECK(close_line(file) == "close(" + std::to_string(file) + "</etc/hostname>) = 0");
  ::close(file);
}

TEST_CASE("format -yy prints unix sockets by inode, peer and path, asked of NETLINK_SOCK_DIAG",
          "[format][fd]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  auto a = inode_of(sv[0]), b = inode_of(sv[1]);
  std::string line = close_line(sv[0]);
  if (line.find("socket:[") != std::string::npos) snare::test::skip("no unix_diag in this kernel");
  // strace -yy: close(3<UNIX-STREAM:[1234->1235]>) = 0
  CHECK(line == "close(" + std::to_string(sv[0]) + "<UNIX-STREAM:[" + std::to_string(a) + "->" +
                    std::to_string(b) + "]>) = 0");
  ::close(sv[0]);
  ::close(sv[1]);

  SECTION("a bound socket shows its path; an unnamed, unconnected one its inode alone") {
    int s = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(s >= 0);
    auto ino = inode_of(s);
    CHECK(close_line(s) == "close(" + std::to_string(s) + "<UNIX:[" + std::to_string(ino) + "]>) = 0");
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    std::string name = "snare-fd-details-" + std::to_string(::getpid());
    std::memcpy(sun.sun_path + 1, name.data(), name.size());  // abstract: @name
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&sun),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())) == 0);
    CHECK(close_line(s) ==
          "close(" + std::to_string(s) + "<UNIX:[" + std::to_string(ino) + ",@\"" + name + "\"]>) = 0");
    ::close(s);
  }
}

TEST_CASE("format -yy prints TCP and netlink sockets by their addresses", "[format][fd]") {
  int t = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(t >= 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(t, reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0);
  REQUIRE(::listen(t, 1) == 0);
  socklen_t len = sizeof sin;
  REQUIRE(::getsockname(t, reinterpret_cast<sockaddr*>(&sin), &len) == 0);
  std::string line = close_line(t);
  if (line.find("<TCP:[" + std::to_string(inode_of(t)) + "]>") != std::string::npos)
    snare::test::skip("no inet_diag for TCP in this kernel");
  // strace -yy: close(3<TCP:[127.0.0.1:41234]>) = 0
  CHECK(line ==
        "close(" + std::to_string(t) + "<TCP:[127.0.0.1:" + std::to_string(ntohs(sin.sin_port)) + "]>) = 0");
  ::close(t);

  int n = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  REQUIRE(n >= 0);
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  REQUIRE(::bind(n, reinterpret_cast<sockaddr*>(&nl), sizeof nl) == 0);
  len = sizeof nl;
  REQUIRE(::getsockname(n, reinterpret_cast<sockaddr*>(&nl), &len) == 0);
  line = close_line(n);
  if (line.find("<NETLINK:[" + std::to_string(inode_of(n)) + "]>") != std::string::npos)
    snare::test::skip("no netlink_diag in this kernel");
  // strace -yy: close(3<NETLINK:[ROUTE:4321]>) = 0
  CHECK(line == "close(" + std::to_string(n) + "<NETLINK:[ROUTE:" + std::to_string(nl.nl_pid) + "]>) = 0");
  ::close(n);
}

TEST_CASE("format -yy prints a pidfd as the process it refers to", "[format][fd]") {
  long fd = ::syscall(SYS_pidfd_open, ::getpid(), 0);
  if (fd < 0) snare::test::skip("pidfd_open is not available");
  // strace -yy: close(3<pid:1234>) = 0
  CHECK(close_line(static_cast<int>(fd)) ==
        "close(" + std::to_string(fd) + "<pid:" + std::to_string(::getpid()) + ">) = 0");
  // -y alone: the link's name.
  snare::format::options y;
  y.show_fd_paths = true;
  CHECK(close_line(static_cast<int>(fd), y) == "close(" + std::to_string(fd) + "<anon_inode:[pidfd]>) = 0");
  ::close(static_cast<int>(fd));
}

TEST_CASE("format -y escapes a path in its brackets and marks an unlinked file after them", "[format][fd]") {
  // strace -y (tests/fsync-y.c, fchmod-y.c): fsync(3</tmp/x\74y\76\n>) = 0 ;
  // fchmod(3</tmp/gone>(deleted), 0600) = 0 ; a file named "... (deleted)" keeps its name.
  std::string dir = "/tmp/snare-fd-y-" + std::to_string(::getpid());
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  snare::format::options y;
  y.show_fd_paths = true;
  std::string odd = dir + "/a<b>\n";
  int fd = ::open(odd.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  CHECK(close_line(fd, y) == "close(" + std::to_string(fd) + "<" + dir + "/a\\74b\\76\\n>) = 0");
  ::unlink(odd.c_str());
  CHECK(close_line(fd, y) == "close(" + std::to_string(fd) + "<" + dir + "/a\\74b\\76\\n>(deleted)) = 0");
  ::close(fd);
  std::string named = dir + "/f (deleted)";
  fd = ::open(named.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  CHECK(close_line(fd, y) == "close(" + std::to_string(fd) + "<" + named + ">) = 0");
  ::unlink(named.c_str());
  CHECK(close_line(fd, y) == "close(" + std::to_string(fd) + "<" + named + ">(deleted)) = 0");
  ::close(fd);
  ::rmdir(dir.c_str());
}
