// Tests the virtual console ioctls (decode/ioctl/kd.hpp, kd_keys.hpp): request numbers and
// layouts from linux/kd.h and linux/keyboard.h, and lines as strace 6.1's tests/ioctl_kd.c
// expects them.
#include <catch2/catch.hpp>

#include <linux/kd.h>
#include <linux/keyboard.h>

#include <cstddef>
#include <cstdint>
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

}  // namespace

TEST_CASE("kd ioctl numbers and layouts are the kernel headers'", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::kd_ioctls, name); };
  CHECK(code_of("KIOCSOUND") == KIOCSOUND);
  CHECK(code_of("KDGKBENT") == KDGKBENT);
  CHECK(code_of("KDKBDREP") == KDKBDREP);
  CHECK(code_of("GIO_UNIMAP") == GIO_UNIMAP);
  CHECK(code_of("KDFONTOP") == KDFONTOP);
  CHECK(code_of("KDSKBDIACRUC") == KDSKBDIACRUC);
  STATIC_REQUIRE(sizeof(kbentry) == 4);
  STATIC_REQUIRE(offsetof(kbsentry, kb_string) == 1);
  STATIC_REQUIRE(offsetof(kbdiacrs, kbdiacr) == 4);
  STATIC_REQUIRE(sizeof(kbdiacr) == 3);
  STATIC_REQUIRE(offsetof(unimapdesc, entries) == 8);
  STATIC_REQUIRE(offsetof(consolefontdesc, chardata) == 8);
  STATIC_REQUIRE(offsetof(console_font_op, data) == 24);
  CHECK(K(KT_FN, 30) == K_F21);
  CHECK(K(KT_SPEC, 126) == K_ALLOCATED);
}

TEST_CASE("kd ioctls print tones, LEDs, modes and signals", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, KIOCSOUND, 440}, -9, mem) ==
        "ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */)" + ebadf);
  CHECK(call("ioctl", {minus1, KIOCSOUND, 1193183}, -9, mem) ==
        "ioctl(-1, KIOCSOUND, 1193183 /* off */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDMKTONE, 0xdeadfafaULL}, -9, mem) ==
        "ioctl(-1, KDMKTONE, 57005<<16|64250 /* 18 Hz, 57005 ms */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDMKTONE, 0x10000}, -9, mem) ==
        "ioctl(-1, KDMKTONE, 1<<16|0 /* off */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSETLED, 0xdeadc0defeedfaceULL}, -9, mem) ==
        "ioctl(-1, KDSETLED, LED_NUM|LED_CAP|0xc8)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSKBLED, 0x71}, -9, mem) ==
        "ioctl(-1, KDSKBLED, LED_SCR|LED_SCR<<4|LED_NUM<<4|LED_CAP<<4)" + ebadf);
  CHECK(call("ioctl", {minus1, KDADDIO, 0x3c0}, -9, mem) ==
        "ioctl(-1, KDADDIO, 0x3c0 /* GPFIRST + 12 */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDADDIO, 0x3c0}, -9, mem,
             snare::test::style(snare::format::xlat_style::raw)) == "ioctl(-1, 0x4b34, 0x3c0)" + ebadf);
  CHECK(call("ioctl", {minus1, KDENABIO, 0}, -9, mem) == "ioctl(-1, KDENABIO)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSETMODE, 4}, -9, mem) == "ioctl(-1, KDSETMODE, 0x4 /* KD_??? */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSKBMODE, minus1}, -9, mem) ==
        "ioctl(-1, KDSKBMODE, -1 /* K_??? */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSKBMODE, 3}, -9, mem,
             snare::test::style(snare::format::xlat_style::verbose)) ==
        "ioctl(-1, 0x4b45 /* KDSKBMODE */, 3 /* K_UNICODE */)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSIGACCEPT, 10}, -9, mem) == "ioctl(-1, KDSIGACCEPT, SIGUSR1)" + ebadf);
  CHECK(call("ioctl", {minus1, KDSIGACCEPT, minus1}, -9, mem) ==
        "ioctl(-1, KDSIGACCEPT, 18446744073709551615)" + ebadf);
  std::uint8_t led = 5;
  mem.put(0x1000, led);
  CHECK(call("ioctl", {minus1, KDGETLED, 0x1000}, 0, mem) == "ioctl(-1, KDGETLED, [LED_SCR|LED_CAP]) = 0");
  CHECK(call("ioctl", {minus1, KDGETLED, 0x1000}, -9, mem) == "ioctl(-1, KDGETLED, 0x1000)" + ebadf);
}

TEST_CASE("kd ioctls print keymap entries, strings and accent tables", "[format][ioctl]") {
  fake_memory mem;
  kbentry ke{K_SHIFTTAB, 69, 0x10};
  mem.put(0x1000, ke);
  CHECK(call("ioctl", {minus1, KDSKBENT, 0x1000}, -9, mem) ==
        "ioctl(-1, KDSKBENT, {kb_table=K_SHIFTTAB, kb_index=69, kb_value=0x10 /* K(KT_LATIN, '\\x10') */})" +
            ebadf);
  ke = {0xa8, 168, K_F21};
  mem.put(0x1000, ke);
  CHECK(call("ioctl", {minus1, KDSKBENT, 0x1000}, -9, mem) ==
        "ioctl(-1, KDSKBENT, {kb_table=1<<KG_ALT|1<<KG_SHIFTR|1<<KG_CTRLR, kb_index=168, kb_value=0x11e /* "
        "K_F21 */})" +
            ebadf);
  CHECK(call("ioctl", {minus1, KDGKBENT, 0x1000}, -9, mem) ==
        "ioctl(-1, KDGKBENT, {kb_table=1<<KG_ALT|1<<KG_SHIFTR|1<<KG_CTRLR, kb_index=168})" + ebadf);
  ke = {K_NORMTAB, 1, K(KT_META, '\t')};
  mem.put(0x1000, ke);
  CHECK(call("ioctl", {minus1, KDGKBENT, 0x1000}, 0, mem) ==
        "ioctl(-1, KDGKBENT, {kb_table=K_NORMTAB, kb_index=1, kb_value=0x809 /* K(KT_META, '\\t') */}) = 0");

  mem.put(0x2000, std::uint8_t{1});
  mem.put_string(0x2001, "abc");
  CHECK(call("ioctl", {minus1, KDSKBSENT, 0x2000}, -9, mem) ==
        "ioctl(-1, KDSKBSENT, {kb_func=KVAL(K_F2), kb_string=\"abc\"})" + ebadf);
  CHECK(call("ioctl", {minus1, KDSKBSENT, 0x2000}, -9, mem,
             snare::test::style(snare::format::xlat_style::verbose)) ==
        "ioctl(-1, 0x4b49 /* KDSKBSENT */, {kb_func=0x1 /* KVAL(K_F2) */, kb_string=\"abc\"})" + ebadf);

  std::uint32_t cnt = 1;
  mem.put(0x3000, cnt);
  mem.put_bytes(0x3004, "()*", 3);
  CHECK(call("ioctl", {minus1, KDSKBDIACR, 0x3000}, -9, mem) ==
        "ioctl(-1, KDSKBDIACR, {kb_cnt=1, kbdiacr=[{diacr='(', base=')', result='*'}]})" + ebadf);
  CHECK(call("ioctl", {minus1, KDGKBDIACR, 0x3000}, -9, mem) == "ioctl(-1, KDGKBDIACR, 0x3000)" + ebadf);
}

TEST_CASE("kd ioctls print key codes, repeat rates, maps and fonts", "[format][ioctl]") {
  fake_memory mem;
  std::uint32_t kc[2] = {0xdecaffed, 0xdadfaced};
  mem.put(0x1000, kc);
  CHECK(call("ioctl", {minus1, KDGETKEYCODE, 0x1000}, 0, mem) ==
        "ioctl(-1, KDGETKEYCODE, {scancode=0xdecaffed, keycode=0xdadfaced => 0xdadfaced}) = 0");
  CHECK(call("ioctl", {minus1, KDSETKEYCODE, 0x1000}, -9, mem) ==
        "ioctl(-1, KDSETKEYCODE, {scancode=0xdecaffed, keycode=0xdadfaced})" + ebadf);
  std::int32_t rep[2] = {314159265, 271828182};
  mem.put(0x2000, rep);
  CHECK(
      call("ioctl", {minus1, KDKBDREP, 0x2000}, 0, mem) ==
      "ioctl(-1, KDKBDREP, {delay=314159265, period=271828182} => {delay=314159265, period=271828182}) = 0");
  std::uint16_t uni[256];
  for (unsigned i = 0; i < 256; ++i) uni[i] = static_cast<std::uint16_t>(i == 0 ? 0xefd5 : 0xf000 + i);
  mem.put(0x3000, uni);
  CHECK(call("ioctl", {minus1, PIO_UNISCRNMAP, 0x3000}, -9, mem)
            .starts_with("ioctl(-1, PIO_UNISCRNMAP, [0xefd5, UNI_DIRECT_BASE+0x1, UNI_DIRECT_BASE+0x2, "));
  CHECK(
      call("ioctl", {minus1, PIO_UNISCRNMAP, 0x3000}, -9, mem,
           snare::test::style(snare::format::xlat_style::verbose))
          .starts_with("ioctl(-1, 0x4b6a /* PIO_UNISCRNMAP */, [0xefd5, 0xf001 /* UNI_DIRECT_BASE+0x1 */, "));
  unsigned char cmap[48] = {0x81};
  mem.put(0x4000, cmap);
  CHECK(
      call("ioctl", {minus1, PIO_CMAP, 0x4000}, -9, mem) ==
      "ioctl(-1, PIO_CMAP, \"\\x81\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
      "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"...)" +
          ebadf);
  struct {
    std::uint16_t ct, pad[3];
    std::uint64_t entries;
  } umd{2, {}, 0x5000};
  mem.put(0x6000, umd);
  std::uint16_t pairs[4] = {0x80c4, 0x80c5, 0x80c6, 0x80c7};
  mem.put(0x5000, pairs);
  CHECK(call("ioctl", {minus1, PIO_UNIMAP, 0x6000}, -9, mem) ==
        "ioctl(-1, PIO_UNIMAP, {entry_ct=2, entries=[{unicode=0x80c4, fontpos=0x80c5}, "
        "{unicode=0x80c6, fontpos=0x80c7}]})" +
            ebadf);
  CHECK(call("ioctl", {minus1, GIO_UNIMAP, 0x6000}, -9, mem) ==
        "ioctl(-1, GIO_UNIMAP, {entry_ct=2 => 2, entries=0x5000})" + ebadf);
  std::uint32_t cfo[8] = {4, 0xdeadbeef, 3, 4, 5, 0, 0, 0};
  mem.put(0x7000, cfo);
  CHECK(call("ioctl", {minus1, KDFONTOP, 0x7000}, -9, mem) ==
        "ioctl(-1, KDFONTOP, {op=0x4 /* KD_FONT_OP_??? */, "
        "flags=KD_FONT_FLAG_DONT_RECALC|KD_FONT_FLAG_OLD|0x5eadbeee, "
        "width=3, height=4, charcount=5, data=NULL})" +
            ebadf);
  cfo[0] = KD_FONT_OP_COPY;
  mem.put(0x7000, cfo);
  CHECK(call("ioctl", {minus1, KDFONTOP, 0x7000}, -9, mem) ==
        "ioctl(-1, KDFONTOP, {op=KD_FONT_OP_COPY, height=4})" + ebadf);
}
