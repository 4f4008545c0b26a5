// Defines the decoder of the userfaultfd ioctls of linux/userfaultfd.h (strace's
// userfaultfd.c): the API handshake, registering and unregistering ranges, copying,
// zero-filling and waking.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// UFFD_FEATURE_* (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_features_bits[] = {
    {1u << 0, "UFFD_FEATURE_PAGEFAULT_FLAG_WP"},   {1u << 1, "UFFD_FEATURE_EVENT_FORK"},
    {1u << 2, "UFFD_FEATURE_EVENT_REMAP"},         {1u << 3, "UFFD_FEATURE_EVENT_REMOVE"},
    {1u << 4, "UFFD_FEATURE_MISSING_HUGETLBFS"},   {1u << 5, "UFFD_FEATURE_MISSING_SHMEM"},
    {1u << 6, "UFFD_FEATURE_EVENT_UNMAP"},         {1u << 7, "UFFD_FEATURE_SIGBUS"},
    {1u << 8, "UFFD_FEATURE_THREAD_ID"},           {1u << 9, "UFFD_FEATURE_MINOR_HUGETLBFS"},
    {1u << 10, "UFFD_FEATURE_MINOR_SHMEM"},        {1u << 11, "UFFD_FEATURE_EXACT_ADDRESS"},
    {1u << 12, "UFFD_FEATURE_WP_HUGETLBFS_SHMEM"},
};
inline constexpr xlat uffd_features_xlat{{}, 0, uffd_features_bits, "0", "UFFD_FEATURE_???"};
/// 1<<_UFFDIO_*: the requests UFFDIO_API says the fd takes (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_api_ioctls_bits[] = {{1ull << 0x00, "1<<_UFFDIO_REGISTER"},
                                                      {1ull << 0x01, "1<<_UFFDIO_UNREGISTER"},
                                                      {1ull << 0x3f, "1<<_UFFDIO_API"}};
inline constexpr xlat uffd_api_ioctls_xlat{{}, 0, uffd_api_ioctls_bits, "0", "_UFFDIO_???"};
/// 1<<_UFFDIO_*: the requests a registered range takes (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_register_ioctls_bits[] = {{1u << 0x02, "1<<_UFFDIO_WAKE"},
                                                           {1u << 0x03, "1<<_UFFDIO_COPY"},
                                                           {1u << 0x04, "1<<_UFFDIO_ZEROPAGE"},
                                                           {1u << 0x06, "1<<_UFFDIO_WRITEPROTECT"},
                                                           {1u << 0x07, "1<<_UFFDIO_CONTINUE"}};
inline constexpr xlat uffd_register_ioctls_xlat{{}, 0, uffd_register_ioctls_bits, "0", "UFFDIO_???"};
/// UFFDIO_REGISTER_MODE_* (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_register_mode_bits[] = {
    {1, "UFFDIO_REGISTER_MODE_MISSING"}, {2, "UFFDIO_REGISTER_MODE_WP"}, {4, "UFFDIO_REGISTER_MODE_MINOR"}};
inline constexpr xlat uffd_register_mode_xlat{
    {}, 0, uffd_register_mode_bits, "0", "UFFDIO_REGISTER_MODE_???"};
/// UFFDIO_COPY_MODE_* (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_copy_mode_bits[] = {{1, "UFFDIO_COPY_MODE_DONTWAKE"},
                                                     {2, "UFFDIO_COPY_MODE_WP"}};
inline constexpr xlat uffd_copy_mode_xlat{{}, 0, uffd_copy_mode_bits, "0", "UFFDIO_COPY_???"};
/// UFFDIO_ZEROPAGE_MODE_* (linux/userfaultfd.h).
inline constexpr xlat_entry uffd_zeropage_mode_bits[] = {{1, "UFFDIO_ZEROPAGE_MODE_DONTWAKE"}};
inline constexpr xlat uffd_zeropage_mode_xlat{{}, 0, uffd_zeropage_mode_bits, "0", "UFFDIO_ZEROPAGE_???"};

/// The userfaultfd requests (_IO*(0xaa, nr)), sorted by number; n is the struct's size.
inline constexpr ioctl_entry uffdio_ioctls[] = {
    {0x8010aa01, "UFFDIO_UNREGISTER", ioctl_shape::custom, nullptr, 16},
    {0x8010aa02, "UFFDIO_WAKE", ioctl_shape::custom, nullptr, 16},
    {0xc018aa3f, "UFFDIO_API", ioctl_shape::custom, nullptr, 24},
    {0xc020aa00, "UFFDIO_REGISTER", ioctl_shape::custom, nullptr, 32},
    {0xc020aa04, "UFFDIO_ZEROPAGE", ioctl_shape::custom, nullptr, 32},
    {0xc028aa03, "UFFDIO_COPY", ioctl_shape::custom, nullptr, 40},
};
static_assert(ioctl_table_sorted(uffdio_ioctls), "uffdio_ioctls must stay sorted by request");

/// Prints the argument of userfaultfd request `code` at entry or exit (see ioctl_step), as
/// strace's uffdio_ioctl: the struct at entry, what the kernel wrote back after a success.
/// strace prints UFFDIO_API's features at exit only when they changed; with no state kept
/// between the two calls, this decoder prints them after every success.
template <class P>
ioctl_step put_uffdio_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  const ioctl_entry* e = find_ioctl_entry(uffdio_ioctls, code);
  if (!e) return ioctl_step::unknown;
  std::string& out = p.out();
  std::uint64_t u[5];
  auto range = [&] {
    out.append("{start="), put_hex(out, u[0]), out.append(", len="), put_hex(out, u[1]), out.push_back('}');
  };
  bool range_only = code == 0x8010aa01 || code == 0x8010aa02;
  if (exit) {
    if (range_only) return ioctl_step::done;
    if (!p.read_exact(arg, e->n)) return ioctl_step::done;  // its address was printed at entry
    if (!p.failed()) {
      std::memcpy(u, scratch().data(), e->n);
      switch (code) {
        case 0xc018aa3f:  // UFFDIO_API
          out.append(" => features="), put_flags(out, uffd_features_xlat, u[1]);
          out.append(", ioctls="), put_flags(out, uffd_api_ioctls_xlat, u[2]);
          break;
        case 0xc020aa00:  // UFFDIO_REGISTER
          out.append(", ioctls="), put_flags(out, uffd_register_ioctls_xlat, u[3]);
          break;
        case 0xc020aa04:  // UFFDIO_ZEROPAGE
          out.append(", zeropage="), put_hex(out, u[3]);
          break;
        default:  // UFFDIO_COPY
          out.append(", copy="), put_hex(out, u[4]);
          break;
      }
    }
    out.push_back('}');
    return ioctl_step::done;
  }
  if (!p.read_exact(arg, e->n)) return put_ptr(out, arg), ioctl_step::done;
  std::memcpy(u, scratch().data(), e->n);
  switch (code) {
    case 0x8010aa01:  // UFFDIO_UNREGISTER
    case 0x8010aa02:  // UFFDIO_WAKE: struct uffdio_range
      range();
      return ioctl_step::done;
    case 0xc018aa3f:  // UFFDIO_API: struct uffdio_api {api, features, ioctls}
      out.append("{api="), put_hex(out, u[0]), out.append(", features="),
          put_flags(out, uffd_features_xlat, u[1]);
      break;
    case 0xc020aa00:  // UFFDIO_REGISTER: struct uffdio_register {range, mode, ioctls}
      out.append("{range="), range(), out.append(", mode="), put_flags(out, uffd_register_mode_xlat, u[2]);
      break;
    case 0xc020aa04:  // UFFDIO_ZEROPAGE: struct uffdio_zeropage {range, mode, zeropage}
      out.append("{range="), range(), out.append(", mode="), put_flags(out, uffd_zeropage_mode_xlat, u[2]);
      break;
    default:  // UFFDIO_COPY: struct uffdio_copy {dst, src, len, mode, copy}
      out.append("{dst="), put_hex(out, u[0]), out.append(", src="), put_hex(out, u[1]);
      out.append(", len="), put_hex(out, u[2]), out.append(", mode="),
          put_flags(out, uffd_copy_mode_xlat, u[3]);
      break;
  }
  return ioctl_step::more;
}

}  // namespace snare::format::detail
