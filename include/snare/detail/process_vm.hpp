// Defines snare::detail::process_vm_transfer: the one place snare moves bytes between its
// own memory and a guest's with process_vm_readv/writev (process_vm_readv(2)).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <snare/detail/posix.hpp>
#include <snare/result.hpp>

namespace snare::detail {

/// Moves up to `size` bytes between `local` and thread or process `tid`'s memory at
/// `address` (guest -> local when !write) in one call, EINTR retried. Returns the count
/// moved (short when the range runs into unmapped memory); bad_address when nothing moved
/// (the first byte is unmapped), no_such_process when `tid` is gone, else the errno (EPERM:
/// no ptrace access to it).
inline result<std::size_t> process_vm_transfer(pid_t tid, std::uint64_t address, std::byte* local,
                                               std::size_t size, bool write) noexcept {
  if (size == 0) return std::size_t{0};
  iovec l{local, size};
  iovec r{reinterpret_cast<void*>(static_cast<std::uintptr_t>(address)), size};
  auto n = checked([&] {
    return write ? ::process_vm_writev(tid, &l, 1, &r, 1, 0) : ::process_vm_readv(tid, &l, 1, &r, 1, 0);
  });
  if (!n) return n.error();
  if (*n == 0) return std::errc::bad_address;
  return static_cast<std::size_t>(*n);
}

/// As process_vm_transfer, and when the whole range faults, again page by page so that the
/// bytes before the first unmapped page still move.
inline result<std::size_t> process_vm_transfer_pages(pid_t tid, std::uint64_t address, std::byte* local,
                                                     std::size_t size, bool write) noexcept {
  constexpr std::size_t page_size = 4096;
  auto whole = process_vm_transfer(tid, address, local, size, write);
  if (whole || whole.error() != std::errc::bad_address) return whole;
  std::size_t done = 0;
  while (done < size) {
    std::size_t chunk = std::min<std::size_t>(size - done, page_size - ((address + done) & (page_size - 1)));
    auto n = process_vm_transfer(tid, address + done, local + done, chunk, write);
    if (!n) break;
    done += *n;
    if (*n < chunk) break;
  }
  if (done == 0) return std::errc::bad_address;
  return done;
}

}  // namespace snare::detail
