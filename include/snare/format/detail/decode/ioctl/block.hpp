// Defines the decoder of the block device ioctls of linux/fs.h, blkpg.h and blktrace_api.h
// (strace's block.c): the numbers they read or return by type, BLKPG's partition request
// and BLKTRACESETUP's trace setup.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/fd_resolver.hpp>

namespace snare::format::detail {

/// BLKPG_* operations (linux/blkpg.h).
inline constexpr xlat_entry blkpg_ops_field[] = {
    {1, "BLKPG_ADD_PARTITION"},
    {2, "BLKPG_DEL_PARTITION"},
    {3, "BLKPG_RESIZE_PARTITION"},
};
inline constexpr xlat blkpg_ops_xlat{blkpg_ops_field, ~std::uint64_t{0}, {}, {}, "BLKPG_???"};

inline constexpr std::uint32_t blkpg = 0x1269, blktracesetup = 0xc0481273;

/// The block requests, sorted by number: the value or pointed-to type of each.
inline constexpr ioctl_entry block_ioctls[] = {
    {0x125d, "BLKROSET", ioctl_shape::int_in},
    {0x125e, "BLKROGET", ioctl_shape::int_out},
    {0x125f, "BLKRRPART", ioctl_shape::none},
    {0x1260, "BLKGETSIZE", ioctl_shape::ulong_out},
    {0x1261, "BLKFLSBUF", ioctl_shape::none},
    {0x1262, "BLKRASET", ioctl_shape::ulong_value},
    {0x1263, "BLKRAGET", ioctl_shape::long_out},
    {0x1264, "BLKFRASET", ioctl_shape::ulong_value},
    {0x1265, "BLKFRAGET", ioctl_shape::long_out},
    {0x1267, "BLKSECTGET", ioctl_shape::ushort_out},
    {0x1268, "BLKSSZGET", ioctl_shape::int_out},
    {blkpg, "BLKPG"},
    {0x1274, "BLKTRACESTART", ioctl_shape::none},
    {0x1275, "BLKTRACESTOP", ioctl_shape::none},
    {0x1276, "BLKTRACETEARDOWN", ioctl_shape::none},
    {0x1277, "BLKDISCARD", ioctl_shape::u64_pair_in},
    {0x1278, "BLKIOMIN", ioctl_shape::uint_out},
    {0x1279, "BLKIOOPT", ioctl_shape::uint_out},
    {0x127a, "BLKALIGNOFF", ioctl_shape::int_out},
    {0x127b, "BLKPBSZGET", ioctl_shape::uint_out},
    {0x127c, "BLKDISCARDZEROES", ioctl_shape::uint_out},
    {0x127d, "BLKSECDISCARD", ioctl_shape::u64_pair_in},
    {0x127e, "BLKROTATIONAL", ioctl_shape::ushort_out},
    {0x127f, "BLKZEROOUT", ioctl_shape::u64_pair_in},
    {0x40081271, "BLKBSZSET", ioctl_shape::int_in},
    {0x80041284, "BLKGETZONESZ", ioctl_shape::uint_out},
    {0x80041285, "BLKGETNRZONES", ioctl_shape::uint_out},
    {0x80081270, "BLKBSZGET", ioctl_shape::int_out},
    {0x80081272, "BLKGETSIZE64", ioctl_shape::u64_out},
    {0x80081280, "BLKGETDISKSEQ", ioctl_shape::u64_out},
    {blktracesetup, "BLKTRACESETUP"},
};
static_assert(ioctl_table_sorted(block_ioctls), "block_ioctls must stay sorted by request");

/// Prints the argument of block request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_block_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(block_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  if (code == blkpg) {
    // struct blkpg_ioctl_arg: op, flags, datalen (int), data (a pointer at 16) to a struct
    // blkpg_partition: start, length (long long), pno (int), devname[64], volname[64].
    if (exit) return ioctl_step::done;
    unsigned char a[24];
    if (!p.read_obj(arg, a)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{op="),
        put_enum(out, blkpg_ops_xlat, static_cast<std::uint32_t>(ioctl_field<std::int32_t>(a, 0)));
    out.append(", flags="), put_dec(out, ioctl_field<std::int32_t>(a, 4));
    out.append(", datalen="), put_dec(out, ioctl_field<std::int32_t>(a, 8));
    out.append(", data=");
    auto data = ioctl_field<std::uint64_t>(a, 16);
    unsigned char d[152];
    if (!p.read_obj(data, d)) {
      put_ptr(out, data);
    } else {
      out.append("{start="), put_dec(out, ioctl_field<std::int64_t>(d, 0));
      out.append(", length="), put_dec(out, ioctl_field<std::int64_t>(d, 8));
      out.append(", pno="), put_dec(out, ioctl_field<std::int32_t>(d, 16));
      out.append(", devname="), put_ioctl_cstring(p, d + 20, 64);
      out.append(", volname="), put_ioctl_cstring(p, d + 84, 64);
      out.push_back('}');
    }
    out.push_back('}');
    return ioctl_step::done;
  }
  // BLKTRACESETUP: struct blk_user_trace_setup: name[32], act_mask (u16 at 32), buf_size,
  // buf_nr (u32), start_lba, end_lba (u64 at 48), pid (u32 at 64); the name at exit.
  unsigned char b[72];
  if (!p.read_obj(arg, b)) return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
  if (exit) {
    if (!p.failed()) out.append(", name="), put_ioctl_cstring(p, b, 32);
    out.push_back('}');
    return ioctl_step::done;
  }
  out.append("{act_mask="), put_udec(out, ioctl_field<std::uint16_t>(b, 32));
  out.append(", buf_size="), put_udec(out, ioctl_field<std::uint32_t>(b, 36));
  out.append(", buf_nr="), put_udec(out, ioctl_field<std::uint32_t>(b, 40));
  out.append(", start_lba="), put_udec(out, ioctl_field<std::uint64_t>(b, 48));
  out.append(", end_lba="), put_udec(out, ioctl_field<std::uint64_t>(b, 56));
  out.append(", pid="), p.put_pid(ioctl_field<std::int32_t>(b, 64), pid_type::tgid);
  return ioctl_step::more;
}

}  // namespace snare::format::detail
