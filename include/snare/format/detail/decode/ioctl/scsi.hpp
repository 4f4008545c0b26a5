// Defines the decoder of the SCSI generic ioctls of scsi/sg.h (strace's scsi.c and
// print_sg_req_info.c): ints by value and by pointer, the reset request, the device's SCSI
// id and the request table entry; SG_IO's structs by interface id (ioctl/sg_io.hpp).
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/ioctl/sg_io.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// SG_SCSI_RESET_* (scsi/sg.h): a value, and NO_ESCALATE beside it.
inline constexpr xlat_entry sg_scsi_reset_field[] = {
    {0, "SG_SCSI_RESET_NOTHING"}, {1, "SG_SCSI_RESET_DEVICE"}, {2, "SG_SCSI_RESET_BUS"},
    {3, "SG_SCSI_RESET_HOST"},    {4, "SG_SCSI_RESET_TARGET"}, {0x100, "SG_SCSI_RESET_NO_ESCALATE"}};
inline constexpr xlat sg_scsi_reset_xlat{sg_scsi_reset_field, ~std::uint64_t{0}, {}, {}, "SG_SCSI_RESET_???"};

/// The SCSI generic requests (_IO(0x22, nr): the number alone), sorted by number.
inline constexpr ioctl_entry scsi_ioctls[] = {
    {0x2201, "SG_SET_TIMEOUT", ioctl_shape::int_in},
    {0x2202, "SG_GET_TIMEOUT", ioctl_shape::none},
    {0x2203, "SG_EMULATED_HOST", ioctl_shape::int_out},
    {0x2204, "SG_SET_TRANSFORM"},
    {0x2205, "SG_GET_TRANSFORM", ioctl_shape::int_out},
    {0x2270, "SG_GET_COMMAND_Q", ioctl_shape::int_out},
    {0x2271, "SG_SET_COMMAND_Q", ioctl_shape::int_in},
    {0x2272, "SG_GET_RESERVED_SIZE", ioctl_shape::int_out},
    {0x2275, "SG_SET_RESERVED_SIZE", ioctl_shape::int_in},
    {0x2276, "SG_GET_SCSI_ID"},
    {0x2279, "SG_SET_FORCE_LOW_DMA", ioctl_shape::int_in},
    {0x227a, "SG_GET_LOW_DMA", ioctl_shape::int_out},
    {0x227b, "SG_SET_FORCE_PACK_ID", ioctl_shape::int_in},
    {0x227c, "SG_GET_PACK_ID", ioctl_shape::int_out},
    {0x227d, "SG_GET_NUM_WAITING", ioctl_shape::int_out},
    {0x227e, "SG_SET_DEBUG", ioctl_shape::int_in},
    {0x227f, "SG_GET_SG_TABLESIZE", ioctl_shape::int_out},
    {0x2282, "SG_GET_VERSION_NUM", ioctl_shape::int_out},
    {0x2283, "SG_NEXT_CMD_LEN", ioctl_shape::int_in},
    {0x2284, "SG_SCSI_RESET"},
    {0x2285, "SG_IO"},
    {0x2286, "SG_GET_REQUEST_TABLE"},
    {0x2287, "SG_SET_KEEP_ORPHAN", ioctl_shape::int_in},
    {0x2288, "SG_GET_KEEP_ORPHAN", ioctl_shape::int_out},
    {0x2289, "SG_GET_ACCESS_COUNT", ioctl_shape::int_out},
};
static_assert(ioctl_table_sorted(scsi_ioctls), "scsi_ioctls must stay sorted by request");

/// Prints the argument of SCSI generic request `code` at entry or exit (see ioctl_step), as
/// strace's scsi_ioctl: `unknown` for a request of another family.
template <class P>
ioctl_step put_scsi_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(scsi_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  switch (code) {
    case 0x2285: {  // SG_IO: the interface id picks the struct: 'S' sg_io_hdr, 'Q' sg_io_v4
      std::uint32_t iid;
      if (!p.read_obj(arg, iid)) return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
      if (iid == 'S') return put_sg_io_v3(p, arg, exit);
      if (iid == 'Q') return put_sg_io_v4(p, arg, exit);
      if (!exit) out.push_back('['), put_udec(out, iid), out.push_back(']');
      return ioctl_step::done;
    }
    case 0x2204:  // SG_SET_TRANSFORM: an unsigned int by value, in hex
      if (!exit) put_hex(out, static_cast<std::uint32_t>(arg));
      return ioctl_step::done;
    case 0x2284: {  // SG_SCSI_RESET: [value], NO_ESCALATE named beside it
      if (exit) return ioctl_step::done;
      std::uint32_t v;
      if (!p.read_obj(arg, v)) return put_ptr(out, arg), ioctl_step::done;
      out.push_back('[');
      if (v & 0x100) put_enum(out, sg_scsi_reset_xlat, 0x100), out.push_back('|');
      put_enum(out, sg_scsi_reset_xlat, v & ~0x100u);
      out.push_back(']');
      return ioctl_step::done;
    }
    case 0x2276:    // SG_GET_SCSI_ID: struct sg_scsi_id
    case 0x2286: {  // SG_GET_REQUEST_TABLE: struct sg_req_info
      if (!exit) return ioctl_step::more;
      if (p.failed()) return put_ptr(out, arg), ioctl_step::done;
      unsigned char b[32];
      if (!p.read_obj(arg, b)) return put_ptr(out, arg), ioctl_step::done;
      if (code == 0x2276) {
        out.append("{host_no="), put_dec(out, ioctl_field<std::int32_t>(b, 0));
        out.append(", channel="), put_dec(out, ioctl_field<std::int32_t>(b, 4));
        out.append(", scsi_id="), put_hex(out, ioctl_field<std::uint32_t>(b, 8));
        out.append(", lun="), put_dec(out, ioctl_field<std::int32_t>(b, 12));
        out.append(", scsi_type="), put_hex(out, ioctl_field<std::uint32_t>(b, 16));
        out.append(", h_cmd_per_lun="), put_dec(out, ioctl_field<std::int16_t>(b, 20));
        out.append(", d_queue_depth="), put_dec(out, ioctl_field<std::int16_t>(b, 22));
      } else {
        out.append("{req_state="), put_dec(out, static_cast<std::int8_t>(b[0]));
        out.append(", orphan="), put_dec(out, static_cast<std::int8_t>(b[1]));
        out.append(", sg_io_owned="), put_dec(out, static_cast<std::int8_t>(b[2]));
        out.append(", problem="), put_dec(out, static_cast<std::int8_t>(b[3]));
        out.append(", pack_id="), put_dec(out, ioctl_field<std::int32_t>(b, 4));
        out.append(", usr_ptr="), put_ptr(out, ioctl_field<std::uint64_t>(b, 8));
        out.append(", duration="), put_udec(out, ioctl_field<std::uint32_t>(b, 16));
      }
      out.push_back('}');
      return ioctl_step::done;
    }
    default:
      return ioctl_step::unknown;
  }
}

}  // namespace snare::format::detail
