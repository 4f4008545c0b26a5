// Defines the tty structures ioctl's terminal requests carry, printed as strace's term.c
// does: struct termios, termios2, termio and winsize.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The kernel's struct termios (asm-generic/termbits.h: 19 control characters, no speeds).
struct abi_termios {
  std::uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  std::uint8_t c_line;
  std::uint8_t c_cc[19];
};

/// The kernel's struct termios2 (asm-generic/termbits.h): termios and the two speeds.
struct abi_termios2 {
  abi_termios t;
  std::uint32_t c_ispeed, c_ospeed;
};

/// The kernel's struct termio (asm-generic/termios.h): 16-bit flags, 8 control characters.
struct abi_termio {
  std::uint16_t c_iflag, c_oflag, c_cflag, c_lflag;
  std::uint8_t c_line;
  std::uint8_t c_cc[8];
};

/// Appends the four flag words of a termios, termios2 or termio as strace's term.c does:
/// `c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|...|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=...`.
inline void put_term_flags(std::string& out, std::uint64_t iflag, std::uint64_t oflag, std::uint64_t cflag,
                           std::uint64_t lflag) {
  out.append("c_iflag=");
  put_flags(out, term_iflags_xlat, iflag);
  out.append(", c_oflag=");
  std::uint64_t o = oflag;
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
  std::uint64_t c = cflag;
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
  put_flags(out, term_lflags_xlat, lflag);
}

/// Appends `, c_line=N_TTY, c_cc=[[VINTR]=0x3, ...]` (strace -v) from `n` control characters
/// named by `names`.
inline void put_term_line_cc(std::string& out, std::uint8_t line, const std::uint8_t* cc, std::size_t n,
                             std::span<const xlat_entry> names) {
  out.append(", c_line=");
  put_enum(out, term_line_disc_xlat, line);
  out.append(", c_cc=[");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    out.push_back('[');
    auto name = find_name(names, i);
    if (name.empty())
      put_udec(out, i);
    else
      out.append(name);
    out.append("]=");
    put_hex(out, cc[i]);
  }
  out.push_back(']');
}

/// Appends the struct termios at `addr` as strace does: the four flag words by name, then
/// `...`, or with verbose the line discipline and every control character. False when
/// unreadable.
template <class P>
bool put_termios(P& p, std::uint64_t addr) {
  abi_termios t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  out.push_back('{');
  put_term_flags(out, t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  put_term_line_cc(out, t.c_line, t.c_cc, std::size(t.c_cc), termios_cc_field);
  out.push_back('}');
  return true;
}

/// Appends the struct termios2 at `addr` (TCGETS2, TCSETS2): as termios, and with verbose
/// the input and output speeds. False when unreadable.
template <class P>
bool put_termios2(P& p, std::uint64_t addr) {
  abi_termios2 t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  out.push_back('{');
  put_term_flags(out, t.t.c_iflag, t.t.c_oflag, t.t.c_cflag, t.t.c_lflag);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  put_term_line_cc(out, t.t.c_line, t.t.c_cc, std::size(t.t.c_cc), termios_cc_field);
  out.append(", c_ispeed=");
  put_udec(out, t.c_ispeed);
  out.append(", c_ospeed=");
  put_udec(out, t.c_ospeed);
  out.push_back('}');
  return true;
}

/// Appends the struct termio at `addr` (TCGETA, TCSETA*). False when unreadable.
template <class P>
bool put_termio(P& p, std::uint64_t addr) {
  abi_termio t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  out.push_back('{');
  put_term_flags(out, t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  put_term_line_cc(out, t.c_line, t.c_cc, std::size(t.c_cc), termios_cc_field);  // x86 names them as termios'
  out.push_back('}');
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

}  // namespace snare::format::detail
