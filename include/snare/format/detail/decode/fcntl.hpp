// Defines the decoder of fcntl (strace's fcntl.c): the third argument by command (fd flags,
// open flags, a signal, struct flock, struct f_owner_ex, dnotify flags, seals, a lease type
// or a number), which of them the kernel fills in (F_GETLK, F_GETOWN_EX), and the results
// with their names (F_GETFL's flags, F_GETLEASE's lock type, F_GETSIG's signal).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// fcntl's commands, x86-64 values (the table fcntl_cmd_xlat names them).
namespace fcntl_cmd {
inline constexpr std::uint32_t dupfd = 0, getfd = 1, setfd = 2, getfl = 3, setfl = 4, getlk = 5, setlk = 6,
                               setlkw = 7, setown = 8, getown = 9, setsig = 10, getsig = 11, setown_ex = 15,
                               getown_ex = 16, ofd_getlk = 36, ofd_setlk = 37, ofd_setlkw = 38,
                               setlease = 1024, getlease = 1025, notify = 1026, dupfd_cloexec = 1030,
                               setpipe_sz = 1031, getpipe_sz = 1032, add_seals = 1033, get_seals = 1034;
}  // namespace fcntl_cmd

/// The kernel's struct flock on x86-64 (the same as struct flock64 there).
struct abi_flock {
  std::int16_t l_type;
  std::int16_t l_whence;
  std::int64_t l_start;
  std::int64_t l_len;
  std::int32_t l_pid;
};
static_assert(sizeof(abi_flock) == 32);

/// Appends the struct flock at `addr`: {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0,
/// l_len=4096}, with `, l_pid=N` for the F_GETLK forms. False when unreadable.
template <class P>
bool put_flock(P& p, std::uint64_t addr, bool with_pid) {
  abi_flock fl;
  if (!p.read_obj(addr, fl)) return false;
  std::string& out = p.out();
  out.append("{l_type=");
  put_enum(out, lock_type_xlat, static_cast<std::uint16_t>(fl.l_type));
  out.append(", l_whence=");
  put_enum(out, seek_whence_xlat, static_cast<std::uint16_t>(fl.l_whence));
  out.append(", l_start=");
  put_dec(out, fl.l_start);
  out.append(", l_len=");
  put_dec(out, fl.l_len);
  if (with_pid) {
    out.append(", l_pid=");
    put_dec(out, fl.l_pid);
  }
  out.push_back('}');
  return true;
}

/// Appends the struct f_owner_ex at `addr`: {type=F_OWNER_PID, pid=1234}.
template <class P>
bool put_f_owner_ex(P& p, std::uint64_t addr) {
  struct {
    std::int32_t type, pid;
  } o;
  if (!p.read_obj(addr, o)) return false;
  std::string& out = p.out();
  out.append("{type=");
  put_enum(out, f_owner_type_xlat, static_cast<std::uint32_t>(o.type));
  out.append(", pid=");
  // F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP: the kind of id the kernel reads (strace's printpid)
  if (o.type >= 0 && o.type <= 2)
    p.put_pid(o.pid, o.type == 0 ? pid_type::tid : o.type == 1 ? pid_type::tgid : pid_type::pgid);
  else
    put_dec(out, o.pid);
  out.push_back('}');
  return true;
}

/// fcntl: the argument by command, F_GETLK's and F_GETOWN_EX's structs at exit, and the
/// F_GET* results with their names.
template <>
struct decoder<sys::call_id::fcntl> {
  static std::uint32_t cmd(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v); }

  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    using namespace fcntl_cmd;
    switch (cmd(p.arg(1))) {
      case getfd:
      case getfl:
      case getown:
      case getsig:
      case getlease:
      case getpipe_sz:
      case get_seals:
        return std::min<std::size_t>(n, 2);
      default:
        return n;
    }
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    using namespace fcntl_cmd;
    if (i != 2) return false;
    std::uint32_t c = cmd(p.arg(1));
    return c == getlk || c == ofd_getlk || c == getown_ex;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    using namespace fcntl_cmd;
    if (i != 2) return false;
    std::string& out = p.out();
    std::uint64_t v = p.arg(2);
    bool ok = true;
    switch (cmd(p.arg(1))) {
      case setfd:
        put_flags(out, fd_flags_xlat, v);
        break;
      case setfl:
        put_flags(out, open_xlat, v & 0xffffffffu);
        break;
      case setsig:
        put_signal(out, static_cast<std::int32_t>(v));
        break;
      case setown: {  // a process's id, or a group's when negative (strace's printpid_tgid_pgid)
        auto id = static_cast<std::int32_t>(v);
        put_dec(out, id);
        if (id > 0) p.append_pid_note(id, pid_type::tgid);
        if (id < -1) p.append_pid_note(-id, pid_type::pgid);
        break;
      }
      case dupfd:
      case dupfd_cloexec:
      case setpipe_sz:  // strace prints the whole register, signed
        put_dec(out, static_cast<std::int64_t>(v));
        break;
      case setlk:
      case setlkw:
      case ofd_setlk:
      case ofd_setlkw:
        ok = put_flock(p, v, false);
        break;
      case getlk:
      case ofd_getlk:
        ok = exit && !p.failed() && put_flock(p, v, true);
        break;
      case setown_ex:
        ok = put_f_owner_ex(p, v);
        break;
      case getown_ex:
        ok = exit && !p.failed() && put_f_owner_ex(p, v);
        break;
      case notify:
        put_flags(out, notify_flags_xlat, v);
        break;
      case setlease:
        put_enum(out, lock_type_xlat, v);
        break;
      case add_seals:
        put_flags(out, f_seals_xlat, v);
        break;
      default:
        put_hex(out, v);
    }
    if (!ok) put_ptr(out, v);
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    using namespace fcntl_cmd;
    std::string& out = p.out();
    auto ret = static_cast<std::uint64_t>(p.ret());
    switch (cmd(p.arg(1))) {
      case getown: {  // a process's id, or a group's when negative
        auto id = static_cast<std::int32_t>(p.ret());
        put_dec(out, id);
        if (id > 0) p.append_pid_note(id, pid_type::tgid);
        if (id < -1) p.append_pid_note(-id, pid_type::pgid);
        return;
      }
      case getfl:  // = 0x8002 (flags O_RDWR|O_LARGEFILE)
        put_hex(out, ret);
        out.append(" (flags ");
        put_flags(out, open_xlat, ret & 0xffffffffu);
        out.push_back(')');
        return;
      case getfd:  // = 0x1 (flags FD_CLOEXEC)
        put_hex(out, ret);
        if (ret != 0) {
          out.append(" (flags ");
          put_flags(out, fd_flags_xlat, ret);
          out.push_back(')');
        }
        return;
      case get_seals:  // = 0x3 (seals F_SEAL_SEAL|F_SEAL_SHRINK)
        put_hex(out, ret);
        if (ret != 0) {
          out.append(" (seals ");
          put_flags(out, f_seals_xlat, ret);
          out.push_back(')');
        }
        return;
      case getlease: {  // = 0x1 (F_WRLCK)
        put_hex(out, ret);
        auto name = find_name(lock_type_field, ret);
        if (!name.empty()) {
          out.append(" (");
          out.append(name);
          out.push_back(')');
        }
        return;
      }
      case getsig:  // = 10 (SIGUSR1)
        put_dec(out, p.ret());
        if (ret != 0) {
          std::size_t mark = out.size();
          out.append(" (SIG");
          if (put_signal_suffix(out, p.ret()))
            out.push_back(')');
          else
            out.resize(mark);
        }
        return;
      case dupfd:
      case dupfd_cloexec:
        return p.put_fd(p.ret());
      default:
        p.put_return_value();
    }
  }
};

}  // namespace snare::format::detail
