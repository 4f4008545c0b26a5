#!/usr/bin/env python3
"""Generates include/snare/format/detail/xlat_tables.hpp: the x86-64 values of the
symbolic names the formatter prints, taken from this machine's C headers (a C program
built from the lists below prints them). Run: python3 tests/format/tools/gen_xlat.py"""
import os, subprocess, sys, tempfile

HEADERS = """#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/inotify.h>
#include <termios.h>
#include <sched.h>
#include <sys/time.h>
#include <linux/futex.h>
#include <asm/prctl.h>
#include <sys/ptrace.h>
#include <sys/mount.h>
#include <sys/xattr.h>
#include <linux/seccomp.h>
#include <stdio.h>
"""

# name: (unknown_comment, zero_name, field_mask, field_names, bit_names)
# A name "X=v" uses the literal v where the host headers lack X.
SETS = {
 'open': ('O_???', None, 'O_ACCMODE', ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'],
          ['O_CREAT', 'O_EXCL', 'O_NOCTTY', 'O_TRUNC', 'O_APPEND', 'O_NONBLOCK', 'O_SYNC', 'O_DSYNC',
           'O_ASYNC', 'O_DIRECT', 'O_LARGEFILE=0x8000', 'O_TMPFILE', 'O_DIRECTORY', 'O_NOFOLLOW', 'O_NOATIME',
           'O_CLOEXEC', 'O_PATH']),
 'at': ('AT_???', '0', None, [], ['AT_SYMLINK_NOFOLLOW', 'AT_REMOVEDIR', 'AT_SYMLINK_FOLLOW',
        'AT_NO_AUTOMOUNT', 'AT_EMPTY_PATH', 'AT_STATX_FORCE_SYNC', 'AT_STATX_DONT_SYNC', 'AT_RECURSIVE',
        'AT_EACCESS=0x200']),
 'access_mode': ('?_OK', 'F_OK', None, [], ['R_OK', 'W_OK', 'X_OK']),
 'mmap_prot': ('PROT_???', 'PROT_NONE', None, [], ['PROT_READ', 'PROT_WRITE', 'PROT_EXEC', 'PROT_SEM=0x8',
        'PROT_GROWSDOWN', 'PROT_GROWSUP']),
 'mmap_flags': ('MAP_???', None, '0xf', ['MAP_FILE=0', 'MAP_SHARED', 'MAP_PRIVATE', 'MAP_SHARED_VALIDATE'],
        ['MAP_FIXED', 'MAP_ANONYMOUS', 'MAP_32BIT', 'MAP_GROWSDOWN', 'MAP_DENYWRITE', 'MAP_EXECUTABLE',
         'MAP_LOCKED', 'MAP_NORESERVE', 'MAP_POPULATE', 'MAP_NONBLOCK', 'MAP_STACK', 'MAP_HUGETLB',
         'MAP_SYNC', 'MAP_FIXED_NOREPLACE', 'MAP_UNINITIALIZED=0x4000000']),
 'mremap_flags': ('MREMAP_???', '0', None, [], ['MREMAP_MAYMOVE', 'MREMAP_FIXED', 'MREMAP_DONTUNMAP=4']),
 'msync_flags': ('MS_???', '0', None, [], ['MS_ASYNC', 'MS_INVALIDATE', 'MS_SYNC']),
 'madvise_advice': ('MADV_???', None, 'ENUM', ['MADV_NORMAL', 'MADV_RANDOM', 'MADV_SEQUENTIAL',
        'MADV_WILLNEED', 'MADV_DONTNEED', 'MADV_FREE', 'MADV_REMOVE', 'MADV_DONTFORK', 'MADV_DOFORK',
        'MADV_MERGEABLE', 'MADV_UNMERGEABLE', 'MADV_HUGEPAGE', 'MADV_NOHUGEPAGE', 'MADV_DONTDUMP',
        'MADV_DODUMP', 'MADV_WIPEONFORK', 'MADV_KEEPONFORK', 'MADV_COLD=20', 'MADV_PAGEOUT=21',
        'MADV_POPULATE_READ=22', 'MADV_POPULATE_WRITE=23', 'MADV_HWPOISON'], []),
 'clone_flags': ('CLONE_???', '0', None, [], ['CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SIGHAND',
        'CLONE_PIDFD', 'CLONE_PTRACE', 'CLONE_VFORK', 'CLONE_PARENT', 'CLONE_THREAD', 'CLONE_NEWNS',
        'CLONE_SYSVSEM', 'CLONE_SETTLS', 'CLONE_PARENT_SETTID', 'CLONE_CHILD_CLEARTID', 'CLONE_DETACHED',
        'CLONE_UNTRACED', 'CLONE_CHILD_SETTID', 'CLONE_NEWCGROUP', 'CLONE_NEWUTS', 'CLONE_NEWIPC',
        'CLONE_NEWUSER', 'CLONE_NEWPID', 'CLONE_NEWNET', 'CLONE_IO']),
 'wait_options': ('W???', '0', None, [], ['WNOHANG', 'WUNTRACED', 'WEXITED', 'WCONTINUED', 'WNOWAIT',
        '__WNOTHREAD', '__WCLONE', '__WALL']),
 'fcntl_cmd': ('F_???', None, 'ENUM', ['F_DUPFD', 'F_GETFD', 'F_SETFD', 'F_GETFL', 'F_SETFL', 'F_GETLK',
        'F_SETLK', 'F_SETLKW', 'F_SETOWN', 'F_GETOWN', 'F_SETSIG', 'F_GETSIG', 'F_SETOWN_EX', 'F_GETOWN_EX',
        'F_GETOWNER_UIDS=17', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW', 'F_SETLEASE', 'F_GETLEASE',
        'F_NOTIFY', 'F_DUPFD_CLOEXEC', 'F_SETPIPE_SZ', 'F_GETPIPE_SZ', 'F_ADD_SEALS', 'F_GET_SEALS',
        'F_GET_RW_HINT', 'F_SET_RW_HINT', 'F_GET_FILE_RW_HINT', 'F_SET_FILE_RW_HINT'], []),
 'ioctl_request': (None, None, 'ENUM', ['TCGETS', 'TCSETS', 'TCSETSW', 'TCSETSF', 'TCGETA', 'TCSETA',
        'TCSETAW', 'TCSETAF', 'TCSBRK', 'TCXONC', 'TCFLSH', 'TIOCEXCL', 'TIOCNXCL', 'TIOCSCTTY',
        'TIOCGPGRP', 'TIOCSPGRP', 'TIOCOUTQ', 'TIOCSTI', 'TIOCGWINSZ', 'TIOCSWINSZ', 'TIOCMGET',
        'TIOCMBIS', 'TIOCMBIC', 'TIOCMSET', 'TIOCGSOFTCAR', 'TIOCSSOFTCAR', 'FIONREAD', 'TIOCLINUX',
        'TIOCCONS', 'TIOCGSERIAL', 'TIOCSSERIAL', 'TIOCPKT', 'FIONBIO', 'TIOCNOTTY', 'TIOCSETD',
        'TIOCGETD', 'TCSBRKP', 'TIOCSBRK', 'TIOCCBRK', 'TIOCGSID', 'TCGETS2=0x802c542a', 'TCSETS2=0x402c542b', 'TCSETSW2=0x402c542c',
        'TCSETSF2=0x402c542d', 'TIOCGPTN', 'TIOCSPTLCK', 'TIOCGDEV', 'TIOCSIG', 'TIOCVHANGUP', 'TIOCGPKT',
        'TIOCGPTLCK', 'TIOCGEXCL', 'TIOCGPTPEER', 'FIONCLEX', 'FIOCLEX', 'FIOASYNC', 'TIOCSERCONFIG',
        'TIOCSERGWILD', 'TIOCSERSWILD', 'TIOCGLCKTRMIOS', 'TIOCSLCKTRMIOS', 'TIOCSERGSTRUCT',
        'TIOCSERGETLSR', 'TIOCSERGETMULTI', 'TIOCSERSETMULTI', 'TIOCMIWAIT', 'TIOCGICOUNT', 'FIOQSIZE',
        'FIOSETOWN', 'SIOCSPGRP', 'FIOGETOWN', 'SIOCGPGRP', 'SIOCATMARK', 'SIOCGSTAMP_OLD=0x8906',
        'FICLONE=0x40049409', 'FICLONERANGE=0x4020940d', 'FIDEDUPERANGE=0xc0189436',
        'FIGETBSZ=2', 'FIBMAP=1', 'FS_IOC_GETFLAGS=0x80086601', 'FS_IOC_SETFLAGS=0x40086602'], []),
 'prctl_option': ('PR_???', None, 'ENUM', ['PR_SET_PDEATHSIG', 'PR_GET_PDEATHSIG', 'PR_GET_DUMPABLE',
        'PR_SET_DUMPABLE', 'PR_GET_UNALIGN', 'PR_SET_UNALIGN', 'PR_GET_KEEPCAPS', 'PR_SET_KEEPCAPS',
        'PR_GET_FPEMU', 'PR_SET_FPEMU', 'PR_GET_FPEXC', 'PR_SET_FPEXC', 'PR_GET_TIMING', 'PR_SET_TIMING',
        'PR_SET_NAME', 'PR_GET_NAME', 'PR_GET_ENDIAN', 'PR_SET_ENDIAN', 'PR_GET_SECCOMP', 'PR_SET_SECCOMP',
        'PR_CAPBSET_READ', 'PR_CAPBSET_DROP', 'PR_GET_TSC', 'PR_SET_TSC', 'PR_GET_SECUREBITS',
        'PR_SET_SECUREBITS', 'PR_SET_TIMERSLACK', 'PR_GET_TIMERSLACK', 'PR_TASK_PERF_EVENTS_DISABLE',
        'PR_TASK_PERF_EVENTS_ENABLE', 'PR_MCE_KILL', 'PR_MCE_KILL_GET', 'PR_SET_MM',
        'PR_SET_CHILD_SUBREAPER', 'PR_GET_CHILD_SUBREAPER', 'PR_SET_NO_NEW_PRIVS', 'PR_GET_NO_NEW_PRIVS',
        'PR_GET_TID_ADDRESS', 'PR_SET_THP_DISABLE', 'PR_GET_THP_DISABLE', 'PR_MPX_ENABLE_MANAGEMENT=43',
        'PR_MPX_DISABLE_MANAGEMENT=44', 'PR_SET_FP_MODE', 'PR_GET_FP_MODE', 'PR_CAP_AMBIENT',
        'PR_SVE_SET_VL', 'PR_SVE_GET_VL', 'PR_GET_SPECULATION_CTRL', 'PR_SET_SPECULATION_CTRL',
        'PR_PAC_RESET_KEYS', 'PR_SET_TAGGED_ADDR_CTRL', 'PR_GET_TAGGED_ADDR_CTRL', 'PR_SET_IO_FLUSHER',
        'PR_GET_IO_FLUSHER', 'PR_SET_SYSCALL_USER_DISPATCH', 'PR_PAC_SET_ENABLED_KEYS',
        'PR_PAC_GET_ENABLED_KEYS', 'PR_SCHED_CORE', 'PR_SET_VMA=0x53564d41'], []),
 'arch_prctl_code': ('ARCH_???', None, 'ENUM', ['ARCH_SET_GS', 'ARCH_SET_FS', 'ARCH_GET_FS', 'ARCH_GET_GS',
        'ARCH_GET_CPUID', 'ARCH_SET_CPUID', 'ARCH_GET_XCOMP_SUPP', 'ARCH_GET_XCOMP_PERM',
        'ARCH_REQ_XCOMP_PERM', 'ARCH_GET_XCOMP_GUEST_PERM', 'ARCH_REQ_XCOMP_GUEST_PERM',
        'ARCH_MAP_VDSO_X32', 'ARCH_MAP_VDSO_32', 'ARCH_MAP_VDSO_64', 'ARCH_SHSTK_ENABLE=0x5001',
        'ARCH_SHSTK_DISABLE=0x5002', 'ARCH_SHSTK_LOCK=0x5003', 'ARCH_SHSTK_UNLOCK=0x5004',
        'ARCH_SHSTK_STATUS=0x5005'], []),
 'futex_op': ('FUTEX_???', None, 'ENUM', ['FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE',
        'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI', 'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI',
        'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET', 'FUTEX_WAIT_REQUEUE_PI', 'FUTEX_CMP_REQUEUE_PI',
        'FUTEX_LOCK_PI2=13'], []),
 'seek_whence': ('SEEK_???', None, 'ENUM', ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE'], []),
 'socket_family': ('AF_???', None, 'ENUM', ['AF_UNSPEC', 'AF_UNIX', 'AF_INET', 'AF_AX25', 'AF_IPX',
        'AF_APPLETALK', 'AF_NETROM', 'AF_BRIDGE', 'AF_ATMPVC', 'AF_X25', 'AF_INET6', 'AF_ROSE', 'AF_DECnet',
        'AF_NETBEUI', 'AF_SECURITY', 'AF_KEY', 'AF_NETLINK', 'AF_PACKET', 'AF_ASH', 'AF_ECONET',
        'AF_ATMSVC', 'AF_RDS', 'AF_SNA', 'AF_IRDA', 'AF_PPPOX', 'AF_WANPIPE', 'AF_LLC', 'AF_IB', 'AF_MPLS',
        'AF_CAN', 'AF_TIPC', 'AF_BLUETOOTH', 'AF_IUCV', 'AF_RXRPC', 'AF_ISDN', 'AF_PHONET', 'AF_IEEE802154',
        'AF_CAIF', 'AF_ALG', 'AF_NFC', 'AF_VSOCK', 'AF_KCM', 'AF_QIPCRTR', 'AF_SMC', 'AF_XDP', 'AF_MCTP=45'],
        []),
 'socket_type': ('SOCK_???', None, '0xf', ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM',
        'SOCK_SEQPACKET', 'SOCK_DCCP', 'SOCK_PACKET'], ['SOCK_CLOEXEC', 'SOCK_NONBLOCK']),
 'socket_level': ('SOL_???', None, 'ENUM', ['SOL_IP=0', 'SOL_SOCKET', 'SOL_TCP=6', 'SOL_UDP=17',
        'SOL_IPV6=41', 'SOL_ICMPV6=58', 'SOL_RAW', 'SOL_PACKET', 'SOL_NETLINK', 'SOL_ALG', 'SOL_TLS=282'], []),
 'socket_option': ('SO_???', None, 'ENUM', ['SO_DEBUG', 'SO_REUSEADDR', 'SO_TYPE', 'SO_ERROR',
        'SO_DONTROUTE', 'SO_BROADCAST', 'SO_SNDBUF', 'SO_RCVBUF', 'SO_KEEPALIVE', 'SO_OOBINLINE',
        'SO_NO_CHECK', 'SO_PRIORITY', 'SO_LINGER', 'SO_BSDCOMPAT', 'SO_REUSEPORT', 'SO_PASSCRED',
        'SO_PEERCRED', 'SO_RCVLOWAT', 'SO_SNDLOWAT', 'SO_RCVTIMEO_OLD=20', 'SO_SNDTIMEO_OLD=21',
        'SO_BINDTODEVICE', 'SO_ATTACH_FILTER', 'SO_DETACH_FILTER', 'SO_PEERNAME', 'SO_TIMESTAMP_OLD=29',
        'SO_ACCEPTCONN', 'SO_PEERSEC', 'SO_SNDBUFFORCE', 'SO_RCVBUFFORCE', 'SO_PASSSEC', 'SO_MARK',
        'SO_PROTOCOL', 'SO_DOMAIN', 'SO_RXQ_OVFL', 'SO_PEEK_OFF', 'SO_BUSY_POLL', 'SO_INCOMING_CPU',
        'SO_PEERGROUPS', 'SO_ZEROCOPY', 'SO_COOKIE'], []),
 'msg_flags': ('MSG_???', '0', None, [], ['MSG_OOB', 'MSG_PEEK', 'MSG_DONTROUTE', 'MSG_CTRUNC', 'MSG_PROXY',
        'MSG_TRUNC', 'MSG_DONTWAIT', 'MSG_EOR', 'MSG_WAITALL', 'MSG_FIN', 'MSG_SYN', 'MSG_CONFIRM', 'MSG_RST',
        'MSG_ERRQUEUE', 'MSG_NOSIGNAL', 'MSG_MORE', 'MSG_WAITFORONE', 'MSG_BATCH', 'MSG_ZEROCOPY',
        'MSG_FASTOPEN', 'MSG_CMSG_CLOEXEC']),
 'shutdown_how': ('SHUT_???', None, 'ENUM', ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'], []),
 'sigprocmask_how': ('SIG_???', None, 'ENUM', ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'], []),
 'sa_flags': ('SA_???', '0', None, [], ['SA_NOCLDSTOP', 'SA_NOCLDWAIT', 'SA_SIGINFO', 'SA_UNSUPPORTED=0x400',
        'SA_EXPOSE_TAGBITS=0x800', 'SA_RESTORER=0x04000000', 'SA_ONSTACK', 'SA_RESTART',
        'SA_INTERRUPT', 'SA_NODEFER', 'SA_RESETHAND']),
 'epoll_ctl_op': ('EPOLL_CTL_???', None, 'ENUM', ['EPOLL_CTL_ADD', 'EPOLL_CTL_DEL', 'EPOLL_CTL_MOD'], []),
 'epoll_events': ('EPOLL???', '0', None, [], ['EPOLLIN', 'EPOLLPRI', 'EPOLLOUT', 'EPOLLERR', 'EPOLLHUP',
        'EPOLLNVAL=0x20', 'EPOLLRDNORM', 'EPOLLRDBAND', 'EPOLLWRNORM', 'EPOLLWRBAND', 'EPOLLMSG',
        'EPOLLRDHUP', 'EPOLLEXCLUSIVE', 'EPOLLWAKEUP', 'EPOLLONESHOT', 'EPOLLET']),
 'poll_events': ('POLL???', '0', None, [], ['POLLIN', 'POLLPRI', 'POLLOUT', 'POLLERR', 'POLLHUP',
        'POLLNVAL', 'POLLRDNORM', 'POLLRDBAND', 'POLLWRNORM', 'POLLWRBAND', 'POLLMSG', 'POLLREMOVE',
        'POLLRDHUP']),
 'rlimit_resource': ('RLIMIT_???', None, 'ENUM', ['RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_DATA',
        'RLIMIT_STACK', 'RLIMIT_CORE', 'RLIMIT_RSS', 'RLIMIT_NPROC', 'RLIMIT_NOFILE', 'RLIMIT_MEMLOCK',
        'RLIMIT_AS', 'RLIMIT_LOCKS', 'RLIMIT_SIGPENDING', 'RLIMIT_MSGQUEUE', 'RLIMIT_NICE',
        'RLIMIT_RTPRIO', 'RLIMIT_RTTIME'], []),
 'rusage_who': ('RUSAGE_???', None, 'ENUM', ['RUSAGE_SELF', 'RUSAGE_CHILDREN', 'RUSAGE_THREAD'], []),
 'itimer_which': ('ITIMER_???', None, 'ENUM', ['ITIMER_REAL', 'ITIMER_VIRTUAL', 'ITIMER_PROF'], []),
 'timer_flags': ('TIMER_???', '0', None, [], ['TIMER_ABSTIME']),
 'statx_mask': ('STATX_???', '0', None, [], ['STATX_ALL=0xfff', 'STATX_BASIC_STATS', 'STATX_TYPE',
        'STATX_MODE', 'STATX_NLINK', 'STATX_UID', 'STATX_GID', 'STATX_ATIME', 'STATX_MTIME', 'STATX_CTIME',
        'STATX_INO', 'STATX_SIZE', 'STATX_BLOCKS', 'STATX_BTIME', 'STATX_MNT_ID', 'STATX_DIOALIGN']),
 'lock_op': ('LOCK_???', '0', None, [], ['LOCK_SH', 'LOCK_EX', 'LOCK_NB', 'LOCK_UN']),
 'pipe_flags': ('O_???', '0', None, [], ['O_NONBLOCK', 'O_DIRECT', 'O_CLOEXEC', 'O_NOTIFICATION_PIPE=0x80']),
 'dup3_flags': ('O_???', '0', None, [], ['O_CLOEXEC']),
 'eventfd_flags': ('EFD_???', '0', None, [], ['EFD_SEMAPHORE', 'EFD_CLOEXEC', 'EFD_NONBLOCK']),
 'getrandom_flags': ('GRND_???', '0', None, [], ['GRND_NONBLOCK', 'GRND_RANDOM', 'GRND_INSECURE']),
 'rename_flags': ('RENAME_???', '0', None, [], ['RENAME_NOREPLACE', 'RENAME_EXCHANGE', 'RENAME_WHITEOUT']),
 'unlink_flags': ('AT_???', '0', None, [], ['AT_REMOVEDIR']),
 'memfd_flags': ('MFD_???', '0', None, [], ['MFD_CLOEXEC', 'MFD_ALLOW_SEALING', 'MFD_HUGETLB',
        'MFD_NOEXEC_SEAL=8', 'MFD_EXEC=0x10']),
 'signalfd_flags': ('SFD_???', '0', None, [], ['SFD_CLOEXEC', 'SFD_NONBLOCK']),
 'timerfd_flags': ('TFD_???', '0', None, [], ['TFD_TIMER_ABSTIME', 'TFD_TIMER_CANCEL_ON_SET',
        'TFD_CLOEXEC', 'TFD_NONBLOCK']),
 'inotify_init_flags': ('IN_???', '0', None, [], ['IN_CLOEXEC', 'IN_NONBLOCK']),
 'epoll_create_flags': ('EPOLL_???', '0', None, [], ['EPOLL_CLOEXEC']),
 'accept_flags': ('SOCK_???', '0', None, [], ['SOCK_CLOEXEC', 'SOCK_NONBLOCK']),
 'close_range_flags': ('CLOSE_RANGE_???', '0', None, [], ['CLOSE_RANGE_UNSHARE=2', 'CLOSE_RANGE_CLOEXEC=4']),
 'mlock_flags': ('MLOCK_???', '0', None, [], ['MLOCK_ONFAULT=1']),
 'idtype': ('P_???', None, 'ENUM', ['P_ALL', 'P_PID', 'P_PGID', 'P_PIDFD=3'], []),
 'clock_id': ('CLOCK_???', None, 'ENUM', ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID',
        'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE',
        'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME', 'CLOCK_REALTIME_ALARM', 'CLOCK_BOOTTIME_ALARM',
        'CLOCK_TAI'], []),
 'sched_policy': ('SCHED_???', None, 'ENUM', ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH',
        'SCHED_IDLE', 'SCHED_DEADLINE'], []),
 'fadvise_advice': ('POSIX_FADV_???', None, 'ENUM', ['POSIX_FADV_NORMAL', 'POSIX_FADV_RANDOM',
        'POSIX_FADV_SEQUENTIAL', 'POSIX_FADV_WILLNEED', 'POSIX_FADV_DONTNEED', 'POSIX_FADV_NOREUSE'], []),
 'ptrace_request': ('PTRACE_???', None, 'ENUM', ['PTRACE_TRACEME', 'PTRACE_PEEKTEXT', 'PTRACE_PEEKDATA',
        'PTRACE_PEEKUSER', 'PTRACE_POKETEXT', 'PTRACE_POKEDATA', 'PTRACE_POKEUSER', 'PTRACE_CONT', 'PTRACE_KILL',
        'PTRACE_SINGLESTEP', 'PTRACE_GETREGS', 'PTRACE_SETREGS', 'PTRACE_GETFPREGS', 'PTRACE_SETFPREGS',
        'PTRACE_ATTACH', 'PTRACE_DETACH', 'PTRACE_GETFPXREGS', 'PTRACE_SETFPXREGS', 'PTRACE_SYSCALL',
        'PTRACE_GET_THREAD_AREA=25', 'PTRACE_SET_THREAD_AREA=26', 'PTRACE_ARCH_PRCTL=30',
        'PTRACE_SYSEMU', 'PTRACE_SYSEMU_SINGLESTEP', 'PTRACE_SINGLEBLOCK=33', 'PTRACE_SETOPTIONS',
        'PTRACE_GETEVENTMSG', 'PTRACE_GETSIGINFO', 'PTRACE_SETSIGINFO', 'PTRACE_GETREGSET', 'PTRACE_SETREGSET',
        'PTRACE_SEIZE', 'PTRACE_INTERRUPT', 'PTRACE_LISTEN', 'PTRACE_PEEKSIGINFO', 'PTRACE_GETSIGMASK',
        'PTRACE_SETSIGMASK', 'PTRACE_SECCOMP_GET_FILTER', 'PTRACE_SECCOMP_GET_METADATA',
        'PTRACE_GET_SYSCALL_INFO', 'PTRACE_GET_RSEQ_CONFIGURATION=0x420f'], []),
 'seccomp_op': ('SECCOMP_???', None, 'ENUM', ['SECCOMP_SET_MODE_STRICT', 'SECCOMP_SET_MODE_FILTER',
        'SECCOMP_GET_ACTION_AVAIL', 'SECCOMP_GET_NOTIF_SIZES'], []),
 'xattr_flags': ('XATTR_???', '0', None, [], ['XATTR_CREATE', 'XATTR_REPLACE']),
 'umount_flags': ('MNT_???', '0', None, [], ['MNT_FORCE', 'MNT_DETACH', 'MNT_EXPIRE', 'UMOUNT_NOFOLLOW']),
 'mount_flags': ('MS_???', '0', None, [], ['MS_RDONLY', 'MS_NOSUID', 'MS_NODEV', 'MS_NOEXEC', 'MS_SYNCHRONOUS',
        'MS_REMOUNT', 'MS_MANDLOCK', 'MS_DIRSYNC', 'MS_NOSYMFOLLOW=0x100', 'MS_NOATIME', 'MS_NODIRATIME',
        'MS_BIND', 'MS_MOVE', 'MS_REC', 'MS_SILENT', 'MS_POSIXACL', 'MS_UNBINDABLE', 'MS_PRIVATE', 'MS_SLAVE',
        'MS_SHARED', 'MS_RELATIME', 'MS_KERNMOUNT', 'MS_I_VERSION', 'MS_STRICTATIME', 'MS_LAZYTIME']),
 'inotify_mask': ('IN_???', '0', None, [], ['IN_ACCESS', 'IN_MODIFY', 'IN_ATTRIB', 'IN_CLOSE_WRITE',
        'IN_CLOSE_NOWRITE', 'IN_OPEN', 'IN_MOVED_FROM', 'IN_MOVED_TO', 'IN_CREATE', 'IN_DELETE',
        'IN_DELETE_SELF', 'IN_MOVE_SELF', 'IN_UNMOUNT', 'IN_Q_OVERFLOW', 'IN_IGNORED', 'IN_ONLYDIR',
        'IN_DONT_FOLLOW', 'IN_EXCL_UNLINK', 'IN_MASK_CREATE=0x10000000', 'IN_MASK_ADD', 'IN_ISDIR',
        'IN_ONESHOT']),
 'mode_type': ('S_IF???', None, 'ENUM', ['S_IFIFO', 'S_IFCHR', 'S_IFDIR', 'S_IFBLK', 'S_IFREG', 'S_IFLNK',
        'S_IFSOCK'], []),
}

def split(n):
    return n.split('=', 1) if '=' in n else (n, None)

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, '..', '..', '..', 'include', 'snare', 'format', 'detail', 'xlat_tables.hpp')
    prog = [HEADERS, 'int main(void) {']
    for set_name, (unknown, zero, mask, field, bits) in SETS.items():
        for part, names in (('field', field), ('bits', bits)):
            prog.append(f'  printf("%s %s\\n", "{set_name}", "{part}");')
            for n in names:
                name, lit = split(n)
                val = lit if lit is not None else name
                prog.append(f'  printf("  0x%llx %s\\n", (unsigned long long)({val}), "{name}");')
        if mask not in (None, 'ENUM'):
            prog.append(f'  printf("%s mask 0x%llx\\n", "{set_name}", (unsigned long long)({mask}));')
    prog.append('  return 0; }')
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'gen.c')
        with open(src, 'w') as f:
            f.write('\n'.join(prog))
        subprocess.run(['gcc', '-o', os.path.join(d, 'gen'), src], check=True)
        text = subprocess.run([os.path.join(d, 'gen')], check=True, capture_output=True, text=True).stdout
    values = {}
    masks = {}
    cur = None
    for line in text.splitlines():
        if line.startswith('  '):
            v, n = line.split()
            values[cur].append((int(v, 16), n))
        elif ' mask ' in line:
            s, _, m = line.split()
            masks[s] = int(m, 16)
        else:
            s, part = line.split()
            cur = (s, part)
            values[cur] = []
    o = ['// Defines the x86-64 values of the symbolic names the formatter prints (generated by',
         '// tests/format/tools/gen_xlat.py from the C headers; do not edit by hand).',
         '// clang-format off', '#pragma once', '', '#include <snare/format/detail/xlat.hpp>', '', 'namespace snare::format::detail {', '']
    for set_name, (unknown, zero, mask, field, bits) in SETS.items():
        for part in ('field', 'bits'):
            entries = values[(set_name, part)]
            if not entries:
                continue
            o.append(f'inline constexpr xlat_entry {set_name}_{part}[] = {{')
            for v, n in entries:
                o.append(f'    {{0x{v:x}, "{n}"}},')
            o.append('};')
        fld = f'{set_name}_field' if values[(set_name, 'field')] else '{}'
        bts = f'{set_name}_bits' if values[(set_name, 'bits')] else '{}'
        if mask == 'ENUM':
            m = '~std::uint64_t{0}'
        elif mask is None:
            m = '0'
        else:
            m = f'0x{masks[set_name]:x}'
        unk = f'"{unknown}"' if unknown else '{}'
        z = f'"{zero}"' if zero else '{}'
        o.append(f'inline constexpr xlat {set_name}_xlat{{{fld}, {m}, {bts}, {z}, {unk}}};')
        o.append('')
    o.append('}  // namespace snare::format::detail')
    with open(out_path, 'w') as f:
        f.write('\n'.join(o) + '\n')
    print('wrote', os.path.normpath(out_path))

main()
