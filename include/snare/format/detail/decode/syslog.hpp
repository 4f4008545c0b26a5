// Defines the decoders of syslog and reboot (strace's syslog.c, reboot.c): syslog's action
// and console level in decimal with their names in a comment, the buffer the read actions
// fill in; reboot's magic numbers and LINUX_REBOOT_CMD_RESTART2's string.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// syslog: no buffer or length for the actions that take none.
template <>
struct decoder<sys::call_id::syslog> {
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    switch (p.arg(0) & 0xffffffffu) {
      case 0:
      case 1:
      case 5:
      case 6:
      case 7:
      case 9:
      case 10:  // CLOSE, OPEN, CLEAR, CONSOLE_OFF, CONSOLE_ON, SIZE_UNREAD, SIZE_BUFFER
        return std::min<std::size_t>(n, 1);
      default:
        return n;
    }
  }
  // The read actions (READ, READ_ALL, READ_CLEAR) print the buffer and length at exit.
  static bool reads(std::uint64_t type) noexcept {
    auto t = static_cast<std::uint32_t>(type);
    return t >= 2 && t <= 4;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i >= 1 && reads(p.arg(0));
  }
  // `N /* NAME */` in signed decimal, the number alone with -X raw (strace's
  // XLAT_STYLE_VERBOSE | XLAT_STYLE_FMT_D).
  static void put_numbered(std::string& out, std::int32_t v, std::string_view name,
                           std::string_view unknown) {
    put_dec(out, v);
    if (xlat_raw()) return;
    out.append(" /* ").append(name.empty() ? unknown : name).append(" */");
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    static constexpr std::string_view levels[] = {"LOGLEVEL_EMERG", "LOGLEVEL_ALERT",   "LOGLEVEL_CRIT",
                                                  "LOGLEVEL_ERR",   "LOGLEVEL_WARNING", "LOGLEVEL_NOTICE",
                                                  "LOGLEVEL_INFO",  "LOGLEVEL_DEBUG",   "LOGLEVEL_DEBUG+1"};
    std::string& out = p.out();
    auto type = static_cast<std::int32_t>(p.arg(0));
    if (i == 0) {
      auto name = find_name(syslog_type_field, static_cast<std::uint32_t>(type));
      put_numbered(out, type, name, "SYSLOG_ACTION_???");
      return true;
    }
    if (i == 1) {
      if (reads(p.arg(0)) && exit && !p.failed() && p.arg(1) != 0)
        return p.put_buffer(p.arg(1), static_cast<std::uint64_t>(std::max<std::int64_t>(p.ret(), 0))), true;
      return put_ptr(out, p.arg(1)), true;
    }
    auto len = static_cast<std::int32_t>(p.arg(2));
    if (type == 8) {  // SYSLOG_ACTION_CONSOLE_LEVEL
      std::string_view name = len >= 0 && len < 9 ? levels[len] : std::string_view{};
      put_numbered(out, len, name, "LOGLEVEL_???");
      return true;
    }
    put_dec(out, len);
    return true;
  }
};

/// reboot: the magic numbers by name; the argument only for LINUX_REBOOT_CMD_RESTART2.
template <>
struct decoder<sys::call_id::reboot> {
  static constexpr std::uint64_t restart2 = 0xa1b2c3d4;
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return (p.arg(2) & 0xffffffffu) == restart2 ? n : std::min<std::size_t>(n, 3);
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0 || i == 1) return put_enum(p.out(), reboot_magic_xlat, p.arg(i) & 0xffffffffu), true;
    // The kernel copies at most 255 bytes into its 256-byte buffer (strace's reboot.c:
    // printstr_ex of 255 bytes, `...` when they hold no NUL, the address when unreadable).
    if (i == 3) return p.put_cstring_n(p.arg(3), 255), true;
    return false;
  }
};

}  // namespace snare::format::detail
