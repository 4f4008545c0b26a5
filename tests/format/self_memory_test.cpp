// Tests the real-memory model: calls made by this process, formatted from its own memory
// through process_vm_readv.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_memory.hpp"
#include "skip.hpp"

using snare::test::desc;
namespace fmt = snare::format;

namespace {
std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }
}  // namespace

TEST_CASE("self_memory reads real structs and strings of this process", "[format][self]") {
  auto mem = fmt::self_memory();
  char path[] = "/tmp/snare-format-XXXXXX";
  int tmp = ::mkstemp(path);
  if (tmp < 0) snare::test::skip("cannot create a file in /tmp");
  const char text[] = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  REQUIRE(::write(tmp, text, sizeof text - 1) == static_cast<ssize_t>(sizeof text - 1));
  REQUIRE(::fchmod(tmp, 0640) == 0);
  ::close(tmp);

  int fd = static_cast<int>(::syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
  REQUIRE(fd >= 0);
  std::string out;
  REQUIRE(fmt::format_call(out, desc("openat"),
                           {static_cast<std::uint64_t>(-100), addr(path), O_RDONLY | O_CLOEXEC}, fd, mem));
  std::string fds = std::to_string(fd);
  CHECK(out == "openat(AT_FDCWD, \"" + std::string(path) + "\", O_RDONLY|O_CLOEXEC) = " + fds);

  struct stat st {};
  long r = ::syscall(SYS_fstat, fd, &st);
  REQUIRE(r == 0);
  out.clear();
  REQUIRE(fmt::format_call(out, desc("fstat"), {static_cast<std::uint64_t>(fd), addr(&st)}, r, mem));
  CHECK(out == "fstat(" + fds + ", {st_mode=S_IFREG|0640, st_size=" + std::to_string(sizeof text - 1) +
                   ", ...}) = 0");

  char buf[4096];
  long n = ::syscall(SYS_read, fd, buf, sizeof buf);
  REQUIRE(n == static_cast<long>(sizeof text - 1));
  out.clear();
  REQUIRE(
      fmt::format_call(out, desc("read"), {static_cast<std::uint64_t>(fd), addr(buf), sizeof buf}, n, mem));
  CHECK(out == "read(" + fds + ", \"root:x:0:0:root:/root:/bin/bash\\n\"..., 4096) = " + std::to_string(n));
  ::close(fd);
  ::unlink(path);
}

TEST_CASE("self_memory reports unmapped memory as bad_address", "[format][self]") {
  auto mem = fmt::self_memory();
  std::byte b[8];
  auto r = mem.read_bytes(0x10, b);
  REQUIRE_FALSE(r);
  CHECK(r.error() == std::errc::bad_address);
  std::string out;
  REQUIRE(fmt::format_call(out, desc("write"), {1, 0x10, 5}, 5, mem));
  CHECK(out == "write(1, 0x10, 5) = 5");
  SECTION("a read that crosses into an unmapped page is short") {
    long page = ::sysconf(_SC_PAGESIZE);
    void* two = ::mmap(nullptr, static_cast<std::size_t>(2 * page), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(two != MAP_FAILED);
    REQUIRE(::munmap(static_cast<char*>(two) + page, static_cast<std::size_t>(page)) == 0);
    std::byte big[64];
    auto got = mem.read_bytes(addr(two) + static_cast<std::uint64_t>(page) - 16, big);
    REQUIRE(got);
    CHECK(*got == 16);
    ::munmap(two, static_cast<std::size_t>(page));
  }
}
