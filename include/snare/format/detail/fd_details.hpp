// Defines what strace's -yy prints for an fd beyond its path (strace's socketutils.c and
// printsocket/printdev/printpidfd in util.c): a socket's protocol and addresses asked of
// the kernel with NETLINK_SOCK_DIAG (`UNIX:[1234->1235,"/run/x"]`, `TCP:[1.2.3.4:80->...]`,
// `NETLINK:[ROUTE:4321]`), a device's type and numbers (`/dev/null<char 1:3>`) and the
// process a pidfd refers to (`pid:42`).
#pragma once

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// One protocol strace names sockets by (the kernel's `system.sockprotoname` of the fd):
/// the sock_diag query that describes its sockets.
struct sock_proto {
  std::string_view name;
  enum kind_t : unsigned char { unix_, inet, netlink } kind;
  int family, protocol;
};

/// The protocols strace's socketutils.c resolves, in its order (tried in turn when the
/// fd's protocol name cannot be read).
inline constexpr sock_proto sock_protos[] = {
    {"UNIX", sock_proto::unix_, AF_UNIX, 0},
    {"UNIX-STREAM", sock_proto::unix_, AF_UNIX, 0},
    {"TCP", sock_proto::inet, AF_INET, IPPROTO_TCP},
    {"UDP", sock_proto::inet, AF_INET, IPPROTO_UDP},
    {"UDPLITE", sock_proto::inet, AF_INET, IPPROTO_UDPLITE},
    {"DCCP", sock_proto::inet, AF_INET, IPPROTO_DCCP},
    {"SCTP", sock_proto::inet, AF_INET, IPPROTO_SCTP},
    {"L2TP/IP", sock_proto::inet, AF_INET, 115 /* IPPROTO_L2TP */},
    {"PING", sock_proto::inet, AF_INET, IPPROTO_ICMP},
    {"RAW", sock_proto::inet, AF_INET, IPPROTO_RAW},
    {"TCPv6", sock_proto::inet, AF_INET6, IPPROTO_TCP},
    {"UDPv6", sock_proto::inet, AF_INET6, IPPROTO_UDP},
    {"UDPLITEv6", sock_proto::inet, AF_INET6, IPPROTO_UDPLITE},
    {"DCCPv6", sock_proto::inet, AF_INET6, IPPROTO_DCCP},
    {"SCTPv6", sock_proto::inet, AF_INET6, IPPROTO_SCTP},
    {"L2TP/IPv6", sock_proto::inet, AF_INET6, 115},
    {"PINGv6", sock_proto::inet, AF_INET6, IPPROTO_ICMP},
    {"RAWv6", sock_proto::inet, AF_INET6, IPPROTO_RAW},
    {"NETLINK", sock_proto::netlink, AF_NETLINK, 0},
};

/// The details found per inode, as strace keeps them (a direct-mapped table of 1024
/// entries): once a socket is described, later lines reuse that description.
struct sock_details_cache {
  struct entry {
    unsigned long inode = 0;
    std::string details;
  };
  std::array<entry, 1024> entries;
  entry& at(unsigned long inode) noexcept { return entries[inode & 1023]; }
};
/// The thread's cache, usable after its thread_local destructors ran (see scratch.hpp).
inline sock_details_cache& sock_cache() { return lasting_thread_local<sock_details_cache>(); }

/// Sends one sock_diag request on `fd` and reads the answers until `parse` finds `inode`
/// (returns 1), gives up (-1) or the dump ends; returns whether it was found.
template <class Req, class Parse>
bool sock_diag_query(int fd, const Req& body, std::uint16_t flags, Parse parse) {
  struct {
    nlmsghdr nlh;
    Req body;
  } req{};
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.nlh.nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | flags);
  req.body = body;
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  while (::sendto(fd, &req, sizeof req, 0, reinterpret_cast<sockaddr*>(&nl), sizeof nl) < 0)
    if (errno != EINTR) return false;
  alignas(nlmsghdr) static thread_local char buf[8192];
  int rflags = 0;
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, rflags);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    auto* h = reinterpret_cast<const nlmsghdr*>(buf);
    int left = static_cast<int>(n);
    if (!NLMSG_OK(h, left)) return false;
    for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) return false;
      int rc = parse(NLMSG_DATA(h), static_cast<int>(h->nlmsg_len));
      if (rc > 0) return true;
      if (rc < 0) return false;
    }
    rflags = MSG_DONTWAIT;
  }
}

/// Describes a unix socket: `UNIX:[INODE->PEER,"path"]` (a name or a peer is needed).
inline bool unix_details(int fd, unsigned long inode, std::string_view name, std::string& details) {
  unix_diag_req r{};
  r.sdiag_family = AF_UNIX;
  r.udiag_ino = static_cast<std::uint32_t>(inode);
  r.udiag_states = ~0u;
  r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
  r.udiag_cookie[0] = r.udiag_cookie[1] = ~0u;
  return sock_diag_query(fd, r, 0, [&](const void* data, int len) {
    auto* m = static_cast<const unix_diag_msg*>(data);
    int rta_len = len - static_cast<int>(NLMSG_LENGTH(sizeof *m));
    if (rta_len < 0) return -1;
    if (m->udiag_ino != inode) return 0;
    if (m->udiag_family != AF_UNIX) return -1;
    std::uint32_t peer = 0;
    std::string path;
    bool have_path = false;
    for (auto* a = reinterpret_cast<const rtattr*>(m + 1); RTA_OK(a, rta_len); a = RTA_NEXT(a, rta_len)) {
      if (a->rta_type == UNIX_DIAG_NAME && !have_path) {
        std::size_t plen = std::min<std::size_t>(RTA_PAYLOAD(a), 108);
        path.assign(static_cast<const char*>(RTA_DATA(a)), plen);
        have_path = plen > 0;
      } else if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4) {
        std::memcpy(&peer, RTA_DATA(a), 4);
      }
    }
    if (!peer && !have_path) return -1;
    details.assign(name).append(":[");
    put_udec(details, inode);
    if (peer) details.append("->"), put_udec(details, peer);
    if (have_path) {
      details.push_back(',');
      // A NUL-terminated string (strace's string_quote with QUOTE_0_TERMINATED).
      if (path[0] == '\0') {
        details.push_back('@');
        put_quoted(details, std::string_view(path.data() + 1, strnlen(path.data() + 1, path.size() - 1)));
      } else {
        put_quoted(details, std::string_view(path.data(), strnlen(path.data(), path.size())));
      }
    }
    details.push_back(']');
    return 1;
  });
}

/// Describes an inet socket: `TCP:[1.2.3.4:80->5.6.7.8:4567]`, `TCPv6:[[::1]:80]`.
inline bool inet_details(int fd, unsigned long inode, const sock_proto& proto, std::string& details) {
  inet_diag_req_v2 r{};
  r.sdiag_family = static_cast<std::uint8_t>(proto.family);
  r.sdiag_protocol = static_cast<std::uint8_t>(proto.protocol);
  r.idiag_states = ~0u;
  return sock_diag_query(fd, r, NLM_F_DUMP, [&](const void* data, int len) {
    auto* m = static_cast<const inet_diag_msg*>(data);
    if (len < static_cast<int>(NLMSG_LENGTH(sizeof *m))) return -1;
    if (m->idiag_inode != inode) return 0;
    if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6) return -1;
    bool v6 = m->idiag_family == AF_INET6;
    std::size_t size = v6 ? 16 : 4;
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    if (!::inet_ntop(m->idiag_family, m->id.idiag_src, src, sizeof src)) return -1;
    static constexpr unsigned char zero[16] = {};
    bool connected = m->id.idiag_dport || std::memcmp(zero, m->id.idiag_dst, size) != 0;
    if (connected && !::inet_ntop(m->idiag_family, m->id.idiag_dst, dst, sizeof dst)) return -1;
    auto endpoint = [&](const char* a, std::uint16_t port) {
      if (v6) details.push_back('[');
      details.append(a);
      if (v6) details.push_back(']');
      details.push_back(':');
      put_udec(details, ntohs(port));
    };
    details.assign(proto.name).append(":[");
    endpoint(src, m->id.idiag_sport);
    if (connected) details.append("->"), endpoint(dst, m->id.idiag_dport);
    details.push_back(']');
    return 1;
  });
}

/// Describes a netlink socket: `NETLINK:[ROUTE:4321]` (its protocol and port id).
inline bool netlink_details(int fd, unsigned long inode, std::string_view name, std::string& details) {
  netlink_diag_req r{};
  r.sdiag_family = AF_NETLINK;
  r.sdiag_protocol = NDIAG_PROTO_ALL;
  return sock_diag_query(fd, r, NLM_F_DUMP, [&](const void* data, int len) {
    auto* m = static_cast<const netlink_diag_msg*>(data);
    if (len < static_cast<int>(NLMSG_LENGTH(sizeof *m))) return -1;
    if (m->ndiag_ino != inode) return 0;
    if (m->ndiag_family != AF_NETLINK) return -1;
    details.assign(name).append(":[");
    auto proto = find_name(netlink_protocol_field, m->ndiag_protocol);
    if (!proto.empty()) {
      if (proto.substr(0, 8) == "NETLINK_") proto.remove_prefix(8);
      details.append(proto).push_back(':');
      put_udec(details, m->ndiag_portid);
    } else {
      put_udec(details, m->ndiag_protocol);
    }
    details.push_back(']');
    return 1;
  });
}

/// Appends what strace's -yy shows for the socket with inode `inode` whose protocol name
/// (the fd's `system.sockprotoname`) is `proto_name` (empty: unknown, every protocol is
/// tried): its details when sock_diag describes it, `NAME:[inode]` for a known protocol
/// it does not, and false (nothing appended) otherwise.
inline bool append_socket_details(unsigned long inode, std::string_view proto_name, std::string& out) {
  auto& e = sock_cache().at(inode);
  if (e.inode == inode && !e.details.empty()) return out.append(e.details), true;
  const sock_proto* known = nullptr;
  for (const auto& sp : sock_protos)
    if (sp.name == proto_name) known = &sp;
  if (!proto_name.empty() && !known) return false;  // a protocol strace does not describe
  std::string details;
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd >= 0) {
    for (const auto& sp : sock_protos) {
      if (known && &sp != known) continue;
      bool found = sp.kind == sock_proto::unix_  ? unix_details(fd, inode, sp.name, details)
                   : sp.kind == sock_proto::inet ? inet_details(fd, inode, sp, details)
                                                 : netlink_details(fd, inode, sp.name, details);
      if (found) break;
      details.clear();
    }
    ::close(fd);
  }
  if (!details.empty()) {
    e.inode = inode;
    e.details = details;
    return out.append(details), true;
  }
  if (!known) return false;
  out.append(known->name).append(":[");
  put_udec(out, inode);
  out.push_back(']');
  return true;
}

/// Appends `PATH<char 1:3>` when `path` is a character or block device (strace's printdev).
inline bool append_device(std::string_view path, std::string& out) {
  if (path.empty() || path[0] != '/') return false;
  std::string p(path);
  struct stat st;
  if (::stat(p.c_str(), &st) != 0) return false;
  bool blk = S_ISBLK(st.st_mode);
  if (!blk && !S_ISCHR(st.st_mode)) return false;
  out.append(path).append(blk ? "<block " : "<char ");
  put_udec(out, major(st.st_rdev));
  out.push_back(':');
  put_udec(out, minor(st.st_rdev));
  out.push_back('>');
  return true;
}

/// Returns the pid a pidfd refers to, from the `Pid:` line of /proc/<pid>/fdinfo/<fd>;
/// -1 when it cannot be read (or the process is gone).
inline long pidfd_pid(long pid, int fd) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%ld/fdinfo/%d", pid, fd);
  std::FILE* f = std::fopen(path, "re");
  if (!f) return -1;
  char line[256];
  long found = -1;
  while (std::fgets(line, sizeof line, f)) {
    std::string_view l(line);
    if (l.substr(0, 4) != "Pid:") continue;
    l.remove_prefix(4);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    long v = 0;
    auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
    if (ec == std::errc{} && end != l.data()) found = v;
    break;
  }
  std::fclose(f);
  return found;
}

}  // namespace snare::format::detail
