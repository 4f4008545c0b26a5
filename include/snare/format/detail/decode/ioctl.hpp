// Defines the decoder of ioctl (strace's ioctl.c and its per-family decoders: term.c,
// nsfs.c, watchdog_ioctl.c, perf_ioctl.c, random_ioctl.c, lirc_ioctl.c, fs_f_ioctl.c, ...):
// the request by name from the table generated from the kernel headers, and the argument by
// the form a table gives each known request (none, an int, a pointer to an int or to flags,
// a string, a tty struct); any other argument in hex, as strace does.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <snare/format/detail/decode/ioctl/block.hpp>
#include <snare/format/detail/decode/ioctl/btrfs.hpp>
#include <snare/format/detail/decode/ioctl/dm.hpp>
#include <snare/format/detail/decode/ioctl/evdev.hpp>
#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/fiemap.hpp>
#include <snare/format/detail/decode/ioctl/gpio.hpp>
#include <snare/format/detail/decode/ioctl/hdio.hpp>
#include <snare/format/detail/decode/ioctl/kd.hpp>
#include <snare/format/detail/decode/ioctl/kvm.hpp>
#include <snare/format/detail/decode/ioctl/loop.hpp>
#include <snare/format/detail/decode/ioctl/mtd.hpp>
#include <snare/format/detail/decode/ioctl/nbd.hpp>
#include <snare/format/detail/decode/ioctl/perf.hpp>
#include <snare/format/detail/decode/ioctl/ptp.hpp>
#include <snare/format/detail/decode/ioctl/rtc.hpp>
#include <snare/format/detail/decode/ioctl/scsi.hpp>
#include <snare/format/detail/decode/ioctl/seccomp.hpp>
#include <snare/format/detail/decode/ioctl/sock.hpp>
#include <snare/format/detail/decode/ioctl/tee.hpp>
#include <snare/format/detail/decode/ioctl/ubi.hpp>
#include <snare/format/detail/decode/ioctl/uffdio.hpp>
#include <snare/format/detail/decode/ioctl/v4l2.hpp>
#include <snare/format/detail/decode/ioctl_form_structs.hpp>
#include <snare/format/detail/decode/ioctl_term.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// The request tables of the families under decode/ioctl/: names the generated table lacks.
inline constexpr std::span<const ioctl_entry> ioctl_family_tables[] = {
    hdio_ioctls,     // ioctl/hdio.hpp
    fiemap_ioctls,   // ioctl/fiemap.hpp
    seccomp_ioctls,  // ioctl/seccomp.hpp
    gpio_ioctls,     // ioctl/gpio.hpp
    nbd_ioctls,      // ioctl/nbd.hpp
    ptp_ioctls,      // ioctl/ptp.hpp
    rtc_ioctls,      // ioctl/rtc.hpp
    loop_ioctls,     // ioctl/loop.hpp
    ubi_ioctls,      // ioctl/ubi.hpp
    block_ioctls,    // ioctl/block.hpp
    evdev_ioctls,    // ioctl/evdev.hpp
    v4l2_ioctls,     // ioctl/v4l2.hpp
    kd_ioctls,       // ioctl/kd.hpp
    mtd_ioctls,      // ioctl/mtd.hpp
    scsi_ioctls,     // ioctl/scsi.hpp
    uffdio_ioctls,   // ioctl/uffdio.hpp
    kvm_ioctls,      // ioctl/kvm.hpp
    tee_ioctls,      // ioctl/tee.hpp
    sock_ioctls,     // ioctl/sock.hpp
    dm_ioctls,       // ioctl/dm.hpp
    btrfs_ioctls,    // ioctl/btrfs.hpp
};

template <class P>
ioctl_step put_ioctl_family_verbose(P& p, std::uint32_t code, std::uint64_t arg, bool exit);

/// Prints the argument of `code` through the family decoder that knows it (see ioctl_step).
/// In a call -e verbose= leaves out (options::decode_structs false) the families print the
/// address of every structure they would read, as strace's umove_or_printaddr; values
/// (fds, numbers, flags) still print.
template <class P>
ioctl_step put_ioctl_family(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (p.opts().decode_structs) return put_ioctl_family_verbose(p, code, arg, exit);
  bool was = p.set_reads_hidden(true);
  ioctl_step s = put_ioctl_family_verbose(p, code, arg, exit);
  p.set_reads_hidden(was);
  return s;
}

/// Prints the argument of `code` through the family decoder that knows it, reading what it
/// points to.
template <class P>
ioctl_step put_ioctl_family_verbose(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  ioctl_step s = ioctl_step::unknown;
  if ((s = put_hdio_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_fiemap_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_seccomp_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_gpio_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if (const ioctl_entry* e = find_ioctl_entry(nbd_ioctls, code)) return put_ioctl_shape(p, *e, arg, exit);
  if ((s = put_ptp_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_rtc_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_loop_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_ubi_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_block_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_evdev_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_v4l2_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_kd_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_mtd_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_scsi_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_uffdio_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_perf_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_kvm_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_tee_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_sock_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_dm_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  if ((s = put_btrfs_ioctl(p, code, arg, exit)) != ioctl_step::unknown) return s;
  return s;
}

/// Names the generated table lacks of requests beside or among a decoded family's (strace
/// names both of a shared number: `PHN_NOT_OH or RTC_UIE_OFF`).
inline constexpr ioctl_entry ioctl_alias_names[] = {
    {0x7004, "PHN_NOT_OH"},       // linux/phantom.h, beside RTC_UIE_OFF
    {0x6f35, "NET_REMOVE_IF"},    // linux/dvb/net.h, among UBI's 'o' requests
    {0x80046908, "I2OVALIDATE"},  // linux/i2o-dev.h (gone from uapi), beside LIRC_GET_MIN_TIMEOUT
};

/// Appends the name strace's ioctl_decode_command_number gives request `code` from its
/// number (`MIXER_READ(13)`, `HIDIOCGPHYS(8)`: a name with the request's nr or size) and
/// returns true; false (nothing appended) for other requests. Evdev's are not here.
inline bool put_ioctl_number_name(std::string& out, std::uint32_t code) {
  std::uint32_t dir = code >> 30, type = (code >> 8) & 0xff, nr = code & 0xff, size = (code >> 16) & 0x3fff;
  constexpr std::uint32_t w = 1, r = 2, rw = 3;
  auto named = [&](std::string_view name, std::uint32_t n) {
    out.append(name), out.push_back('('), put_udec(out, n), out.push_back(')');
    return true;
  };
  switch (type) {
    case 'H':  // linux/hiddev.h, linux/hidraw.h
      if (dir == r) {
        switch (nr) {
          case 0x04:
            return named("HIDIOCGRAWNAME", size);
          case 0x05:
            return named("HIDIOCGRAWPHYS", size);
          case 0x06:
            return named("HIDIOCSFEATURE", size);
          case 0x08:
            return named("HIDIOCGRAWUNIQ", size);
          case 0x12:
            return named("HIDIOCGPHYS", size);
          default:
            return false;
        }
      }
      if (dir == rw && nr == 0x06) return named("HIDIOCSFEATURE", size);
      if (dir == rw && nr == 0x07) return named("HIDIOCGFEATURE", size);
      return false;
    case 'M':  // linux/soundcard.h
      if (dir == w) return named("MIXER_WRITE", nr);
      if (dir == r) return named("MIXER_READ", nr);
      return false;
    case 'U':  // linux/uinput.h
      return dir == r && nr == 0x2c && named("UI_GET_SYSNAME", size);
    case 'j':  // linux/joystick.h
      return dir == r && nr == 0x13 && named("JSIOCGNAME", size);
    case 'k':  // linux/spi/spidev.h
      return dir == w && nr == 0 && named("SPI_IOC_MESSAGE", size);
    default:
      return false;
  }
}

/// Appends the name of ioctl request `v`: a parametric name (`EVIOCGABS(ABS_X)`, or one its
/// number gives: put_ioctl_number_name), else every name the generated table, the family
/// tables and the aliases give it, in name order (`A or B`); else _IOC(dir, type, nr, size)
/// as strace does.
inline void put_ioctl_name(std::string& out, std::uint64_t v) {
  const bool parametric = put_evdev_ioctl_name(out, static_cast<std::uint32_t>(v)) ||
                          put_ioctl_number_name(out, static_cast<std::uint32_t>(v));
  std::array<std::string_view, 8> names{};
  std::size_t n = 0;
  auto add = [&](std::string_view name) {
    if (n < names.size() && std::find(names.begin(), names.begin() + n, name) == names.begin() + n)
      names[n++] = name;
  };
  auto [first, last] =
      std::equal_range(std::begin(ioctl_names), std::end(ioctl_names), xlat_entry{v, {}},
                       [](const xlat_entry& a, const xlat_entry& b) { return a.value < b.value; });
  for (auto it = first; it != last; ++it) add(it->name);
  auto code = static_cast<std::uint32_t>(v);
  for (auto table : ioctl_family_tables)
    if (const ioctl_entry* e = find_ioctl_entry(table, code)) add(e->name);
  for (const auto& e : ioctl_alias_names)
    if (e.code == code) add(e.name);
  if (n != 0) {
    // An insertion sort of at most 8 names (std::sort's unrolled loop trips GCC 12's
    // -Warray-bounds on so short a range).
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = i; j > 0 && names[j] < names[j - 1]; --j) std::swap(names[j], names[j - 1]);
    for (std::size_t i = 0; i < n; ++i) {
      if (i || parametric) out.append(" or ");
      out.append(names[i]);
    }
    return;
  }
  if (parametric) return;
  static constexpr std::string_view dirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"};
  out.append("_IOC(");
  out.append(dirs[(v >> 30) & 3]);
  out.append(", ");
  put_hex(out, (v >> 8) & 0xff);
  out.append(", ");
  put_hex(out, v & 0xff);
  out.append(", ");
  put_hex(out, (v >> 16) & 0x3fff);
  out.push_back(')');
}

/// Appends an ioctl request (the low 32 bits of `v`) by name (put_ioctl_name); with -X raw
/// its number, with -X verbose `0x5401 /* TCGETS */`.
inline void put_ioctl_request(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  if (!xlat_abbrev()) put_hex(out, v);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  put_ioctl_name(out, v);
  if (xlat_verbose()) out.append(" */");
}

/// How strace prints the third argument of a known ioctl request.
enum class ioctl_arg : unsigned char {
  hex,          ///< the default: the value in hex
  none,         ///< the request takes no argument: nothing is shown
  ptr,          ///< an address: NULL or hex
  int_value,    ///< (int)arg in decimal
  ulong_value,  ///< arg in unsigned decimal
  int_ptr,      ///< [int]
  uint_ptr,     ///< [unsigned int]
  u64_ptr,      ///< [unsigned 64-bit]
  hex_ptr,      ///< [0x1f]: a 32-bit mask
  flags_value,  ///< the low 32 bits of arg as flags of the entry's table
  enum_value,   ///< arg as one value of the entry's table
  flags_ptr,    ///< [flags] of a 32-bit value
  enum_ptr,     ///< [value] of a 32-bit value
  string,       ///< a NUL-terminated string
  one_char,     ///< one byte as a string (TIOCSTI)
  termios,
  termios2,
  termio,
  winsize,
  rand_pool,      ///< struct rand_pool_info: {entropy_count=3, buf_size=8, buf="..."}
  fstrim_range,   ///< struct fstrim_range (FITRIM)
  fsxattr,        ///< struct fsxattr (FS_IOC_FSSETXATTR; with fsx_nextents at exit, GET)
  counter_watch,  ///< struct counter_watch (COUNTER_ADD_WATCH_IOCTL)
};

/// The form of one request's argument: `at_exit` when the kernel fills it in (printed after
/// the call, its address when the call failed); `x` names flags and enumerations. `name` is
/// the request's name, checked against the generated table by tests/format/ioctl_test.cpp.
struct ioctl_form {
  std::uint32_t request;
  std::string_view name;
  ioctl_arg how;
  bool at_exit = false;
  const xlat* x = nullptr;
};

/// The requests whose argument strace decodes, sorted by request (x86-64 values).
inline constexpr ioctl_form ioctl_forms[] = {
    {0x2400, "PERF_EVENT_IOC_ENABLE", ioctl_arg::flags_value, false, &perf_ioctl_flags_xlat},
    {0x2401, "PERF_EVENT_IOC_DISABLE", ioctl_arg::flags_value, false, &perf_ioctl_flags_xlat},
    {0x2402, "PERF_EVENT_IOC_REFRESH", ioctl_arg::int_value},
    {0x2403, "PERF_EVENT_IOC_RESET", ioctl_arg::flags_value, false, &perf_ioctl_flags_xlat},
    {0x2405, "PERF_EVENT_IOC_SET_OUTPUT", ioctl_arg::int_value},
    {0x3e01, "COUNTER_ENABLE_EVENTS_IOCTL", ioctl_arg::none},
    {0x3e02, "COUNTER_DISABLE_EVENTS_IOCTL", ioctl_arg::none},
    {0x5204, "RNDZAPENTCNT", ioctl_arg::none},
    {0x5206, "RNDCLEARPOOL", ioctl_arg::none},
    {0x5207, "RNDRESEEDCRNG", ioctl_arg::none},
    {0x5401, "TCGETS", ioctl_arg::termios, true},
    {0x5402, "TCSETS", ioctl_arg::termios},
    {0x5403, "TCSETSW", ioctl_arg::termios},
    {0x5404, "TCSETSF", ioctl_arg::termios},
    {0x5405, "TCGETA", ioctl_arg::termio, true},
    {0x5406, "TCSETA", ioctl_arg::termio},
    {0x5407, "TCSETAW", ioctl_arg::termio},
    {0x5408, "TCSETAF", ioctl_arg::termio},
    {0x5409, "TCSBRK", ioctl_arg::int_value},
    {0x540a, "TCXONC", ioctl_arg::enum_value, false, &tcxonc_xlat},
    {0x540b, "TCFLSH", ioctl_arg::enum_value, false, &tcflsh_xlat},
    {0x540c, "TIOCEXCL", ioctl_arg::none},
    {0x540d, "TIOCNXCL", ioctl_arg::none},
    {0x540e, "TIOCSCTTY", ioctl_arg::int_value},
    {0x540f, "TIOCGPGRP", ioctl_arg::int_ptr, true},
    {0x5410, "TIOCSPGRP", ioctl_arg::int_ptr},
    {0x5411, "TIOCOUTQ", ioctl_arg::int_ptr, true},
    {0x5412, "TIOCSTI", ioctl_arg::one_char},
    {0x5413, "TIOCGWINSZ", ioctl_arg::winsize, true},
    {0x5414, "TIOCSWINSZ", ioctl_arg::winsize},
    {0x5415, "TIOCMGET", ioctl_arg::flags_ptr, true, &modem_flags_xlat},
    {0x5416, "TIOCMBIS", ioctl_arg::flags_ptr, false, &modem_flags_xlat},
    {0x5417, "TIOCMBIC", ioctl_arg::flags_ptr, false, &modem_flags_xlat},
    {0x5418, "TIOCMSET", ioctl_arg::flags_ptr, false, &modem_flags_xlat},
    {0x5419, "TIOCGSOFTCAR", ioctl_arg::int_ptr, true},
    {0x541a, "TIOCSSOFTCAR", ioctl_arg::int_ptr},
    {0x541b, "FIONREAD", ioctl_arg::int_ptr, true},
    {0x541d, "TIOCCONS", ioctl_arg::none},
    {0x541f, "TIOCSSERIAL", ioctl_arg::none},
    {0x5420, "TIOCPKT", ioctl_arg::int_ptr},
    {0x5421, "FIONBIO", ioctl_arg::int_ptr},
    {0x5422, "TIOCNOTTY", ioctl_arg::none},
    {0x5423, "TIOCSETD", ioctl_arg::int_ptr},
    {0x5424, "TIOCGETD", ioctl_arg::int_ptr, true},
    {0x5425, "TCSBRKP", ioctl_arg::int_value},
    {0x5427, "TIOCSBRK", ioctl_arg::none},
    {0x5428, "TIOCCBRK", ioctl_arg::none},
    {0x5429, "TIOCGSID", ioctl_arg::int_ptr, true},
    {0x5437, "TIOCVHANGUP", ioctl_arg::none},
    {0x5450, "FIONCLEX", ioctl_arg::none},
    {0x5451, "FIOCLEX", ioctl_arg::none},
    {0x5452, "FIOASYNC", ioctl_arg::int_ptr},
    {0x5456, "TIOCGLCKTRMIOS", ioctl_arg::termios, true},
    {0x5457, "TIOCSLCKTRMIOS", ioctl_arg::termios},
    {0xb701, "NS_GET_USERNS", ioctl_arg::none},
    {0xb702, "NS_GET_PARENT", ioctl_arg::none},
    {0xb703, "NS_GET_NSTYPE", ioctl_arg::none},
    {0xb704, "NS_GET_OWNER_UID", ioctl_arg::uint_ptr, true},
    {0x40042408, "PERF_EVENT_IOC_SET_BPF", ioctl_arg::int_value},
    {0x40042409, "PERF_EVENT_IOC_PAUSE_OUTPUT", ioctl_arg::ulong_value},
    {0x40044900, "INOTIFY_IOC_SETNEXTWD", ioctl_arg::int_value},
    {0x40045201, "RNDADDTOENTCNT", ioctl_arg::int_ptr},
    {0x40045431, "TIOCSPTLCK", ioctl_arg::int_ptr},
    {0x40046602, "FS_IOC32_SETFLAGS", ioctl_arg::flags_ptr, false, &fs_ioc_flags_xlat},
    {0x40046911, "LIRC_SET_SEND_MODE", ioctl_arg::enum_ptr, false, &lirc_modes_xlat},
    {0x40046912, "LIRC_SET_REC_MODE", ioctl_arg::enum_ptr, false, &lirc_modes_xlat},
    {0x40046913, "LIRC_SET_SEND_CARRIER", ioctl_arg::uint_ptr},
    {0x40046914, "LIRC_SET_REC_CARRIER", ioctl_arg::uint_ptr},
    {0x40046915, "LIRC_SET_SEND_DUTY_CYCLE", ioctl_arg::uint_ptr},
    {0x40046917, "LIRC_SET_TRANSMITTER_MASK", ioctl_arg::hex_ptr},
    {0x40046918, "LIRC_SET_REC_TIMEOUT", ioctl_arg::uint_ptr},
    {0x40046919, "LIRC_SET_REC_TIMEOUT_REPORTS", ioctl_arg::uint_ptr},
    {0x4004691d, "LIRC_SET_MEASURE_CARRIER_MODE", ioctl_arg::uint_ptr},
    {0x4004691f, "LIRC_SET_REC_CARRIER_RANGE", ioctl_arg::uint_ptr},
    {0x40046923, "LIRC_SET_WIDEBAND_RECEIVER", ioctl_arg::uint_ptr},
    {0x40063e00, "COUNTER_ADD_WATCH_IOCTL", ioctl_arg::counter_watch},
    {0x40082404, "PERF_EVENT_IOC_PERIOD", ioctl_arg::u64_ptr},
    {0x40082406, "PERF_EVENT_IOC_SET_FILTER", ioctl_arg::string},
    {0x40085203, "RNDADDENTROPY", ioctl_arg::rand_pool},
    {0x40086602, "FS_IOC_SETFLAGS", ioctl_arg::flags_ptr, false, &fs_ioc_flags_xlat},
    {0x401c5820, "FS_IOC_FSSETXATTR", ioctl_arg::fsxattr},
    {0x402c542b, "TCSETS2", ioctl_arg::termios2},
    {0x402c542c, "TCSETSW2", ioctl_arg::termios2},
    {0x402c542d, "TCSETSF2", ioctl_arg::termios2},
    {0x80045200, "RNDGETENTCNT", ioctl_arg::int_ptr, true},
    {0x80045430, "TIOCGPTN", ioctl_arg::int_ptr, true},
    {0x80045432, "TIOCGDEV", ioctl_arg::int_ptr, true},
    {0x80045440, "TIOCGEXCL", ioctl_arg::int_ptr, true},
    {0x80045701, "WDIOC_GETSTATUS", ioctl_arg::int_ptr, true},
    {0x80045702, "WDIOC_GETBOOTSTATUS", ioctl_arg::int_ptr, true},
    {0x80045703, "WDIOC_GETTEMP", ioctl_arg::int_ptr, true},
    {0x80045705, "WDIOC_KEEPALIVE", ioctl_arg::none},
    {0x80045707, "WDIOC_GETTIMEOUT", ioctl_arg::int_ptr, true},
    {0x80045709, "WDIOC_GETPRETIMEOUT", ioctl_arg::int_ptr, true},
    {0x8004570a, "WDIOC_GETTIMELEFT", ioctl_arg::int_ptr, true},
    {0x80046601, "FS_IOC32_GETFLAGS", ioctl_arg::flags_ptr, true, &fs_ioc_flags_xlat},
    {0x80046900, "LIRC_GET_FEATURES", ioctl_arg::flags_ptr, true, &lirc_features_xlat},
    {0x80046901, "LIRC_GET_SEND_MODE", ioctl_arg::enum_ptr, true, &lirc_modes_xlat},
    {0x80046902, "LIRC_GET_REC_MODE", ioctl_arg::enum_ptr, true, &lirc_modes_xlat},
    {0x80046907, "LIRC_GET_REC_RESOLUTION", ioctl_arg::uint_ptr, true},
    {0x80046908, "LIRC_GET_MIN_TIMEOUT", ioctl_arg::uint_ptr, true},
    {0x80046909, "LIRC_GET_MAX_TIMEOUT", ioctl_arg::uint_ptr, true},
    {0x8004690f, "LIRC_GET_LENGTH", ioctl_arg::uint_ptr, true},
    {0x80046924, "LIRC_GET_REC_TIMEOUT", ioctl_arg::uint_ptr, true},
    {0x80082407, "PERF_EVENT_IOC_ID", ioctl_arg::u64_ptr, true},
    {0x80086601, "FS_IOC_GETFLAGS", ioctl_arg::flags_ptr, true, &fs_ioc_flags_xlat},
    {0x801c581f, "FS_IOC_FSGETXATTR", ioctl_arg::fsxattr, true},
    {0x802c542a, "TCGETS2", ioctl_arg::termios2, true},
    {0xc0045706, "WDIOC_SETTIMEOUT", ioctl_arg::int_ptr},
    {0xc0045708, "WDIOC_SETPRETIMEOUT", ioctl_arg::int_ptr},
    {0xc0045877, "FIFREEZE", ioctl_arg::none},
    {0xc0045878, "FITHAW", ioctl_arg::none},
    {0xc0185879, "FITRIM", ioctl_arg::fstrim_range},
};

static_assert(std::is_sorted(std::begin(ioctl_forms), std::end(ioctl_forms),
                             [](const ioctl_form& a, const ioctl_form& b) { return a.request < b.request; }),
              "ioctl_forms must stay sorted by request for the binary search");

/// Returns the form of `request`'s argument: hex for a request the table does not know.
inline ioctl_form ioctl_form_of(std::uint64_t request) noexcept {
  auto r = static_cast<std::uint32_t>(request);
  auto it = std::lower_bound(std::begin(ioctl_forms), std::end(ioctl_forms), r,
                             [](const ioctl_form& f, std::uint32_t v) { return f.request < v; });
  if (it != std::end(ioctl_forms) && it->request == r) return *it;
  return {r, {}, ioctl_arg::hex};
}

/// ioctl: the request by name and the argument by its form (ioctl_forms), the structs and
/// ints the call fills in at exit; NS_GET_NSTYPE's result names the namespace type.
template <>
struct decoder<sys::call_id::ioctl> {
  // The fd and the request at entry; the argument at entry, at exit, or in two parts (an
  // in-out struct: `{...} => {...}`), as the request's family decoder or form says.
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    auto code = static_cast<std::uint32_t>(p.arg(1));
    std::uint64_t arg = p.arg(2);
    if (exit) {
      if (put_ioctl_family(p, code, arg, true) != ioctl_step::unknown) return;
      if (at_exit(p, 2)) put_arg(p, 2, true);
      return;
    }
    p.put_fd(static_cast<std::int32_t>(p.arg(0)));
    out.append(", ");
    put_ioctl_request(out, p.arg(1));
    std::size_t mark = out.size();
    out.append(", ");
    ioctl_step s = put_ioctl_family(p, code, arg, false);
    if (s == ioctl_step::no_arg) return out.resize(mark);
    if (s != ioctl_step::unknown) return;
    if (shown_args(p, 3) < 3) return out.resize(mark);
    if (!at_exit(p, 2)) put_arg(p, 2, false);
  }
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return ioctl_form_of(p.arg(1)).how == ioctl_arg::none ? std::min<std::size_t>(n, 2) : n;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 2 && ioctl_form_of(p.arg(1)).at_exit;
  }
  // Appends `[v]` of the 32-bit value at `addr` through `put`; false when unreadable.
  template <class P, class F>
  static bool put_u32_ptr(P& p, std::uint64_t addr, F put) {
    std::uint32_t v;
    if (!p.read_obj(addr, v)) return false;
    p.out().push_back('[');
    put(v);
    p.out().push_back(']');
    return true;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    std::string& out = p.out();
    std::uint64_t v = p.arg(2);
    ioctl_form f = ioctl_form_of(p.arg(1));
    // A struct or int the call fills in is only there when it succeeded.
    if (f.at_exit && p.failed()) return put_ptr(out, v), true;
    bool ok = true;
    switch (f.how) {
      case ioctl_arg::none:
      case ioctl_arg::hex:
        put_hex(out, v);
        break;
      case ioctl_arg::ptr:
        put_ptr(out, v);
        break;
      case ioctl_arg::int_value:
        put_dec(out, static_cast<std::int32_t>(v));
        break;
      case ioctl_arg::ulong_value:
        put_udec(out, v);
        break;
      case ioctl_arg::int_ptr:
        ok = put_u32_ptr(p, v, [&](std::uint32_t n) { put_dec(out, static_cast<std::int32_t>(n)); });
        break;
      case ioctl_arg::uint_ptr:
        ok = put_u32_ptr(p, v, [&](std::uint32_t n) { put_udec(out, n); });
        break;
      case ioctl_arg::hex_ptr:
        ok = put_u32_ptr(p, v, [&](std::uint32_t n) { put_hex(out, n); });
        break;
      case ioctl_arg::flags_ptr:
        ok = put_u32_ptr(p, v, [&](std::uint32_t n) { put_flags(out, *f.x, n); });
        break;
      case ioctl_arg::enum_ptr:
        ok = put_u32_ptr(p, v, [&](std::uint32_t n) { put_enum(out, *f.x, n); });
        break;
      case ioctl_arg::u64_ptr: {
        std::uint64_t n;
        if ((ok = p.read_obj(v, n))) out.push_back('['), put_udec(out, n), out.push_back(']');
        break;
      }
      case ioctl_arg::flags_value:  // strace's printflags takes an unsigned int
        put_flags(out, *f.x, static_cast<std::uint32_t>(v));
        break;
      case ioctl_arg::enum_value:
        put_enum(out, *f.x, v);
        break;
      case ioctl_arg::string:
        p.put_cstring(v, p.opts().string_limit);
        break;
      case ioctl_arg::one_char:
        p.put_buffer(v, 1);
        break;
      case ioctl_arg::termios:
        ok = put_termios(p, v);
        break;
      case ioctl_arg::termios2:
        ok = put_termios2(p, v);
        break;
      case ioctl_arg::termio:
        ok = put_termio(p, v);
        break;
      case ioctl_arg::winsize:
        ok = put_winsize(p, v);
        break;
      case ioctl_arg::rand_pool:
        ok = put_rand_pool(p, v);
        break;
      case ioctl_arg::fstrim_range:
        ok = put_fstrim_range(p, v);
        break;
      case ioctl_arg::fsxattr:
        ok = put_fsxattr(p, v, f.at_exit);
        break;
      case ioctl_arg::counter_watch:
        ok = put_counter_watch(p, v);
        break;
    }
    if (!ok) put_ptr(out, v);
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    // The fd KVM_CREATE_VM and KVM_CREATE_VCPU return (strace's RVAL_FD: its path with -y).
    if (kvm_returns_fd(static_cast<std::uint32_t>(p.arg(1)))) return p.put_fd(p.ret());
    p.put_return_value();
    put_v4l2_result(p, static_cast<std::uint32_t>(p.arg(1)), p.arg(2));  // VIDIOC_CREATE_BUFS
    if (static_cast<std::uint32_t>(p.arg(1)) == kvm_run && p.opts().kvm_vcpu_exit)
      return put_kvm_exit_reason(p);
    if (static_cast<std::uint32_t>(p.arg(1)) != 0xb703)
      return;  // NS_GET_NSTYPE: = 0x20000000 (CLONE_NEWUSER)
    auto name = find_name(setns_types_field, static_cast<std::uint64_t>(p.ret()));
    if (!name.empty()) p.out().append(" (").append(name).push_back(')');
  }
};

}  // namespace snare::format::detail
