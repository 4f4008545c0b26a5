// Defines the decoder of ioctl (strace's ioctl.c and term.c): the request by name from
// the table generated from the kernel headers, and the argument of the tty requests strace
// decodes (struct termios, struct winsize, ints, none); any other argument in hex.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// Appends the name of ioctl request `v`: every name the headers give it (`A or B`), or
/// _IOC(dir, type, nr, size) as strace does.
inline void put_ioctl_name(std::string& out, std::uint64_t v) {
  auto [first, last] =
      std::equal_range(std::begin(ioctl_names), std::end(ioctl_names), xlat_entry{v, {}},
                       [](const xlat_entry& a, const xlat_entry& b) { return a.value < b.value; });
  if (first != last) {
    for (auto it = first; it != last; ++it) {
      if (it != first) out.append(" or ");
      out.append(it->name);
    }
    return;
  }
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

/// The kernel's struct termios (asm-generic/termbits.h: 19 control characters, no speeds).
struct abi_termios {
  std::uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  std::uint8_t c_line;
  std::uint8_t c_cc[19];
};

/// Appends the struct termios at `addr` as strace does: the four flag words by name, then
/// `...`, or with verbose the line discipline and every control character. False when
/// unreadable.
template <class P>
bool put_termios(P& p, std::uint64_t addr) {
  abi_termios t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  out.append("{c_iflag=");
  put_flags(out, term_iflags_xlat, t.c_iflag);
  out.append(", c_oflag=");
  std::uint64_t o = t.c_oflag;
  struct field {
    const xlat& x;
    std::uint64_t mask;
  };
  // NLDLY, CRDLY, TABDLY, BSDLY, VTDLY, FFDLY, each by name, then the remaining bits.
  for (const field& f :
       {field{term_nldly_xlat, 0400}, field{term_crdly_xlat, 03000}, field{term_tabdly_xlat, 014000},
        field{term_bsdly_xlat, 020000}, field{term_vtdly_xlat, 040000}, field{term_ffdly_xlat, 0100000}}) {
    put_enum(out, f.x, o & f.mask);
    out.push_back('|');
    o &= ~f.mask;
  }
  put_flags(out, term_oflags_xlat, o);
  out.append(", c_cflag=");
  std::uint64_t c = t.c_cflag;
  put_enum(out, baud_xlat, c & 010017);  // CBAUD
  out.push_back('|');
  if (c & 002003600000) {  // CIBAUD
    put_enum(out, baud_xlat, (c & 002003600000) >> 16);
    out.append("<<IBSHIFT|");
  }
  put_enum(out, term_csize_xlat, c & 060);
  out.push_back('|');
  put_flags(out, term_cflags_xlat, c & ~std::uint64_t{010017 | 002003600000 | 060});
  out.append(", c_lflag=");
  put_flags(out, term_lflags_xlat, t.c_lflag);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  out.append(", c_line=");
  put_enum(out, term_line_disc_xlat, t.c_line);
  out.append(", c_cc=[");
  for (std::size_t i = 0; i < std::size(t.c_cc); ++i) {
    if (i) out.append(", ");
    out.push_back('[');
    auto name = find_name(termios_cc_field, i);
    if (name.empty())
      put_udec(out, i);
    else
      out.append(name);
    out.append("]=");
    put_hex(out, t.c_cc[i]);
  }
  out.append("]}");
  return true;
}

/// Appends the struct winsize at `addr`: {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}.
template <class P>
bool put_winsize(P& p, std::uint64_t addr) {
  std::uint16_t w[4];
  if (!p.read_obj(addr, w)) return false;
  std::string& out = p.out();
  static constexpr std::string_view names[] = {"{ws_row=", ", ws_col=", ", ws_xpixel=", ", ws_ypixel="};
  for (std::size_t i = 0; i < 4; ++i) {
    out.append(names[i]);
    put_udec(out, w[i]);
  }
  out.push_back('}');
  return true;
}

/// ioctl: the request by name; the tty requests' arguments as strace's term.c prints them
/// (structs and ints the call fills in at exit, nothing for the requests that take none).
template <>
struct decoder<sys::call_id::ioctl> {
  enum class arg_form { hex, none, termios, winsize, int_ptr, int_value, tcxonc, tcflsh, one_char };
  struct form {
    arg_form how;
    bool at_exit;  // the kernel fills it in
  };
  static form form_of(std::uint64_t request) noexcept {
    switch (static_cast<std::uint32_t>(request)) {
      case 0x5401:  // TCGETS
      case 0x5456:  // TIOCGLCKTRMIOS
        return {arg_form::termios, true};
      case 0x5402:
      case 0x5403:
      case 0x5404:  // TCSETS, TCSETSW, TCSETSF
      case 0x5457:  // TIOCSLCKTRMIOS
        return {arg_form::termios, false};
      case 0x5413:  // TIOCGWINSZ
        return {arg_form::winsize, true};
      case 0x5414:  // TIOCSWINSZ
        return {arg_form::winsize, false};
      case 0x540a:  // TCXONC
        return {arg_form::tcxonc, false};
      case 0x540b:  // TCFLSH
        return {arg_form::tcflsh, false};
      case 0x5409:  // TCSBRK
      case 0x5425:  // TCSBRKP
      case 0x540e:  // TIOCSCTTY
        return {arg_form::int_value, false};
      case 0x540f:      // TIOCGPGRP
      case 0x5429:      // TIOCGSID
      case 0x5424:      // TIOCGETD
      case 0x5419:      // TIOCGSOFTCAR
      case 0x80045430:  // TIOCGPTN
      case 0x541b:      // FIONREAD
      case 0x5411:      // TIOCOUTQ
      case 0x80045440:  // TIOCGEXCL
      case 0x80045432:  // TIOCGDEV
        return {arg_form::int_ptr, true};
      case 0x5410:      // TIOCSPGRP
      case 0x5423:      // TIOCSETD
      case 0x5421:      // FIONBIO
      case 0x5452:      // FIOASYNC
      case 0x5420:      // TIOCPKT
      case 0x541a:      // TIOCSSOFTCAR
      case 0x40045431:  // TIOCSPTLCK
        return {arg_form::int_ptr, false};
      case 0x5412:  // TIOCSTI
        return {arg_form::one_char, false};
      case 0x5427:  // TIOCSBRK
      case 0x5428:  // TIOCCBRK
      case 0x541d:  // TIOCCONS
      case 0x5422:  // TIOCNOTTY
      case 0x540c:  // TIOCEXCL
      case 0x540d:  // TIOCNXCL
      case 0x5451:  // FIOCLEX
      case 0x5450:  // FIONCLEX
      case 0x5437:  // TIOCVHANGUP
      case 0x541f:  // TIOCSSERIAL
        return {arg_form::none, false};
      default:
        return {arg_form::hex, false};
    }
  }

  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return form_of(p.arg(1)).how == arg_form::none ? std::min<std::size_t>(n, 2) : n;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 2 && form_of(p.arg(1)).at_exit;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    std::string& out = p.out();
    std::uint64_t v = p.arg(2);
    form f = form_of(p.arg(1));
    // A struct or int the call fills in is only there when it succeeded.
    if (f.at_exit && p.failed()) return put_ptr(out, v), true;
    bool ok = true;
    switch (f.how) {
      case arg_form::termios:
        ok = put_termios(p, v);
        break;
      case arg_form::winsize:
        ok = put_winsize(p, v);
        break;
      case arg_form::int_ptr: {
        std::int32_t n;
        if ((ok = p.read_obj(v, n))) out.push_back('['), put_dec(out, n), out.push_back(']');
        break;
      }
      case arg_form::int_value:
        put_dec(out, static_cast<std::int32_t>(v));
        break;
      case arg_form::tcxonc:
        put_enum(out, tcxonc_xlat, v);
        break;
      case arg_form::tcflsh:
        put_enum(out, tcflsh_xlat, v);
        break;
      case arg_form::one_char:
        p.put_buffer(v, 1);
        break;
      default:
        put_hex(out, v);
    }
    if (!ok) put_ptr(out, v);
    return true;
  }
};

}  // namespace snare::format::detail
