// Defines snare::format::process_memory, a guest_memory over a live process read with
// process_vm_readv, and self_memory() for the calling process (tests format calls that
// point into real structs with it).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include <snare/detail/process_vm.hpp>
#include <snare/memory.hpp>
#include <snare/result.hpp>

namespace snare::format {

/// Reads the memory of process `pid` with process_vm_readv (needs ptrace access to it, or
/// be the process itself). A model of snare::guest_memory.
class process_memory {
 public:
  /// Reads the memory of `pid`.
  explicit process_memory(pid_t pid) noexcept : pid_(pid) {}

  /// Reads up to `out.size()` bytes at `address`; returns the count read (short when the
  /// range runs into unmapped memory) or bad_address when nothing is readable, or the
  /// errno of process_vm_readv for other failures (ESRCH, EPERM).
  result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    return snare::detail::process_vm_transfer(pid_, address, out.data(), out.size(), false);
  }

  /// Returns the process read.
  pid_t pid() const noexcept { return pid_; }

 private:
  pid_t pid_;
};

/// Returns a process_memory reading the calling process itself.
inline process_memory self_memory() noexcept { return process_memory(::getpid()); }

}  // namespace snare::format
