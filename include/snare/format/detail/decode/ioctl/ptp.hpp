// Defines the decoder of the PTP hardware clock ioctls of linux/ptp_clock.h (strace's
// ptp.c): the clock's capabilities, external timestamp and periodic output requests, the
// pin functions and the three kinds of system/device clock offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// The flags of struct ptp_extts_request (linux/ptp_clock.h).
inline constexpr xlat_entry ptp_extts_flags_bits[] = {
    {1u << 0, "PTP_ENABLE_FEATURE"},
    {1u << 1, "PTP_RISING_EDGE"},
    {1u << 2, "PTP_FALLING_EDGE"},
    {1u << 3, "PTP_STRICT_FLAGS"},
};
inline constexpr xlat ptp_extts_flags_xlat{{}, 0, ptp_extts_flags_bits, "0", "PTP_???"};

/// The flags of struct ptp_perout_request (linux/ptp_clock.h).
inline constexpr std::uint32_t ptp_perout_duty_cycle = 1u << 1, ptp_perout_phase = 1u << 2;
inline constexpr xlat_entry ptp_perout_flags_bits[] = {
    {1u << 0, "PTP_PEROUT_ONE_SHOT"},
    {ptp_perout_duty_cycle, "PTP_PEROUT_DUTY_CYCLE"},
    {ptp_perout_phase, "PTP_PEROUT_PHASE"},
};
inline constexpr xlat ptp_perout_flags_xlat{{}, 0, ptp_perout_flags_bits, "0", "PTP_PEROUT_???"};

/// enum ptp_pin_function (linux/ptp_clock.h).
inline constexpr xlat_entry ptp_pin_funcs_field[] = {
    {0, "PTP_PF_NONE"},
    {1, "PTP_PF_EXTTS"},
    {2, "PTP_PF_PEROUT"},
    {3, "PTP_PF_PHYSYNC"},
};
inline constexpr xlat ptp_pin_funcs_xlat{ptp_pin_funcs_field, ~std::uint64_t{0}, {}, {}, "PTP_PF_???"};

/// The PTP requests (_IO*('=', nr, struct)): each of the first nine and its "2" twin of
/// kernel 5.15, which checks the reserved fields. Sorted by number.
inline constexpr ioctl_entry ptp_ioctls[] = {
    {0x40043d04, "PTP_ENABLE_PPS", ioctl_shape::hex},
    {0x40043d0d, "PTP_ENABLE_PPS2", ioctl_shape::hex},
    {0x40103d02, "PTP_EXTTS_REQUEST"},
    {0x40103d0b, "PTP_EXTTS_REQUEST2"},
    {0x40383d03, "PTP_PEROUT_REQUEST"},
    {0x40383d0c, "PTP_PEROUT_REQUEST2"},
    {0x40603d07, "PTP_PIN_SETFUNC"},
    {0x40603d10, "PTP_PIN_SETFUNC2"},
    {0x43403d05, "PTP_SYS_OFFSET"},
    {0x43403d0e, "PTP_SYS_OFFSET2"},
    {0x80503d01, "PTP_CLOCK_GETCAPS"},
    {0x80503d0a, "PTP_CLOCK_GETCAPS2"},
    {0xc0403d08, "PTP_SYS_OFFSET_PRECISE"},
    {0xc0403d11, "PTP_SYS_OFFSET_PRECISE2"},
    {0xc0603d06, "PTP_PIN_GETFUNC"},
    {0xc0603d0f, "PTP_PIN_GETFUNC2"},
    {0xc4c03d09, "PTP_SYS_OFFSET_EXTENDED"},
    {0xc4c03d12, "PTP_SYS_OFFSET_EXTENDED2"},
};
static_assert(ioctl_table_sorted(ptp_ioctls), "ptp_ioctls must stay sorted by request");

/// Appends a struct ptp_clock_time (16 bytes: s64 sec, u32 nsec, u32 reserved); `rtc`
/// adds the date it names in a comment (not with -X raw; not for an invalid nsec).
inline void put_ptp_clock_time(std::string& out, const unsigned char* t, bool rtc) {
  auto sec = ioctl_field<std::int64_t>(t, 0);
  auto nsec = ioctl_field<std::uint32_t>(t, 8);
  auto reserved = ioctl_field<std::uint32_t>(t, 12);
  out.append("{sec="), put_dec(out, sec);
  out.append(", nsec="), put_udec(out, nsec);
  if (reserved) out.append(", reserved="), put_hex(out, reserved);
  out.push_back('}');
  if (rtc && !xlat_raw() && nsec < 1000000000) put_time_comment(out, sec, nsec, 9);
}

/// Appends `, rsv=[...]` of the `n` u32 at `r` when one is not zero (strace's PRINT_RSV).
inline void put_ptp_rsv(std::string& out, const unsigned char* r, std::size_t n) {
  bool zero = true;
  for (std::size_t i = 0; i < 4 * n; ++i) zero = zero && r[i] == 0;
  if (zero) return;
  out.append(", rsv=[");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    put_hex(out, ioctl_field<std::uint32_t>(r, 4 * i));
  }
  out.push_back(']');
}

/// Appends `count` clock times from `t` (groups of `group`: [{...}, {...}, {...}] each),
/// cut at the string limit unless verbose.
template <class P>
void put_ptp_times(P& p, const unsigned char* t, std::uint32_t count, std::size_t group) {
  std::string& out = p.out();
  out.push_back('[');
  for (std::uint32_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    if (group == 1) {
      put_ptp_clock_time(out, t + 16 * k, true);
      continue;
    }
    out.push_back('[');
    for (std::size_t g = 0; g < group; ++g) {
      if (g) out.append(", ");
      put_ptp_clock_time(out, t + 16 * (k * group + g), true);
    }
    out.push_back(']');
  }
  out.push_back(']');
}

/// Prints the argument of PTP request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_ptp_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(ptp_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  const bool v2 = (code & 0xff) > 9;
  const unsigned nr = v2 ? (code & 0xff) - 9 : code & 0xff;  // the request of the first nine
  unsigned char b[1216];
  auto read = [&](std::size_t n) {
    if (!p.read_exact(arg, n)) return false;
    std::memcpy(b, scratch().data(), n);
    return true;
  };
  auto read_or_addr = [&](std::size_t n) { return read(n) || (put_ptr(out, arg), false); };
  // Requests the kernel answers: nothing at entry, the reply (or the address) at exit.
  if (nr == 1 || nr == 8) {
    if (!exit) return ioctl_step::more;
    if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
    if (nr == 1 && read_or_addr(80)) {  // struct ptp_clock_caps: 8 ints, rsv[12]
      static constexpr const char* names[] = {"max_adj", "n_alarm", "n_ext_ts",           "n_per_out",
                                              "pps",     "n_pins",  "cross_timestamping", "adjust_phase"};
      out.push_back('{');
      for (std::size_t i = 0; i < 8; ++i) {
        if (i) out.append(", ");
        out.append(names[i]).push_back('=');
        put_dec(out, ioctl_field<std::int32_t>(b, 4 * i));
      }
      put_ptp_rsv(out, b + 32, 12);
      out.push_back('}');
    } else if (nr == 8 && read_or_addr(64)) {  // struct ptp_sys_offset_precise
      out.append("{device="), put_ptp_clock_time(out, b, true);
      out.append(", sys_realtime="), put_ptp_clock_time(out, b + 16, true);
      out.append(", sys_monoraw="), put_ptp_clock_time(out, b + 32, false);
      put_ptp_rsv(out, b + 48, 4);
      out.push_back('}');
    }
    return ioctl_step::done;
  }
  if (nr == 2 || nr == 3 || nr == 7) {  // requests of the caller only
    if (exit) return ioctl_step::done;
    if (nr == 2 && read_or_addr(16)) {  // struct ptp_extts_request
      out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
      out.append(", flags="), put_flags(out, ptp_extts_flags_xlat, ioctl_field<std::uint32_t>(b, 4));
      if (v2) put_ptp_rsv(out, b + 8, 2);
      out.push_back('}');
    } else if (nr == 3 && read_or_addr(56)) {  // struct ptp_perout_request
      auto flags = ioctl_field<std::uint32_t>(b, 36);
      bool phase = flags & ptp_perout_phase;
      out.append(phase ? "{phase=" : "{start="), put_ptp_clock_time(out, b, !phase);
      out.append(", period="), put_ptp_clock_time(out, b + 16, false);
      out.append(", index="), put_udec(out, ioctl_field<std::uint32_t>(b, 32));
      out.append(", flags="), put_flags(out, ptp_perout_flags_xlat, flags);
      if (flags & ptp_perout_duty_cycle)
        out.append(", on="), put_ptp_clock_time(out, b + 40, false);
      else if (v2)
        put_ptp_rsv(out, b + 40, 4);
      out.push_back('}');
    } else if (nr == 7 && read_or_addr(96)) {  // struct ptp_pin_desc: name[64], index, func, chan, rsv[5]
      out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 64));
      out.append(", func="), put_enum(out, ptp_pin_funcs_xlat, ioctl_field<std::uint32_t>(b, 68));
      out.append(", chan="), put_udec(out, ioctl_field<std::uint32_t>(b, 72));
      if (v2) put_ptp_rsv(out, b + 76, 5);
      out.push_back('}');
    }
    return ioctl_step::done;
  }
  if (nr == 6) {  // PTP_PIN_GETFUNC: the index (and rsv) at entry, the rest at exit
    if (!exit) {
      if (!read_or_addr(96)) return ioctl_step::done;
      out.append("{index="), put_udec(out, ioctl_field<std::uint32_t>(b, 64));
      if (v2) put_ptp_rsv(out, b + 76, 5);
      return ioctl_step::more;
    }
    if (!read(96)) {
      // The entry printed the address (nothing to close), unless memory went away since.
      return ioctl_step::done;
    }
    if (!p.failed()) {
      out.append(", name="), put_ioctl_cstring(p, b, 64);
      out.append(", func="), put_enum(out, ptp_pin_funcs_xlat, ioctl_field<std::uint32_t>(b, 68));
      out.append(", chan="), put_udec(out, ioctl_field<std::uint32_t>(b, 72));
    }
    out.push_back('}');
    return ioctl_step::done;
  }
  // PTP_SYS_OFFSET (5) and PTP_SYS_OFFSET_EXTENDED (9): n_samples and rsv[3] at entry,
  // the timestamps at exit (2n+1 single ones, or n triples), n at most PTP_MAX_SAMPLES.
  constexpr std::uint32_t max_samples = 25;
  std::size_t size = nr == 5 ? 832 : 1216;
  if (!exit) {
    if (!read_or_addr(size)) return ioctl_step::done;
    out.append("{n_samples="), put_udec(out, ioctl_field<std::uint32_t>(b, 0));
    put_ptp_rsv(out, b + 4, 3);
    return ioctl_step::more;
  }
  if (!read(size)) return ioctl_step::done;
  if (!p.failed()) {
    std::uint32_t n = std::min(ioctl_field<std::uint32_t>(b, 0), max_samples);
    out.append(", ts=");
    if (nr == 5)
      put_ptp_times(p, b + 16, 2 * n + 1, 1);
    else
      put_ptp_times(p, b + 16, n, 3);
  }
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
