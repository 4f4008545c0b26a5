// Defines the decoder of the real-time clock ioctls of linux/rtc.h (strace's rtc.c): the
// times and alarms, the PLL info, the voltage-low flags and the RTC_PARAM_* parameters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// RTC_VL_* (linux/rtc.h).
inline constexpr xlat_entry rtc_vl_flags_bits[] = {
    {1u << 0, "RTC_VL_DATA_INVALID"}, {1u << 1, "RTC_VL_BACKUP_LOW"},    {1u << 2, "RTC_VL_BACKUP_EMPTY"},
    {1u << 3, "RTC_VL_ACCURACY_LOW"}, {1u << 4, "RTC_VL_BACKUP_SWITCH"},
};
inline constexpr xlat rtc_vl_flags_xlat{{}, 0, rtc_vl_flags_bits, "0", "RTC_VL_???"};

/// RTC_PARAM_* (linux/rtc.h).
inline constexpr std::uint64_t rtc_param_features = 0, rtc_param_correction = 1, rtc_param_bsm = 2;
inline constexpr xlat_entry rtc_params_field[] = {
    {rtc_param_features, "RTC_PARAM_FEATURES"},
    {rtc_param_correction, "RTC_PARAM_CORRECTION"},
    {rtc_param_bsm, "RTC_PARAM_BACKUP_SWITCH_MODE"},
};
inline constexpr xlat rtc_params_xlat{rtc_params_field, ~std::uint64_t{0}, {}, {}, "RTC_PARAM_???"};

/// The bits of RTC_PARAM_FEATURES, 1 << RTC_FEATURE_* (linux/rtc.h).
inline constexpr xlat_entry rtc_features_bits[] = {
    {1u << 0, "1<<RTC_FEATURE_ALARM"},
    {1u << 1, "1<<RTC_FEATURE_ALARM_RES_MINUTE"},
    {1u << 2, "1<<RTC_FEATURE_NEED_WEEK_DAY"},
    {1u << 3, "1<<RTC_FEATURE_ALARM_RES_2S"},
    {1u << 4, "1<<RTC_FEATURE_UPDATE_INTERRUPT"},
    {1u << 5, "1<<RTC_FEATURE_CORRECTION"},
    {1u << 6, "1<<RTC_FEATURE_BACKUP_SWITCH_MODE"},
    {1u << 7, "1<<RTC_FEATURE_ALARM_WAKEUP_ONLY"},
};
inline constexpr xlat rtc_features_xlat{{}, 0, rtc_features_bits, "0", "1<<RTC_FEATURE_???"};

/// RTC_BSM_* (linux/rtc.h).
inline constexpr xlat_entry rtc_bsm_field[] = {
    {0, "RTC_BSM_DISABLED"},
    {1, "RTC_BSM_DIRECT"},
    {2, "RTC_BSM_LEVEL"},
    {3, "RTC_BSM_STANDBY"},
};
inline constexpr xlat rtc_bsm_xlat{rtc_bsm_field, ~std::uint64_t{0}, {}, {}, "RTC_BSM_???"};

/// RTC_PARAM_GET: an _IOW request whose value the kernel fills in.
inline constexpr std::uint32_t rtc_param_get = 0x40187013;

/// The RTC requests (_IO*('p', nr)), sorted by number; NVRAM_INIT (linux/nvram.h) shares
/// the letter and prints in hex.
inline constexpr ioctl_entry rtc_ioctls[] = {
    {0x7001, "RTC_AIE_ON", ioctl_shape::none},
    {0x7002, "RTC_AIE_OFF", ioctl_shape::none},
    {0x7003, "RTC_UIE_ON", ioctl_shape::none},
    {0x7004, "RTC_UIE_OFF", ioctl_shape::none},
    {0x7005, "RTC_PIE_ON", ioctl_shape::none},
    {0x7006, "RTC_PIE_OFF", ioctl_shape::none},
    {0x700f, "RTC_WIE_ON", ioctl_shape::none},
    {0x7010, "RTC_WIE_OFF", ioctl_shape::none},
    {0x7014, "RTC_VL_CLR", ioctl_shape::none},
    {0x7040, "NVRAM_INIT", ioctl_shape::hex},
    {0x4008700c, "RTC_IRQP_SET", ioctl_shape::ulong_value},
    {0x4008700e, "RTC_EPOCH_SET", ioctl_shape::ulong_value},
    {rtc_param_get, "RTC_PARAM_GET"},
    {0x40187014, "RTC_PARAM_SET"},
    {0x40207012, "RTC_PLL_SET"},
    {0x40247007, "RTC_ALM_SET"},
    {0x4024700a, "RTC_SET_TIME"},
    {0x4028700f, "RTC_WKALM_SET"},
    {0x80047013, "RTC_VL_READ"},
    {0x8008700b, "RTC_IRQP_READ", ioctl_shape::ulong_out},
    {0x8008700d, "RTC_EPOCH_READ", ioctl_shape::ulong_out},
    {0x80207011, "RTC_PLL_GET"},
    {0x80247008, "RTC_ALM_READ"},
    {0x80247009, "RTC_RD_TIME"},
    {0x80287010, "RTC_WKALM_RD"},
};
static_assert(ioctl_table_sorted(rtc_ioctls), "rtc_ioctls must stay sorted by request");

/// Appends a struct rtc_time (nine ints), `...` after tm_year unless verbose.
template <class P>
void put_rtc_time(P& p, const unsigned char* t) {
  static constexpr const char* names[] = {"tm_sec",  "tm_min",  "tm_hour", "tm_mday", "tm_mon",
                                          "tm_year", "tm_wday", "tm_yday", "tm_isdst"};
  std::string& out = p.out();
  out.push_back('{');
  for (std::size_t i = 0; i < 9; ++i) {
    if (i) out.append(", ");
    if (i == 6 && !p.opts().verbose) {
      out.append("...");
      break;
    }
    out.append(names[i]).push_back('=');
    put_dec(out, ioctl_field<std::int32_t>(t, 4 * i));
  }
  out.push_back('}');
}

/// Prints the argument of RTC request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_rtc_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(rtc_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  unsigned char b[40];
  auto read = [&](std::size_t n) {
    if (!p.read_exact(arg, n)) return false;
    std::memcpy(b, scratch().data(), n);
    return true;
  };
  const bool getter = (code >> 30) == 2;  // _IOR: the kernel fills it in
  if (getter) {
    if (!exit) return ioctl_step::more;
    if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
  } else if (exit && code != rtc_param_get) {
    return ioctl_step::done;
  }
  const std::size_t size = (code >> 16) & 0x3fff;
  if (code == rtc_param_get && exit) {       // RTC_PARAM_GET at exit: the value the kernel wrote
    if (!read(24)) return ioctl_step::done;  // its address printed at entry
    out.append(" => ");
    if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
  } else if (!read(size)) {
    return put_ptr(out, arg), ioctl_step::done;
  }
  switch (code & 0xff) {
    case 0x07:  // RTC_ALM_SET
    case 0x08:  // RTC_ALM_READ
    case 0x09:  // RTC_RD_TIME
    case 0x0a:  // RTC_SET_TIME
      put_rtc_time(p, b);
      break;
    case 0x0f:  // RTC_WKALM_SET: enabled, pending (u8), then the time at 4
    case 0x10:  // RTC_WKALM_RD
      out.append("{enabled="), put_udec(out, b[0]);
      out.append(", pending="), put_udec(out, b[1]);
      out.append(", time="), put_rtc_time(p, b + 4);
      out.push_back('}');
      break;
    case 0x11:  // RTC_PLL_GET: six ints, then long pll_clock at 24
    case 0x12: {
      static constexpr const char* fields[] = {"pll_ctrl", "pll_value",   "pll_max",
                                               "pll_min",  "pll_posmult", "pll_negmult"};
      out.push_back('{');
      for (std::size_t i = 0; i < 6; ++i) {
        out.append(fields[i]).push_back('=');
        put_dec(out, ioctl_field<std::int32_t>(b, 4 * i));
        out.append(", ");
      }
      out.append("pll_clock="), put_dec(out, ioctl_field<std::int64_t>(b, 24));
      out.push_back('}');
      break;
    }
    case 0x13:
      if (code == 0x80047013) {  // RTC_VL_READ
        out.push_back('['), put_flags(out, rtc_vl_flags_xlat, ioctl_field<std::uint32_t>(b, 0)),
            out.push_back(']');
        break;
      }
      [[fallthrough]];
    case 0x14: {  // RTC_PARAM_GET, RTC_PARAM_SET: param, value (u64), index, __pad (u32)
      auto param = ioctl_field<std::uint64_t>(b, 0);
      auto value = ioctl_field<std::uint64_t>(b, 8);
      bool get = code == rtc_param_get;
      field_sep f{out};
      out.push_back('{');
      if (!exit) put_enum(f("param"), rtc_params_xlat, param);
      if (!exit != get) {  // the value: set's at entry, get's at exit
        if (param == rtc_param_features)
          put_flags(f("uvalue"), rtc_features_xlat, value);
        else if (param == rtc_param_correction)
          put_dec(f("svalue"), static_cast<std::int64_t>(value));
        else if (param == rtc_param_bsm)
          put_enum(f("uvalue"), rtc_bsm_xlat, value);
        else
          put_hex(f("uvalue"), value);
      }
      if (!exit) put_udec(f("index"), ioctl_field<std::uint32_t>(b, 16));
      if (auto pad = ioctl_field<std::uint32_t>(b, 20)) put_hex(f("__pad"), pad);
      out.push_back('}');
      return !exit && get ? ioctl_step::more : ioctl_step::done;
    }
    default:
      break;
  }
  return ioctl_step::done;
}

}  // namespace snare::format::detail
