// Tests the compile-time and run-time syscall lookups: number -> type, type -> number and
// name, name -> number, number -> descriptor/name, the native alias and the generic forms.
#include <catch2/catch.hpp>

#include <type_traits>

#include <snare/sys.hpp>

namespace sys = snare::sys;

TEST_CASE("by_number_t names the typed call of a number at compile time") {
  STATIC_REQUIRE(std::is_same_v<sys::x86_64::by_number_t<257>, sys::x86_64::openat>);
  STATIC_REQUIRE(std::is_same_v<sys::x86_64::by_number_t<0>, sys::x86_64::read>);
  STATIC_REQUIRE(std::is_same_v<sys::x86_64::by_number_t<231>, sys::x86_64::exit_group>);
  STATIC_REQUIRE(std::is_same_v<sys::aarch64::by_number_t<56>, sys::aarch64::openat>);
  STATIC_REQUIRE(std::is_same_v<sys::aarch64::by_number_t<220>, sys::aarch64::clone>);
  STATIC_REQUIRE(std::is_same_v<sys::call_t<snare::arch::x86_64, 59>, sys::x86_64::execve>);
  STATIC_REQUIRE(std::is_same_v<sys::call_t<snare::arch::aarch64, 221>, sys::aarch64::execve>);
}

namespace {
template <long Nr>
concept has_call = requires {
  typename sys::x86_64::by_number<Nr>::type;
};
}  // namespace

TEST_CASE("Numbers without a syscall have no typed call") {
  STATIC_REQUIRE(has_call<257>);
  STATIC_REQUIRE_FALSE(has_call<400>);  // x86-64 has a hole from 335 to 423
  STATIC_REQUIRE_FALSE(has_call<-1>);
  STATIC_REQUIRE_FALSE(has_call<100000>);
}

TEST_CASE("A typed call knows its number, name and architecture") {
  STATIC_REQUIRE(sys::x86_64::openat::number == 257);
  STATIC_REQUIRE(sys::x86_64::openat::name() == "openat");
  STATIC_REQUIRE(sys::x86_64::openat::desc.number == 257);
  STATIC_REQUIRE(std::is_same_v<sys::x86_64::openat::arch_type, snare::arch::x86_64>);
  STATIC_REQUIRE(sys::aarch64::openat::number == 56);
  STATIC_REQUIRE(std::is_same_v<sys::aarch64::openat::arch_type, snare::arch::aarch64>);
  STATIC_REQUIRE(sys::typed_call<sys::x86_64::openat>);
  STATIC_REQUIRE(sys::typed_call<sys::aarch64::rt_sigaction>);
}

TEST_CASE("number_of finds a syscall by name, -1 when unknown, at compile time and run time") {
  STATIC_REQUIRE(sys::x86_64::number_of("openat") == 257);
  STATIC_REQUIRE(sys::x86_64::number_of("read") == 0);
  STATIC_REQUIRE(sys::x86_64::number_of("set_mempolicy_home_node") == 450);
  STATIC_REQUIRE(sys::x86_64::number_of("_sysctl") == 156);
  STATIC_REQUIRE(sys::x86_64::number_of("no_such_call") == -1);
  STATIC_REQUIRE(sys::x86_64::number_of("") == -1);
  STATIC_REQUIRE(sys::aarch64::number_of("openat") == 56);
  STATIC_REQUIRE(sys::aarch64::number_of("open") == -1);
  STATIC_REQUIRE(sys::aarch64::number_of("newfstatat") == 79);
  STATIC_REQUIRE(sys::i386::number_of("socketcall") == 102);
  STATIC_REQUIRE(sys::number_of<snare::arch::i386>("openat") == 295);
  std::string runtime_name = "getdents64";
  CHECK(sys::x86_64::number_of(runtime_name) == 217);
  CHECK(sys::aarch64::number_of(runtime_name) == 61);
}

TEST_CASE("descriptor and name_of look a number up, null and empty outside the table") {
  STATIC_REQUIRE(sys::x86_64::descriptor(257)->name == "openat");
  STATIC_REQUIRE(sys::x86_64::name_of(60) == "exit");
  STATIC_REQUIRE(sys::x86_64::descriptor(400) == nullptr);
  STATIC_REQUIRE(sys::x86_64::descriptor(-1) == nullptr);
  STATIC_REQUIRE(sys::x86_64::descriptor(451) == nullptr);
  STATIC_REQUIRE(sys::x86_64::name_of(400).empty());
  STATIC_REQUIRE(sys::aarch64::name_of(93) == "exit");
  STATIC_REQUIRE(sys::i386::name_of(11) == "execve");
  STATIC_REQUIRE(sys::descriptor<snare::arch::aarch64>(244) == nullptr);  // arch_specific_syscall
  for (long nr : {0L, 1L, 257L, 435L}) {
    volatile long runtime_nr = nr;
    const sys::syscall_desc* d = sys::x86_64::descriptor(runtime_nr);
    REQUIRE(d != nullptr);
    CHECK(d->number == nr);
    CHECK(d == &sys::table<snare::arch::x86_64>::descriptors[static_cast<std::size_t>(nr)]);
  }
  volatile long far = 1L << 40;
  CHECK(sys::x86_64::descriptor(far) == nullptr);
  CHECK(sys::x86_64::name_of(far).empty());
}

TEST_CASE("The native architecture's calls are reachable without the architecture namespace") {
#if defined(__x86_64__)
  STATIC_REQUIRE(std::is_same_v<snare::arch::native, snare::arch::x86_64>);
  STATIC_REQUIRE(std::is_same_v<sys::openat, sys::x86_64::openat>);
  STATIC_REQUIRE(std::is_same_v<sys::by_number_t<257>, sys::x86_64::openat>);
  STATIC_REQUIRE(sys::number_of("open") == 2);
  STATIC_REQUIRE(sys::name_of(257) == "openat");
  STATIC_REQUIRE(sys::descriptor(257) == sys::x86_64::descriptor(257));
#elif defined(__aarch64__)
  STATIC_REQUIRE(std::is_same_v<snare::arch::native, snare::arch::aarch64>);
  STATIC_REQUIRE(std::is_same_v<sys::openat, sys::aarch64::openat>);
  STATIC_REQUIRE(sys::number_of("open") == -1);
#endif
  STATIC_REQUIRE(std::is_same_v<typename sys::openat::arch_type, snare::arch::native>);
}

TEST_CASE("The architecture tags carry the audit arch values and the x32 bit") {
  STATIC_REQUIRE(snare::arch::x86_64::audit_arch == 0xC000003Eu);
  STATIC_REQUIRE(snare::arch::aarch64::audit_arch == 0xC00000B7u);
  STATIC_REQUIRE(snare::arch::i386::audit_arch == 0x40000003u);
  STATIC_REQUIRE(snare::arch::x86_64::x32_syscall_bit == 0x40000000);
  STATIC_REQUIRE(snare::arch::x86_64::name == "x86_64");
  STATIC_REQUIRE(snare::arch::aarch64::name == "aarch64");
  STATIC_REQUIRE(snare::arch::i386::register_size == 4);
}
