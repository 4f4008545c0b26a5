// Defines put_struct, which prints one guest struct by its sys::struct_id with the decoder
// of its topic (decode/*.hpp), and struct_size, an array element's size: the table-driven
// part of the printer (printer.hpp) for structure and array arguments.
#pragma once

#include <cstddef>
#include <cstdint>

#include <snare/format/detail/decode/aio.hpp>
#include <snare/format/detail/decode/bpf.hpp>
#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/decode/exec.hpp>
#include <snare/format/detail/decode/fcntl.hpp>
#include <snare/format/detail/decode/fd.hpp>
#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decode/futex.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/io_uring.hpp>
#include <snare/format/detail/decode/ioctl.hpp>
#include <snare/format/detail/decode/ipc.hpp>
#include <snare/format/detail/decode/key.hpp>
#include <snare/format/detail/decode/ldt.hpp>
#include <snare/format/detail/decode/memory.hpp>
#include <snare/format/detail/decode/mount.hpp>
#include <snare/format/detail/decode/mq.hpp>
#include <snare/format/detail/decode/net.hpp>
#include <snare/format/detail/decode/netlink.hpp>
#include <snare/format/detail/decode/numa.hpp>
#include <snare/format/detail/decode/perf.hpp>
#include <snare/format/detail/decode/prctl.hpp>
#include <snare/format/detail/decode/process.hpp>
#include <snare/format/detail/decode/ptrace.hpp>
#include <snare/format/detail/decode/quotactl.hpp>
#include <snare/format/detail/decode/resource.hpp>
#include <snare/format/detail/decode/select.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/stat.hpp>
#include <snare/format/detail/decode/system.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>

namespace snare::format::detail {

/// Prints one struct of kind `t` at `addr` for argument i of printer p; false when it is not
/// decoded (the caller prints the address). `budget` is the bytes iovecs may still show.
template <class P>
bool put_struct(P& p, sys::struct_id t, std::uint64_t addr, std::size_t i, bool exit, std::uint64_t& budget) {
  using sys::struct_id;
  switch (t) {
    case struct_id::stat:
      return put_stat(p, addr);
    case struct_id::statx:
      return put_statx(p, addr);
    case struct_id::statfs:
      return put_statfs(p, addr);
    case struct_id::timespec:
      return put_timespec_at(p, addr);
    case struct_id::timeval:
      return put_timeval_at(p, addr);
    case struct_id::timezone:
      return put_timezone_at(p, addr);
    case struct_id::itimerspec:
      return put_itimerspec(p, addr);
    case struct_id::itimerval:
      return put_itimerval(p, addr);
    case struct_id::iovec:
      return put_iovec(p, addr, budget);
    case struct_id::sockaddr:
      return put_sockaddr(p, addr, p.length_of(i, exit)), true;
    case struct_id::sigaction:
      return put_sigaction(p, addr);
    case struct_id::sigset:
      return put_sigset_at(p, addr, p.length_of(i, exit));
    case struct_id::rlimit:
      return put_rlimit(p, addr);
    case struct_id::pollfd:
      return put_pollfd(p, addr);
    case struct_id::epoll_event:
      return put_epoll_event(p, addr);
    case struct_id::utsname:
      return put_utsname(p, addr);
    case struct_id::stack:
      return put_stack(p, addr);
    case struct_id::clone_args:
      return put_clone_args(p, addr, p.length_of(i, exit));
    case struct_id::msghdr: {
      std::int32_t namelen;  // recvmsg's msg_namelen at entry
      return put_msghdr(p, addr, budget, exit && p.saved(i, namelen) ? &namelen : nullptr);
    }
    case struct_id::rusage:
      return put_rusage(p, addr);
    case struct_id::sysinfo:
      return put_sysinfo(p, addr);
    case struct_id::siginfo:
      return put_siginfo_at(p, addr);
    case struct_id::fd_set:
      return put_fd_set(p, addr);
    case struct_id::utimbuf:
      return put_utimbuf(p, addr);
    case struct_id::tms:
      return put_tms(p, addr);
    case struct_id::sched_param: {  // strace prints only the priority: [0]
      sys::abi::sched_param sp;
      if (!p.read_obj(addr, sp)) return false;
      p.out().push_back('[');
      put_dec(p.out(), sp.sched_priority);
      p.out().push_back(']');
      return true;
    }
    case struct_id::int_: {
      std::int32_t v;
      if (!p.read_obj(addr, v)) return false;
      put_dec(p.out(), v);
      return true;
    }
    case struct_id::uint64: {
      std::uint64_t v;
      if (!p.read_obj(addr, v)) return false;
      put_udec(p.out(), v);
      return true;
    }
    default:
      return false;
  }
}

/// Returns the size of one element of an array of struct `t` (0: not printed as an array).
constexpr std::size_t struct_size(sys::struct_id t) noexcept {
  using sys::struct_id;
  switch (t) {
    case struct_id::iovec:
      return sizeof(sys::abi::iovec);
    case struct_id::pollfd:
      return sizeof(sys::abi::pollfd);
    case struct_id::epoll_event:
      return sizeof(sys::abi::x86_64::epoll_event);
    case struct_id::timespec:
      return sizeof(sys::abi::timespec);
    case struct_id::timeval:
      return sizeof(sys::abi::timeval);
    case struct_id::rlimit:
      return sizeof(sys::abi::rlimit);
    case struct_id::stat:
      return sizeof(sys::abi::x86_64::stat);
    default:
      return 0;
  }
}

}  // namespace snare::format::detail
