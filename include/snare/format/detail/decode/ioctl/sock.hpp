// Defines the decoder of the socket ioctls of linux/sockios.h (strace's sock.c): struct
// ifreq by the field each request reads or fills, SIOCGIFCONF's struct ifconf and its
// array of ifreqs, bridge names and interfaces, the ints of the owner requests; the
// others' argument as an address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The struct ifreq field a request reads (SIOCS*) or fills (SIOCG*); kept in the `n` of its
/// ioctl_entry, with ifrf_get when the kernel fills it in.
enum ifreq_field : std::uint32_t {
  ifrf_addr = 1,
  ifrf_dstaddr,
  ifrf_broadaddr,
  ifrf_netmask,
  ifrf_hwaddr,
  ifrf_flags,
  ifrf_ifindex,
  ifrf_metric,
  ifrf_mtu,
  ifrf_slave,
  ifrf_newname,
  ifrf_name,
  ifrf_qlen,
  ifrf_map,
  ifrf_get = 0x100,
};

inline constexpr std::uint32_t siocgifconf = 0x8912;
inline constexpr std::uint32_t siocbraddbr = 0x89a0, siocbrdelbr = 0x89a1;
inline constexpr std::uint32_t siocbraddif = 0x89a2, siocbrdelif = 0x89a3;

/// The socket requests strace decodes (linux/sockios.h), sorted by number: custom ones are
/// ifreqs (their field in `n`), SIOCGIFCONF and the bridge requests.
inline constexpr ioctl_entry sock_ioctls[] = {
    {0x8901, "FIOSETOWN", ioctl_shape::int_in},
    {0x8902, "SIOCSPGRP", ioctl_shape::int_in},
    {0x8903, "FIOGETOWN", ioctl_shape::int_out},
    {0x8904, "SIOCGPGRP", ioctl_shape::int_out},
    {0x8905, "SIOCATMARK", ioctl_shape::int_out},
    {0x8906, "SIOCGSTAMP_OLD", ioctl_shape::ptr},
    {0x8907, "SIOCGSTAMPNS_OLD", ioctl_shape::ptr},
    {0x890b, "SIOCADDRT", ioctl_shape::ptr},
    {0x890c, "SIOCDELRT", ioctl_shape::ptr},
    {0x890d, "SIOCRTMSG", ioctl_shape::ptr},
    {0x8910, "SIOCGIFNAME", ioctl_shape::custom, nullptr, ifrf_name | ifrf_get},
    {0x8911, "SIOCSIFLINK", ioctl_shape::ptr},
    {siocgifconf, "SIOCGIFCONF"},
    {0x8913, "SIOCGIFFLAGS", ioctl_shape::custom, nullptr, ifrf_flags | ifrf_get},
    {0x8914, "SIOCSIFFLAGS", ioctl_shape::custom, nullptr, ifrf_flags},
    {0x8915, "SIOCGIFADDR", ioctl_shape::custom, nullptr, ifrf_addr | ifrf_get},
    {0x8916, "SIOCSIFADDR", ioctl_shape::custom, nullptr, ifrf_addr},
    {0x8917, "SIOCGIFDSTADDR", ioctl_shape::custom, nullptr, ifrf_dstaddr | ifrf_get},
    {0x8918, "SIOCSIFDSTADDR", ioctl_shape::custom, nullptr, ifrf_dstaddr},
    {0x8919, "SIOCGIFBRDADDR", ioctl_shape::custom, nullptr, ifrf_broadaddr | ifrf_get},
    {0x891a, "SIOCSIFBRDADDR", ioctl_shape::custom, nullptr, ifrf_broadaddr},
    {0x891b, "SIOCGIFNETMASK", ioctl_shape::custom, nullptr, ifrf_netmask | ifrf_get},
    {0x891c, "SIOCSIFNETMASK", ioctl_shape::custom, nullptr, ifrf_netmask},
    {0x891d, "SIOCGIFMETRIC", ioctl_shape::custom, nullptr, ifrf_metric | ifrf_get},
    {0x891e, "SIOCSIFMETRIC", ioctl_shape::custom, nullptr, ifrf_metric},
    {0x891f, "SIOCGIFMEM", ioctl_shape::ptr},
    {0x8920, "SIOCSIFMEM", ioctl_shape::ptr},
    {0x8921, "SIOCGIFMTU", ioctl_shape::custom, nullptr, ifrf_mtu | ifrf_get},
    {0x8922, "SIOCSIFMTU", ioctl_shape::custom, nullptr, ifrf_mtu},
    {0x8923, "SIOCSIFNAME", ioctl_shape::custom, nullptr, ifrf_newname},
    {0x8924, "SIOCSIFHWADDR", ioctl_shape::custom, nullptr, ifrf_hwaddr},
    {0x8925, "SIOCGIFENCAP", ioctl_shape::int_out},
    {0x8926, "SIOCSIFENCAP", ioctl_shape::int_in},
    {0x8927, "SIOCGIFHWADDR", ioctl_shape::custom, nullptr, ifrf_hwaddr | ifrf_get},
    {0x8929, "SIOCGIFSLAVE", ioctl_shape::custom, nullptr, ifrf_slave | ifrf_get},
    {0x8930, "SIOCSIFSLAVE", ioctl_shape::custom, nullptr, ifrf_slave},
    {0x8931, "SIOCADDMULTI", ioctl_shape::custom, nullptr, ifrf_hwaddr},
    {0x8932, "SIOCDELMULTI", ioctl_shape::custom, nullptr, ifrf_hwaddr},
    {0x8933, "SIOCGIFINDEX", ioctl_shape::custom, nullptr, ifrf_ifindex | ifrf_get},
    {0x8934, "SIOCSIFPFLAGS", ioctl_shape::ptr},
    {0x8935, "SIOCGIFPFLAGS", ioctl_shape::ptr},
    {0x8936, "SIOCDIFADDR", ioctl_shape::ptr},
    {0x8937, "SIOCSIFHWBROADCAST", ioctl_shape::custom, nullptr, ifrf_hwaddr},
    {0x8938, "SIOCGIFCOUNT", ioctl_shape::ptr},
    {0x8940, "SIOCGIFBR", ioctl_shape::ptr},
    {0x8941, "SIOCSIFBR", ioctl_shape::ptr},
    {0x8942, "SIOCGIFTXQLEN", ioctl_shape::custom, nullptr, ifrf_qlen | ifrf_get},
    {0x8943, "SIOCSIFTXQLEN", ioctl_shape::custom, nullptr, ifrf_qlen},
    {0x8946, "SIOCETHTOOL", ioctl_shape::ptr},
    {0x8947, "SIOCGMIIPHY", ioctl_shape::ptr},
    {0x8948, "SIOCGMIIREG", ioctl_shape::ptr},
    {0x8949, "SIOCSMIIREG", ioctl_shape::ptr},
    {0x894a, "SIOCWANDEV", ioctl_shape::ptr},
    {0x894b, "SIOCOUTQNSD", ioctl_shape::int_out},
    {0x894c, "SIOCGSKNS", ioctl_shape::ptr},
    {0x8953, "SIOCDARP", ioctl_shape::ptr},
    {0x8954, "SIOCGARP", ioctl_shape::ptr},
    {0x8955, "SIOCSARP", ioctl_shape::ptr},
    {0x8960, "SIOCDRARP", ioctl_shape::ptr},
    {0x8961, "SIOCGRARP", ioctl_shape::ptr},
    {0x8962, "SIOCSRARP", ioctl_shape::ptr},
    {0x8970, "SIOCGIFMAP", ioctl_shape::custom, nullptr, ifrf_map | ifrf_get},
    {0x8971, "SIOCSIFMAP", ioctl_shape::custom, nullptr, ifrf_map},
    {0x8980, "SIOCADDDLCI", ioctl_shape::ptr},
    {0x8981, "SIOCDELDLCI", ioctl_shape::ptr},
    {0x8982, "SIOCGIFVLAN", ioctl_shape::ptr},
    {0x8983, "SIOCSIFVLAN", ioctl_shape::ptr},
    {0x8990, "SIOCBONDENSLAVE", ioctl_shape::ptr},
    {0x8991, "SIOCBONDRELEASE", ioctl_shape::ptr},
    {0x8992, "SIOCBONDSETHWADDR", ioctl_shape::ptr},
    {0x8993, "SIOCBONDSLAVEINFOQUERY", ioctl_shape::ptr},
    {0x8994, "SIOCBONDINFOQUERY", ioctl_shape::ptr},
    {0x8995, "SIOCBONDCHANGEACTIVE", ioctl_shape::ptr},
    {siocbraddbr, "SIOCBRADDBR"},
    {siocbrdelbr, "SIOCBRDELBR"},
    {siocbraddif, "SIOCBRADDIF"},
    {siocbrdelif, "SIOCBRDELIF"},
    {0x89b0, "SIOCSHWTSTAMP", ioctl_shape::ptr},
    {0x89b1, "SIOCGHWTSTAMP", ioctl_shape::ptr},
    {0x80108906, "SIOCGSTAMP_NEW", ioctl_shape::ptr},
    {0x80108907, "SIOCGSTAMPNS_NEW", ioctl_shape::ptr},
};
static_assert(ioctl_table_sorted(sock_ioctls), "sock_ioctls must stay sorted by request");

inline constexpr std::size_t ifreq_size = 40;  // struct ifreq on x86-64

/// Appends the field `field` of the struct ifreq in `r` (strace's print_ifreq): a socket
/// address, a hardware address, flags, a number, a name or the device map.
template <class P>
void put_ifreq_field(P& p, std::uint32_t field, const unsigned char* r) {
  std::string& out = p.out();
  const unsigned char* u = r + 16;  // the union after ifrf_name
  static constexpr const char* addr_names[] = {"ifr_addr", "ifr_dstaddr", "ifr_broadaddr", "ifr_netmask"};
  switch (field) {
    case ifrf_addr:
    case ifrf_dstaddr:
    case ifrf_broadaddr:
    case ifrf_netmask:
      out.append(addr_names[field - ifrf_addr]).push_back('=');
      return put_sockaddr_data(p, u, 16);
    case ifrf_hwaddr: {
      auto family = ioctl_field<std::uint16_t>(u, 0);
      out.append("ifr_hwaddr={sa_family="), put_enum(out, arp_hardware_types_xlat, family);
      // strace's print_hwaddr: as many bytes as the hardware type's address has (Ethernet's
      // 6, AX.25's and NET/ROM's 7), all 14 of sa_data for the others.
      std::size_t n = family == 1 ? 6 : (family == 0 || family == 3) ? 7 : 14;
      out.append(", sa_data="), put_mac(out, u + 2, n), out.push_back('}');
      return;
    }
    case ifrf_flags:
      out.append("ifr_flags=");
      return put_flags(out, iffflags_xlat, ioctl_field<std::uint16_t>(u, 0));
    case ifrf_ifindex:
      return out.append("ifr_ifindex="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
    case ifrf_metric:
      return out.append("ifr_metric="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
    case ifrf_mtu:
      return out.append("ifr_mtu="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
    case ifrf_qlen:
      return out.append("ifr_qlen="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
    case ifrf_slave:
      return out.append("ifr_slave="), put_ioctl_cstring(p, u, 16);
    case ifrf_newname:
      return out.append("ifr_newname="), put_ioctl_cstring(p, u, 16);
    case ifrf_name:
      return out.append("ifr_name="), put_ioctl_cstring(p, r, 16);
    case ifrf_map:
      out.append("ifr_map={mem_start="), put_hex(out, ioctl_field<std::uint64_t>(u, 0));
      out.append(", mem_end="), put_hex(out, ioctl_field<std::uint64_t>(u, 8));
      out.append(", base_addr="), put_hex(out, ioctl_field<std::uint16_t>(u, 16));
      out.append(", irq="), put_hex(out, u[18]), out.append(", dma="), put_hex(out, u[19]);
      out.append(", port="), put_hex(out, u[20]), out.push_back('}');
      return;
    default:
      return;
  }
}

/// Appends an ifc_len: the length and, when it holds whole ifreqs, `/* 2 * sizeof(struct
/// ifreq) */`. Returns how many ifreqs it holds.
inline std::uint64_t put_ifc_len(std::string& out, std::int32_t len) {
  put_dec(out, len);
  auto n = static_cast<std::uint32_t>(len) / ifreq_size;
  if (len > 0 && n * ifreq_size == static_cast<std::uint32_t>(len))
    out.append(" /* "), put_udec(out, n), out.append(" * sizeof(struct ifreq) */");
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(len)) / ifreq_size;
}

/// Prints SIOCGIFCONF's struct ifconf (strace's decode_ifconf): `{ifc_len=` and the length
/// given at entry, then the length the kernel wrote (`82 => 80` when it changed) and the
/// interfaces. What entry read is kept in slots 3-5 of the entry state (see printer::keep);
/// without one, exit takes what it reads for both.
template <class P>
ioctl_step put_ifconf_ioctl(P& p, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  struct {
    std::int32_t len, pad;
    std::uint64_t buf;
  } ifc{}, at_entry{};
  const bool readable = p.read_obj(arg, ifc);
  if (!exit) {
    if (!readable) return put_ptr(out, arg), ioctl_step::done;
    out.append("{ifc_len=");
    if (ifc.buf) put_ifc_len(out, ifc.len);
    p.keep(3, ifc.len);
    p.keep(4, static_cast<std::int32_t>(ifc.buf & 0xffffffffu));
    p.keep(5, static_cast<std::int32_t>(ifc.buf >> 32));
    return ioctl_step::more;
  }
  std::int32_t len = 0, lo = 0, hi = 0;
  if (p.saved(3, len) && p.saved(4, lo) && p.saved(5, hi)) {
    at_entry.len = len;
    at_entry.buf = static_cast<std::uint32_t>(lo) | std::uint64_t{static_cast<std::uint32_t>(hi)} << 32;
  } else if (readable) {
    at_entry = ifc;
  } else {
    return ioctl_step::done;  // entry printed the address
  }
  if (!readable) {  // what entry read, as strace
    if (!at_entry.buf) put_ifc_len(out, at_entry.len);
    out.append(", ifc_buf="), put_ptr(out, at_entry.buf), out.push_back('}');
    return ioctl_step::done;
  }
  const bool changed = at_entry.len != ifc.len;
  if (at_entry.buf && changed) out.append(" => ");
  if (!at_entry.buf || changed) put_ifc_len(out, ifc.len);
  out.append(", ifc_buf=");
  if (!at_entry.buf || p.failed()) {
    put_ptr(out, at_entry.buf);
    if (at_entry.buf != ifc.buf) out.append(" => "), put_ptr(out, ifc.buf);
  } else {
    auto n = static_cast<std::uint64_t>(static_cast<std::int64_t>(ifc.len)) / ifreq_size;
    put_ioctl_structs(p, ifc.buf, n, ifreq_size, [&](const unsigned char* r) {
      out.append("{ifr_name="), put_ioctl_cstring(p, r, 16);
      out.append(", "), put_ifreq_field(p, ifrf_addr, r), out.push_back('}');
    });
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// Prints the argument of socket request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_sock_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(sock_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  if (code == siocgifconf) return put_ifconf_ioctl(p, arg, exit);
  if (code == siocbraddbr || code == siocbrdelbr) {  // a bridge's name (IFNAMSIZ bytes)
    if (!exit) p.put_cstring_n(arg, 16);
    return ioctl_step::done;
  }
  unsigned char r[ifreq_size];
  if (code == siocbraddif || code == siocbrdelif) {
    if (exit) return ioctl_step::done;
    if (!p.read_obj(arg, r)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{ifr_ifindex="), put_ifindex(out, ioctl_field<std::uint32_t>(r, 16)), out.push_back('}');
    return ioctl_step::done;
  }
  const std::uint32_t field = e->n & 0xff;
  const bool get = e->n & ifrf_get;
  if (!exit) {
    if (!p.read_obj(arg, r)) return put_ptr(out, arg), ioctl_step::done;
    out.push_back('{');
    if (code == 0x8910)  // SIOCGIFNAME: the index in, the name out
      out.append("ifr_ifindex="), put_dec(out, ioctl_field<std::int32_t>(r, 16));
    else
      out.append("ifr_name="), put_ioctl_cstring(p, r, 16);
    if (get) return ioctl_step::more;
    out.append(", "), put_ifreq_field(p, field, r), out.push_back('}');
    return ioctl_step::done;
  }
  if (!get) return ioctl_step::done;
  // A request unreadable at entry printed its address; at exit it is taken to be so still.
  if (!p.read_obj(arg, r)) return ioctl_step::done;
  if (!p.failed()) out.append(", "), put_ifreq_field(p, field, r);
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
