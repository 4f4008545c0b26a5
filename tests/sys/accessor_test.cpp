// Tests the named argument accessors of typed calls: their C++ types, that they read the
// right register, that setters write it back, and the names made safe for C++.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>

#include <fcntl.h>

#include <snare/sys.hpp>

namespace sys = snare::sys;
using snare::flags;
using snare::guest_buffer;
using snare::guest_cstr;
using snare::guest_cstr_array;
using snare::guest_ptr;

TEST_CASE("openat's accessors have the argument types and read the argument registers") {
  using T = sys::x86_64::openat;
  STATIC_REQUIRE(
      std::is_same_v<T::arg_types, std::tuple<int, guest_cstr, flags<sys::flag_set::open>, std::uint32_t>>);
  constexpr T call(std::array<std::uint64_t, 6>{static_cast<std::uint64_t>(AT_FDCWD), 0x1000,
                                                O_RDONLY | O_CLOEXEC, 0644, 0, 0});
  STATIC_REQUIRE(call.dirfd() == AT_FDCWD);
  STATIC_REQUIRE(call.pathname() == guest_cstr{0x1000});
  STATIC_REQUIRE(call.flags().has(O_CLOEXEC));
  STATIC_REQUIRE(call.mode() == 0644);
  STATIC_REQUIRE(std::is_same_v<decltype(call.flags()), flags<sys::flag_set::open>>);
  STATIC_REQUIRE(call.arg<0>() == call.dirfd());
  STATIC_REQUIRE(call.arg<2>() == call.flags());
}

TEST_CASE("Setters write the argument register back, sign-extending ints") {
  sys::x86_64::openat call;
  call.set_dirfd(AT_FDCWD);
  call.set_pathname(guest_cstr{0xdead0000});
  call.set_flags(flags<sys::flag_set::open>{O_WRONLY | O_CREAT});
  call.set_mode(0600);
  CHECK(call.raw(0) == static_cast<std::uint64_t>(std::int64_t{AT_FDCWD}));
  CHECK(call.raw(1) == 0xdead0000);
  CHECK(call.raw(2) == static_cast<std::uint64_t>(O_WRONLY | O_CREAT));
  CHECK(call.raw(3) == 0600);
  CHECK(call.to_raw().number == 257);
  CHECK(call.dirfd() == AT_FDCWD);
}

TEST_CASE("Each argument kind maps to its C++ type") {
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::read{}.fd()), int>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::read{}.buf()), guest_buffer>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::read{}.count()), std::size_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::execve{}.argv()), guest_cstr_array>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::lseek{}.offset()), std::int64_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::lseek{}.whence()), flags<sys::flag_set::seek_whence>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::kill{}.sig()), int>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::kill{}.pid()), int>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::fchown{}.owner()), std::uint32_t>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::mmap{}.addr()), guest_ptr<std::byte>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::mmap{}.prot()), flags<sys::flag_set::mmap_prot>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::wait4{}.wstatus()), guest_ptr<int>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::clock_gettime{}.tp()), guest_ptr<sys::abi::timespec>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::fstat{}.statbuf()), guest_ptr<sys::abi::x86_64::stat>>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(sys::aarch64::fstat{}.statbuf()), guest_ptr<sys::abi::aarch64::stat>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::statx{}.statxbuf()), guest_ptr<sys::abi::statx>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::poll{}.fds()), guest_ptr<sys::abi::pollfd>>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(sys::x86_64::rt_sigaction{}.act()), guest_ptr<sys::abi::x86_64::sigaction>>);
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::clone3{}.cl_args()), guest_ptr<sys::abi::clone_args>>);
}

TEST_CASE("The guest struct layouts match the kernel's sizes") {
  STATIC_REQUIRE(sizeof(sys::abi::x86_64::stat) == 144);
  STATIC_REQUIRE(sizeof(sys::abi::aarch64::stat) == 128);
  STATIC_REQUIRE(sizeof(sys::abi::x86_64::epoll_event) == 12);
  STATIC_REQUIRE(sizeof(sys::abi::aarch64::epoll_event) == 16);
  STATIC_REQUIRE(sizeof(sys::abi::timespec) == 16);
  STATIC_REQUIRE(sizeof(sys::abi::iovec) == 16);
  STATIC_REQUIRE(sizeof(sys::abi::pollfd) == 8);
  STATIC_REQUIRE(sizeof(sys::abi::rusage) == 144);
  STATIC_REQUIRE(sizeof(sys::abi::utsname) == 390);
  STATIC_REQUIRE(sizeof(sys::abi::clone_args) == 88);
  STATIC_REQUIRE(sizeof(sys::abi::msghdr) == 56);
  STATIC_REQUIRE(sizeof(sys::abi::stack) == 24);
  STATIC_REQUIRE(offsetof(sys::abi::linux_dirent64, d_type) == 18);
}

TEST_CASE("clone's arguments follow each architecture's register order") {
  // x86-64: flags, stack, parent_tid, child_tid, tls; aarch64 (CLONE_BACKWARDS): tls fourth.
  constexpr std::array<std::uint64_t, 6> regs{1, 2, 3, 4, 5, 0};
  STATIC_REQUIRE(sys::x86_64::clone(regs).child_tid() == guest_ptr<int>{4});
  STATIC_REQUIRE(sys::x86_64::clone(regs).tls() == 5);
  STATIC_REQUIRE(sys::aarch64::clone(regs).tls() == 4);
  STATIC_REQUIRE(sys::aarch64::clone(regs).child_tid() == guest_ptr<int>{5});
  STATIC_REQUIRE(sys::x86_64::clone::desc.args[3].name == "child_tid");
  STATIC_REQUIRE(sys::aarch64::clone::desc.args[3].name == "tls");
}

namespace {
template <class T>
concept has_member_arg_accessor = requires(T t) {
  t.arg_();
};
}  // namespace

TEST_CASE("Argument names that would hide call's members or the class get a trailing underscore") {
  // fcntl's third argument is "arg" in the table; arg<I>() stays usable next to it.
  STATIC_REQUIRE(has_member_arg_accessor<sys::x86_64::fcntl>);
  constexpr sys::x86_64::fcntl f(std::array<std::uint64_t, 6>{3, F_SETFL, O_NONBLOCK, 0, 0, 0});
  STATIC_REQUIRE(f.arg_() == O_NONBLOCK);
  STATIC_REQUIRE(f.arg<2>() == O_NONBLOCK);
  STATIC_REQUIRE(sys::x86_64::fcntl::desc.args[2].name == "arg");
  // getxattr's "name" would hide call::name().
  STATIC_REQUIRE(sys::x86_64::getxattr::name() == "getxattr");
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::getxattr{}.name_()), guest_cstr>);
  // rseq's first argument is also called rseq: a member may not have the class's name.
  STATIC_REQUIRE(std::is_same_v<decltype(sys::x86_64::rseq{}.rseq_()), guest_ptr<sys::abi::rseq>>);
}
