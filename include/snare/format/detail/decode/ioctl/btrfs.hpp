// Defines the decoder of the btrfs ioctls of linux/btrfs.h and the 0x94 requests of
// linux/fs.h that share their type (strace's btrfs.c and fs_0x94_ioctl.c): the arguments
// at entry (volume args, subvolume flags, balance, defrag, tree search keys, scrub, send,
// quota and qgroup args, device replace, features) and the values the read-only requests
// return (START_SYNC, SUBVOL_GETFLAGS, the features, qgroup limits, rescan status, label).
// The structs' printers are in btrfs_structs.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/ioctl/btrfs_structs.hpp>
#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/loop.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// The btrfs requests and linux/fs.h's 0x94 ones (x86-64 numbers), sorted by number.
inline constexpr ioctl_entry btrfs_ioctls[] = {
    {0x9406, "BTRFS_IOC_TRANS_START", ioctl_shape::none},
    {0x9407, "BTRFS_IOC_TRANS_END", ioctl_shape::none},
    {0x9408, "BTRFS_IOC_SYNC", ioctl_shape::none},
    {0x941c, "BTRFS_IOC_SCRUB_CANCEL", ioctl_shape::none},
    {0x942e, "BTRFS_IOC_QUOTA_RESCAN_WAIT", ioctl_shape::none},
    {0x40049409, "BTRFS_IOC_CLONE", ioctl_shape::int_value},  // FICLONE
    {0x40049421, "BTRFS_IOC_BALANCE_CTL", ioctl_shape::enum_value, &btrfs_balance_ctl_cmds_xlat},
    {0x40089413, "BTRFS_IOC_DEFAULT_SUBVOL"},
    {0x40089416, "BTRFS_IOC_WAIT_SYNC"},
    {0x4008941a, "BTRFS_IOC_SUBVOL_SETFLAGS"},
    {0x4010942a, "BTRFS_IOC_QGROUP_CREATE"},
    {0x40189429, "BTRFS_IOC_QGROUP_ASSIGN"},
    {0x4020940d, "BTRFS_IOC_CLONE_RANGE"},  // FICLONERANGE
    {0x40309410, "BTRFS_IOC_DEFRAG_RANGE"},
    {0x40309439, "BTRFS_IOC_SET_FEATURES"},
    {0x4040942c, "BTRFS_IOC_QUOTA_RESCAN"},
    {0x40489426, "BTRFS_IOC_SEND"},
    {0x41009432, "FS_IOC_SETFSLABEL"},
    {0x50009401, "BTRFS_IOC_SNAP_CREATE"},
    {0x50009402, "BTRFS_IOC_DEFRAG", ioctl_shape::none},  // takes a vol_args it never reads
    {0x50009403, "BTRFS_IOC_RESIZE"},
    {0x50009404, "BTRFS_IOC_SCAN_DEV"},
    {0x50009405, "BTRFS_IOC_FORGET_DEV"},
    {0x5000940a, "BTRFS_IOC_ADD_DEV"},
    {0x5000940b, "BTRFS_IOC_RM_DEV"},
    {0x5000940c, "BTRFS_IOC_BALANCE", ioctl_shape::none},  // likewise
    {0x5000940e, "BTRFS_IOC_SUBVOL_CREATE"},
    {0x5000940f, "BTRFS_IOC_SNAP_DESTROY"},
    {0x50009417, "BTRFS_IOC_SNAP_CREATE_V2"},
    {0x50009418, "BTRFS_IOC_SUBVOL_CREATE_V2"},
    {0x80089418, "BTRFS_IOC_START_SYNC", ioctl_shape::u64_out},
    {0x80089419, "BTRFS_IOC_SUBVOL_GETFLAGS"},
    {0x80189439, "BTRFS_IOC_GET_FEATURES"},
    {0x8030942b, "BTRFS_IOC_QGROUP_LIMIT"},
    {0x8040942d, "BTRFS_IOC_QUOTA_RESCAN_STATUS"},
    {0x80489439, "BTRFS_IOC_GET_SUPPORTED_FEATURES"},
    {0x81009431, "FS_IOC_GETFSLABEL"},
    {0x8400941f, "BTRFS_IOC_FS_INFO"},
    {0x84009422, "BTRFS_IOC_BALANCE_PROGRESS"},
    {0x90009427, "BTRFS_IOC_DEVICES_READY"},
    {0xc0109414, "BTRFS_IOC_SPACE_INFO"},
    {0xc0109428, "BTRFS_IOC_QUOTA_CTL"},
    {0xc0189436, "BTRFS_IOC_FILE_EXTENT_SAME"},  // FIDEDUPERANGE
    {0xc0389423, "BTRFS_IOC_INO_PATHS"},
    {0xc0389424, "BTRFS_IOC_LOGICAL_INO"},
    {0xc0709411, "BTRFS_IOC_TREE_SEARCH_V2"},
    {0xc0c89425, "BTRFS_IOC_SET_RECEIVED_SUBVOL"},
    {0xc400941b, "BTRFS_IOC_SCRUB"},
    {0xc400941d, "BTRFS_IOC_SCRUB_PROGRESS"},
    {0xc4009420, "BTRFS_IOC_BALANCE_V2"},
    {0xc4089434, "BTRFS_IOC_GET_DEV_STATS"},
    {0xca289435, "BTRFS_IOC_DEV_REPLACE"},
    {0xd0009411, "BTRFS_IOC_TREE_SEARCH"},
    {0xd0009412, "BTRFS_IOC_INO_LOOKUP"},
    {0xd000941e, "BTRFS_IOC_DEV_INFO"},
};
static_assert(ioctl_table_sorted(btrfs_ioctls), "btrfs_ioctls must stay sorted by request");

/// Returns whether btrfs request `code` is printed only at exit: the kernel fills in its
/// argument (the _IOR requests but DEVICES_READY, which strace prints as a vol_args).
constexpr bool btrfs_exit_only(std::uint32_t code) noexcept {
  return (code >> 30) == 2 && code != 0x90009427;
}

/// Prints the entry side of btrfs request `code` (the custom shapes): the struct it passes.
/// Returns `more` for the requests whose result is printed at exit.
template <class P>
ioctl_step put_btrfs_entry(P& p, std::uint32_t code, std::uint64_t arg) {
  std::string& out = p.out();
  if (btrfs_exit_only(code)) return ioctl_step::more;
  const bool rw = (code >> 30) == 3 || code == 0x50009417 || code == 0x50009418;  // V2 creates are RW
  auto u64 = [](const unsigned char* b, std::size_t off) { return ioctl_field<std::uint64_t>(b, off); };
  unsigned char b[4096];
  auto read = [&](std::size_t n) {
    return p.read_exact(arg, n) && (std::memcpy(b, scratch().data(), n), true);
  };
  const ioctl_step step = rw ? ioctl_step::more : ioctl_step::done;
  switch (code) {
    case 0x40089413:  // DEFAULT_SUBVOL, WAIT_SYNC: [u64]
    case 0x40089416:
      put_ioctl_indirect<std::uint64_t>(p, arg, [&](std::uint64_t v) { put_udec(out, v); });
      return step;
    case 0x4008941a: {  // SUBVOL_SETFLAGS: the flags, unbracketed (strace's)
      std::uint64_t v;
      if (!p.read_obj(arg, v)) return put_ptr(out, arg), step;
      return put_flags(out, btrfs_snap_flags_v2_xlat, v), step;
    }
    case 0x41009432: {  // FS_IOC_SETFSLABEL: char[FSLABEL_MAX]
      if (!read(256)) return put_ptr(out, arg), step;
      return put_ioctl_cstring(p, b, 256), step;
    }
    default:
      break;
  }
  std::size_t size = (code >> 16) & 0x3fff;
  if (code == 0xc0189436) size = 24;   // FIDEDUPERANGE: the head; info[] follows
  if (code == 0xd0009411) size = 104;  // TREE_SEARCH: the key alone, as strace
  if (!read(size)) return put_ptr(out, arg), step;
  switch (code) {
    case 0x4010942a:  // QGROUP_CREATE
      out.append("{create="), put_udec(out, u64(b, 0)), out.append(", qgroupid="), put_udec(out, u64(b, 8));
      break;
    case 0x40189429:  // QGROUP_ASSIGN
      out.append("{assign="), put_udec(out, u64(b, 0)), out.append(", src="), put_udec(out, u64(b, 8));
      out.append(", dst="), put_udec(out, u64(b, 16));
      break;
    case 0x4020940d:  // CLONE_RANGE, FICLONERANGE: struct file_clone_range
      out.append("{src_fd="), p.put_fd(static_cast<std::int64_t>(u64(b, 0)));
      out.append(", src_offset="), put_udec(out, u64(b, 8));
      out.append(", src_length="), put_udec(out, u64(b, 16));
      out.append(", dest_offset="), put_udec(out, u64(b, 24));
      break;
    case 0x40309410:  // DEFRAG_RANGE
      out.append("{start="), put_udec(out, u64(b, 0)), out.append(", len="), put_btrfs_u64(out, u64(b, 8));
      out.append(", flags="), put_flags(out, btrfs_defrag_flags_xlat, u64(b, 16));
      out.append(", extent_thresh="), put_udec(out, ioctl_field<std::uint32_t>(b, 24));
      out.append(", compress_type="),
          put_enum(out, btrfs_compress_types_xlat, ioctl_field<std::uint32_t>(b, 28));
      break;
    case 0x40309439:  // SET_FEATURES: [mask, values]
      out.push_back('['), put_btrfs_features(out, b), out.append(", "), put_btrfs_features(out, b + 24);
      out.push_back(']');
      return step;
    case 0x4040942c:  // QUOTA_RESCAN
      out.append("{flags="), put_udec(out, u64(b, 0));
      break;
    case 0x40489426:  // SEND
      out.append("{send_fd="), p.put_fd(static_cast<std::int64_t>(u64(b, 0)));
      out.append(", clone_sources_count="), put_udec(out, u64(b, 8));
      out.append(", clone_sources=");
      if (p.opts().verbose)
        p.put_array(u64(b, 16), u64(b, 8), 8,
                    [&](std::uint64_t v) { put_btrfs_named_u(out, btrfs_tree_objectids_xlat, v); });
      else
        put_ptr(out, u64(b, 16));
      out.append(", parent_root="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, u64(b, 24));
      out.append(", flags="), put_flags(out, btrfs_send_flags_xlat, u64(b, 32));
      break;
    case 0x50009417:  // SNAP_CREATE_V2, SUBVOL_CREATE_V2: struct btrfs_ioctl_vol_args_v2
    case 0x50009418:
      out.append("{fd="), p.put_fd(static_cast<std::int64_t>(u64(b, 0)));
      out.append(", flags="), put_flags(out, btrfs_snap_flags_v2_xlat, u64(b, 16));
      if (u64(b, 16) & 4) {  // BTRFS_SUBVOL_QGROUP_INHERIT
        out.append(", size="), put_udec(out, u64(b, 24));
        out.append(", qgroup_inherit="), put_btrfs_qgroup_inherit(p, u64(b, 32));
      }
      out.append(", name="), put_ioctl_cstring(p, b + 56, 4040);
      break;
    case 0xc0109414:  // SPACE_INFO
      out.append("{space_slots="), put_udec(out, u64(b, 0));
      break;
    case 0xc0109428:  // QUOTA_CTL (strace prints it once, at entry)
      out.append("{cmd="), put_enum(out, btrfs_qgroup_ctl_cmds_xlat, u64(b, 0)), out.push_back('}');
      return ioctl_step::done;
    case 0xc0189436:  // FILE_EXTENT_SAME, FIDEDUPERANGE: struct file_dedupe_range
      out.append("{src_offset="), put_udec(out, u64(b, 0)), out.append(", src_length="),
          put_udec(out, u64(b, 8));
      out.append(", dest_count="), put_udec(out, ioctl_field<std::uint16_t>(b, 16)), out.append(", info=");
      if (!put_btrfs_dedupe_info(p, arg + 24, ioctl_field<std::uint16_t>(b, 16), false)) {
        out.push_back('}');
        return ioctl_step::done;
      }
      break;
    case 0xc0389423:  // INO_PATHS
      out.append("{inum="), put_udec(out, u64(b, 0)), out.append(", size="), put_udec(out, u64(b, 8));
      out.append(", fspath="), put_ptr(out, u64(b, 48));
      break;
    case 0xc0389424:  // LOGICAL_INO
      out.append("{logical="), put_udec(out, u64(b, 0)), out.append(", size="), put_udec(out, u64(b, 8));
      if (u64(b, 16) | u64(b, 24) | u64(b, 32)) out.append(", reserved="), put_loop_xarray(out, b + 16, 3, 8);
      out.append(", flags="), put_flags(out, btrfs_logical_ino_args_flags_xlat, u64(b, 40));
      out.append(", inodes="), put_ptr(out, u64(b, 48));
      break;
    case 0xc0709411:  // TREE_SEARCH_V2
    case 0xd0009411:  // TREE_SEARCH
      out.append("{key="), put_btrfs_search_key(out, b, p.opts().verbose);
      if (code == 0xc0709411) out.append(", buf_size="), put_udec(out, u64(b, 104));
      break;
    case 0xc0c89425:  // SET_RECEIVED_SUBVOL
      out.append("{uuid="), put_uuid(out, b), out.append(", stransid="), put_udec(out, u64(b, 16));
      out.append(", stime="), put_btrfs_timespec(out, b + 32);
      out.append(", flags="), put_udec(out, u64(b, 64));
      break;
    case 0xc400941b:  // SCRUB, SCRUB_PROGRESS
    case 0xc400941d:
      out.append("{devid="), put_btrfs_dev(out, u64(b, 0));
      if (code == 0xc400941b) {
        out.append(", start="), put_udec(out, u64(b, 8)), out.append(", end="),
            put_btrfs_u64(out, u64(b, 16));
        out.append(", flags="), put_flags(out, btrfs_scrub_flags_xlat, u64(b, 24));
      }
      break;
    case 0xc4009420: {  // BALANCE_V2
      std::size_t mark = out.size();
      if (!put_btrfs_balance(p, arg, false)) out.resize(mark), put_ptr(out, arg);
      return step;
    }
    case 0xc4089434:  // GET_DEV_STATS
      out.append("{devid="), put_btrfs_dev(out, u64(b, 0)), out.append(", nr_items="),
          put_udec(out, u64(b, 8));
      out.append(", flags="), put_flags(out, btrfs_dev_stats_flags_xlat, u64(b, 16));
      break;
    case 0xca289435:  // DEV_REPLACE
      out.append("{cmd="), put_enum(out, btrfs_dev_replace_cmds_xlat, u64(b, 0));
      if (u64(b, 0) == 0) {  // BTRFS_IOCTL_DEV_REPLACE_CMD_START
        out.append(", start={srcdevid="), put_btrfs_dev(out, u64(b, 16));
        out.append(", cont_reading_from_srcdev_mode=");
        put_enum(out, btrfs_cont_reading_from_srcdev_mode_xlat, u64(b, 24));
        out.append(", srcdev_name="), put_ioctl_cstring(p, b + 32, 1025);
        out.append(", tgtdev_name="), put_ioctl_cstring(p, b + 1057, 1025), out.push_back('}');
      }
      break;
    case 0xd000941e:  // DEV_INFO
      out.append("{devid="), put_btrfs_dev(out, u64(b, 0));
      if (u64(b, 8) | u64(b, 16)) out.append(", uuid="), put_uuid(out, b + 8);
      break;
    case 0xd0009412:  // INO_LOOKUP: a tree id of 0 asks for the containing root's, shown at exit
      p.keep(3, u64(b, 0) == 0);
      out.append("{treeid="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, u64(b, 0));
      out.append(", objectid="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, u64(b, 8));
      break;
    default:  // the vol_args requests: SNAP_CREATE, RESIZE, SCAN_DEV, ADD_DEV, ...
      out.append("{fd="), p.put_fd(static_cast<std::int64_t>(u64(b, 0)));
      out.append(", name="), put_ioctl_cstring(p, b + 8, 4088);
      break;
  }
  out.push_back('}');
  return step;
}

/// Prints the exit side of btrfs request `code`: the value a read-only request returned
/// (its address after a failure), ` => {...}` what an in-out one wrote.
template <class P>
ioctl_step put_btrfs_exit(P& p, std::uint32_t code, std::uint64_t arg) {
  std::string& out = p.out();
  const bool exit_only = btrfs_exit_only(code);
  const bool rw = (code >> 30) == 3 || code == 0x50009417 || code == 0x50009418;
  if ((!exit_only && !rw) || code == 0xc0109428) return ioctl_step::done;  // QUOTA_CTL: entry only
  if (code == 0xc0709411 && p.failed() && p.ret() == -75) {  // TREE_SEARCH_V2, EOVERFLOW: the size wanted
    std::uint64_t want[14];                                  // struct btrfs_ioctl_search_args_v2
    out.append(" => ");
    if (!p.read_obj(arg, want)) return put_ptr(out, arg), ioctl_step::done;
    return out.append("{buf_size="), put_udec(out, want[13]), out.push_back('}'), ioctl_step::done;
  }
  if (p.failed()) {
    if (exit_only) put_ptr(out, arg);
    return ioctl_step::done;
  }
  unsigned char b[4096];
  std::size_t size = (code >> 16) & 0x3fff;
  if (code == 0xd0009411) size = 104;  // TREE_SEARCH: the key
  if (code == 0xc0189436) size = 24;   // FIDEDUPERANGE: the head
  if (code == 0xc0109414) size = 16;
  if (code == 0x81009431) size = 256;  // FS_IOC_GETFSLABEL
  if (rw) out.append(" => ");
  if (!p.read_exact(arg, size)) return put_ptr(out, arg), ioctl_step::done;
  std::memcpy(b, scratch().data(), size);
  auto u64 = [&](std::size_t off) { return ioctl_field<std::uint64_t>(b, off); };
  switch (code) {
    case 0x80089419:  // SUBVOL_GETFLAGS
      put_flags(out, btrfs_snap_flags_v2_xlat, u64(0));
      break;
    case 0x80189439:  // GET_FEATURES
      put_btrfs_features(out, b);
      break;
    case 0x80489439:  // GET_SUPPORTED_FEATURES
      out.push_back('['), put_btrfs_features(out, b), out.append(" /* supported */, ");
      put_btrfs_features(out, b + 24), out.append(" /* safe to set */, ");
      put_btrfs_features(out, b + 48), out.append(" /* safe to clear */]");
      break;
    case 0x8030942b:  // QGROUP_LIMIT
      out.append("{qgroupid="), put_udec(out, u64(0)), out.append(", lim="),
          put_btrfs_qgroup_limit(out, b + 8);
      out.push_back('}');
      break;
    case 0x8040942d:  // QUOTA_RESCAN_STATUS
      out.append("{flags="), put_udec(out, u64(0));
      out.append(", progress="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, u64(8)),
          out.push_back('}');
      break;
    case 0x81009431:  // FS_IOC_GETFSLABEL
      put_ioctl_cstring(p, b, 256);
      break;
    case 0x8400941f:  // FS_INFO
      put_btrfs_fs_info(out, b);
      break;
    case 0x84009422:  // BALANCE_PROGRESS
    case 0xc4009420:  // BALANCE_V2
      if (!put_btrfs_balance(p, arg, true)) put_ptr(out, arg);
      break;
    case 0x50009417:  // SNAP_CREATE_V2, SUBVOL_CREATE_V2
    case 0x50009418:
      out.append("{transid="), put_udec(out, u64(8)), out.push_back('}');
      break;
    case 0xc0109414:  // SPACE_INFO
      out.append("{total_spaces="), put_udec(out, u64(8));
      if (u64(0) == 0 && u64(8) != 0) return out.push_back('}'), ioctl_step::done;
      if (!p.opts().verbose) return out.append(", ...}"), ioctl_step::done;
      out.append(", spaces=");
      put_ioctl_structs(p, arg + 16, u64(8), 24, [&](const unsigned char* s) {
        out.append("{flags="), put_flags(out, btrfs_space_info_flags_xlat, ioctl_field<std::uint64_t>(s, 0));
        out.append(", total_bytes="), put_udec(out, ioctl_field<std::uint64_t>(s, 8));
        out.append(", used_bytes="), put_udec(out, ioctl_field<std::uint64_t>(s, 16)), out.push_back('}');
      });
      out.push_back('}');
      break;
    case 0xc0189436:  // FILE_EXTENT_SAME, FIDEDUPERANGE
      out.append("{info=");
      put_btrfs_dedupe_info(p, arg + 24, ioctl_field<std::uint16_t>(b, 16), true);
      out.push_back('}');
      break;
    case 0xc0709411:  // TREE_SEARCH_V2
    case 0xd0009411:  // TREE_SEARCH
      out.append("{key={nr_items="), put_udec(out, ioctl_field<std::uint32_t>(b, 64)), out.push_back('}');
      if (code == 0xc0709411) {
        out.append(", buf_size="), put_udec(out, u64(104));
        put_btrfs_search_buf(p, arg + 112, u64(104), ioctl_field<std::uint32_t>(b, 64));
      } else {
        put_btrfs_search_buf(p, arg + 104, 4096 - 104, ioctl_field<std::uint32_t>(b, 64));
      }
      out.push_back('}');
      break;
    case 0xc0c89425:  // SET_RECEIVED_SUBVOL
      out.append("{rtransid="), put_udec(out, u64(24)), out.append(", rtime="),
          put_btrfs_timespec(out, b + 48);
      out.push_back('}');
      break;
    case 0xc400941b:  // SCRUB, SCRUB_PROGRESS
    case 0xc400941d:
      out.append("{progress="), put_btrfs_scrub_progress(out, b + 32), out.push_back('}');
      break;
    case 0xca289435:  // DEV_REPLACE
      out.append("{result="), put_enum(out, btrfs_dev_replace_results_xlat, u64(8));
      if (u64(0) == 1) out.append(", status="), put_btrfs_replace_status(out, b + 16);  // CMD_STATUS
      out.push_back('}');
      break;
    case 0xc0389423:  // INO_PATHS
      out.append("{fspath="), put_btrfs_ino_paths(p, u64(48)), out.push_back('}');
      break;
    case 0xc0389424:  // LOGICAL_INO
      out.append("{inodes="), put_btrfs_logical_inodes(p, u64(48)), out.push_back('}');
      break;
    case 0xc4089434:  // GET_DEV_STATS: the counters by name, at most the 5 the struct holds
      out.append("{nr_items="), put_udec(out, u64(8));
      out.append(", flags="), put_flags(out, btrfs_dev_stats_flags_xlat, u64(16)), out.append(", [");
      for (std::uint64_t i = 0; i < u64(8); ++i) {
        if (i) out.append(", ");
        if (i >= 5) {
          out.append("...");
          break;
        }
        out.push_back('['), put_btrfs_named_u(out, btrfs_dev_stats_values_xlat, i), out.append("]=");
        put_udec(out, u64(24 + i * 8));
      }
      out.append("]}");
      break;
    case 0xd0009412: {  // INO_LOOKUP
      std::int32_t asked_root = 0;
      out.push_back('{');
      if (p.saved(3, asked_root) && asked_root)
        out.append("treeid="), put_btrfs_named_u(out, btrfs_tree_objectids_xlat, u64(0)), out.append(", ");
      out.append("name="), put_ioctl_cstring(p, b + 16, 4080), out.push_back('}');
      break;
    }
    case 0xd000941e:  // DEV_INFO
      out.push_back('{');
      if (u64(8) | u64(16)) out.append("uuid="), put_uuid(out, b + 8), out.append(", ");
      out.append("bytes_used="), put_udec(out, u64(24)), out.append(", total_bytes="), put_udec(out, u64(32));
      out.append(", path="), put_ioctl_cstring(p, b + 3072, 1024), out.push_back('}');
      break;
    default:
      break;
  }
  return ioctl_step::done;
}

/// Prints the argument of btrfs request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_btrfs_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(btrfs_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  return exit ? put_btrfs_exit(p, code, arg) : put_btrfs_entry(p, code, arg);
}

}  // namespace snare::format::detail
