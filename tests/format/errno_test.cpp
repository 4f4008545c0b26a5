// Tests how results print: errno names and messages, ERESTART* as "?", calls that do not
// return, addresses and fds, against strace 6.1's output.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("A failed call prints -1, the errno name and its message", "[format][errno]") {
  fake_memory mem;
  mem.put_string(0x1000, "/nope");
  CHECK(call("openat", {static_cast<std::uint64_t>(-100), 0x1000, 0}, -2, mem) ==
        R"(openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory))");
  CHECK(call("close", {12345}, -9, mem) == "close(12345) = -1 EBADF (Bad file descriptor)");
  CHECK(call("kill", {999999, 15}, -3, mem) == "kill(999999, SIGTERM) = -1 ESRCH (No such process)");
  CHECK(call("connect", {8, 0, 28}, -111, mem) ==
        "connect(8, NULL, 28) = -1 ECONNREFUSED (Connection refused)");
}

TEST_CASE("Restarted calls print ? and the kernel's ERESTART name", "[format][errno]") {
  fake_memory mem;
  CHECK(call("ppoll", {0, 0, 0, 0, 8}, -514, mem) ==
        "ppoll(NULL, 0, NULL, NULL, 8) = ? ERESTARTNOHAND (To be restarted if no handler)");
  CHECK(call("wait4", {static_cast<std::uint64_t>(-1), 0, 0, 0}, -512, mem) ==
        "wait4(-1, NULL, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
  CHECK(call("nanosleep", {0, 0}, -516, mem) ==
        "nanosleep(NULL, NULL) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
  CHECK(call("pause", {}, -513, mem) == "pause() = ? ERESTARTNOINTR (To be restarted)");
}

TEST_CASE("Calls that do not return print = ?", "[format][errno]") {
  fake_memory mem;
  CHECK(call("exit_group", {0}, 0, mem) == "exit_group(0) = ?");
  CHECK(call("exit", {3}, 0, mem) == "exit(3) = ?");
}

TEST_CASE("Results print as their kind: decimal, address, fd", "[format][errno]") {
  fake_memory mem;
  CHECK(call("brk", {0}, 0x561a98e06000, mem) == "brk(NULL) = 0x561a98e06000");
  CHECK(call("getpid", {}, 6682, mem) == "getpid() = 6682");
  CHECK(call("mmap", {0, 4096, 3, 0x22, static_cast<std::uint64_t>(-1), 0}, -12, mem) ==
        "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot "
        "allocate memory)");
  CHECK(call("lseek", {3, static_cast<std::uint64_t>(-1), 1}, -22, mem) ==
        "lseek(3, -1, SEEK_CUR) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("errno_name and errno_message name every errno", "[format][errno]") {
  using snare::format::errno_message;
  using snare::format::errno_name;
  CHECK(errno_name(2) == "ENOENT");
  CHECK(errno_message(2) == "No such file or directory");
  CHECK(errno_name(11) == "EAGAIN");
  CHECK(errno_name(35) == "EDEADLK");
  CHECK(errno_name(95) == "EOPNOTSUPP");
  CHECK(errno_name(133) == "EHWPOISON");
  CHECK(errno_name(512) == "ERESTARTSYS");
  CHECK(errno_name(517) == "EPROBE_DEFER");
  CHECK(errno_name(0).empty());
  CHECK(errno_name(4000).empty());
  fake_memory mem;
  // strace's form for an error value without a name.
  CHECK(call("close", {3}, -4000, mem) == "close(3) = -1 (errno 4000)");
  // Past -4095 a result is no error, and prints unsigned (strace's RVAL_UDECIMAL: strace 6.1
  // prints close's injected retval=0xfffffffffffff000 so).
  CHECK(call("close", {3}, -4096, mem) == "close(3) = 18446744073709547520");
}
