// Tests the input event device ioctls (decode/ioctl/evdev.hpp): request numbers, struct
// layouts and limits from linux/input.h, and lines as strace 6.1's tests/ioctl_evdev.c and
// ioctl_evdev-success.c expect them.
#include <catch2/catch.hpp>

#include <linux/input.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;

snare::format::options opts(snare::format::xlat_style s, bool verbose = false) {
  snare::format::options o;
  o.xlat = s;
  o.verbose = verbose;
  return o;
}
}  // namespace

TEST_CASE("evdev ioctl numbers, layouts and limits are linux/input.h's", "[format][ioctl][evdev]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::evdev_ioctls, name); };
  CHECK(code_of("EVIOCGVERSION") == EVIOCGVERSION);
  CHECK(code_of("EVIOCGID") == EVIOCGID);
  CHECK(code_of("EVIOCGREP") == EVIOCGREP);
  CHECK(code_of("EVIOCSREP") == EVIOCSREP);
  CHECK(code_of("EVIOCGKEYCODE") == EVIOCGKEYCODE);
  CHECK(code_of("EVIOCGKEYCODE_V2") == EVIOCGKEYCODE_V2);
  CHECK(code_of("EVIOCSKEYCODE") == EVIOCSKEYCODE);
  CHECK(code_of("EVIOCSKEYCODE_V2") == EVIOCSKEYCODE_V2);
  CHECK(code_of("EVIOCSFF") == EVIOCSFF);
  CHECK(code_of("EVIOCRMFF") == EVIOCRMFF);
  CHECK(code_of("EVIOCGEFFECTS") == EVIOCGEFFECTS);
  CHECK(code_of("EVIOCGRAB") == EVIOCGRAB);
  CHECK(code_of("EVIOCREVOKE") == EVIOCREVOKE);
  CHECK(code_of("EVIOCGMASK") == EVIOCGMASK);
  CHECK(code_of("EVIOCSMASK") == EVIOCSMASK);
  CHECK(code_of("EVIOCSCLOCKID") == EVIOCSCLOCKID);
  STATIC_REQUIRE(sizeof(ff_effect) == 48);
  STATIC_REQUIRE(offsetof(ff_effect, u) == 16);
  STATIC_REQUIRE(offsetof(ff_effect, u.periodic.envelope) == 26);
  STATIC_REQUIRE(offsetof(ff_effect, u.periodic.custom_len) == 36);
  STATIC_REQUIRE(offsetof(ff_effect, u.periodic.custom_data) == 40);
  STATIC_REQUIRE(offsetof(ff_effect, u.ramp.envelope) == 20);
  STATIC_REQUIRE(offsetof(ff_effect, u.constant.envelope) == 18);
  STATIC_REQUIRE(sizeof(input_keymap_entry) == 40);
  STATIC_REQUIRE(offsetof(input_keymap_entry, scancode) == 8);
  STATIC_REQUIRE(d::evdev_ev_max == EV_MAX);
  STATIC_REQUIRE(d::evdev_abs_max == ABS_MAX);
  STATIC_REQUIRE(d::evdev_key_max == KEY_MAX);
  STATIC_REQUIRE(d::evdev_rel_max == REL_MAX);
  STATIC_REQUIRE(d::evdev_msc_max == MSC_MAX);
  STATIC_REQUIRE(d::evdev_sw_max == SW_MAX);
  STATIC_REQUIRE(d::evdev_led_max == LED_MAX);
  STATIC_REQUIRE(d::evdev_snd_max == SND_MAX);
  STATIC_REQUIRE(d::evdev_rep_max == REP_MAX);
  STATIC_REQUIRE(d::evdev_ff_max == FF_MAX);
  STATIC_REQUIRE(d::evdev_ff_status_max == FF_STATUS_MAX);
  STATIC_REQUIRE(d::evdev_prop_max == INPUT_PROP_MAX);
  // Of names that share a value, strace's: the header's last.
  CHECK(d::find_name(d::evdev_keycode_xlat.field, BTN_MISC) == "BTN_0");
  CHECK(d::find_name(d::evdev_keycode_xlat.field, BTN_GAMEPAD) == "BTN_SOUTH");
  CHECK(d::find_name(d::evdev_keycode_xlat.field, KEY_MAX).empty());
}

TEST_CASE("evdev requests with a parameter print it in their name", "[format][ioctl][evdev]") {
  auto name = [](std::uint32_t code) {
    std::string s;
    d::put_ioctl_name(s, code);
    return s;
  };
  CHECK(name(EVIOCGNAME(0)) == "EVIOCGNAME(0)");
  CHECK(name(EVIOCGMTSLOTS(8)) == "EVIOCGMTSLOTS(8)");
  CHECK(name(EVIOCGABS(ABS_X)) == "EVIOCGABS(ABS_X)");
  CHECK(name(EVIOCSABS(0xe)) == "EVIOCSABS(0xe /* ABS_??? */)");
  CHECK(name(EVIOCGBIT(0, 0)) == "EVIOCGBIT(0, 0)");
  CHECK(name(EVIOCGBIT(EV_KEY, 1)) == "EVIOCGBIT(EV_KEY, 1)");
  CHECK(name(EVIOCGBIT(0x1f, 42)) == "EVIOCGBIT(0x1f /* EV_??? */, 42)");
  CHECK(name(EVIOCGVERSION) == "EVIOCGVERSION");
  CHECK(name(_IOC(_IOC_READ, 'E', 0x1, 0xff)) == "_IOC(_IOC_READ, 0x45, 0x1, 0xff)");
  fake_memory mem;
  using snare::format::xlat_style;
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0x6, 12), 0}, -9, mem, opts(xlat_style::verbose)) ==
        "ioctl(-1, 0x800c4526 /* EVIOCGBIT(0x6, 12) */, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCSABS(ABS_X), 0}, -9, mem, opts(xlat_style::raw)) ==
        "ioctl(-1, 0x401845c0, NULL)" + ebadf);
}

TEST_CASE("evdev ioctls print their argument as strace's", "[format][ioctl][evdev]") {
  using snare::format::xlat_style;
  fake_memory mem;
  CHECK(call("ioctl", {minus1, EVIOCGVERSION, 0}, -9, mem) == "ioctl(-1, EVIOCGVERSION, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCRMFF, 0xffffffffbadc0dedULL}, -9, mem) ==
        "ioctl(-1, EVIOCRMFF, -1159983635)" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCGRAB, 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, EVIOCGRAB, 16045690984232390125)" + ebadf);
  std::uint32_t pair[2] = {0xdeadbeef, KEY_ESC};
  mem.put(0x1000, pair);
  CHECK(call("ioctl", {minus1, EVIOCSCLOCKID, 0x1000}, -9, mem) ==
        "ioctl(-1, EVIOCSCLOCKID, [3735928559])" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCSKEYCODE, 0x1000}, -9, mem) ==
        "ioctl(-1, EVIOCSKEYCODE, [3735928559, KEY_ESC])" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCSKEYCODE, 0x1000}, -9, mem, opts(xlat_style::verbose)) ==
        "ioctl(-1, 0x40084504 /* EVIOCSKEYCODE */, [3735928559, 0x1 /* KEY_ESC */])" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCGREP, 0x1000}, 0, mem) == "ioctl(-1, EVIOCGREP, [3735928559, 1]) = 0");
  CHECK(call("ioctl", {minus1, EVIOCGREP, 0x1000}, -9, mem) == "ioctl(-1, EVIOCGREP, 0x1000)" + ebadf);

  ff_effect ffe;
  std::memset(&ffe, 0, sizeof ffe);
  ffe.type = FF_RUMBLE;
  ffe.id = -2;
  ffe.direction = 3;
  ffe.trigger = {4, 5};
  ffe.replay = {6, 7};
  ffe.u.rumble = {8, 9};
  mem.put(0x2000, ffe);
  CHECK(call("ioctl", {minus1, EVIOCSFF, 0x2000}, -9, mem) ==
        "ioctl(-1, EVIOCSFF, {type=FF_RUMBLE, id=-2, direction=3, ...})" + ebadf);
  CHECK(call("ioctl", {minus1, EVIOCSFF, 0x2000}, -9, mem, opts(xlat_style::abbrev, true)) ==
        "ioctl(-1, EVIOCSFF, {type=FF_RUMBLE, id=-2, direction=3, trigger={button=4, interval=5}, "
        "replay={length=6, delay=7}, rumble={strong_magnitude=8, weak_magnitude=9}})" +
            ebadf);

  input_absinfo abs{};
  abs.value = 1;
  abs.minimum = -1;
  abs.maximum = 3;
  abs.fuzz = 4;
  abs.flat = 5;
  abs.resolution = 6;
  mem.put(0x3000, abs);
  CHECK(call("ioctl", {minus1, EVIOCGABS(ABS_Y), 0x3000}, 0, mem) ==
        "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=4294967295, ...}) = 0");
  CHECK(call("ioctl", {minus1, EVIOCGABS(ABS_Y), 0x3000}, 0, mem, opts(xlat_style::abbrev, true)) ==
        "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=4294967295, maximum=3, fuzz=4, flat=5, resolution=6}) "
        "= 0");
  CHECK(call("ioctl", {minus1, _IOC(_IOC_READ, 'E', 0x41, 21), 0x3000}, 0, mem,
             opts(xlat_style::abbrev, true)) ==
        "ioctl(-1, EVIOCGABS(ABS_Y), {value=1, minimum=4294967295, maximum=3, fuzz=4, flat=5, ...}) = 0");
  CHECK(call("ioctl", {minus1, _IOC(_IOC_READ, 'E', 0x41, 19), 0x3000}, 0, mem) ==
        "ioctl(-1, EVIOCGABS(ABS_Y), 0x3000) = 0");

  // Bit sets: as many bytes as the call returned, in whole words.
  std::uint64_t bits[2] = {(1u << EV_ABS) | (1u << EV_MSC) | (1u << EV_LED) | (1u << EV_SND) | (1u << EV_PWR),
                           0};
  mem.put(0x4000, bits);
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0, 0), 0x4000}, 0, mem) == "ioctl(-1, EVIOCGBIT(0, 0), 0x4000) = 0");
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0, 0), 0x4000}, 2, mem) ==
        "ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC]) = 2");
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0, 0), 0x4000}, 16, mem) ==
        "ioctl(-1, EVIOCGBIT(0, 0), [EV_ABS EV_MSC EV_LED EV_SND ...]) = 16");
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0, 0), 0x4000}, 16, mem, opts(xlat_style::raw)) ==
        "ioctl(-1, 0x80004520, [0x460018]) = 16");
  CHECK(call("ioctl", {minus1, EVIOCGBIT(0, 0), 0x4000}, 16, mem, opts(xlat_style::verbose, true)) ==
        "ioctl(-1, 0x80004520 /* EVIOCGBIT(0, 0) */, [0x3 /* EV_ABS */ 0x4 /* EV_MSC */ 0x11 /* EV_LED */ "
        "0x12 /* EV_SND */ 0x16 /* EV_PWR */] /* [0x460018] */) = 16");

  std::int32_t slots[3] = {ABS_MT_SLOT, 1, 3};
  mem.put(0x5000, slots);
  CHECK(call("ioctl", {minus1, EVIOCGMTSLOTS(12), 0x5000}, 0, mem) ==
        "ioctl(-1, EVIOCGMTSLOTS(12), {code=ABS_MT_SLOT, values=[1, 3]}) = 0");
  CHECK(call("ioctl", {minus1, EVIOCGMTSLOTS(0), 0x5000}, 0, mem) ==
        "ioctl(-1, EVIOCGMTSLOTS(0), 0x5000) = 0");

  // Other directions of type 'E' are not evdev's: the argument in hex.
  CHECK(call("ioctl", {minus1, _IOC(_IOC_READ | _IOC_WRITE, 'E', 0, 0), 0xdeadbeefbadc0dedULL}, -9, mem) ==
        "ioctl(-1, _IOC(_IOC_READ|_IOC_WRITE, 0x45, 0, 0), 0xdeadbeefbadc0ded)" + ebadf);
}
