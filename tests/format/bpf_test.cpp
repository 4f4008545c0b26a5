// Tests bpf's commands beyond BPF_PROG_LOAD (decode/bpf_attr.hpp, bpf_link.hpp, bpf_info.hpp),
// perf_event_open's struct perf_event_attr and the perf ioctls (decode/perf.hpp,
// ioctl/perf.hpp). Expected lines are strace 6.1's, from its tests bpf.c,
// bpf-obj_get_info_by_fd.c, perf_event_open.c and ioctl_perf.c, or derived from its bpf.c
// and perf.c where a test has no such line (the value-result members that change).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_fds;
using snare::test::fake_memory;

namespace {

// Formats a call whose memory changes between entry and exit: `change` runs in between.
template <class Change, class R = snare::format::no_fd_paths>
std::string bpf_split_call(std::string_view name, snare::sys::raw_args args, std::int64_t ret,
                           fake_memory& mem, Change change, const snare::format::options& o = {},
                           R fds = {}) {
  std::string out;
  snare::format::entry_state st;
  const auto& d = snare::test::desc(name);
  REQUIRE(snare::format::format_entry(out, d, args, mem, o, fds, &st));
  change();
  REQUIRE(snare::format::format_exit(out, d, args, ret, mem, o, fds, &st));
  return out;
}

template <class T>
void put_at(unsigned char* buf, std::size_t offset, T v) {
  std::memcpy(buf + offset, &v, sizeof v);
}

}  // namespace

TEST_CASE("bpf prints BPF_MAP_CREATE's attributes as far as the size reaches", "[format][bpf]") {
  fake_memory mem;
  unsigned char attr[72] = {};
  put_at<std::uint32_t>(attr, 0, 31);  // BPF_MAP_TYPE_USER_RINGBUF
  put_at<std::uint32_t>(attr, 4, 4);
  put_at<std::uint32_t>(attr, 8, 8);
  put_at<std::uint32_t>(attr, 12, 256);
  put_at<std::uint32_t>(attr, 16, 0x3f);
  put_at<std::int32_t>(attr, 20, -1);
  put_at<std::uint32_t>(attr, 24, 3141592653u);
  std::memcpy(attr + 28, "0123456789abcdef", 16);
  mem.put(0x1000, attr);
  // strace's tests/bpf.c: the name cut by the size, with no room for its NUL.
  CHECK(call("bpf", {0, 0x1000, 36}, -22, mem) ==
        "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_USER_RINGBUF, key_size=4, value_size=8, max_entries=256, "
        "map_flags=BPF_F_NO_PREALLOC|BPF_F_NO_COMMON_LRU|BPF_F_NUMA_NODE|BPF_F_RDONLY|BPF_F_WRONLY|"
        "BPF_F_STACK_BUILD_ID, inner_map_fd=-1, numa_node=3141592653, map_name=\"0123456\"...}, 36) = -1 "
        "EINVAL "
        "(Invalid argument)");
  // The whole name without a NUL: 15 bytes and `...`; NUMA_NO_NODE named.
  put_at<std::uint32_t>(attr, 24, 0xffffffffu);
  mem.put(0x1000, attr);
  CHECK(call("bpf", {0, 0x1000, 48}, -22, mem)
            .ends_with(
                "numa_node=4294967295 /* NUMA_NO_NODE */, map_name=\"0123456789abcde\"..., map_ifindex=0}, "
                "48) = -1 EINVAL (Invalid argument)"));
  // Without BPF_F_NUMA_NODE no numa_node; a name with its NUL is whole.
  put_at<std::uint32_t>(attr, 16, 0);
  attr[43] = 0;
  mem.put(0x1000, attr);
  CHECK(call("bpf", {0, 0x1000, 72}, 3, mem) ==
        "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_USER_RINGBUF, key_size=4, value_size=8, max_entries=256, "
        "map_flags=0, inner_map_fd=-1, map_name=\"0123456789abcde\", map_ifindex=0, btf_fd=0, "
        "btf_key_type_id=0, "
        "btf_value_type_id=0, btf_vmlinux_value_type_id=0, map_extra=0}, 72) = 3");
  // Size 0, over a page, or an unreadable struct: the address, and the result as a number.
  CHECK(call("bpf", {0, 0, 256}, -14, mem) == "bpf(BPF_MAP_CREATE, NULL, 256) = -1 EFAULT (Bad address)");
  CHECK(call("bpf", {0, 0x1000, 0}, -22, mem) ==
        "bpf(BPF_MAP_CREATE, 0x1000, 0) = -1 EINVAL (Invalid argument)");
  CHECK(call("bpf", {0, 0x1001, 72}, -14, mem) ==
        "bpf(BPF_MAP_CREATE, 0x1001, 72) = -1 EFAULT (Bad address)");
  // Commands past strace 6.1's table print the address.
  CHECK(call("bpf", {32, 0x1000, 8}, 0, mem) == "bpf(BPF_ENABLE_STATS, 0x1000, 8) = 0");
}

TEST_CASE("bpf prints the element, attach and id commands with their extra data", "[format][bpf]") {
  fake_memory mem;
  unsigned char attr[64];
  std::memset(attr, 0, sizeof attr);
  put_at<std::int32_t>(attr, 0, -1);
  put_at<std::uint64_t>(attr, 8, 0xdeadbeef);
  put_at<std::uint64_t>(attr, 16, 0xbadc0ded);
  put_at<std::uint64_t>(attr, 24, 4);  // BPF_F_LOCK; BPF_F_LOCK too for UPDATE
  mem.put(0x1000, attr);
  // strace's tests/bpf.c (bpf-success: = 42 (INJECTED) there).
  CHECK(call("bpf", {1, 0x1000, 4}, 42, mem) ==
        "bpf(BPF_MAP_LOOKUP_ELEM, {map_fd=-1, key=NULL, value=NULL}, 4) = 42");
  CHECK(call("bpf", {1, 0x1000, 32}, 42, mem) ==
        "bpf(BPF_MAP_LOOKUP_ELEM, {map_fd=-1, key=0xdeadbeef, value=0xbadc0ded, flags=BPF_F_LOCK}, 32) = 42");
  CHECK(call("bpf", {2, 0x1000, 32}, 42, mem) ==
        "bpf(BPF_MAP_UPDATE_ELEM, {map_fd=-1, key=0xdeadbeef, value=0xbadc0ded, flags=BPF_F_LOCK}, 32) = 42");
  CHECK(call("bpf", {4, 0x1000, 24}, 42, mem) ==
        "bpf(BPF_MAP_GET_NEXT_KEY, {map_fd=-1, key=0xdeadbeef, next_key=0xbadc0ded}, 24) = 42");
  // MAP_DELETE_ELEM knows 16 bytes: the value and flags are extra data.
  CHECK(call("bpf", {3, 0x1000, 32}, 42, mem) ==
        "bpf(BPF_MAP_DELETE_ELEM, {map_fd=-1, key=0xdeadbeef, ...}, 32) = 42");
  snare::format::options v;
  v.verbose = true;
  CHECK(call("bpf", {22, 0x1000, 12}, 42, mem, v) ==
        "bpf(BPF_MAP_FREEZE, {map_fd=-1, extra_data=\"\\x00\\x00\\x00\\x00\\xef\\xbe\\xad\\xde\" /* bytes "
        "4..11 */}, 12) "
        "= 42");
  // PROG_ATTACH (20 bytes) and PROG_DETACH (12).
  std::memset(attr, 0, sizeof attr);
  put_at<std::int32_t>(attr, 0, -1);
  put_at<std::int32_t>(attr, 4, -2);
  put_at<std::uint32_t>(attr, 8, 2);  // BPF_CGROUP_INET_SOCK_CREATE
  put_at<std::uint32_t>(attr, 12, 0xf8);
  put_at<std::int32_t>(attr, 16, -3);
  mem.put(0x2000, attr);
  CHECK(call("bpf", {8, 0x2000, 20}, 42, mem) ==
        "bpf(BPF_PROG_ATTACH, {target_fd=-1, attach_bpf_fd=-2, attach_type=BPF_CGROUP_INET_SOCK_CREATE, "
        "attach_flags=0xf8 /* BPF_F_??? */, replace_bpf_fd=-3}, 20) = 42");
  CHECK(call("bpf", {9, 0x2000, 12}, 42, mem) ==
        "bpf(BPF_PROG_DETACH, {target_fd=-1, attach_type=BPF_CGROUP_INET_SOCK_CREATE}, 12) = 42");
  // The fd-creating commands return an fd: its path with -y.
  put_at<std::uint32_t>(attr, 0, 0xdeadbeef);
  mem.put(0x3000, attr);
  snare::format::options y;
  y.show_fd_paths = true;
  fake_fds fds;
  fds.paths[5] = "anon_inode:bpf-prog";
  CHECK(call("bpf", {13, 0x3000, 4}, 5, mem, y, fds) ==
        "bpf(BPF_PROG_GET_FD_BY_ID, {prog_id=3735928559, next_id=0}, 4) = 5<anon_inode:bpf-prog>");
  CHECK(call("bpf", {19, 0x3000, 4}, 5, mem, y, fds) ==
        "bpf(BPF_BTF_GET_FD_BY_ID, {btf_id=3735928559}, 4) = 5<anon_inode:bpf-prog>");
}

TEST_CASE("bpf prints what the kernel wrote back at exit", "[format][bpf]") {
  fake_memory mem;
  // *_GET_NEXT_ID: next_id changed.
  const std::uint32_t ids[3] = {7, 0, 0x8};
  mem.put(0x1000, ids);
  CHECK(bpf_split_call("bpf", {11, 0x1000, 12}, 0, mem, [&] {
          const std::uint32_t after[3] = {7, 9, 0x8};
          mem.put(0x1000, after);
        }) == "bpf(BPF_PROG_GET_NEXT_ID, {start_id=7, next_id=0 => 9, open_flags=BPF_F_RDONLY}, 12) = 0");
  // PROG_QUERY: the ids the kernel wrote and prog_cnt as it was and is.
  unsigned char q[28] = {};
  put_at<std::int32_t>(q, 0, -1);
  put_at<std::uint64_t>(q, 16, 0x2000);
  put_at<std::uint32_t>(q, 24, 3);
  mem.put(0x1000, q);
  const std::uint32_t progs[2] = {42, 43};
  mem.put(0x2000, progs);
  CHECK(bpf_split_call("bpf", {16, 0x1000, 28}, 0, mem,
                       [&] {
                         put_at<std::uint32_t>(q, 24, 2);
                         mem.put(0x1000, q);
                       }) ==
        "bpf(BPF_PROG_QUERY, {query={target_fd=-1, attach_type=BPF_CGROUP_INET_INGRESS, query_flags=0, "
        "attach_flags=0, prog_ids=[42, 43], prog_cnt=3 => 2}}, 28) = 0");
  // strace's tests/bpf.c: the ids of a call that failed are not read.
  put_at<std::uint64_t>(q, 16, 0xffffffffffffffff);
  mem.put(0x1000, q);
  CHECK(call("bpf", {16, 0x1000, 28}, -9, mem) ==
        "bpf(BPF_PROG_QUERY, {query={target_fd=-1, attach_type=BPF_CGROUP_INET_INGRESS, query_flags=0, "
        "attach_flags=0, prog_ids=0xffffffffffffffff, prog_cnt=2}}, 28) = -1 EBADF (Bad file descriptor)");
  // A map batch: count at exit when it changed.
  unsigned char b[56] = {};
  put_at<std::uint32_t>(b, 32, 3);
  put_at<std::int32_t>(b, 36, -1);
  mem.put(0x3000, b);
  CHECK(bpf_split_call("bpf", {27, 0x3000, 56}, 0, mem,
                       [&] {
                         put_at<std::uint32_t>(b, 32, 1);
                         mem.put(0x3000, b);
                       }) ==
        "bpf(BPF_MAP_DELETE_BATCH, {batch={keys=NULL, count=3, map_fd=-1, elem_flags=BPF_ANY, flags=0}} => "
        "{batch={count=1}}, 56) = 0");
}

TEST_CASE("bpf prints a map's and a program's info by the fd's object with -v", "[format][bpf]") {
  fake_memory mem;
  unsigned char attr[16] = {};
  put_at<std::uint32_t>(attr, 0, 4);
  put_at<std::uint32_t>(attr, 4, 152);
  put_at<std::uint64_t>(attr, 8, 0x2000);
  mem.put(0x1000, attr);
  unsigned char info[152] = {};
  mem.put(0x2000, info);
  snare::format::options yv;
  yv.show_fd_paths = true;
  yv.verbose = true;
  fake_fds fds;
  fds.paths[4] = "anon_inode:bpf-map";
  auto fill = [&] {  // what the kernel writes: bpf_map_info of 88 bytes, info_len 104
    put_at<std::uint32_t>(attr, 4, 104);
    mem.put(0x1000, attr);
    put_at<std::uint32_t>(info, 0, 2);  // BPF_MAP_TYPE_ARRAY
    put_at<std::uint32_t>(info, 4, 446);
    put_at<std::uint32_t>(info, 8, 4);
    put_at<std::uint32_t>(info, 12, 1);
    put_at<std::uint32_t>(info, 16, 5);
    std::memcpy(info + 24, "test_map_too", 12);
    mem.put(0x2000, info);
  };
  // strace's tests/bpf-obj_get_info_by_fd.c
  CHECK(
      bpf_split_call("bpf", {15, 0x1000, 16}, 0, mem, fill, yv, fds) ==
      "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=4<anon_inode:bpf-map>, info_len=152 => 104, info={"
      "type=BPF_MAP_TYPE_ARRAY, id=446, key_size=4, value_size=1, max_entries=5, map_flags=0, "
      "name=\"test_map_too\", ifindex=0, btf_vmlinux_value_type_id=0, netns_dev=makedev(0, 0), netns_ino=0, "
      "btf_id=0, btf_key_type_id=0, btf_value_type_id=0}}}, 16) = 0");
  // Without -v, or for an fd that is no bpf object: the address.
  snare::format::options y;
  y.show_fd_paths = true;
  CHECK(call("bpf", {15, 0x1000, 16}, 0, mem, y, fds) ==
        "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=4<anon_inode:bpf-map>, info_len=104, info=0x2000}}, 16) = "
        "0");
  // A program's info: the members the kernel changed as `before => after`.
  fds.paths[6] = "anon_inode:bpf-prog";
  put_at<std::uint32_t>(attr, 0, 6);
  put_at<std::uint32_t>(attr, 4, 232);
  mem.put(0x1000, attr);
  unsigned char prog[232] = {};
  put_at<std::uint32_t>(prog, 52, 1);       // nr_map_ids at entry
  put_at<std::uint64_t>(prog, 56, 0x3000);  // map_ids
  mem.put(0x2000, prog);
  const std::uint32_t map_ids[2] = {446, 445};
  mem.put(0x3000, map_ids);
  const std::string line = bpf_split_call(
      "bpf", {15, 0x1000, 16}, 0, mem,
      [&] {
        put_at<std::uint32_t>(prog, 0, 1);    // BPF_PROG_TYPE_SOCKET_FILTER
        put_at<std::uint32_t>(prog, 16, 86);  // jited_prog_len
        put_at<std::uint32_t>(prog, 52, 2);   // nr_map_ids
        put_at<std::uint32_t>(prog, 216, 9);  // verified_insns
        mem.put(0x2000, prog);
      },
      yv, fds);
  CHECK(line.starts_with(
      "bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=6<anon_inode:bpf-prog>, info_len=232, info={"
      "type=BPF_PROG_TYPE_SOCKET_FILTER, id=0, tag=\"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\", "
      "jited_prog_len=0 => 86, jited_prog_insns=NULL, xlated_prog_len=0, xlated_prog_insns=NULL, "
      "load_time=0"));
  CHECK(line.find("created_by_uid=0, nr_map_ids=1 => 2, map_ids=[446], name=\"\", ifindex=0") !=
        std::string::npos);
  CHECK(line.ends_with("recursion_misses=0, verified_insns=9}}}, 16) = 0"));
}

TEST_CASE("bpf prints eBPF instructions and LINK_CREATE's union by attach type", "[format][bpf]") {
  fake_memory mem;
  // strace's tests/bpf.c: BPF_EXIT with registers the table does not name past 10.
  const unsigned char insn[8] = {0x95, 0xba, 0xad, 0xde, 0xed, 0x0d, 0xdc, 0xba};
  mem.put(0x5000, insn);
  unsigned char attr[128] = {};
  put_at<std::uint32_t>(attr, 4, 1);
  put_at<std::uint64_t>(attr, 8, 0x5000);
  mem.put(0x1000, attr);
  snare::format::options v;
  v.verbose = true;
  CHECK(
      call("bpf", {5, 0x1000, 24}, -22, mem, v) ==
      "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_UNSPEC, insn_cnt=1, insns=[{code=BPF_JMP|BPF_K|BPF_EXIT, "
      "dst_reg=BPF_REG_10, src_reg=0xb /* BPF_REG_??? */, off=-8531, imm=0xbadc0ded}], license=NULL}, 24) = "
      "-1 "
      "EINVAL (Invalid argument)");
  CHECK(
      call("bpf", {5, 0x1000, 24}, -22, mem) ==
      "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_UNSPEC, insn_cnt=1, insns=0x5000, license=NULL}, 24) = -1 "
      "EINVAL (Invalid argument)");
  // LINK_CREATE: perf_event's cookie for BPF_PERF_EVENT; for others the union is extra data.
  unsigned char link[48] = {};
  put_at<std::uint32_t>(link, 8, 0x29);
  put_at<std::uint64_t>(link, 16, 0xdeadc0defacecafe);
  mem.put(0x2000, link);
  CHECK(call("bpf", {28, 0x2000, 24}, -22, mem) ==
        "bpf(BPF_LINK_CREATE, {link_create={prog_fd=0, target_fd=0, attach_type=BPF_PERF_EVENT, flags=0, "
        "perf_event={bpf_cookie=0xdeadc0defacecafe}}}, 24) = -1 EINVAL (Invalid argument)");
  put_at<std::uint32_t>(link, 8, 4);  // BPF_SK_SKB_STREAM_PARSER
  mem.put(0x2000, link);
  CHECK(call("bpf", {28, 0x2000, 24}, -22, mem) ==
        "bpf(BPF_LINK_CREATE, {link_create={prog_fd=0, target_fd=0, attach_type=BPF_SK_SKB_STREAM_PARSER, "
        "flags=0}, ...}, 24) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("perf_event_open prints struct perf_event_attr at exit, its tail with -v", "[format][perf]") {
  fake_memory mem;
  unsigned char attr[128] = {};
  put_at<std::uint32_t>(attr, 0, 3);        // PERF_TYPE_HW_CACHE
  put_at<std::uint32_t>(attr, 4, 80);       // PERF_ATTR_SIZE_VER2
  put_at<std::uint64_t>(attr, 8, 0x10000);  // RESULT_MISS<<16|OP_READ<<8|L1D
  put_at<std::uint64_t>(attr, 16, 1000);
  put_at<std::uint64_t>(attr, 40, 1 | (1u << 5) | (2u << 15));  // disabled, exclude_kernel, precise_ip=2
  mem.put(0x1000, attr);
  CHECK(call("perf_event_open", {0x1000, 0, std::uint64_t(-1), std::uint64_t(-1), 8}, 3, mem) ==
        "perf_event_open({type=PERF_TYPE_HW_CACHE, size=PERF_ATTR_SIZE_VER2, "
        "config=PERF_COUNT_HW_CACHE_RESULT_MISS<<16|PERF_COUNT_HW_CACHE_OP_READ<<8|PERF_COUNT_HW_CACHE_L1D, "
        "sample_period=1000, sample_type=0, read_format=0, disabled=1, exclude_kernel=1, "
        "precise_ip=2 /* requested to have 0 skid */, ...}, 0, -1, -1, PERF_FLAG_FD_CLOEXEC) = 3");
  snare::format::options v;
  v.verbose = true;
  const std::string line = call("perf_event_open", {0x1000, 0, 0, 0, 0}, 3, mem, v);
  CHECK(line.find("disabled=1, inherit=0, pinned=0,") != std::string::npos);
  CHECK(line.ends_with("sigtrap=0, wakeup_events=0, config1=0, config2=0}, 0, 0, 0, 0) = 3"));
  // E2BIG: the size the kernel wrote back.
  CHECK(
      bpf_split_call("perf_event_open", {0x1000, 0, 0, 0, 0}, -7, mem,
                     [&] {
                       put_at<std::uint32_t>(attr, 4, 128);
                       mem.put(0x1000, attr);
                     })
          .starts_with(
              "perf_event_open({type=PERF_TYPE_HW_CACHE, size=PERF_ATTR_SIZE_VER2 => PERF_ATTR_SIZE_VER7, "));
  // A size below PERF_ATTR_SIZE_VER0, or an unreadable struct: the address.
  put_at<std::uint32_t>(attr, 4, 63);
  mem.put(0x1000, attr);
  CHECK(call("perf_event_open", {0x1000, 0, 0, 0, 0}, -22, mem) ==
        "perf_event_open(0x1000, 0, 0, 0, 0) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("the perf ioctls print QUERY_BPF's ids and MODIFY_ATTRIBUTES' struct", "[format][perf]") {
  fake_memory mem;
  const std::uint32_t q[4] = {2, 2, 7, 8};
  mem.put(0x1000, q);
  // strace's tests/ioctl_perf.c: a failed call shows ids_len only.
  CHECK(call("ioctl", {std::uint64_t(-1), 0xc008240a, 0x1000}, -9, mem) ==
        "ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=2, ...}) = -1 EBADF (Bad file descriptor)");
  CHECK(call("ioctl", {3, 0xc008240a, 0x1000}, 0, mem) ==
        "ioctl(3, PERF_EVENT_IOC_QUERY_BPF, {ids_len=2, prog_cnt=2, ids=[7, 8]}) = 0");
  CHECK(call("ioctl", {3, 0xc008240a, 0}, -14, mem) ==
        "ioctl(3, PERF_EVENT_IOC_QUERY_BPF, NULL) = -1 EFAULT (Bad address)");
  unsigned char attr[64] = {};
  put_at<std::uint32_t>(attr, 0, 1);  // PERF_TYPE_SOFTWARE
  put_at<std::uint64_t>(attr, 8, 9);  // PERF_COUNT_SW_DUMMY
  mem.put(0x2000, attr);
  CHECK(
      call("ioctl", {3, 0x4008240b, 0x2000}, 0, mem) ==
      "ioctl(3, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_SOFTWARE, size=0 /* PERF_ATTR_SIZE_??? */, "
      "config=PERF_COUNT_SW_DUMMY, sample_period=0, sample_type=0, read_format=0, "
      "precise_ip=0 /* arbitrary skid */, ...}) = 0");
}
