// Tests how the formatter chooses a syscall's decoder: by the descriptor's call_id from a
// table built at compile time (never by comparing names), or at compile time for a typed call.
#include <catch2/catch.hpp>

#include <snare/sys/aarch64.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;
namespace sys = snare::sys;

namespace {
using snare::test::at_fdcwd;
using printer = d::printer<fake_memory, snare::format::no_fd_paths>;

std::string format(const sys::syscall_desc& desc, snare::sys::raw_args args, std::int64_t ret,
                   fake_memory& mem) {
  std::string out;
  REQUIRE(snare::format::format_call(out, desc, args, ret, mem));
  return out;
}
}  // namespace

TEST_CASE("The hook table holds each decoder's hooks under its call_id", "[format][decoder]") {
  STATIC_REQUIRE(d::hook_table<printer>.size() == sys::call_id_count);
  // Run-time checks: a function's address against null is no constant expression under
  // -fsanitize=undefined (the sanitizer build).
  CHECK(d::hooks_for<printer>(sys::call_id::openat).shown_args != nullptr);
  CHECK(d::hooks_for<printer>(sys::call_id::clone).put_args != nullptr);
  CHECK(d::hooks_for<printer>(sys::call_id::fcntl).put_return != nullptr);
  STATIC_REQUIRE(d::hooks_for<printer>(sys::call_id::getrandom).hex_buffers);
  CHECK(d::hooks_for<printer>(sys::call_id::read).put_arg == nullptr);
  CHECK(d::hooks_for<printer>(sys::call_id::none).shown_args == nullptr);
  STATIC_REQUIRE(sys::x86_64::openat::desc.id == sys::call_id::openat);
  STATIC_REQUIRE(sys::aarch64::openat::desc.id == sys::call_id::openat);
}

TEST_CASE("A descriptor's decoder follows its call_id, not its name", "[format][decoder]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/passwd");
  sys::syscall_desc renamed = sys::x86_64::openat::desc;
  renamed.name = "renamed";
  // openat's decoder drops the mode without O_CREAT, whatever the name.
  CHECK(format(renamed, {at_fdcwd, 0x1000, 0, 0644}, 3, mem) ==
        R"(renamed(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3)");
  sys::syscall_desc anonymous = sys::x86_64::openat::desc;
  anonymous.id = sys::call_id::none;
  // Without a call_id the table alone prints it: every argument.
  CHECK(format(anonymous, {at_fdcwd, 0x1000, 0, 0644}, 3, mem) ==
        R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY, 0644) = 3)");
}

TEST_CASE("A typed call prints as its descriptor does, with the decoder chosen at compile time",
          "[format][decoder]") {
  fake_memory mem;
  mem.put_string(0x1000, "/etc/passwd");
  std::string out;
  REQUIRE(
      snare::format::format_call(out, sys::x86_64::openat{{at_fdcwd, 0x1000, 02000000, 0644, 0, 0}}, 3, mem));
  CHECK(out == R"(openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3)");
  CHECK(out == call("openat", {at_fdcwd, 0x1000, 02000000, 0644}, 3, mem));
  out.clear();
  REQUIRE(snare::format::format_call(out, sys::x86_64::fcntl{{3, 3, 0, 0, 0, 0}}, 0x8002, mem));
  CHECK(out == "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)");
}
