// Defines the printers of union bpf_attr for the bpf commands strace 6.1 prints in two halves
// (its bpf.c): the *_GET_NEXT_ID commands, PROG_QUERY, TASK_FD_QUERY and the map batches show
// at exit what the kernel wrote (`next_id=0 => 5`); LINK_CREATE and LINK_UPDATE, printed at
// entry, guess LINK_CREATE's union from the attach type as strace does.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_fields.hpp>
#include <snare/format/fd_resolver.hpp>

namespace snare::format::detail {

struct bpf_next_id_attr {
  std::uint32_t start_id, next_id, open_flags;
};
struct bpf_prog_query_attr {
  std::uint32_t target_fd, attach_type, query_flags, attach_flags;
  std::uint64_t prog_ids;
  std::uint32_t prog_cnt, pad;
};
struct bpf_task_fd_query_attr {
  std::uint32_t pid, fd, flags, buf_len;
  std::uint64_t buf;
  std::uint32_t prog_id, fd_type;
  std::uint64_t probe_offset, probe_addr;
};
static_assert(sizeof(bpf_task_fd_query_attr) == 48);
struct bpf_batch_attr {
  std::uint64_t in_batch, out_batch, keys, values;
  std::uint32_t count, map_fd;
  std::uint64_t elem_flags, flags;
};
static_assert(sizeof(bpf_batch_attr) == 56);
struct bpf_link_create_attr {
  std::uint32_t prog_fd, target_fd, attach_type, flags;
  // The union: target_btf_id (u32) | {iter_info, iter_info_len} | perf_event.bpf_cookie |
  // kprobe_multi {flags, cnt, syms, addrs, cookies}.
  std::uint64_t u0, u1, u2, u3;
};
static_assert(sizeof(bpf_link_create_attr) == 48);
struct bpf_link_update_attr {
  std::uint32_t link_fd, new_prog_fd, flags, old_prog_fd;
};

/// The slot of the entry_state where the entry keeps a value-result member (next_id,
/// prog_cnt, buf_len, count) for the exit.
inline constexpr std::size_t bpf_state_slot = 1;

/// *_GET_NEXT_ID: `{start_id=0, next_id=0` at entry; at exit ` => 5` when next_id changed,
/// then open_flags when `size` holds them.
template <class P>
void put_bpf_next_id(P& p, std::string_view data, bool exit) {
  const auto a = bpf_attr_of<bpf_next_id_attr>(data);
  std::string& out = p.out();
  if (!exit) {
    p.keep(bpf_state_slot, static_cast<std::int32_t>(a.next_id));
    out.append("{start_id=");
    put_udec(out, a.start_id);
    out.append(", next_id=");
    put_udec(out, a.next_id);
    return;
  }
  std::int32_t before = 0;
  if (p.saved(bpf_state_slot, before) && static_cast<std::uint32_t>(before) != a.next_id)
    out.append(" => "), put_udec(out, a.next_id);
  if (data.size() > offsetof(bpf_next_id_attr, open_flags)) {
    out.append(", open_flags=");
    put_flags(out, bpf_file_mode_flags_xlat, a.open_flags);
    put_bpf_extra_data(p, data, sizeof a);
  }
  out.push_back('}');
}

/// PROG_QUERY: `{query={target_fd=..., prog_ids=` at entry; the ids and prog_cnt at exit.
template <class P>
void put_bpf_prog_query(P& p, std::string_view data, bool exit) {
  const auto a = bpf_attr_of<bpf_prog_query_attr>(data);
  std::string& out = p.out();
  if (!exit) {
    p.keep(bpf_state_slot, static_cast<std::int32_t>(a.prog_cnt));
    bpf_fields<P> f{p};
    out.append("{query={");
    f.fd("target_fd", a.target_fd);
    f.xval("attach_type", bpf_attach_type_xlat, a.attach_type);
    f.flags("query_flags", bpf_query_flags_xlat, a.query_flags);
    f.flags("attach_flags", bpf_attach_flags_xlat, a.attach_flags);
    out.append(", prog_ids=");
    return;
  }
  put_bpf_ids(p, a.prog_ids, a.prog_cnt);
  std::int32_t before = static_cast<std::int32_t>(a.prog_cnt);
  p.saved(bpf_state_slot, before);
  bpf_fields<P>{p, false}.u_changed("prog_cnt", static_cast<std::uint32_t>(before), a.prog_cnt);
  out.push_back('}');
  put_bpf_extra_data(p, data, 28);  // offsetofend(prog_cnt)
  out.push_back('}');
}

/// TASK_FD_QUERY: what the caller gives at entry, what the kernel fills in at exit.
template <class P>
void put_bpf_task_fd_query(P& p, std::string_view data, bool exit) {
  const auto a = bpf_attr_of<bpf_task_fd_query_attr>(data);
  std::string& out = p.out();
  if (!exit) {
    p.keep(bpf_state_slot, static_cast<std::int32_t>(a.buf_len));
    out.append("{task_fd_query={pid=");
    p.put_pid(static_cast<std::int32_t>(a.pid), pid_type::tgid);
    bpf_fields<P> f{p, false};
    f.fd("fd", a.fd);
    f.u("flags", a.flags);
    f.u("buf_len", a.buf_len);
    return;
  }
  std::int32_t kept = static_cast<std::int32_t>(a.buf_len);
  p.saved(bpf_state_slot, kept);
  const auto before = static_cast<std::uint32_t>(kept);
  if (before != a.buf_len) out.append(" => "), put_udec(out, a.buf_len);
  bpf_fields<P> f{p, false};
  f.name("buf");
  if (a.buf != 0 && p.failed())
    put_hex(out, a.buf);
  else
    p.put_cstring_n(a.buf, std::min(before, a.buf_len));
  f.u("prog_id", a.prog_id);
  f.xval("fd_type", bpf_task_fd_type_xlat, a.fd_type);
  f.x("probe_offset", a.probe_offset);
  f.x("probe_addr", a.probe_addr);
  out.push_back('}');
  put_bpf_extra_data(p, data, sizeof a);
  out.push_back('}');
}

/// The map batches, by command number (24 LOOKUP, 25 LOOKUP_AND_DELETE, 26 UPDATE, 27
/// DELETE): all members at entry, ` => {batch={count=2}}` at exit when count changed.
template <class P>
void put_bpf_batch(P& p, std::string_view data, std::uint32_t cmd, bool exit) {
  const auto a = bpf_attr_of<bpf_batch_attr>(data);
  std::string& out = p.out();
  if (exit) {
    std::int32_t before = 0;
    if (p.saved(bpf_state_slot, before) && static_cast<std::uint32_t>(before) != a.count)
      out.append(" => {batch={count="), put_udec(out, a.count), out.append("}}");
    return;
  }
  p.keep(bpf_state_slot, static_cast<std::int32_t>(a.count));
  bpf_fields<P> f{p};
  out.append("{batch={");
  if (cmd <= 25) {
    f.addr("in_batch", a.in_batch);
    f.addr("out_batch", a.out_batch);
  }
  f.addr("keys", a.keys);
  if (cmd != 27) f.addr("values", a.values);
  f.u("count", a.count);
  f.fd("map_fd", a.map_fd);
  f.flags("elem_flags", bpf_map_lookup_elem_flags_xlat, a.elem_flags);
  f.x("flags", a.flags);
  out.push_back('}');
  put_bpf_extra_data(p, data, sizeof a);
  out.push_back('}');
}

/// LINK_CREATE: the union by attach type, as strace guesses it: target_btf_id (when not 0)
/// for 0, iter_info for BPF_TRACE_ITER, perf_event for BPF_PERF_EVENT, kprobe_multi for
/// BPF_TRACE_KPROBE_MULTI; for the others the union's bytes count as extra data.
template <class P>
void put_bpf_link_create(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_link_create_attr>(data);
  const std::size_t len = std::min(data.size(), sizeof a);
  std::string& out = p.out();
  bpf_fields<P> f{p};
  out.append("{link_create={");
  f.fd("prog_fd", a.prog_fd);
  f.fd("target_fd", a.target_fd);
  f.xval("attach_type", bpf_attach_type_xlat, a.attach_type);
  f.x("flags", a.flags);
  std::size_t known = sizeof a;
  if (len > 16) {
    const auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };
    switch (a.attach_type) {
      case 0:  // BPF_CGROUP_INET_INGRESS: target_btf_id
        if (lo(a.u0)) f.u("target_btf_id", lo(a.u0));
        known = 20;
        break;
      case 0x1c:  // BPF_TRACE_ITER
        f.name("iter_info");
        if (a.u0 == 0) {
          out.append("NULL");
        } else {
          p.put_array(a.u0, lo(a.u1), 4, [&](std::uint64_t fd) {
            out.append("{map={map_fd=");
            p.put_fd(static_cast<std::int32_t>(fd));
            out.append("}}");
          });
        }
        f.u("iter_info_len", lo(a.u1));
        known = 28;
        break;
      case 0x29:  // BPF_PERF_EVENT
        f.name("perf_event").append("{bpf_cookie=");
        put_hex(out, a.u0);
        out.push_back('}');
        known = 24;
        break;
      case 0x2a: {  // BPF_TRACE_KPROBE_MULTI
        const std::uint32_t cnt = static_cast<std::uint32_t>(a.u0 >> 32);
        f.name("kprobe_multi").push_back('{');
        bpf_fields<P> k{p};
        k.flags("flags", bpf_kprobe_multi_flags_xlat, lo(a.u0));
        k.u("cnt", cnt);
        k.name("syms");
        p.put_array(a.u1, cnt, 8, [&](std::uint64_t s) { p.put_cstring(s, p.opts().string_limit); });
        k.name("addrs");
        p.put_array(a.u2, cnt, 8, [&](std::uint64_t v) { put_hex(out, v); });
        k.name("cookies");
        p.put_array(a.u3, cnt, 8, [&](std::uint64_t v) { put_hex(out, v); });
        out.push_back('}');
        known = 48;
        break;
      }
      default:
        known = 16;
        break;
    }
  }
  out.push_back('}');
  put_bpf_extra_data(p, data, known);
  out.push_back('}');
}

/// LINK_UPDATE: old_prog_fd only with BPF_F_REPLACE.
template <class P>
void put_bpf_link_update(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_link_update_attr>(data);
  bpf_fields<P> f{p};
  p.out().append("{link_update={");
  f.fd("link_fd", a.link_fd);
  f.fd("new_prog_fd", a.new_prog_fd);
  f.flags("flags", bpf_attach_flags_xlat, a.flags);
  if (a.flags & 4u) f.fd("old_prog_fd", a.old_prog_fd);  // BPF_F_REPLACE
  p.out().push_back('}');
  put_bpf_extra_data(p, data, sizeof a);
  p.out().push_back('}');
}

}  // namespace snare::format::detail
