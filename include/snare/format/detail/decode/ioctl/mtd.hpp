// Defines the decoder of the memory technology device ioctls of mtd/mtd-abi.h (strace's
// mtd.c): erase regions, OOB buffers, write requests, OTP regions, the device's info, OOB
// and ECC layouts and ECC statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// MTD_OPS_* of struct mtd_write_req's mode (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_mode_field[] = {
    {0, "MTD_OPS_PLACE_OOB"}, {1, "MTD_OPS_AUTO_OOB"}, {2, "MTD_OPS_RAW"}};
inline constexpr xlat mtd_mode_xlat{mtd_mode_field, ~std::uint64_t{0}, {}, {}, "MTD_OPS_???"};
/// MTD_FILE_MODE_* of MTDFILEMODE (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_file_mode_field[] = {{0, "MTD_FILE_MODE_NORMAL"},
                                                     {1, "MTD_FILE_MODE_OTP_FACTORY"},
                                                     {2, "MTD_FILE_MODE_OTP_USER"},
                                                     {3, "MTD_FILE_MODE_RAW"}};
inline constexpr xlat mtd_file_mode_xlat{mtd_file_mode_field, ~std::uint64_t{0}, {}, {}, "MTD_FILE_MODE_???"};
/// MTD_ABSENT .. MTD_MLCNANDFLASH: struct mtd_info_user's type (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_type_field[] = {
    {0, "MTD_ABSENT"},    {1, "MTD_RAM"},       {2, "MTD_ROM"},       {3, "MTD_NORFLASH"},
    {4, "MTD_NANDFLASH"}, {6, "MTD_DATAFLASH"}, {7, "MTD_UBIVOLUME"}, {8, "MTD_MLCNANDFLASH"}};
inline constexpr xlat mtd_type_xlat{mtd_type_field, ~std::uint64_t{0}, {}, {}, "MTD_???"};
/// MTD_WRITEABLE ..: struct mtd_info_user's flags (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_flags_bits[] = {{0x400, "MTD_WRITEABLE"},
                                                {0x800, "MTD_BIT_WRITEABLE"},
                                                {0x1000, "MTD_NO_ERASE"},
                                                {0x2000, "MTD_POWERUP_LOCK"},
                                                {0x4000, "MTD_SLC_ON_MLC_EMULATION"}};
inline constexpr xlat mtd_flags_xlat{{}, 0, mtd_flags_bits, "0", "MTD_???"};
/// MTD_OTP_* of OTPSELECT (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_otp_field[] = {
    {0, "MTD_OTP_OFF"}, {1, "MTD_OTP_FACTORY"}, {2, "MTD_OTP_USER"}};
inline constexpr xlat mtd_otp_xlat{mtd_otp_field, ~std::uint64_t{0}, {}, {}, "MTD_OTP_???"};
/// MTD_NANDECC_* of struct nand_oobinfo's useecc (mtd/mtd-abi.h).
inline constexpr xlat_entry mtd_nandecc_field[] = {{0, "MTD_NANDECC_OFF"},
                                                   {1, "MTD_NANDECC_PLACE"},
                                                   {2, "MTD_NANDECC_AUTOPLACE"},
                                                   {3, "MTD_NANDECC_PLACEONLY"},
                                                   {4, "MTD_NANDECC_AUTOPL_USR"}};
inline constexpr xlat mtd_nandecc_xlat{mtd_nandecc_field, ~std::uint64_t{0}, {}, {}, "MTD_NANDECC_???"};

/// The MTD requests (_IO*('M', nr)), sorted by number; n is the argument's size in bytes.
inline constexpr ioctl_entry mtd_ioctls[] = {
    {0x4d13, "MTDFILEMODE", ioctl_shape::enum64_value, &mtd_file_mode_xlat},
    {0x40044d0e, "OTPGETREGIONCOUNT", ioctl_shape::uint_out},
    {0x40084d02, "MEMERASE", ioctl_shape::custom, nullptr, 8},
    {0x40084d05, "MEMLOCK", ioctl_shape::custom, nullptr, 8},
    {0x40084d06, "MEMUNLOCK", ioctl_shape::custom, nullptr, 8},
    {0x40084d0b, "MEMGETBADBLOCK", ioctl_shape::custom, nullptr, 8},
    {0x40084d0c, "MEMSETBADBLOCK", ioctl_shape::custom, nullptr, 8},
    {0x400c4d0f, "OTPGETREGIONINFO", ioctl_shape::custom, nullptr, 12},
    {0x40104d14, "MEMERASE64", ioctl_shape::custom, nullptr, 16},
    {0x80044d07, "MEMGETREGIONCOUNT", ioctl_shape::int_out},
    {0x80044d0d, "OTPSELECT", ioctl_shape::custom, nullptr, 4},
    {0x80084d17, "MEMISLOCKED", ioctl_shape::custom, nullptr, 8},
    {0x800c4d10, "OTPLOCK", ioctl_shape::custom, nullptr, 12},
    {0x80104d12, "ECCGETSTATS", ioctl_shape::custom, nullptr, 16},
    {0x80204d01, "MEMGETINFO", ioctl_shape::custom, nullptr, 32},
    {0x80c84d0a, "MEMGETOOBSEL", ioctl_shape::custom, nullptr, 200},
    {0x81484d11, "ECCGETLAYOUT", ioctl_shape::custom, nullptr, 328},
    {0xc0104d03, "MEMWRITEOOB", ioctl_shape::custom, nullptr, 16},
    {0xc0104d04, "MEMREADOOB", ioctl_shape::custom, nullptr, 16},
    {0xc0104d08, "MEMGETREGIONINFO", ioctl_shape::custom, nullptr, 16},
    {0xc0184d15, "MEMWRITEOOB64", ioctl_shape::custom, nullptr, 24},
    {0xc0184d16, "MEMREADOOB64", ioctl_shape::custom, nullptr, 24},
    {0xc0304d18, "MEMWRITE", ioctl_shape::custom, nullptr, 48},
};

static_assert(ioctl_table_sorted(mtd_ioctls), "mtd_ioctls must stay sorted by request");

/// Appends `n` u32s of `b` in hex as strace's print_xint_array_member over a local array:
/// `[0x1, 0x2]`, cut with `...` at the string limit unless verbose.
template <class P>
void put_mtd_xints(P& p, const unsigned char* b, std::size_t n) {
  std::string& out = p.out();
  out.push_back('[');
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out.append(", ");
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    put_hex(out, ioctl_field<std::uint32_t>(b, 4 * k));
  }
  out.push_back(']');
}

/// Prints the argument of MTD request `code` at entry or exit (see ioctl_step), as strace's
/// mtd_ioctl: `unknown` for a request of another family.
template <class P>
ioctl_step put_mtd_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(mtd_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  bool getter = code == 0x400c4d0f || code == 0x80204d01 || code == 0x80c84d0a || code == 0x81484d11 ||
                code == 0x80104d12;
  bool region = code == 0xc0104d08;
  if (exit && !getter && !region) return ioctl_step::done;  // printed whole at entry
  if (getter && !exit) return ioctl_step::more;
  if (region && exit) {
    // MEMGETREGIONINFO: struct region_info_user {u32 offset, erasesize, numblocks,
    // regionindex}; the index at entry, the rest after a success.
    std::uint32_t ri[4];
    if (!p.read_obj(arg, ri)) return ioctl_step::done;  // its address was printed at entry
    if (!p.failed()) {
      out.append(", offset="), put_hex(out, ri[0]);
      out.append(", erasesize="), put_hex(out, ri[1]);
      out.append(", numblocks="), put_hex(out, ri[2]);
    }
    out.push_back('}');
    return ioctl_step::done;
  }
  if (exit && p.failed()) return put_ptr(out, arg), ioctl_step::done;
  if (!p.read_exact(arg, e->n)) return put_ptr(out, arg), ioctl_step::done;
  unsigned char b[328];
  std::memcpy(b, scratch().data(), e->n);
  auto u32 = [&](std::size_t off) { return ioctl_field<std::uint32_t>(b, off); };
  auto u64 = [&](std::size_t off) { return ioctl_field<std::uint64_t>(b, off); };
  switch (code) {
    case 0x40084d02:  // MEMERASE
    case 0x40084d05:  // MEMLOCK
    case 0x40084d06:  // MEMUNLOCK
    case 0x80084d17:  // MEMISLOCKED: struct erase_info_user {u32 start, length}
      out.append("{start="), put_hex(out, u32(0)), out.append(", length="), put_hex(out, u32(4));
      break;
    case 0x40104d14:  // MEMERASE64: struct erase_info_user64 {u64 start, length}
      out.append("{start="), put_hex(out, u64(0)), out.append(", length="), put_hex(out, u64(8));
      break;
    case 0xc0104d03:  // MEMWRITEOOB
    case 0xc0104d04:  // MEMREADOOB: struct mtd_oob_buf {u32 start, length; u8 *ptr}
      out.append("{start="), put_hex(out, u32(0)), out.append(", length="), put_hex(out, u32(4));
      out.append(", ptr="), put_ptr(out, u64(8));
      break;
    case 0xc0184d15:  // MEMWRITEOOB64
    case 0xc0184d16:  // MEMREADOOB64: struct mtd_oob_buf64 {u64 start; u32 pad, length; u64 usr_ptr}
      out.append("{start="), put_hex(out, u64(0)), out.append(", length="), put_hex(out, u32(12));
      out.append(", usr_ptr="), put_hex(out, u64(16));
      break;
    case 0xc0304d18:  // MEMWRITE: struct mtd_write_req
      out.append("{start="), put_hex(out, u64(0)), out.append(", len="), put_hex(out, u64(8));
      out.append(", ooblen="), put_hex(out, u64(16)), out.append(", usr_data="), put_hex(out, u64(24));
      out.append(", usr_oob="), put_hex(out, u64(32)), out.append(", mode="),
          put_enum(out, mtd_mode_xlat, b[40]);
      break;
    case 0x400c4d0f:  // OTPGETREGIONINFO
    case 0x800c4d10:  // OTPLOCK: struct otp_info {u32 start, length, locked}
      out.append("{start="), put_hex(out, u32(0)), out.append(", length="), put_hex(out, u32(4));
      out.append(", locked="), put_udec(out, u32(8));
      break;
    case 0x80044d0d:  // OTPSELECT: [MTD_OTP_*]
      out.push_back('['), put_enum(out, mtd_otp_xlat, u32(0)), out.push_back(']');
      return ioctl_step::done;
    case 0x40084d0b:  // MEMGETBADBLOCK
    case 0x40084d0c:  // MEMSETBADBLOCK: [loff_t], unsigned
      out.push_back('['), put_udec(out, u64(0)), out.push_back(']');
      return ioctl_step::done;
    case 0x80204d01:  // MEMGETINFO: struct mtd_info_user
      out.append("{type="), put_enum(out, mtd_type_xlat, b[0]);
      out.append(", flags="), put_flags(out, mtd_flags_xlat, u32(4));
      out.append(", size="), put_hex(out, u32(8)), out.append(", erasesize="), put_hex(out, u32(12));
      out.append(", writesize="), put_hex(out, u32(16)), out.append(", oobsize="), put_hex(out, u32(20));
      out.append(", padding="), put_hex(out, u64(24));
      break;
    case 0x80c84d0a: {  // MEMGETOOBSEL: struct nand_oobinfo {u32 useecc, eccbytes, oobfree[8][2], eccpos[32]}
      out.append("{useecc="), put_enum(out, mtd_nandecc_xlat, u32(0));
      out.append(", eccbytes="), put_hex(out, u32(4));
      out.append(", oobfree=[");
      for (std::size_t k = 0; k < 8; ++k) {
        if (k) out.append(", ");
        put_mtd_xints(p, b + 8 + 8 * k, 2);
      }
      out.append("], eccpos="), put_mtd_xints(p, b + 72, 32);
      break;
    }
    case 0x81484d11: {  // ECCGETLAYOUT: struct nand_ecclayout_user {u32 eccbytes, eccpos[64],
                        // oobavail; struct nand_oobfree {u32 offset, length} oobfree[8]}
      out.append("{eccbytes="), put_hex(out, u32(0));
      out.append(", eccpos="), put_mtd_xints(p, b + 4, 64);
      out.append(", oobavail="), put_hex(out, u32(260));
      out.append(", oobfree=[");
      for (std::size_t k = 0; k < 8; ++k) {
        if (k) out.append(", ");
        out.append("{offset="), put_hex(out, u32(264 + 8 * k));
        out.append(", length="), put_hex(out, u32(268 + 8 * k)), out.push_back('}');
      }
      out.push_back(']');
      break;
    }
    case 0x80104d12:  // ECCGETSTATS: struct mtd_ecc_stats {u32 corrected, failed, badblocks, bbtblocks}
      out.append("{corrected="), put_hex(out, u32(0)), out.append(", failed="), put_hex(out, u32(4));
      out.append(", badblocks="), put_hex(out, u32(8)), out.append(", bbtblocks="), put_hex(out, u32(12));
      break;
    case 0xc0104d08:  // MEMGETREGIONINFO at entry: the index, the rest at exit
      out.append("{regionindex="), put_hex(out, u32(12));
      return ioctl_step::more;
    default:
      break;
  }
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
