// Tests clone3's struct clone_args as strace prints it, and what the kernel stored at exit.
// Expected lines are strace 6.1's, from its test clone3.c.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("clone3 prints set_tid, cgroup, bytes past the known struct and the stored tid",
          "[format][clone3]") {
  fake_memory mem;
  snare::sys::abi::clone_args c{};
  mem.put(0x1000, c);
  // 88 bytes readable, 8 more asked for: strace's `???`.
  CHECK(call("clone3", {0x1000, 96}, -14, mem) ==
        "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, ???}, 96) = -1 EFAULT (Bad address)");
  c.cgroup = 18072662651680067053u;
  mem.put(0x1000, c);
  CHECK(call("clone3", {0x1000, 88}, 8641, mem) ==
        "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, cgroup=18072662651680067053}, 88) = 8641");
  c = {};
  c.flags = 0x100000;  // CLONE_PARENT_SETTID
  mem.put(0x1000, c);
  CHECK(call("clone3", {0x1000, 88}, 8644, mem) ==
        "clone3({flags=CLONE_PARENT_SETTID, parent_tid=NULL, exit_signal=0, stack=NULL, stack_size=0} => "
        "{parent_tid=NULL}, 88) = 8644");
  c.parent_tid = 0x3000;
  mem.put(0x1000, c);
  mem.put(0x3000, std::int32_t{8645});
  CHECK(call("clone3", {0x1000, 88}, 8645, mem) ==
        "clone3({flags=CLONE_PARENT_SETTID, parent_tid=0x3000, exit_signal=0, stack=NULL, stack_size=0} => "
        "{parent_tid=[8645]}, 88) = 8645");
  c = {};
  c.flags = 0xdec0deac0040007f;
  c.exit_signal = 250;
  c.stack = 0xface1e55beeff00d;
  c.stack_size = 0xcaffeedefacedca7;
  mem.put(0x1000, c);
  CHECK(call("clone3", {0x1000, 64}, -22, mem) ==
        "clone3({flags=0xdec0deac0040007f /* CLONE_??? */, exit_signal=250, stack=0xface1e55beeff00d, "
        "stack_size=0xcaffeedefacedca7}, 64) = -1 EINVAL (Invalid argument)");
  c = {};
  c.set_tid = 0x2000;
  c.set_tid_size = 2;
  mem.put(0x1000, c);
  const std::int32_t tids[2] = {-5, 7};
  mem.put(0x2000, tids);
  CHECK(
      call("clone3", {0x1000, 88}, -22, mem) ==
      "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0, set_tid=[-5, 7], set_tid_size=2}, 88) = -1 "
      "EINVAL (Invalid argument)");
  CHECK(call("clone3", {0x1000, 63}, -22, mem) == "clone3(0x1000, 63) = -1 EINVAL (Invalid argument)");
}
