// Defines the decoder of the virtual console ioctls of linux/kd.h (strace's kd_ioctl.c and
// kd_mpers_ioctl.c): tones, LEDs, modes, screen and unicode maps, keymap and function key
// entries, accent tables, key codes, repeat rates, fonts and colour maps.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/kd_keys.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// LED_* of KDSETLED (linux/kd.h).
inline constexpr xlat_entry kd_led_bits[] = {{0x1, "LED_SCR"}, {0x2, "LED_NUM"}, {0x4, "LED_CAP"}};
inline constexpr xlat kd_led_xlat{{}, 0, kd_led_bits, "0", "LED_???"};
/// KDSKBLED's flags: the LEDs, and in the high nibble the default LEDs (linux/kd.h).
inline constexpr xlat_entry kd_default_led_bits[] = {{0x1, "LED_SCR"},     {0x2, "LED_NUM"},
                                                     {0x4, "LED_CAP"},     {0x10, "LED_SCR<<4"},
                                                     {0x20, "LED_NUM<<4"}, {0x40, "LED_CAP<<4"}};
inline constexpr xlat kd_default_led_xlat{{}, 0, kd_default_led_bits, "0", "LED_???"};
/// KB_* of KDGKBTYPE (linux/kd.h).
inline constexpr xlat_entry kd_kbd_types_field[] = {{1, "KB_84"}, {2, "KB_101"}, {3, "KB_OTHER"}};
inline constexpr xlat kd_kbd_types_xlat{kd_kbd_types_field, ~std::uint64_t{0}, {}, {}, "KB_???"};
/// KD_TEXT .. KD_TEXT1 of KDSETMODE (linux/kd.h).
inline constexpr xlat_entry kd_modes_field[] = {
    {0, "KD_TEXT"}, {1, "KD_GRAPHICS"}, {2, "KD_TEXT0"}, {3, "KD_TEXT1"}};
inline constexpr xlat kd_modes_xlat{kd_modes_field, ~std::uint64_t{0}, {}, {}, "KD_???"};
/// K_RAW .. K_OFF of KDSKBMODE, printed in decimal (linux/kd.h).
inline constexpr xlat_entry kd_kbd_modes_field[] = {
    {0, "K_RAW"}, {1, "K_XLATE"}, {2, "K_MEDIUMRAW"}, {3, "K_UNICODE"}, {4, "K_OFF"}};
/// K_METABIT, K_ESCPREFIX of KDSKBMETA (linux/kd.h).
inline constexpr xlat_entry kd_meta_field[] = {{3, "K_METABIT"}, {4, "K_ESCPREFIX"}};
inline constexpr xlat kd_meta_xlat{kd_meta_field, ~std::uint64_t{0}, {}, {}, "K_???"};
/// KD_FONT_OP_* of KDFONTOP (linux/kd.h).
inline constexpr xlat_entry kd_font_ops_field[] = {
    {0, "KD_FONT_OP_SET"}, {1, "KD_FONT_OP_GET"}, {2, "KD_FONT_OP_SET_DEFAULT"}, {3, "KD_FONT_OP_COPY"}};
inline constexpr xlat kd_font_ops_xlat{kd_font_ops_field, ~std::uint64_t{0}, {}, {}, "KD_FONT_OP_???"};
/// KD_FONT_FLAG_* (linux/kd.h; KD_FONT_FLAG_OLD is kernel-internal, strace names it).
inline constexpr xlat_entry kd_font_flags_bits[] = {{0x1, "KD_FONT_FLAG_DONT_RECALC"},
                                                    {0x80000000u, "KD_FONT_FLAG_OLD"}};
inline constexpr xlat kd_font_flags_xlat{{}, 0, kd_font_flags_bits, "0", "KD_FONT_FLAG_???"};

/// The console requests (_IO('K', nr): the number alone), sorted by number.
inline constexpr ioctl_entry kd_ioctls[] = {
    {0x4b2f, "KIOCSOUND"},
    {0x4b30, "KDMKTONE"},
    {0x4b31, "KDGETLED"},
    {0x4b32, "KDSETLED"},
    {0x4b33, "KDGKBTYPE"},
    {0x4b34, "KDADDIO"},
    {0x4b35, "KDDELIO"},
    {0x4b36, "KDENABIO", ioctl_shape::none},
    {0x4b37, "KDDISABIO", ioctl_shape::none},
    {0x4b3a, "KDSETMODE", ioctl_shape::enum_value, &kd_modes_xlat},
    {0x4b3b, "KDGETMODE"},
    {0x4b3c, "KDMAPDISP", ioctl_shape::none},
    {0x4b3d, "KDUNMAPDISP", ioctl_shape::none},
    {0x4b40, "GIO_SCRNMAP"},
    {0x4b41, "PIO_SCRNMAP"},
    {0x4b44, "KDGKBMODE"},
    {0x4b45, "KDSKBMODE"},
    {0x4b46, "KDGKBENT"},
    {0x4b47, "KDSKBENT"},
    {0x4b48, "KDGKBSENT"},
    {0x4b49, "KDSKBSENT"},
    {0x4b4a, "KDGKBDIACR"},
    {0x4b4b, "KDSKBDIACR"},
    {0x4b4c, "KDGETKEYCODE"},
    {0x4b4d, "KDSETKEYCODE"},
    {0x4b4e, "KDSIGACCEPT"},
    {0x4b52, "KDKBDREP"},
    {0x4b60, "GIO_FONT"},
    {0x4b61, "PIO_FONT"},
    {0x4b62, "KDGKBMETA"},
    {0x4b63, "KDSKBMETA"},
    {0x4b64, "KDGKBLED"},
    {0x4b65, "KDSKBLED"},
    {0x4b66, "GIO_UNIMAP"},
    {0x4b67, "PIO_UNIMAP"},
    {0x4b68, "PIO_UNIMAPCLR"},
    {0x4b69, "GIO_UNISCRNMAP"},
    {0x4b6a, "PIO_UNISCRNMAP"},
    {0x4b6b, "GIO_FONTX"},
    {0x4b6c, "PIO_FONTX"},
    {0x4b6d, "PIO_FONTRESET", ioctl_shape::none},
    {0x4b70, "GIO_CMAP"},
    {0x4b71, "PIO_CMAP"},
    {0x4b72, "KDFONTOP"},
    {0x4bfa, "KDGKBDIACRUC"},
    {0x4bfb, "KDSKBDIACRUC"},
};
static_assert(ioctl_table_sorted(kd_ioctls), "kd_ioctls must stay sorted by request");

/// Appends `len` bytes at `addr` with every byte in hex (strace's printstr_ex with
/// QUOTE_FORCE_HEX): cut at the string limit with `...`, the address when unreadable.
template <class P>
void put_kd_hex_bytes(P& p, std::uint64_t addr, std::uint64_t len) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  std::size_t limit = p.opts().string_limit;
  auto shown = static_cast<std::size_t>(std::min<std::uint64_t>(len, limit));
  auto fetch = static_cast<std::size_t>(std::min<std::uint64_t>(len, std::uint64_t{limit} + 1));
  if (!p.read_exact(addr, fetch)) return put_hex(out, addr);
  scratch().resize(shown);
  put_quoted(out, scratch(), true);
  if (len > shown) out.append("...");
}

/// Appends a KDSKBMODE mode as strace's printxval_d: the name, or the int in decimal with
/// ` /* K_??? */`; -X raw the number, -X verbose `3 /* K_UNICODE */`.
inline void put_kd_kbd_mode(std::string& out, std::uint32_t v) {
  std::string_view name = find_name(kd_kbd_modes_field, v);
  if (name.empty())
    name = "K_???";
  else if (xlat_abbrev())
    return out.append(name), void();
  put_dec(out, static_cast<std::int32_t>(v));
  if (xlat_raw()) return;
  out.append(" /* "), out.append(name), out.append(" */");
}

/// Appends an element of a unicode screen map: hex, and `UNI_DIRECT_BASE+0x15` for a
/// direct-to-font value (0xf000 | pos under 0x200): alone (abbrev), in a comment
/// (verbose), not at all (raw).
inline void put_kd_uni_entry(std::string& out, std::uint16_t v) {
  bool direct = (v & ~0x1ffu) == 0xf000u;
  if (!xlat_abbrev() || !direct) put_hex(out, v);
  if (xlat_raw() || !direct) return;
  if (xlat_verbose()) out.append(" /* ");
  out.append("UNI_DIRECT_BASE+");
  put_hex(out, v & 0x1ffu);
  if (xlat_verbose()) out.append(" */");
}

/// Appends struct kbdiacrs or kbdiacrsuc at `addr` (a kb_cnt, then at most 256 entries of
/// `size` bytes): `{kb_cnt=1, kbdiacr=[{diacr='(', base=')', result='*'}]}`, `...` after the
/// 256th when kb_cnt is larger.
template <class P>
void put_kd_diacrs(P& p, std::uint64_t addr, bool uc) {
  std::string& out = p.out();
  std::uint32_t cnt;
  if (!p.read_obj(addr, cnt)) return put_ptr(out, addr);
  out.append("{kb_cnt="), put_udec(out, cnt);
  out.append(uc ? ", kbdiacruc=" : ", kbdiacr=");
  std::uint32_t n = std::min<std::uint32_t>(cnt, 256);
  std::size_t size = uc ? 12 : 3;
  std::size_t mark = out.size();
  put_ioctl_structs(p, addr + 4, n, size, [&](const unsigned char* b) {
    if (uc) {
      out.append("{diacr="), put_hex(out, ioctl_field<std::uint32_t>(b, 0));
      out.append(", base="), put_hex(out, ioctl_field<std::uint32_t>(b, 4));
      out.append(", result="), put_hex(out, ioctl_field<std::uint32_t>(b, 8));
    } else {
      out.append("{diacr="), put_kd_char(out, b[0]);
      out.append(", base="), put_kd_char(out, b[1]);
      out.append(", result="), put_kd_char(out, b[2]);
    }
    out.push_back('}');
  });
  // strace's PAF_ARRAY_TRUNCATED: `...` as one more element, unless the array was cut short.
  if (cnt > 256 && out.size() > mark && out.back() == ']' && out.compare(mark, 1, "[") == 0 &&
      out.find("...", mark) == std::string::npos) {
    out.pop_back();
    out.append(n ? ", ...]" : "...]");
  }
  out.push_back('}');
}

/// Appends struct kbd_repeat {int delay, period}.
inline void put_kd_repeat(std::string& out, const std::int32_t (&r)[2]) {
  out.append("{delay="), put_dec(out, r[0]);
  out.append(", period="), put_dec(out, r[1]);
  out.push_back('}');
}

/// Appends the font name of KD_FONT_OP_SET_DEFAULT at `addr`, at most 32 bytes with its NUL
/// (strace's printstr_ex with QUOTE_0_TERMINATED | QUOTE_EXPECT_TRAILING_0): the address
/// when memory ends before the NUL, `...` when no NUL is among the bytes shown.
template <class P>
void put_kd_font_name(P& p, std::uint64_t addr) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  std::size_t limit = p.opts().string_limit;
  std::size_t fetch = std::min<std::size_t>(limit + 1, 32);
  unsigned char name[32];
  std::size_t got = 0;
  for (; got < fetch; ++got) {
    if (!p.read_obj(addr + got, name[got])) return put_hex(out, addr);
    if (name[got] == 0) break;
  }
  std::size_t size = std::min(fetch, limit);
  if (size == 32) --size;
  // strace looks one byte past the bytes shown for the NUL.
  const void* nul = std::memchr(name, 0, std::min(size + 1, got < fetch ? got + 1 : got));
  std::size_t len =
      nul ? std::min(size, static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - name)) : size;
  put_quoted(out, std::span<const unsigned char>(name, len), false, p.opts().hex_strings);
  if (!nul) out.append("...");
}

/// Appends struct console_font_op (uint op, flags, width, height, charcount at 0..16, data
/// at 24) as strace's print_console_font_op: the op and flags at entry only, the fields the
/// op uses, the font data in hex (SET; GET at exit) or the font's name (SET_DEFAULT).
template <class P>
void put_kd_font_op(P& p, const unsigned char* b, bool exit) {
  std::string& out = p.out();
  auto op = ioctl_field<std::uint32_t>(b, 0);
  auto width = ioctl_field<std::uint32_t>(b, 8), charcount = ioctl_field<std::uint32_t>(b, 16);
  auto data = ioctl_field<std::uint64_t>(b, 24);
  out.push_back('{');
  if (!exit) {
    out.append("op="), put_enum(out, kd_font_ops_xlat, op);
    if (op != 2 && op != 3)
      out.append(", flags="), put_flags(out, kd_font_flags_xlat, ioctl_field<std::uint32_t>(b, 4));
    out.append(", ");
  }
  if (op != 3) out.append("width="), put_udec(out, width), out.append(", ");
  out.append("height="), put_udec(out, ioctl_field<std::uint32_t>(b, 12));
  if (op != 2 && op != 3) out.append(", charcount="), put_udec(out, charcount);
  switch (op) {
    case 1:
      if (!exit) {
        out.append(", data="), put_ptr(out, data);
        break;
      }
      [[fallthrough]];
    case 0:
      out.append(", data=");
      put_kd_hex_bytes(p, data,
                       std::uint64_t{(std::min<std::uint32_t>(width, 32) + 7) / 8} * 32 *
                           std::min<std::uint32_t>(charcount, 512));
      break;
    case 2:
      if (!exit) out.append(", data="), put_kd_font_name(p, data);
      break;
    case 3:
      break;
    default:
      out.append(", data="), put_ptr(out, data);
  }
  out.push_back('}');
}

/// Appends kb_string of a struct kbsentry at `addr` (512 bytes, NUL-terminated) as strace's
/// kd_kbd_str_entry: `???` when unreadable before its NUL, at most the string limit of its
/// bytes, the NUL left out, `...` when the bytes shown do not end with it.
template <class P>
void put_kd_func_string(P& p, std::uint64_t addr) {
  std::string& out = p.out();
  unsigned char s[512];
  std::size_t got = 0, ret = 0;  // ret: strlen + 1 when a NUL was read (strace's umovestr)
  while (got < sizeof s && ret == 0) {
    std::size_t chunk = std::min<std::size_t>(sizeof s - got, 4096 - ((addr + got) & 4095));
    if (p.read_exact(addr + got, chunk)) {
      std::memcpy(s + got, scratch().data(), chunk);
    } else {
      // Memory ends inside the page (a partial mapping): byte by byte up to the NUL.
      for (std::size_t k = 0; k < chunk; ++k) {
        if (!p.read_obj(addr + got + k, s[got + k])) return out.append("???"), void();
        if (s[got + k] == 0) {
          chunk = k + 1;
          break;
        }
      }
    }
    if (const void* nul = std::memchr(s + got, 0, chunk))
      ret = static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - s) + 1;
    got += chunk;
  }
  std::size_t n = std::min<std::size_t>(p.opts().string_limit, ret ? ret : sizeof s);
  bool nul_last = n > 0 && s[n - 1] == 0;
  put_quoted(out, std::span<const unsigned char>(s, nul_last ? n - 1 : n), false, p.opts().hex_strings);
  if (!nul_last) out.append("...");
}

/// Prints GIO_UNIMAP's or PIO_UNIMAP's struct unimapdesc {u16 entry_ct; struct unipair
/// *entries} (strace's kd_unimap): the count, and after GIO_UNIMAP the count the kernel
/// wrote, then the pairs; after a failure other than ENOMEM the pointer. strace prints as
/// many pairs as the count at entry; without state between the two calls, this decoder
/// takes the count at exit.
template <class P>
ioctl_step put_kd_unimap(P& p, std::uint64_t arg, bool get, bool exit) {
  std::string& out = p.out();
  unsigned char b[16];
  if (!p.read_obj(arg, b)) return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
  auto count = ioctl_field<std::uint16_t>(b, 0);
  auto entries = ioctl_field<std::uint64_t>(b, 8);
  if (!exit) {
    out.append("{entry_ct="), put_udec(out, count);
    if (get) return ioctl_step::more;
  } else {
    out.append(" => "), put_udec(out, count);
    if (p.failed() && p.ret() != -12) {  // ENOMEM: the kernel wrote the count it needs
      out.append(", entries="), put_ptr(out, entries), out.push_back('}');
      return ioctl_step::done;
    }
  }
  out.append(", entries=");
  put_ioctl_structs(p, entries, count, 4, [&](const unsigned char* u) {
    out.append("{unicode="), put_hex(out, ioctl_field<std::uint16_t>(u, 0));
    out.append(", fontpos="), put_hex(out, ioctl_field<std::uint16_t>(u, 2));
    out.push_back('}');
  });
  out.push_back('}');
  return ioctl_step::done;
}

/// Returns whether console request `code` prints something at exit: the getters, and the
/// in-out structs (KDGETKEYCODE, KDKBDREP, GIO_UNIMAP, GIO_FONTX, KDFONTOP).
constexpr bool kd_has_exit_part(std::uint32_t code) noexcept {
  switch (code) {
    case 0x4b31:
    case 0x4b33:
    case 0x4b3b:
    case 0x4b40:
    case 0x4b44:
    case 0x4b46:
    case 0x4b48:
    case 0x4b4a:
    case 0x4b4c:
    case 0x4b52:
    case 0x4b60:
    case 0x4b62:
    case 0x4b64:
    case 0x4b66:
    case 0x4b69:
    case 0x4b6b:
    case 0x4b70:
    case 0x4b72:
    case 0x4bfa:
      return true;
    default:
      return false;
  }
}

/// Prints the argument of console request `code` at entry or exit (see ioctl_step), as
/// strace's kd_ioctl: `unknown` for a request of another family.
template <class P>
ioctl_step put_kd_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(kd_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  if (exit && !kd_has_exit_part(code)) return ioctl_step::done;  // printed whole at entry
  std::string& out = p.out();
  // The requests that read an argument the call fills in: nothing at entry, at exit the
  // value, or the address after a failure.
  auto get_out = [&](auto put) {
    if (!exit) return ioctl_step::more;
    if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
    put();
    return ioctl_step::done;
  };
  switch (code) {
    case 0x4b2f: {  // KIOCSOUND: the PIT counter, the tone's frequency in a comment
      put_udec(out, arg);
      auto freq = static_cast<std::uint32_t>(arg ? 1193182 / arg : 0);
      if (!xlat_raw()) {
        if (freq)
          out.append(" /* "), put_udec(out, freq), out.append(" Hz */");
        else
          out.append(" /* off */");
      }
      return ioctl_step::done;
    }
    case 0x4b30: {  // KDMKTONE: ticks << 16 | counter
      auto v = static_cast<std::uint32_t>(arg);
      std::uint32_t ticks = v >> 16, count = v & 0xffff;
      if (ticks) put_udec(out, ticks), out.append("<<16|");
      put_udec(out, count);
      if (!xlat_raw()) {
        if (ticks && count)
          out.append(" /* "), put_udec(out, 1193182 / count), out.append(" Hz, "), put_udec(out, ticks),
              out.append(" ms */");
        else
          out.append(" /* off */");
      }
      return ioctl_step::done;
    }
    case 0x4b31:  // KDGETLED
    case 0x4b64:  // KDGKBLED
      return get_out([&] {
        put_ioctl_indirect<std::uint8_t>(p, arg, [&](std::uint8_t v) {
          put_flags(out, code == 0x4b64 ? kd_default_led_xlat : kd_led_xlat, v);
        });
      });
    case 0x4b32:  // KDSETLED
    case 0x4b65:  // KDSKBLED
      put_flags(out, code == 0x4b65 ? kd_default_led_xlat : kd_led_xlat, arg & 0xff);
      return ioctl_step::done;
    case 0x4b33:  // KDGKBTYPE
      return get_out([&] {
        put_ioctl_indirect<std::uint8_t>(p, arg,
                                         [&](std::uint8_t v) { put_enum(out, kd_kbd_types_xlat, v); });
      });
    case 0x4b34:  // KDADDIO
    case 0x4b35:  // KDDELIO: an I/O port, counted from GPFIRST in the graphics range
      put_hex(out, arg);
      if (arg >= 0x3b4 && arg <= 0x3df && !xlat_raw())
        out.append(" /* GPFIRST + "), put_udec(out, arg - 0x3b4), out.append(" */");
      return ioctl_step::done;
    case 0x4b3b:  // KDGETMODE
      return get_out([&] {
        put_ioctl_indirect<std::uint32_t>(p, arg, [&](std::uint32_t v) { put_enum(out, kd_modes_xlat, v); });
      });
    case 0x4b40:    // GIO_SCRNMAP
    case 0x4b41:    // PIO_SCRNMAP: E_TABSZ bytes
    case 0x4b60:    // GIO_FONT
    case 0x4b61:    // PIO_FONT: 256 characters of 32 lines of 8 pixels
    case 0x4b70:    // GIO_CMAP
    case 0x4b71: {  // PIO_CMAP: 16 colours of 3 bytes
      bool get = code == 0x4b40 || code == 0x4b60 || code == 0x4b70;
      std::uint64_t len = code <= 0x4b41 ? 256 : code <= 0x4b61 ? 8192 : 48;
      if (get && !exit) return ioctl_step::more;
      if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
      put_kd_hex_bytes(p, arg, len);
      return ioctl_step::done;
    }
    case 0x4b69:  // GIO_UNISCRNMAP
    case 0x4b6a:  // PIO_UNISCRNMAP: E_TABSZ unsigned shorts
      if (code == 0x4b69 && !exit) return ioctl_step::more;
      if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
      p.put_array(arg, 256, 2,
                  [&](std::uint64_t v) { put_kd_uni_entry(out, static_cast<std::uint16_t>(v)); });
      return ioctl_step::done;
    case 0x4b44:  // KDGKBMODE
      return get_out([&] {
        put_ioctl_indirect<std::uint32_t>(p, arg, [&](std::uint32_t v) { put_kd_kbd_mode(out, v); });
      });
    case 0x4b45:  // KDSKBMODE
      put_kd_kbd_mode(out, static_cast<std::uint32_t>(arg));
      return ioctl_step::done;
    case 0x4b46:    // KDGKBENT
    case 0x4b47: {  // KDSKBENT: struct kbentry {u8 kb_table, kb_index; u16 kb_value}
      if (!exit) {
        std::uint8_t ti[2];
        if (!p.read_obj(arg, ti)) return put_ptr(out, arg), ioctl_step::done;
        out.append("{kb_table=");
        if (ti[0] < 4)
          put_enum(out, kd_key_tables_xlat, ti[0]);
        else
          put_flags(out, kd_keymap_xlat, ti[0]);
        out.append(", kb_index="), put_udec(out, ti[1]);
        if (code == 0x4b46) return ioctl_step::more;
      } else {
        std::uint8_t ti[2];
        if (!p.read_obj(arg, ti)) return ioctl_step::done;  // its address was printed at entry
        if (p.failed()) return out.push_back('}'), ioctl_step::done;
      }
      std::uint16_t v;
      if (!p.read_obj(arg + 2, v)) return out.append(", kb_value=???}"), ioctl_step::done;
      out.append(", kb_value="), put_hex(out, v);
      if (!xlat_raw()) put_kd_key_value_comment(out, v);
      out.push_back('}');
      return ioctl_step::done;
    }
    case 0x4b48:    // KDGKBSENT
    case 0x4b49: {  // KDSKBSENT: struct kbsentry {u8 kb_func; u8 kb_string[512]}
      if (!exit) {
        std::uint8_t func;
        if (!p.read_obj(arg, func)) return put_ptr(out, arg), ioctl_step::done;
        out.append("{kb_func=");
        if (!xlat_abbrev()) put_hex(out, func);
        if (!xlat_raw()) {
          if (xlat_verbose()) out.append(" /* ");
          out.append("KVAL("), put_kd_fn_key_name(out, func), out.push_back(')');
          if (xlat_verbose()) out.append(" */");
        }
        if (code == 0x4b48) return ioctl_step::more;
      } else {
        std::uint8_t func;
        if (!p.read_obj(arg, func)) return ioctl_step::done;  // its address was printed at entry
        if (p.failed()) return out.push_back('}'), ioctl_step::done;
      }
      out.append(", kb_string=");
      put_kd_func_string(p, arg + 1);
      out.push_back('}');
      return ioctl_step::done;
    }
    case 0x4b4a:    // KDGKBDIACR
    case 0x4b4b:    // KDSKBDIACR
    case 0x4bfa:    // KDGKBDIACRUC
    case 0x4bfb: {  // KDSKBDIACRUC
      bool get = code == 0x4b4a || code == 0x4bfa;
      if (get && !exit) return ioctl_step::more;
      if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
      put_kd_diacrs(p, arg, code >= 0x4bfa);
      return ioctl_step::done;
    }
    case 0x4b4c:    // KDGETKEYCODE
    case 0x4b4d: {  // KDSETKEYCODE: struct kbkeycode {u32 scancode, keycode}
      std::uint32_t kc[2];
      if (!exit) {
        if (!p.read_obj(arg, kc)) return put_ptr(out, arg), ioctl_step::done;
        out.append("{scancode="), put_hex(out, kc[0]);
        out.append(", keycode="), put_hex(out, kc[1]);
        if (code == 0x4b4c) return ioctl_step::more;
        return out.push_back('}'), ioctl_step::done;
      }
      if (!p.read_obj(arg, kc)) return ioctl_step::done;  // its address was printed at entry
      if (!p.failed()) out.append(" => "), put_hex(out, kc[1]);
      out.push_back('}');
      return ioctl_step::done;
    }
    case 0x4b4e:  // KDSIGACCEPT
      if (arg < 0x7fffffff)
        put_signal(out, static_cast<std::int64_t>(arg));
      else
        put_udec(out, arg);
      return ioctl_step::done;
    case 0x4b52: {  // KDKBDREP: struct kbd_repeat, in and out
      std::int32_t r[2];
      if (!exit) {
        if (!p.read_obj(arg, r)) return put_ptr(out, arg), ioctl_step::done;
        put_kd_repeat(out, r);
        return ioctl_step::more;
      }
      if (!p.failed() && p.read_obj(arg, r)) out.append(" => "), put_kd_repeat(out, r);
      return ioctl_step::done;
    }
    case 0x4b62:  // KDGKBMETA
      return get_out([&] {
        put_ioctl_indirect<std::uint32_t>(p, arg, [&](std::uint32_t v) { put_enum(out, kd_meta_xlat, v); });
      });
    case 0x4b63:  // KDSKBMETA
      put_enum(out, kd_meta_xlat, static_cast<std::uint32_t>(arg));
      return ioctl_step::done;
    case 0x4b66:  // GIO_UNIMAP
    case 0x4b67:  // PIO_UNIMAP
      return put_kd_unimap(p, arg, code == 0x4b66, exit);
    case 0x4b68: {  // PIO_UNIMAPCLR: struct unimapinit {u16 size, step, level}
      std::uint16_t u[3];
      if (!p.read_obj(arg, u)) return put_ptr(out, arg), ioctl_step::done;
      out.append("{advised_hashsize="), put_udec(out, u[0]);
      out.append(", advised_hashstep="), put_udec(out, u[1]);
      out.append(", advised_hashlevel="), put_udec(out, u[2]);
      out.push_back('}');
      return ioctl_step::done;
    }
    case 0x4b6b:    // GIO_FONTX
    case 0x4b6c: {  // PIO_FONTX: struct consolefontdesc {u16 charcount, charheight; char *chardata}
      unsigned char b[16];
      if (!exit) {
        if (!p.read_obj(arg, b)) return put_ptr(out, arg), ioctl_step::done;
      } else {
        if (p.failed() || !p.read_obj(arg, b)) return ioctl_step::done;
        out.append(" => ");
      }
      auto count = ioctl_field<std::uint16_t>(b, 0);
      out.append("{charcount="), put_udec(out, count);
      out.append(", charheight="), put_udec(out, ioctl_field<std::uint16_t>(b, 2));
      out.append(", chardata=");
      bool get_entry = code == 0x4b6b && !exit;
      if (get_entry)
        put_ptr(out, ioctl_field<std::uint64_t>(b, 8));
      else
        put_kd_hex_bytes(p, ioctl_field<std::uint64_t>(b, 8),
                         std::uint64_t{std::min<std::uint16_t>(count, 512)} * 32);
      out.push_back('}');
      return get_entry ? ioctl_step::more : ioctl_step::done;
    }
    case 0x4b72: {  // KDFONTOP: struct console_font_op, 32 bytes
      unsigned char b[32];
      if (!exit) {
        if (!p.read_obj(arg, b)) return put_ptr(out, arg), ioctl_step::done;
      } else {
        if (p.failed() || !p.read_obj(arg, b)) return ioctl_step::done;
        auto op = ioctl_field<std::uint32_t>(b, 0);
        if (op == 0 || op == 3) return ioctl_step::done;  // SET and COPY: printed whole at entry
        out.append(" => ");
      }
      put_kd_font_op(p, b, exit);
      auto op = ioctl_field<std::uint32_t>(b, 0);
      return !exit && op != 0 && op != 3 ? ioctl_step::more : ioctl_step::done;
    }
    default:
      return ioctl_step::unknown;
  }
}

}  // namespace snare::format::detail
