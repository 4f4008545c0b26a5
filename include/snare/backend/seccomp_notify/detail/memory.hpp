// Defines notif_memory: guest memory access for one pending notification, through
// process_vm_readv/writev, checked against SECCOMP_IOCTL_NOTIF_ID_VALID so that a pid the
// kernel recycled after the guest died is never read as if it were the guest.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

#include <snare/backend/seccomp_notify/detail/abi.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/process_vm.hpp>
#include <snare/result.hpp>

namespace snare::detail::seccomp {

/// Reads and writes the memory of the task that sent notification `id`. A model of
/// snare::guest_memory. Errors: bad_address when nothing at the address is mapped,
/// no_such_process when the notification is no longer pending (the task died, or a signal
/// interrupted its syscall): then no byte read is handed out and nothing is written.
class notif_memory {
 public:
  notif_memory(int listener, std::uint64_t id, pid_t tid) noexcept
      : listener_(listener), id_(id), tid_(tid) {}

  /// Reads up to out.size() bytes at `address`; returns the count (short when the range runs
  /// into unmapped memory).
  result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) const noexcept {
    auto n = transfer(address, out.data(), out.size(), /*write=*/false);
    // Validate after the read: if the id is still pending, the task was alive and blocked
    // for the whole read, so the pid named it. Reading first and checking after is the order
    // seccomp_unotify(2) prescribes.
    if (!notif_id_valid(listener_, id_)) return std::errc::no_such_process;
    return n;
  }

  /// Writes in.size() bytes at `address`; returns the count written (short at unmapped
  /// memory). The id is checked before and after the write; see docs/seccomp_notify.md for
  /// the window that remains.
  result<std::size_t> write_bytes(std::uint64_t address, std::span<const std::byte> in) const noexcept {
    if (!notif_id_valid(listener_, id_)) return std::errc::no_such_process;
    auto n = transfer(address, const_cast<std::byte*>(in.data()), in.size(), /*write=*/true);
    if (!notif_id_valid(listener_, id_)) return std::errc::no_such_process;
    return n;
  }

  /// Returns the thread id this memory belongs to.
  pid_t tid() const noexcept { return tid_; }
  /// Returns the notification id the accesses are checked against.
  std::uint64_t id() const noexcept { return id_; }

 private:
  // One call for the whole range; when that faults, page by page so that the bytes before
  // the first unmapped page are still delivered. Errors other than a gone thread read as
  // bad_address (the guest's pointer, not the tracer, is at fault).
  result<std::size_t> transfer(std::uint64_t address, std::byte* local, std::size_t size,
                               bool write) const noexcept {
    auto n = process_vm_transfer_pages(tid_, address, local, size, write);
    if (!n && n.error() != std::errc::no_such_process) return std::errc::bad_address;
    return n;
  }

  int listener_;
  std::uint64_t id_;
  pid_t tid_;
};

}  // namespace snare::detail::seccomp
