// Defines the kernel ABI of seccomp user notification that snare uses: the constants older
// uapi headers lack (Linux 6.6 SYNC_WAKE_UP), an owning fd, and the listener's ioctls.
#pragma once

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/result.hpp>

// Debian bookworm's uapi headers are from Linux 6.1; these arrived in 6.6 (SET_FLAGS) and 5.9/5.14
// (ADDFD, ADDFD_FLAG_SEND). The values are the kernel's ABI and never change.
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)  // Linux 5.19
#endif

namespace snare::detail::seccomp {

// unique_fd: snare::detail::unique_fd (snare/detail/unique_fd.hpp), found from this namespace.

/// One raw ioctl on the listener, with EINTR retry; the errno as a result on failure.
template <class T>
inline result<int> listener_ioctl(int fd, unsigned long request, T* arg) noexcept {
  return checked([&] { return ::ioctl(fd, request, arg); });
}

/// Receives the next pending notification (blocks unless the fd is polled first). ENOENT
/// means the notification vanished between poll and receive (its task died or was
/// signalled); the caller just polls again.
inline result<void> notif_recv(int listener, seccomp_notif& out) noexcept {
  out = {};  // the kernel rejects a non-zeroed buffer with EINVAL
  auto r = listener_ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &out);
  if (!r) return r.error();
  return {};
}

/// Sends the answer to notification `resp.id`. ENOENT means the task is gone or its
/// syscall was interrupted by a signal: the answer is dropped, which is not an error of the
/// supervisor.
inline result<void> notif_send(int listener, seccomp_notif_resp& resp) noexcept {
  auto r = listener_ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
  if (!r) return r.error();
  return {};
}

/// Returns whether notification `id` is still pending: its task still waits in that
/// syscall, so a pid read from the notification still names the same task.
inline bool notif_id_valid(int listener, std::uint64_t id) noexcept {
  return static_cast<bool>(listener_ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id));
}

/// Installs `fd` into the task of notification `id` and returns the guest's fd number.
/// `target` >= 0 asks for that number (SETFD); `send` also answers the notification with
/// the new number, atomically (the guest's syscall returns it).
inline result<int> notif_addfd(int listener, std::uint64_t id, int fd, int target, bool cloexec,
                               bool send) noexcept {
  seccomp_notif_addfd a{};
  a.id = id;
  a.srcfd = static_cast<std::uint32_t>(fd);
  a.newfd = target >= 0 ? static_cast<std::uint32_t>(target) : 0;
  a.newfd_flags = cloexec ? O_CLOEXEC : 0;
  a.flags = (target >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0) | (send ? SECCOMP_ADDFD_FLAG_SEND : 0);
  return listener_ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
}

/// Asks the kernel to wake the supervisor synchronously (Linux 6.6+): the trapped thread
/// hands its CPU to the supervisor and back, instead of both waiting for the scheduler.
/// Returns the errno when the kernel does not know the flag (EINVAL before 6.6).
inline result<void> notif_set_sync_wakeup(int listener) noexcept {
  // The flags travel as the ioctl's argument value, not through a pointer.
  auto r = checked([&] {
    return ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                   static_cast<unsigned long>(SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP));
  });
  if (!r) return r.error();
  return {};
}

}  // namespace snare::detail::seccomp
