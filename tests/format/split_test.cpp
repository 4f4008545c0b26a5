// Tests the entry/exit split: what is known at entry, <unfinished ...> and <... resumed>,
// and -a column alignment.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::desc;
using snare::test::fake_memory;
namespace fmt = snare::format;

TEST_CASE("Entry prints the in-arguments, exit the out-arguments and the result", "[format][split]") {
  fake_memory mem;
  mem.put_string(0x1000, "hello\n", false);
  snare::sys::raw_args args{3, 0x1000, 4096};
  std::string line;
  REQUIRE(fmt::format_entry(line, desc("read"), args, mem));
  CHECK(line == "read(3, ");
  REQUIRE(fmt::format_exit(line, desc("read"), args, 6, mem));
  CHECK(line == R"(read(3, "hello\n", 4096) = 6)");
  SECTION("a call with only in-arguments prints all of them at entry") {
    std::string close_line;
    REQUIRE(fmt::format_entry(close_line, desc("close"), {3}, mem));
    CHECK(close_line == "close(3");
    REQUIRE(fmt::format_exit(close_line, desc("close"), {3}, 0, mem));
    CHECK(close_line == "close(3) = 0");
  }
}

TEST_CASE("An interrupted call prints <unfinished ...> and later <... name resumed>", "[format][split]") {
  fake_memory mem;
  std::int32_t status = 0;
  mem.put(0x1000, status);
  snare::sys::raw_args args{static_cast<std::uint64_t>(-1), 0x1000, 0, 0};
  std::string log;
  // strace -f: wait4(-1,  <unfinished ...>  then  <... wait4 resumed>[{WIFEXITED(s) && ...}], 0, NULL) = 124
  REQUIRE(fmt::format_entry(log, desc("wait4"), args, mem));
  REQUIRE(fmt::unfinished(log));
  log += '\n';
  REQUIRE(fmt::format_call(log, desc("getpid"), {}, 124, mem));
  log += '\n';
  REQUIRE(fmt::resumed(log, desc("wait4")));
  REQUIRE(fmt::format_exit(log, desc("wait4"), args, 124, mem));
  CHECK(log ==
        "wait4(-1,  <unfinished ...>\n"
        "getpid() = 124\n"
        "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 124");
  SECTION("a call with only in-arguments is unfinished right after them") {
    std::string l;
    REQUIRE(fmt::format_entry(l, desc("futex"), {0x7f00, 128, 2, 0, 0, 0}, mem));
    REQUIRE(fmt::unfinished(l));
    CHECK(l == "futex(0x7f00, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>");
    l.clear();
    REQUIRE(fmt::resumed(l, desc("futex")));
    REQUIRE(fmt::format_exit(l, desc("futex"), {0x7f00, 128, 2, 0, 0, 0}, 0, mem));
    CHECK(l == "<... futex resumed>) = 0");
  }
}

TEST_CASE("align_column pads the line so = starts at the column, as strace -a", "[format][split]") {
  fake_memory mem;
  fmt::options o;
  o.align_column = 40;
  std::string out = "previous line\n";
  REQUIRE(fmt::format_call(out, desc("close"), {3}, 0, mem, o));
  // strace: close(3)                                = 0
  CHECK(out == "previous line\nclose(3)                                = 0");
  out.clear();
  mem.put_string(0x1000, "/etc/passwd");
  REQUIRE(
      fmt::format_call(out, desc("openat"), {static_cast<std::uint64_t>(-100), 0x1000, 02000000}, 3, mem, o));
  CHECK(out == R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3)");
  SECTION("a prefix already on the line counts, as strace's column counts its pid") {
    o.align_column = 16;
    out = "1234  ";
    REQUIRE(fmt::format_call(out, desc("close"), {3}, 0, mem, o));
    CHECK(out == "1234  close(3)  = 0");
  }
}

TEST_CASE("Typed calls format through their descriptor", "[format][split]") {
  fake_memory mem;
  snare::sys::x86_64::close c({7, 0, 0, 0, 0, 0});
  std::string out;
  REQUIRE(fmt::format_call(out, c, -9, mem));
  CHECK(out == "close(7) = -1 EBADF (Bad file descriptor)");
  SECTION("formatting a plain call reads no memory") { CHECK(mem.reads() == 0); }
}
