// Defines the x86-64 kernel layouts of the structs the formatter decodes (as the kernel
// writes them, not as libc wraps them), so decoding does not depend on libc's types.
#pragma once

#include <cstdint>

namespace snare::format::detail::abi {

/// struct stat of x86-64 (kernel's, same as glibc's there).
struct stat {
  std::uint64_t st_dev, st_ino, st_nlink;
  std::uint32_t st_mode, st_uid, st_gid, pad0;
  std::uint64_t st_rdev;
  std::int64_t st_size, st_blksize, st_blocks;
  std::uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec,
      ctime_nsec;  // not st_atime: libc macros
  std::int64_t unused[3];
};
static_assert(sizeof(stat) == 144);

struct statx_timestamp {
  std::int64_t tv_sec;
  std::uint32_t tv_nsec;
  std::int32_t reserved;
};

/// struct statx (all architectures).
struct statx {
  std::uint32_t stx_mask, stx_blksize;
  std::uint64_t stx_attributes;
  std::uint32_t stx_nlink, stx_uid, stx_gid;
  std::uint16_t stx_mode, spare0;
  std::uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
  statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
  std::uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
  std::uint64_t stx_mnt_id;
  std::uint32_t stx_dio_mem_align, stx_dio_offset_align;
  std::uint64_t spare3[12];
};
static_assert(sizeof(statx) == 256);

struct timespec {
  std::int64_t tv_sec, tv_nsec;
};
struct timeval {
  std::int64_t tv_sec, tv_usec;
};
struct itimerspec {
  timespec it_interval, it_value;
};
struct itimerval {
  timeval it_interval, it_value;
};
struct iovec {
  std::uint64_t iov_base, iov_len;
};
/// The kernel's struct sigaction for rt_sigaction on x86-64 (mask last, 8 bytes).
struct kernel_sigaction {
  std::uint64_t handler, flags, restorer, mask;
};
struct rlimit {
  std::uint64_t rlim_cur, rlim_max;
};
struct pollfd {
  std::int32_t fd;
  std::int16_t events, revents;
};
/// struct epoll_event is packed on x86-64 (12 bytes).
struct [[gnu::packed]] epoll_event {
  std::uint32_t events;
  std::uint64_t data;
};
static_assert(sizeof(epoll_event) == 12);
struct utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
struct stack_t {
  std::uint64_t ss_sp;
  std::int32_t ss_flags;
  std::int32_t pad;
  std::uint64_t ss_size;
};
struct msghdr {
  std::uint64_t msg_name;
  std::uint32_t msg_namelen, pad0;
  std::uint64_t msg_iov, msg_iovlen, msg_control, msg_controllen;
  std::int32_t msg_flags, pad1;
};
static_assert(sizeof(msghdr) == 56);
struct rusage {
  timeval ru_utime, ru_stime;
  std::int64_t rest[14];
};
static_assert(sizeof(rusage) == 144);
struct sysinfo {
  std::int64_t uptime;
  std::uint64_t loads[3];
  std::uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
  std::uint16_t procs, pad;
  std::uint32_t pad2;
  std::uint64_t totalhigh, freehigh;
  std::uint32_t mem_unit;
  char f[4];
};
static_assert(sizeof(sysinfo) == 112);

/// The first fields of siginfo_t on x86-64 (128 bytes in all); the union starts at 16.
struct siginfo {
  std::int32_t si_signo, si_errno, si_code, pad;
  union {
    struct {
      std::int32_t pid;
      std::uint32_t uid;
      std::int32_t status;
      std::int32_t pad;
      std::int64_t utime, stime;
    } chld;
    struct {
      std::int32_t pid;
      std::uint32_t uid;
    } kill;
    struct {
      std::uint64_t addr;
    } fault;
    unsigned char raw[112];
  } u;
};
static_assert(sizeof(siginfo) == 128);
struct clone_args {
  std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};

}  // namespace snare::format::detail::abi
