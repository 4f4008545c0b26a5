// Defines the decoders of network calls (strace's net.c, sockaddr.c, msghdr.c): socket
// addresses, struct msghdr and socket protocols (socket options: sockopt.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>

#include <snare/format/detail/decode/cmsg.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends the struct msghdr at `addr`, its vectors showing at most `budget` bytes
/// (strace's print_struct_msghdr); with recvmsg's `user_namelen` (msg_namelen at entry),
/// the name shows the smaller of both lengths and msg_namelen `110 => 16` when it changed.
template <class P>
bool put_msghdr(P& p, std::uint64_t addr, std::uint64_t& budget, const std::int32_t* user_namelen = nullptr) {
  sys::abi::msghdr m;
  if (!p.read_obj(addr, m)) return false;
  std::string& out = p.out();
  std::int32_t namelen = m.msg_namelen;
  if (user_namelen && namelen > *user_namelen) namelen = *user_namelen;
  out.append("{msg_name=");
  if (m.msg_name == 0)
    out.append("NULL");
  else if (namelen <= 0)
    put_hex(out, m.msg_name);
  else
    put_sockaddr(p, m.msg_name, static_cast<std::uint32_t>(namelen));
  out.append(", msg_namelen=");
  if (user_namelen && *user_namelen != m.msg_namelen) put_dec(out, *user_namelen), out.append(" => ");
  put_dec(out, m.msg_namelen);
  out.append(", msg_iov=");
  put_iovecs(p, m.msg_iov, m.msg_iovlen, budget);
  out.append(", msg_iovlen=");
  put_udec(out, m.msg_iovlen);
  put_msg_control(p, m.msg_control, m.msg_controllen);
  out.append(", msg_controllen=");
  put_udec(out, m.msg_controllen);
  out.append(", msg_flags=");
  put_flags(out, msg_flags_xlat, static_cast<std::uint32_t>(m.msg_flags));
  out.push_back('}');
  return true;
}

/// Appends `count` struct mmsghdr at `addr` as strace's decode_mmsgvec: at most IOV_MAX
/// (1024) of them, cut at the string limit without -v, `... /* 0x... */` where memory
/// ends; the first `msg_len_count` show msg_len, and with `use_msg_len` each message's
/// vectors show only its msg_len bytes (recvmmsg).
template <class P>
void put_mmsgvec(P& p, std::uint64_t addr, std::uint64_t count, std::uint64_t msg_len_count, bool use_msg_len,
                 const std::vector<std::int32_t>* namelens = nullptr) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  constexpr std::uint64_t elem = sizeof(sys::abi::mmsghdr), iov_max = 1024;
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    sys::abi::mmsghdr m;
    if (!p.read_obj(addr + k * elem, m)) {
      if (k == 0) return out.resize(mark), put_hex(out, addr);
      p.put_unreadable_tail(addr + k * elem);
      break;
    }
    // recvmmsg stops where its messages stopped being readable at entry (strace's count).
    bool past_saved = namelens && !namelens->empty() && k >= namelens->size();
    if ((!p.opts().verbose && k == p.opts().string_limit) || k == iov_max || past_saved) {
      out.append("...");
      break;
    }
    std::uint64_t budget = use_msg_len ? m.msg_len : ~std::uint64_t{0};
    out.append("{msg_hdr=");
    const std::int32_t* namelen = namelens && k < namelens->size() ? &(*namelens)[k] : nullptr;
    if (!put_msghdr(p, addr + k * elem, budget, namelen)) put_hex(out, addr + k * elem);
    if (k < msg_len_count) out.append(", msg_len="), put_udec(out, m.msg_len);
    out.push_back('}');
  }
  out.push_back(']');
}

/// sendmmsg: the messages at exit, even after a failure, msg_len for those sent (strace's
/// SYS_FUNC(sendmmsg)).
template <>
struct decoder<sys::call_id::sendmmsg> {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i >= 1;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 1 || !exit) return false;
    std::uint64_t sent = p.failed() || p.ret() < 0 ? 0 : static_cast<std::uint64_t>(p.ret());
    put_mmsgvec(p, p.arg(1), static_cast<std::uint32_t>(p.arg(2)), sent, false);
    return true;
  }
};

/// recvmmsg: the messages received (their address after a failure), and the result's
/// comment: `(Timeout)` for none, `(left {tv_sec=0, tv_nsec=12343224})` with a timeout
/// (strace's do_recvmmsg).
template <>
struct decoder<sys::call_id::recvmmsg> {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i >= 1;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    sys::abi::timespec ts;
    if (i == 4 && exit && p.saved_timespec(ts)) return put_timespec(p.out(), ts), true;  // as it was at entry
    if (i != 1 || !exit) return false;
    if (p.failed() || p.ret() < 0) return put_ptr(p.out(), p.arg(1)), true;
    auto n = static_cast<std::uint64_t>(p.ret());
    put_mmsgvec(p, p.arg(1), n, n, true, p.saved_namelens());
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    std::string& out = p.out();
    put_dec(out, p.ret());
    if (p.ret() == 0) return out.append(" (Timeout)"), void();
    if (!p.opts().decode_structs) return;  // -e verbose= leaving it out: no time left (strace)
    sys::abi::timespec left;
    if (p.arg(4) == 0 || !p.read_obj(p.arg(4), left)) return;
    out.append(" (left ");
    put_timespec(out, left);
    out.push_back(')');
  }
};

/// recvmsg: after a failure, the msg_namelen it was called with (`{msg_namelen=36}`), as
/// strace's SYS_FUNC(recvmsg).
template <>
struct decoder<sys::call_id::recvmsg> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::int32_t namelen;
    if (i != 1 || !exit || !p.failed() || !p.saved(1, namelen)) return false;
    p.out().append("{msg_namelen=");
    put_dec(p.out(), namelen);
    p.out().push_back('}');
    return true;
  }
};

/// socket and socketpair: the protocol by name for AF_INET and AF_INET6.
struct socket_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 2 && p.arg(0) == 16) {  // AF_NETLINK: the netlink protocol
      put_enum(p.out(), netlink_protocol_xlat, p.arg(2) & 0xffffffffu);
      return true;
    }
    if (i != 2 || (p.arg(0) != 2 && p.arg(0) != 10)) return false;
    static constexpr xlat_entry protocols[] = {
        {0, "IPPROTO_IP"},    {1, "IPPROTO_ICMP"},    {6, "IPPROTO_TCP"},    {17, "IPPROTO_UDP"},
        {41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"},
        {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"}};
    put_enum(p.out(), xlat{protocols, ~std::uint64_t{0}, {}, {}, "IPPROTO_???"}, p.arg(2) & 0xffffffffu);
    return true;
  }
};
template <>
struct decoder<sys::call_id::socket> : socket_decoder {};
template <>
struct decoder<sys::call_id::socketpair> : socket_decoder {};

}  // namespace snare::format::detail

#include <snare/format/detail/decode/sockopt.hpp>  // getsockopt and setsockopt
