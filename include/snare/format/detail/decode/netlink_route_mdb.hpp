// Defines the attribute decoders of rtnetlink's bridge multicast database messages
// (RTM_*MDB, strace's rtnl_mdb.c): the MDBA_MDB nest of entries (struct br_mdb_entry, then
// its extra attributes) and the MDBA_ROUTER nest of router ports (an ifindex, then its
// attributes).
#pragma once

#include <arpa/inet.h>
#include <linux/if_bridge.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// MDBA_MDB_EATTR_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_mdb_eattr_nla[] = {
    nullptr,          // MDBA_MDB_EATTR_UNSPEC
    &nla_clock_t<P>,  // MDBA_MDB_EATTR_TIMER
};

/// Appends struct br_mdb_entry, its address printed by the family its proto field holds
/// (as strace does).
inline void put_mdb_entry(std::string& out, const br_mdb_entry& e) {
  out.push_back('{');
  field_sep f{out};
  put_ifindex(f("ifindex"), e.ifindex);
  put_enum(f("state"), mdb_states_xlat, e.state);
  put_flags(f("flags"), mdb_flags_xlat, e.flags);
  put_udec(f("vid"), e.vid);
  f("addr").push_back('{');
  int proto = ntohs(e.addr.proto);
  unsigned char u[sizeof e.addr.u];
  std::memcpy(u, &e.addr.u, sizeof u);
  field_sep g{out};
  put_inet_addr(g, proto, u, sizeof u, "u");
  g("proto").append("htons(");
  put_enum(out, socket_family_xlat, static_cast<std::uint64_t>(proto));
  out.append(")}}");
}

/// MDBA_MDB_ENTRY_INFO: struct br_mdb_entry, then the entry's extra attributes.
template <class P>
bool rtnl_nla_mdb_entry_info(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  br_mdb_entry e;
  if (len < sizeof e) return false;
  std::string& out = p.out();
  if (!p.read_obj(addr, e)) {
    put_ptr(out, addr);
  } else {
    put_mdb_entry(out, e);
  }
  put_nla_tail(p, addr, len, sizeof e, rtnl_mdba_mdb_eattr_attrs_xlat, rtnl_mdb_eattr_nla<P>);
  return true;
}

template <class P>
inline constexpr nla_fn<P> rtnl_mdb_entry_nla[] = {
    nullptr,                      // MDBA_MDB_ENTRY_UNSPEC
    &rtnl_nla_mdb_entry_info<P>,  // MDBA_MDB_ENTRY_INFO
};
template <class P>
bool rtnl_nla_mdb_entry(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_mdba_mdb_entry_attrs_xlat, rtnl_mdb_entry_nla<P>, opaque);
}
template <class P>
inline constexpr nla_fn<P> rtnl_mdb_mdb_nla[] = {
    nullptr,                 // MDBA_MDB_UNSPEC
    &rtnl_nla_mdb_entry<P>,  // MDBA_MDB_ENTRY
};

/// MDBA_ROUTER_PATTR_* payloads.
template <class P>
inline constexpr nla_fn<P> rtnl_mdb_router_pattr_nla[] = {
    nullptr,                                                  // MDBA_ROUTER_PATTR_UNSPEC
    &nla_clock_t<P>,                                          // MDBA_ROUTER_PATTR_TIMER
    &nla_enum<std::uint8_t, multicast_router_types_xlat, P>,  // MDBA_ROUTER_PATTR_TYPE
    &nla_clock_t<P>,                                          // MDBA_ROUTER_PATTR_INET_TIMER
    &nla_clock_t<P>,                                          // MDBA_ROUTER_PATTR_INET6_TIMER
};

/// MDBA_ROUTER_PORT: the port's ifindex, then its attributes.
template <class P>
bool rtnl_nla_mdb_router_port(P& p, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t ifindex;
  bool ok;
  if (!nla_read(p, addr, len, ifindex, ok)) return false;
  if (ok) put_ifindex(p.out(), ifindex);
  put_nla_tail(p, addr, len, sizeof ifindex, rtnl_mdba_router_pattr_attrs_xlat, rtnl_mdb_router_pattr_nla<P>);
  return true;
}
template <class P>
inline constexpr nla_fn<P> rtnl_mdb_router_nla[] = {
    nullptr,                       // MDBA_ROUTER_UNSPEC
    &rtnl_nla_mdb_router_port<P>,  // MDBA_ROUTER_PORT
};

template <class P>
bool rtnl_nla_mdb_mdb(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_mdba_mdb_attrs_xlat, rtnl_mdb_mdb_nla<P>, opaque);
}
template <class P>
bool rtnl_nla_mdb_router(P& p, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  return nla_nest(p, addr, len, rtnl_mdba_router_attrs_xlat, rtnl_mdb_router_nla<P>, opaque);
}

/// MDBA_* payloads of a br_port_msg.
template <class P>
inline constexpr nla_fn<P> rtnl_mdb_nla[] = {
    nullptr,                  // MDBA_UNSPEC
    &rtnl_nla_mdb_mdb<P>,     // MDBA_MDB
    &rtnl_nla_mdb_router<P>,  // MDBA_ROUTER
};

}  // namespace snare::format::detail
