// Defines how the ptrace backend reads and writes guest memory: process_vm_readv/writev,
// falling back to /proc/<tid>/mem (which also writes read-only mappings, as a debugger does).
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>

#include <snare/detail/posix.hpp>
#include <snare/detail/process_vm.hpp>
#include <snare/result.hpp>

namespace snare::backend::ptrace_detail {

inline result<std::size_t> proc_mem_io(pid_t tid, std::uint64_t address, void* buf, std::size_t len,
                                       bool write) noexcept {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/mem", tid);
  int fd = ::open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? std::errc::no_such_process : result<std::size_t>::from_errno(errno);
  std::size_t done = 0;
  while (done < len) {
    auto off = static_cast<off_t>(address + done);
    ssize_t n = write ? snare::detail::retry_eintr(
                            [&] { return ::pwrite(fd, static_cast<char*>(buf) + done, len - done, off); })
                      : snare::detail::retry_eintr(
                            [&] { return ::pread(fd, static_cast<char*>(buf) + done, len - done, off); });
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done == 0 && len != 0) return std::errc::bad_address;
  return done;
}

/// Reads up to out.size() bytes of thread `tid`'s memory at `address`; the count read, or
/// bad_address when nothing is readable, no_such_process when the thread is gone.
inline result<std::size_t> read_memory(pid_t tid, std::uint64_t address, std::span<std::byte> out) noexcept {
  auto n = snare::detail::process_vm_transfer(tid, address, out.data(), out.size(), false);
  if (n || n.error() == std::errc::no_such_process || n.error() == std::errc::bad_address) return n;
  return proc_mem_io(tid, address, out.data(), out.size(), false);  // process_vm_readv refused (EPERM)
}

/// Writes `in` into thread `tid`'s memory at `address`, read-only mappings included; the
/// count written, or bad_address when nothing could be written.
inline result<std::size_t> write_memory(pid_t tid, std::uint64_t address,
                                        std::span<const std::byte> in) noexcept {
  if (in.empty()) return std::size_t{0};
  auto n =
      snare::detail::process_vm_transfer(tid, address, const_cast<std::byte*>(in.data()), in.size(), true);
  if (n && *n == in.size()) return n;
  if (!n && n.error() == std::errc::no_such_process) return n;
  // Partial or refused (a read-only page): /proc/<tid>/mem writes through protections.
  return proc_mem_io(tid, address, const_cast<std::byte*>(in.data()), in.size(), true);
}

}  // namespace snare::backend::ptrace_detail
