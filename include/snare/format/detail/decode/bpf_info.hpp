// Defines the printer of bpf's BPF_OBJ_GET_INFO_BY_FD (strace's bpf.c): {bpf_fd, info_len} at
// entry; at exit the info_len the kernel wrote and, with -v, the struct bpf_map_info or
// bpf_prog_info it filled in, chosen by the fd's path (anon_inode:bpf-map, anon_inode:bpf-prog),
// its value-result members shown as `nr_map_ids=0 => 2`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_fields.hpp>
#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/stat.hpp>
#include <snare/format/detail/scratch.hpp>

namespace snare::format::detail {

struct bpf_obj_info_attr {
  std::uint32_t bpf_fd, info_len;
  std::uint64_t info;
};
// struct bpf_map_info and bpf_prog_info as strace 6.1's bpf_attr.h lays them out.
struct bpf_map_info_s {
  std::uint32_t type, id, key_size, value_size, max_entries, map_flags;
  char name[16];
  std::uint32_t ifindex, btf_vmlinux_value_type_id;
  std::uint64_t netns_dev, netns_ino;
  std::uint32_t btf_id, btf_key_type_id, btf_value_type_id, pad;
  std::uint64_t map_extra;
};
static_assert(sizeof(bpf_map_info_s) == 88);
struct bpf_prog_info_s {
  std::uint32_t type, id;
  unsigned char tag[8];
  std::uint32_t jited_prog_len, xlated_prog_len;
  std::uint64_t jited_prog_insns, xlated_prog_insns, load_time;
  std::uint32_t created_by_uid, nr_map_ids;
  std::uint64_t map_ids;
  char name[16];
  std::uint32_t ifindex, gpl_compatible;  // gpl_compatible: bit 0
  std::uint64_t netns_dev, netns_ino;
  std::uint32_t nr_jited_ksyms, nr_jited_func_lens;
  std::uint64_t jited_ksyms, jited_func_lens;
  std::uint32_t btf_id, func_info_rec_size;
  std::uint64_t func_info;
  std::uint32_t nr_func_info, nr_line_info;
  std::uint64_t line_info, jited_line_info;
  std::uint32_t nr_jited_line_info, line_info_rec_size, jited_line_info_rec_size, nr_prog_tags;
  std::uint64_t prog_tags, run_time_ns, run_cnt, recursion_misses;
  std::uint32_t verified_insns, pad;
};
inline constexpr std::size_t bpf_prog_info_size = offsetof(bpf_prog_info_s, verified_insns) + 4;

/// Which info struct the fd's object fills in, as the entry saw it (the first byte kept).
enum class bpf_info_kind : char { none = 0, map = 1, prog = 2 };

/// Appends ` /* 2026-12-02T02:20:48+0000 */`: the local time of a CLOCK_BOOTTIME instant in
/// ns, to the second, as strace's print_boottime (nothing with -X raw).
inline void put_boottime(std::string& out, std::uint64_t ns) {
  if (xlat_raw()) return;
  timespec boot{}, real{};
  if (clock_gettime(CLOCK_BOOTTIME, &boot) || clock_gettime(CLOCK_REALTIME, &real)) return;
  std::int64_t sec = static_cast<std::int64_t>(ns / 1000000000) + (real.tv_sec - boot.tv_sec);
  const std::int64_t nsec = static_cast<std::int64_t>(ns % 1000000000) + (real.tv_nsec - boot.tv_nsec);
  if (nsec < 0) --sec;
  if (nsec >= 1000000000) ++sec;
  const auto t = static_cast<std::time_t>(sec);
  std::tm tm{};
  if (!localtime_r(&t, &tm)) return;
  char buf[64];
  if (std::strftime(buf, sizeof buf, "%FT%T%z", &tm) == 0) return;
  out.append(" /* ").append(buf).append(" */");
}

/// Appends `len` bytes at `addr` read after the call, all as \x escapes (strace's printstr_ex
/// with QUOTE_FORCE_HEX): cut at the string limit, the address when the call failed.
template <class P>
void put_bpf_hex_buffer(P& p, std::uint64_t addr, std::uint32_t len) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  const std::size_t limit = p.opts().string_limit;
  const std::size_t shown = std::min<std::size_t>(len, limit), fetch = std::min<std::size_t>(len, limit + 1);
  if (p.failed() || (fetch && !p.read_exact(addr, fetch))) return put_hex(out, addr);
  put_quoted(out,
             std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(scratch().data()), shown),
             true);
  if (len > shown) out.append("...");
}

/// Prints struct bpf_map_info from the `size` bytes the kernel filled in.
template <class P>
void put_bpf_map_info(P& p, std::string_view info) {
  const auto m = bpf_attr_of<bpf_map_info_s>(info);
  const std::size_t len = std::min(info.size(), sizeof m);
  bpf_fields<P> f{p};
  p.out().push_back('{');
  f.xval("type", bpf_map_type_xlat, m.type);
  f.u("id", m.id);
  f.u("key_size", m.key_size);
  f.u("value_size", m.value_size);
  f.u("max_entries", m.max_entries);
  f.flags("map_flags", bpf_map_flags_xlat, m.map_flags);
  auto done = [&] { p.out().push_back('}'); };
  if (len <= offsetof(bpf_map_info_s, name)) return done();
  put_field_cstring(f.name("name"), m.name, sizeof m.name, p.opts().hex_strings);
  if (len <= offsetof(bpf_map_info_s, ifindex)) return done();
  put_ifindex(f.name("ifindex"), m.ifindex);
  f.u("btf_vmlinux_value_type_id", m.btf_vmlinux_value_type_id);
  put_dev(f.name("netns_dev"), m.netns_dev);
  f.u("netns_ino", m.netns_ino);
  if (len <= offsetof(bpf_map_info_s, btf_id)) return done();
  f.u("btf_id", m.btf_id);
  f.u("btf_key_type_id", m.btf_key_type_id);
  f.u("btf_value_type_id", m.btf_value_type_id);
  put_bpf_extra_data(p, info, sizeof m);
  done();
}

/// Prints struct bpf_prog_info from the `info` bytes the kernel filled in, comparing the
/// value-result members with `was`, the struct as the caller passed it.
template <class P>
void put_bpf_prog_info(P& p, std::string_view info, const bpf_prog_info_s& was) {
  const auto g = bpf_attr_of<bpf_prog_info_s>(info);
  const std::size_t len = std::min(info.size(), bpf_prog_info_size);
  std::string& out = p.out();
  bpf_fields<P> f{p};
  out.push_back('{');
  f.xval("type", bpf_prog_type_xlat, g.type);
  f.u("id", g.id);
  put_quoted(f.name("tag"), std::span<const unsigned char>(g.tag, sizeof g.tag), true);
  f.u_changed("jited_prog_len", was.jited_prog_len, g.jited_prog_len);
  f.name("jited_prog_insns");
  put_bpf_hex_buffer(p, g.jited_prog_insns, g.jited_prog_len);
  f.u_changed("xlated_prog_len", was.xlated_prog_len, g.xlated_prog_len);
  f.name("xlated_prog_insns");
  put_ebpf_insns(p, g.xlated_prog_insns, std::min(was.xlated_prog_len, g.xlated_prog_len) / 8, true);
  auto done = [&] { out.push_back('}'); };
  if (len <= offsetof(bpf_prog_info_s, load_time)) return done();
  f.u("load_time", g.load_time);
  put_boottime(out, g.load_time);
  put_id(f.name("created_by_uid"), g.created_by_uid);
  f.u_changed("nr_map_ids", was.nr_map_ids, g.nr_map_ids);
  f.name("map_ids");
  put_bpf_ids(p, g.map_ids, std::min(was.nr_map_ids, g.nr_map_ids));
  put_field_cstring(f.name("name"), g.name, sizeof g.name, p.opts().hex_strings);
  if (len <= offsetof(bpf_prog_info_s, ifindex)) return done();
  put_ifindex(f.name("ifindex"), g.ifindex);
  f.u("gpl_compatible", g.gpl_compatible & 1u);
  put_dev(f.name("netns_dev"), g.netns_dev);
  f.u("netns_ino", g.netns_ino);
  if (len <= offsetof(bpf_prog_info_s, nr_jited_ksyms)) return done();
  f.u_changed("nr_jited_ksyms", was.nr_jited_ksyms, g.nr_jited_ksyms);
  f.u_changed("nr_jited_func_lens", was.nr_jited_func_lens, g.nr_jited_func_lens);
  f.addr_changed("jited_ksyms", was.jited_ksyms, g.jited_ksyms);
  f.addr_changed("jited_func_lens", was.jited_func_lens, g.jited_func_lens);
  if (len <= offsetof(bpf_prog_info_s, btf_id)) return done();
  f.u("btf_id", g.btf_id);
  f.u_changed("func_info_rec_size", was.func_info_rec_size, g.func_info_rec_size);
  f.addr("func_info", g.func_info);
  f.u_changed("nr_func_info", was.nr_func_info, g.nr_func_info);
  f.u_changed("nr_line_info", was.nr_line_info, g.nr_line_info);
  f.addr("line_info", g.line_info);
  f.addr_changed("jited_line_info", was.jited_line_info, g.jited_line_info);
  f.u_changed("nr_jited_line_info", was.nr_jited_line_info, g.nr_jited_line_info);
  f.u_changed("line_info_rec_size", was.line_info_rec_size, g.line_info_rec_size);
  f.u_changed("jited_line_info_rec_size", was.jited_line_info_rec_size, g.jited_line_info_rec_size);
  f.u_changed("nr_prog_tags", was.nr_prog_tags, g.nr_prog_tags);
  f.addr("prog_tags", g.prog_tags);
  if (len <= offsetof(bpf_prog_info_s, run_time_ns)) return done();
  f.u("run_time_ns", g.run_time_ns);
  f.u("run_cnt", g.run_cnt);
  if (len <= offsetof(bpf_prog_info_s, recursion_misses)) return done();
  f.u("recursion_misses", g.recursion_misses);
  if (len <= offsetof(bpf_prog_info_s, verified_insns)) return done();
  f.u("verified_insns", g.verified_insns);
  put_bpf_extra_data(p, info, bpf_prog_info_size);
  done();
}

/// OBJ_GET_INFO_BY_FD: `{info={bpf_fd=3, info_len=80` at entry, keeping what the exit compares
/// (the kind of object, info_len, and with -v the info struct as passed); the rest at exit.
template <class P>
void put_bpf_obj_info(P& p, std::string_view data, bool exit) {
  const auto a = bpf_attr_of<bpf_obj_info_attr>(data);
  std::string& out = p.out();
  auto fetch = [&](std::uint32_t size) {
    return size > 0 && size <= 4096 && a.info != 0 && p.read_exact(a.info, size);
  };
  if (!exit) {
    bpf_fields<P> f{p};
    out.append("{info={");
    f.fd("bpf_fd", a.bpf_fd);
    f.u("info_len", a.info_len);
    std::string kept(5, '\0');
    std::memcpy(kept.data() + 1, &a.info_len, 4);
    if (p.opts().verbose) {
      std::string path;
      if (p.append_fd_path(static_cast<std::int32_t>(a.bpf_fd), path)) {
        if (path == "anon_inode:bpf-map") kept[0] = static_cast<char>(bpf_info_kind::map);
        if (path == "anon_inode:bpf-prog") kept[0] = static_cast<char>(bpf_info_kind::prog);
      }
      if (kept[0] == static_cast<char>(bpf_info_kind::prog) && fetch(a.info_len))
        kept.append(scratch(), 0, std::min<std::size_t>(a.info_len, sizeof(bpf_prog_info_s)));
    }
    p.keep_bytes(kept);
    return;
  }
  const std::string_view kept = p.saved_bytes();
  std::uint32_t len_before = a.info_len;
  auto kind = bpf_info_kind::none;
  if (kept.size() >= 5) {
    std::memcpy(&len_before, kept.data() + 1, 4);
    kind = static_cast<bpf_info_kind>(kept[0]);
  }
  if (len_before != a.info_len) out.append(" => "), put_udec(out, a.info_len);
  out.append(", info=");
  if (!p.opts().verbose || kind == bpf_info_kind::none || !fetch(a.info_len)) {
    put_ptr(out, a.info);
  } else {
    const std::string info = scratch();
    if (kind == bpf_info_kind::map) {
      put_bpf_map_info(p, info);
    } else {
      const auto was = bpf_attr_of<bpf_prog_info_s>(kept.substr(5));
      put_bpf_prog_info(p, info, was);
    }
  }
  out.push_back('}');
  put_bpf_extra_data(p, data, sizeof a);
  out.push_back('}');
}

}  // namespace snare::format::detail
