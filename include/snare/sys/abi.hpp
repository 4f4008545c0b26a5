// Defines the guest-side layouts of the structs syscall arguments point to (the pointee
// types of guest_ptr<T> in the typed calls), as the kernel's 64-bit ABI lays them out.
// Layouts shared by x86-64 and aarch64 live in snare::sys::abi; layouts that differ live
// in abi::x86_64 / abi::aarch64 (the kernel's sigaction layout is the arch tag's). The
// formatter reads these same layouts. A struct declared but not defined here is opaque: its
// pointer is typed, and reading it needs a layout the tool provides.
#pragma once

#include <cstdint>

#include <snare/arch/aarch64.hpp>
#include <snare/arch/x86_64.hpp>

namespace snare::sys::abi {

/// struct timespec (__kernel_timespec): seconds and nanoseconds.
struct timespec {
  std::int64_t tv_sec;
  std::int64_t tv_nsec;
};
/// struct timeval (__kernel_old_timeval on 64-bit): seconds and microseconds.
struct timeval {
  std::int64_t tv_sec;
  std::int64_t tv_usec;
};
/// struct timezone.
struct timezone {
  std::int32_t tz_minuteswest;
  std::int32_t tz_dsttime;
};
/// struct itimerval.
struct itimerval {
  timeval it_interval;
  timeval it_value;
};
/// struct itimerspec.
struct itimerspec {
  timespec it_interval;
  timespec it_value;
};
/// struct iovec: a guest address and a length.
struct iovec {
  std::uint64_t iov_base;
  std::uint64_t iov_len;
};
/// struct pollfd.
struct pollfd {
  std::int32_t fd;
  std::int16_t events;
  std::int16_t revents;
};
/// struct rlimit (and rlimit64).
struct rlimit {
  std::uint64_t rlim_cur;
  std::uint64_t rlim_max;
};
/// struct rusage.
struct rusage {
  timeval ru_utime;
  timeval ru_stime;
  std::int64_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock,
      ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
/// The kernel's sigset_t: 64 signals as a bit mask (bit n-1 is signal n).
struct sigset {
  std::uint64_t bits;
};
/// stack_t of sigaltstack.
struct stack {
  std::uint64_t ss_sp;
  std::int32_t ss_flags;
  std::uint64_t ss_size;
};
/// struct utsname: six NUL-padded fields of 65 bytes.
struct utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
/// struct tms of times(2).
struct tms {
  std::int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
/// fd_set of select(2): 1024 descriptor bits.
struct fd_set {
  std::uint64_t fds_bits[16];
};
/// struct sched_param.
struct sched_param {
  std::int32_t sched_priority;
};
/// struct __user_cap_header_struct.
struct cap_header {
  std::uint32_t version;
  std::int32_t pid;
};
/// struct __user_cap_data_struct (one of the two the v3 ABI passes).
struct cap_data {
  std::uint32_t effective, permitted, inheritable;
};
/// struct clone_args of clone3(2) (the size-88 version; the size argument says which).
struct clone_args {
  std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
      set_tid_size, cgroup;
};
/// struct open_how of openat2(2).
struct open_how {
  std::uint64_t flags, mode, resolve;
};
/// struct robust_list_head.
struct robust_list_head {
  std::uint64_t next;
  std::int64_t futex_offset;
  std::uint64_t list_op_pending;
};
/// struct futex_waitv.
struct futex_waitv {
  std::uint64_t val, uaddr;
  std::uint32_t flags, reserved;
};
/// struct linux_dirent64 without its name: the name follows at offset 19, d_reclen covers it.
struct linux_dirent64 {
  std::uint64_t d_ino;
  std::int64_t d_off;
  std::uint16_t d_reclen;
  std::uint8_t d_type;
};
/// struct msghdr (user_msghdr).
struct msghdr {
  std::uint64_t msg_name;
  std::int32_t msg_namelen;
  std::uint64_t msg_iov, msg_iovlen, msg_control, msg_controllen;
  std::uint32_t msg_flags;
};
/// struct mmsghdr.
struct mmsghdr {
  msghdr msg_hdr;
  std::uint32_t msg_len;
};
/// struct io_event.
struct io_event {
  std::uint64_t data, obj;
  std::int64_t res, res2;
};
/// struct mq_attr.
struct mq_attr {
  std::int64_t mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, reserved[4];
};
/// struct sembuf.
struct sembuf {
  std::uint16_t sem_num;
  std::int16_t sem_op, sem_flg;
};
/// struct utimbuf.
struct utimbuf {
  std::int64_t actime, modtime;
};
/// struct sock_fprog: a BPF program length and address.
struct sock_fprog {
  std::uint16_t len;
  std::uint64_t filter;
};
/// struct kexec_segment.
struct kexec_segment {
  std::uint64_t buf, bufsz, mem, memsz;
};
/// struct mount_attr.
struct mount_attr {
  std::uint64_t attr_set, attr_clr, propagation, userns_fd;
};
/// struct keyctl_pkey_params of keyctl's KEYCTL_PKEY_* commands (40 bytes).
struct keyctl_pkey_params {
  std::int32_t key_id;
  std::uint32_t in_len;
  std::uint32_t out_len;  ///< in2_len for KEYCTL_PKEY_VERIFY
  std::uint32_t spare[7];
};
static_assert(sizeof(keyctl_pkey_params) == 40);
/// struct keyctl_dh_params of KEYCTL_DH_COMPUTE: three key serials.
struct keyctl_dh_params {
  std::int32_t private_, prime, base;
};
static_assert(sizeof(keyctl_dh_params) == 12);
/// struct keyctl_kdf_params of KEYCTL_DH_COMPUTE (56 bytes).
struct keyctl_kdf_params {
  std::uint64_t hashname, otherinfo;
  std::uint32_t otherinfolen;
  std::uint32_t spare[8];
};
static_assert(sizeof(keyctl_kdf_params) == 56);
/// struct landlock_ruleset_attr (the first version; the size argument says which).
struct landlock_ruleset_attr {
  std::uint64_t handled_access_fs;
};

/// struct statx_timestamp: the times of struct statx.
struct statx_timestamp {
  std::int64_t tv_sec;
  std::uint32_t tv_nsec;
  std::int32_t reserved;
};
/// struct statx (256 bytes; the mask says which fields the kernel filled in).
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
/// siginfo_t (128 bytes): the common head, then a union whose member si_signo and si_code
/// select. Only the members snare reads are named (<signal.h> defines si_pid and the other
/// field names as macros, hence the short names).
struct siginfo {
  std::int32_t si_signo, si_errno, si_code, pad;
  union {
    struct {
      std::int32_t pid;
      std::uint32_t uid;
      std::int32_t status;
      std::int32_t pad;
      std::int64_t utime, stime;
    } chld;  ///< SIGCHLD
    struct {
      std::int32_t pid;
      std::uint32_t uid;
    } kill;  ///< kill, tkill, sigqueue (si_code <= 0)
    struct {
      std::uint64_t addr;
    } fault;  ///< SIGSEGV, SIGBUS, SIGILL, SIGFPE
    unsigned char raw[112];
  } u;
};
static_assert(sizeof(siginfo) == 128);
/// struct sysinfo (112 bytes).
struct sysinfo {
  std::int64_t uptime;
  std::uint64_t loads[3];
  std::uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
  std::uint16_t procs, pad;
  std::uint32_t pad2;
  std::uint64_t totalhigh, freehigh;
  std::uint32_t mem_unit;
  char pad3[4];
};
static_assert(sizeof(sysinfo) == 112);

// Opaque here: variable-length, versioned or large structs nothing in snare reads.
struct statfs;           ///< struct statfs / statfs64
struct sockaddr;         ///< a socket address; its length is another argument
struct user_desc;        ///< struct user_desc (i386 TLS descriptors)
struct linux_dirent;     ///< struct linux_dirent (old getdents)
struct iocb;             ///< struct iocb of io_submit
struct msqid_ds;         ///< struct msqid64_ds
struct shmid_ds;         ///< struct shmid64_ds
struct perf_event_attr;  ///< struct perf_event_attr (versioned by its size field)
struct sched_attr;       ///< struct sched_attr (versioned by its size field)
struct rseq;             ///< struct rseq (32-byte aligned, extensible)

}  // namespace snare::sys::abi

namespace snare::sys::abi::x86_64 {

/// struct stat as x86-64 lays it out (144 bytes).
struct stat {
  std::uint64_t st_dev, st_ino, st_nlink;
  std::uint32_t st_mode, st_uid, st_gid;
  std::int32_t pad0;
  std::uint64_t st_rdev;
  std::int64_t st_size, st_blksize, st_blocks;
  std::uint64_t st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec, st_ctime_sec, st_ctime_nsec;
  std::int64_t unused[3];
};
/// struct epoll_event: packed on x86-64 (12 bytes).
struct [[gnu::packed]] epoll_event {
  std::uint32_t events;
  std::uint64_t data;
};
/// struct sigaction as the kernel reads it on x86-64 (rt_sigaction): see arch::x86_64.
using sigaction = ::snare::arch::x86_64::kernel_sigaction;

}  // namespace snare::sys::abi::x86_64

namespace snare::sys::abi::aarch64 {

/// struct stat as asm-generic lays it out for aarch64 (128 bytes).
struct stat {
  std::uint64_t st_dev, st_ino;
  std::uint32_t st_mode, st_nlink, st_uid, st_gid;
  std::uint64_t st_rdev, pad1;
  std::int64_t st_size;
  std::int32_t st_blksize, pad2;
  std::int64_t st_blocks;
  std::int64_t st_atime_sec;
  std::uint64_t st_atime_nsec;
  std::int64_t st_mtime_sec;
  std::uint64_t st_mtime_nsec;
  std::int64_t st_ctime_sec;
  std::uint64_t st_ctime_nsec;
  std::uint32_t unused4, unused5;
};
/// struct epoll_event: naturally aligned on aarch64 (16 bytes).
struct epoll_event {
  std::uint32_t events;
  std::uint64_t data;
};
/// struct sigaction as the kernel reads it on aarch64 (rt_sigaction): see arch::aarch64.
using sigaction = ::snare::arch::aarch64::kernel_sigaction;

}  // namespace snare::sys::abi::aarch64
