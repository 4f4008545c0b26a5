// Defines the decoders of whole-system calls (strace's ustat.c, sysctl.c, kexec.c, time.c's
// adjtimex): ustat's device as makedev(), _sysctl's struct __sysctl_args, kexec_load's
// segments and architecture, kexec_file_load's command line and flags, adjtimex's struct
// timex and the clock state it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/array.hpp>
#include <snare/format/detail/decode/stat.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// ustat: the device (an unsigned int dev_t) as makedev(major, minor) (strace's print_dev_t).
template <>
struct decoder<sys::call_id::ustat> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    return put_dev(p.out(), p.arg(0) & 0xffffffffu), true;
  }
};

/// _sysctl: the struct __sysctl_args its one argument points to, its pointers in hex
/// (strace's sysctl.c; 80 bytes on x86-64, read whole).
template <>
struct decoder<sys::call_id::_sysctl> {
  struct sysctl_args {
    std::uint64_t name;
    std::int32_t nlen, pad;
    std::uint64_t oldval, oldlenp, newval, newlen, unused[4];
  };
  static_assert(sizeof(sysctl_args) == 80);
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    std::string& out = p.out();
    sysctl_args a;
    if (p.arg(0) == 0) return out.append("NULL"), true;
    if (!p.read_obj(p.arg(0), a)) return put_ptr(out, p.arg(0)), true;
    field_sep f{out};
    out.push_back('{');
    put_ptr(f("name"), a.name);
    put_dec(f("nlen"), a.nlen);
    put_ptr(f("oldval"), a.oldval);
    put_ptr(f("oldlenp"), a.oldlenp);
    put_ptr(f("newval"), a.newval);
    put_udec(f("newlen"), a.newlen);
    out.push_back('}');
    return true;
  }
};

/// kexec_load: the entry address, the segments (the address alone past KEXEC_SEGMENT_MAX,
/// 16), the architecture in the flags' high half, then the other flags (strace's kexec.c).
template <>
struct decoder<sys::call_id::kexec_load> {
  struct segment {
    std::uint64_t buf, bufsz, mem, memsz;
  };
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    switch (i) {
      case 0:
        return put_ptr(out, p.arg(0)), true;
      case 2:
        if (p.arg(1) > 16) return put_ptr(out, p.arg(2)), true;
        put_array_of<segment>(p, p.arg(2), p.arg(1), [&](const segment& s) {
          field_sep f{out};
          out.push_back('{');
          put_ptr(f("buf"), s.buf);
          put_udec(f("bufsz"), s.bufsz);
          put_ptr(f("mem"), s.mem);
          put_udec(f("memsz"), s.memsz);
          out.push_back('}');
        });
        return true;
      case 3: {
        constexpr std::uint64_t arch_mask = 0xffff0000;  // KEXEC_ARCH_MASK
        put_enum(out, kexec_arch_xlat, p.arg(3) & arch_mask);
        if (std::uint64_t rest = p.arg(3) & ~arch_mask; rest != 0) {
          out.push_back('|');
          put_flags(out, kexec_load_flags_xlat, rest);
        }
        return true;
      }
      default:
        return false;
    }
  }
};

/// kexec_file_load: the command line as cmdline_len bytes (strace's printstrn), the flags.
template <>
struct decoder<sys::call_id::kexec_file_load> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 3) return p.put_buffer(p.arg(3), p.arg(2)), true;
    if (i == 4) return put_flags(p.out(), kexec_file_load_flags_xlat, p.arg(4)), true;
    return false;
  }
};

/// The x86-64 kernel's struct __kernel_timex (linux/timex.h): 208 bytes.
struct kernel_timex {
  std::uint32_t modes;
  std::int32_t pad0;
  std::int64_t offset, freq, maxerror, esterror;
  std::int32_t status, pad1;
  std::int64_t constant, precision, tolerance;
  std::int64_t tv_sec, tv_usec;
  std::int64_t tick, ppsfreq, jitter;
  std::int32_t shift, pad2;
  std::int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
  std::int32_t tai, pad3[11];
};
static_assert(sizeof(kernel_timex) == 208);

/// Appends the struct timex at `addr` as strace's print_timex64; false when unreadable.
template <class P>
bool put_timex(P& p, std::uint64_t addr) {
  kernel_timex t;
  if (!p.read_obj(addr, t)) return false;
  std::string& out = p.out();
  field_sep f{out};
  out.push_back('{');
  put_flags(f("modes"), adjtimex_modes_xlat, t.modes);
  put_dec(f("offset"), t.offset);
  put_dec(f("freq"), t.freq);
  put_dec(f("maxerror"), t.maxerror);
  put_dec(f("esterror"), t.esterror);
  put_flags(f("status"), adjtimex_status_xlat, static_cast<std::uint32_t>(t.status));
  put_dec(f("constant"), t.constant);
  put_dec(f("precision"), t.precision);
  put_dec(f("tolerance"), t.tolerance);
  put_dec(f("time={tv_sec"), t.tv_sec);
  out.append(", tv_usec=");
  put_udec(out, static_cast<std::uint64_t>(t.tv_usec));
  out.push_back('}');
  put_dec(f("tick"), t.tick);
  put_dec(f("ppsfreq"), t.ppsfreq);
  put_dec(f("jitter"), t.jitter);
  put_dec(f("shift"), t.shift);
  put_dec(f("stabil"), t.stabil);
  put_dec(f("jitcnt"), t.jitcnt);
  put_dec(f("calcnt"), t.calcnt);
  put_dec(f("errcnt"), t.errcnt);
  put_dec(f("stbcnt"), t.stbcnt);
  put_dec(f("tai"), t.tai);
  out.push_back('}');
  return true;
}

/// adjtimex: the struct timex at exit, and the clock state the call returns by name,
/// `5 (TIME_ERROR)`, when the struct could be read (strace's do_adjtimex).
template <>
struct decoder<sys::call_id::adjtimex> {
  template <class P>
  static bool at_exit(const P&, std::size_t) {
    return true;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    std::uint64_t addr = p.arg(0);
    if (addr == 0) return p.out().append("NULL"), true;
    if (p.failed() || !put_timex(p, addr)) put_ptr(p.out(), addr);
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    kernel_timex t;
    auto name = find_name(adjtimex_state_field, static_cast<std::uint64_t>(p.ret()));
    if (p.arg(0) == 0 || name.empty() || !p.read_obj(p.arg(0), t)) return;
    p.out().append(" (").append(name).push_back(')');
  }
};

}  // namespace snare::format::detail
