// Defines the choice of a NETLINK_SOCK_DIAG payload's decoder by the address family in its
// first byte (strace's decode_netlink_sock_diag).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include <snare/format/detail/decode/netlink_diag.hpp>
#include <snare/format/detail/decode/netlink_inet_diag.hpp>
#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends a NETLINK_SOCK_DIAG payload (after its nlmsghdr) as strace's
/// decode_netlink_sock_diag: by the family in its first byte, the request or the response
/// struct of that family (`request`: NLM_F_REQUEST); `{family=AF_X, data="..."}` for other
/// families.
template <class P>
void put_sock_diag(P& p, std::uint64_t addr, std::uint32_t len, std::uint16_t type, bool request) {
  std::string& out = p.out();
  std::uint8_t family;
  if (!p.read_obj(addr, family)) return put_ptr(out, addr);
  if (len > 1) {
    switch (family) {
      case AF_UNIX:
        return put_unix_diag(p, addr, len, request);
      case AF_INET:
      case AF_INET6:
        return put_inet_diag(p, addr, len, family, type, request);
      case AF_NETLINK:
        return put_netlink_diag(p, addr, len, request);
      case AF_PACKET:
        return put_packet_diag(p, addr, len, request);
      case AF_SMC:
        return put_smc_diag(p, addr, len, request);
      default:
        break;
    }
  }
  out.append("{family=");
  put_enum(out, socket_family_xlat, family);
  if (len > 1) out.append(", data="), put_hex_bytes(p, addr + 1, len - 1);
  out.push_back('}');
}

}  // namespace snare::format::detail
