// Tests the raw-syscall seam: EINTR retry and errno turned into a result.
#include <snare/detail/posix.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

TEST_CASE("checked returns the value of a call that succeeds", "[core]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  auto r = snare::detail::checked([&] { return ::write(fds[1], "x", 1); });
  REQUIRE(r.has_value());
  REQUIRE(*r == 1);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("checked turns a failing call's errno into the result's error", "[core]") {
  auto r = snare::detail::checked([] { return ::close(-1); });
  REQUIRE_FALSE(r.has_value());
  REQUIRE(r.error() == std::errc::bad_file_descriptor);
  REQUIRE(r.error_number() == EBADF);
}

TEST_CASE("retry_eintr calls again while the call fails with EINTR", "[core]") {
  int calls = 0;
  auto r = snare::detail::checked([&] {
    ++calls;
    if (calls < 3) {
      errno = EINTR;
      return -1;
    }
    return 5;
  });
  REQUIRE(calls == 3);
  REQUIRE(r.has_value());
  REQUIRE(*r == 5);
}
