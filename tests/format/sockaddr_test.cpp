// Tests socket addresses (AF_UNIX, AF_INET, AF_INET6) and value-result lengths.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("AF_INET addresses show htons and inet_addr", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  sin.sin_addr.s_addr = inet_addr("1.2.3.4");
  mem.put(0x1000, sin);
  CHECK(call("connect", {6, 0x1000, 16}, 0, mem) ==
        R"(connect(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}, 16) = 0)");
}

TEST_CASE("AF_UNIX addresses show sun_path, abstract ones with @", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::strcpy(sun.sun_path, "/var/run/nope");
  mem.put(0x1000, sun);
  CHECK(
      call("connect", {7, 0x1000, 110}, -2, mem) ==
      R"(connect(7, {sa_family=AF_UNIX, sun_path="/var/run/nope"}, 110) = -1 ENOENT (No such file or directory))");
  sockaddr_un abs{};
  abs.sun_family = AF_UNIX;
  std::memcpy(abs.sun_path, "\0bus", 4);
  mem.put(0x2000, abs);
  CHECK(call("connect", {7, 0x2000, 6}, 0, mem) ==
        R"(connect(7, {sa_family=AF_UNIX, sun_path=@"bus"}, 6) = 0)");
}

TEST_CASE("AF_INET6 addresses show inet_pton", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in6 s6{};
  s6.sin6_family = AF_INET6;
  s6.sin6_port = htons(443);
  inet_pton(AF_INET6, "::1", &s6.sin6_addr);
  mem.put(0x1000, s6);
  CHECK(
      call("connect", {8, 0x1000, 28}, -111, mem) ==
      R"(connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), )"
      R"(inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused))");
}

TEST_CASE("getsockname fills the address and shows the length in brackets", "[format][sockaddr]") {
  fake_memory mem;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(52624);
  sin.sin_addr.s_addr = inet_addr("192.0.2.2");
  mem.put(0x1000, sin);
  mem.put<std::int32_t>(0x2000, 16);
  std::string out;
  auto& d = snare::test::desc("getsockname");
  REQUIRE(snare::format::format_entry(out, d, {6, 0x1000, 0x2000}, mem));
  CHECK(out == "getsockname(6, ");
  REQUIRE(snare::format::format_exit(out, d, {6, 0x1000, 0x2000}, 0, mem));
  CHECK(
      out ==
      R"(getsockname(6, {sa_family=AF_INET, sin_port=htons(52624), sin_addr=inet_addr("192.0.2.2")}, [16]) = 0)");
}
