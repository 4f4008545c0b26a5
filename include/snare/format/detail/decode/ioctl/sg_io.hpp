// Defines the decoder of SG_IO's two request structs (strace's sg_io_v3.c and sg_io_v4.c):
// struct sg_io_hdr of scsi/sg.h (interface id 'S') and struct sg_io_v4 of linux/bsg.h
// ('Q'), the request at entry and the response at exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// SG_DXFER_* of sg_io_hdr's dxfer_direction (scsi/sg.h: -1 .. -4).
inline constexpr xlat_entry sg_dxfer_field[] = {{0xffffffffu, "SG_DXFER_NONE"},
                                                {0xfffffffeu, "SG_DXFER_TO_DEV"},
                                                {0xfffffffdu, "SG_DXFER_FROM_DEV"},
                                                {0xfffffffcu, "SG_DXFER_TO_FROM_DEV"}};
inline constexpr xlat sg_dxfer_xlat{sg_dxfer_field, ~std::uint64_t{0}, {}, {}, "SG_DXFER_???"};
/// SG_FLAG_* (scsi/sg.h).
inline constexpr xlat_entry sg_flags_bits[] = {
    {0x1, "SG_FLAG_DIRECT_IO"},    {0x2, "SG_FLAG_UNUSED_LUN_INHIBIT"}, {0x4, "SG_FLAG_MMAP_IO"},
    {0x10000, "SG_FLAG_NO_DXFER"}, {0x10, "SG_FLAG_Q_AT_TAIL"},         {0x20, "SG_FLAG_Q_AT_HEAD"}};
inline constexpr xlat sg_flags_xlat{{}, 0, sg_flags_bits, "0", "SG_FLAG_???"};
/// SG_INFO_* (scsi/sg.h).
inline constexpr xlat_entry sg_info_bits[] = {
    {0x1, "SG_INFO_CHECK"}, {0x2, "SG_INFO_DIRECT_IO"}, {0x4, "SG_INFO_MIXED_IO"}};
inline constexpr xlat sg_info_xlat{{}, 0, sg_info_bits, "0", "SG_INFO_???"};
/// BSG_PROTOCOL_* and BSG_SUB_PROTOCOL_* (linux/bsg.h).
inline constexpr xlat_entry bsg_protocol_field[] = {{0, "BSG_PROTOCOL_SCSI"}};
inline constexpr xlat bsg_protocol_xlat{bsg_protocol_field, ~std::uint64_t{0}, {}, {}, "BSG_PROTOCOL_???"};
inline constexpr xlat_entry bsg_subprotocol_field[] = {{0, "BSG_SUB_PROTOCOL_SCSI_CMD"},
                                                       {1, "BSG_SUB_PROTOCOL_SCSI_TMF"},
                                                       {2, "BSG_SUB_PROTOCOL_SCSI_TRANSPORT"}};
inline constexpr xlat bsg_subprotocol_xlat{
    bsg_subprotocol_field, ~std::uint64_t{0}, {}, {}, "BSG_SUB_PROTOCOL_???"};
/// BSG_FLAG_* (linux/bsg.h).
inline constexpr xlat_entry bsg_flags_bits[] = {{0x10, "BSG_FLAG_Q_AT_TAIL"}, {0x20, "BSG_FLAG_Q_AT_HEAD"}};
inline constexpr xlat bsg_flags_xlat{{}, 0, bsg_flags_bits, "0", "BSG_FLAG_???"};

/// Appends an SG_IO data buffer of `size` bytes at `addr`: `count` iovecs sharing the
/// size when `count` is not 0, else the bytes in hex (strace's print_sg_io_buffer).
template <class P>
void put_sg_io_buffer(P& p, std::uint64_t addr, std::uint32_t size, std::uint32_t count) {
  std::string& out = p.out();
  if (count) {
    std::uint64_t budget = size;
    return put_iovecs(p, addr, count, budget);
  }
  if (addr == 0) return out.append("NULL"), void();
  std::size_t limit = p.opts().string_limit;
  auto shown = std::min<std::size_t>(size, limit);
  auto fetch = static_cast<std::size_t>(std::min<std::uint64_t>(size, std::uint64_t{limit} + 1));
  if (!p.read_exact(addr, fetch)) return put_hex(out, addr);
  scratch().resize(shown);
  put_quoted(out, scratch(), true);
  if (size > shown) out.append("...");
}

/// Prints struct sg_io_hdr (88 bytes: interface_id 0, dxfer_direction 4, cmd_len 8,
/// mx_sb_len 9, iovec_count 10, dxfer_len 12, dxferp 16, cmdp 24, sbp 32, timeout 40, flags
/// 44, status 64.., host_status 68, driver_status 70, resid 72, duration 76, info 80).
template <class P>
ioctl_step put_sg_io_v3(P& p, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  unsigned char b[88];
  auto u16 = [&](std::size_t off) { return ioctl_field<std::uint16_t>(b, off); };
  auto u32 = [&](std::size_t off) { return ioctl_field<std::uint32_t>(b, off); };
  auto u64 = [&](std::size_t off) { return ioctl_field<std::uint64_t>(b, off); };
  if (!exit) {
    out.append("{interface_id='S', ");
    if (!p.read_exact(arg + 4, sizeof b - 4))
      return put_hex(out, arg + 4), out.push_back('}'), ioctl_step::done;
    std::memcpy(b + 4, scratch().data(), sizeof b - 4);
    std::uint32_t dir = u32(4);
    out.append("dxfer_direction="), put_enum(out, sg_dxfer_xlat, dir);
    out.append(", cmd_len="), put_udec(out, b[8]);
    out.append(", cmdp="), put_sg_io_buffer(p, u64(24), b[8], 0);
    out.append(", mx_sb_len="), put_udec(out, b[9]);
    out.append(", iovec_count="), put_udec(out, u16(10));
    out.append(", dxfer_len="), put_udec(out, u32(12));
    out.append(", timeout="), put_udec(out, u32(40));
    out.append(", flags="), put_flags(out, sg_flags_xlat, u32(44));
    if (dir == 0xfffffffeu || dir == 0xfffffffcu)
      out.append(", dxferp="), put_sg_io_buffer(p, u64(16), u32(12), u16(10));
    return ioctl_step::more;
  }
  if (!p.read_obj(arg, b)) return ioctl_step::done;  // cut short at entry
  std::uint32_t dir = u32(4);
  if (dir == 0xfffffffdu || dir == 0xfffffffcu) {
    std::uint32_t din_len = u32(12);
    auto resid = ioctl_field<std::int32_t>(b, 72);
    if (resid > 0 && static_cast<std::uint32_t>(resid) <= din_len)
      din_len -= static_cast<std::uint32_t>(resid);
    if (dir == 0xfffffffdu || din_len) {
      out.append(dir == 0xfffffffdu ? ", " : " => ");
      out.append("dxferp="), put_sg_io_buffer(p, u64(16), din_len, u16(10));
    }
  }
  out.append(", status="), put_hex(out, b[64]);
  out.append(", masked_status="), put_hex(out, b[65]);
  out.append(", msg_status="), put_hex(out, b[66]);
  out.append(", sb_len_wr="), put_udec(out, b[67]);
  out.append(", sbp="), put_sg_io_buffer(p, u64(32), b[67], 0);
  out.append(", host_status="), put_hex(out, u16(68));
  out.append(", driver_status="), put_hex(out, u16(70));
  out.append(", resid="), put_dec(out, ioctl_field<std::int32_t>(b, 72));
  out.append(", duration="), put_udec(out, u32(76));
  out.append(", info="), put_flags(out, sg_info_xlat, u32(80));
  out.push_back('}');
  return ioctl_step::done;
}

/// Prints struct sg_io_v4 of linux/bsg.h (160 bytes; offsets in the code, checked against
/// the header by the tests).
template <class P>
ioctl_step put_sg_io_v4(P& p, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  unsigned char b[160];
  auto u32 = [&](std::size_t off) { return ioctl_field<std::uint32_t>(b, off); };
  auto u64 = [&](std::size_t off) { return ioctl_field<std::uint64_t>(b, off); };
  if (!exit) {
    out.append("{guard='Q', ");
    if (!p.read_exact(arg + 4, sizeof b - 4))
      return put_hex(out, arg + 4), out.push_back('}'), ioctl_step::done;
    std::memcpy(b + 4, scratch().data(), sizeof b - 4);
    out.append("protocol="), put_enum(out, bsg_protocol_xlat, u32(4));
    out.append(", subprotocol="), put_enum(out, bsg_subprotocol_xlat, u32(8));
    out.append(", request_len="), put_udec(out, u32(12));
    out.append(", request="), put_sg_io_buffer(p, u64(16), u32(12), 0);
    out.append(", request_tag="), put_hex(out, u64(24));
    out.append(", request_attr="), put_udec(out, u32(32));
    out.append(", request_priority="), put_udec(out, u32(36));
    out.append(", request_extra="), put_udec(out, u32(40));
    out.append(", max_response_len="), put_udec(out, u32(44));
    out.append(", dout_iovec_count="), put_udec(out, u32(56));
    out.append(", dout_xfer_len="), put_udec(out, u32(60));
    out.append(", din_iovec_count="), put_udec(out, u32(64));
    out.append(", din_xfer_len="), put_udec(out, u32(68));
    out.append(", dout_xferp="), put_sg_io_buffer(p, u64(72), u32(60), u32(56));
    out.append(", timeout="), put_udec(out, u32(88));
    out.append(", flags="), put_flags(out, bsg_flags_xlat, u32(92));
    out.append(", usr_ptr="), put_hex(out, u64(96));
    return ioctl_step::more;
  }
  if (!p.read_obj(arg, b)) return ioctl_step::done;  // cut short at entry
  std::uint32_t din_len = u32(68);
  auto din_resid = ioctl_field<std::int32_t>(b, 136);
  if (din_resid > 0 && static_cast<std::uint32_t>(din_resid) <= din_len)
    din_len -= static_cast<std::uint32_t>(din_resid);
  out.append(", response_len="), put_udec(out, u32(132));
  out.append(", response="), put_sg_io_buffer(p, u64(48), u32(132), 0);
  out.append(", din_xferp="), put_sg_io_buffer(p, u64(80), din_len, u32(64));
  out.append(", driver_status="), put_hex(out, u32(108));
  out.append(", transport_status="), put_hex(out, u32(112));
  out.append(", device_status="), put_hex(out, u32(116));
  out.append(", retry_delay="), put_udec(out, u32(120));
  out.append(", info="), put_flags(out, sg_info_xlat, u32(124));
  out.append(", duration="), put_udec(out, u32(128));
  out.append(", response_len="), put_udec(out, u32(132));
  out.append(", din_resid="), put_dec(out, din_resid);
  out.append(", dout_resid="), put_dec(out, ioctl_field<std::int32_t>(b, 140));
  out.append(", generated_tag="), put_hex(out, u64(144));
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
