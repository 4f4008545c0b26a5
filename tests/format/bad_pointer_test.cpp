// Tests that unreadable guest pointers print as their address and never crash, over the
// whole x86-64 table with garbage registers.
#include <catch2/catch.hpp>

#include <random>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("Unreadable pointers print as hex addresses", "[format][bad-pointer]") {
  fake_memory mem;  // nothing mapped
  // strace: openat(AT_FDCWD, 0x18, O_RDONLY) = -1 EFAULT (Bad address)
  CHECK(call("openat", {static_cast<std::uint64_t>(-100), 0x18, 0}, -14, mem) ==
        "openat(AT_FDCWD, 0x18, O_RDONLY) = -1 EFAULT (Bad address)");
  // strace: write(1, 0x10, 5) = 5
  CHECK(call("write", {1, 0x10, 5}, 5, mem) == "write(1, 0x10, 5) = 5");
  CHECK(call("fstat", {3, 0xdead0000}, 0, mem) == "fstat(3, 0xdead0000) = 0");
  CHECK(call("rt_sigaction", {2, 0x10, 0, 8}, -14, mem) ==
        "rt_sigaction(SIGINT, 0x10, NULL, 8) = -1 EFAULT (Bad address)");
  CHECK(call("connect", {3, 0x10, 16}, -14, mem) == "connect(3, 0x10, 16) = -1 EFAULT (Bad address)");
  CHECK(call("writev", {1, 0x10, 2}, -14, mem) == "writev(1, 0x10, 2) = -1 EFAULT (Bad address)");
  CHECK(call("execve", {0x10, 0x20, 0x30}, -14, mem) == "execve(0x10, 0x20, 0x30) = -1 EFAULT (Bad address)");
  CHECK(call("uname", {0x10}, 0, mem) == "uname(0x10) = 0");
}

TEST_CASE("A buffer cut short by unmapped memory prints as its address", "[format][bad-pointer]") {
  fake_memory mem;
  mem.put_string(0x1000, "abc", false);  // only 3 of 10 bytes are mapped
  CHECK(call("write", {1, 0x1000, 10}, 10, mem) == "write(1, 0x1000, 10) = 10");
  SECTION("a string that runs into unmapped memory before its NUL prints as its address") {
    // strace: chdir(0x1000) = 0 (umovestr fails before the NUL; strace's tests/chdir.c)
    CHECK(call("chdir", {0x1000}, 0, mem) == "chdir(0x1000) = 0");
  }
  SECTION("a string whose byte after the limit is readable prints cut, with ...") {
    mem.put_string(0x3000, std::string(33, 'x'), false);  // the limit (32) plus one byte
    CHECK(call("fgetxattr", {3, 0x3000, 0, 0}, -61, mem) ==
          R"(fgetxattr(3, ")" + std::string(32, 'x') + R"("..., NULL, 0) = -1 ENODATA (No data available))");
    mem.put_string(0x3000, std::string(32, 'x'), false);  // byte 33 unmapped: the read fails
    CHECK(call("fgetxattr", {3, 0x3000, 0, 0}, -61, mem) ==
          "fgetxattr(3, 0x3000, NULL, 0) = -1 ENODATA (No data available)");
  }
  SECTION("a path as long as PATH_MAX with no NUL prints 4095 bytes and ... (strace's tests/chdir.c)") {
    mem.put_string(0x4000, std::string(4096, '/'), false);
    CHECK(call("chdir", {0x4000}, 0, mem) == R"(chdir(")" + std::string(4095, '/') + R"("...) = 0)");
    mem.put_string(0x4000, std::string(4095, '/'), false);  // one byte short: the read fails
    CHECK(call("chdir", {0x4000}, 0, mem) == "chdir(0x4000) = 0");
  }
  SECTION("an iovec whose second element is unreadable") {
    struct {
      std::uint64_t base, len;
    } one{0x1000, 3};
    mem.put(0x2000, one);
    // strace 6.1: writev(1, [{iov_base="abc", iov_len=3}, ... /* 0x7fe42d283000 */], 2)
    CHECK(call("writev", {1, 0x2000, 2}, 3, mem) ==
          R"(writev(1, [{iov_base="abc", iov_len=3}, ... /* 0x2010 */], 2) = 3)");
  }
}

TEST_CASE("Every x86-64 syscall formats garbage registers without crashing", "[format][bad-pointer]") {
  fake_memory mem;
  std::mt19937_64 rng(12345);
  // Some memory to land in: pointers below point into it half the time.
  std::vector<unsigned char> junk(1 << 16);
  for (auto& b : junk) b = static_cast<unsigned char>(rng());
  mem.put_bytes(0x100000, junk.data(), junk.size());
  std::size_t formatted = 0;
  for (long nr = 0; nr < 512; ++nr) {
    const snare::sys::syscall_desc* d = snare::sys::x86_64::descriptor(nr);
    if (d == nullptr) continue;
    for (int round = 0; round < 20; ++round) {
      snare::sys::raw_args args{};
      for (auto& a : args) {
        switch (rng() % 4) {
          case 0:
            a = rng();
            break;
          case 1:
            a = 0x100000 + rng() % junk.size();
            break;
          case 2:
            a = rng() % 64;
            break;
          default:
            a = 0;
            break;
        }
      }
      std::int64_t ret =
          round % 3 == 0 ? -static_cast<std::int64_t>(rng() % 600) : static_cast<std::int64_t>(rng() % 70000);
      snare::format::options o;
      o.show_fd_paths = round % 2 == 0;
      std::string out;
      REQUIRE(snare::format::format_call(out, *d, args, ret, mem, o));
      CHECK(out.rfind(std::string(d->name) + "(", 0) == 0);
      CHECK(out.find(") = ") != std::string::npos);
      ++formatted;
    }
  }
  CHECK(formatted > 300 * 20);
}
