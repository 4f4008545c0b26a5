// Defines snare::format::detail::printer, which renders one syscall's arguments and
// result from its descriptor, raw registers and guest memory, the way strace does.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <arpa/inet.h>

#include <snare/format/detail/abi.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/options.hpp>
#include <snare/memory.hpp>
#include <snare/sys/arg.hpp>

namespace snare::format::detail {

using sys::arg_desc;
using sys::arg_kind;
using sys::direction;
using sys::flag_set;
using sys::struct_id;
using sys::syscall_desc;

inline constexpr int at_fdcwd = -100;

/// Returns the entry for errno value `err` (name empty when unknown).
inline errno_entry errno_info(int err) noexcept {
  if (err > 0 && static_cast<std::size_t>(err) < std::size(errno_table)) return errno_table[err];
  for (const auto& e : kernel_errno_table)
    if (e.value == err) return {e.name, e.message};
  return {};
}

/// Appends a file type and permission bits: S_IFREG|0644, or 0755 without a type.
inline void put_mode(std::string& out, std::uint64_t mode) {
  std::uint64_t type = mode & 0170000;
  if (type != 0) {
    put_enum(out, mode_type_xlat, type);
    out.push_back('|');
  }
  put_octal(out, mode & 07777);
}

/// Appends an ioctl request: its name, or _IOC(dir, type, nr, size) as strace does.
inline void put_ioctl_request(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  auto name = find_name(ioctl_request_field, v);
  if (!name.empty()) {
    out.append(name);
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

/// Appends a futex operation: FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME.
inline void put_futex_op(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  auto name = find_name(futex_op_field, v & 0x7f);
  if (name.empty()) {
    put_unknown(out, futex_op_xlat, v);
    return;
  }
  out.append(name);
  if (v & 128) out.append("_PRIVATE");
  if (v & 256) out.append("|FUTEX_CLOCK_REALTIME");
  if (std::uint64_t rest = v & ~std::uint64_t{0x1ff}) {
    out.push_back('|');
    put_hex(out, rest);
  }
}

/// Appends a personality as strace does: the execution domain (the low byte) by name, then
/// the flags: PER_LINUX|ADDR_NO_RANDOMIZE, 0x45 /* PER_??? */|0x12300; 0xffffffff (the
/// query) in hex.
inline void put_personality(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  if (v == 0xffffffffu) return put_hex(out, v);
  put_enum(out, personality_xlat, v & personality_xlat.field_mask);
  if (std::uint64_t rest = v & ~personality_xlat.field_mask) {
    out.push_back('|');
    put_flags(out, xlat{{}, 0, personality_xlat.bits, {}, {}}, rest);
  }
}

/// Appends `v` from a flag set or enumeration, with the set's special forms.
inline void put_symbolic(std::string& out, flag_set set, std::uint64_t v) {
  switch (set) {
    case flag_set::ioctl_request:
      return put_ioctl_request(out, v);
    case flag_set::futex_op:
      return put_futex_op(out, v);
    case flag_set::clone_flags: {
      // The low byte is the exit signal, printed last by name.
      std::uint64_t sig = v & 0xff;
      if ((v & ~std::uint64_t{0xff}) != 0 || sig == 0)
        put_flags(out, clone_flags_xlat, v & ~std::uint64_t{0xff});
      if (sig != 0) {
        if ((v & ~std::uint64_t{0xff}) != 0) out.push_back('|');
        put_signal(out, static_cast<std::int64_t>(sig));
      }
      return;
    }
    case flag_set::mmap_flags: {
      std::uint64_t huge = (v >> 26) & 0x3f;
      v &= 0xffffffffu & ~(std::uint64_t{0x3f} << 26);
      put_flags(out, mmap_flags_xlat, v);
      if (huge != 0) {
        out.push_back('|');
        put_udec(out, huge);
        out.append("<<MAP_HUGE_SHIFT");
      }
      return;
    }
    case flag_set::personality:
      return put_personality(out, v);
    case flag_set::quotactl_cmd: {
      // QCMD(subcommand, type), as strace prints it.
      out.append("QCMD(");
      put_enum(out, quotactl_cmd_xlat, (v & 0xffffffffu) >> 8);
      out.append(", ");
      put_enum(out, quota_type_xlat, v & 0xff);
      out.push_back(')');
      return;
    }
    default:
      break;
  }
  if (const xlat* x = xlat_for(set))
    put_flags(out, *x, v & 0xffffffffu);  // flags and enumerations are C ints
  else
    put_hex(out, v);  // flag_set::none: no set
}

/// Appends a siginfo as strace does: {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}.
inline void put_siginfo(std::string& out, const abi::siginfo& si) {
  static constexpr xlat_entry generic_codes[] = {{0, "SI_USER"},           {0x80, "SI_KERNEL"},
                                                 {0xffffffff, "SI_QUEUE"}, {0xfffffffe, "SI_TIMER"},
                                                 {0xfffffffd, "SI_MESGQ"}, {0xfffffffc, "SI_ASYNCIO"},
                                                 {0xfffffffb, "SI_SIGIO"}, {0xfffffffa, "SI_TKILL"}};
  static constexpr xlat_entry chld_codes[] = {{1, "CLD_EXITED"},  {2, "CLD_KILLED"},  {3, "CLD_DUMPED"},
                                              {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"}};
  static constexpr xlat_entry segv_codes[] = {
      {1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"}};
  static constexpr xlat_entry bus_codes[] = {{1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}};
  out.append("{si_signo=");
  put_signal(out, si.si_signo);
  out.append(", si_code=");
  auto code = static_cast<std::uint32_t>(si.si_code);
  bool fault = si.si_signo == 11 || si.si_signo == 7 || si.si_signo == 4 || si.si_signo == 8;
  std::string_view name = find_name(generic_codes, code);
  if (si.si_code > 0 && si.si_code < 0x80) {
    if (si.si_signo == 17)
      name = find_name(chld_codes, code);
    else if (si.si_signo == 11)
      name = find_name(segv_codes, code);
    else if (si.si_signo == 7)
      name = find_name(bus_codes, code);
  }
  if (name.empty())
    put_dec(out, si.si_code);
  else
    out.append(name);
  if (si.si_errno != 0) {
    out.append(", si_errno=");
    put_dec(out, si.si_errno);
  }
  if (si.si_signo == 17 && si.si_code > 0 && si.si_code < 0x80) {
    out.append(", si_pid=");
    put_dec(out, si.u.chld.pid);
    out.append(", si_uid=");
    put_udec(out, si.u.chld.uid);
    out.append(", si_status=");
    if (si.si_code == 1)
      put_dec(out, si.u.chld.status);
    else
      put_signal(out, si.u.chld.status);
    out.append(", si_utime=");
    put_dec(out, si.u.chld.utime);
    out.append(", si_stime=");
    put_dec(out, si.u.chld.stime);
  } else if (si.si_code <= 0) {
    out.append(", si_pid=");
    put_dec(out, si.u.kill.pid);
    out.append(", si_uid=");
    put_udec(out, si.u.kill.uid);
  } else if (fault) {
    out.append(", si_addr=");
    put_ptr(out, si.u.fault.addr);
  }
  out.push_back('}');
}

/// Returns the reusable byte buffer of this thread (no allocation per call once grown).
inline std::string& scratch() {
  thread_local std::string buffer;
  return buffer;
}

/// Renders one call; built per format_entry/format_exit call, holding only references.
template <guest_memory M, fd_resolver R>
class printer {
 public:
  printer(std::string& out, const syscall_desc& d, const std::array<std::uint64_t, 6>& args, M& mem,
          const options& opts, R& resolver) noexcept
      : out_(out), d_(d), a_(args), mem_(mem), o_(opts), r_(resolver) {}

  /// Appends `name(` and the arguments known at entry; a trailing ", " when out-arguments
  /// follow.
  void entry() {
    out_.append(d_.name);
    out_.push_back('(');
    if (is("clone")) return put_clone();
    std::size_t n = shown_args(), k = std::min(first_exit_arg(), n);
    for (std::size_t i = 0; i < k; ++i) {
      if (i) out_.append(", ");
      put_arg(i, false);
    }
    if (k < n && k > 0) out_.append(", ");
  }

  /// Appends the arguments not shown at entry, `)`, and ` = ` with the result.
  void exit(std::int64_t ret, std::size_t line_start) {
    ret_ = ret;
    if (!is("clone")) {
      std::size_t n = shown_args(), k = std::min(first_exit_arg(), n);
      for (std::size_t i = k; i < n; ++i) {
        if (i > k) out_.append(", ");
        put_arg(i, true);
      }
    }
    out_.push_back(')');
    // strace's tabto(): pad to the column, or one space when the line is already past it.
    std::size_t col = out_.size() - line_start;
    auto nl = out_.find_last_of('\n');
    if (nl != std::string::npos && nl >= line_start) col = out_.size() - nl - 1;
    if (o_.align_column != 0 && col < o_.align_column)
      out_.append(o_.align_column - col, ' ');
    else
      out_.push_back(' ');
    out_.append("= ");
    put_return();
  }

 private:
  bool is(std::string_view n) const noexcept { return d_.name == n; }
  bool failed() const noexcept { return ret_ < 0 && ret_ >= -4095; }

  // How many arguments strace shows: fewer than the descriptor has for calls whose later
  // arguments are unused for some commands (open without O_CREAT, fcntl F_GETFL, ...).
  std::size_t shown_args() const noexcept {
    std::size_t n = std::min<std::size_t>(d_.nargs, 6);
    if (is("open") || is("openat")) {
      std::size_t flags_i = is("open") ? 1 : 2;
      if ((a_[flags_i] & (0100 | 020000000)) == 0) return std::min(n, flags_i + 1);
    } else if (is("mknod") || is("mknodat")) {
      std::size_t mode_i = is("mknod") ? 1 : 2;
      std::uint64_t type = a_[mode_i] & 0170000;
      if (type != 0020000 && type != 0060000) return std::min(n, mode_i + 1);
    } else if (is("fcntl")) {
      switch (a_[1] & 0xffffffffu) {
        case 1:
        case 3:
        case 9:
        case 11:
        case 1025:
        case 1032:
        case 1034:  // F_GET{FD,FL,OWN,SIG,LEASE,PIPE_SZ,SEALS}
          return std::min<std::size_t>(n, 2);
        default:
          break;
      }
    } else if (is("futex")) {
      static constexpr std::uint8_t counts[] = {4, 3, 3, 5, 6, 6, 4, 2, 2, 6, 6, 5, 6, 4};
      std::uint64_t cmd = a_[1] & 0x7f;
      if (cmd < std::size(counts)) return std::min<std::size_t>(n, counts[cmd]);
    } else if (is("prctl")) {
      switch (a_[0] & 0xffffffffu) {
        case 3:
        case 7:
        case 13:
        case 21:
        case 30:
        case 39:
        case 42:  // PR_GET_* without arguments
          return std::min<std::size_t>(n, 1);
        case 15:
        case 16:  // PR_SET_NAME, PR_GET_NAME
          return std::min<std::size_t>(n, 2);
        default:
          break;
      }
    } else if (is("arch_prctl") && d_.nargs >= 2) {
      return 2;
    }
    return n;
  }

  // Out-arguments (and value-result pointers) are read after the call; strace prints
  // everything from the first of them on at exit.
  bool at_exit(std::size_t i) const noexcept {
    const arg_desc& a = d_.args[i];
    if (is("futex")) return false;
    if (is("arch_prctl") && i == 1) return (a_[0] == 0x1003 || a_[0] == 0x1004);  // ARCH_GET_FS/GS
    if (a.dir == direction::out) return true;
    if (a.dir == direction::inout)
      return a.kind == arg_kind::structure && (a.type == struct_id::int_ || a.type == struct_id::uint64 ||
                                               a.type == struct_id::sockaddr || a.type == struct_id::msghdr);
    return false;
  }
  std::size_t first_exit_arg() const noexcept {
    std::size_t n = std::min<std::size_t>(d_.nargs, 6);
    for (std::size_t i = 0; i < n; ++i)
      if (at_exit(i)) return i;
    return n;
  }

  // ---- scalars -------------------------------------------------------------------
  void put_fd(std::int64_t fd) {
    if (fd == at_fdcwd)
      out_.append("AT_FDCWD");
    else
      put_dec(out_, fd);
    if (!o_.show_fd_paths || (fd < 0 && fd != at_fdcwd)) return;
    std::size_t mark = out_.size();
    out_.push_back('<');
    if (r_.append_fd_path(static_cast<int>(fd), out_))
      out_.push_back('>');
    else
      out_.resize(mark);
  }

  void put_scalar(const arg_desc& a, std::uint64_t v) {
    switch (a.kind) {
      case arg_kind::int_:
      case arg_kind::ssize:
      case arg_kind::offset:
        return put_dec(out_, static_cast<std::int64_t>(v));
      case arg_kind::uint:
      case arg_kind::size:
        return put_udec(out_, v);
      case arg_kind::hex:
        return put_hex(out_, v);
      case arg_kind::ptr:
        return put_ptr(out_, v);
      case arg_kind::fd:
      case arg_kind::dirfd:
        return put_fd(static_cast<std::int32_t>(v));
      case arg_kind::pid:
        return put_dec(out_, static_cast<std::int32_t>(v));
      case arg_kind::uid:
      case arg_kind::gid:
        if (static_cast<std::uint32_t>(v) == 0xffffffffu) return out_.append("-1"), void();
        return put_udec(out_, static_cast<std::uint32_t>(v));
      case arg_kind::signo:
        return put_signal(out_, static_cast<std::int32_t>(v));
      case arg_kind::mode:
        return put_mode(out_, v & 0xffffffffu);
      case arg_kind::clockid:
        return put_enum(out_, clock_id_xlat, v & 0xffffffffu);
      case arg_kind::flags:
      case arg_kind::enumeration:
        return put_symbolic(out_, a.flags, v);
      default:
        return put_ptr(out_, v);
    }
  }

  // ---- memory ----------------------------------------------------------------------
  // Reads exactly `n` bytes into the thread's scratch buffer; false when not all readable.
  bool read_exact(std::uint64_t addr, std::size_t n) {
    std::string& s = scratch();
    s.resize(n);
    std::size_t done = 0;
    while (done < n) {
      auto got = mem_.read_bytes(
          addr + done, std::span<std::byte>(reinterpret_cast<std::byte*>(s.data()) + done, n - done));
      if (!got || *got == 0) return false;
      done += *got;
    }
    return true;
  }
  template <class T>
  bool read_obj(std::uint64_t addr, T& v) {
    std::byte raw[sizeof(T)];
    std::size_t done = 0;
    while (done < sizeof(T)) {
      auto got = mem_.read_bytes(addr + done, std::span<std::byte>(raw + done, sizeof(T) - done));
      if (!got || *got == 0) return false;
      done += *got;
    }
    std::memcpy(&v, raw, sizeof(T));
    return true;
  }
  // Reads a NUL-terminated string of at most `max` bytes into scratch; returns -1 when its
  // first byte is unreadable, else 1 when cut at `max`, 0 when complete.
  int read_string(std::uint64_t addr, std::size_t max) {
    std::string& s = scratch();
    s.clear();
    std::byte chunk[256];
    std::uint64_t at = addr;
    for (;;) {
      std::size_t page_left = 4096 - (at & 4095);
      std::size_t want = std::min<std::size_t>({sizeof chunk, page_left, max + 1 - s.size()});
      auto got = mem_.read_bytes(at, std::span<std::byte>(chunk, want));
      if (!got || *got == 0) return at == addr ? -1 : 0;
      for (std::size_t i = 0; i < *got; ++i) {
        if (chunk[i] == std::byte{0}) return 0;
        if (s.size() == max) return 1;
        s.push_back(static_cast<char>(chunk[i]));
      }
      at += *got;
    }
  }

  void put_cstring(std::uint64_t addr, std::size_t limit) {
    if (addr == 0) return out_.append("NULL"), void();
    int r = read_string(addr, limit);
    if (r < 0) return put_hex(out_, addr);
    put_quoted(out_, scratch());
    if (r == 1) out_.append("...");
  }

  // A buffer of `len` bytes: the first string_limit of them, `...` after when longer.
  void put_buffer(std::uint64_t addr, std::uint64_t len) {
    if (addr == 0) return out_.append("NULL"), void();
    std::size_t shown = static_cast<std::size_t>(std::min<std::uint64_t>(len, o_.string_limit));
    if (!read_exact(addr, shown)) return put_hex(out_, addr);
    put_quoted(out_, scratch(), is("getrandom"));
    if (len > shown) out_.append("...");
  }

  void put_string_array(std::uint64_t addr, bool abbreviate) {
    if (addr == 0) return out_.append("NULL"), void();
    std::uint64_t first = 0;
    if (!read_obj(addr, first)) return put_hex(out_, addr);
    if (abbreviate) {
      std::uint64_t count = 0, p = first;
      while (p != 0 && count < 1u << 20) {
        ++count;
        if (!read_obj(addr + 8 * count, p)) break;
      }
      put_hex(out_, addr);
      out_.append(" /* ");
      put_udec(out_, count);
      out_.append(count == 1 ? " var */" : " vars */");
      return;
    }
    out_.push_back('[');
    std::uint64_t p = first;
    for (std::size_t i = 0; p != 0; ++i) {
      if (i) out_.append(", ");
      if (i == o_.string_limit) {
        out_.append("...");
        break;
      }
      put_cstring(p, o_.string_limit);
      if (!read_obj(addr + 8 * (i + 1), p)) {
        out_.append(", ...");
        break;
      }
    }
    out_.push_back(']');
  }

  // ---- structs -------------------------------------------------------------------
  std::uint64_t length_of(const arg_desc& a, bool exit) {
    if (a.len == sys::len_from_return) return exit && ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0;
    if (a.len < 0 || a.len > 5) {
      // sigset_t and clone_args take their size from a later size argument.
      for (std::size_t k = 0; k < std::min<std::size_t>(d_.nargs, 6); ++k)
        if (d_.args[k].name == "sigsetsize" || (d_.args[k].name == "size" && k > 0)) return a_[k];
      return a.type == struct_id::sigset ? 8 : 0;
    }
    std::uint64_t v = a_[static_cast<std::size_t>(a.len)];
    const arg_desc& la = d_.args[static_cast<std::size_t>(a.len)];
    if (la.kind == arg_kind::structure || la.kind == arg_kind::ptr) {  // socklen_t* and the like
      std::uint32_t n = 0;
      return read_obj(v, n) ? n : 0;
    }
    return v;
  }

  void put_timespec(const abi::timespec& t) {
    out_.append("{tv_sec=");
    put_dec(out_, t.tv_sec);
    out_.append(", tv_nsec=");
    put_dec(out_, t.tv_nsec);
    out_.push_back('}');
  }
  void put_timeval(const abi::timeval& t) {
    out_.append("{tv_sec=");
    put_dec(out_, t.tv_sec);
    out_.append(", tv_usec=");
    put_dec(out_, t.tv_usec);
    out_.push_back('}');
  }
  void put_rlim(std::uint64_t v) {
    if (v == ~std::uint64_t{0})
      return out_.append(is("prlimit64") ? "RLIM64_INFINITY" : "RLIM_INFINITY"), void();
    if (v > 1024 && v % 1024 == 0) {
      put_udec(out_, v / 1024);
      out_.append("*1024");
    } else {
      put_udec(out_, v);
    }
  }
  void put_dev(std::uint64_t dev) {
    std::uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~std::uint64_t{0xfff});
    std::uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~std::uint64_t{0xff});
    out_.append("makedev(");
    put_hex(out_, major);
    out_.append(", ");
    put_hex(out_, minor);
    out_.push_back(')');
  }
  void put_fixed_string(const char* s, std::size_t cap) {
    std::size_t n = strnlen(s, cap);
    put_quoted(out_, std::string_view(s, n));
  }

  void put_sockaddr(std::uint64_t addr, std::uint64_t len) {
    unsigned char sa[128]{};
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, sizeof sa));
    if (n < 2 || !read_exact(addr, n)) return put_hex(out_, addr);
    std::memcpy(sa, scratch().data(), n);
    std::uint16_t family = static_cast<std::uint16_t>(sa[0] | (sa[1] << 8));
    out_.append("{sa_family=");
    put_enum(out_, socket_family_xlat, family);
    auto port = [&](std::size_t at) { return static_cast<unsigned>((sa[at] << 8) | sa[at + 1]); };
    if (family == 1 && n == 2) {  // AF_UNIX without a path (an unbound socket)
    } else if (family == 1) {     // AF_UNIX
      out_.append(", sun_path=");
      const char* path = reinterpret_cast<const char*>(sa + 2);
      std::size_t cap = n - 2;
      if (cap > 0 && path[0] == '\0') {
        out_.push_back('@');
        put_quoted(out_, std::string_view(path + 1, strnlen(path + 1, cap - 1)));
      } else {
        put_quoted(out_, std::string_view(path, strnlen(path, cap)));
      }
    } else if (family == 2 && n >= 8) {  // AF_INET
      out_.append(", sin_port=htons(");
      put_udec(out_, port(2));
      out_.append("), sin_addr=inet_addr(\"");
      for (int i = 0; i < 4; ++i) {
        if (i) out_.push_back('.');
        put_udec(out_, sa[4 + i]);
      }
      out_.append("\")");
    } else if (family == 10 && n >= 24) {  // AF_INET6
      out_.append(", sin6_port=htons(");
      put_udec(out_, port(2));
      out_.append("), sin6_flowinfo=htonl(");
      put_udec(out_, (std::uint32_t{sa[4]} << 24) | (sa[5] << 16) | (sa[6] << 8) | sa[7]);
      out_.append("), inet_pton(AF_INET6, \"");
      char text[INET6_ADDRSTRLEN] = {};
      ::inet_ntop(10, sa + 8, text, sizeof text);
      out_.append(text);
      out_.append("\", &sin6_addr)");
      if (n >= 28) {
        std::uint32_t scope;
        std::memcpy(&scope, sa + 24, 4);
        out_.append(", sin6_scope_id=");
        put_udec(out_, scope);
      }
    } else {
      out_.append(", sa_data=");
      put_quoted(out_, std::string_view(reinterpret_cast<const char*>(sa + 2), n - 2));
    }
    out_.push_back('}');
  }

  void put_wait_status(std::uint32_t s) {
    out_.append("[{");
    if ((s & 0x7f) == 0) {
      out_.append("WIFEXITED(s) && WEXITSTATUS(s) == ");
      put_udec(out_, (s >> 8) & 0xff);
    } else if ((s & 0xff) == 0x7f) {
      out_.append("WIFSTOPPED(s) && WSTOPSIG(s) == ");
      put_signal(out_, (s >> 8) & 0xff);
      if (s >> 16) {
        out_.append(" && s >> 16 == ");
        put_udec(out_, s >> 16);
      }
    } else if (s == 0xffff) {
      out_.append("WIFCONTINUED(s)");
    } else {
      out_.append("WIFSIGNALED(s) && WTERMSIG(s) == ");
      put_signal(out_, s & 0x7f);
      if (s & 0x80) out_.append(" && WCOREDUMP(s)");
    }
    out_.append("}]");
  }

  // Prints one struct of kind `t` at `addr`; false when it is not decoded (caller prints
  // the address).
  bool put_one(struct_id t, std::uint64_t addr, std::size_t i, bool exit, std::uint64_t& budget) {
    switch (t) {
      case struct_id::stat: {
        abi::stat st;
        if (!read_obj(addr, st)) return false;
        out_.append("{st_mode=");
        put_mode(out_, st.st_mode);
        std::uint32_t type = st.st_mode & 0170000;
        if (type == 0020000 || type == 0060000) {
          out_.append(", st_rdev=");
          put_dev(st.st_rdev);
        } else {
          out_.append(", st_size=");
          put_dec(out_, st.st_size);
        }
        out_.append(", ...}");
        return true;
      }
      case struct_id::statx: {
        abi::statx sx;
        if (!read_obj(addr, sx)) return false;
        static constexpr xlat_entry attrs[] = {
            {0x4, "STATX_ATTR_COMPRESSED"},    {0x10, "STATX_ATTR_IMMUTABLE"},
            {0x20, "STATX_ATTR_APPEND"},       {0x40, "STATX_ATTR_NODUMP"},
            {0x800, "STATX_ATTR_ENCRYPTED"},   {0x1000, "STATX_ATTR_AUTOMOUNT"},
            {0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"},
            {0x200000, "STATX_ATTR_DAX"}};
        out_.append("{stx_mask=");
        put_flags(out_, statx_mask_xlat, sx.stx_mask);
        out_.append(", stx_attributes=");
        put_flags(out_, xlat{{}, 0, attrs, "0", "STATX_ATTR_???"}, sx.stx_attributes);
        out_.append(", stx_mode=");
        put_mode(out_, sx.stx_mode);
        out_.append(", stx_size=");
        put_udec(out_, sx.stx_size);
        out_.append(", ...}");
        return true;
      }
      case struct_id::timespec: {
        abi::timespec ts;
        if (!read_obj(addr, ts)) return false;
        put_timespec(ts);
        return true;
      }
      case struct_id::timeval: {
        abi::timeval tv;
        if (!read_obj(addr, tv)) return false;
        put_timeval(tv);
        return true;
      }
      case struct_id::itimerspec: {
        abi::itimerspec it;
        if (!read_obj(addr, it)) return false;
        out_.append("{it_interval=");
        put_timespec(it.it_interval);
        out_.append(", it_value=");
        put_timespec(it.it_value);
        out_.push_back('}');
        return true;
      }
      case struct_id::itimerval: {
        abi::itimerval it;
        if (!read_obj(addr, it)) return false;
        out_.append("{it_interval=");
        put_timeval(it.it_interval);
        out_.append(", it_value=");
        put_timeval(it.it_value);
        out_.push_back('}');
        return true;
      }
      case struct_id::iovec: {
        abi::iovec iov;
        if (!read_obj(addr, iov)) return false;
        out_.append("{iov_base=");
        // Input vectors show iov_len bytes; output ones only what the call filled in.
        std::uint64_t len = std::min(iov.iov_len, budget);
        budget -= len;
        put_buffer(iov.iov_base, len);
        out_.append(", iov_len=");
        put_udec(out_, iov.iov_len);
        out_.push_back('}');
        return true;
      }
      case struct_id::sockaddr:
        put_sockaddr(addr, length_of(d_.args[i], exit));
        return true;
      case struct_id::sigaction: {
        abi::kernel_sigaction sa;
        if (!read_obj(addr, sa)) return false;
        out_.append("{sa_handler=");
        if (sa.handler == 0)
          out_.append("SIG_DFL");
        else if (sa.handler == 1)
          out_.append("SIG_IGN");
        else
          put_hex(out_, sa.handler);
        out_.append(", sa_mask=");
        put_sigset(out_, sa.mask, 8);
        out_.append(", sa_flags=");
        put_flags(out_, sa_flags_xlat, sa.flags);
        if (sa.flags & 0x04000000) {
          out_.append(", sa_restorer=");
          put_hex(out_, sa.restorer);
        }
        out_.push_back('}');
        return true;
      }
      case struct_id::sigset: {
        std::uint64_t size = length_of(d_.args[i], exit);
        if (size == 0 || size > 8) return false;
        std::uint64_t mask = 0;
        if (!read_exact(addr, static_cast<std::size_t>(size))) return false;
        std::memcpy(&mask, scratch().data(), static_cast<std::size_t>(size));
        put_sigset(out_, mask, static_cast<unsigned>(size));
        return true;
      }
      case struct_id::rlimit: {
        abi::rlimit rl;
        if (!read_obj(addr, rl)) return false;
        out_.append("{rlim_cur=");
        put_rlim(rl.rlim_cur);
        out_.append(", rlim_max=");
        put_rlim(rl.rlim_max);
        out_.push_back('}');
        return true;
      }
      case struct_id::pollfd: {
        abi::pollfd p;
        if (!read_obj(addr, p)) return false;
        out_.append("{fd=");
        put_fd(p.fd);
        out_.append(", events=");
        put_flags(out_, poll_events_xlat, static_cast<std::uint16_t>(p.events));
        out_.push_back('}');
        return true;
      }
      case struct_id::epoll_event: {
        abi::epoll_event e;
        if (!read_obj(addr, e)) return false;
        out_.append("{events=");
        put_flags(out_, epoll_events_xlat, e.events);
        out_.append(", data={u32=");
        put_udec(out_, static_cast<std::uint32_t>(e.data));
        out_.append(", u64=");
        put_udec(out_, e.data);
        out_.append("}}");
        return true;
      }
      case struct_id::utsname: {
        abi::utsname u;
        if (!read_obj(addr, u)) return false;
        out_.append("{sysname=");
        put_fixed_string(u.sysname, sizeof u.sysname);
        out_.append(", nodename=");
        put_fixed_string(u.nodename, sizeof u.nodename);
        out_.append(", ...}");
        return true;
      }
      case struct_id::stack: {
        abi::stack_t s;
        if (!read_obj(addr, s)) return false;
        static constexpr xlat_entry ss[] = {
            {1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {0x80000000u, "SS_AUTODISARM"}};
        out_.append("{ss_sp=");
        put_ptr(out_, s.ss_sp);
        out_.append(", ss_flags=");
        put_flags(out_, xlat{{}, 0, ss, "0", "SS_???"}, static_cast<std::uint32_t>(s.ss_flags));
        out_.append(", ss_size=");
        put_udec(out_, s.ss_size);
        out_.push_back('}');
        return true;
      }
      case struct_id::clone_args: {
        abi::clone_args c{};
        std::uint64_t size = std::min<std::uint64_t>(length_of(d_.args[i], exit), sizeof c);
        if (size < 64 || !read_exact(addr, static_cast<std::size_t>(size))) return false;
        std::memcpy(&c, scratch().data(), static_cast<std::size_t>(size));
        out_.append("{flags=");
        put_flags(out_, clone_flags_xlat, c.flags);
        if (c.flags & 0x1000) out_.append(", pidfd="), put_hex(out_, c.pidfd);
        if (c.flags & 0x01200000) out_.append(", child_tid="), put_hex(out_, c.child_tid);
        if (c.flags & 0x00100000) out_.append(", parent_tid="), put_hex(out_, c.parent_tid);
        out_.append(", exit_signal=");
        if (c.exit_signal == 0)
          out_.push_back('0');
        else
          put_signal(out_, static_cast<std::int64_t>(c.exit_signal));
        out_.append(", stack=");
        put_hex(out_, c.stack);
        out_.append(", stack_size=");
        put_hex(out_, c.stack_size);
        if (c.flags & 0x00080000) out_.append(", tls="), put_hex(out_, c.tls);
        out_.push_back('}');
        return true;
      }
      case struct_id::msghdr: {
        abi::msghdr m;
        if (!read_obj(addr, m)) return false;
        out_.append("{msg_name=");
        if (m.msg_name == 0)
          out_.append("NULL");
        else
          put_sockaddr(m.msg_name, m.msg_namelen);
        out_.append(", msg_namelen=");
        put_udec(out_, m.msg_namelen);
        out_.append(", msg_iov=");
        put_iovecs(m.msg_iov, m.msg_iovlen, budget);
        out_.append(", msg_iovlen=");
        put_udec(out_, m.msg_iovlen);
        if (m.msg_control != 0 && m.msg_controllen != 0) {
          out_.append(", msg_control=");
          put_hex(out_, m.msg_control);
        }
        out_.append(", msg_controllen=");
        put_udec(out_, m.msg_controllen);
        out_.append(", msg_flags=");
        put_flags(out_, msg_flags_xlat, static_cast<std::uint32_t>(m.msg_flags));
        out_.push_back('}');
        return true;
      }
      case struct_id::rusage: {
        abi::rusage ru;
        if (!read_obj(addr, ru)) return false;
        out_.append("{ru_utime=");
        put_timeval(ru.ru_utime);
        out_.append(", ru_stime=");
        put_timeval(ru.ru_stime);
        out_.append(", ...}");
        return true;
      }
      case struct_id::sysinfo: {
        abi::sysinfo si;
        if (!read_obj(addr, si)) return false;
        out_.append("{uptime=");
        put_dec(out_, si.uptime);
        out_.append(", loads=[");
        for (int k = 0; k < 3; ++k) {
          if (k) out_.append(", ");
          put_udec(out_, si.loads[k]);
        }
        const std::pair<std::string_view, std::uint64_t> fields[] = {
            {"], totalram=", si.totalram},  {", freeram=", si.freeram},     {", sharedram=", si.sharedram},
            {", bufferram=", si.bufferram}, {", totalswap=", si.totalswap}, {", freeswap=", si.freeswap},
            {", procs=", si.procs},         {", totalhigh=", si.totalhigh}, {", freehigh=", si.freehigh},
            {", mem_unit=", si.mem_unit}};
        for (const auto& [label, v] : fields) {
          out_.append(label);
          put_udec(out_, v);
        }
        out_.push_back('}');
        return true;
      }
      case struct_id::siginfo: {
        abi::siginfo si;
        if (!read_obj(addr, si)) return false;
        put_siginfo(out_, si);
        return true;
      }
      case struct_id::fd_set: {
        // select's sets: the fds below nfds (the first argument) that are set.
        std::int64_t nfds = static_cast<std::int32_t>(a_[0]);
        if (nfds < 0 || nfds > 65536) return false;
        std::size_t bytes = static_cast<std::size_t>((nfds + 63) / 64 * 8);
        if (!read_exact(addr, bytes)) return false;
        const std::string& s = scratch();
        out_.push_back('[');
        bool first = true;
        for (std::int64_t fd = 0; fd < nfds; ++fd) {
          if (!((static_cast<unsigned char>(s[static_cast<std::size_t>(fd / 8)]) >> (fd % 8)) & 1)) continue;
          if (!first) out_.push_back(' ');
          first = false;
          put_dec(out_, fd);
        }
        out_.push_back(']');
        return true;
      }
      case struct_id::int_: {
        std::int32_t v;
        if (!read_obj(addr, v)) return false;
        put_dec(out_, v);
        return true;
      }
      case struct_id::uint64: {
        std::uint64_t v;
        if (!read_obj(addr, v)) return false;
        put_udec(out_, v);
        return true;
      }
      default:
        return false;
    }
  }

  void put_struct_arg(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    std::uint64_t addr = a_[i];
    if (addr == 0) return out_.append("NULL"), void();
    bool filled_by_call = a.dir != direction::in;
    if (exit && filled_by_call && failed()) return put_hex(out_, addr);

    // int pointers that strace shows in brackets: pipe fds, wait status, socklen_t, ...
    if (a.type == struct_id::int_ || a.type == struct_id::uint64) {
      if (is("wait4") && i == 1) {
        std::uint32_t s;
        if (!read_obj(addr, s)) return put_hex(out_, addr);
        return put_wait_status(s);
      }
      std::size_t count = 1;
      if (a.kind == arg_kind::array) count = a.len == sys::len_none ? 2 : length_of(a, exit);
      if (is("pipe") || is("pipe2") || is("socketpair")) count = 2;
      bool fds = count == 2 && (is("pipe") || is("pipe2") || is("socketpair") || a.kind == arg_kind::array);
      std::size_t mark = out_.size();
      out_.push_back('[');
      for (std::size_t k = 0; k < count && k < o_.string_limit; ++k) {
        if (k) out_.append(", ");
        std::uint64_t v = 0;
        std::size_t sz = a.type == struct_id::int_ ? 4 : 8;
        if (!read_exact(addr + k * sz, sz)) {
          out_.resize(mark);
          return put_hex(out_, addr);
        }
        std::memcpy(&v, scratch().data(), sz);
        if (fds)
          put_fd(static_cast<std::int32_t>(v));
        else if (sz == 4)
          put_dec(out_, static_cast<std::int32_t>(v));
        else
          put_udec(out_, v);
      }
      out_.push_back(']');
      return;
    }
    if (a.type == struct_id::linux_dirent64 || a.type == struct_id::linux_dirent) {
      // strace abbreviates directory listings to their entry count.
      std::uint64_t count = 0;
      if (exit && ret_ > 0) {
        std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(ret_, 1 << 20));
        if (!read_exact(addr, n)) return put_hex(out_, addr);
        const std::string& s = scratch();
        for (std::size_t at = 0; at + 18 <= n; ++count) {
          std::uint16_t reclen;
          std::memcpy(&reclen, s.data() + at + 16, 2);
          if (reclen == 0) break;
          at += reclen;
        }
      }
      put_hex(out_, addr);
      out_.append(" /* ");
      put_udec(out_, count);
      out_.append(count == 1 ? " entry */" : " entries */");
      return;
    }

    std::uint64_t budget = ~std::uint64_t{0};
    if ((a.type == struct_id::iovec || a.type == struct_id::msghdr) && exit && filled_by_call)
      budget = ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0;
    if (a.kind == arg_kind::array) {
      std::uint64_t count = length_of(a, exit);
      std::size_t elem = struct_size(a.type);
      if (elem == 0) return put_hex(out_, addr);
      std::size_t mark = out_.size();
      out_.push_back('[');
      for (std::uint64_t k = 0; k < count; ++k) {
        if (k) out_.append(", ");
        if (k == o_.string_limit) {
          out_.append("...");
          break;
        }
        if (!put_one(a.type, addr + k * elem, i, exit, budget)) {
          if (k == 0) {
            out_.resize(mark);
            return put_hex(out_, addr);
          }
          put_hex(out_, addr + k * elem);
          break;
        }
      }
      out_.push_back(']');
      return;
    }
    std::size_t mark = out_.size();
    if (!put_one(a.type, addr, i, exit, budget)) {
      out_.resize(mark);
      put_hex(out_, addr);
    }
  }

  // An iovec array of `count` vectors (cut at string_limit), each showing at most `budget`
  // bytes in all.
  void put_iovecs(std::uint64_t addr, std::uint64_t count, std::uint64_t& budget) {
    std::size_t mark = out_.size();
    out_.push_back('[');
    for (std::uint64_t k = 0; k < count; ++k) {
      if (k) out_.append(", ");
      if (k == o_.string_limit) {
        out_.append("...");
        break;
      }
      if (!put_one(struct_id::iovec, addr + k * sizeof(abi::iovec), 0, false, budget)) {
        if (k == 0) {
          out_.resize(mark);
          return put_hex(out_, addr);
        }
        put_hex(out_, addr + k * sizeof(abi::iovec));
        break;
      }
    }
    out_.push_back(']');
  }

  static constexpr std::size_t struct_size(struct_id t) noexcept {
    switch (t) {
      case struct_id::iovec:
        return sizeof(abi::iovec);
      case struct_id::pollfd:
        return sizeof(abi::pollfd);
      case struct_id::epoll_event:
        return sizeof(abi::epoll_event);
      case struct_id::timespec:
        return sizeof(abi::timespec);
      case struct_id::timeval:
        return sizeof(abi::timeval);
      case struct_id::rlimit:
        return sizeof(abi::rlimit);
      case struct_id::stat:
        return sizeof(abi::stat);
      default:
        return 0;
    }
  }

  // ---- per-argument dispatch -----------------------------------------------------
  void put_arg(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    std::uint64_t v = a_[i];
    if (is("fcntl") && i == 2) return put_fcntl_arg(v);
    if (is("futex") && i == 3 &&
        ((a_[1] & 0x7f) == 3 || (a_[1] & 0x7f) == 4 || (a_[1] & 0x7f) == 5 || (a_[1] & 0x7f) == 12))
      return put_udec(out_, v & 0xffffffffu);  // val2, not a timeout
    if (is("futex") && i == 5 && v == 0xffffffffu) return out_.append("FUTEX_BITSET_MATCH_ANY"), void();
    if (is("mmap") && i == 5) return put_hex(out_, v);
    if ((is("socket") || is("socketpair")) && i == 2 && (a_[0] == 2 || a_[0] == 10)) {
      static constexpr xlat_entry protocols[] = {
          {0, "IPPROTO_IP"},    {1, "IPPROTO_ICMP"},    {6, "IPPROTO_TCP"},    {17, "IPPROTO_UDP"},
          {41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"},
          {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"}};
      return put_enum(out_, xlat{protocols, ~std::uint64_t{0}, {}, {}, "IPPROTO_???"}, v & 0xffffffffu);
    }
    if (is("prctl") && i == 1 && (a_[0] & 0xffffffffu) == 15)
      return put_cstring(v, o_.string_limit);                        // PR_SET_NAME
    if (is("futex") && (i == 0 || i == 4)) return put_ptr(out_, v);  // futex words print as addresses
    if ((is("mknod") && i == 2) || (is("mknodat") && i == 3)) return put_dev(v);
    if (is("getsockopt") && i == 3 && exit) return put_sockopt_value(v);
    if (is("statx") && i == 2) {
      // strace prints the sync type first: AT_STATX_SYNC_AS_STAT (0) or its bits.
      std::uint64_t flags = v & 0xffffffffu, sync = flags & 0x6000;
      if (sync == 0)
        out_.append("AT_STATX_SYNC_AS_STAT");
      else
        out_.append(sync & 0x2000
                        ? (sync & 0x4000 ? "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC" : "AT_STATX_FORCE_SYNC")
                        : "AT_STATX_DONT_SYNC");
      if (flags & ~std::uint64_t{0x6000}) {
        out_.push_back('|');
        put_flags(out_, at_xlat, flags & ~std::uint64_t{0x6000});
      }
      return;
    }
    if (is("arch_prctl") && i == 1 && at_exit(1)) {
      std::uint64_t value;
      if (failed() || !read_obj(v, value)) return put_hex(out_, v);
      out_.push_back('[');
      put_hex(out_, value);
      out_.push_back(']');
      return;
    }
    switch (a.kind) {
      case arg_kind::path:
        return put_cstring(v, o_.path_limit);
      case arg_kind::cstr:
        return put_cstring(v, o_.string_limit);
      case arg_kind::string_array: {
        bool env = a.name.find("env") != std::string_view::npos ||
                   (i > 0 && d_.args[i - 1].kind == arg_kind::string_array);
        return put_string_array(v, env && !o_.verbose);
      }
      case arg_kind::buffer: {
        bool filled_by_call = a.dir != direction::in;
        if (exit && filled_by_call) {
          if (failed()) return put_ptr(out_, v);
          std::uint64_t len = ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0;
          return put_buffer(v, len);
        }
        return put_buffer(v, length_of(a, exit));
      }
      case arg_kind::structure:
      case arg_kind::array:
        return put_struct_arg(i, exit);
      default:
        return put_scalar(a, v);
    }
  }

  // getsockopt's value: `[1]` for an int-sized option, else the bytes as a string.
  void put_sockopt_value(std::uint64_t v) {
    if (failed() || v == 0) return put_ptr(out_, v);
    std::uint32_t len = 0;
    if (!read_obj(a_[4], len)) return put_hex(out_, v);
    if (len == 4) {
      std::int32_t value;
      if (!read_obj(v, value)) return put_hex(out_, v);
      out_.push_back('[');
      put_dec(out_, value);
      out_.push_back(']');
      return;
    }
    put_buffer(v, len);
  }

  void put_fcntl_arg(std::uint64_t v) {
    switch (a_[1] & 0xffffffffu) {
      case 2: {  // F_SETFD
        static constexpr xlat_entry fd_flags[] = {{1, "FD_CLOEXEC"}};
        return put_flags(out_, xlat{{}, 0, fd_flags, "0", "FD_???"}, v & 0xffffffffu);
      }
      case 4:
        return put_flags(out_, open_xlat, v & 0xffffffffu);  // F_SETFL
      case 10:
        return put_signal(out_, static_cast<std::int32_t>(v));  // F_SETSIG
      case 0:
      case 8:
      case 1030:
      case 1031:  // F_DUPFD, F_SETOWN, F_DUPFD_CLOEXEC, F_SETPIPE_SZ
        return put_dec(out_, static_cast<std::int32_t>(v));
      default:
        return put_ptr(out_, v);
    }
  }

  void put_clone() {
    std::uint64_t flags = a_[0];
    out_.append("child_stack=");
    put_ptr(out_, a_[1]);
    out_.append(", flags=");
    put_symbolic(out_, flag_set::clone_flags, flags);
    if (flags & 0x00100000) out_.append(", parent_tid="), put_ptr(out_, a_[2]);
    if (flags & 0x01200000) out_.append(", child_tidptr="), put_ptr(out_, a_[3]);
    if (flags & 0x00080000) out_.append(", tls="), put_ptr(out_, a_[4]);
  }

  // ---- result --------------------------------------------------------------------
  void put_return() {
    if (d_.ret == sys::ret_kind::none) return out_.push_back('?');
    if (failed()) {
      int err = static_cast<int>(-ret_);
      errno_entry e = errno_info(err);
      bool restart = err == 512 || err == 513 || err == 514 || err == 516;
      out_.append(restart ? "?" : "-1");
      if (e.name.empty()) {
        out_.push_back(' ');
        out_.append("(errno ");
        put_dec(out_, err);
        out_.push_back(')');
        return;
      }
      out_.push_back(' ');
      out_.append(e.name);
      out_.append(" (");
      out_.append(e.message);
      out_.push_back(')');
      return;
    }
    if (is("umask")) return put_octal(out_, static_cast<std::uint64_t>(ret_));
    ret_start_ = out_.size();
    switch (d_.ret) {
      case sys::ret_kind::ptr:
      case sys::ret_kind::hex:
        put_hex(out_, static_cast<std::uint64_t>(ret_));
        break;
      case sys::ret_kind::fd:
        put_fd(ret_);
        break;
      default:
        put_dec(out_, ret_);
        break;
    }
    if ((is("poll") || is("ppoll")) && d_.nargs >= 2) put_poll_result();
    if (is("fcntl") && (a_[1] & 0xffffffffu) == 3) {  // F_GETFL: = 0x8002 (flags O_RDWR|O_LARGEFILE)
      out_.resize(ret_start_);
      put_hex(out_, static_cast<std::uint64_t>(ret_));
      out_.append(" (flags ");
      put_flags(out_, open_xlat, static_cast<std::uint64_t>(ret_) & 0xffffffffu);
      out_.push_back(')');
    } else if (is("fcntl") && (a_[1] & 0xffffffffu) == 1) {  // F_GETFD: = 0x1 (flags FD_CLOEXEC)
      out_.resize(ret_start_);
      put_hex(out_, static_cast<std::uint64_t>(ret_));
      out_.append(ret_ & 1 ? " (flags FD_CLOEXEC)" : "");
    }
  }

  // strace appends the revents of a poll: ` ([{fd=3, revents=POLLIN}])` or ` (Timeout)`.
  void put_poll_result() {
    if (ret_ == 0) return out_.append(" (Timeout)"), void();
    std::size_t mark = out_.size();
    out_.append(" ([");
    bool any = false;
    std::uint64_t n = std::min<std::uint64_t>(a_[1], 1024);
    for (std::uint64_t k = 0; k < n; ++k) {
      abi::pollfd p;
      if (!read_obj(a_[0] + k * sizeof p, p)) {
        out_.resize(mark);
        return;
      }
      if (p.revents == 0) continue;
      if (any) out_.append(", ");
      any = true;
      out_.append("{fd=");
      put_dec(out_, p.fd);
      out_.append(", revents=");
      put_flags(out_, poll_events_xlat, static_cast<std::uint16_t>(p.revents));
      out_.push_back('}');
    }
    out_.append("])");
  }

  std::string& out_;
  const syscall_desc& d_;
  const std::array<std::uint64_t, 6>& a_;
  M& mem_;
  const options& o_;
  R& r_;
  std::int64_t ret_ = 0;
  std::size_t ret_start_ = 0;
};

}  // namespace snare::format::detail
