// Defines the printers of union bpf_attr for the bpf commands strace 6.1 decodes at entry
// (its bpf.c and bpf_attr.h): the map and program commands, pinning, attaching, test runs,
// ids, raw tracepoints and BTF. Each prints `{...}` from the `size` bytes the call passed,
// stopping at the field group `size` ends in, as strace does.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_fields.hpp>
#include <snare/format/detail/decode/nlattr.hpp>

namespace snare::format::detail {

// union bpf_attr's parts, as strace's bpf_attr.h lays them out (uapi linux/bpf.h).
struct bpf_map_create_attr {
  std::uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
  char map_name[16];
  std::uint32_t map_ifindex, btf_fd, btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
  std::uint64_t map_extra;
};
static_assert(sizeof(bpf_map_create_attr) == 72);
struct bpf_map_elem_attr {  // MAP_{LOOKUP,UPDATE,DELETE}_ELEM, MAP_GET_NEXT_KEY, MAP_FREEZE
  std::uint32_t map_fd, pad;
  std::uint64_t key, value_or_next_key, flags;
};
static_assert(sizeof(bpf_map_elem_attr) == 32);

/// BPF_PROG_LOAD's part of union bpf_attr as strace 6.1 knows it (128 bytes, up to fd_array).
struct bpf_prog_load_attr {
  std::uint32_t prog_type, insn_cnt;
  std::uint64_t insns, license;
  std::uint32_t log_level, log_size;
  std::uint64_t log_buf;
  std::uint32_t kern_version, prog_flags;
  char prog_name[16];
  std::uint32_t prog_ifindex, expected_attach_type, prog_btf_fd, func_info_rec_size;
  std::uint64_t func_info;
  std::uint32_t func_info_cnt, line_info_rec_size;
  std::uint64_t line_info;
  std::uint32_t line_info_cnt, attach_btf_id, attach_prog_fd, pad;
  std::uint64_t fd_array;
};
static_assert(sizeof(bpf_prog_load_attr) == 128);
struct bpf_obj_pin_attr {
  std::uint64_t pathname;
  std::uint32_t bpf_fd, file_flags;
};
struct bpf_prog_attach_attr {  // PROG_ATTACH (20 bytes) and PROG_DETACH (12)
  std::uint32_t target_fd, attach_bpf_fd, attach_type, attach_flags, replace_bpf_fd;
};
struct bpf_test_run_attr {
  std::uint32_t prog_fd, retval, data_size_in, data_size_out;
  std::uint64_t data_in, data_out;
  std::uint32_t repeat, duration, ctx_size_in, ctx_size_out;
  std::uint64_t ctx_in, ctx_out;
  std::uint32_t flags, cpu, batch_size, pad;
};
struct bpf_id_attr {  // *_GET_NEXT_ID's start_id, *_GET_FD_BY_ID's prog_id/map_id
  std::uint32_t id, next_id, open_flags;
};
struct bpf_raw_tp_attr {
  std::uint64_t name;
  std::uint32_t prog_fd, pad;
};
struct bpf_btf_load_attr {
  std::uint64_t btf, btf_log_buf;
  std::uint32_t btf_size, btf_log_size, btf_log_level, pad;
};

/// MAP_CREATE (strace's decode_BPF_MAP_CREATE).
template <class P>
void put_bpf_map_create(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_map_create_attr>(data);
  const std::size_t len = std::min(data.size(), sizeof a);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.xval("map_type", bpf_map_type_xlat, a.map_type);
  f.u("key_size", a.key_size);
  f.u("value_size", a.value_size);
  f.u("max_entries", a.max_entries);
  auto done = [&] { p.out().push_back('}'); };
  if (len <= offsetof(bpf_map_create_attr, map_flags)) return done();
  f.flags("map_flags", bpf_map_flags_xlat, a.map_flags);
  if (len <= offsetof(bpf_map_create_attr, inner_map_fd)) return done();
  f.fd("inner_map_fd", a.inner_map_fd);
  if (len <= offsetof(bpf_map_create_attr, numa_node)) return done();
  if (a.map_flags & 4u) f.xval("numa_node", numa_node_xlat, a.numa_node);  // BPF_F_NUMA_NODE
  if (len <= offsetof(bpf_map_create_attr, map_name)) return done();
  put_field_cstring(f.name("map_name"), a.map_name,
                    std::min(sizeof a.map_name, len - offsetof(bpf_map_create_attr, map_name)),
                    p.opts().hex_strings);
  if (len <= offsetof(bpf_map_create_attr, map_ifindex)) return done();
  put_ifindex(f.name("map_ifindex"), a.map_ifindex);
  if (len <= offsetof(bpf_map_create_attr, btf_fd)) return done();
  f.fd("btf_fd", a.btf_fd);
  f.u("btf_key_type_id", a.btf_key_type_id);
  f.u("btf_value_type_id", a.btf_value_type_id);
  if (len <= offsetof(bpf_map_create_attr, btf_vmlinux_value_type_id)) return done();
  f.u("btf_vmlinux_value_type_id", a.btf_vmlinux_value_type_id);
  if (len <= offsetof(bpf_map_create_attr, map_extra)) return done();
  f.u("map_extra", a.map_extra);
  put_bpf_extra_data(p, data, sizeof a);
  done();
}

/// The element commands: MAP_LOOKUP_ELEM and MAP_LOOKUP_AND_DELETE_ELEM (`lookup`),
/// MAP_UPDATE_ELEM, MAP_DELETE_ELEM, MAP_GET_NEXT_KEY and MAP_FREEZE, by command number.
template <class P>
void put_bpf_map_elem(P& p, std::string_view data, std::uint32_t cmd) {
  const auto a = bpf_attr_of<bpf_map_elem_attr>(data);
  const std::size_t len = std::min(data.size(), sizeof a);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.fd("map_fd", a.map_fd);
  std::size_t known = 4;  // MAP_FREEZE
  switch (cmd) {
    case 1:   // BPF_MAP_LOOKUP_ELEM
    case 21:  // BPF_MAP_LOOKUP_AND_DELETE_ELEM
      f.addr("key", a.key);
      f.addr("value", a.value_or_next_key);
      known = 32;
      if (len <= offsetof(bpf_map_elem_attr, flags)) return p.out().push_back('}');
      f.flags("flags", bpf_map_lookup_elem_flags_xlat, a.flags);
      break;
    case 2:  // BPF_MAP_UPDATE_ELEM
      f.addr("key", a.key);
      f.addr("value", a.value_or_next_key);
      f.xval("flags", bpf_map_update_elem_flags_xlat, a.flags);
      known = 32;
      break;
    case 3:  // BPF_MAP_DELETE_ELEM
      f.addr("key", a.key);
      known = 16;
      break;
    case 4:  // BPF_MAP_GET_NEXT_KEY
      f.addr("key", a.key);
      f.addr("next_key", a.value_or_next_key);
      known = 24;
      break;
    default:
      break;
  }
  put_bpf_extra_data(p, data, known);
  p.out().push_back('}');
}

/// PROG_LOAD: each field group only when `size` reaches it (the versions of the struct the
/// kernel accepts); the instructions with -v.
template <class P>
void put_bpf_prog_load(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_prog_load_attr>(data);
  const std::size_t len = std::min(data.size(), sizeof a);
  std::string& out = p.out();
  bpf_fields<P> f{p};
  auto reaches = [&](std::size_t offset) { return len > offset; };
  out.push_back('{');
  f.xval("prog_type", bpf_prog_type_xlat, a.prog_type);
  f.u("insn_cnt", a.insn_cnt);
  f.name("insns");
  put_ebpf_insns(p, a.insns, a.insn_cnt);
  f.name("license");
  p.put_cstring(a.license, p.opts().string_limit);
  auto done = [&] { out.push_back('}'); };
  if (!reaches(offsetof(bpf_prog_load_attr, log_level))) return done();
  f.u("log_level", a.log_level);
  f.u("log_size", a.log_size);
  f.name("log_buf");
  if (a.log_buf != 0 && a.log_size == 0)
    out.append("\"\"");
  else
    p.put_cstring_n(a.log_buf, a.log_size);
  if (!reaches(offsetof(bpf_prog_load_attr, kern_version))) return done();
  put_kernel_version(f.name("kern_version"), a.kern_version);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_flags))) return done();
  f.flags("prog_flags", bpf_prog_flags_xlat, a.prog_flags);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_name))) return done();
  put_field_cstring(f.name("prog_name"), a.prog_name,
                    std::min(sizeof a.prog_name, len - offsetof(bpf_prog_load_attr, prog_name)),
                    p.opts().hex_strings);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_ifindex))) return done();
  put_ifindex(f.name("prog_ifindex"), a.prog_ifindex);
  if (!reaches(offsetof(bpf_prog_load_attr, expected_attach_type))) return done();
  f.xval("expected_attach_type", bpf_attach_type_xlat, a.expected_attach_type);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_btf_fd))) return done();
  f.fd("prog_btf_fd", a.prog_btf_fd);
  f.u("func_info_rec_size", a.func_info_rec_size);
  f.addr("func_info", a.func_info);
  f.u("func_info_cnt", a.func_info_cnt);
  f.u("line_info_rec_size", a.line_info_rec_size);
  f.addr("line_info", a.line_info);
  f.u("line_info_cnt", a.line_info_cnt);
  if (!reaches(offsetof(bpf_prog_load_attr, attach_btf_id))) return done();
  f.u("attach_btf_id", a.attach_btf_id);
  if (!reaches(offsetof(bpf_prog_load_attr, attach_prog_fd))) return done();
  f.fd("attach_prog_fd", a.attach_prog_fd);
  if (!reaches(offsetof(bpf_prog_load_attr, fd_array))) return done();
  f.addr("fd_array", a.fd_array);
  put_bpf_extra_data(p, data, sizeof a);
  done();
}

/// OBJ_PIN and OBJ_GET: the path, the object's fd, file_flags when `size` holds them.
template <class P>
void put_bpf_obj_pin(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_obj_pin_attr>(data);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.name("pathname");
  p.put_cstring(a.pathname, 4095);  // strace's printpath: PATH_MAX, not the string limit
  f.fd("bpf_fd", a.bpf_fd);
  if (data.size() > offsetof(bpf_obj_pin_attr, file_flags)) {
    f.flags("file_flags", bpf_file_mode_flags_xlat, a.file_flags);
    put_bpf_extra_data(p, data, sizeof a);
  }
  p.out().push_back('}');
}

/// PROG_ATTACH (`attach`) and PROG_DETACH.
template <class P>
void put_bpf_prog_attach(P& p, std::string_view data, bool attach) {
  const auto a = bpf_attr_of<bpf_prog_attach_attr>(data);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.fd("target_fd", a.target_fd);
  if (attach) f.fd("attach_bpf_fd", a.attach_bpf_fd);
  f.xval("attach_type", bpf_attach_type_xlat, a.attach_type);
  if (attach) {
    f.flags("attach_flags", bpf_attach_flags_xlat, a.attach_flags);
    if (data.size() <= offsetof(bpf_prog_attach_attr, replace_bpf_fd)) return p.out().push_back('}');
    f.fd("replace_bpf_fd", a.replace_bpf_fd);
  }
  put_bpf_extra_data(p, data, attach ? 20 : 12);
  p.out().push_back('}');
}

/// PROG_TEST_RUN: `{test={...}}`, its later field groups when `size` reaches them.
template <class P>
void put_bpf_test_run(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_test_run_attr>(data);
  const std::size_t len = std::min<std::size_t>(data.size(), 76);
  bpf_fields<P> f{p};
  p.out().append("{test={");
  f.fd("prog_fd", a.prog_fd);
  f.u("retval", a.retval);
  f.u("data_size_in", a.data_size_in);
  f.u("data_size_out", a.data_size_out);
  f.addr("data_in", a.data_in);
  f.addr("data_out", a.data_out);
  f.u("repeat", a.repeat);
  f.u("duration", a.duration);
  if (len > offsetof(bpf_test_run_attr, ctx_size_in)) {
    f.u("ctx_size_in", a.ctx_size_in);
    f.u("ctx_size_out", a.ctx_size_out);
    f.addr("ctx_in", a.ctx_in);
    f.addr("ctx_out", a.ctx_out);
  }
  if (len > offsetof(bpf_test_run_attr, flags)) {
    f.flags("flags", bpf_test_run_flags_xlat, a.flags);
    f.u("cpu", a.cpu);
  }
  if (len > offsetof(bpf_test_run_attr, batch_size)) f.u("batch_size", a.batch_size);
  p.out().push_back('}');
  put_bpf_extra_data(p, data, 76);  // offsetofend(batch_size)
  p.out().push_back('}');
}

/// PROG_GET_FD_BY_ID and MAP_GET_FD_BY_ID (`id_name`: prog_id or map_id).
template <class P>
void put_bpf_get_fd_by_id(P& p, std::string_view data, std::string_view id_name) {
  const auto a = bpf_attr_of<bpf_id_attr>(data);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.u(id_name, a.id);
  f.u("next_id", a.next_id);
  if (data.size() > offsetof(bpf_id_attr, open_flags)) {
    f.flags("open_flags", bpf_file_mode_flags_xlat, a.open_flags);
    put_bpf_extra_data(p, data, sizeof a);
  }
  p.out().push_back('}');
}

/// The commands whose attributes are one u32: BTF_GET_FD_BY_ID's btf_id, LINK_GET_FD_BY_ID's
/// link_id.
template <class P>
void put_bpf_one_id(P& p, std::string_view data, std::string_view id_name) {
  const auto a = bpf_attr_of<std::uint32_t>(data);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.u(id_name, a);
  put_bpf_extra_data(p, data, 4);
  p.out().push_back('}');
}

/// RAW_TRACEPOINT_OPEN: `{raw_tracepoint={name="...", prog_fd=3}}`, the name read up to 128
/// bytes.
template <class P>
void put_bpf_raw_tp(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_raw_tp_attr>(data);
  bpf_fields<P> f{p};
  p.out().append("{raw_tracepoint={");
  f.name("name");
  p.put_cstring_n(a.name, 128);
  f.fd("prog_fd", a.prog_fd);
  p.out().push_back('}');
  put_bpf_extra_data(p, data, 12);
  p.out().push_back('}');
}

/// BTF_LOAD: the BTF data as a buffer of btf_size bytes.
template <class P>
void put_bpf_btf_load(P& p, std::string_view data) {
  const auto a = bpf_attr_of<bpf_btf_load_attr>(data);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.name("btf");
  p.put_buffer(a.btf, a.btf_size);
  f.addr("btf_log_buf", a.btf_log_buf);
  f.u("btf_size", a.btf_size);
  f.u("btf_log_size", a.btf_log_size);
  f.u("btf_log_level", a.btf_log_level);
  put_bpf_extra_data(p, data, 28);
  p.out().push_back('}');
}

}  // namespace snare::format::detail
