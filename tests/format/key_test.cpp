// Tests keyctl, add_key and request_key as strace prints them: each keyctl command's
// arguments by what they are, the buffers the kernel fills in at exit. Expected lines are
// strace 6.1's for the same calls.
#include <catch2/catch.hpp>

#include <linux/keyctl.h>

#include <cstdint>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
constexpr std::uint64_t key = 794062863;
constexpr std::uint64_t serial(std::int32_t s) { return static_cast<std::uint64_t>(std::int64_t{s}); }
// Maps the strings the calls below point to: a key type, a description and a payload.
fake_memory key_memory() {
  fake_memory mem;
  mem.put_string(0x100, "user");
  mem.put_string(0x200, "snare:test");
  mem.put_string(0x300, "secret-data", false);
  return mem;
}
std::string keyctl(std::uint64_t cmd, std::uint64_t a2, std::uint64_t a3, std::uint64_t a4, std::uint64_t a5,
                   std::int64_t ret, fake_memory& mem) {
  return call("keyctl", {cmd, a2, a3, a4, a5}, ret, mem);
}
}  // namespace

TEST_CASE("keyctl prints key serials by their KEY_SPEC_* names and only the arguments a command takes",
          "[format][key]") {
  fake_memory mem;
  CHECK(keyctl(KEYCTL_GET_KEYRING_ID, serial(KEY_SPEC_SESSION_KEYRING), 0, 0, 0, 51438711, mem) ==
        "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) = 51438711");
  // Serials and ints are C ints: the upper half of the register does not count.
  CHECK(keyctl(KEYCTL_GET_KEYRING_ID, 0x100000005, 0x100000002, 0, 0, -126, mem) ==
        "keyctl(KEYCTL_GET_KEYRING_ID, 5, 2) = -1 ENOKEY (Required key not available)");
  CHECK(keyctl(KEYCTL_GET_KEYRING_ID, serial(-100), 1, 0, 0, -22, mem) ==
        "keyctl(KEYCTL_GET_KEYRING_ID, -100, 1) = -1 EINVAL (Invalid argument)");
  CHECK(keyctl(KEYCTL_REVOKE, 12345, 7, 7, 7, -126, mem) ==
        "keyctl(KEYCTL_REVOKE, 12345) = -1 ENOKEY (Required key not available)");
  CHECK(keyctl(KEYCTL_SESSION_TO_PARENT, 7, 7, 7, 7, 0, mem) == "keyctl(KEYCTL_SESSION_TO_PARENT) = 0");
  CHECK(keyctl(KEYCTL_LINK, key, serial(KEY_SPEC_SESSION_KEYRING), 0, 0, -13, mem) ==
        "keyctl(KEYCTL_LINK, 794062863, KEY_SPEC_SESSION_KEYRING) = -1 EACCES (Permission denied)");
  CHECK(keyctl(KEYCTL_GET_PERSISTENT, 0xffffffff, serial(KEY_SPEC_SESSION_KEYRING), 0, 0, 706668543, mem) ==
        "keyctl(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING) = 706668543");
  CHECK(keyctl(KEYCTL_CHOWN, key, 0x1ffffffff, 0xfffffffe, 0, -126, mem) ==
        "keyctl(KEYCTL_CHOWN, 794062863, -1, 4294967294) = -1 ENOKEY (Required key not available)");
  CHECK(keyctl(KEYCTL_SET_TIMEOUT, key, serial(-1), 0, 0, -13, mem) ==
        "keyctl(KEYCTL_SET_TIMEOUT, 794062863, 4294967295) = -1 EACCES (Permission denied)");
  CHECK(keyctl(KEYCTL_PKEY_QUERY, 5, serial(-1), 0, 0, -22, mem) ==
        "keyctl(KEYCTL_PKEY_QUERY, 5, 0xffffffffffffffff, NULL, NULL) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("keyctl names permissions, request-key defaults, move flags and reject errors", "[format][key]") {
  fake_memory mem;
  CHECK(
      keyctl(KEYCTL_SETPERM, key, 0x3f010000, 0, 0, 0, mem) ==
      "keyctl(KEYCTL_SETPERM, 794062863, KEY_POS_VIEW|KEY_POS_READ|KEY_POS_WRITE|KEY_POS_SEARCH|KEY_POS_LINK|"
      "KEY_POS_SETATTR|KEY_USR_VIEW) = 0");
  CHECK(keyctl(KEYCTL_SETPERM, key, 0x01000101 | 0x80, 0, 0, -22, mem) ==
        "keyctl(KEYCTL_SETPERM, 794062863, KEY_POS_VIEW|KEY_GRP_VIEW|KEY_OTH_VIEW|0x80) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(keyctl(KEYCTL_SETPERM, 5, 0xc0000000, 0, 0, -22, mem) ==
        "keyctl(KEYCTL_SETPERM, 5, 0xc0000000 /* KEY_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(keyctl(KEYCTL_SETPERM, key, 0, 0, 0, 0, mem) == "keyctl(KEYCTL_SETPERM, 794062863, 0) = 0");
  CHECK(keyctl(KEYCTL_SET_REQKEY_KEYRING, 7, 0, 0, 0, 0, mem) ==
        "keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_REQUESTOR_KEYRING) = 0");
  CHECK(keyctl(KEYCTL_SET_REQKEY_KEYRING, serial(-1), 0, 0, 0, 7, mem) ==
        "keyctl(KEYCTL_SET_REQKEY_KEYRING, KEY_REQKEY_DEFL_NO_CHANGE) = 7");
  CHECK(keyctl(KEYCTL_SET_REQKEY_KEYRING, serial(-2), 0, 0, 0, -22, mem) ==
        "keyctl(KEYCTL_SET_REQKEY_KEYRING, -2 /* KEY_REQKEY_DEFL_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(keyctl(KEYCTL_MOVE, key, serial(KEY_SPEC_SESSION_KEYRING), serial(KEY_SPEC_PROCESS_KEYRING), 1, -13,
               mem) ==
        "keyctl(KEYCTL_MOVE, 794062863, KEY_SPEC_SESSION_KEYRING, KEY_SPEC_PROCESS_KEYRING, "
        "KEYCTL_MOVE_EXCL) = -1 "
        "EACCES (Permission denied)");
  CHECK(keyctl(KEYCTL_MOVE, key, serial(KEY_SPEC_PROCESS_KEYRING), serial(KEY_SPEC_SESSION_KEYRING), 6, -22,
               mem) ==
        "keyctl(KEYCTL_MOVE, 794062863, KEY_SPEC_PROCESS_KEYRING, KEY_SPEC_SESSION_KEYRING, 0x6 /* "
        "KEYCTL_MOVE_??? */) = -1 EINVAL (Invalid argument)");
  SECTION("the error of KEYCTL_REJECT by name, unsigned when it has none") {
    CHECK(keyctl(KEYCTL_REJECT, 123, 5, 1, 0, -1, mem) ==
          "keyctl(KEYCTL_REJECT, 123, 5, EPERM, 0) = -1 EPERM (Operation not permitted)");
    CHECK(keyctl(KEYCTL_REJECT, 5, 0xffffffff, 512, 0, -22, mem) ==
          "keyctl(KEYCTL_REJECT, 5, 4294967295, ERESTARTSYS, 0) = -1 EINVAL (Invalid argument)");
    CHECK(keyctl(KEYCTL_REJECT, 5, 1, serial(-5), 0, -22, mem) ==
          "keyctl(KEYCTL_REJECT, 5, 1, 4294967291, 0) = -1 EINVAL (Invalid argument)");
    CHECK(keyctl(KEYCTL_REJECT, 123, 5, 0, 0, -22, mem) ==
          "keyctl(KEYCTL_REJECT, 123, 5, 0, 0) = -1 EINVAL (Invalid argument)");
  }
}

TEST_CASE("keyctl prints strings and payloads, and the buffers it fills at exit", "[format][key]") {
  fake_memory mem = key_memory();
  mem.put_string(0x380, "new\001data", false);
  mem.put_string(0x400, "0123456789012345678901234567890123456789", false);
  CHECK(keyctl(KEYCTL_SEARCH, serial(KEY_SPEC_PROCESS_KEYRING), 0x100, 0x200, serial(KEY_SPEC_THREAD_KEYRING),
               -13, mem) ==
        "keyctl(KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, \"user\", \"snare:test\", KEY_SPEC_THREAD_KEYRING) "
        "= -1 "
        "EACCES (Permission denied)");
  CHECK(keyctl(KEYCTL_UPDATE, key, 0x380, 8, 0, -13, mem) ==
        "keyctl(KEYCTL_UPDATE, 794062863, \"new\\1data\", 8) = -1 EACCES (Permission denied)");
  CHECK(
      keyctl(KEYCTL_UPDATE, key, 0x400, 40, 0, -13, mem) ==
      "keyctl(KEYCTL_UPDATE, 794062863, \"01234567890123456789012345678901\"..., 40) = -1 EACCES (Permission "
      "denied)");
  CHECK(keyctl(KEYCTL_UPDATE, 5, 0x8, 4, 0, -14, mem) ==
        "keyctl(KEYCTL_UPDATE, 5, 0x8, 4) = -1 EFAULT (Bad address)");
  CHECK(keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0, 239767020, mem) ==
        "keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL) = 239767020");
  CHECK(keyctl(KEYCTL_RESTRICT_KEYRING, 5, 0x100, 0, 0, -126, mem) ==
        "keyctl(KEYCTL_RESTRICT_KEYRING, 5, \"user\", NULL) = -1 ENOKEY (Required key not available)");

  SECTION("DESCRIBE shows the text the kernel wrote, without its NUL, cut to the buffer") {
    mem.put_string(0x1000, "user;0;0;3f010000;snare:test");  // 28 characters and the NUL: 29
    CHECK(keyctl(KEYCTL_DESCRIBE, key, 0x1000, 256, 0, 29, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 794062863, \"user;0;0;3f010000;snare:test\", 256) = 29");
    CHECK(keyctl(KEYCTL_DESCRIBE, key, 0x1000, 5, 0, 29, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 794062863, \"user;\", 5) = 29");
    CHECK(keyctl(KEYCTL_DESCRIBE, key, 0, 0, 0, 29, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 794062863, NULL, 0) = 29");
    mem.put_string(0x2000, "user;0;0;3f010000;a-rather-long-description-of-the-key");
    CHECK(keyctl(KEYCTL_DESCRIBE, 6042252, 0x2000, 256, 0, 55, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 6042252, \"user;0;0;3f010000;a-rather-long-\"..., 256) = 55");
    CHECK(keyctl(KEYCTL_DESCRIBE, 6042252, 0x2000, 32, 0, 55, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 6042252, \"user;0;0;3f010000;a-rather-long-\", 32) = 55");
    mem.put_string(0x3000, "");
    CHECK(keyctl(KEYCTL_GET_SECURITY, key, 0x3000, 256, 0, 1, mem) ==
          "keyctl(KEYCTL_GET_SECURITY, 794062863, \"\", 256) = 1");
    CHECK(keyctl(KEYCTL_DESCRIBE, 5, 0x1000, 4294967300, 0, -126, mem) ==
          "keyctl(KEYCTL_DESCRIBE, 5, 0x1000, 4294967300) = -1 ENOKEY (Required key not available)");
  }
  SECTION("READ shows the bytes the kernel wrote, as many as the buffer holds") {
    mem.put_string(0x1000, "secret-data", false);
    CHECK(keyctl(KEYCTL_READ, key, 0x1000, 256, 0, 11, mem) ==
          "keyctl(KEYCTL_READ, 794062863, \"secret-data\", 256) = 11");
    CHECK(keyctl(KEYCTL_READ, key, 0x1000, 4, 0, 11, mem) ==
          "keyctl(KEYCTL_READ, 794062863, \"secr\", 4) = 11");
    CHECK(keyctl(KEYCTL_READ, key, 0x1000, 0, 0, 11, mem) == "keyctl(KEYCTL_READ, 794062863, \"\", 0) = 11");
    CHECK(keyctl(KEYCTL_READ, key, 0x8, 100, 0, -14, mem) ==
          "keyctl(KEYCTL_READ, 794062863, 0x8, 100) = -1 EFAULT (Bad address)");
  }
  SECTION("CAPABILITIES names the bits of each byte it got") {
    const unsigned char caps[] = {0xeb, 0x03};
    mem.put_bytes(0x1000, caps, sizeof caps);
    CHECK(keyctl(KEYCTL_CAPABILITIES, 0x1000, 4, 0, 0, 2, mem) ==
          "keyctl(KEYCTL_CAPABILITIES, [KEYCTL_CAPS0_CAPABILITIES|KEYCTL_CAPS0_PERSISTENT_KEYRINGS|"
          "KEYCTL_CAPS0_PUBLIC_KEY|KEYCTL_CAPS0_INVALIDATE|KEYCTL_CAPS0_RESTRICT_KEYRING|KEYCTL_CAPS0_MOVE, "
          "KEYCTL_CAPS1_NS_KEYRING_NAME|KEYCTL_CAPS1_NS_KEY_TAG], 4) = 2");
    CHECK(keyctl(KEYCTL_CAPABILITIES, 0, 0, 0, 0, 2, mem) == "keyctl(KEYCTL_CAPABILITIES, NULL, 0) = 2");
    CHECK(keyctl(KEYCTL_CAPABILITIES, 0x8, 100, 0, 0, -14, mem) ==
          "keyctl(KEYCTL_CAPABILITIES, 0x8, 100) = -1 EFAULT (Bad address)");
  }
}

TEST_CASE("keyctl prints its parameter structs: iovecs, Diffie-Hellman and public-key parameters",
          "[format][key]") {
  fake_memory mem;
  mem.put_string(0x100, "ab");
  mem.put_string(0x110, "cd");
  const std::uint64_t iov[] = {0x100, 2, 0x110, 2};
  mem.put(0x1000, iov);
  CHECK(keyctl(KEYCTL_INSTANTIATE_IOV, key, 0x1000, 2, 0, -1, mem) ==
        "keyctl(KEYCTL_INSTANTIATE_IOV, 794062863, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\", "
        "iov_len=2}], 2, "
        "0) = -1 EPERM (Operation not permitted)");
  CHECK(keyctl(KEYCTL_INSTANTIATE_IOV, 5, 0, 0, serial(KEY_SPEC_PROCESS_KEYRING), -1, mem) ==
        "keyctl(KEYCTL_INSTANTIATE_IOV, 5, NULL, 0, KEY_SPEC_PROCESS_KEYRING) = -1 EPERM (Operation not "
        "permitted)");

  const std::int32_t dh[] = {KEY_SPEC_SESSION_KEYRING, -100, 3};
  mem.put(0x2000, dh);
  mem.put_string(0x2100, "sha256");
  snare::sys::abi::keyctl_kdf_params kdf{0x2100, 0x100, 2, {}};
  mem.put(0x2200, kdf);
  CHECK(
      keyctl(KEYCTL_DH_COMPUTE, 0x2000, 0x7fff3f49e520, 16, 0x2200, -95, mem) ==
      "keyctl(KEYCTL_DH_COMPUTE, {private=KEY_SPEC_SESSION_KEYRING, prime=-100, base=3}, 0x7fff3f49e520, 16, "
      "{hashname=\"sha256\", otherinfo=\"ab\", otherinfolen=2}) = -1 EOPNOTSUPP (Operation not supported)");
  kdf = {0x2100, 0, 0, {1}};
  mem.put(0x2300, kdf);
  CHECK(keyctl(KEYCTL_DH_COMPUTE, 0x2000, 0, 0, 0x2300, -95, mem) ==
        "keyctl(KEYCTL_DH_COMPUTE, {private=KEY_SPEC_SESSION_KEYRING, prime=-100, base=3}, NULL, 0, "
        "{hashname=\"sha256\", otherinfo=NULL, otherinfolen=0, __spare=[0x1, 0, 0, 0, 0, 0, 0, 0]}) = -1 "
        "EOPNOTSUPP (Operation not supported)");
  CHECK(keyctl(KEYCTL_DH_COMPUTE, 0x8, 0, 0, 0x8, -95, mem) ==
        "keyctl(KEYCTL_DH_COMPUTE, 0x8, NULL, 0, 0x8) = -1 EOPNOTSUPP (Operation not supported)");

  mem.put_string(0x3000, "enc=pkcs1");
  mem.put_string(0x3100, "abc");
  mem.put_string(0x3200, "defg");
  snare::sys::abi::keyctl_pkey_params params{KEY_SPEC_USER_KEYRING, 3, 16, {}};
  mem.put(0x3300, params);
  CHECK(keyctl(KEYCTL_PKEY_ENCRYPT, 0x3300, 0x3000, 0x3100, 0x7ffecfe905e0, -95, mem) ==
        "keyctl(KEYCTL_PKEY_ENCRYPT, {key_id=KEY_SPEC_USER_KEYRING, in_len=3, out_len=16}, \"enc=pkcs1\", "
        "\"abc\", "
        "0x7ffecfe905e0) = -1 EOPNOTSUPP (Operation not supported)");
  params = {5, 3, 4, {0, 2}};
  mem.put(0x3400, params);
  CHECK(keyctl(KEYCTL_PKEY_VERIFY, 0x3400, 0x3000, 0x3100, 0x3200, -22, mem) ==
        "keyctl(KEYCTL_PKEY_VERIFY, {key_id=5, in_len=3, in2_len=4, __spare=[0, 0x2, 0, 0, 0, 0, 0]}, "
        "\"enc=pkcs1\", \"abc\", \"defg\") = -1 EINVAL (Invalid argument)");
  // Unreadable parameters leave the input's length unknown: its address.
  CHECK(keyctl(KEYCTL_PKEY_SIGN, 0x8, 0, 0x8, 0x8, -14, mem) ==
        "keyctl(KEYCTL_PKEY_SIGN, 0x8, NULL, 0x8, 0x8) = -1 EFAULT (Bad address)");
}

TEST_CASE("keyctl commands it does not decode print their arguments in hex", "[format][key]") {
  fake_memory mem;
  CHECK(keyctl(KEYCTL_WATCH_KEY, 5, 3, 1, 0x55ab8725001f, -95, mem) ==
        "keyctl(KEYCTL_WATCH_KEY, 0x5, 0x3, 0x1, 0x55ab8725001f) = -1 EOPNOTSUPP (Operation not supported)");
  CHECK(keyctl(9999, 1, 2, 3, 4, -95, mem) ==
        "keyctl(0x270f /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EOPNOTSUPP (Operation not supported)");
}

TEST_CASE("add_key and request_key print their keyring by name", "[format][key]") {
  fake_memory mem = key_memory();
  CHECK(call("add_key", {0x100, 0x200, 0x300, 11, serial(KEY_SPEC_PROCESS_KEYRING)}, 794062863, mem) ==
        "add_key(\"user\", \"snare:test\", \"secret-data\", 11, KEY_SPEC_PROCESS_KEYRING) = 794062863");
  CHECK(call("request_key", {0x100, 0x200, 0, 0}, -126, mem) ==
        "request_key(\"user\", \"snare:test\", NULL, 0) = -1 ENOKEY (Required key not available)");
}
