// Tests prctl's decoder against strace 6.1's tests/prctl-*.c: each option's arguments by
// what they are, the values the call fills in at exit, and the named results.
#include <catch2/catch.hpp>

#include <sys/prctl.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("prctl options without arguments print alone, with named results", "[format][prctl]") {
  fake_memory mem;
  CHECK(call("prctl", {PR_GET_DUMPABLE, 0, 0, 0, 0}, 1, mem) ==
        "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");
  CHECK(call("prctl", {PR_GET_KEEPCAPS, 1, 2, 3, 4}, 0, mem) == "prctl(PR_GET_KEEPCAPS) = 0");
  CHECK(call("prctl", {PR_GET_SECUREBITS}, 0x3, mem) ==
        "prctl(PR_GET_SECUREBITS) = 0x3 (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED)");
  CHECK(call("prctl", {PR_GET_SECUREBITS}, 0, mem) == "prctl(PR_GET_SECUREBITS) = 0");
  // tests/prctl-no-args.c: options whose arguments are unused print them in hex
  CHECK(call("prctl", {PR_GET_NO_NEW_PRIVS, 0xdeadbeef, 2, 3, 4}, 0, mem) ==
        "prctl(PR_GET_NO_NEW_PRIVS, 0xdeadbeef, 0x2, 0x3, 0x4) = 0");
  CHECK(call("prctl", {0xdeadbeef, 1, 2, 3, 4}, -22, mem) ==
        "prctl(0xdeadbeef /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("prctl's set options name their argument", "[format][prctl]") {
  fake_memory mem;
  CHECK(call("prctl", {PR_SET_DUMPABLE, 0}, 0, mem) == "prctl(PR_SET_DUMPABLE, SUID_DUMP_DISABLE) = 0");
  CHECK(call("prctl", {PR_SET_DUMPABLE, 3}, -22, mem) ==
        "prctl(PR_SET_DUMPABLE, 0x3 /* SUID_DUMP_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_SET_PDEATHSIG, 15}, 0, mem) == "prctl(PR_SET_PDEATHSIG, SIGTERM) = 0");
  CHECK(call("prctl", {PR_SET_PDEATHSIG, 129}, -22, mem) ==
        "prctl(PR_SET_PDEATHSIG, 129) = -1 EINVAL (Invalid argument)");
  CHECK(call("prctl", {PR_CAPBSET_READ, 21}, 1, mem) == "prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 1");
  CHECK(call("prctl", {PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 0, 0, 0}, -1, mem) ==
        "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0) = -1 EPERM (Operation not permitted)");
  CHECK(call("prctl", {PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0}, 0, mem) ==
        "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) = 0");
  CHECK(call("prctl", {PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0}, 0, mem) ==
        "prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0) = 0");
  CHECK(call("prctl", {PR_MCE_KILL_GET, 0, 0, 0, 0}, 2, mem) ==
        "prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 2 (PR_MCE_KILL_DEFAULT)");
  CHECK(call("prctl", {PR_SET_SECUREBITS, 0x10}, 0, mem) == "prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS) = 0");
  CHECK(call("prctl", {PR_SET_TSC, PR_TSC_SIGSEGV}, 0, mem) == "prctl(PR_SET_TSC, PR_TSC_SIGSEGV) = 0");
  CHECK(call("prctl", {PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0}, 0, mem) ==
        "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0");
  CHECK(call("prctl", {PR_SET_PTRACER, 0xffffffffffffffffULL}, 0, mem) ==
        "prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = 0");
  CHECK(call("prctl", {PR_SET_SECCOMP, 1}, 0, mem) == "prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) = 0");
  CHECK(call("prctl", {PR_SET_TIMERSLACK, 50000}, 0, mem) == "prctl(PR_SET_TIMERSLACK, 50000) = 0");
}

TEST_CASE("prctl's names are task comms of 16 bytes", "[format][prctl]") {
  fake_memory mem;
  mem.put_string(0x1000, "snare");
  CHECK(call("prctl", {PR_SET_NAME, 0x1000}, 0, mem) == R"(prctl(PR_SET_NAME, "snare") = 0)");
  // tests/prctl-name.c: 15 bytes without a NUL print with ...; a shorter unterminated one as
  // its address.
  mem.put_string(0x2000, "0123456789abcde", false);
  CHECK(call("prctl", {PR_SET_NAME, 0x2000}, 0, mem) == R"(prctl(PR_SET_NAME, "0123456789abcde"...) = 0)");
  CHECK(call("prctl", {PR_SET_NAME, 0x2001}, 0, mem) == "prctl(PR_SET_NAME, 0x2001) = 0");
  std::string out;
  REQUIRE(snare::format::format_entry(out, snare::test::desc("prctl"), {PR_GET_NAME, 0x1000}, mem));
  CHECK(out == "prctl(PR_GET_NAME, ");
  REQUIRE(snare::format::format_exit(out, snare::test::desc("prctl"), {PR_GET_NAME, 0x1000}, 0, mem));
  CHECK(out == R"(prctl(PR_GET_NAME, "snare") = 0)");
  CHECK(call("prctl", {PR_GET_NAME, 0x1000}, -14, mem) ==
        "prctl(PR_GET_NAME, 0x1000) = -1 EFAULT (Bad address)");
}

TEST_CASE("prctl's get options print the value they store at exit", "[format][prctl]") {
  fake_memory mem;
  mem.put<std::uint32_t>(0x1000, 9);
  CHECK(call("prctl", {PR_GET_PDEATHSIG, 0x1000}, 0, mem) == "prctl(PR_GET_PDEATHSIG, [SIGKILL]) = 0");
  mem.put<std::uint32_t>(0x1000, PR_TSC_ENABLE);
  CHECK(call("prctl", {PR_GET_TSC, 0x1000}, 0, mem) == "prctl(PR_GET_TSC, [PR_TSC_ENABLE]) = 0");
  mem.put<std::uint32_t>(0x1000, 0);
  CHECK(call("prctl", {PR_GET_CHILD_SUBREAPER, 0x1000}, 0, mem) == "prctl(PR_GET_CHILD_SUBREAPER, [0]) = 0");
  mem.put<std::uint64_t>(0x2000, 0x7f0000001000);
  CHECK(call("prctl", {PR_GET_TID_ADDRESS, 0x2000}, 0, mem) ==
        "prctl(PR_GET_TID_ADDRESS, [0x7f0000001000]) = 0");
  CHECK(call("prctl", {PR_GET_PDEATHSIG, 0x3000}, 0, mem) == "prctl(PR_GET_PDEATHSIG, 0x3000) = 0");
}
