// Tests -y: fd arguments and fd results with their paths, through a resolver.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "fake_memory.hpp"
#include "skip.hpp"

using snare::test::call;
using snare::test::fake_fds;
using snare::test::fake_memory;

namespace {
snare::format::options with_paths() {
  snare::format::options o;
  o.show_fd_paths = true;
  return o;
}
constexpr std::uint64_t at_fdcwd = static_cast<std::uint64_t>(-100);
}  // namespace

TEST_CASE(
    "With show_fd_paths (strace -y) fds print as 3</etc/passwd> and AT_FDCWD with the working directory",
    "[format][fd]") {
  fake_memory mem;
  fake_fds fds{{{3, "/etc/passwd"}, {-100, "/tmp/fmtprobe"}, {1, "/dev/null"}, {6, "socket:[26117]"}}};
  mem.put_string(0x1000, "/etc/passwd");
  // strace -y: openat(AT_FDCWD</tmp/fmtprobe>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>
  CHECK(call("openat", {at_fdcwd, 0x1000, 02000000}, 3, mem, with_paths(), fds) ==
        R"(openat(AT_FDCWD</tmp/fmtprobe>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>)");
  // strace -y: close(3</etc/passwd>) = 0 ; close(12345) = -1 EBADF (Bad file descriptor)
  CHECK(call("close", {3}, 0, mem, with_paths(), fds) == "close(3</etc/passwd>) = 0");
  CHECK(call("close", {12345}, -9, mem, with_paths(), fds) ==
        "close(12345) = -1 EBADF (Bad file descriptor)");
  // strace -y: write(1</dev/null>, 0x10, 5) = 5
  CHECK(call("write", {1, 0x10, 5}, 5, mem, with_paths(), fds) == "write(1</dev/null>, 0x10, 5) = 5");
  CHECK(call("socket", {2, 1, 0}, 6, mem, with_paths(), fds) ==
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 6<socket:[26117]>");
  SECTION("mmap's fd -1 stays -1") {
    CHECK(call("mmap", {0, 4096, 1, 0x22, static_cast<std::uint64_t>(-1), 0}, 0x7f0000000000, mem,
               with_paths(),
               fds) == "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000");
  }
  SECTION("fds inside structs: pipe fds and pollfd") {
    fake_fds pipes{{{9, "pipe:[26120]"}, {11, "pipe:[26120]"}}};
    mem.put(0x2000, std::array<std::int32_t, 2>{9, 11});
    CHECK(call("pipe2", {0x2000, 02000000}, 0, mem, with_paths(), pipes) ==
          "pipe2([9<pipe:[26120]>, 11<pipe:[26120]>], O_CLOEXEC) = 0");
  }
  SECTION("without -y the resolver is not asked") {
    CHECK(call("close", {3}, 0, mem, {}, fds) == "close(3) = 0");
  }
}

TEST_CASE("proc_fd_resolver reads /proc/<pid>/fd of a live process", "[format][fd]") {
  int fd = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
  if (fd < 0) snare::test::skip("/etc/hostname cannot be opened");
  char cwd[4096];
  REQUIRE(::getcwd(cwd, sizeof cwd) != nullptr);
  fake_memory mem;
  snare::format::proc_fd_resolver self(::getpid());
  std::string expected = "close(" + std::to_string(fd) + "</etc/hostname>) = 0";
  CHECK(call("close", {static_cast<std::uint64_t>(fd)}, 0, mem, with_paths(), self) == expected);
  std::string path;
  CHECK(self.append_fd_path(-100, path));
  CHECK(path == cwd);
  ::close(fd);
  path.clear();
  CHECK_FALSE(self.append_fd_path(fd, path));
  CHECK(path.empty());
}
