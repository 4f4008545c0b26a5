// Defines the printer of socket addresses (strace's sockaddr.c): struct sockaddr by its
// family, `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <arpa/inet.h>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends the `n`-byte socket address `sa` (a copy in the tracer, n <= 128):
/// {sa_family=AF_INET, sin_port=htons(80), ...}.
template <class P>
void put_sockaddr_data(P& p, const unsigned char* data, std::size_t n) {
  std::string& out = p.out();
  unsigned char sa[128]{};
  n = std::min(n, sizeof sa);
  std::memcpy(sa, data, n);
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
    if (unsigned pad = sa[2] | (sa[3] << 8); pad != 0) out.append(", nl_pad="), put_hex(out, pad);
    out.append(", nl_pid=");
    put_udec(out, pid);
    out.append(", nl_groups=");
    char hex[11];
    std::snprintf(hex, sizeof hex, "%#08x", groups);  // strace's PRINT_FIELD_0X: 0 is 00000000
    out.append(hex);
  } else {
    out.append(", sa_data=");
    put_quoted(out, std::string_view(reinterpret_cast<const char*>(sa + 2), n - 2));
  }
  out.push_back('}');
}

/// Appends the `len`-byte socket address at `addr`: {sa_family=AF_INET, sin_port=htons(80),
/// ...}; the address alone when it cannot be read.
template <class P>
void put_sockaddr(P& p, std::uint64_t addr, std::uint64_t len) {
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, 128));
  if (n < 2 || !p.read_exact(addr, n)) return put_hex(p.out(), addr);
  unsigned char sa[128];
  std::memcpy(sa, scratch().data(), n);
  put_sockaddr_data(p, sa, n);
}

}  // namespace snare::format::detail
