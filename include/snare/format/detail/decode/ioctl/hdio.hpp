// Defines the decoder of the HDIO_* ioctls of linux/hdreg.h (strace's hdio.c and its
// generated defs/hdio.def): the geometry, the drive command and its reply, the identity
// blocks, and the setters and getters of one unsigned long.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// ATA commands (linux/ata.h; strace's xlat/hdio_drive_cmds.in).
inline constexpr xlat_entry hdio_drive_cmds_field[] = {
    {0x00, "ATA_CMD_NOP"},
    {0x03, "ATA_CMD_CFA_REQ_EXT_ERR"},
    {0x06, "ATA_CMD_DSM"},
    {0x08, "ATA_CMD_DEV_RESET"},
    {0x0B, "ATA_CMD_REQ_SENSE_DATA"},
    {0x10, "ATA_CMD_RESTORE"},
    {0x20, "ATA_CMD_PIO_READ"},
    {0x22, "ATA_CMD_READ_LONG"},
    {0x23, "ATA_CMD_READ_LONG_ONCE"},
    {0x24, "ATA_CMD_PIO_READ_EXT"},
    {0x25, "ATA_CMD_READ_EXT"},
    {0x26, "ATA_CMD_READ_QUEUED"},
    {0x27, "ATA_CMD_READ_NATIVE_MAX_EXT"},
    {0x29, "ATA_CMD_READ_MULTI_EXT"},
    {0x2A, "ATA_CMD_READ_STREAM_DMA_EXT"},
    {0x2B, "ATA_CMD_READ_STREAM_EXT"},
    {0x2F, "ATA_CMD_READ_LOG_EXT"},
    {0x30, "ATA_CMD_PIO_WRITE"},
    {0x32, "ATA_CMD_WRITE_LONG"},
    {0x33, "ATA_CMD_WRITE_LONG_ONCE"},
    {0x34, "ATA_CMD_PIO_WRITE_EXT"},
    {0x35, "ATA_CMD_WRITE_EXT"},
    {0x36, "ATA_CMD_WRITE_QUEUED"},
    {0x37, "ATA_CMD_SET_MAX_EXT"},
    {0x38, "ATA_CMD_CFA_WRITE_NE"},
    {0x39, "ATA_CMD_WRITE_MULTI_EXT"},
    {0x3A, "ATA_CMD_WRITE_STREAM_DMA_EXT"},
    {0x3B, "ATA_CMD_WRITE_STREAM_EXT"},
    {0x3D, "ATA_CMD_WRITE_FUA_EXT"},
    {0x3E, "ATA_CMD_WRITE_QUEUED_FUA_EXT"},
    {0x3F, "ATA_CMD_WRITE_LOG_EXT"},
    {0x40, "ATA_CMD_VERIFY"},
    {0x42, "ATA_CMD_VERIFY_EXT"},
    {0x45, "ATA_CMD_WRITE_UNCORR_EXT"},
    {0x47, "ATA_CMD_READ_LOG_DMA_EXT"},
    {0x4A, "ATA_CMD_ZAC_MGMT_IN"},
    {0x51, "ATA_CMD_CONFIG_STREAM"},
    {0x57, "ATA_CMD_WRITE_LOG_DMA_EXT"},
    {0x5B, "ATA_CMD_TRUSTED_NONDATA"},
    {0x5C, "ATA_CMD_TRUSTED_RCV"},
    {0x5D, "ATA_CMD_TRUSTED_RCV_DMA"},
    {0x5E, "ATA_CMD_TRUSTED_SND"},
    {0x5F, "ATA_CMD_TRUSTED_SND_DMA"},
    {0x60, "ATA_CMD_FPDMA_READ"},
    {0x61, "ATA_CMD_FPDMA_WRITE"},
    {0x63, "ATA_CMD_NCQ_NON_DATA"},
    {0x64, "ATA_CMD_FPDMA_SEND"},
    {0x65, "ATA_CMD_FPDMA_RECV"},
    {0x87, "ATA_CMD_CFA_TRANS_SECT"},
    {0x90, "ATA_CMD_EDD"},
    {0x91, "ATA_CMD_INIT_DEV_PARAMS"},
    {0x92, "ATA_CMD_DOWNLOAD_MICRO"},
    {0x93, "ATA_CMD_DOWNLOAD_MICRO_DMA"},
    {0x9F, "ATA_CMD_ZAC_MGMT_OUT"},
    {0xA0, "ATA_CMD_PACKET"},
    {0xA1, "ATA_CMD_ID_ATAPI"},
    {0xA2, "ATA_CMD_SERVICE"},
    {0xB0, "ATA_CMD_SMART"},
    {0xB1, "ATA_CMD_CONF_OVERLAY"},
    {0xB4, "ATA_CMD_SANITIZE_DEVICE"},
    {0xC0, "ATA_CMD_CFA_ERASE"},
    {0xC4, "ATA_CMD_READ_MULTI"},
    {0xC5, "ATA_CMD_WRITE_MULTI"},
    {0xC6, "ATA_CMD_SET_MULTI"},
    {0xC8, "ATA_CMD_READ"},
    {0xCA, "ATA_CMD_WRITE"},
    {0xCD, "ATA_CMD_CFA_WRITE_MULT_NE"},
    {0xCE, "ATA_CMD_WRITE_MULTI_FUA_EXT"},
    {0xD1, "ATA_CMD_CHK_MED_CRD_TYP"},
    {0xDE, "ATA_CMD_MEDIA_LOCK"},
    {0xDF, "ATA_CMD_MEDIA_UNLOCK"},
    {0xE0, "ATA_CMD_STANDBYNOW1"},
    {0xE1, "ATA_CMD_IDLEIMMEDIATE"},
    {0xE2, "ATA_CMD_STANDBY"},
    {0xE3, "ATA_CMD_IDLE"},
    {0xE4, "ATA_CMD_PMP_READ"},
    {0xE5, "ATA_CMD_CHK_POWER"},
    {0xE6, "ATA_CMD_SLEEP"},
    {0xE7, "ATA_CMD_FLUSH"},
    {0xE8, "ATA_CMD_PMP_WRITE"},
    {0xE9, "ATA_CMD_PMP_READ_DMA"},
    {0xEA, "ATA_CMD_FLUSH_EXT"},
    {0xEB, "ATA_CMD_PMP_WRITE_DMA"},
    {0xEC, "ATA_CMD_ID_ATA"},
    {0xEF, "ATA_CMD_SET_FEATURES"},
    {0xF1, "ATA_CMD_SEC_SET_PASS"},
    {0xF2, "ATA_CMD_SEC_UNLOCK"},
    {0xF3, "ATA_CMD_SEC_ERASE_PREP"},
    {0xF4, "ATA_CMD_SEC_ERASE_UNIT"},
    {0xF5, "ATA_CMD_SEC_FREEZE_LOCK"},
    {0xF6, "ATA_CMD_SEC_DISABLE_PASS"},
    {0xF8, "ATA_CMD_READ_NATIVE_MAX"},
    {0xF9, "ATA_CMD_SET_MAX"},
};
inline constexpr xlat hdio_drive_cmds_xlat{hdio_drive_cmds_field, ~std::uint64_t{0}, {}, {}, "ATA_CMD_???"};

/// The bus states of HDIO_{GET,SET}_BUSSTATE (linux/hdreg.h).
inline constexpr xlat_entry hdio_busstates_field[] = {
    {0, "BUSSTATE_OFF"},
    {1, "BUSSTATE_ON"},
    {2, "BUSSTATE_TRISTATE"},
};
inline constexpr xlat hdio_busstates_xlat{hdio_busstates_field, ~std::uint64_t{0}, {}, {}, "BUSSTATE_???"};

/// The nice flags of HDIO_{GET,SET}_NICE, bit numbers of linux/hdreg.h, in strace's order.
inline constexpr xlat_entry hdio_ide_nice_bits[] = {
    {1u << 0, "1 << IDE_NICE_DSC_OVERLAP"}, {1u << 1, "1 << IDE_NICE_ATAPI_OVERLAP"},
    {1u << 3, "1 << IDE_NICE_1"},           {1u << 2, "1 << IDE_NICE_0"},
    {1u << 4, "1 << IDE_NICE_2"},
};
inline constexpr xlat hdio_ide_nice_xlat{{}, 0, hdio_ide_nice_bits, "0", "IDE_NICE_???"};

/// The HDIO requests (linux/hdreg.h), sorted by number.
inline constexpr ioctl_entry hdio_ioctls[] = {
    {0x0301, "HDIO_GETGEO"},
    {0x0302, "HDIO_GET_UNMASKINTR", ioctl_shape::ulong_out},
    {0x0304, "HDIO_GET_MULTCOUNT", ioctl_shape::ulong_out},
    {0x0307, "HDIO_OBSOLETE_IDENTITY", ioctl_shape::bytes_out, nullptr, 142},
    {0x0308, "HDIO_GET_KEEPSETTINGS", ioctl_shape::ulong_out},
    {0x0309, "HDIO_GET_32BIT", ioctl_shape::ulong_out},
    {0x030a, "HDIO_GET_NOWERR", ioctl_shape::ulong_out},
    {0x030b, "HDIO_GET_DMA", ioctl_shape::ulong_out},
    {0x030c, "HDIO_GET_NICE", ioctl_shape::flags_ulong_out, &hdio_ide_nice_xlat},
    {0x030d, "HDIO_GET_IDENTITY", ioctl_shape::bytes_out, nullptr, 512},
    {0x030e, "HDIO_GET_WCACHE", ioctl_shape::ulong_out},
    {0x030f, "HDIO_GET_ACOUSTIC", ioctl_shape::ulong_out},
    {0x0310, "HDIO_GET_ADDRESS", ioctl_shape::ulong_out},
    {0x031a, "HDIO_GET_BUSSTATE", ioctl_shape::enum_ulong_out, &hdio_busstates_xlat},
    {0x031c, "HDIO_DRIVE_RESET", ioctl_shape::xint_array_in, nullptr, 3},
    {0x031f, "HDIO_DRIVE_CMD"},
    {0x0321, "HDIO_SET_MULTCOUNT", ioctl_shape::ulong_value},
    {0x0322, "HDIO_SET_UNMASKINTR", ioctl_shape::ulong_value},
    {0x0323, "HDIO_SET_KEEPSETTINGS", ioctl_shape::ulong_value},
    {0x0324, "HDIO_SET_32BIT", ioctl_shape::ulong_value},
    {0x0325, "HDIO_SET_NOWERR", ioctl_shape::ulong_value},
    {0x0326, "HDIO_SET_DMA", ioctl_shape::ulong_value},
    {0x0327, "HDIO_SET_PIO_MODE", ioctl_shape::ulong_value},
    {0x0328, "HDIO_SCAN_HWIF", ioctl_shape::xint_array_in, nullptr, 3},
    {0x0329, "HDIO_SET_NICE", ioctl_shape::flags64_value, &hdio_ide_nice_xlat},
    {0x032a, "HDIO_UNREGISTER_HWIF", ioctl_shape::ulong_value},
    {0x032b, "HDIO_SET_WCACHE", ioctl_shape::ulong_value},
    {0x032c, "HDIO_SET_ACOUSTIC", ioctl_shape::ulong_value},
    {0x032d, "HDIO_SET_BUSSTATE", ioctl_shape::enum64_value, &hdio_busstates_xlat},
    {0x032f, "HDIO_SET_ADDRESS", ioctl_shape::ulong_value},
};
static_assert(ioctl_table_sorted(hdio_ioctls), "hdio_ioctls must stay sorted by request");

/// Appends the struct hd_geometry at `addr`: {heads=, sectors=, cylinders=, start=}.
template <class P>
void put_hd_geometry(P& p, std::uint64_t addr) {
  struct {
    std::uint8_t heads, sectors;
    std::uint16_t cylinders;
    std::uint64_t start;
  } g;
  if (!p.read_obj(addr, g)) return put_ptr(p.out(), addr);
  p.out().push_back('{');
  field_sep f{p.out()};
  put_udec(f("heads"), g.heads);
  put_udec(f("sectors"), g.sectors);
  put_udec(f("cylinders"), g.cylinders);
  put_udec(f("start"), g.start);
  p.out().push_back('}');
}

/// HDIO_DRIVE_CMD: the command header at entry; at exit (after success or EIO) the reply
/// that replaced it, `=> {status=, error=, nsector=, buf=}` with sector_count sectors of
/// data in hex.
template <class P>
ioctl_step put_hdio_drive_cmd(P& p, std::uint64_t addr, bool exit) {
  std::string& out = p.out();
  std::uint8_t c[4];
  if (!exit) {
    if (!p.read_obj(addr, c)) return put_ptr(out, addr), ioctl_step::done;
    out.append("{command=");
    put_enum(out, hdio_drive_cmds_xlat, c[0]);
    out.append(", sector_number=");
    put_udec(out, c[1]);
    out.append(", feature=");
    put_udec(out, c[2]);
    out.append(", sector_count=");
    put_udec(out, c[3]);
    out.push_back('}');
    return ioctl_step::more;
  }
  constexpr std::int64_t eio = -5;
  if ((p.failed() && p.ret() != eio) || !p.read_obj(addr, c)) return ioctl_step::done;
  out.append(" => {status=");
  put_hex(out, c[0]);
  out.append(", error=");
  put_udec(out, c[1]);
  out.append(", nsector=");
  put_udec(out, c[2]);
  if (c[3] != 0) {
    out.append(", buf=");
    constexpr std::uint64_t sector_size = 512;
    std::uint64_t len = c[3] * sector_size;
    std::size_t fetch = static_cast<std::size_t>(std::min<std::uint64_t>(len, p.opts().string_limit + 1));
    if (!p.read_exact(addr + 4, fetch)) {
      put_hex(out, addr + 4);
    } else {
      std::string& s = scratch();
      s.resize(std::min<std::size_t>(s.size(), p.opts().string_limit));
      put_quoted(out, s, true);
      if (len > s.size()) out.append("...");
    }
  }
  out.push_back('}');
  return ioctl_step::done;
}

/// Prints the argument of HDIO request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_hdio_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(hdio_ioctls, code);
  if (!e) return ioctl_step::unknown;
  switch (code) {
    case 0x0301:  // HDIO_GETGEO
      if (!exit) return ioctl_step::more;
      if (p.failed()) return put_ptr(p.out(), arg), ioctl_step::done;
      return put_hd_geometry(p, arg), ioctl_step::done;
    case 0x031f:  // HDIO_DRIVE_CMD
      return put_hdio_drive_cmd(p, arg, exit);
    default:
      return put_ioctl_shape(p, *e, arg, exit);
  }
}

}  // namespace snare::format::detail
