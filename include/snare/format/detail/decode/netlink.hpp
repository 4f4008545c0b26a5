// Defines the decoding of netlink messages (strace's netlink.c) in the buffers of sendto and
// recvfrom on a netlink socket: each struct nlmsghdr with its type and flags named by the
// socket's protocol (NETLINK_ROUTE's RTM_*, NETLINK_SOCK_DIAG's SOCK_DIAG_BY_FAMILY, the
// reserved NLMSG_*), NLMSG_ERROR's struct nlmsgerr, NLMSG_DONE's int, sock_diag's payloads
// (netlink_sock_diag.hpp), rtnetlink's family headers (netlink_route.hpp), and any other payload
// as bytes in hex.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/netlink_netfilter.hpp>
#include <snare/format/detail/decode/netlink_nla.hpp>
#include <snare/format/detail/decode/netlink_route.hpp>
#include <snare/format/detail/decode/netlink_sock_diag.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// The kernel's struct nlmsghdr (linux/netlink.h).
struct abi_nlmsghdr {
  std::uint32_t len;
  std::uint16_t type, flags;
  std::uint32_t seq, pid;
};

inline constexpr std::uint32_t nlmsg_hdrlen = 16;
inline constexpr int netlink_route = 0, netlink_sock_diag = 4, netlink_xfrm = 6, netlink_selinux = 7,
                     netlink_audit = 9, netlink_kobject_uevent = 15, netlink_generic = 16;

/// Appends a message type: a reserved NLMSG_* below NLMSG_MIN_TYPE (16), else by the table
/// of protocol `family`.
inline void put_nlmsg_type(std::string& out, std::uint16_t type, int family) {
  if (type >= 16) {
    switch (family) {
      case netlink_route:
        return put_enum(out, nl_route_type_xlat, type);
      case netlink_sock_diag:
        return put_enum(out, nl_sock_diag_type_xlat, type);
      case netlink_xfrm:
        return put_enum(out, nl_xfrm_type_xlat, type);
      case netlink_selinux:
        return put_enum(out, nl_selinux_type_xlat, type);
      case netlink_audit:
        return put_enum(out, nl_audit_type_xlat, type);
      case netlink_netfilter:
        return put_nfnl_type(out, type);
      case netlink_generic:  // the controller's fixed id; other families' ids are the kernel's
        if (type == 0x10) return put_named(out, "nlctrl", [&] { put_hex(out, type); });
        break;
      default:
        break;
    }
  }
  put_enum(out, netlink_type_xlat, type);
}

/// Returns the flags table of message `type` of protocol `family` beyond the common ones:
/// what a get, new or delete request takes (strace's nlmsg_flags decoders), or null.
inline const xlat* nlmsg_flags_of(std::uint16_t type, int family) noexcept {
  if (type < 16) return type == 2 ? &netlink_ack_flags_xlat : nullptr;  // NLMSG_ERROR: ack flags
  switch (family) {
    case netlink_route:
      if (type == 0x31) return &netlink_get_flags_xlat;  // RTM_DELACTION takes NLM_F_ROOT
      return (type & 3) == 0   ? &netlink_new_flags_xlat
             : (type & 3) == 1 ? &netlink_delete_flags_xlat
             : (type & 3) == 2 ? &netlink_get_flags_xlat
                               : nullptr;
    case netlink_sock_diag:
      return &netlink_get_flags_xlat;
    case netlink_netfilter:
      return nfnl_flags_of(type);
    case netlink_xfrm:
      switch (type) {
        case 0x10:
        case 0x13:
        case 0x1e:
        case 0x22:
        case 0x24:  // NEWSA, NEWPOLICY, NEWAE, NEWSADINFO, NEWSPDINFO
          return &netlink_new_flags_xlat;
        case 0x11:
        case 0x14:  // DELSA, DELPOLICY
          return &netlink_delete_flags_xlat;
        case 0x12:
        case 0x15:
        case 0x1f:
        case 0x23:
        case 0x25:  // GETSA, GETPOLICY, GETAE, GETSADINFO, GETSPDINFO
          return &netlink_get_flags_xlat;
        default:
          return nullptr;
      }
    default:
      return nullptr;
  }
}

/// Appends message flags: the common NLM_F_* first, then those of the message's kind (get,
/// new, delete requests of rtnetlink, sock_diag's gets, an error's ack flags), as strace's
/// printflags_ex over two tables.
inline void put_nlmsg_flags(std::string& out, std::uint16_t flags, std::uint16_t type, int family) {
  const xlat* second = nlmsg_flags_of(type, family);
  if (xlat_raw()) return put_hex(out, flags);
  std::string names;
  std::uint64_t left = flags;
  for (const xlat* x : {&netlink_flags_xlat, second}) {
    if (!x) continue;
    for (const auto& e : x->bits) {
      if (e.value != 0 && (left & e.value) == e.value) {
        if (!names.empty()) names.push_back('|');
        names.append(e.name);
        left &= ~e.value;
      }
    }
  }
  if (names.empty()) {
    if (flags == 0) return out.push_back('0');
    put_hex(out, flags);
    if (!xlat_raw()) out.append(" /* NLM_F_??? */");
    return;
  }
  if (left) names.push_back('|'), put_hex(names, left);
  if (xlat_verbose())
    put_hex(out, flags), out.append(" /* ").append(names).append(" */");
  else
    out.append(names);
}

/// Appends one struct nlmsghdr as strace's print_nlmsghdr; nlmsg_pid is a port id that is
/// a tgid by default, so it gets the pid note (strace's PRINT_FIELD_TGID).
template <class P>
void put_nlmsghdr(P& p, const abi_nlmsghdr& h, int family) {
  std::string& out = p.out();
  out.append("{nlmsg_len=");
  put_udec(out, h.len);
  out.append(", nlmsg_type=");
  put_nlmsg_type(out, h.type, family);
  out.append(", nlmsg_flags=");
  put_nlmsg_flags(out, h.flags, h.type, family);
  out.append(", nlmsg_seq=");
  put_udec(out, h.seq);
  out.append(", nlmsg_pid=");
  put_udec(out, h.pid);
  if (h.pid <= 0x7fffffffu) p.append_pid_note(static_cast<std::int32_t>(h.pid), pid_type::tgid);
  out.push_back('}');
}

template <class P>
void put_nlmsg_with_payload(P& p, const abi_nlmsghdr& h, std::uint64_t addr, std::uint64_t len, int family);

/// NLMSGERR_ATTR_* payloads of an extended ack (strace's nlmsgerr_nla_decoders).
template <class P>
inline constexpr nla_fn<P> nlmsgerr_nla[] = {
    nullptr,                           // NLMSGERR_ATTR_UNUSED
    &nla_str<P>,                       // NLMSGERR_ATTR_MSG
    nla_u32<P>,                        // NLMSGERR_ATTR_OFFS
    &nla_uint_array<std::uint8_t, P>,  // NLMSGERR_ATTR_COOKIE
};

/// Appends NLMSG_ERROR's struct nlmsgerr: {error=-EACCES, msg={...}} (the request it
/// answers, its header alone when the kernel capped it).
template <class P>
void put_nlmsgerr(P& p, std::uint64_t addr, std::uint64_t len, bool capped, int family) {
  std::string& out = p.out();
  struct {
    std::int32_t error;
    abi_nlmsghdr msg;
  } err;
  if (len < sizeof err) return put_hex_bytes(p, addr, len);
  if (!p.read_obj(addr, err)) return put_ptr(out, addr);
  addr += 4;
  len -= 4;
  std::uint64_t msg_len = std::max<std::uint64_t>(sizeof err.msg, err.msg.len);
  std::uint64_t payload = std::min<std::uint64_t>(len, capped ? sizeof err.msg : msg_len);
  if (len > payload) out.push_back('[');
  out.append("{error=");
  // strace's print_err: -EACCES; -X raw -13; -X verbose -13 /* -EACCES */.
  auto name = errno_info(-err.error).name;
  if (err.error >= 0 || name.empty() || !xlat_abbrev()) put_dec(out, err.error);
  if (err.error < 0 && !name.empty() && !xlat_raw()) {
    out.append(xlat_verbose() ? " /* -" : "-").append(name);
    if (xlat_verbose()) out.append(" */");
  }
  out.append(", msg=");
  put_nlmsg_with_payload(p, err.msg, addr, payload, family);
  out.push_back('}');
  if (len > payload) {
    out.append(", ");
    put_nlattrs(p, addr + payload, static_cast<std::uint32_t>(len - payload), nlmsgerr_attrs_xlat,
                std::span<const nla_fn<P>>(nlmsgerr_nla<P>));  // the extended ack
    out.push_back(']');
  }
}

/// Appends a header and, when the message is longer, its payload: `[{...}, payload]`.
template <class P>
void put_nlmsg_with_payload(P& p, const abi_nlmsghdr& h, std::uint64_t addr, std::uint64_t len, int family) {
  std::string& out = p.out();
  std::uint64_t msg_len = std::min<std::uint64_t>(h.len, len);
  if (msg_len > nlmsg_hdrlen) out.push_back('[');
  put_nlmsghdr(p, h, family);
  if (msg_len <= nlmsg_hdrlen) return;
  out.append(", ");
  std::uint64_t paddr = addr + nlmsg_hdrlen, plen = msg_len - nlmsg_hdrlen;
  if (h.type == 2) {  // NLMSG_ERROR
    put_nlmsgerr(p, paddr, plen, (h.flags & 0x100) != 0, family);
  } else if (family == netlink_selinux && (h.type == 0x10 || h.type == 0x11) && plen >= 4) {
    // struct selnl_msg_setenforce {int val} and selnl_msg_policyload {u32 seqno}.
    std::int32_t v;
    if (!p.read_obj(paddr, v)) {
      put_ptr(out, paddr);
    } else if (h.type == 0x10) {
      out.append("{val="), put_dec(out, v), out.push_back('}');
    } else {
      out.append("{seqno="), put_udec(out, static_cast<std::uint32_t>(v)), out.push_back('}');
    }
  } else if (h.type >= 16 && family == netlink_sock_diag) {
    put_sock_diag(p, paddr, static_cast<std::uint32_t>(plen), h.type, (h.flags & 1) != 0);  // NLM_F_REQUEST
  } else if (family == netlink_netfilter && h.type != 3) {  // all but NLMSG_DONE
    put_nfnl(p, paddr, static_cast<std::uint32_t>(plen), h.type);
  } else if (h.type >= 16 && family == netlink_route) {
    put_rtnl(p, paddr, static_cast<std::uint32_t>(plen), h.type);
  } else if (h.type == 3 && plen == 4) {  // NLMSG_DONE: an int
    std::int32_t n;
    if (p.read_obj(paddr, n))
      put_dec(out, n);
    else
      put_ptr(out, paddr);
  } else {
    put_hex_bytes(p, paddr, plen);
  }
  out.push_back(']');
}

/// Appends the `len`-byte buffer at `addr` as the netlink messages it holds (strace's
/// decode_netlink): one message alone, several as an array, at most string_limit of them.
template <class P>
void put_netlink(P& p, std::uint64_t addr, std::uint64_t len, int family) {
  std::string& out = p.out();
  bool array = false;
  for (std::size_t elt = 0;; ++elt) {
    abi_nlmsghdr h;
    if (len < sizeof h) {
      put_hex_bytes(p, addr, len);
      break;
    }
    if (!p.read_obj(addr, h)) {
      if (array) {
        out.append("... /* ");
        put_hex(out, addr);
        out.append(" */");
      } else {
        put_ptr(out, addr);
      }
      break;
    }
    if (!p.opts().verbose && elt == p.opts().string_limit) {
      out.append("...");
      break;
    }
    std::uint64_t aligned = (std::uint64_t{h.len} + 3) & ~std::uint64_t{3};
    std::uint64_t next_addr = 0, next_len = 0;
    if (h.len >= nlmsg_hdrlen) {
      next_len = len >= aligned ? len - aligned : 0;
      if (next_len && addr + aligned > addr) next_addr = addr + aligned;
    }
    if (!array && next_addr) out.push_back('['), array = true;
    put_nlmsg_with_payload(p, h, addr, len, family);
    if (!next_addr) break;
    out.append(", ");
    addr = next_addr;
    len = next_len;
  }
  if (array) out.push_back(']');
}

/// struct udev_monitor_netlink_header after its "libudev" prefix (strace's
/// netlink_kobject_uevent.h; libudev's, not a uapi header).
inline constexpr nl_field udev_monitor_header_fields[] = {
    {"magic", 8, 4, nl_kind::htonl},
    {"header_size", 12, 4, nl_kind::u},
    {"properties_off", 16, 4, nl_kind::u},
    {"properties_len", 20, 4, nl_kind::u},
    {"filter_subsystem_hash", 24, 4, nl_kind::htonl},
    {"filter_devtype_hash", 28, 4, nl_kind::htonl},
    {"filter_tag_bloom_hi", 32, 4, nl_kind::htonl},
    {"filter_tag_bloom_lo", 36, 4, nl_kind::htonl},
};
inline constexpr std::size_t udev_monitor_header_size = 40;

/// Appends a NETLINK_KOBJECT_UEVENT buffer as strace's decode_netlink_kobject_uevent: a
/// libudev message as its header `{prefix="libudev", magic=htonl(0xfeedcafe), ...}` and the
/// properties after it as a string; anything else (a kernel uevent) as a string.
template <class P>
void put_kobject_uevent(P& p, std::uint64_t addr, std::uint64_t len) {
  std::string& out = p.out();
  if (addr == 0 || len < udev_monitor_header_size || !p.read_exact(addr, udev_monitor_header_size) ||
      std::memcmp(scratch().data(), "libudev", 8) != 0)
    return p.put_buffer(addr, len);
  std::string raw = scratch();
  if (len > udev_monitor_header_size) out.push_back('[');
  out.append("{prefix=\"libudev\"");
  field_sep f{out};
  f.next();
  put_nl_fields(f, udev_monitor_header_fields, reinterpret_cast<const unsigned char*>(raw.data()),
                udev_monitor_header_size);
  out.push_back('}');
  if (len <= udev_monitor_header_size) return;
  out.append(", ");
  p.put_buffer(addr + udev_monitor_header_size, len - udev_monitor_header_size);
  out.push_back(']');
}

/// sendto and recvfrom: the buffer of a netlink socket as netlink messages; recvfrom's
/// other buffers the min(returned, buffer) bytes strace shows.
struct netlink_buffer_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 1) return false;
    bool recv = p.desc().id == sys::call_id::recvfrom;
    if (recv && (!exit || p.failed())) return false;
    // recvfrom with MSG_TRUNC returns the datagram's length, which may pass the buffer's.
    std::uint64_t len = recv ? std::min(static_cast<std::uint64_t>(p.ret()), p.arg(2)) : p.arg(2);
    int family = p.netlink_protocol(static_cast<std::int32_t>(p.arg(0)));
    if (family < 0) return recv ? p.put_buffer(p.arg(1), len), true : false;
    if (family == netlink_kobject_uevent) return put_kobject_uevent(p, p.arg(1), len), true;
    put_netlink(p, p.arg(1), len, family);
    return true;
  }
};
template <>
struct decoder<sys::call_id::sendto> : netlink_buffer_decoder {};
template <>
struct decoder<sys::call_id::recvfrom> : netlink_buffer_decoder {};

}  // namespace snare::format::detail
