// Defines the decoder of FS_IOC_FIEMAP (linux/fiemap.h; strace's fs_f_ioctl.c): the
// request at entry, and at exit the flags, the count of mapped extents and (with -v) the
// extents themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// The fm_flags of struct fiemap (linux/fiemap.h).
inline constexpr xlat_entry fiemap_flags_bits[] = {
    {0x1, "FIEMAP_FLAG_SYNC"},
    {0x2, "FIEMAP_FLAG_XATTR"},
    {0x4, "FIEMAP_FLAG_CACHE"},
};
inline constexpr xlat fiemap_flags_xlat{{}, 0, fiemap_flags_bits, "0", "FIEMAP_FLAG_???"};

/// The fe_flags of struct fiemap_extent (linux/fiemap.h).
inline constexpr xlat_entry fiemap_extent_flags_bits[] = {
    {0x1, "FIEMAP_EXTENT_LAST"},
    {0x2, "FIEMAP_EXTENT_UNKNOWN"},
    {0x4, "FIEMAP_EXTENT_DELALLOC"},
    {0x8, "FIEMAP_EXTENT_ENCODED"},
    {0x80, "FIEMAP_EXTENT_DATA_ENCRYPTED"},
    {0x100, "FIEMAP_EXTENT_NOT_ALIGNED"},
    {0x200, "FIEMAP_EXTENT_DATA_INLINE"},
    {0x400, "FIEMAP_EXTENT_DATA_TAIL"},
    {0x800, "FIEMAP_EXTENT_UNWRITTEN"},
    {0x1000, "FIEMAP_EXTENT_MERGED"},
    {0x2000, "FIEMAP_EXTENT_SHARED"},
};
inline constexpr xlat fiemap_extent_flags_xlat{{}, 0, fiemap_extent_flags_bits, "0", "FIEMAP_EXTENT_???"};

inline constexpr std::uint32_t fs_ioc_fiemap = 0xc020660b;  // _IOWR('f', 11, struct fiemap)

/// The requests this header decodes (the name is also in the generated table).
inline constexpr ioctl_entry fiemap_ioctls[] = {
    {fs_ioc_fiemap, "FS_IOC_FIEMAP"},
};

/// Prints FS_IOC_FIEMAP's struct fiemap (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_fiemap_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (code != fs_ioc_fiemap) return ioctl_step::unknown;
  // fm_start, fm_length (u64); fm_flags, fm_mapped_extents, fm_extent_count, fm_reserved
  // (u32); then the extents.
  struct {
    std::uint64_t start, length;
    std::uint32_t flags, mapped, count, reserved;
  } m;
  std::string& out = p.out();
  // An unreadable request printed its address at entry: nothing follows at exit.
  if (!p.read_obj(arg, m)) return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
  if (exit && p.failed()) return ioctl_step::done;
  if (exit) out.append(" => ");
  field_sep f{out};
  out.push_back('{');
  if (!exit) {
    put_udec(f("fm_start"), m.start);
    put_udec(f("fm_length"), m.length);
    put_flags(f("fm_flags"), fiemap_flags_xlat, m.flags);
    put_udec(f("fm_extent_count"), m.count);
    out.push_back('}');
    return ioctl_step::more;
  }
  put_flags(f("fm_flags"), fiemap_flags_xlat, m.flags);
  put_udec(f("fm_mapped_extents"), m.mapped);
  if (!p.opts().verbose) {
    f.next();
    out.append("...");
  } else {
    // struct fiemap_extent: fe_logical, fe_physical, fe_length, fe_reserved64[2] (u64);
    // fe_flags, fe_reserved[3] (u32): 56 bytes.
    constexpr std::size_t extent_size = 56;
    f("fm_extents");
    put_ioctl_structs(p, arg + sizeof m, m.mapped, extent_size, [&](const unsigned char* e) {
      field_sep g{out};
      out.push_back('{');
      put_udec(g("fe_logical"), ioctl_field<std::uint64_t>(e, 0));
      put_udec(g("fe_physical"), ioctl_field<std::uint64_t>(e, 8));
      put_udec(g("fe_length"), ioctl_field<std::uint64_t>(e, 16));
      put_flags(g("fe_flags"), fiemap_extent_flags_xlat, ioctl_field<std::uint32_t>(e, 40));
      out.push_back('}');
    });
  }
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
