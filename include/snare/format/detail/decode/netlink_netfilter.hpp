// Defines the decoding of NETLINK_NETFILTER messages (strace's netlink.c netfilter parts and
// netlink_netfilter.c): a type is a subsystem in its high byte and that subsystem's message
// in its low byte (`NFNL_SUBSYS_NFTABLES<<8|NFT_MSG_NEWTABLE`), the request flags by
// subsystem and message, and the payload's struct nfgenmsg followed by attributes.
#pragma once

#include <arpa/inet.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_acct.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_cthelper.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <linux/netfilter/nfnetlink_hook.h>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>

#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

inline constexpr int netlink_netfilter = 12;

/// Message types of each NFNL_SUBSYS_* by subsystem id (linux/netfilter/nfnetlink.h); null
/// for NFNL_SUBSYS_NONE.
inline constexpr const xlat* nf_subsys_msg_types[] = {
    nullptr,                           // NFNL_SUBSYS_NONE
    &nf_ctnetlink_msg_types_xlat,      // NFNL_SUBSYS_CTNETLINK
    &nf_ctnetlink_exp_msg_types_xlat,  // NFNL_SUBSYS_CTNETLINK_EXP
    &nf_queue_msg_types_xlat,          // NFNL_SUBSYS_QUEUE
    &nf_ulog_msg_types_xlat,           // NFNL_SUBSYS_ULOG
    &nf_osf_msg_types_xlat,            // NFNL_SUBSYS_OSF
    &nf_ipset_msg_types_xlat,          // NFNL_SUBSYS_IPSET
    &nf_acct_msg_types_xlat,           // NFNL_SUBSYS_ACCT
    &nf_cttimeout_msg_types_xlat,      // NFNL_SUBSYS_CTNETLINK_TIMEOUT
    &nf_cthelper_msg_types_xlat,       // NFNL_SUBSYS_CTHELPER
    &nf_nftables_msg_types_xlat,       // NFNL_SUBSYS_NFTABLES
    &nf_nft_compat_msg_types_xlat,     // NFNL_SUBSYS_NFT_COMPAT
    &nf_hook_msg_types_xlat,           // NFNL_SUBSYS_HOOK
};

/// Appends a netfilter message type: NFNL_MSG_BATCH_BEGIN/END by name, others as
/// `SUBSYS<<8|MSG` (the message in hex where the subsystem has no table).
inline void put_nfnl_type(std::string& out, std::uint16_t type) {
  auto batch = find_name(nl_netfilter_msg_types_field, type);
  if (!batch.empty()) return put_named(out, batch, [&] { put_hex(out, type); });
  std::uint8_t subsys = static_cast<std::uint8_t>(type >> 8), msg = static_cast<std::uint8_t>(type);
  put_enum(out, nl_netfilter_subsys_ids_xlat, subsys);
  out.append("<<8|");
  const xlat* x = subsys < std::size(nf_subsys_msg_types) ? nf_subsys_msg_types[subsys] : nullptr;
  if (x)
    put_enum(out, *x, msg);
  else
    put_hex(out, msg);
}

/// One message of a subsystem and the request flags it takes: new (0), get (1), delete (2).
struct nfnl_flag_kind {
  std::uint8_t subsys, msg, kind;
};

/// The messages that take get, new or delete flags (strace's decode_nlmsg_flags_netfilter).
inline constexpr nfnl_flag_kind nfnl_flag_kinds[] = {
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW, 0},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET, 1},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE, 2},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_CTRZERO, 1},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS_CPU, 1},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS, 1},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_DYING, 1},
    {NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_UNCONFIRMED, 1},
    {NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW, 0},
    {NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_GET, 1},
    {NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_DELETE, 2},
    {NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_GET_STATS_CPU, 1},
    {NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_NEW, 0},
    {NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_GET, 1},
    {NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_GET_CTRZERO, 1},
    {NFNL_SUBSYS_ACCT, NFNL_MSG_ACCT_DEL, 2},
    {NFNL_SUBSYS_CTNETLINK_TIMEOUT, IPCTNL_MSG_TIMEOUT_NEW, 0},
    {NFNL_SUBSYS_CTNETLINK_TIMEOUT, IPCTNL_MSG_TIMEOUT_GET, 1},
    {NFNL_SUBSYS_CTNETLINK_TIMEOUT, IPCTNL_MSG_TIMEOUT_DELETE, 2},
    {NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_NEW, 0},
    {NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_GET, 1},
    {NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_DEL, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWTABLE, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELTABLE, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWCHAIN, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETCHAIN, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELCHAIN, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWRULE, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETRULE, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELRULE, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWSET, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETSET, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELSET, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWSETELEM, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETSETELEM, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELSETELEM, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWGEN, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETGEN, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWOBJ, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETOBJ, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELOBJ, 2},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETOBJ_RESET, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWFLOWTABLE, 0},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_GETFLOWTABLE, 1},
    {NFNL_SUBSYS_NFTABLES, NFT_MSG_DELFLOWTABLE, 2},
    {NFNL_SUBSYS_NFT_COMPAT, NFNL_MSG_COMPAT_GET, 1},
    {NFNL_SUBSYS_HOOK, NFNL_MSG_HOOK_GET, 1},
};

/// Returns the flags table of netfilter message `type` beyond the common NLM_F_*, or null.
inline const xlat* nfnl_flags_of(std::uint16_t type) noexcept {
  std::uint8_t subsys = static_cast<std::uint8_t>(type >> 8), msg = static_cast<std::uint8_t>(type);
  for (const auto& k : nfnl_flag_kinds) {
    if (k.subsys != subsys || k.msg != msg) continue;
    return k.kind == 0   ? &netlink_new_flags_xlat
           : k.kind == 1 ? &netlink_get_flags_xlat
                         : &netlink_delete_flags_xlat;
  }
  return nullptr;
}

/// Appends a netfilter payload (after its nlmsghdr): struct nfgenmsg
/// `{nfgen_family=AF_INET, version=NFNETLINK_V0, res_id=htons(0)}`, then the attributes
/// (bytes in hex for batch and reserved messages), as strace's decode_netlink_netfilter.
template <class P>
void put_nfnl(P& p, std::uint64_t addr, std::uint32_t len, std::uint16_t type) {
  std::string& out = p.out();
  struct {
    std::uint8_t family, version;
    std::uint16_t res_id;  // big-endian, but nftables sent it in host order before 4.3
  } m;
  if (len < sizeof m) return put_hex_bytes(p, addr, len);
  if (!p.read_obj(addr, m)) return put_ptr(out, addr);
  out.append("{nfgen_family=");
  put_enum(out, socket_family_xlat, m.family);
  out.append(", version=");
  put_enum(out, netfilter_versions_xlat, m.version);
  out.append(", res_id=");
  bool nftables = (type >> 8) == NFNL_SUBSYS_NFTABLES;
  if (nftables && ntohs(m.res_id) == NFNL_SUBSYS_NFTABLES) {
    put_named(out, "htons(NFNL_SUBSYS_NFTABLES)", [&] { put_hex(out, m.res_id); });
  } else if (nftables && m.res_id == NFNL_SUBSYS_NFTABLES) {
    put_named(out, "NFNL_SUBSYS_NFTABLES", [&] { put_hex(out, m.res_id); });
  } else {
    out.append("htons(");
    put_udec(out, ntohs(m.res_id));
    out.push_back(')');
  }
  out.push_back('}');
  if (len <= sizeof m) return;
  out.append(", ");
  bool raw = type < 16 || find_name(nl_netfilter_msg_types_field, type).size();
  if (raw) return put_hex_bytes(p, addr + sizeof m, len - sizeof m);
  static constexpr xlat no_names{{}, ~std::uint64_t{0}, {}, {}, {}};
  put_nlattrs(p, addr + sizeof m, len - static_cast<std::uint32_t>(sizeof m), no_names,
              std::span<const nla_fn<P>>{});
}

}  // namespace snare::format::detail
