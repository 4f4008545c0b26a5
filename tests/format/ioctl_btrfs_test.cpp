// Tests the btrfs ioctl decoder (decode/ioctl/btrfs.hpp, btrfs_structs.hpp): request
// numbers and struct layouts from linux/btrfs.h and linux/fs.h, and lines as strace 6.1's
// tests/btrfs.c expects them (entry sides on a bad fd), with the exit sides of successful
// calls as strace's btrfs.c prints them.
#include <catch2/catch.hpp>

#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fs.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;
using snare::test::v_option;

constexpr std::uint64_t max64 = ~std::uint64_t{0};

// Guest bytes: a struct with a flexible array and the elements after it (C++ has no such
// struct to nest the header's in).
template <std::size_t N>
struct bytes {
  unsigned char b[N]{};
  template <class T>
  void put(std::size_t off, const T& v) {
    std::memcpy(b + off, &v, sizeof v);
  }
};
}  // namespace

TEST_CASE("btrfs ioctl numbers and layouts are the kernel headers'", "[format][ioctl]") {
  auto code_of = [](std::string_view name) { return snare::test::ioctl_code(d::btrfs_ioctls, name); };
  for (auto [name, code] :
       {std::pair<std::string_view, std::uint32_t>{"BTRFS_IOC_SNAP_CREATE", BTRFS_IOC_SNAP_CREATE},
        {"BTRFS_IOC_SNAP_CREATE_V2", BTRFS_IOC_SNAP_CREATE_V2},
        {"BTRFS_IOC_BALANCE_V2", BTRFS_IOC_BALANCE_V2},
        {"BTRFS_IOC_BALANCE_PROGRESS", BTRFS_IOC_BALANCE_PROGRESS},
        {"BTRFS_IOC_DEFRAG_RANGE", BTRFS_IOC_DEFRAG_RANGE},
        {"BTRFS_IOC_TREE_SEARCH", BTRFS_IOC_TREE_SEARCH},
        {"BTRFS_IOC_TREE_SEARCH_V2", BTRFS_IOC_TREE_SEARCH_V2},
        {"BTRFS_IOC_INO_LOOKUP", BTRFS_IOC_INO_LOOKUP},
        {"BTRFS_IOC_SPACE_INFO", BTRFS_IOC_SPACE_INFO},
        {"BTRFS_IOC_SCRUB", BTRFS_IOC_SCRUB},
        {"BTRFS_IOC_DEV_INFO", BTRFS_IOC_DEV_INFO},
        {"BTRFS_IOC_FS_INFO", BTRFS_IOC_FS_INFO},
        {"BTRFS_IOC_LOGICAL_INO", BTRFS_IOC_LOGICAL_INO},
        {"BTRFS_IOC_SET_RECEIVED_SUBVOL", BTRFS_IOC_SET_RECEIVED_SUBVOL},
        {"BTRFS_IOC_SEND", BTRFS_IOC_SEND},
        {"BTRFS_IOC_DEVICES_READY", BTRFS_IOC_DEVICES_READY},
        {"BTRFS_IOC_GET_DEV_STATS", BTRFS_IOC_GET_DEV_STATS},
        {"BTRFS_IOC_DEV_REPLACE", BTRFS_IOC_DEV_REPLACE},
        {"BTRFS_IOC_FILE_EXTENT_SAME", BTRFS_IOC_FILE_EXTENT_SAME},
        {"BTRFS_IOC_GET_SUPPORTED_FEATURES", BTRFS_IOC_GET_SUPPORTED_FEATURES},
        {"BTRFS_IOC_QUOTA_RESCAN_WAIT", BTRFS_IOC_QUOTA_RESCAN_WAIT},
        {"FS_IOC_GETFSLABEL", FS_IOC_GETFSLABEL},
        {"FS_IOC_SETFSLABEL", FS_IOC_SETFSLABEL}}) {
    INFO(name);
    CHECK(code_of(name) == code);
  }
  STATIC_REQUIRE(offsetof(btrfs_ioctl_vol_args, name) == 8);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_vol_args_v2, qgroup_inherit) == 32);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_vol_args_v2, name) == 56);
  STATIC_REQUIRE(offsetof(btrfs_qgroup_inherit, lim) == 32);
  STATIC_REQUIRE(sizeof(btrfs_qgroup_inherit) == 72);
  STATIC_REQUIRE(sizeof(btrfs_balance_args) == 136);
  STATIC_REQUIRE(offsetof(btrfs_balance_args, flags) == 64);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_balance_args, meta) == 152);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_balance_args, sys) == 288);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_defrag_range_args, compress_type) == 28);
  STATIC_REQUIRE(sizeof(btrfs_ioctl_search_key) == 104);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_search_key, nr_items) == 64);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_search_args_v2, buf) == 112);
  STATIC_REQUIRE(sizeof(btrfs_ioctl_search_header) == 32);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_scrub_args, progress) == 32);
  STATIC_REQUIRE(sizeof(btrfs_scrub_progress) == 120);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_dev_info_args, path) == 3072);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_fs_info_args, flags) == 48);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_fs_info_args, metadata_uuid) == 64);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_logical_ino_args, inodes) == 48);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_ino_path_args, fspath) == 48);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_received_subvol_args, rtime) == 48);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_received_subvol_args, flags) == 64);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_send_args, flags) == 32);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_dev_replace_args, start.tgtdev_name) == 1057);
  STATIC_REQUIRE(offsetof(btrfs_ioctl_get_dev_stats, values) == 24);
  STATIC_REQUIRE(offsetof(file_dedupe_range, info) == 24);
  STATIC_REQUIRE(sizeof(file_dedupe_range_info) == 32);
}

TEST_CASE("btrfs ioctls: arguments at entry, as strace's tests/btrfs.c", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SYNC, 0}, -9, mem) == "ioctl(-1, BTRFS_IOC_SYNC)" + ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_CLONE, 4}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_CLONE or FICLONE, 4)" + ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_BALANCE_CTL, 2}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_BALANCE_CTL, BTRFS_BALANCE_CTL_CANCEL)" + ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_FS_INFO, 0}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_FS_INFO, NULL)" + ebadf);
  mem.put(0x1000, std::uint64_t{0xf});
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SUBVOL_SETFLAGS, 0x1000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_SUBVOL_SETFLAGS, "
        "BTRFS_SUBVOL_CREATE_ASYNC|BTRFS_SUBVOL_RDONLY|BTRFS_SUBVOL_QGROUP_INHERIT|0x8)" +
            ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_WAIT_SYNC, 0x1000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_WAIT_SYNC, [15])" + ebadf);

  btrfs_ioctl_vol_args vol{};
  vol.fd = 2;
  std::strcpy(vol.name, "/dev/sda1");
  mem.put(0x2000, vol);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_ADD_DEV, 0x2000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_ADD_DEV, {fd=2, name=\"/dev/sda1\"})" + ebadf);

  // SNAP_CREATE_V2 with a qgroup_inherit: its qgroups abbreviated unless verbose.
  btrfs_qgroup_inherit qi{};
  qi.flags = BTRFS_QGROUP_INHERIT_SET_LIMITS, qi.num_qgroups = 2;
  qi.lim.flags = BTRFS_QGROUP_LIMIT_MAX_RFER, qi.lim.max_rfer = 4096;
  bytes<sizeof qi + 16> inherit;
  inherit.put(0, qi), inherit.put(sizeof qi, std::uint64_t{1}), inherit.put(sizeof qi + 8, std::uint64_t{2});
  mem.put(0x3000, inherit.b);
  btrfs_ioctl_vol_args_v2 v2{};
  v2.fd = 2, v2.flags = BTRFS_SUBVOL_RDONLY | BTRFS_SUBVOL_QGROUP_INHERIT, v2.size = sizeof inherit;
  v2.qgroup_inherit = reinterpret_cast<btrfs_qgroup_inherit*>(0x3000);
  std::strcpy(v2.name, "snap");
  mem.put(0x4000, v2);
  const std::string head =
      "ioctl(-1, BTRFS_IOC_SNAP_CREATE_V2, {fd=2, flags=BTRFS_SUBVOL_RDONLY|BTRFS_SUBVOL_QGROUP_INHERIT, "
      "size=88, qgroup_inherit={flags=BTRFS_QGROUP_INHERIT_SET_LIMITS, num_qgroups=2, num_ref_copies=0, "
      "num_excl_copies=0, lim={flags=BTRFS_QGROUP_LIMIT_MAX_RFER, max_rfer=4096, max_excl=0, rsv_rfer=0, "
      "rsv_excl=0}";
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SNAP_CREATE_V2, 0x4000}, -9, mem) ==
        head + ", ...}, name=\"snap\"})" + ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SNAP_CREATE_V2, 0x4000}, -9, mem, v_option) ==
        head + ", qgroups=[1, 2]}, name=\"snap\"})" + ebadf);
  CHECK(call("ioctl", {3, BTRFS_IOC_SNAP_CREATE_V2, 0x4000}, 0, mem).ends_with("} => {transid=0}) = 0"));

  btrfs_ioctl_defrag_range_args defrag{};
  defrag.len = max64, defrag.flags = BTRFS_DEFRAG_RANGE_COMPRESS, defrag.extent_thresh = 131072;
  defrag.compress_type = 4;
  mem.put(0x5000, defrag);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_DEFRAG_RANGE, 0x5000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_DEFRAG_RANGE, {start=0, len=UINT64_MAX, flags=BTRFS_DEFRAG_RANGE_COMPRESS, "
        "extent_thresh=131072, compress_type=0x4 /* BTRFS_COMPRESS_??? */})" +
            ebadf);

  // The search key: the free range's ends left out unless verbose.
  btrfs_ioctl_search_key key{};
  key.tree_id = BTRFS_FS_TREE_OBJECTID, key.min_objectid = BTRFS_FIRST_FREE_OBJECTID;
  key.max_objectid = BTRFS_LAST_FREE_OBJECTID, key.max_offset = max64, key.max_transid = max64;
  key.min_type = BTRFS_INODE_ITEM_KEY, key.max_type = 0xffffffffu, key.nr_items = 10;
  mem.put(0x6000, key);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_TREE_SEARCH, 0x6000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_TREE_SEARCH, {key={tree_id=BTRFS_FS_TREE_OBJECTID, min_offset=0, "
        "max_offset=UINT64_MAX, min_transid=0, max_transid=UINT64_MAX, min_type=BTRFS_INODE_ITEM_KEY, "
        "max_type=UINT32_MAX, nr_items=10}})" +
            ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_TREE_SEARCH, 0x6000}, -9, mem, v_option)
            .starts_with("ioctl(-1, BTRFS_IOC_TREE_SEARCH, {key={tree_id=BTRFS_FS_TREE_OBJECTID, "
                         "min_objectid=BTRFS_FIRST_FREE_OBJECTID, max_objectid=BTRFS_LAST_FREE_OBJECTID, "));

  btrfs_ioctl_scrub_args scrub{};
  scrub.devid = 1, scrub.end = max64, scrub.flags = BTRFS_SCRUB_READONLY | 2;
  mem.put(0x7000, scrub);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SCRUB, 0x7000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_SCRUB, {devid=makedev(0, 0x1), start=0, end=UINT64_MAX, "
        "flags=BTRFS_SCRUB_READONLY|0x2})" +
            ebadf);
  CHECK(call("ioctl", {minus1, BTRFS_IOC_SCRUB_PROGRESS, 0x7000}, -9, mem, snare::test::verbose) ==
        "ioctl(-1, 0xc400941d /* BTRFS_IOC_SCRUB_PROGRESS */, {devid=0x1 /* makedev(0, 0x1) */})" + ebadf);

  // FIDEDUPERANGE: two infos and `...` unless verbose.
  file_dedupe_range range{};
  range.src_offset = 1024, range.src_length = 10240, range.dest_count = 3;
  bytes<sizeof range + 3 * sizeof(file_dedupe_range_info)> dedupe;
  dedupe.put(0, range);
  for (std::size_t i = 0; i < 3; ++i) {
    file_dedupe_range_info info{};
    info.dest_fd = 2, info.dest_offset = 10240u * i;
    dedupe.put(sizeof range + i * sizeof info, info);
  }
  mem.put(0x8000, dedupe.b);
  CHECK(call("ioctl", {minus1, FIDEDUPERANGE, 0x8000}, -9, mem) ==
        "ioctl(-1, BTRFS_IOC_FILE_EXTENT_SAME or FIDEDUPERANGE, {src_offset=1024, src_length=10240, "
        "dest_count=3, info=[{dest_fd=2, dest_offset=0}, {dest_fd=2, dest_offset=10240}, ...]})" +
            ebadf);
}

TEST_CASE("btrfs ioctls: what read-only and in-out requests return", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {3, BTRFS_IOC_GET_FEATURES, 0x1000}, -14, mem) ==
        "ioctl(3, BTRFS_IOC_GET_FEATURES, 0x1000) = -1 EFAULT (Bad address)");
  btrfs_ioctl_feature_flags features[3]{};
  features[0].compat_ro_flags = BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE;
  features[0].incompat_flags = BTRFS_FEATURE_INCOMPAT_NO_HOLES;
  mem.put(0x1000, features);
  const std::string f0 =
      "{compat_flags=0, compat_ro_flags=BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE, "
      "incompat_flags=BTRFS_FEATURE_INCOMPAT_NO_HOLES}";
  const std::string zero = "{compat_flags=0, compat_ro_flags=0, incompat_flags=0}";
  CHECK(call("ioctl", {3, BTRFS_IOC_GET_FEATURES, 0x1000}, 0, mem) ==
        "ioctl(3, BTRFS_IOC_GET_FEATURES, " + f0 + ") = 0");
  CHECK(call("ioctl", {3, BTRFS_IOC_GET_SUPPORTED_FEATURES, 0x1000}, 0, mem) ==
        "ioctl(3, BTRFS_IOC_GET_SUPPORTED_FEATURES, [" + f0 + " /* supported */, " + zero +
            " /* safe to set */, " + zero + " /* safe to clear */]) = 0");

  btrfs_ioctl_space_args space{};
  space.space_slots = 1, space.total_spaces = 1;
  bytes<sizeof space + sizeof(btrfs_ioctl_space_info)> spaces;
  spaces.put(0, space),
      spaces.put(sizeof space, btrfs_ioctl_space_info{BTRFS_BLOCK_GROUP_DATA, 1u << 30, 4096});
  mem.put(0x2000, spaces.b);
  CHECK(call("ioctl", {3, BTRFS_IOC_SPACE_INFO, 0x2000}, 0, mem) ==
        "ioctl(3, BTRFS_IOC_SPACE_INFO, {space_slots=1} => {total_spaces=1, ...}) = 0");
  CHECK(call("ioctl", {3, BTRFS_IOC_SPACE_INFO, 0x2000}, 0, mem, v_option) ==
        "ioctl(3, BTRFS_IOC_SPACE_INFO, {space_slots=1} => {total_spaces=1, "
        "spaces=[{flags=BTRFS_BLOCK_GROUP_DATA, "
        "total_bytes=1073741824, used_bytes=4096}]}) = 0");
  CHECK(call("ioctl", {3, BTRFS_IOC_SPACE_INFO, 0x2000}, -1, mem) ==
        "ioctl(3, BTRFS_IOC_SPACE_INFO, {space_slots=1}) = -1 EPERM (Operation not permitted)");

  btrfs_ioctl_dev_replace_args replace{};
  replace.cmd = BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS;
  replace.status.replace_state = BTRFS_IOCTL_DEV_REPLACE_STATE_STARTED;
  replace.status.progress_1000 = 505;
  mem.put(0x3000, replace);
  CHECK(
      call("ioctl", {3, BTRFS_IOC_DEV_REPLACE, 0x3000}, 0, mem) ==
      "ioctl(3, BTRFS_IOC_DEV_REPLACE, {cmd=BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS} => "
      "{result=BTRFS_IOCTL_DEV_REPLACE_RESULT_NO_ERROR, status={replace_state="
      "BTRFS_IOCTL_DEV_REPLACE_STATE_STARTED, progress_1000=505 /* 50.5% */, time_started=0, time_stopped=0, "
      "num_write_errors=0, num_uncorrectable_read_errors=0}}) = 0");

  // TREE_SEARCH_V2: the headers the kernel wrote, in verbose mode.
  btrfs_ioctl_search_args_v2 args{};
  args.key.tree_id = BTRFS_ROOT_TREE_OBJECTID, args.key.nr_items = 1;
  args.buf_size = sizeof(btrfs_ioctl_search_header) + 8;
  btrfs_ioctl_search_header h{};
  h.transid = 7, h.objectid = BTRFS_FS_TREE_OBJECTID, h.type = BTRFS_ROOT_ITEM_KEY, h.len = 8;
  bytes<sizeof args + sizeof h + 8> search;
  search.put(0, args), search.put(sizeof args, h);
  mem.put(0x4000, search.b);
  CHECK(call("ioctl", {3, BTRFS_IOC_TREE_SEARCH_V2, 0x4000}, 0, mem, v_option)
            .ends_with(", buf_size=40} => {key={nr_items=1}, buf_size=40, buf=[{transid=7, "
                       "objectid=BTRFS_FS_TREE_OBJECTID, offset=0, type=BTRFS_ROOT_ITEM_KEY, len=8}]}) = 0"));

  CHECK(call("ioctl", {3, BTRFS_IOC_TREE_SEARCH_V2, 0x4000}, -75, mem)
            .ends_with(
                ", buf_size=40} => {buf_size=40}) = -1 EOVERFLOW (Value too large for defined data type)"));
  CHECK(call("ioctl", {3, BTRFS_IOC_TREE_SEARCH_V2, 0x4000}, -1, mem)
            .ends_with(", buf_size=40}) = -1 EPERM "
                       "(Operation not permitted)"));

  char label[FSLABEL_MAX]{};
  std::strcpy(label, "btrfs-label");
  mem.put(0x5000, label);
  CHECK(call("ioctl", {3, FS_IOC_GETFSLABEL, 0x5000}, 0, mem) ==
        "ioctl(3, FS_IOC_GETFSLABEL, \"btrfs-label\") = 0");
  CHECK(call("ioctl", {3, FS_IOC_SETFSLABEL, 0x5000}, 0, mem) ==
        "ioctl(3, FS_IOC_SETFSLABEL, \"btrfs-label\") = 0");
}

TEST_CASE("btrfs ioctls: lookups, inode containers and device stats at exit", "[format][ioctl]") {
  fake_memory mem;
  // INO_LOOKUP names the tree only when the caller asked for the containing root's (0).
  btrfs_ioctl_ino_lookup_args lookup{};
  lookup.objectid = BTRFS_FIRST_FREE_OBJECTID;
  std::strcpy(lookup.name, "dir/");
  mem.put(0x1000, lookup);
  lookup.treeid = BTRFS_FS_TREE_OBJECTID;
  mem.put(0x2000, lookup);
  CHECK(call("ioctl", {3, BTRFS_IOC_INO_LOOKUP, 0x1000}, 0, mem) ==
        "ioctl(3, BTRFS_IOC_INO_LOOKUP, {treeid=0, objectid=BTRFS_FIRST_FREE_OBJECTID} => {treeid=0, "
        "name=\"dir/\"}) = 0");
  CHECK(
      call("ioctl", {3, BTRFS_IOC_INO_LOOKUP, 0x2000}, 0, mem) ==
      "ioctl(3, BTRFS_IOC_INO_LOOKUP, {treeid=BTRFS_FS_TREE_OBJECTID, objectid=BTRFS_FIRST_FREE_OBJECTID} => "
      "{name=\"dir/\"}) = 0");

  // LOGICAL_INO: the container's counts, its {inum, offset, root} triples with -v.
  btrfs_ioctl_logical_ino_args logical{};
  logical.logical = 256, logical.size = 64, logical.inodes = 0x4000;
  mem.put(0x3000, logical);
  bytes<16 + 24> inodes;
  inodes.put(0, std::uint32_t{0}), inodes.put(8, std::uint32_t{3});
  inodes.put(16, std::uint64_t{257}), inodes.put(24, std::uint64_t{0}), inodes.put(32, std::uint64_t{5});
  mem.put(0x4000, inodes.b);
  const std::string entry =
      "ioctl(3, BTRFS_IOC_LOGICAL_INO, {logical=256, size=64, flags=0, inodes=0x4000} => ";
  CHECK(call("ioctl", {3, BTRFS_IOC_LOGICAL_INO, 0x3000}, 0, mem) ==
        entry + "{inodes={bytes_left=0, bytes_missing=0, elem_cnt=3, elem_missed=0, ...}}) = 0");
  CHECK(call("ioctl", {3, BTRFS_IOC_LOGICAL_INO, 0x3000}, 0, mem, v_option) ==
        entry +
            "{inodes={bytes_left=0, bytes_missing=0, elem_cnt=3, elem_missed=0, val=[{inum=257, offset=0, "
            "root=5}]}}) = 0");

  // INO_PATHS: each path at its offset from val.
  btrfs_ioctl_ino_path_args paths{};
  paths.inum = 257, paths.size = 64, paths.fspath = 0x6000;
  mem.put(0x5000, paths);
  bytes<16 + 8 + 4> fspath;
  fspath.put(8, std::uint32_t{1}), fspath.put(16, std::uint64_t{8});
  std::memcpy(fspath.b + 24, "a/b", 4);
  mem.put(0x6000, fspath.b);
  CHECK(call("ioctl", {3, BTRFS_IOC_INO_PATHS, 0x5000}, 0, mem, v_option) ==
        "ioctl(3, BTRFS_IOC_INO_PATHS, {inum=257, size=64, fspath=0x6000} => {fspath={bytes_left=0, "
        "bytes_missing=0, elem_cnt=1, elem_missed=0, val=[\"a/b\"]}}) = 0");

  btrfs_ioctl_get_dev_stats stats{};
  stats.devid = 1, stats.nr_items = 7, stats.values[BTRFS_DEV_STAT_READ_ERRS] = 3;
  mem.put(0x7000, stats);
  CHECK(call("ioctl", {3, BTRFS_IOC_GET_DEV_STATS, 0x7000}, 0, mem) ==
        "ioctl(3, BTRFS_IOC_GET_DEV_STATS, {devid=makedev(0, 0x1), nr_items=7, flags=0} => {nr_items=7, "
        "flags=0, "
        "[[BTRFS_DEV_STAT_WRITE_ERRS]=0, [BTRFS_DEV_STAT_READ_ERRS]=3, [BTRFS_DEV_STAT_FLUSH_ERRS]=0, "
        "[BTRFS_DEV_STAT_CORRUPTION_ERRS]=0, [BTRFS_DEV_STAT_GENERATION_ERRS]=0, ...]}) = 0");
}
