// Tests what prints where guest memory ends inside an argument, as strace's print_array,
// printargv and printstr do (expected lines from strace 6.1's tests: readv.c, setgroups.c,
// execve.c, preadv.c, printstr.c, sethostname.c, xattr.c, readahead.c).
#include <catch2/catch.hpp>

#include <cstdint>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
struct iov {
  std::uint64_t base, len;
};
}  // namespace

TEST_CASE("An array that runs into unmapped memory ends with where", "[format][memory-end]") {
  fake_memory mem;
  mem.put_string(0x2000, "89abcde", false);
  mem.put(0x1000, iov{0x2000, 7});
  // strace: writev(1, [{iov_base="89abcde", iov_len=7}, ... /* 0x1010 */], 2) = -1 EFAULT (Bad address)
  CHECK(call("writev", {1, 0x1000, 2}, -14, mem) ==
        R"(writev(1, [{iov_base="89abcde", iov_len=7}, ... /* 0x1010 */], 2) = -1 EFAULT (Bad address))");
  SECTION("strace reads the element after the string limit before it writes ...") {
    snare::format::options o;
    o.string_limit = 1;
    CHECK(call("writev", {1, 0x1000, 2}, -14, mem, o) ==
          R"(writev(1, [{iov_base="8"..., iov_len=7}, ... /* 0x1010 */], 2) = -1 EFAULT (Bad address))");
    iov two[2] = {{0x2000, 7}, {0x2000, 7}};
    mem.put(0x1000, two);
    CHECK(call("writev", {1, 0x1000, 2}, -14, mem, o) ==
          R"(writev(1, [{iov_base="8"..., iov_len=7}, ...], 2) = -1 EFAULT (Bad address))");
  }
  SECTION("a failed readv shows its vectors with the buffers' addresses") {
    // strace's tests/preadv.c: preadv(0, [{iov_base=0x..., iov_len=8}], 1, -1) = -1 EINVAL
    CHECK(call("readv", {0, 0x1000, 1}, -22, mem) ==
          "readv(0, [{iov_base=0x2000, iov_len=7}], 1) = -1 EINVAL (Invalid argument)");
    CHECK(call("readv", {0, 0x1000, 0}, -22, mem) == "readv(0, [], 0) = -1 EINVAL (Invalid argument)");
    CHECK(call("readv", {0, 0x1000, 1}, 3, mem) == R"(readv(0, [{iov_base="89a", iov_len=7}], 1) = 3)");
  }
}

TEST_CASE("setgroups prints its gids as strace's print_groups", "[format][memory-end]") {
  fake_memory mem;
  const std::uint32_t gids[] = {0xfffffffe, 0xfffffffd};
  mem.put(0x1000, gids);
  // strace's tests/setgroups.c
  CHECK(call("setgroups", {0xffffffff00000000ULL, 0}, 0, mem) == "setgroups(0, NULL) = 0");
  CHECK(call("setgroups", {0xffffffffULL, 0}, -22, mem) ==
        "setgroups(-1, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("setgroups", {2, 0x1000}, 0, mem) == "setgroups(2, [4294967294, 4294967293]) = 0");
  CHECK(call("setgroups", {3, 0x1000}, -14, mem) ==
        "setgroups(3, [4294967294, 4294967293, ... /* 0x1008 */]) = -1 EFAULT (Bad address)");
  CHECK(call("setgroups", {0, 0x1000}, 0, mem) == "setgroups(0, []) = 0");
  CHECK(call("setgroups", {65537, 0x1000}, -22, mem) ==
        "setgroups(65537, 0x1000) = -1 EINVAL (Invalid argument)");
  const std::uint32_t minus_one = 0xffffffff;
  mem.put(0x3000, minus_one);
  CHECK(call("setgroups", {1, 0x3000}, -22, mem) == "setgroups(1, [-1]) = -1 EINVAL (Invalid argument)");
  snare::format::options o;
  o.string_limit = 1;
  CHECK(call("setgroups", {2, 0x1000}, 0, mem, o) == "setgroups(2, [4294967294, ...]) = 0");
}

TEST_CASE("execve's argv and envp say where memory ends", "[format][memory-end]") {
  fake_memory mem;
  mem.put_string(0x2000, "prog");
  mem.put_string(0x2100, "A=1");
  const std::uint64_t argv = 0x2000, envp = 0x2100;
  mem.put(0x3000, argv);
  mem.put(0x4000, envp);
  mem.put_string(0x1000, "/bin/prog");
  // strace's tests/execve.c: [..., ... /* 0x... */] and 0x... /* 5 vars, unterminated */
  CHECK(call("execve", {0x1000, 0x3000, 0x4000}, -13, mem) ==
        R"(execve("/bin/prog", ["prog", ... /* 0x3008 */], 0x4000 /* 1 var, unterminated */) = -1 EACCES )"
        "(Permission denied)");
}

TEST_CASE("A buffer is read one byte past what shows, as strace's printstr", "[format][memory-end]") {
  fake_memory mem;
  mem.put_string(0x1000, std::string(32, 'X'), false);
  // 33 bytes are fetched for a 40-byte buffer at -s 32: memory ends first, the address prints.
  CHECK(call("write", {1, 0x1000, 40}, -9, mem) == "write(1, 0x1000, 40) = -1 EBADF (Bad file descriptor)");
  CHECK(call("write", {1, 0x1000, 32}, 32, mem) == "write(1, \"" + std::string(32, 'X') + "\", 32) = 32");
  // strace's tests/sethostname.c: a length over __NEW_UTS_LEN prints the address.
  CHECK(call("sethostname", {0x1000, 65}, -22, mem) ==
        "sethostname(0x1000, 65) = -1 EINVAL (Invalid argument)");
  CHECK(call("sethostname", {0x1000, 4}, -1, mem) ==
        R"(sethostname("XXXX", 4) = -1 EPERM (Operation not permitted))");
}

TEST_CASE("xattr values drop their trailing NUL (strace's tests/xattr.c)", "[format][memory-end]") {
  fake_memory mem;
  mem.put_string(0x1000, ".");
  mem.put_string(0x1100, "strace.test");
  mem.put_bytes(0x2000, "foo\0bar", 8);
  CHECK(
      call("setxattr", {0x1000, 0x1100, 0x2000, 8, 1}, -95, mem) ==
      R"(setxattr(".", "strace.test", "foo\0bar", 8, XATTR_CREATE) = -1 EOPNOTSUPP (Operation not supported))");
  CHECK(call("fsetxattr", {static_cast<std::uint64_t>(-1), 0x1100, 0x2000, 65537, 1}, -7, mem) ==
        R"(fsetxattr(-1, "strace.test", 0x2000, 65537, XATTR_CREATE) = -1 E2BIG (Argument list too long))");
  CHECK(call("getxattr", {0x1000, 0x1100, 0x2000, 8}, 8, mem) ==
        R"(getxattr(".", "strace.test", "foo\0bar", 8) = 8)");
  CHECK(call("getxattr", {0x1000, 0x1100, 0x2000, 8}, -61, mem) ==
        R"(getxattr(".", "strace.test", 0x2000, 8) = -1 ENODATA (No data available))");
  CHECK(call("listxattr", {0x1000, 0x2000, 0}, 0, mem) == R"(listxattr(".", 0x2000, 0) = 0)");
  CHECK(call("listxattr", {0x1000, 0x2000, 8}, 4, mem) == R"(listxattr(".", "foo\0", 8) = 4)");
}

TEST_CASE("AT_FDCWD is a name for dirfd arguments only (strace's tests/readahead.c)",
          "[format][memory-end]") {
  fake_memory mem;
  CHECK(call("readahead", {static_cast<std::uint64_t>(-100), 0, 0}, -9, mem) ==
        "readahead(-100, 0, 0) = -1 EBADF (Bad file descriptor)");
  mem.put_string(0x1000, "a");
  CHECK(call("unlinkat", {static_cast<std::uint64_t>(-100), 0x1000, 0}, 0, mem) ==
        R"(unlinkat(AT_FDCWD, "a", 0) = 0)");
}

TEST_CASE("poll omits a negative fd's events and abbreviates its revents (strace's tests/poll.c)",
          "[format][memory-end]") {
  fake_memory mem;
  const snare::sys::abi::pollfd fds[3] = {{-1, 1, 0}, {1, 4, 4}, {5, 4, 4}};
  mem.put(0x1000, fds);
  CHECK(
      call("poll", {0x1000, 3, 42}, 2, mem) ==
      "poll([{fd=-1}, {fd=1, events=POLLOUT}, {fd=5, events=POLLOUT}], 3, 42) = 2 ([{fd=1, revents=POLLOUT}, "
      "{fd=5, revents=POLLOUT}])");
  snare::format::options o;
  o.string_limit = 0;
  CHECK(call("poll", {0x1000, 3, 42}, 2, mem, o) == "poll([...], 3, 42) = 2 ([...])");
  // With -s 0 an unreadable first element still prints the array's address.
  CHECK(call("poll", {0x2000, 1, 0}, -14, mem, o) == "poll(0x2000, 1, 0) = -1 EFAULT (Bad address)");
  // -v shows every element (strace's abbrev is off; tests/ppoll-v.c).
  o.verbose = true;
  CHECK(
      call("poll", {0x1000, 3, 42}, 2, mem, o) ==
      "poll([{fd=-1}, {fd=1, events=POLLOUT}, {fd=5, events=POLLOUT}], 3, 42) = 2 ([{fd=1, revents=POLLOUT}, "
      "{fd=5, revents=POLLOUT}])");
}

TEST_CASE("epoll_ctl's EPOLL_CTL_DEL prints the event's address (strace's tests/epoll_ctl.c)",
          "[format][memory-end]") {
  fake_memory mem;
  const snare::sys::abi::x86_64::epoll_event ev{1, ~0ULL};
  mem.put(0x1000, ev);
  CHECK(call("epoll_ctl", {static_cast<std::uint64_t>(-3), 2, static_cast<std::uint64_t>(-4), 0x1000}, -9,
             mem) == "epoll_ctl(-3, EPOLL_CTL_DEL, -4, 0x1000) = -1 EBADF (Bad file descriptor)");
  CHECK(call("epoll_ctl", {3, 1, 4, 0x1000}, 0, mem) ==
        "epoll_ctl(3, EPOLL_CTL_ADD, 4, {events=EPOLLIN, data={u32=4294967295, u64=18446744073709551615}}) = "
        "0");
}
