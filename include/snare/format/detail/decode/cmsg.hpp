// Defines the printer of a msghdr's control messages (strace's msghdr.c
// decode_msg_control): `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
// cmsg_data=[3]}, ...]`, with the data of SOL_SOCKET and SOL_IP messages decoded.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Returns net.core.optmem_max rounded up to 8, the most control data strace reads (its
/// get_optmem_max; 8 * (2 * IOV_MAX + 512) bytes when the file cannot be read).
inline std::uint32_t optmem_max() {
  static const std::uint32_t v = [] {
    int n = 0;
    if (std::FILE* f = std::fopen("/proc/sys/net/core/optmem_max", "r")) {
      if (std::fscanf(f, "%d", &n) != 1) n = 0;
      std::fclose(f);
    }
    if (n <= 0) return std::uint32_t{8 * (2 * 1024 + 512)};
    return (static_cast<std::uint32_t>(n) + 7) & ~std::uint32_t{7};
  }();
  return v;
}

/// Appends the `n`-element array of `size`-byte members at `d` as strace's
/// print_local_array_ex: cut at the string limit with `...` (not with -v).
template <class P, class Put>
void put_local_array(P& p, const unsigned char* d, std::size_t n, std::size_t size, Put put) {
  std::string& out = p.out();
  out.push_back('[');
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    put(d + k * size);
  }
  out.push_back(']');
}

/// Appends the data of a control message of level SOL_SOCKET or SOL_IP, `cmsg_data=...`,
/// when strace decodes its type and `n` bytes are enough (its cmsg_*_printers tables).
template <class P>
void put_cmsg_data(P& p, std::int32_t level, std::int32_t type, const unsigned char* d, std::size_t n) {
  std::string& out = p.out();
  auto u32 = [](const unsigned char* at) {
    std::uint32_t v;
    std::memcpy(&v, at, 4);
    return v;
  };
  auto field = [&] { out.append(", cmsg_data="); };
  auto put_time = [&](std::size_t count, bool nsec) {  // timeval/timespec: 16 bytes on LP64
    field();
    if (n < 16 * count) return out.append("???"), void();
    if (count > 1) out.push_back('[');
    for (std::size_t k = 0; k < count; ++k) {
      if (k) out.append(", ");
      if (nsec) {
        sys::abi::timespec t;
        std::memcpy(&t, d + 16 * k, sizeof t);
        put_timespec(out, t);
      } else {
        sys::abi::timeval t;
        std::memcpy(&t, d + 16 * k, sizeof t);
        put_timeval(out, t);
      }
    }
    if (count > 1) out.push_back(']');
  };
  if (level == 1) {  // SOL_SOCKET
    switch (type) {
      case 1:  // SCM_RIGHTS
        if (n < 4) return;
        field();
        return put_local_array(
            p, d, n / 4, 4, [&](const unsigned char* at) { p.put_fd(static_cast<std::int32_t>(u32(at))); });
      case 2:  // SCM_CREDENTIALS: struct ucred
        if (n < 12) return;
        field();
        out.append("{pid=");
        p.put_pid(static_cast<std::int32_t>(u32(d)), pid_type::tgid);
        out.append(", uid=");
        put_id(out, u32(d + 4));
        out.append(", gid=");
        put_id(out, u32(d + 8));
        out.push_back('}');
        return;
      case 3:  // SCM_SECURITY
        if (n < 1) return;
        field();
        return put_quoted(out, std::string_view(reinterpret_cast<const char*>(d), n));
      case 29:  // SO_TIMESTAMP_OLD
      case 63:  // SO_TIMESTAMP_NEW
        return n < 1 ? void() : put_time(1, false);
      case 35:  // SO_TIMESTAMPNS_OLD
      case 64:  // SO_TIMESTAMPNS_NEW
        return n < 1 ? void() : put_time(1, true);
      case 37:  // SO_TIMESTAMPING_OLD
      case 65:  // SO_TIMESTAMPING_NEW
        return n < 1 ? void() : put_time(3, true);
      default:
        return;
    }
  }
  switch (type) {  // SOL_IP
    case 8: {      // IP_PKTINFO: struct in_pktinfo
      if (n < 12) return;
      field();
      field_sep f{out};
      out.push_back('{');
      put_ifindex(f("ipi_ifindex"), u32(d));
      put_inet_addr(f, AF_INET, d + 4, 4, "ipi_spec_dst");
      put_inet_addr(f, AF_INET, d + 8, 4, "ipi_addr");
      out.push_back('}');
      return;
    }
    case 2:   // IP_TTL
    case 23:  // IP_CHECKSUM
      if (n < 4) return;
      field();
      return put_local_array(p, d, n / 4, 4, [&](const unsigned char* at) { put_udec(out, u32(at)); });
    case 1:  // IP_TOS
    case 6:  // IP_RECVOPTS
    case 7:  // IP_RETOPTS
      if (n < 1) return;
      field();
      return put_local_array(p, d, n, 1, [&](const unsigned char* at) { put_hex(out, *at); });
    case 11: {  // IP_RECVERR: struct sock_extended_err and the offender's sockaddr_in
      if (n < 32) return;
      field();
      out.append("{ee_errno=");
      put_udec(out, u32(d));
      static constexpr std::string_view bytes[] = {", ee_origin=", ", ee_type=", ", ee_code="};
      for (std::size_t k = 0; k < 3; ++k) out.append(bytes[k]), put_udec(out, d[4 + k]);
      out.append(", ee_info=");
      put_udec(out, u32(d + 8));
      out.append(", ee_data=");
      put_udec(out, u32(d + 12));
      out.append(", offender=");
      put_sockaddr_data(p, d + 16, 16);
      out.push_back('}');
      return;
    }
    case 20:  // IP_ORIGDSTADDR: a sockaddr_in
      if (n < 16) return;
      field();
      return put_sockaddr_data(p, d, std::min<std::size_t>(n, 128));
    case 3:  // SCM_SECURITY
      if (n < 1) return;
      field();
      return put_quoted(out, std::string_view(reinterpret_cast<const char*>(d), n));
    default:
      return;
  }
}

/// Appends `, msg_control=[...]`, the control messages of `controllen` bytes at `addr`
/// (at most optmem_max of them read), as strace's decode_msg_control: each cmsghdr (16
/// bytes on LP64), its data decoded by level and type, `...` for messages past what was
/// read, `... /* 0x... */` for a tail too short for a header; the address when unreadable.
template <class P>
void put_msg_control(P& p, std::uint64_t addr, std::uint64_t controllen) {
  if (controllen == 0) return;
  std::string& out = p.out();
  out.append(", msg_control=");
  constexpr std::size_t hdr = 16;
  std::size_t control_len = static_cast<std::size_t>(std::min<std::uint64_t>(controllen, optmem_max()));
  if (control_len < hdr || !p.read_exact(addr, control_len)) return put_ptr(out, addr);
  std::vector<unsigned char> buf(scratch().begin(), scratch().end());
  std::size_t at = 0, left = control_len;
  static constexpr xlat levels{socket_level_field, ~std::uint64_t{0}, {}, {}, "SOL_???"};
  out.push_back('[');
  while (left >= hdr) {
    std::uint64_t cmsg_len;
    std::int32_t level, type;
    std::memcpy(&cmsg_len, buf.data() + at, 8);
    std::memcpy(&level, buf.data() + at + 8, 4);
    std::memcpy(&type, buf.data() + at + 12, 4);
    if (at) out.append(", ");
    out.append("{cmsg_len=");
    put_udec(out, cmsg_len);
    out.append(", cmsg_level=");
    put_enum(out, levels, static_cast<std::uint32_t>(level));
    out.append(", cmsg_type=");
    std::uint64_t len = std::min<std::uint64_t>(cmsg_len, left);
    std::size_t data_len = len > hdr ? static_cast<std::size_t>(len - hdr) : 0;
    if (level == 1) {
      put_enum(out, scm_type_xlat, static_cast<std::uint32_t>(type));
      put_cmsg_data(p, level, type, buf.data() + at + hdr, data_len);
    } else if (level == 0) {
      put_enum(out, ip_cmsg_type_xlat, static_cast<std::uint32_t>(type));
      put_cmsg_data(p, level, type, buf.data() + at + hdr, data_len);
    } else {
      put_hex(out, static_cast<std::uint32_t>(type));
    }
    out.push_back('}');
    if (len < hdr) {
      left -= hdr;
      break;
    }
    std::uint64_t step = (cmsg_len + 7) & ~std::uint64_t{7};
    if (step >= left) {
      left = 0;
      break;
    }
    at += static_cast<std::size_t>(step);
    left -= static_cast<std::size_t>(step);
  }
  if (left) {
    out.append(", ... /* ");
    put_hex(out, addr + (control_len - left));
    out.append(" */");
  } else if (control_len < controllen) {
    out.append(", ...");
  }
  out.push_back(']');
}

}  // namespace snare::format::detail
