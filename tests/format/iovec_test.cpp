// Tests iovec arrays: input vectors show their bytes at entry, output vectors only what
// the call returned.
#include <catch2/catch.hpp>

#include <sys/uio.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("writev shows each vector's bytes", "[format][iovec]") {
  fake_memory mem;
  mem.put_string(0x1000, "hello", false);
  mem.put_string(0x2000, " world\n", false);
  iovec iov[2] = {{reinterpret_cast<void*>(0x1000), 5}, {reinterpret_cast<void*>(0x2000), 7}};
  mem.put(0x3000, iov);
  // strace: writev(1, [{iov_base="hello", iov_len=5}, {iov_base=" world\n", iov_len=7}], 2) = 12
  CHECK(call("writev", {1, 0x3000, 2}, 12, mem) ==
        R"(writev(1, [{iov_base="hello", iov_len=5}, {iov_base=" world\n", iov_len=7}], 2) = 12)");
}

TEST_CASE("readv shows only the bytes read", "[format][iovec]") {
  fake_memory mem;
  mem.put_string(0x1000, "abcxx", false);
  mem.put_string(0x2000, "de........", false);
  iovec iov[2] = {{reinterpret_cast<void*>(0x1000), 3}, {reinterpret_cast<void*>(0x2000), 10}};
  mem.put(0x3000, iov);
  CHECK(call("readv", {3, 0x3000, 2}, 5, mem) ==
        R"(readv(3, [{iov_base="abc", iov_len=3}, {iov_base="de", iov_len=10}], 2) = 5)");
  // A failed readv shows its vectors with the buffers' addresses (strace 6.1:
  // readv(-1, [{iov_base=0x7ffe386237ad, iov_len=3}, {iov_base=0x7ffe386237a3, iov_len=10}], 2)).
  CHECK(call("readv", {3, 0x3000, 2}, -9, mem) ==
        "readv(3, [{iov_base=0x1000, iov_len=3}, {iov_base=0x2000, iov_len=10}], 2) = -1 EBADF (Bad file "
        "descriptor)");
}

TEST_CASE("An iovec array longer than -s is cut with ...", "[format][iovec]") {
  fake_memory mem;
  mem.put_string(0x1000, "x", false);
  iovec iov[3] = {{reinterpret_cast<void*>(0x1000), 1},
                  {reinterpret_cast<void*>(0x1000), 1},
                  {reinterpret_cast<void*>(0x1000), 1}};
  mem.put(0x3000, iov);
  snare::format::options o;
  o.string_limit = 2;
  CHECK(call("writev", {1, 0x3000, 3}, 3, mem, o) ==
        R"(writev(1, [{iov_base="x", iov_len=1}, {iov_base="x", iov_len=1}, ...], 3) = 3)");
}
