// Defines how a syscall argument is described: its kind, direction, length source and
// the flag set or struct it names. The typed tables and the formatter share these.
#pragma once

#include <cstdint>
#include <string_view>

#include <snare/sys/call_id.hpp>

namespace snare::sys {

/// Says how an argument is read from the guest and printed.
enum class arg_kind : std::uint8_t {
  int_,          ///< C int: the low 32 bits, signed decimal
  uint,          ///< C unsigned int: the low 32 bits, unsigned decimal
  hex,           ///< C unsigned long in hex (the whole register; unknown arguments)
  ptr,           ///< an address printed as such (NULL when 0)
  fd,            ///< file descriptor
  dirfd,         ///< file descriptor or AT_FDCWD
  pid,           ///< process or thread id
  uid,           ///< user id (-1 kept as -1)
  gid,           ///< group id
  signo,         ///< signal number (SIGTERM)
  mode,          ///< file mode bits (0644, S_IFREG|0644 for mknod)
  size,          ///< size_t count
  ssize,         ///< ssize_t
  offset,        ///< off_t / loff_t
  clockid,       ///< clock id (CLOCK_MONOTONIC)
  path,          ///< NUL-terminated path in guest memory
  cstr,          ///< NUL-terminated string in guest memory
  string_array,  ///< NULL-terminated array of C strings (argv, envp)
  buffer,        ///< bytes in guest memory; the length comes from `len`
  flags,         ///< bit set named by `flag_set` (O_RDONLY|O_CLOEXEC)
  enumeration,   ///< one value named by `flag_set` (F_GETFL, SEEK_SET)
  structure,     ///< pointer to one struct named by `struct_id`
  array,         ///< pointer to `len` structs named by `struct_id`
  long_,         ///< C long: the whole register, signed decimal
  ulong,         ///< C unsigned long: the whole register, unsigned decimal
  xint,          ///< C unsigned int in hex: the low 32 bits (flags strace has no names for)
};

/// Says whether the guest passes the pointee in, gets it back, or both.
enum class direction : std::uint8_t { in, out, inout };

/// Names a set of symbolic values, for arg_kind::flags and arg_kind::enumeration.
enum class flag_set : std::uint16_t {
  none,
  open,             // O_*
  at,               // AT_* flags of the *at calls
  access_mode,      // F_OK/R_OK/W_OK/X_OK
  mmap_prot,        // PROT_*
  mmap_flags,       // MAP_*
  mremap_flags,     // MREMAP_*
  madvise_advice,   // MADV_*
  msync_flags,      // MS_*
  clone_flags,      // CLONE_* (low byte: exit signal)
  wait_options,     // WNOHANG|WUNTRACED|...
  fcntl_cmd,        // F_*
  ioctl_request,    // TCGETS, FIONREAD, ...
  prctl_option,     // PR_*
  arch_prctl_code,  // ARCH_*
  futex_op,         // FUTEX_*
  seek_whence,      // SEEK_*
  socket_family,    // AF_*
  socket_type,      // SOCK_* with SOCK_NONBLOCK|SOCK_CLOEXEC
  socket_level,     // SOL_*
  socket_option,    // SO_*
  msg_flags,        // MSG_*
  shutdown_how,     // SHUT_*
  sigprocmask_how,  // SIG_BLOCK/SIG_UNBLOCK/SIG_SETMASK
  sa_flags,         // SA_*
  epoll_ctl_op,     // EPOLL_CTL_*
  epoll_events,     // EPOLLIN|...
  poll_events,      // POLLIN|...
  rlimit_resource,  // RLIMIT_*
  rusage_who,       // RUSAGE_*
  itimer_which,     // ITIMER_*
  timer_flags,      // TIMER_ABSTIME
  statx_mask,       // STATX_*
  lock_op,          // LOCK_* for flock
  pipe_flags,       // O_CLOEXEC|O_NONBLOCK|O_DIRECT
  eventfd_flags,    // EFD_*
  getrandom_flags,  // GRND_*
  rename_flags,     // RENAME_*
  unlink_flags,     // AT_REMOVEDIR
  mount_flags,      // MS_* of mount(2)
  umount_flags,     // MNT_*
  seccomp_op,       // SECCOMP_SET_MODE_*
  ptrace_request,   // PTRACE_*
  idtype,           // P_PID/P_PGID/P_ALL
  memfd_flags,      // MFD_*
  inotify_mask,     // IN_*
  xattr_flags,      // XATTR_*
  personality,      // PER_*
  sched_policy,     // SCHED_*
  fadvise_advice,   // POSIX_FADV_*
  fallocate_mode,   // FALLOC_FL_*
  splice_flags,     // SPLICE_F_*
  close_range_flags,
  membarrier_cmd,
  rseq_flags,
  signalfd_flags,
  timerfd_flags,
  inotify_init_flags,
  epoll_create_flags,
  accept_flags,
  dup3_flags,
  mlock_flags,
  keyctl_op,
  bpf_cmd,
  quotactl_cmd,
  reboot_cmd,
  syslog_type,
  clock_flags,
  faccessat_flags,  // AT_EACCESS|AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH (0x200 is not AT_REMOVEDIR here)
  mlockall_flags,   // MCL_*
  fsopen_flags,     // FSOPEN_*
  fspick_flags,     // FSPICK_*
  open_tree_flags,  // OPEN_TREE_* and the AT_ flags
  landlock_ruleset_flags,
  module_init_flags,      // finit_module's MODULE_INIT_*
  delete_module_flags,    // O_NONBLOCK|O_TRUNC
  perf_event_open_flags,  // PERF_FLAG_* (an unsigned long: see decode/process.hpp)
  sync_file_range_flags,  // SYNC_FILE_RANGE_*
  rwf_flags,              // RWF_* of preadv2/pwritev2
};

/// Names a guest struct, for arg_kind::structure and arg_kind::array.
enum class struct_id : std::uint16_t {
  none,
  stat,
  statx,
  statfs,
  timespec,
  timeval,
  timezone,
  itimerval,
  itimerspec,
  iovec,
  sockaddr,  // length from `len` (socklen_t value or pointer)
  msghdr,
  mmsghdr,
  sigaction,
  sigset,  // sigset_t, size from the sigsetsize argument
  siginfo,
  stack,  // stack_t
  rlimit,
  rusage,
  pollfd,
  epoll_event,
  fd_set,
  utsname,
  sysinfo,
  tms,
  linux_dirent64,
  linux_dirent,
  user_desc,
  sched_param,
  cap_header,
  cap_data,
  clone_args,
  open_how,
  rseq,
  robust_list_head,
  futex_waitv,
  int_,    // int* (e.g. pipe fds, wait status, socklen_t*)
  uint64,  // u64* (e.g. off_t*, loff_t*)
  sock_fprog,
  io_event,
  iocb,
  mq_attr,
  msqid_ds,
  shmid_ds,
  sembuf,
  kexec_segment,
  perf_event_attr,
  sched_attr,
  mount_attr,
  landlock_ruleset_attr,
  utimbuf,
  int64,    // a signed 64-bit value in memory (loff_t *off_in of splice)
  address,  // an address stored in memory (io_setup's ctx, get_robust_list's head): [0x7f...]
};

/// Marks where a length comes from: an argument index 0-5, or the return value.
inline constexpr std::int8_t len_none = -1;
inline constexpr std::int8_t len_from_return = 6;

/// Describes one syscall argument.
struct arg_desc {
  std::string_view name;
  arg_kind kind = arg_kind::hex;
  direction dir = direction::in;
  std::int8_t len = len_none;  ///< argument index (0-5) or len_from_return, for buffers/arrays
  flag_set flags = flag_set::none;
  struct_id type = struct_id::none;
};

/// Classes of syscalls, as strace's %file, %process, ... (a bit set).
enum syscall_class : std::uint16_t {
  class_none = 0,
  class_file = 1 << 0,     // takes a file name
  class_process = 1 << 1,  // process lifecycle
  class_network = 1 << 2,
  class_signal = 1 << 3,
  class_ipc = 1 << 4,
  class_desc = 1 << 5,  // takes or returns a file descriptor
  class_memory = 1 << 6,
  class_creds = 1 << 7,
  class_clock = 1 << 8,
  class_stat = 1 << 9,
  class_statfs = 1 << 10,
};

/// Says how the return value reads: a plain integer, an fd, an address, a pid, ...
enum class ret_kind : std::uint8_t { int_, fd, ptr, pid, hex, none /* does not return */ };

/// Describes one syscall of one architecture: number, name, arguments, classes, identity.
struct syscall_desc {
  long number = -1;
  std::string_view name;
  std::uint8_t nargs = 0;
  arg_desc args[6]{};
  ret_kind ret = ret_kind::int_;
  std::uint16_t classes = class_none;
  call_id id = call_id::none;  ///< the syscall's name as an enumerator, the same on every arch
};

}  // namespace snare::sys
