// Defines the decoders of Linux native AIO (strace's aio.c): io_submit's array of struct
// iocb pointers, io_cancel's iocb header and struct io_event, io_getevents' and
// io_pgetevents' events at exit and io_pgetevents' struct __aio_sigset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/array.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/resource.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// struct iocb of linux/aio_abi.h (little-endian order of aio_key and aio_rw_flags): 64 bytes.
struct aio_iocb {
  std::uint64_t aio_data;
  std::uint32_t aio_key;
  std::int32_t aio_rw_flags;
  std::uint16_t aio_lio_opcode;
  std::int16_t aio_reqprio;
  std::uint32_t aio_fildes;
  std::uint64_t aio_buf, aio_nbytes;
  std::int64_t aio_offset;
  std::uint64_t aio_reserved2;
  std::uint32_t aio_flags, aio_resfd;
};
static_assert(sizeof(aio_iocb) == 64);

/// struct io_event: 32 bytes.
struct aio_event {
  std::uint64_t data, obj;
  std::int64_t res, res2;
};

inline constexpr std::uint32_t iocb_flag_resfd = 1, iocb_flag_ioprio = 2;  // linux/aio_abi.h

/// Appends the fields of an iocb up to aio_fildes (strace's print_iocb_header): the key and
/// read/write flags only when set, the opcode by name (unknown ones in decimal), the
/// priority as IOPRIO_PRIO_VALUE() under IOCB_FLAG_IOPRIO, else in decimal when set.
template <class P>
void put_iocb_header(P& p, const aio_iocb& cb, field_sep& f) {
  put_hex(f("aio_data"), cb.aio_data);
  if (cb.aio_key) put_udec(f("aio_key"), cb.aio_key);
  if (cb.aio_rw_flags)
    put_flags(f("aio_rw_flags"), rwf_flags_xlat, static_cast<std::uint32_t>(cb.aio_rw_flags));
  std::string& out = f("aio_lio_opcode");
  if (auto name = find_name(iocb_cmd_field, cb.aio_lio_opcode); !name.empty() && !xlat_raw()) {
    put_named(out, name, [&] { put_udec(out, cb.aio_lio_opcode); });
  } else {
    put_udec(out, cb.aio_lio_opcode);
    if (!xlat_raw()) out.append(" /* IOCB_CMD_??? */");
  }
  if (cb.aio_flags & iocb_flag_ioprio)
    put_ioprio(f("aio_reqprio"), static_cast<std::uint16_t>(cb.aio_reqprio));
  else if (cb.aio_reqprio)
    put_dec(f("aio_reqprio"), cb.aio_reqprio);
  f("aio_fildes");
  p.put_fd(static_cast<std::int32_t>(cb.aio_fildes));
}

/// Appends aio_flags and aio_resfd when set (strace's print_common_flags).
template <class P>
void put_iocb_flags(P& p, const aio_iocb& cb, field_sep& f) {
  if (cb.aio_flags) put_flags(f("aio_flags"), iocb_flags_xlat, cb.aio_flags);
  if (cb.aio_flags & iocb_flag_resfd)
    f("aio_resfd"), p.put_fd(static_cast<std::int32_t>(cb.aio_resfd));
  else if (cb.aio_resfd)
    put_hex(f("aio_resfd"), cb.aio_resfd);
}

/// Appends a whole struct iocb as strace's print_iocb: what follows the header depends on
/// the opcode (a buffer for PREAD/PWRITE, shown as a string for PWRITE; an iovec array for
/// PREADV/PWRITEV; poll events for POLL; nothing for the others).
template <class P>
void put_iocb(P& p, const aio_iocb& cb) {
  std::string& out = p.out();
  out.push_back('{');
  field_sep f{out};
  put_iocb_header(p, cb, f);
  // strace's iocb_is_valid: the size fits a non-negative ssize_t.
  bool valid = static_cast<std::int64_t>(cb.aio_nbytes) >= 0;
  switch (cb.aio_lio_opcode) {
    case 0:  // IOCB_CMD_PREAD
    case 1:  // IOCB_CMD_PWRITE
      if (cb.aio_lio_opcode == 1 && valid)
        f("aio_buf"), p.put_buffer(cb.aio_buf, cb.aio_nbytes);
      else
        put_hex(f("aio_buf"), cb.aio_buf);
      put_udec(f("aio_nbytes"), cb.aio_nbytes);
      put_dec(f("aio_offset"), cb.aio_offset);
      put_iocb_flags(p, cb, f);
      break;
    case 7:  // IOCB_CMD_PREADV
    case 8:  // IOCB_CMD_PWRITEV
      if (valid) {
        f("aio_buf");
        std::uint64_t budget = ~std::uint64_t{0};
        put_iovecs(p, cb.aio_buf, cb.aio_nbytes, budget, cb.aio_lio_opcode == 7);
      } else {
        put_hex(f("aio_buf"), cb.aio_buf);
        put_udec(f("aio_nbytes"), cb.aio_nbytes);
      }
      put_dec(f("aio_offset"), cb.aio_offset);
      put_iocb_flags(p, cb, f);
      break;
    case 5:  // IOCB_CMD_POLL
      put_flags(f("aio_buf"), poll_events_xlat, cb.aio_buf);
      put_iocb_flags(p, cb, f);
      break;
    default:
      break;
  }
  out.push_back('}');
}

/// Appends a struct io_event.
inline void put_aio_event(std::string& out, const aio_event& e) {
  field_sep f{out};
  out.push_back('{');
  put_hex(f("data"), e.data);
  put_hex(f("obj"), e.obj);
  put_dec(f("res"), e.res);
  put_dec(f("res2"), e.res2);
  out.push_back('}');
}

/// io_submit: the iocb pointers, each iocb in full (NULL, or the address when unreadable).
template <>
struct decoder<sys::call_id::io_submit> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    auto nr = static_cast<std::int64_t>(p.arg(1));
    if (nr < 0) return put_ptr(p.out(), p.arg(2)), true;
    put_array_of<std::uint64_t>(p, p.arg(2), static_cast<std::uint64_t>(nr), [&](std::uint64_t addr) {
      aio_iocb cb;
      if (addr == 0)
        p.out().append("NULL");
      else if (!p.read_obj(addr, cb))
        put_ptr(p.out(), addr);
      else
        put_iocb(p, cb);
    });
    return true;
  }
};

/// io_cancel: the iocb's header at entry, the struct io_event at exit.
template <>
struct decoder<sys::call_id::io_cancel> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::string& out = p.out();
    aio_iocb cb;
    aio_event e;
    if (i == 1) {
      if (p.arg(1) == 0) return out.append("NULL"), true;
      if (!p.read_obj(p.arg(1), cb)) return put_ptr(out, p.arg(1)), true;
      out.push_back('{');
      field_sep f{out};
      put_iocb_header(p, cb, f);
      out.push_back('}');
      return true;
    }
    if (i == 2) {
      if (p.put_unfilled_pointer(2, exit)) return true;
      if (!p.read_obj(p.arg(2), e)) return put_ptr(out, p.arg(2)), true;
      return put_aio_event(out, e), true;
    }
    return false;
  }
};

/// io_getevents and io_pgetevents: the events the call returned at exit, then the timeout
/// and (io_pgetevents) the struct __aio_sigset, decoded even after a failure: the kernel
/// read them at entry.
struct io_getevents_decoder {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i >= 3;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    if (i == 3) {
      // The result is the count; a failure's -1 is a count that wraps: the address.
      put_array_of<aio_event>(p, p.arg(3), static_cast<std::uint64_t>(p.ret()),
                              [&](const aio_event& e) { put_aio_event(out, e); });
      return true;
    }
    if (i == 4) {
      if (p.arg(4) == 0) return out.append("NULL"), true;
      if (!put_timespec_at(p, p.arg(4))) put_ptr(out, p.arg(4));
      return true;
    }
    if (i == 5) {
      struct {
        std::uint64_t sigmask, sigsetsize;
      } sas;
      if (p.arg(5) == 0) return out.append("NULL"), true;
      if (!p.read_obj(p.arg(5), sas)) return put_ptr(out, p.arg(5)), true;
      out.append("{sigmask=");
      if (sas.sigmask == 0)
        out.append("NULL");
      else if (!put_sigset_at(p, sas.sigmask, sas.sigsetsize))
        put_ptr(out, sas.sigmask);
      out.append(", sigsetsize=");
      put_udec(out, sas.sigsetsize);
      out.push_back('}');
      return true;
    }
    return false;
  }
};
template <>
struct decoder<sys::call_id::io_getevents> : io_getevents_decoder {};
template <>
struct decoder<sys::call_id::io_pgetevents> : io_getevents_decoder {};
template <>
struct decoder<sys::call_id::io_pgetevents_time64> : io_getevents_decoder {};

}  // namespace snare::format::detail
