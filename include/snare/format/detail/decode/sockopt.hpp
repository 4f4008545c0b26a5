// Defines the decoders of getsockopt and setsockopt (strace's net.c): the option name
// looked up in the table of its level, and the option's value by what the option is (an
// int for the int-like options, else by its length), with getsockopt's optlen as a
// value-result `[ulen => rlen]`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/decode/err.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/sockopt_struct.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// Socket option levels (linux/socket.h) whose options strace names or decodes.
namespace sol {
inline constexpr std::uint32_t ip = 0, socket = 1, tcp = 6, udp = 17, ipv6 = 41, raw = 255, packet = 263,
                               netlink = 270;
}  // namespace sol

/// Appends a socket option name from the table of its level (SO_ for SOL_SOCKET, TCP_ for
/// SOL_TCP, ...), or the number for a level without one, as strace does.
inline void put_sockopt_name(std::string& out, std::uint64_t level, std::uint64_t name, bool get) {
  auto v = static_cast<std::uint32_t>(name);
  switch (static_cast<std::uint32_t>(level)) {
    case sol::socket:  // 26 is SO_ATTACH_FILTER to set, SO_GET_FILTER to get
      if (v == 26 && get) return put_named(out, "SO_GET_FILTER", [&] { put_hex(out, v); });
      return put_enum(out, socket_option_xlat, v);
    case sol::ip:
      return put_enum(out, sock_ip_option_xlat, v);
    case sol::tcp:
      return put_enum(out, sock_tcp_option_xlat, v);
    case sol::udp:
      return put_enum(out, sock_udp_option_xlat, v);
    case sol::ipv6:
      return put_enum(out, sock_ipv6_option_xlat, v);
    case sol::raw:
      return put_enum(out, sock_raw_option_xlat, v);
    case sol::packet:
      return put_enum(out, sock_packet_option_xlat, v);
    case sol::netlink:
      return put_enum(out, sock_netlink_option_xlat, v);
    default:
      return put_udec(out, v);
  }
}

/// Returns whether SOL_SOCKET option `name` holds an int (strace's list of int-like
/// options: SO_DEBUG, SO_REUSEADDR, SO_SNDBUF, ... SO_RCVMARK).
constexpr bool int_like_socket_option(std::uint32_t name) noexcept {
  constexpr std::uint64_t low =
      (1ULL << 1) | (1ULL << 2) | (1ULL << 5) | (1ULL << 6) | (1ULL << 7) | (1ULL << 8) | (1ULL << 9) |
      (1ULL << 10) | (1ULL << 11) | (1ULL << 12) | (1ULL << 14) | (1ULL << 15) | (1ULL << 16) | (1ULL << 18) |
      (1ULL << 19) | (1ULL << 27) | (1ULL << 29) | (1ULL << 30) | (1ULL << 32) | (1ULL << 33) | (1ULL << 34) |
      (1ULL << 35) | (1ULL << 36) | (1ULL << 37) | (1ULL << 40) | (1ULL << 41) | (1ULL << 42) | (1ULL << 43) |
      (1ULL << 44) | (1ULL << 45) | (1ULL << 46) | (1ULL << 49) | (1ULL << 53) | (1ULL << 56) | (1ULL << 60) |
      (1ULL << 63);
  constexpr std::uint64_t high = (1ULL << (64 - 64)) | (1ULL << (65 - 64)) | (1ULL << (68 - 64)) |
                                 (1ULL << (69 - 64)) | (1ULL << (70 - 64)) | (1ULL << (73 - 64)) |
                                 (1ULL << (75 - 64));
  return name < 64 ? (low >> name & 1) != 0 : name < 128 && (high >> (name - 64) & 1) != 0;
}

/// Appends `[N]`, the int at `addr` (NULL for 0); its address when unreadable.
template <class P>
void put_int_at(P& p, std::uint64_t addr) {
  std::int32_t v;
  if (addr == 0 || !p.read_obj(addr, v)) return put_ptr(p.out(), addr);
  p.out().push_back('[');
  put_dec(p.out(), v);
  p.out().push_back(']');
}

/// Appends `[SOCK_TXREHASH_ENABLED]`, the SO_TXREHASH value at `addr` (decimal when unnamed);
/// its address when unreadable.
template <class P>
void put_txrehash_at(P& p, std::uint64_t addr) {
  std::int32_t v;
  std::string& out = p.out();
  if (addr == 0 || !p.read_obj(addr, v)) return put_ptr(out, addr);
  out.push_back('[');
  auto name = find_name(sock_txrehash_field, static_cast<std::uint32_t>(v));
  if (!name.empty()) {
    put_named(out, name, [&] { put_dec(out, v); });
  } else {
    put_dec(out, v);
    if (!xlat_raw()) out.append(" /* SOCK_TXREHASH_??? */");
  }
  out.push_back(']');
}

/// Appends getsockopt's SOL_SOCKET value of SO_LINGER, SO_PEERCRED or SO_ERROR (`rlen`
/// bytes); false for another option.
template <class P>
bool put_socket_struct(P& p, std::uint32_t name, std::uint64_t addr, std::uint32_t rlen) {
  std::string& out = p.out();
  switch (name) {
    case 13: {  // SO_LINGER
      static constexpr std::string_view fields[] = {"l_onoff", "l_linger"};
      put_int_fields(p, addr, rlen, fields, [&](std::size_t, std::int32_t v) { put_dec(out, v); });
      return true;
    }
    case 17: {  // SO_PEERCRED: struct ucred
      static constexpr std::string_view fields[] = {"pid", "uid", "gid"};
      put_int_fields(p, addr, rlen, fields, [&](std::size_t k, std::int32_t v) {
        if (k == 0) return p.put_pid(v, pid_type::tgid);
        put_id(out, static_cast<std::uint32_t>(v));
      });
      return true;
    }
    case 4: {  // SO_ERROR
      if (rlen < 4) {
        if (!p.read_exact(addr, rlen)) return put_ptr(out, addr), true;
        put_quoted(out, scratch(), true);
        return true;
      }
      std::uint32_t err;
      if (!p.read_obj(addr, err)) return put_ptr(out, addr), true;
      out.push_back('[');
      put_err(out, err, false);
      out.push_back(']');
      return true;
    }
    default:
      return false;
  }
}

/// Appends setsockopt's value of an option of level IP, IPV6, PACKET or RAW that is a
/// struct (strace's print_setsockopt); false for another option.
template <class P>
bool put_set_struct(P& p, std::uint32_t level, std::uint32_t name, std::uint64_t addr, std::int32_t len) {
  constexpr std::uint32_t mcast_join_group = 42, mcast_leave_group = 45;
  switch (level) {
    case sol::ip:
      if (name == 35 || name == 36) return put_ip_mreq(p, addr, len), true;  // IP_{ADD,DROP}_MEMBERSHIP
      if (name == mcast_join_group || name == mcast_leave_group) return put_group_req(p, addr, len), true;
      return false;
    case sol::ipv6:  // IPV6_{ADD,DROP}_MEMBERSHIP, IPV6_{JOIN,LEAVE}_ANYCAST
      if (name == 20 || name == 21 || name == 27 || name == 28) return put_ipv6_mreq(p, addr, len), true;
      if (name == mcast_join_group || name == mcast_leave_group) return put_group_req(p, addr, len), true;
      return false;
    case sol::packet:
      if (name == 5 || name == 13) return put_tpacket_req(p, addr, len), true;  // PACKET_{RX,TX}_RING
      if (name == 1 || name == 2) return put_packet_mreq(p, addr, len), true;  // PACKET_{ADD,DROP}_MEMBERSHIP
      return false;
    case sol::raw:
      if (name == 1) return put_icmp_filter(p, addr, len), true;  // ICMP_FILTER
      return false;
    default:
      return false;
  }
}

/// getsockopt: the option name by its level; at exit the value by the option (strace's
/// print_getsockopt) and optlen as `[ulen => rlen]`.
template <>
struct decoder<sys::call_id::getsockopt> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i == 2) return put_sockopt_name(p.out(), p.arg(1), p.arg(2), true), true;
    std::int32_t ulen;
    // Without a readable optlen at entry, strace shows both pointers as addresses.
    if (i == 4 && !p.saved(4, ulen)) return put_ptr(p.out(), p.arg(4)), true;
    if (i != 3 || !exit) return false;
    std::string& out = p.out();
    std::uint64_t addr = p.arg(3);
    std::int32_t rlen;
    if (!p.saved(4, ulen) || p.failed() || !p.read_obj(p.arg(4), rlen)) return put_ptr(out, addr), true;
    if (ulen <= 0 || rlen <= 0) return put_ptr(out, addr), true;
    auto level = static_cast<std::uint32_t>(p.arg(1)), name = static_cast<std::uint32_t>(p.arg(2));
    if (addr != 0 && level == sol::socket &&
        put_socket_struct(p, name, addr, static_cast<std::uint32_t>(rlen)))
      return true;
    if (addr != 0 && level == sol::socket && (int_like_socket_option(name) || name == 74)) {
      if (rlen >= 4) return name == 74 ? put_txrehash_at(p, addr) : put_int_at(p, addr), true;
      // A short int-like option: its bytes in hex.
      if (!p.read_exact(addr, static_cast<std::size_t>(rlen))) return put_ptr(out, addr), true;
      put_quoted(out, scratch(), true);
      return true;
    }
    if (addr != 0 && level == sol::socket && name == 26) {  // SO_GET_FILTER: rlen instructions
      if (static_cast<std::uint16_t>(rlen) != rlen) return put_ptr(out, addr), true;
      return put_bpf_insns(p, addr, static_cast<std::uint32_t>(rlen), bpf_program::socket), true;
    }
    if (addr != 0 && level == sol::packet && name == 6)  // PACKET_STATISTICS
      return put_tpacket_stats(p, addr, rlen), true;
    if (addr != 0 && level == sol::raw && name == 1)  // ICMP_FILTER
      return put_icmp_filter(p, addr, rlen), true;
    if (addr != 0 && level == sol::netlink && name != 9)  // NETLINK_LIST_MEMBERSHIPS is an array
      return put_int_at(p, addr), true;
    if (rlen == 4) return put_int_at(p, addr), true;
    p.put_buffer(addr, static_cast<std::uint32_t>(rlen));
    return true;
  }
};

/// setsockopt: the option name by its level, the value by the option (strace's
/// print_setsockopt): an int for the int-like options, else by its length.
template <>
struct decoder<sys::call_id::setsockopt> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 2) return put_sockopt_name(p.out(), p.arg(1), p.arg(2), false), true;
    if (i == 4) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(4))), true;
    if (i != 3) return false;
    std::uint64_t addr = p.arg(3);
    auto len = static_cast<std::int32_t>(p.arg(4));
    auto level = static_cast<std::uint32_t>(p.arg(1)), name = static_cast<std::uint32_t>(p.arg(2));
    if (addr != 0 && ((level == sol::socket && int_like_socket_option(name)) || level == sol::netlink)) {
      if (len < 4) return put_ptr(p.out(), addr), true;
      return put_int_at(p, addr), true;
    }
    if (addr != 0 && level == sol::socket && name == 13) {  // SO_LINGER: the whole struct or its address
      static constexpr std::string_view fields[] = {"l_onoff", "l_linger"};
      if (len < 8) return put_ptr(p.out(), addr), true;
      put_int_fields(p, addr, 8, fields, [&](std::size_t, std::int32_t v) { put_dec(p.out(), v); });
      return true;
    }
    if (addr != 0 && level == sol::socket && name == 74) {  // SO_TXREHASH
      if (len < 4) return put_ptr(p.out(), addr), true;
      return put_txrehash_at(p, addr), true;
    }
    if (addr != 0 && level == sol::socket && (name == 26 || name == 51)) {  // SO_ATTACH_(REUSEPORT_)CBPF
      if (len != 16) return put_ptr(p.out(), addr), true;                   // a struct sock_fprog
      return put_sock_fprog(p, addr, bpf_program::socket), true;
    }
    if (addr != 0 && put_set_struct(p, level, name, addr, len)) return true;
    if (len == 4) return put_int_at(p, addr), true;
    if (len < 0) return put_ptr(p.out(), addr), true;
    p.put_buffer(addr, static_cast<std::uint32_t>(len));
    return true;
  }
};

}  // namespace snare::format::detail
