// Defines the table of the network block device ioctls of linux/nbd.h (strace's
// nbd_ioctl.c): every argument is a plain value (a size, an fd, flags) or none.
#pragma once

#include <cstdint>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// NBD_FLAG_* the server sends and the client passes on (the NBD protocol; linux/nbd.h has
/// some of them).
inline constexpr xlat_entry nbd_flags_bits[] = {
    {1u << 0, "NBD_FLAG_HAS_FLAGS"},         {1u << 1, "NBD_FLAG_READ_ONLY"},
    {1u << 2, "NBD_FLAG_SEND_FLUSH"},        {1u << 3, "NBD_FLAG_SEND_FUA"},
    {1u << 4, "NBD_FLAG_ROTATIONAL"},        {1u << 5, "NBD_FLAG_SEND_TRIM"},
    {1u << 6, "NBD_FLAG_SEND_WRITE_ZEROES"}, {1u << 7, "NBD_FLAG_SEND_DF"},
    {1u << 8, "NBD_FLAG_CAN_MULTI_CONN"},    {1u << 9, "NBD_FLAG_SEND_RESIZE"},
    {1u << 10, "NBD_FLAG_SEND_CACHE"},
};
inline constexpr xlat nbd_flags_xlat{{}, 0, nbd_flags_bits, "0", "NBD_IOC_FLAG_???"};

/// The NBD requests (_IO(0xab, nr)), sorted by number.
inline constexpr ioctl_entry nbd_ioctls[] = {
    {0xab00, "NBD_SET_SOCK", ioctl_shape::fd},
    {0xab01, "NBD_SET_BLKSIZE", ioctl_shape::ulong_value},
    {0xab02, "NBD_SET_SIZE", ioctl_shape::ulong_value},
    {0xab03, "NBD_DO_IT", ioctl_shape::none},
    {0xab04, "NBD_CLEAR_SOCK", ioctl_shape::none},
    {0xab05, "NBD_CLEAR_QUE", ioctl_shape::none},
    {0xab06, "NBD_PRINT_DEBUG", ioctl_shape::none},
    {0xab07, "NBD_SET_SIZE_BLOCKS", ioctl_shape::ulong_value},
    {0xab08, "NBD_DISCONNECT", ioctl_shape::none},
    {0xab09, "NBD_SET_TIMEOUT", ioctl_shape::ulong_value},
    {0xab0a, "NBD_SET_FLAGS", ioctl_shape::flags_value, &nbd_flags_xlat},
};
static_assert(ioctl_table_sorted(nbd_ioctls), "nbd_ioctls must stay sorted by request");

}  // namespace snare::format::detail
