// Defines the thin layer over /dev/kvm the hypercall backend uses: an owning fd, checked
// ioctls, a raw host syscall, and a probe that says whether KVM is usable here and why not.
#pragma once

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/host/detail/probe.hpp>
#include <snare/result.hpp>

namespace snare::backend::hypercall_detail {

/// Host fds the VM owns are moved at or above this number so that a guest, whose
/// syscalls run in the host process, does not stumble on them by accident.
inline constexpr int reserved_fd_floor = 900;

using snare::detail::unique_fd;

/// Moves `fd` to a number >= reserved_fd_floor with close-on-exec; closes the original.
inline result<unique_fd> move_high(int fd) noexcept {
  if (fd < 0) return result<unique_fd>::from_errno(errno);
  int high = ::fcntl(fd, F_DUPFD_CLOEXEC, reserved_fd_floor);
  int err = errno;
  ::close(fd);
  if (high < 0) return result<unique_fd>::from_errno(err);
  return unique_fd(high);
}

// <linux/kvm.h> declares kvm_cpuid2 and kvm_msrs with __DECLARE_FLEX_ARRAY, which in C++
// adds an empty struct: sizeof grows from 8 to 12/16 and the entries move, so both the
// layouts and the ioctl numbers (which encode the size) come out wrong. These are the C
// layouts and numbers.

/// The 8-byte header of kvm_cpuid2 / kvm_msrs as C lays it out.
struct kvm_array_head {
  std::uint32_t count = 0;
  std::uint32_t padding = 0;
};
static_assert(sizeof(kvm_array_head) == 8);

/// kvm_cpuid2 with room for N entries.
template <std::size_t N>
struct kvm_cpuid_table {
  kvm_array_head head;
  kvm_cpuid_entry2 entries[N];
};
/// kvm_msrs with room for N entries.
template <std::size_t N>
struct kvm_msr_table {
  kvm_array_head head;
  kvm_msr_entry entries[N];
};

inline constexpr unsigned long ioctl_get_supported_cpuid = _IOWR(KVMIO, 0x05, kvm_array_head);
inline constexpr unsigned long ioctl_set_cpuid2 = _IOW(KVMIO, 0x90, kvm_array_head);
inline constexpr unsigned long ioctl_set_msrs = _IOW(KVMIO, 0x89, kvm_array_head);
inline constexpr unsigned long ioctl_get_msrs = _IOWR(KVMIO, 0x88, kvm_array_head);

/// Runs ioctl(fd, req, arg) with EINTR retry; returns its non-negative value or the errno.
template <class Arg>
result<int> kvm_ioctl(int fd, unsigned long req, Arg arg) noexcept {
  return snare::detail::checked([&] { return ::ioctl(fd, req, arg); });
}

/// Performs one raw x86-64 system call in the host process and returns the kernel's value
/// (-errno on failure, as the guest expects it; no errno involved).
inline long host_syscall(long nr, std::uint64_t a0, std::uint64_t a1, std::uint64_t a2, std::uint64_t a3,
                         std::uint64_t a4, std::uint64_t a5) noexcept {
  long ret;
  register std::uint64_t r10 asm("r10") = a3;
  register std::uint64_t r8 asm("r8") = a4;
  register std::uint64_t r9 asm("r9") = a5;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

/// Says whether /dev/kvm is PVM (the kvm_pvm module: a software hypervisor that runs
/// guests without hardware virtualisation, found on nested cloud machines).
inline bool kvm_is_pvm() noexcept {
  return snare::detail::host::detect_kvm_flavour() == snare::detail::host::kvm_flavour::pvm;
}

}  // namespace snare::backend::hypercall_detail
