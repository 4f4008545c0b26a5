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

#include <arpa/inet.h>

#include <snare/format/detail/decode/cmsg.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
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
