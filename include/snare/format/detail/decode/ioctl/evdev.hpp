// Defines the decoder of the input event device ioctls of linux/input.h (strace's evdev.c,
// evdev_mpers.c and evdev_decode_number of ioctl.c): the parametric request names
// (EVIOCGABS(ABS_X), EVIOCGBIT(EV_KEY, 96)), the ids, key codes, axis infos, bit sets and
// force-feedback effects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The evdev requests of fixed number (_IO*('E', nr)), sorted by number. The others are
/// parametric (a length, an axis or an event type in the number) and named by
/// put_evdev_ioctl_name.
inline constexpr ioctl_entry evdev_ioctls[] = {
    {0x40044581, "EVIOCRMFF", ioctl_shape::int_value},
    {0x40044590, "EVIOCGRAB", ioctl_shape::ulong_value},
    {0x40044591, "EVIOCREVOKE", ioctl_shape::ulong_value},
    {0x400445a0, "EVIOCSCLOCKID", ioctl_shape::uint_in},
    {0x40084503, "EVIOCSREP"},
    {0x40084504, "EVIOCSKEYCODE"},
    {0x40104593, "EVIOCSMASK"},
    {0x40284504, "EVIOCSKEYCODE_V2"},
    {0x40304580, "EVIOCSFF"},
    {0x80044501, "EVIOCGVERSION"},
    {0x80044584, "EVIOCGEFFECTS", ioctl_shape::uint_out},
    {0x80084502, "EVIOCGID"},
    {0x80084503, "EVIOCGREP"},
    {0x80084504, "EVIOCGKEYCODE"},
    {0x80104592, "EVIOCGMASK"},
    {0x80284504, "EVIOCGKEYCODE_V2"},
};
static_assert(ioctl_table_sorted(evdev_ioctls), "evdev_ioctls must stay sorted by request");

/// The ioctl type of evdev ('E') and the limits of its codes (linux/input-event-codes.h).
inline constexpr std::uint32_t evdev_type = 'E';
inline constexpr std::uint32_t evdev_ev_max = 0x1f, evdev_abs_max = 0x3f, evdev_key_max = 0x2ff,
                               evdev_rel_max = 0x0f, evdev_msc_max = 0x07, evdev_sw_max = 0x10,
                               evdev_led_max = 0x0f, evdev_snd_max = 0x07, evdev_rep_max = 0x01,
                               evdev_ff_max = 0x7f, evdev_ff_status_max = 0x01, evdev_prop_max = 0x1f;

/// Appends `v` named by `x` inside a request's name: as everywhere with -X abbrev; with -X
/// verbose (the whole name is then a comment) the name or the bare number, as strace's
/// evdev_decode_number.
inline void put_evdev_name_arg(std::string& out, const xlat& x, std::uint64_t v) {
  if (!xlat_verbose()) return put_enum(out, x, v);
  xlat bare = x;
  bare.unknown = {};
  xlat_style_scope abbrev(xlat_style::abbrev);
  put_enum(out, bare, v);
}

/// Appends the name of a parametric evdev request (`EVIOCGNAME(64)`, `EVIOCGABS(ABS_X)`,
/// `EVIOCGBIT(EV_KEY, 96)`, `EVIOCSABS(0xe /* ABS_??? */)`); false, with nothing appended,
/// for any other request.
inline bool put_evdev_ioctl_name(std::string& out, std::uint32_t code) {
  if (((code >> 8) & 0xff) != evdev_type) return false;
  const std::uint32_t dir = code >> 30, nr = code & 0xff, size = (code >> 16) & 0x3fff;
  if (dir == 1 && nr >= 0xc0) {  // _IOC_WRITE
    out.append("EVIOCSABS(");
    put_evdev_name_arg(out, evdev_abs_xlat, nr - 0xc0);
    out.push_back(')');
    return true;
  }
  if (dir != 2) return false;  // _IOC_READ
  if (nr >= 0x20 && nr <= 0x3f) {
    out.append("EVIOCGBIT(");
    if (nr == 0x20)
      out.push_back('0');
    else
      put_evdev_name_arg(out, evdev_ev_xlat, nr - 0x20);
    out.append(", ");
    put_udec(out, size);
    out.push_back(')');
    return true;
  }
  if (nr >= 0x40 && nr <= 0x7f) {
    out.append("EVIOCGABS(");
    put_evdev_name_arg(out, evdev_abs_xlat, nr - 0x40);
    out.push_back(')');
    return true;
  }
  const char* name = nullptr;
  switch (nr) {
    case 0x06:
      name = "EVIOCGNAME";
      break;
    case 0x07:
      name = "EVIOCGPHYS";
      break;
    case 0x08:
      name = "EVIOCGUNIQ";
      break;
    case 0x09:
      name = "EVIOCGPROP";
      break;
    case 0x0a:
      name = "EVIOCGMTSLOTS";
      break;
    case 0x18:
      name = "EVIOCGKEY";
      break;
    case 0x19:
      name = "EVIOCGLED";
      break;
    case 0x1a:
      name = "EVIOCGSND";
      break;
    case 0x1b:
      name = "EVIOCGSW";
      break;
    default:
      return false;
  }
  out.append(name).push_back('(');
  put_udec(out, size);
  out.push_back(')');
  return true;
}

/// Appends the bits the kernel set in the bit set at `addr` (strace's decode_bitset): the
/// call's return value gives its length in bytes, `max` its last bit. Names in brackets
/// (`[EV_ABS EV_MSC]`, the first four then `...` unless verbose), the words in hex with
/// -X raw, both with -X verbose (`[0x3 /* EV_ABS */] /* [0x8] */`).
template <class P>
void put_evdev_bitset(P& p, std::uint64_t addr, const xlat& x, std::uint32_t max) {
  std::string& out = p.out();
  const auto rval = static_cast<std::uint64_t>(p.ret());
  const std::uint64_t bits = rval > max / 8 ? max : rval * 8;
  const std::size_t size = static_cast<std::size_t>((bits + 7) / 8 + 7) / 8 * 8;  // whole words
  unsigned char b[(evdev_key_max + 1) / 8];
  if (p.failed() || size == 0 || size > sizeof b || addr == 0 || !p.read_exact(addr, size))
    return put_ptr(out, addr);
  std::memcpy(b, scratch().data(), size);
  auto set = [&](std::uint64_t i) { return (b[i / 8] >> (i % 8)) & 1; };
  if (!xlat_raw()) {
    out.push_back('[');
    unsigned shown = 0;
    for (std::uint64_t i = 0; i < bits; ++i) {
      if (!set(i)) continue;
      if (shown) out.push_back(' ');
      if (shown >= 4 && !p.opts().verbose) {
        out.append("...");
        break;
      }
      put_enum(out, x, i);
      ++shown;
    }
    out.push_back(']');
  }
  if (xlat_verbose()) out.append(" /* ");
  if (!xlat_abbrev()) {
    out.push_back('[');
    for (std::size_t w = 0; w < size / 8; ++w) {
      if (w) out.append(", ");
      if (!p.opts().verbose && w == p.opts().string_limit) {
        out.append("...");
        break;
      }
      put_hex(out, ioctl_field<std::uint64_t>(b, 8 * w));
    }
    out.push_back(']');
  }
  if (xlat_verbose()) out.append(" */");
}

/// Appends a struct input_absinfo of the `size` bytes a request's number gives (strace's
/// abs_ioctl): value and minimum, the rest with -v; the address when shorter than the
/// original struct (20 bytes) or unreadable.
template <class P>
void put_evdev_absinfo(P& p, std::uint64_t addr, std::size_t size) {
  std::string& out = p.out();
  constexpr std::size_t orig = 20, full = 24;  // offsetofend(flat), offsetofend(resolution)
  unsigned char b[full] = {};
  const std::size_t n = size < full ? size : full;
  if (size < orig || addr == 0 || !p.read_exact(addr, n)) return put_ptr(out, addr);
  std::memcpy(b, scratch().data(), n);
  static constexpr const char* names[] = {"value", "minimum", "maximum", "fuzz", "flat", "resolution"};
  field_sep f{out};
  out.push_back('{');
  for (std::size_t i = 0; i < 6; ++i) {
    if (i == 2 && !p.opts().verbose) return out.append(", ...}"), void();
    if (i == 5 && size < full) break;
    put_udec(f(names[i]), ioctl_field<std::uint32_t>(b, 4 * i));  // strace prints the __s32 unsigned
  }
  if (size != orig && size != full) out.append(", ...");
  out.push_back('}');
}

/// Appends a struct input_keymap_entry (flags, len, index, keycode, scancode[32]).
template <class P>
void put_evdev_keymap_entry(P& p, const unsigned char* b) {
  std::string& out = p.out();
  out.append("{flags="), put_udec(out, b[0]);
  out.append(", len="), put_udec(out, b[1]);
  if (!p.opts().verbose) return out.append(", ...}"), void();
  out.append(", index="), put_udec(out, ioctl_field<std::uint16_t>(b, 2));
  out.append(", keycode="), put_enum(out, evdev_keycode_xlat, ioctl_field<std::uint32_t>(b, 4));
  out.append(", scancode=[");
  for (std::size_t i = 0; i < 32; ++i) {
    if (i) out.append(", ");
    put_hex(out, b[8 + i]);
  }
  out.append("]}");
}

/// Appends a struct ff_envelope at `b`: {attack_length, attack_level, fade_length, fade_level}.
inline void put_evdev_ff_envelope(std::string& out, const unsigned char* b) {
  out.append("envelope={attack_length="), put_udec(out, ioctl_field<std::uint16_t>(b, 0));
  out.append(", attack_level="), put_udec(out, ioctl_field<std::uint16_t>(b, 2));
  out.append(", fade_length="), put_udec(out, ioctl_field<std::uint16_t>(b, 4));
  out.append(", fade_level="), put_hex(out, ioctl_field<std::uint16_t>(b, 6));
  out.push_back('}');
}

/// Appends a struct ff_effect (EVIOCSFF, 48 bytes on x86-64): type, id and direction, with
/// -v the trigger, the replay and the effect of its type (the union at byte 16).
template <class P>
void put_evdev_ff_effect(P& p, const unsigned char* b) {
  std::string& out = p.out();
  auto u16 = [&](std::size_t off) { return ioctl_field<std::uint16_t>(b, off); };
  auto s16 = [&](std::size_t off) { return ioctl_field<std::int16_t>(b, off); };
  const std::uint16_t type = u16(0);
  out.append("{type="), put_enum(out, evdev_ff_types_xlat, type);
  out.append(", id="), put_dec(out, s16(2));
  out.append(", direction="), put_udec(out, u16(4));
  if (!p.opts().verbose) return out.append(", ...}"), void();
  out.append(", trigger={button="), put_udec(out, u16(6));
  out.append(", interval="), put_udec(out, u16(8));
  out.append("}, replay={length="), put_udec(out, u16(10));
  out.append(", delay="), put_udec(out, u16(12));
  out.push_back('}');
  switch (type) {
    case 0x52:  // FF_CONSTANT
      out.append(", constant={level="), put_dec(out, s16(16));
      out.append(", "), put_evdev_ff_envelope(out, b + 18);
      out.push_back('}');
      break;
    case 0x57:  // FF_RAMP
      out.append(", ramp={start_level="), put_dec(out, s16(16));
      out.append(", end_level="), put_dec(out, s16(18));
      out.append(", "), put_evdev_ff_envelope(out, b + 20);
      out.push_back('}');
      break;
    case 0x51:  // FF_PERIODIC
      out.append(", periodic={waveform="), put_udec(out, u16(16));
      out.append(", period="), put_udec(out, u16(18));
      out.append(", magnitude="), put_dec(out, s16(20));
      out.append(", offset="), put_dec(out, s16(22));
      out.append(", phase="), put_udec(out, u16(24));
      out.append(", "), put_evdev_ff_envelope(out, b + 26);
      out.append(", custom_len="), put_udec(out, ioctl_field<std::uint32_t>(b, 36));
      out.append(", custom_data="), put_ptr(out, ioctl_field<std::uint64_t>(b, 40));
      out.push_back('}');
      break;
    case 0x50:  // FF_RUMBLE
      out.append(", rumble={strong_magnitude="), put_udec(out, u16(16));
      out.append(", weak_magnitude="), put_udec(out, u16(18));
      out.push_back('}');
      break;
    default:
      break;
  }
  out.push_back('}');
}

/// Prints the argument of an _IOR evdev request at exit (strace's evdev_read_ioctl).
template <class P>
void put_evdev_read(P& p, std::uint32_t code, std::uint64_t arg) {
  std::string& out = p.out();
  if (p.failed()) return put_ptr(out, arg);
  unsigned char b[40];
  auto read = [&](std::size_t n) {
    if (!p.read_exact(arg, n)) return put_ptr(out, arg), false;
    std::memcpy(b, scratch().data(), n);
    return true;
  };
  switch (code) {
    case 0x80044501:  // EVIOCGVERSION
      if (read(4)) out.push_back('['), put_hex(out, ioctl_field<std::uint32_t>(b, 0)), out.push_back(']');
      return;
    case 0x80084502:  // EVIOCGID: struct input_id, four __u16
      if (!read(8)) return;
      out.append("{bustype="), put_udec(out, ioctl_field<std::uint16_t>(b, 0));
      out.append(", vendor="), put_udec(out, ioctl_field<std::uint16_t>(b, 2));
      out.append(", product="), put_udec(out, ioctl_field<std::uint16_t>(b, 4));
      out.append(", version="), put_udec(out, ioctl_field<std::uint16_t>(b, 6));
      out.push_back('}');
      return;
    case 0x80084503:  // EVIOCGREP
    case 0x80084504:  // EVIOCGKEYCODE
      if (!read(8)) return;
      out.push_back('['), put_udec(out, ioctl_field<std::uint32_t>(b, 0)), out.append(", ");
      if (code == 0x80084503)
        put_udec(out, ioctl_field<std::uint32_t>(b, 4));
      else
        put_enum(out, evdev_keycode_xlat, ioctl_field<std::uint32_t>(b, 4));
      out.push_back(']');
      return;
    case 0x80284504:  // EVIOCGKEYCODE_V2
      if (read(40)) put_evdev_keymap_entry(p, b);
      return;
    default:
      break;
  }
  const std::uint32_t nr = code & 0xff, size = (code >> 16) & 0x3fff;
  switch (nr) {
    case 0x0a: {  // EVIOCGMTSLOTS(len): {code, values[len / 4 - 1]}
      if (size / 4 == 0 || !read(4)) return size / 4 == 0 ? put_ptr(out, arg) : void();
      out.append("{code="), put_enum(out, evdev_mtslots_xlat, ioctl_field<std::uint32_t>(b, 0));
      out.append(", values=");
      p.put_array(arg + 4, size / 4 - 1, 4,
                  [&](std::uint64_t v) { put_dec(out, static_cast<std::int32_t>(v)); });
      out.push_back('}');
      return;
    }
    case 0x06:  // EVIOCGNAME, EVIOCGPHYS, EVIOCGUNIQ: as many bytes as the call returned
    case 0x07:
    case 0x08:
      return p.put_buffer(arg, static_cast<std::uint64_t>(p.ret()));
    case 0x09:
      return put_evdev_bitset(p, arg, evdev_prop_xlat, evdev_prop_max);
    case 0x1a:
      return put_evdev_bitset(p, arg, evdev_snd_xlat, evdev_snd_max);
    case 0x1b:
      return put_evdev_bitset(p, arg, evdev_switch_xlat, evdev_sw_max);
    case 0x18:
      return put_evdev_bitset(p, arg, evdev_keycode_xlat, evdev_key_max);
    case 0x19:
      return put_evdev_bitset(p, arg, evdev_leds_xlat, evdev_led_max);
    default:
      break;
  }
  if (nr >= 0x40 && nr <= 0x7f) return put_evdev_absinfo(p, arg, size);  // EVIOCGABS(abs)
  if (nr < 0x20 || nr > 0x3f) return put_ptr(out, arg);
  switch (nr - 0x20) {  // EVIOCGBIT(ev, len): the bits of event type ev
    case 0x00:
      return put_evdev_bitset(p, arg, evdev_ev_xlat, evdev_ev_max);
    case 0x01:
      return put_evdev_bitset(p, arg, evdev_keycode_xlat, evdev_key_max);
    case 0x02:
      return put_evdev_bitset(p, arg, evdev_relative_axes_xlat, evdev_rel_max);
    case 0x03:
      return put_evdev_bitset(p, arg, evdev_abs_xlat, evdev_abs_max);
    case 0x04:
      return put_evdev_bitset(p, arg, evdev_misc_xlat, evdev_msc_max);
    case 0x05:
      return put_evdev_bitset(p, arg, evdev_switch_xlat, evdev_sw_max);
    case 0x11:
      return put_evdev_bitset(p, arg, evdev_leds_xlat, evdev_led_max);
    case 0x12:
      return put_evdev_bitset(p, arg, evdev_snd_xlat, evdev_snd_max);
    case 0x14:
      return put_evdev_bitset(p, arg, evdev_autorepeat_xlat, evdev_rep_max);
    case 0x15:
      return put_evdev_bitset(p, arg, evdev_ff_types_xlat, evdev_ff_max);
    case 0x16:  // EV_PWR: an int
      if (read(4)) out.push_back('['), put_dec(out, ioctl_field<std::int32_t>(b, 0)), out.push_back(']');
      return;
    case 0x17:
      return put_evdev_bitset(p, arg, evdev_ff_status_xlat, evdev_ff_status_max);
    default:
      return put_ptr(out, arg);
  }
}

/// Prints the argument of an _IOW evdev request at entry (strace's evdev_write_ioctl).
template <class P>
void put_evdev_write(P& p, std::uint32_t code, std::uint64_t arg) {
  std::string& out = p.out();
  unsigned char b[48];
  auto read = [&](std::size_t n) {
    if (!p.read_exact(arg, n)) return put_ptr(out, arg), false;
    std::memcpy(b, scratch().data(), n);
    return true;
  };
  switch (code) {
    case 0x40084503:  // EVIOCSREP
    case 0x40084504:  // EVIOCSKEYCODE
      if (!read(8)) return;
      out.push_back('['), put_udec(out, ioctl_field<std::uint32_t>(b, 0)), out.append(", ");
      if (code == 0x40084503)
        put_udec(out, ioctl_field<std::uint32_t>(b, 4));
      else
        put_enum(out, evdev_keycode_xlat, ioctl_field<std::uint32_t>(b, 4));
      out.push_back(']');
      return;
    case 0x40284504:  // EVIOCSKEYCODE_V2
      if (read(40)) put_evdev_keymap_entry(p, b);
      return;
    case 0x40304580:  // EVIOCSFF
      if (read(48)) put_evdev_ff_effect(p, b);
      return;
    default:
      break;
  }
  const std::uint32_t nr = code & 0xff;
  if (nr >= 0xc0) return put_evdev_absinfo(p, arg, (code >> 16) & 0x3fff);  // EVIOCSABS(abs)
  put_ptr(out, arg);
}

/// Prints the argument of evdev request `code` (see ioctl_step): an _IOW request's at entry,
/// an _IOR request's at exit; unknown for other requests (their argument in hex).
template <class P>
ioctl_step put_evdev_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (((code >> 8) & 0xff) != evdev_type) return ioctl_step::unknown;
  const std::uint32_t dir = code >> 30;
  if (dir != 1 && dir != 2) return ioctl_step::unknown;
  if (const ioctl_entry* e = find_ioctl_entry(evdev_ioctls, code); e && e->shape != ioctl_shape::custom)
    return put_ioctl_shape(p, *e, arg, exit);
  if (dir == 1) {
    if (!exit) put_evdev_write(p, code, arg);
    return ioctl_step::done;
  }
  if (!exit) return ioctl_step::more;
  put_evdev_read(p, code, arg);
  return ioctl_step::done;
}

}  // namespace snare::format::detail
