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

#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends the `len`-byte socket address at `addr`: {sa_family=AF_INET, sin_port=htons(80),
/// ...}; the address alone when it cannot be read.
template <class P>
void put_sockaddr(P& p, std::uint64_t addr, std::uint64_t len) {
  std::string& out = p.out();
  unsigned char sa[128]{};
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, sizeof sa));
  if (n < 2 || !p.read_exact(addr, n)) return put_hex(out, addr);
  std::memcpy(sa, scratch().data(), n);
  std::uint16_t family = static_cast<std::uint16_t>(sa[0] | (sa[1] << 8));
  out.append("{sa_family=");
  put_enum(out, socket_family_xlat, family);
  auto port = [&](std::size_t at) { return static_cast<unsigned>((sa[at] << 8) | sa[at + 1]); };
  if (family == 1 && n == 2) {  // AF_UNIX without a path (an unbound socket)
  } else if (family == 1) {     // AF_UNIX
    out.append(", sun_path=");
    const char* path = reinterpret_cast<const char*>(sa + 2);
    std::size_t cap = n - 2;
    if (cap > 0 && path[0] == '\0') {
      out.push_back('@');
      put_quoted(out, std::string_view(path + 1, strnlen(path + 1, cap - 1)));
    } else {
      put_quoted(out, std::string_view(path, strnlen(path, cap)));
    }
  } else if (family == 2 && n >= 8) {  // AF_INET
    out.append(", sin_port=htons(");
    put_udec(out, port(2));
    out.append("), sin_addr=inet_addr(\"");
    for (int i = 0; i < 4; ++i) {
      if (i) out.push_back('.');
      put_udec(out, sa[4 + i]);
    }
    out.append("\")");
  } else if (family == 10 && n >= 24) {  // AF_INET6
    out.append(", sin6_port=htons(");
    put_udec(out, port(2));
    out.append("), sin6_flowinfo=htonl(");
    put_udec(out, (std::uint32_t{sa[4]} << 24) | (sa[5] << 16) | (sa[6] << 8) | sa[7]);
    out.append("), inet_pton(AF_INET6, \"");
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(10, sa + 8, text, sizeof text);
    out.append(text);
    out.append("\", &sin6_addr)");
    if (n >= 28) {
      std::uint32_t scope;
      std::memcpy(&scope, sa + 24, 4);
      out.append(", sin6_scope_id=");
      put_udec(out, scope);
    }
  } else if (family == 16 && n >= 12) {  // AF_NETLINK: {nl_pid=2974, nl_groups=00000000}
    std::uint32_t pid, groups;
    std::memcpy(&pid, sa + 4, 4);
    std::memcpy(&groups, sa + 8, 4);
    out.append(", nl_pid=");
    put_udec(out, pid);
    out.append(", nl_groups=");
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", groups);
    out.append(hex);
  } else {
    out.append(", sa_data=");
    put_quoted(out, std::string_view(reinterpret_cast<const char*>(sa + 2), n - 2));
  }
  out.push_back('}');
}

/// Appends the struct msghdr at `addr`, its vectors showing at most `budget` bytes.
template <class P>
bool put_msghdr(P& p, std::uint64_t addr, std::uint64_t& budget) {
  sys::abi::msghdr m;
  if (!p.read_obj(addr, m)) return false;
  std::string& out = p.out();
  out.append("{msg_name=");
  if (m.msg_name == 0)
    out.append("NULL");
  else
    put_sockaddr(p, m.msg_name, static_cast<std::uint32_t>(m.msg_namelen));
  out.append(", msg_namelen=");
  put_udec(out, static_cast<std::uint32_t>(m.msg_namelen));
  out.append(", msg_iov=");
  put_iovecs(p, m.msg_iov, m.msg_iovlen, budget);
  out.append(", msg_iovlen=");
  put_udec(out, m.msg_iovlen);
  if (m.msg_control != 0 && m.msg_controllen != 0) {
    out.append(", msg_control=");
    put_hex(out, m.msg_control);
  }
  out.append(", msg_controllen=");
  put_udec(out, m.msg_controllen);
  out.append(", msg_flags=");
  put_flags(out, msg_flags_xlat, static_cast<std::uint32_t>(m.msg_flags));
  out.push_back('}');
  return true;
}

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
