// Defines the printers of the socket options whose value is a struct (strace's net.c and
// print_group_req.c): IP and IPv6 multicast requests, struct group_req, the packet
// socket's ring request, membership and statistics, and the raw socket's ICMP filter.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/sockaddr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends a struct of C int fields, `names`, from the first `len` bytes at `addr` as
/// strace's MAYBE_PRINT_FIELD_LEN: the fields `len` covers, a cut field's bytes in hex
/// ({l_onoff=1, l_linger="\xdf\x4f"}); `put(k, v)` prints field k's whole value.
template <class P, class Put>
void put_int_fields(P& p, std::uint64_t addr, std::uint32_t len, std::span<const std::string_view> names,
                    Put put) {
  std::size_t size = names.size() * 4, n = std::min<std::size_t>(len, size);
  if (!p.read_exact(addr, n)) return put_ptr(p.out(), addr);
  std::string bytes = scratch().substr(0, n);
  std::string& out = p.out();
  out.push_back('{');
  for (std::size_t k = 0; k < names.size() && n > 4 * k; ++k) {
    if (k) out.append(", ");
    out.append(names[k]).push_back('=');
    if (n >= 4 * k + 4) {
      std::int32_t v;
      std::memcpy(&v, bytes.data() + 4 * k, 4);
      put(k, v);
    } else {
      put_quoted(out, std::string_view(bytes).substr(4 * k), true);
    }
  }
  out.push_back('}');
}

/// Appends struct ip_mreq (8 bytes: two IPv4 addresses) at `addr`:
/// `{imr_multiaddr=inet_addr("224.0.0.3"), imr_interface=inet_addr("127.0.0.1")}`; the
/// address when `len` is short or it cannot be read (strace's print_mreq).
template <class P>
void put_ip_mreq(P& p, std::uint64_t addr, std::int32_t len) {
  unsigned char m[8];
  if (len < 8 || !p.read_obj(addr, m)) return put_ptr(p.out(), addr);
  field_sep f{p.out()};
  p.out().push_back('{');
  put_inet_addr(f, AF_INET, m, 4, "imr_multiaddr");
  put_inet_addr(f, AF_INET, m + 4, 4, "imr_interface");
  p.out().push_back('}');
}

/// Appends struct ipv6_mreq (20 bytes: an IPv6 address, an interface index):
/// `{inet_pton(AF_INET6, "ff01::c", &ipv6mr_multiaddr), ipv6mr_interface=if_nametoindex("lo")}`
/// (strace's print_mreq6); the address when `len` is short or it cannot be read.
template <class P>
void put_ipv6_mreq(P& p, std::uint64_t addr, std::int32_t len) {
  unsigned char m[20];
  if (len < 20 || !p.read_obj(addr, m)) return put_ptr(p.out(), addr);
  std::uint32_t ifindex;
  std::memcpy(&ifindex, m + 16, 4);
  field_sep f{p.out()};
  p.out().push_back('{');
  put_inet_addr(f, AF_INET6, m, 16, "ipv6mr_multiaddr");
  put_ifindex(f("ipv6mr_interface"), ifindex);
  p.out().push_back('}');
}

/// Appends struct group_req (136 bytes on LP64: an interface index, 4 bytes of padding, a
/// struct sockaddr_storage): `{gr_interface=if_nametoindex("lo"), gr_group={sa_family=...}}`
/// (strace's print_group_req); the address when `len` is short or it cannot be read.
template <class P>
void put_group_req(P& p, std::uint64_t addr, std::int32_t len) {
  std::uint32_t ifindex;
  if (len < 136 || !p.read_exact(addr, 136)) return put_ptr(p.out(), addr);
  std::memcpy(&ifindex, scratch().data(), 4);
  p.out().append("{gr_interface=");
  put_ifindex(p.out(), ifindex);
  p.out().append(", gr_group=");
  put_sockaddr(p, addr + 8, 128);
  p.out().push_back('}');
}

/// Appends struct tpacket_req (four u32) when `len` is its size, else the address
/// (strace's print_tpacket_req).
template <class P>
void put_tpacket_req(P& p, std::uint64_t addr, std::int32_t len) {
  std::uint32_t r[4];
  if (len != 16 || !p.read_obj(addr, r)) return put_ptr(p.out(), addr);
  static constexpr std::string_view names[] = {"tp_block_size", "tp_block_nr", "tp_frame_size",
                                               "tp_frame_nr"};
  field_sep f{p.out()};
  p.out().push_back('{');
  for (std::size_t k = 0; k < 4; ++k) put_udec(f(names[k]), r[k]);
  p.out().push_back('}');
}

/// Appends struct packet_mreq (16 bytes) when `len` is its size, else the address (strace's
/// print_packet_mreq): mr_address shows min(mr_alen, 8) bytes as a MAC address.
template <class P>
void put_packet_mreq(P& p, std::uint64_t addr, std::int32_t len) {
  struct {
    std::int32_t mr_ifindex;
    std::uint16_t mr_type, mr_alen;
    unsigned char mr_address[8];
  } m;
  if (len != 16 || !p.read_obj(addr, m)) return put_ptr(p.out(), addr);
  std::string& out = p.out();
  field_sep f{out};
  out.push_back('{');
  put_ifindex(f("mr_ifindex"), static_cast<std::uint32_t>(m.mr_ifindex));
  put_enum(f("mr_type"), packet_mr_type_xlat, m.mr_type);
  put_udec(f("mr_alen"), m.mr_alen);
  f("mr_address");
  std::size_t n = std::min<std::size_t>(m.mr_alen, sizeof m.mr_address);
  put_mac(out, m.mr_address, n);
  out.push_back('}');
}

/// Appends struct tpacket_stats (three u32) as strace's print_tpacket_stats: the fields the
/// first `len` bytes cover, a cut field in hex (`{tp_packets="\xff\xff\xff"}`).
template <class P>
void put_tpacket_stats(P& p, std::uint64_t addr, std::int32_t len) {
  static constexpr std::string_view names[] = {"tp_packets", "tp_drops", "tp_freeze_q_cnt"};
  put_int_fields(p, addr, static_cast<std::uint32_t>(len), names,
                 [&](std::size_t, std::int32_t v) { put_udec(p.out(), static_cast<std::uint32_t>(v)); });
}

/// Appends struct icmp_filter (a u32 bit set of ICMP types) as strace's print_icmp_filter:
/// `[ICMP_ECHOREPLY ICMP_DEST_UNREACH]`, or `~[...]` (the bits not set) when more than half
/// are set; the first min(len, 4) bytes over all ones, the address when `len` <= 0.
template <class P>
void put_icmp_filter(P& p, std::uint64_t addr, std::int32_t len) {
  if (len <= 0) return put_ptr(p.out(), addr);
  std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len), 4);
  if (!p.read_exact(addr, n)) return put_ptr(p.out(), addr);
  std::uint32_t data = ~std::uint32_t{0};
  std::memcpy(&data, scratch().data(), n);
  std::string& out = p.out();
  if (std::popcount(data) > 16) {
    data = ~data;
    out.push_back('~');
  }
  out.push_back('[');
  bool first = true;
  for (unsigned bit = 0; bit < 32; ++bit) {
    if ((data >> bit & 1) == 0) continue;
    if (!first) out.push_back(' ');
    first = false;
    put_enum(out, icmp_filter_type_xlat, bit);
  }
  out.push_back(']');
}

}  // namespace snare::format::detail
