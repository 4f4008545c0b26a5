// Defines the decoder of the UBI ioctls of mtd/ubi-user.h (strace's ubi.c): attaching an
// MTD device, making, resizing and renaming volumes, eraseblock changes and maps, volume
// properties, and the int arguments of the rest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// UBI_*_VOLUME (mtd/ubi-user.h).
inline constexpr xlat_entry ubi_volume_types_field[] = {{3, "UBI_DYNAMIC_VOLUME"}, {4, "UBI_STATIC_VOLUME"}};
inline constexpr xlat ubi_volume_types_xlat{
    ubi_volume_types_field, ~std::uint64_t{0}, {}, {}, "UBI_???_VOLUME"};

/// UBI_VOL_SKIP_CRC_CHECK_FLG (mtd/ubi-user.h).
inline constexpr xlat_entry ubi_volume_flags_bits[] = {{1, "UBI_VOL_SKIP_CRC_CHECK_FLG"}};
inline constexpr xlat ubi_volume_flags_xlat{{}, 0, ubi_volume_flags_bits, "0", "UBI_VOL_???"};

/// UBI_VOL_PROP_* (mtd/ubi-user.h).
inline constexpr xlat_entry ubi_volume_props_field[] = {{1, "UBI_VOL_PROP_DIRECT_WRITE"}};
inline constexpr xlat ubi_volume_props_xlat{
    ubi_volume_props_field, ~std::uint64_t{0}, {}, {}, "UBI_VOL_PROP_???"};

/// The data types of eraseblock requests (UBI_LONGTERM, ...; mtd/ubi-user.h).
inline constexpr xlat_entry ubi_data_types_field[] = {
    {1, "UBI_LONGTERM"}, {2, "UBI_SHORTTERM"}, {3, "UBI_UNKNOWN"}};
inline constexpr xlat ubi_data_types_xlat{ubi_data_types_field, ~std::uint64_t{0}, {}, {}, "UBI_???"};

/// The UBI requests (mtd/ubi-user.h), sorted by number.
inline constexpr ioctl_entry ubi_ioctls[] = {
    {0x4f08, "UBI_IOCVOLRMBLK", ioctl_shape::none},
    {0x40044f01, "UBI_IOCEBER", ioctl_shape::int_in},
    {0x40044f02, "UBI_IOCEBCH"},
    {0x40044f04, "UBI_IOCEBUNMAP", ioctl_shape::int_in},
    {0x40046f01, "UBI_IOCRMVOL", ioctl_shape::int_in},
    {0x40046f04, "UBI_IOCRPEB", ioctl_shape::int_in},
    {0x40046f05, "UBI_IOCSPEB", ioctl_shape::int_in},
    {0x40046f41, "UBI_IOCDET", ioctl_shape::int_in},
    {0x40084f00, "UBI_IOCVOLUP", ioctl_shape::i64_in},
    {0x40084f03, "UBI_IOCEBMAP"},
    {0x400c6f02, "UBI_IOCRSVOL"},
    {0x40104f06, "UBI_IOCSETVOLPROP"},
    {0x40186f40, "UBI_IOCATT"},
    {0x40804f07, "UBI_IOCVOLCRBLK", ioctl_shape::none},
    {0x40986f00, "UBI_IOCMKVOL"},
    {0x51106f03, "UBI_IOCRNVOL"},
    {0x80044f05, "UBI_IOCEBISMAP", ioctl_shape::int_in},
};
static_assert(ioctl_table_sorted(ubi_ioctls), "ubi_ioctls must stay sorted by request");

/// Appends a volume name of `name_len` bytes kept in a field of 128 (strace's
/// PRINT_FIELD_CSTRING_SZ with 1 + name_len clamped to the field).
template <class P>
void put_ubi_name(P& p, const unsigned char* name, std::int32_t name_len) {
  put_ioctl_cstring(p, name, 1 + static_cast<std::size_t>(std::clamp(name_len, 0, 127)));
}

/// Prints the argument of UBI request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_ubi_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(ubi_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  const bool returns_number = code == 0x40186f40 || code == 0x40986f00;  // ATT, MKVOL
  if (exit) {
    // UBI_IOCATT and UBI_IOCMKVOL: the number the kernel chose, after a success.
    if (returns_number && !p.failed()) {
      std::int32_t n;
      std::size_t size = code == 0x40186f40 ? 24 : 152;
      if (!p.read_exact(arg, size)) return ioctl_step::done;  // its address printed at entry
      out.append(" => ");
      if (p.read_obj(arg, n))
        out.push_back('['), put_dec(out, n), out.push_back(']');
      else
        put_ptr(out, arg);
    }
    return ioctl_step::done;
  }
  std::size_t size = 0;  // of the request's struct
  switch (code) {
    case 0x40044f02:
      size = 16;
      break;  // struct ubi_leb_change_req
    case 0x40084f03:
      size = 8;
      break;  // struct ubi_map_req
    case 0x40104f06:
      size = 16;
      break;  // struct ubi_set_vol_prop_req
    case 0x40186f40:
      size = 24;
      break;  // struct ubi_attach_req
    case 0x40986f00:
      size = 152;
      break;  // struct ubi_mkvol_req
    case 0x400c6f02:
      size = 12;
      break;  // struct ubi_rsvol_req
    case 0x51106f03:
      size = 4368;
      break;  // struct ubi_rnvol_req
    default:
      return ioctl_step::unknown;
  }
  if (!p.read_exact(arg, size)) return put_ptr(out, arg), ioctl_step::done;
  std::string b = scratch();
  auto* u = reinterpret_cast<const unsigned char*>(b.data());
  switch (code) {
    case 0x40044f02:  // lnum, bytes (s32), dtype (s8)
      out.append("{lnum="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
      out.append(", bytes="), put_dec(out, ioctl_field<std::int32_t>(u, 4));
      out.append(", dtype="),
          put_enum(out, ubi_data_types_xlat, static_cast<std::uint32_t>(ioctl_field<std::int8_t>(u, 8)));
      break;
    case 0x40084f03:  // lnum (s32), dtype (s8)
      out.append("{lnum="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
      out.append(", dtype="),
          put_enum(out, ubi_data_types_xlat, static_cast<std::uint32_t>(ioctl_field<std::int8_t>(u, 4)));
      break;
    case 0x40104f06:  // property (u8), value (u64 at 8)
      out.append("{property="), put_enum(out, ubi_volume_props_xlat, u[0]);
      out.append(", value="), put_hex(out, ioctl_field<std::uint64_t>(u, 8));
      break;
    case 0x40186f40:  // ubi_num, mtd_num, vid_hdr_offset (s32), max_beb_per1024 (s16)
      out.append("{ubi_num="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
      out.append(", mtd_num="), put_dec(out, ioctl_field<std::int32_t>(u, 4));
      out.append(", vid_hdr_offset="), put_dec(out, ioctl_field<std::int32_t>(u, 8));
      out.append(", max_beb_per1024="), put_dec(out, ioctl_field<std::int16_t>(u, 12));
      break;
    case 0x40986f00: {  // vol_id, alignment (s32), bytes (s64), vol_type (s8), flags (u8),
                        // name_len (s16), name[128] at 24
      auto name_len = ioctl_field<std::int16_t>(u, 18);
      out.append("{vol_id="), put_dec(out, ioctl_field<std::int32_t>(u, 0));
      out.append(", alignment="), put_dec(out, ioctl_field<std::int32_t>(u, 4));
      out.append(", bytes="), put_dec(out, ioctl_field<std::int64_t>(u, 8));
      out.append(", vol_type="),
          put_enum(out, ubi_volume_types_xlat, static_cast<std::uint32_t>(ioctl_field<std::int8_t>(u, 16)));
      out.append(", flags="), put_flags(out, ubi_volume_flags_xlat, u[17]);
      out.append(", name_len="), put_dec(out, name_len);
      out.append(", name="), put_ubi_name(p, u + 24, name_len);
      out.push_back('}');
      return ioctl_step::more;
    }
    case 0x400c6f02:  // bytes (s64), vol_id (s32)
      out.append("{bytes="), put_dec(out, ioctl_field<std::int64_t>(u, 0));
      out.append(", vol_id="), put_dec(out, ioctl_field<std::int32_t>(u, 8));
      break;
    case 0x51106f03: {  // count (s32), ents[32] at 16: vol_id (s32), name_len (s16), name[128] at 8
      auto count = ioctl_field<std::int32_t>(u, 0);
      out.append("{count="), put_dec(out, count);
      out.append(", ents=[");
      std::uint32_t n = count < 0 ? 0 : std::min<std::uint32_t>(static_cast<std::uint32_t>(count), 32);
      for (std::uint32_t k = 0; k < n; ++k) {
        if (k) out.append(", ");
        if (!p.opts().verbose && k == p.opts().string_limit) {
          out.append("...");
          break;
        }
        const unsigned char* ent = u + 16 + 136 * k;
        auto name_len = ioctl_field<std::int16_t>(ent, 4);
        out.append("{vol_id="), put_dec(out, ioctl_field<std::int32_t>(ent, 0));
        out.append(", name_len="), put_dec(out, name_len);
        out.append(", name="), put_ubi_name(p, ent + 8, name_len);
        out.push_back('}');
      }
      out.push_back(']');
      break;
    }
    default:
      break;
  }
  out.push_back('}');
  return returns_number ? ioctl_step::more : ioctl_step::done;
}

}  // namespace snare::format::detail
