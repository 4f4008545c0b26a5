// Defines the decoders of clone and clone3 (strace's clone.c): clone's flags with the exit
// signal and the arguments its flags use, clone3's struct clone_args with set_tid, cgroup
// and the bytes past what snare knows, and what the kernel stored at exit
// (`{...} => {parent_tid=[123]}`).
#pragma once

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends clone's flags: the CLONE_ bits, then the exit signal (the low byte) by name.
inline void put_clone_flags(std::string& out, std::uint64_t v) {
  std::uint64_t sig = v & 0xff;
  if ((v & ~std::uint64_t{0xff}) != 0 || sig == 0) put_flags(out, clone_flags_xlat, v & ~std::uint64_t{0xff});
  if (sig != 0) {
    if ((v & ~std::uint64_t{0xff}) != 0) out.push_back('|');
    put_signal(out, static_cast<std::int64_t>(sig));
  }
}

/// clone: the stack and the flags at entry; when the flags make the kernel store or use
/// more (CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID,
/// CLONE_SETTLS), the rest at exit: parent_tid as the id or fd stored there, tls,
/// child_tidptr (strace's clone.c, x86_64's argument order).
template <>
struct decoder<sys::call_id::clone> {
  static constexpr std::uint64_t parent_settid = 0x00100000, pidfd = 0x1000, settls = 0x00080000,
                                 child_tid = 0x01200000;  // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    const std::uint64_t flags = p.arg(0) & ~std::uint64_t{0xff};
    if (!exit) {
      out.append("child_stack=");
      put_ptr(out, p.arg(1));
      out.append(", flags=");
      put_clone_flags(out, p.arg(0));
      return;
    }
    if (flags & (parent_settid | pidfd)) {
      out.append(", parent_tid=");
      if (flags & parent_settid)
        put_stored_int(p, p.arg(2), [&](std::int32_t tid) { p.put_pid(tid, pid_type::tid); });
      else
        put_stored_int(p, p.arg(2), [&](std::int32_t fd) { p.put_fd(fd); });
    }
    if (flags & settls) out.append(", tls="), put_ptr(out, p.arg(4));
    if (flags & child_tid) out.append(", child_tidptr="), put_ptr(out, p.arg(3));
  }
  // `[v]`, an int the kernel stored at `addr`; NULL, or the address when unreadable.
  template <class P, class Put>
  static void put_stored_int(P& p, std::uint64_t addr, Put put) {
    std::int32_t v;
    std::string& out = p.out();
    if (addr == 0) return out.append("NULL"), void();
    if (!p.read_obj(addr, v)) return put_hex(out, addr);
    out.push_back('[');
    put(v);
    out.push_back(']');
  }
};

// clone3's flags: strace's clone_flags (without CLONE_DETACHED, which the kernel ignores)
// and clone3_flags, from <linux/sched.h>.
inline constexpr xlat_entry clone3_flag_bits[] = {
    {0x100, "CLONE_VM"},
    {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},
    {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"},
    {0x2000, "CLONE_PTRACE"},
    {0x4000, "CLONE_VFORK"},
    {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},
    {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"},
    {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x800000, "CLONE_UNTRACED"},
    {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},
    {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},
    {0x80, "CLONE_NEWTIME"},
    {0x100000000, "CLONE_CLEAR_SIGHAND"},
    {0x200000000, "CLONE_INTO_CGROUP"},
};
inline constexpr xlat clone3_flags_xlat{{}, 0, clone3_flag_bits, "0", "CLONE_???"};

/// Appends the `size`-byte struct clone_args at `addr` as clone3 reads it; false when
/// shorter than the first version's 64 bytes or unreadable (the caller prints the address).
template <class P>
bool put_clone_args(P& p, std::uint64_t addr, std::uint64_t size) {
  sys::abi::clone_args c{};
  const std::size_t fetch = static_cast<std::size_t>(std::min<std::uint64_t>(size, sizeof c));
  if (fetch < 64 || !p.read_exact(addr, fetch)) return false;
  std::memcpy(&c, scratch().data(), fetch);
  std::string& out = p.out();
  out.append("{flags=");
  put_flags(out, clone3_flags_xlat, c.flags);
  // Addresses print as NULL when zero, as strace's PRINT_FIELD_ADDR64.
  if (c.flags & 0x1000) out.append(", pidfd="), put_ptr(out, c.pidfd);
  if (c.flags & 0x01200000) out.append(", child_tid="), put_ptr(out, c.child_tid);
  if (c.flags & 0x00100000) out.append(", parent_tid="), put_ptr(out, c.parent_tid);
  out.append(", exit_signal=");
  if (c.exit_signal >= INT_MAX)
    put_udec(out, c.exit_signal);
  else if (c.exit_signal == 0)
    out.push_back('0');
  else
    put_signal(out, static_cast<std::int64_t>(c.exit_signal));
  out.append(", stack=");
  put_ptr(out, c.stack);
  out.append(", stack_size=");
  put_hex(out, c.stack_size);
  if (c.flags & 0x00080000) out.append(", tls="), put_ptr(out, c.tls);
  if (c.set_tid != 0 || c.set_tid_size != 0) {
    out.append(", set_tid=");
    if (c.set_tid == 0 || c.set_tid_size == 0 || c.set_tid_size > 32)  // the kernel takes at most 32
      put_ptr(out, c.set_tid);
    else
      p.put_array(c.set_tid, c.set_tid_size, 4,
                  [&](std::uint64_t v) { put_dec(out, static_cast<std::int32_t>(v)); });
    out.append(", set_tid_size=");
    put_udec(out, c.set_tid_size);
  }
  if (fetch > offsetof(sys::abi::clone_args, cgroup) && (c.cgroup != 0 || (c.flags & 0x200000000) != 0)) {
    out.append(", cgroup=");
    put_udec(out, c.cgroup);
  }
  if (size > fetch) put_nonzero_tail(p, addr, fetch, size);
  out.push_back('}');
  return true;
}

/// clone3: the struct and the size at entry; when the kernel may store through its pidfd
/// or parent_tid pointers (or the struct is longer than snare knows), the size after what
/// it stored, at exit after a success: `{...} => {parent_tid=[123]}, 88` (strace's clone.c).
template <>
struct decoder<sys::call_id::clone3> {
  // Whether anything prints at exit: strace decodes the call at entry otherwise.
  template <class P>
  static bool stores(P& p, sys::abi::clone_args& c, std::size_t& fetch) {
    const std::uint64_t size = p.arg(1);
    fetch = static_cast<std::size_t>(std::min<std::uint64_t>(size, sizeof c));
    if (fetch < 64 || !p.read_exact(p.arg(0), fetch)) return false;
    std::memcpy(&c, scratch().data(), fetch);
    return (c.flags & (0x1000 | 0x00100000)) != 0 || size > fetch;  // CLONE_PIDFD, CLONE_PARENT_SETTID
  }
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    const std::uint64_t addr = p.arg(0), size = p.arg(1);
    sys::abi::clone_args c{};
    std::size_t fetch = 0;
    if (!exit) {
      std::size_t mark = out.size();
      if (!put_clone_args(p, addr, size)) out.resize(mark), put_ptr(out, addr);
      if (!stores(p, c, fetch)) out.append(", "), put_udec(out, size);
      return;
    }
    if (!stores(p, c, fetch)) return;
    if (!p.failed()) {
      bool any = false;
      auto next = [&] { out.append(any ? ", " : " => {"), any = true; };
      if (c.flags & 0x1000) {  // CLONE_PIDFD: [fd]
        next();
        out.append("pidfd=");
        put_stored_int(p, c.pidfd, [&](std::int32_t fd) { p.put_fd(fd); });
      }
      if (c.flags & 0x00100000) {  // CLONE_PARENT_SETTID: [tid]
        next();
        out.append("parent_tid=");
        put_stored_int(p, c.parent_tid, [&](std::int32_t tid) { p.put_pid(tid, pid_type::tid); });
      }
      if (size > fetch) {
        std::size_t mark = out.size();
        put_nonzero_tail(p, addr, fetch, size);  // `, /* bytes ... */ "..."` or `, ???`
        if (out.size() != mark && !any) out.replace(mark, 2, " => {"), any = true;
      }
      if (any) out.push_back('}');
    }
    out.append(", ");
    put_udec(out, size);
  }
  // As clone's.
  template <class P, class Put>
  static void put_stored_int(P& p, std::uint64_t addr, Put put) {
    decoder<sys::call_id::clone>::put_stored_int(p, addr, put);
  }
};

// Namespace types, <linux/sched.h>; strace's xlat/setns_types.in and unshare_flags.in.
inline constexpr xlat_entry setns_type_bits[] = {
    {0x80, "CLONE_NEWTIME"},      {0x20000, "CLONE_NEWNS"},     {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},  {0x8000000, "CLONE_NEWIPC"},  {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
};
inline constexpr xlat_entry unshare_flag_bits[] = {
    {0x80, "CLONE_NEWTIME"},      {0x100, "CLONE_VM"},          {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},       {0x800, "CLONE_SIGHAND"},     {0x10000, "CLONE_THREAD"},
    {0x20000, "CLONE_NEWNS"},     {0x40000, "CLONE_SYSVSEM"},   {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"},  {0x8000000, "CLONE_NEWIPC"},  {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
};

/// setns: the namespace type (a C int).
template <>
struct decoder<sys::call_id::setns> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    put_flags(p.out(), xlat{{}, 0, setns_type_bits, "0", "CLONE_NEW???"},
              static_cast<std::uint32_t>(p.arg(1)));
    return true;
  }
};

/// unshare: the flags it takes, in all 64 bits (no exit signal in the low byte).
template <>
struct decoder<sys::call_id::unshare> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    put_flags(p.out(), xlat{{}, 0, unshare_flag_bits, "0", "CLONE_???"}, p.arg(0));
    return true;
  }
};

}  // namespace snare::format::detail
