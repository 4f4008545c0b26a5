// Defines the printers of the btrfs ioctls' structs (linux/btrfs.h, linux/btrfs_tree.h;
// strace's btrfs.c): balance args, features, qgroup limits and inheritance, search keys and
// headers, scrub progress, device replace status, filesystem info, received-subvolume
// times and dedupe ranges. Offsets are x86-64's (checked by tests/format/ioctl_btrfs_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/loop.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends a u64 in decimal, UINT64_MAX by name (strace's PRINT_FIELD_U64).
inline void put_btrfs_u64(std::string& out, std::uint64_t v) {
  put_named(out, v == ~std::uint64_t{0} ? "UINT64_MAX" : "", [&] { put_udec(out, v); });
}

/// Appends `v` as a name of `x`'s values or in decimal, with no comment when unnamed
/// (strace's XLAT_STYLE_FMT_U printxval: objectids and key types).
inline void put_btrfs_named_u(std::string& out, const xlat& x, std::uint64_t v) {
  put_named(out, find_name(x.field, v), [&] { put_udec(out, v); });
}

/// Appends a device id as strace's PRINT_FIELD_DEV: makedev(major, minor); the number
/// with -X raw, both with -X verbose.
inline void put_btrfs_dev(std::string& out, std::uint64_t v) {
  std::string dev;
  put_loop_dev(dev, v);
  put_named(out, dev, [&] { put_hex(out, v); });
}

/// Appends struct btrfs_balance_args (136 bytes; linux/btrfs.h).
inline void put_btrfs_balance_args(std::string& out, const unsigned char* a) {
  out.append("{profiles="), put_flags(out, btrfs_block_group_flags_xlat, ioctl_field<std::uint64_t>(a, 0));
  out.append(", usage="), put_btrfs_u64(out, ioctl_field<std::uint64_t>(a, 8));
  out.append(", devid="), put_btrfs_dev(out, ioctl_field<std::uint64_t>(a, 16));
  static constexpr const char* names[] = {"pstart", "pend", "vstart", "vend", "target"};
  for (std::size_t i = 0; i < 5; ++i)
    out.append(", ").append(names[i]).push_back('='),
        put_btrfs_u64(out, ioctl_field<std::uint64_t>(a, 24 + i * 8));
  out.append(", flags="), put_flags(out, btrfs_balance_args_xlat, ioctl_field<std::uint64_t>(a, 64));
  out.push_back('}');
}

/// Appends struct btrfs_ioctl_balance_args (1024 bytes): the flags, the state when the
/// kernel wrote it (`out`), and the data, meta and sys args the flags select. False when
/// unreadable.
template <class P>
bool put_btrfs_balance(P& p, std::uint64_t addr, bool out_side) {
  unsigned char b[1024];
  if (!p.read_obj(addr, b)) return false;
  std::string& out = p.out();
  auto flags = ioctl_field<std::uint64_t>(b, 0);
  out.append("{flags="), put_flags(out, btrfs_balance_flags_xlat, flags);
  if (out_side) {
    out.append(", state="), put_flags(out, btrfs_balance_state_xlat, ioctl_field<std::uint64_t>(b, 8));
  }
  // BTRFS_BALANCE_DATA, _METADATA, _SYSTEM select data (16), meta (152), sys (288).
  if (flags & 1) out.append(", data="), put_btrfs_balance_args(out, b + 16);
  if (flags & 4) out.append(", meta="), put_btrfs_balance_args(out, b + 152);
  if (flags & 2) out.append(", sys="), put_btrfs_balance_args(out, b + 288);
  out.push_back('}');
  return true;
}

/// Appends struct btrfs_ioctl_feature_flags (24 bytes).
inline void put_btrfs_features(std::string& out, const unsigned char* f) {
  out.append("{compat_flags="), put_flags(out, btrfs_features_compat_xlat, ioctl_field<std::uint64_t>(f, 0));
  out.append(", compat_ro_flags="),
      put_flags(out, btrfs_features_compat_ro_xlat, ioctl_field<std::uint64_t>(f, 8));
  out.append(", incompat_flags="),
      put_flags(out, btrfs_features_incompat_xlat, ioctl_field<std::uint64_t>(f, 16));
  out.push_back('}');
}

/// Appends struct btrfs_qgroup_limit (40 bytes).
inline void put_btrfs_qgroup_limit(std::string& out, const unsigned char* l) {
  out.append("{flags="), put_flags(out, btrfs_qgroup_limit_flags_xlat, ioctl_field<std::uint64_t>(l, 0));
  static constexpr const char* names[] = {"max_rfer", "max_excl", "rsv_rfer", "rsv_excl"};
  for (std::size_t i = 0; i < 4; ++i)
    out.append(", ").append(names[i]).push_back('='), put_udec(out, ioctl_field<std::uint64_t>(l, 8 + i * 8));
  out.push_back('}');
}

/// Appends struct btrfs_qgroup_inherit at `addr` (72 bytes and the qgroup ids after them,
/// `...` for those unless verbose), or its address when unreadable.
template <class P>
void put_btrfs_qgroup_inherit(P& p, std::uint64_t addr) {
  unsigned char q[72];
  std::string& out = p.out();
  if (!p.read_obj(addr, q)) return put_ptr(out, addr);
  out.append("{flags="), put_flags(out, btrfs_qgroup_inherit_flags_xlat, ioctl_field<std::uint64_t>(q, 0));
  out.append(", num_qgroups="), put_udec(out, ioctl_field<std::uint64_t>(q, 8));
  out.append(", num_ref_copies="), put_udec(out, ioctl_field<std::uint64_t>(q, 16));
  out.append(", num_excl_copies="), put_udec(out, ioctl_field<std::uint64_t>(q, 24));
  out.append(", lim="), put_btrfs_qgroup_limit(out, q + 32);
  if (!p.opts().verbose) {
    out.append(", ...}");
    return;
  }
  out.append(", qgroups=");
  p.put_array(addr + 72, ioctl_field<std::uint64_t>(q, 8), 8, [&](std::uint64_t v) { put_udec(out, v); });
  out.push_back('}');
}

/// Appends the entry side of struct btrfs_ioctl_search_key (104 bytes): every field, the
/// objectids at the ends of the free range left out unless verbose (strace's).
inline void put_btrfs_search_key(std::string& out, const unsigned char* k, bool verbose) {
  auto min_obj = ioctl_field<std::uint64_t>(k, 8), max_obj = ioctl_field<std::uint64_t>(k, 16);
  out.append("{tree_id="),
      put_btrfs_named_u(out, btrfs_tree_objectids_xlat, ioctl_field<std::uint64_t>(k, 0));
  if (min_obj != 256 || verbose)  // BTRFS_FIRST_FREE_OBJECTID
    out.append(", min_objectid="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, min_obj);
  if (max_obj != ~std::uint64_t{255} || verbose)  // BTRFS_LAST_FREE_OBJECTID (-256)
    out.append(", max_objectid="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, max_obj);
  static constexpr const char* names[] = {"min_offset", "max_offset", "min_transid", "max_transid"};
  for (std::size_t i = 0; i < 4; ++i)
    out.append(", ").append(names[i]).push_back('='),
        put_btrfs_u64(out, ioctl_field<std::uint64_t>(k, 24 + i * 8));
  out.append(", min_type="), put_btrfs_named_u(out, btrfs_key_types_xlat, ioctl_field<std::uint32_t>(k, 56));
  out.append(", max_type="), put_btrfs_named_u(out, btrfs_key_types_xlat, ioctl_field<std::uint32_t>(k, 60));
  out.append(", nr_items="), put_udec(out, ioctl_field<std::uint32_t>(k, 64));
  out.push_back('}');
}

/// Appends struct btrfs_ioctl_timespec (u64 sec, u32 nsec) and its date in a comment.
inline void put_btrfs_timespec(std::string& out, const unsigned char* t) {
  auto sec = ioctl_field<std::uint64_t>(t, 0);
  auto nsec = ioctl_field<std::uint32_t>(t, 8);
  out.append("{sec="), put_udec(out, sec), out.append(", nsec="), put_udec(out, nsec), out.push_back('}');
  if (nsec < 1000000000) put_time_comment(out, static_cast<std::int64_t>(sec), nsec, 9);
}

/// Appends the `count` struct file_dedupe_range_info (32 bytes) at `addr` as strace's
/// print_array: {dest_fd, dest_offset} at entry, {bytes_deduped, status} at exit (`exit`);
/// two and `...` unless verbose. False (the address printed) when the first is unreadable.
template <class P>
bool put_btrfs_dedupe_info(P& p, std::uint64_t addr, std::uint64_t count, bool exit) {
  std::string& out = p.out();
  if (count == 0) return out.append("[]"), true;
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == 2) {
      out.append("...");
      break;
    }
    struct {
      std::int64_t dest_fd;
      std::uint64_t dest_offset, bytes_deduped;
      std::int32_t status;
      std::uint32_t reserved;
    } info;
    if (!p.read_obj(addr + k * sizeof info, info)) {
      if (k == 0) return out.resize(mark), put_hex(out, addr), false;
      p.put_unreadable_tail(addr + k * sizeof info);
      break;
    }
    if (!exit) {
      out.append("{dest_fd="), p.put_fd(info.dest_fd), out.append(", dest_offset="),
          put_udec(out, info.dest_offset);
    } else {
      out.append("{bytes_deduped="), put_udec(out, info.bytes_deduped);
      out.append(", status="), put_dec(out, info.status);
    }
    out.push_back('}');
  }
  out.push_back(']');
  return true;
}

/// Appends struct btrfs_scrub_progress (15 u64 counters).
inline void put_btrfs_scrub_progress(std::string& out, const unsigned char* s) {
  static constexpr const char* names[] = {
      "data_extents_scrubbed", "tree_extents_scrubbed", "data_bytes_scrubbed", "tree_bytes_scrubbed",
      "read_errors",           "csum_errors",           "verify_errors",       "no_csum",
      "csum_discards",         "super_errors",          "malloc_errors",       "uncorrectable_errors",
      "corrected_errors",      "last_physical",         "unverified_errors"};
  field_sep f{out};
  out.push_back('{');
  for (std::size_t i = 0; i < 15; ++i) put_udec(f(names[i]), ioctl_field<std::uint64_t>(s, i * 8));
  out.push_back('}');
}

/// Appends the status of a DEV_REPLACE STATUS (struct btrfs_ioctl_dev_replace_status_params).
inline void put_btrfs_replace_status(std::string& out, const unsigned char* s) {
  auto u64 = [&](std::size_t off) { return ioctl_field<std::uint64_t>(s, off); };
  out.append("{replace_state="), put_enum(out, btrfs_dev_replace_state_xlat, u64(0));
  out.append(", progress_1000="), put_udec(out, u64(8));
  if (u64(8) <= 1000)
    out.append(" /* "), put_udec(out, u64(8) / 10), out.push_back('.'), put_udec(out, u64(8) % 10),
        out.append("% */");
  out.append(", time_started="), put_udec(out, u64(16)),
      put_time_comment(out, static_cast<std::int64_t>(u64(16)), 0, 0);
  out.append(", time_stopped="), put_udec(out, u64(24)),
      put_time_comment(out, static_cast<std::int64_t>(u64(24)), 0, 0);
  out.append(", num_write_errors="), put_udec(out, u64(32));
  out.append(", num_uncorrectable_read_errors="), put_udec(out, u64(40)), out.push_back('}');
}

/// Appends struct btrfs_ioctl_fs_info_args (1024 bytes), the fields its flags make valid.
inline void put_btrfs_fs_info(std::string& out, const unsigned char* a) {
  auto flags = ioctl_field<std::uint64_t>(a, 48);
  out.append("{max_id="), put_udec(out, ioctl_field<std::uint64_t>(a, 0));
  out.append(", num_devices="), put_udec(out, ioctl_field<std::uint64_t>(a, 8));
  out.append(", fsid="), put_uuid(out, a + 16);
  out.append(", nodesize="), put_udec(out, ioctl_field<std::uint32_t>(a, 32));
  out.append(", sectorsize="), put_udec(out, ioctl_field<std::uint32_t>(a, 36));
  out.append(", clone_alignment="), put_udec(out, ioctl_field<std::uint32_t>(a, 40));
  if (flags & 1) {  // BTRFS_FS_INFO_FLAG_CSUM_INFO
    out.append(", csum_type="), put_enum(out, btrfs_csum_types_xlat, ioctl_field<std::uint16_t>(a, 44));
    out.append(", csum_size="), put_udec(out, ioctl_field<std::uint16_t>(a, 46));
  }
  out.append(", flags="), put_flags(out, btrfs_fs_info_flags_xlat, flags);
  if (flags & 2) out.append(", generation="), put_udec(out, ioctl_field<std::uint64_t>(a, 56));
  if (flags & 4) out.append(", metadata_uuid="), put_uuid(out, a + 64);
  out.push_back('}');
}

/// Appends the search headers a successful TREE_SEARCH wrote in the `size` bytes at `addr`
/// (struct btrfs_ioctl_search_header, 32 bytes, each followed by its item), as strace.
template <class P>
void put_btrfs_search_buf(P& p, std::uint64_t addr, std::uint64_t size, std::uint32_t nr_items) {
  std::string& out = p.out();
  if (!p.opts().verbose) return out.append(", ..."), void();
  out.append(", buf=[");
  std::uint64_t off = 0;
  for (std::uint32_t i = 0; i < nr_items; ++i) {
    if (i) out.append(", ");
    unsigned char h[32];  // transid, objectid, offset, u32 type, u32 len
    if (addr + off < addr || off + sizeof h > size || i > p.opts().string_limit) {
      out.append("...");
      break;
    }
    if (!p.read_obj(addr + off, h)) {
      p.put_unreadable_tail(addr + off);
      break;
    }
    out.append("{transid="), put_udec(out, ioctl_field<std::uint64_t>(h, 0));
    out.append(", objectid="),
        put_btrfs_named_u(out, btrfs_tree_objectids_xlat, ioctl_field<std::uint64_t>(h, 8));
    out.append(", offset="), put_udec(out, ioctl_field<std::uint64_t>(h, 16));
    out.append(", type="), put_btrfs_named_u(out, btrfs_key_types_xlat, ioctl_field<std::uint32_t>(h, 24));
    out.append(", len="), put_udec(out, ioctl_field<std::uint32_t>(h, 28)), out.push_back('}');
    off += sizeof h + ioctl_field<std::uint32_t>(h, 28);
  }
  out.push_back(']');
}

/// Appends the head of struct btrfs_data_container (four u32 counts) at `addr` and, when
/// verbose, its `val` elements through `put_val(val_addr, count)`; `...` for them
/// otherwise. Its address when unreadable, NULL for 0.
template <class P, class PutVal>
void put_btrfs_container(P& p, std::uint64_t addr, PutVal put_val) {
  std::string& out = p.out();
  std::uint32_t c[4];  // bytes_left, bytes_missing, elem_cnt, elem_missed
  if (addr == 0) return out.append("NULL"), void();
  if (!p.read_obj(addr, c)) return put_ptr(out, addr);
  out.append("{bytes_left="), put_udec(out, c[0]), out.append(", bytes_missing="), put_udec(out, c[1]);
  out.append(", elem_cnt="), put_udec(out, c[2]), out.append(", elem_missed="), put_udec(out, c[3]);
  if (!p.opts().verbose) return out.append(", ...}"), void();
  out.append(", val="), put_val(addr + 16, c[2]), out.push_back('}');
}

/// Appends INO_PATHS' container: the paths, each at the offset its element gives from the
/// start of `val` (strace's print_btrfs_data_container_ino_path).
template <class P>
void put_btrfs_ino_paths(P& p, std::uint64_t addr) {
  put_btrfs_container(p, addr, [&](std::uint64_t val, std::uint32_t count) {
    p.put_array(val, count, 8, [&](std::uint64_t off) { p.put_cstring(val + off, 4096); });
  });
}

/// Appends LOGICAL_INO's container: {inum, offset, root} triples (elem_cnt / 3 of them).
template <class P>
void put_btrfs_logical_inodes(P& p, std::uint64_t addr) {
  put_btrfs_container(p, addr, [&](std::uint64_t val, std::uint32_t count) {
    put_ioctl_structs(p, val, count / 3, 24, [&](const unsigned char* r) {
      std::string& out = p.out();
      out.append("{inum="), put_udec(out, ioctl_field<std::uint64_t>(r, 0));
      out.append(", offset="), put_udec(out, ioctl_field<std::uint64_t>(r, 8));
      out.append(", root="), put_udec(out, ioctl_field<std::uint64_t>(r, 16)), out.push_back('}');
    });
  });
}

}  // namespace snare::format::detail
