// Defines the names of the console keyboard's keymap values of linux/keyboard.h (strace's
// xlat/kd_key_*.in): K(type, value) by type, the key tables and the modifier bits, and how
// strace's kd_ioctl.c prints a keymap entry's value (`0x10 /* K(KT_LATIN, '\x10') */`).
#pragma once

#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// K_NORMTAB ... K_ALTSHIFTTAB: the keymaps a kbentry names by number (linux/keyboard.h).
inline constexpr xlat_entry kd_key_tables_field[] = {
    {0, "K_NORMTAB"}, {1, "K_SHIFTTAB"}, {2, "K_ALTTAB"}, {3, "K_ALTSHIFTTAB"}};
inline constexpr xlat kd_key_tables_xlat{kd_key_tables_field, ~std::uint64_t{0}, {}, {}, {}};

/// 1<<KG_*: the modifier bits of any other keymap number (linux/keyboard.h).
inline constexpr xlat_entry kd_keymap_bits[] = {
    {1u << 0, "1<<KG_SHIFT"},  {1u << 1, "1<<KG_ALTGR"},  {1u << 2, "1<<KG_CTRL"},  {1u << 3, "1<<KG_ALT"},
    {1u << 4, "1<<KG_SHIFTL"}, {1u << 5, "1<<KG_SHIFTR"}, {1u << 6, "1<<KG_CTRLL"}, {1u << 7, "1<<KG_CTRLR"},
};
inline constexpr xlat kd_keymap_xlat{{}, 0, kd_keymap_bits, "0", "K_???"};

/// KT_*: the key types, the high byte of a keymap value (linux/keyboard.h).
inline constexpr std::string_view kd_key_type_names[] = {
    "KT_LATIN", "KT_FN",    "KT_SPEC", "KT_PAD",    "KT_DEAD",  "KT_CONS",  "KT_CUR", "KT_SHIFT",
    "KT_META",  "KT_ASCII", "KT_LOCK", "KT_LETTER", "KT_SLOCK", "KT_DEAD2", "KT_BRL"};

/// The names of the values of key types KT_SPEC .. KT_BRL, by low byte (linux/keyboard.h);
/// KT_FN's are computed (kd_fn_key_name).
inline constexpr std::string_view kd_spec_keys[] = {
    "K_HOLE",    "K_ENTER", "K_SH_REGS",     "K_SH_MEM",      "K_SH_STAT",      "K_BREAK",      "K_CONS",
    "K_CAPS",    "K_NUM",   "K_HOLD",        "K_SCROLLFORW",  "K_SCROLLBACK",   "K_BOOT",       "K_CAPSON",
    "K_COMPOSE", "K_SAK",   "K_DECRCONSOLE", "K_INCRCONSOLE", "K_SPAWNCONSOLE", "K_BARENUMLOCK"};
inline constexpr std::string_view kd_pad_keys[] = {
    "K_P0",     "K_P1",     "K_P2",   "K_P3",         "K_P4",      "K_P5",     "K_P6",
    "K_P7",     "K_P8",     "K_P9",   "K_PPLUS",      "K_PMINUS",  "K_PSTAR",  "K_PSLASH",
    "K_PENTER", "K_PCOMMA", "K_PDOT", "K_PPLUSMINUS", "K_PPARENL", "K_PPARENR"};
inline constexpr std::string_view kd_dead_keys[] = {
    "K_DGRAVE",      "K_DACUTE",     "K_DCIRCM",    "K_DTILDE",   "K_DDIERE",    "K_DCEDIL",  "K_DMACRON",
    "K_DBREVE",      "K_DABDOT",     "K_DABRING",   "K_DDBACUTE", "K_DCARON",    "K_DOGONEK", "K_DIOTA",
    "K_DVOICED",     "K_DSEMVOICED", "K_DBEDOT",    "K_DHOOK",    "K_DHORN",     "K_DSTROKE", "K_DABCOMMA",
    "K_DABREVCOMMA", "K_DDBGRAVE",   "K_DINVBREVE", "K_DBECOMMA", "K_DCURRENCY", "K_DGREEK"};
inline constexpr std::string_view kd_cur_keys[] = {"K_DOWN", "K_LEFT", "K_RIGHT", "K_UP"};
inline constexpr std::string_view kd_shift_keys[] = {
    "K_SHIFT", "K_ALTGR", "K_CTRL", "K_ALT", "K_SHIFTL", "K_SHIFTR", "K_CTRLL", "K_CTRLR", "K_CAPSSHIFT"};
inline constexpr std::string_view kd_ascii_keys[] = {
    "K_ASC0", "K_ASC1", "K_ASC2", "K_ASC3", "K_ASC4", "K_ASC5", "K_ASC6", "K_ASC7", "K_ASC8",
    "K_ASC9", "K_HEX0", "K_HEX1", "K_HEX2", "K_HEX3", "K_HEX4", "K_HEX5", "K_HEX6", "K_HEX7",
    "K_HEX8", "K_HEX9", "K_HEXa", "K_HEXb", "K_HEXc", "K_HEXd", "K_HEXe", "K_HEXf"};
inline constexpr std::string_view kd_lock_keys[] = {"K_SHIFTLOCK", "K_ALTGRLOCK",  "K_CTRLLOCK",
                                                    "K_ALTLOCK",   "K_SHIFTLLOCK", "K_SHIFTRLOCK",
                                                    "K_CTRLLLOCK", "K_CTRLRLOCK",  "K_CAPSSHIFTLOCK"};
inline constexpr std::string_view kd_slock_keys[] = {"K_SHIFT_SLOCK", "K_ALTGR_SLOCK",  "K_CTRL_SLOCK",
                                                     "K_ALT_SLOCK",   "K_SHIFTL_SLOCK", "K_SHIFTR_SLOCK",
                                                     "K_CTRLL_SLOCK", "K_CTRLR_SLOCK",  "K_CAPSSHIFT_SLOCK"};
inline constexpr std::string_view kd_brl_keys[] = {"K_BRL_BLANK", "K_BRL_DOT1", "K_BRL_DOT2", "K_BRL_DOT3",
                                                   "K_BRL_DOT4",  "K_BRL_DOT5", "K_BRL_DOT6", "K_BRL_DOT7",
                                                   "K_BRL_DOT8",  "K_BRL_DOT9", "K_BRL_DOT10"};

/// Appends the name of function key `kval` (the low byte of K(KT_FN, kval)): K_F1..K_F20,
/// ten named keys (K_FIND..K_PAUSE), K_F21..K_F245, K_UNDO (linux/keyboard.h).
inline void put_kd_fn_key_name(std::string& out, unsigned kval) {
  static constexpr std::string_view named[] = {"K_FIND", "K_INSERT", "K_REMOVE", "K_SELECT", "K_PGUP",
                                               "K_PGDN", "K_MACRO",  "K_HELP",   "K_DO",     "K_PAUSE"};
  if (kval < 20) return out.append("K_F"), put_udec(out, kval + 1);
  if (kval < 30) return out.append(named[kval - 20]), void();
  if (kval < 255) return out.append("K_F"), put_udec(out, kval - 9);
  out.append("K_UNDO");
}

/// Appends character `c` as strace's print_char(c, SCF_QUOTES | SCF_ESC_WS): 'a', '\'',
/// '\t', '\x00'.
inline void put_kd_char(std::string& out, unsigned char c) {
  static constexpr char digits[] = "0123456789abcdef";
  out.push_back('\'');
  if (c >= ' ' && c <= 0x7e) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(c));
  } else if (c >= '\t' && c <= '\r') {
    out.push_back('\\');
    out.push_back("tnvfr"[c - '\t']);
  } else {
    out.append("\\x");
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  out.push_back('\'');
}

/// Appends the comment strace's kd_kbd_entry adds after a keymap value `v` (not with -X raw):
/// ` /* K_F1 */` when the value's type names it, else ` /* K(KT_LATIN, 'a') */` (a character
/// for the latin, meta, letter and dead2 types, else the low byte in hex).
inline void put_kd_key_value_comment(std::string& out, std::uint16_t v) {
  unsigned ktyp = v >> 8, kval = v & 0xffu;
  auto pick = [&](std::span<const std::string_view> names) -> std::string_view {
    return kval < names.size() ? names[kval] : std::string_view{};
  };
  std::string_view name;
  switch (ktyp) {
    case 1:
      out.append(" /* ");
      put_kd_fn_key_name(out, kval);
      out.append(" */");
      return;
    case 2:
      name = kval == 126 ? "K_ALLOCATED" : kval == 127 ? "K_NOSUCHMAP" : pick(kd_spec_keys);
      break;
    case 3:
      name = pick(kd_pad_keys);
      break;
    case 4:
      name = pick(kd_dead_keys);
      break;
    case 6:
      name = pick(kd_cur_keys);
      break;
    case 7:
      name = pick(kd_shift_keys);
      break;
    case 9:
      name = pick(kd_ascii_keys);
      break;
    case 10:
      name = pick(kd_lock_keys);
      break;
    case 12:
      name = pick(kd_slock_keys);
      break;
    case 14:
      name = pick(kd_brl_keys);
      break;
    default:
      break;
  }
  out.append(" /* ");
  if (!name.empty()) return out.append(name), out.append(" */"), void();
  out.append("K(");
  if (ktyp < std::size(kd_key_type_names))
    out.append(kd_key_type_names[ktyp]);
  else
    put_hex(out, ktyp);
  out.append(", ");
  if (ktyp == 0 || ktyp == 8 || ktyp == 11 || ktyp == 13)
    put_kd_char(out, static_cast<unsigned char>(kval));
  else
    put_hex(out, kval);
  out.append(") */");
}

}  // namespace snare::format::detail
