// Tests how strings and buffers are quoted, escaped and cut, against strace 6.1's output.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("A read buffer is printed at exit, cut at 32 bytes with ... after the quote", "[format][strings]") {
  fake_memory mem;
  std::string passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  mem.put_string(0x1000, passwd);
  // strace: read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 1221
  CHECK(call("read", {3, 0x1000, 4096}, 1221, mem) ==
        R"(read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 1221)");
  SECTION("only as many bytes as the call returned") {
    CHECK(call("read", {3, 0x1000, 4096}, 5, mem) == R"(read(3, "root:", 4096) = 5)");
  }
  SECTION("an empty read prints an empty string") {
    CHECK(call("read", {3, 0x1000, 10}, 0, mem) == R"(read(3, "", 10) = 0)");
  }
  SECTION("a failed read prints the buffer's address") {
    CHECK(call("read", {999, 0x1000, 10}, -9, mem) ==
          "read(999, 0x1000, 10) = -1 EBADF (Bad file descriptor)");
  }
  SECTION("-s changes the cut") {
    snare::format::options o;
    o.string_limit = 5;
    CHECK(call("read", {3, 0x1000, 4096}, 1221, mem, o) == R"(read(3, "root:"..., 4096) = 1221)");
  }
}

TEST_CASE("Non-printable bytes are escaped as strace does", "[format][strings]") {
  fake_memory mem;
  // The 20 bytes of: write(1, "a\tb\"c\\d\n\x01\x7f\x80\xff" "1\0012\0" "end", 20)
  const unsigned char bytes[] = {'a',  '\t', 'b', '"', 'c', '\\', 'd', '\n', 1,   0x7f,
                                 0x80, 0xff, '1', 1,   '2', 0,    'e', 'n',  'd', 0};
  mem.put_bytes(0x2000, bytes, sizeof bytes);
  CHECK(call("write", {1, 0x2000, 20}, 20, mem) ==
        R"(write(1, "a\tb\"c\\d\n\1\177\200\3771\0012\0end\0", 20) = 20)");
  SECTION("an octal escape before an octal digit takes three digits, before 8 or 9 it does not") {
    const unsigned char b2[] = {1, '7', 8, '9'};
    mem.put_bytes(0x3000, b2, sizeof b2);
    CHECK(call("write", {1, 0x3000, 4}, 4, mem) == R"(write(1, "\0017\109", 4) = 4)");
  }
  SECTION("\\r \\v \\f have names") {
    mem.put_string(0x4000, "\r\v\f", false);
    CHECK(call("write", {1, 0x4000, 3}, 3, mem) == R"(write(1, "\r\v\f", 3) = 3)");
  }
}

TEST_CASE("An input buffer is printed at entry with the length argument, cut at -s", "[format][strings]") {
  fake_memory mem;
  mem.put_string(0x1000, std::string(100, 'A'), false);
  std::string out;
  auto& d = snare::test::desc("write");
  REQUIRE(snare::format::format_entry(out, d, {1, 0x1000, 100}, mem));
  CHECK(out == R"(write(1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"..., 100)");
  REQUIRE(snare::format::format_exit(out, d, {1, 0x1000, 100}, 100, mem));
  CHECK(out == R"(write(1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"..., 100) = 100)");
}

TEST_CASE("getrandom's bytes are printed in hex, as strace does", "[format][strings]") {
  fake_memory mem;
  const unsigned char b[] = {0x22, 0x0b, 0x54, 0x12};
  mem.put_bytes(0x1000, b, sizeof b);
  CHECK(call("getrandom", {0x1000, 4, 1}, 4, mem) ==
        R"(getrandom("\x22\x0b\x54\x12", 4, GRND_NONBLOCK) = 4)");
}

TEST_CASE("Paths are not cut at -s, C strings are", "[format][strings]") {
  fake_memory mem;
  std::string long_path = "/tmp/" + std::string(60, 'p');
  mem.put_string(0x1000, long_path);
  CHECK(call("openat", {static_cast<std::uint64_t>(-100), 0x1000, 0}, 3, mem) ==
        "openat(AT_FDCWD, \"" + long_path + "\", O_RDONLY) = 3");
  mem.put_string(0x2000, "a-thread-name-longer-than-thirty-two-bytes");
  // A C string is cut at -s (32).
  CHECK(call("fgetxattr", {3, 0x2000, 0, 0}, -61, mem) ==
        R"(fgetxattr(3, "a-thread-name-longer-than-thirty"..., NULL, 0) = -1 ENODATA (No data available))");
  // A task name is cut at its 15 bytes (TASK_COMM_LEN - 1; strace's tests/prctl-name.c).
  CHECK(call("prctl", {15, 0x2000}, 0, mem) == R"(prctl(PR_SET_NAME, "a-thread-name-l"...) = 0)");
  SECTION("a readlink result has the length of the return value") {
    mem.put_string(0x3000, "/tmp/fmtprobe/p", false);
    mem.put_string(0x4000, "/proc/self/exe");
    CHECK(call("readlink", {0x4000, 0x3000, 10}, 10, mem) ==
          R"(readlink("/proc/self/exe", "/tmp/fmtpr", 10) = 10)");
  }
}
