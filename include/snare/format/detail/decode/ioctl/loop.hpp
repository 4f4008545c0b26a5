// Defines the decoder of the loop device ioctls of linux/loop.h (strace's loop.c): struct
// loop_info and loop_info64 (abbreviated unless verbose), struct loop_config, fds and
// numbers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// LO_CRYPT_* (linux/loop.h).
inline constexpr xlat_entry loop_crypt_types_field[] = {
    {0, "LO_CRYPT_NONE"},      {1, "LO_CRYPT_XOR"},        {2, "LO_CRYPT_DES"},  {3, "LO_CRYPT_FISH2"},
    {4, "LO_CRYPT_BLOW"},      {5, "LO_CRYPT_CAST128"},    {6, "LO_CRYPT_IDEA"}, {9, "LO_CRYPT_DUMMY"},
    {10, "LO_CRYPT_SKIPJACK"}, {18, "LO_CRYPT_CRYPTOAPI"},
};
inline constexpr xlat loop_crypt_types_xlat{
    loop_crypt_types_field, ~std::uint64_t{0}, {}, {}, "LO_CRYPT_???"};

/// LO_FLAGS_* (linux/loop.h; LO_FLAGS_USE_AOPS of kernels before 3.2).
inline constexpr xlat_entry loop_flags_bits[] = {
    {1, "LO_FLAGS_READ_ONLY"}, {2, "LO_FLAGS_USE_AOPS"},   {4, "LO_FLAGS_AUTOCLEAR"},
    {8, "LO_FLAGS_PARTSCAN"},  {16, "LO_FLAGS_DIRECT_IO"},
};
inline constexpr xlat loop_flags_xlat{{}, 0, loop_flags_bits, "0", "LO_FLAGS_???"};

/// The loop requests (linux/loop.h), sorted by number.
inline constexpr ioctl_entry loop_ioctls[] = {
    {0x4c00, "LOOP_SET_FD", ioctl_shape::fd},
    {0x4c01, "LOOP_CLR_FD", ioctl_shape::none},
    {0x4c02, "LOOP_SET_STATUS"},
    {0x4c03, "LOOP_GET_STATUS"},
    {0x4c04, "LOOP_SET_STATUS64"},
    {0x4c05, "LOOP_GET_STATUS64"},
    {0x4c06, "LOOP_CHANGE_FD", ioctl_shape::fd},
    {0x4c07, "LOOP_SET_CAPACITY", ioctl_shape::none},
    {0x4c08, "LOOP_SET_DIRECT_IO", ioctl_shape::ulong_value},
    {0x4c09, "LOOP_SET_BLOCK_SIZE", ioctl_shape::ulong_value},
    {0x4c0a, "LOOP_CONFIGURE"},
    {0x4c80, "LOOP_CTL_ADD", ioctl_shape::int_value},
    {0x4c81, "LOOP_CTL_REMOVE", ioctl_shape::int_value},
    {0x4c82, "LOOP_CTL_GET_FREE", ioctl_shape::none},
};
static_assert(ioctl_table_sorted(loop_ioctls), "loop_ioctls must stay sorted by request");

/// Appends a device number as strace's PRINT_FIELD_DEV: makedev(major, minor), each cut to
/// the unsigned int glibc's major() and minor() return.
inline void put_loop_dev(std::string& out, std::uint64_t dev) {
  auto major = static_cast<std::uint32_t>(((dev >> 8) & 0xfff) | ((dev >> 32) & ~std::uint64_t{0xfff}));
  auto minor = static_cast<std::uint32_t>((dev & 0xff) | ((dev >> 12) & ~std::uint64_t{0xff}));
  out.append("makedev(");
  put_hex(out, major);
  out.append(", ");
  put_hex(out, minor);
  out.push_back(')');
}

/// Appends the u64 array of `n` at `a` in hex: [0x1, 0x2].
inline void put_loop_xarray(std::string& out, const unsigned char* a, std::size_t n, std::size_t size) {
  out.push_back('[');
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    std::uint64_t v = 0;
    std::memcpy(&v, a + i * size, size);
    put_hex(out, v);
  }
  out.push_back(']');
}

/// Appends the encryption key: key_size bytes of it (at most 32), quoted.
inline void put_loop_key(std::string& out, const unsigned char* key, std::int64_t key_size) {
  auto n = static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint32_t>(key_size), 32));
  put_quoted(out, std::span<const unsigned char>(key, n));
}

/// Appends a struct loop_info (168 bytes on x86-64).
template <class P>
void put_loop_info(P& p, const unsigned char* i) {
  std::string& out = p.out();
  const bool verbose = p.opts().verbose;
  auto encrypt_type = ioctl_field<std::int32_t>(i, 36);
  out.append("{lo_number="), put_dec(out, ioctl_field<std::int32_t>(i, 0));
  if (verbose) {
    out.append(", lo_device="), put_loop_dev(out, ioctl_field<std::uint64_t>(i, 8));
    out.append(", lo_inode="), put_udec(out, ioctl_field<std::uint64_t>(i, 16));
    out.append(", lo_rdevice="), put_loop_dev(out, ioctl_field<std::uint64_t>(i, 24));
  }
  out.append(", lo_offset="), put_hex(out, ioctl_field<std::uint32_t>(i, 32));
  if (verbose || encrypt_type != 0) {
    out.append(", lo_encrypt_type="),
        put_enum(out, loop_crypt_types_xlat, static_cast<std::uint32_t>(encrypt_type));
    out.append(", lo_encrypt_key_size="), put_udec(out, ioctl_field<std::uint32_t>(i, 40));
  }
  out.append(", lo_flags="), put_flags(out, loop_flags_xlat, ioctl_field<std::uint32_t>(i, 44));
  out.append(", lo_name="), put_ioctl_cstring(p, i + 48, 64);
  if (verbose || encrypt_type != 0)
    out.append(", lo_encrypt_key="), put_loop_key(out, i + 112, ioctl_field<std::int32_t>(i, 40));
  if (verbose) {
    out.append(", lo_init="), put_loop_xarray(out, i + 144, 2, 8);
    out.append(", reserved="), put_loop_xarray(out, i + 160, 4, 1);
  } else {
    out.append(", ...");
  }
  out.push_back('}');
}

/// Appends a struct loop_info64 (232 bytes).
template <class P>
void put_loop_info64(P& p, const unsigned char* i) {
  std::string& out = p.out();
  const bool verbose = p.opts().verbose;
  auto encrypt_type = ioctl_field<std::uint32_t>(i, 44);
  if (verbose) {
    out.append("{lo_device="), put_loop_dev(out, ioctl_field<std::uint64_t>(i, 0));
    out.append(", lo_inode="), put_udec(out, ioctl_field<std::uint64_t>(i, 8));
    out.append(", lo_rdevice="), put_loop_dev(out, ioctl_field<std::uint64_t>(i, 16));
    out.append(", lo_offset="), put_hex(out, ioctl_field<std::uint64_t>(i, 24));
    out.append(", lo_sizelimit="), put_udec(out, ioctl_field<std::uint64_t>(i, 32));
    out.append(", lo_number="), put_udec(out, ioctl_field<std::uint32_t>(i, 40));
  } else {
    out.append("{lo_offset="), put_hex(out, ioctl_field<std::uint64_t>(i, 24));
    out.append(", lo_number="), put_udec(out, ioctl_field<std::uint32_t>(i, 40));
  }
  if (verbose || encrypt_type != 0) {
    out.append(", lo_encrypt_type="), put_enum(out, loop_crypt_types_xlat, encrypt_type);
    out.append(", lo_encrypt_key_size="), put_udec(out, ioctl_field<std::uint32_t>(i, 48));
  }
  out.append(", lo_flags="), put_flags(out, loop_flags_xlat, ioctl_field<std::uint32_t>(i, 52));
  out.append(", lo_file_name="), put_ioctl_cstring(p, i + 56, 64);
  if (verbose || encrypt_type != 0) {
    out.append(", lo_crypt_name="), put_ioctl_cstring(p, i + 120, 64);
    out.append(", lo_encrypt_key="), put_loop_key(out, i + 184, ioctl_field<std::int32_t>(i, 48));
  }
  if (verbose)
    out.append(", lo_init="), put_loop_xarray(out, i + 216, 2, 8);
  else
    out.append(", ...");
  out.push_back('}');
}

/// Prints the argument of loop request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_loop_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(loop_ioctls, code);
  if (!e) return ioctl_step::unknown;
  if (e->shape != ioctl_shape::custom) return put_ioctl_shape(p, *e, arg, exit);
  std::string& out = p.out();
  const bool get = code == 0x4c03 || code == 0x4c05;  // the kernel fills these in
  if (get && !exit) return ioctl_step::more;
  if (!get && exit) return ioctl_step::done;
  if (get && p.failed()) return put_ptr(out, arg), ioctl_step::done;
  const std::size_t size = code == 0x4c0a ? 304 : (code == 0x4c02 || code == 0x4c03) ? 168 : 232;
  if (!p.read_exact(arg, size)) return put_ptr(out, arg), ioctl_step::done;
  unsigned char b[304];
  std::memcpy(b, scratch().data(), size);
  if (size == 168) {
    put_loop_info(p, b);
  } else if (size == 232) {
    put_loop_info64(p, b);
  } else {  // struct loop_config: fd, block_size, info (loop_info64), __reserved[8]
    out.append("{fd="), p.put_fd(ioctl_field<std::int32_t>(b, 0));
    out.append(", block_size="), put_udec(out, ioctl_field<std::uint32_t>(b, 4));
    out.append(", info="), put_loop_info64(p, b + 8);
    bool zero = std::all_of(b + 240, b + 304, [](unsigned char c) { return c == 0; });
    if (!zero) out.append(", __reserved="), put_loop_xarray(out, b + 240, 8, 8);
    out.push_back('}');
  }
  return ioctl_step::done;
}

}  // namespace snare::format::detail
