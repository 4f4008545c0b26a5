#!/usr/bin/env python3
"""Generates include/snare/format/detail/xlat_tables.hpp: the x86-64 values of the symbolic
names the formatter prints, and xlat_for(flag_set), the table of every flag set that
include/snare/sys/arg.hpp declares.

The values come from this machine's C and kernel headers (linux-libc-dev): a C program
built from the lists below prints them. A name written "X=v" uses the literal v where the
headers lack X; where they have X, the generator fails unless X == v (strace's #checkval).
A flag_set with no table here is an error, so no flag set silently prints in hex.

Usage: gen_xlat.py           write the header
       gen_xlat.py --check   exit 1 when the committed header is not what would be written
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from generated import INCLUDE, GeneratorError, read_enum, run  # noqa: E402  (scripts/generated.py)

OUTPUT = os.path.join(INCLUDE, "format", "detail", "xlat_tables.hpp")

HEADERS = """#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
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
#include <linux/falloc.h>
#include <linux/keyctl.h>
#include <linux/membarrier.h>
#include <linux/personality.h>
#include <linux/quota.h>
#include <linux/dqblk_xfs.h>
#include <linux/reboot.h>
#include <linux/rseq.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <stdio.h>
"""

# name: (unknown_comment, zero_name, field_mask, field_names, bit_names[, style])
#   field_mask: None (bits only), 'ENUM' (one value), or a C expression masking the field
#   style:      'decimal' prints `10 /* NAME */` as strace does for a few enumerations
# A set named like a flag_set enumerator is that set's table; others (mode_type, clock_id,
# quota_type, reboot_magic) are used by the decoders directly.
SETS = {
 'open': ('O_???', None, 'O_ACCMODE', ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'],
          ['O_CREAT', 'O_EXCL', 'O_NOCTTY', 'O_TRUNC', 'O_APPEND', 'O_NONBLOCK', 'O_SYNC', 'O_DSYNC',
           'O_ASYNC', 'O_DIRECT', 'O_LARGEFILE=0x8000', 'O_TMPFILE', 'O_DIRECTORY', 'O_NOFOLLOW', 'O_NOATIME',
           'O_CLOEXEC', 'O_PATH']),
 'at': ('AT_???', '0', None, [], ['AT_SYMLINK_NOFOLLOW', 'AT_REMOVEDIR', 'AT_SYMLINK_FOLLOW',
        'AT_NO_AUTOMOUNT', 'AT_EMPTY_PATH', 'AT_STATX_FORCE_SYNC', 'AT_STATX_DONT_SYNC', 'AT_RECURSIVE']),
 # 0x200 is AT_REMOVEDIR for unlinkat and AT_EACCESS for faccessat2: a set of its own.
 'faccessat_flags': ('AT_???', '0', None, [], ['AT_SYMLINK_NOFOLLOW', 'AT_EACCESS=0x200', 'AT_EMPTY_PATH']),
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
        'F_NOTIFY', 'F_CANCELLK=1029', 'F_DUPFD_CLOEXEC', 'F_SETPIPE_SZ', 'F_GETPIPE_SZ', 'F_ADD_SEALS',
        'F_GET_SEALS'], []),
 # fcntl's arguments and results (decode/fcntl.hpp).
 'fd_flags': ('FD_???', '0', None, [], ['FD_CLOEXEC']),
 'lock_type': ('F_???', None, 'ENUM', ['F_RDLCK', 'F_WRLCK', 'F_UNLCK', 'F_EXLCK', 'F_SHLCK'], []),
 'notify_flags': ('DN_???', '0', None, [], ['DN_ACCESS', 'DN_MODIFY', 'DN_CREATE', 'DN_DELETE', 'DN_RENAME',
        'DN_ATTRIB', 'DN_MULTISHOT']),
 'f_seals': ('F_SEAL_???', '0', None, [], ['F_SEAL_SEAL', 'F_SEAL_SHRINK', 'F_SEAL_GROW', 'F_SEAL_WRITE',
        'F_SEAL_FUTURE_WRITE']),
 'f_owner_type': ('F_OWNER_???', None, 'ENUM', ['F_OWNER_TID', 'F_OWNER_PID', 'F_OWNER_PGRP'], []),
 # statfs's f_flags (ST_VALID first, as strace) and f_type: every *_MAGIC of linux/magic.h.
 'statfs_flags': ('ST_???', '0', None, [], ['ST_VALID=0x20', 'ST_RDONLY', 'ST_NOSUID', 'ST_NODEV', 'ST_NOEXEC',
        'ST_SYNCHRONOUS', 'ST_MANDLOCK', 'ST_NOATIME', 'ST_NODIRATIME', 'ST_RELATIME', 'ST_NOSYMFOLLOW=0x2000']),
 'fs_magic': (None, None, 'ENUM', r'linux/magic.h:\w+_MAGIC', []),
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
        'PR_PAC_GET_ENABLED_KEYS', 'PR_SCHED_CORE', 'PR_SME_SET_VL=63', 'PR_SME_GET_VL=64', 'PR_SET_PTRACER',
        'PR_SET_VMA=0x53564d41'], []),
 # prctl's arguments and results (decode/prctl.hpp). SUID_DUMP_* are the kernel's own
 # (include/linux/sched/coredump.h is not exported), hence the literals.
 'pr_dumpable': ('SUID_DUMP_???', None, 'ENUM', ['SUID_DUMP_DISABLE=0', 'SUID_DUMP_USER=1', 'SUID_DUMP_ROOT=2'], []),
 'pr_tsc': ('PR_TSC_???', None, 'ENUM', ['PR_TSC_ENABLE', 'PR_TSC_SIGSEGV'], []),
 'pr_unalign': ('PR_UNALIGN_???', '0', None, [], ['PR_UNALIGN_NOPRINT', 'PR_UNALIGN_SIGBUS']),
 'secbits': ('SECBIT_???', '0', None, [], ['SECBIT_NOROOT', 'SECBIT_NOROOT_LOCKED', 'SECBIT_NO_SETUID_FIXUP',
        'SECBIT_NO_SETUID_FIXUP_LOCKED', 'SECBIT_KEEP_CAPS', 'SECBIT_KEEP_CAPS_LOCKED',
        'SECBIT_NO_CAP_AMBIENT_RAISE', 'SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED']),
 'capability': ('CAP_???', None, 'ENUM', r'linux/capability.h:CAP_\w+', []),
 'pr_cap_ambient': ('PR_CAP_AMBIENT_???', None, 'ENUM', ['PR_CAP_AMBIENT_IS_SET', 'PR_CAP_AMBIENT_RAISE',
        'PR_CAP_AMBIENT_LOWER', 'PR_CAP_AMBIENT_CLEAR_ALL'], []),
 'pr_mce_kill': ('PR_MCE_KILL_???', None, 'ENUM', ['PR_MCE_KILL_CLEAR', 'PR_MCE_KILL_SET'], []),
 'pr_mce_kill_policy': ('PR_MCE_KILL_???', None, 'ENUM', ['PR_MCE_KILL_LATE', 'PR_MCE_KILL_EARLY',
        'PR_MCE_KILL_DEFAULT'], []),
 'pr_set_mm': ('PR_SET_MM_???', None, 'ENUM', ['PR_SET_MM_START_CODE', 'PR_SET_MM_END_CODE',
        'PR_SET_MM_START_DATA', 'PR_SET_MM_END_DATA', 'PR_SET_MM_START_STACK', 'PR_SET_MM_START_BRK',
        'PR_SET_MM_BRK', 'PR_SET_MM_ARG_START', 'PR_SET_MM_ARG_END', 'PR_SET_MM_ENV_START', 'PR_SET_MM_ENV_END',
        'PR_SET_MM_AUXV', 'PR_SET_MM_EXE_FILE', 'PR_SET_MM_MAP', 'PR_SET_MM_MAP_SIZE'], []),
 'seccomp_mode': ('SECCOMP_MODE_???', None, 'ENUM', ['SECCOMP_MODE_DISABLED', 'SECCOMP_MODE_STRICT',
        'SECCOMP_MODE_FILTER'], []),
 'pr_fp_mode': ('PR_FP_MODE_???', '0', None, [], ['PR_FP_MODE_FR', 'PR_FP_MODE_FRE']),
 'pr_spec_cmd': ('PR_SPEC_???', None, 'ENUM', ['PR_SPEC_STORE_BYPASS', 'PR_SPEC_INDIRECT_BRANCH',
        'PR_SPEC_L1D_FLUSH'], []),
 'pr_spec_set': ('PR_SPEC_???', None, 'ENUM', ['PR_SPEC_ENABLE', 'PR_SPEC_DISABLE', 'PR_SPEC_FORCE_DISABLE',
        'PR_SPEC_DISABLE_NOEXEC'], []),
 'pr_spec_get': ('PR_SPEC_???', '0', None, [], ['PR_SPEC_PRCTL', 'PR_SPEC_ENABLE', 'PR_SPEC_DISABLE',
        'PR_SPEC_FORCE_DISABLE', 'PR_SPEC_DISABLE_NOEXEC']),
 'pr_sud_cmd': ('PR_SYS_DISPATCH_???', None, 'ENUM', ['PR_SYS_DISPATCH_OFF', 'PR_SYS_DISPATCH_ON'], []),
 'pr_set_vma': ('PR_SET_VMA_???', None, 'ENUM', ['PR_SET_VMA_ANON_NAME=0'], []),
 'pr_sched_core_cmd': ('PR_SCHED_CORE_???', None, 'ENUM', ['PR_SCHED_CORE_GET', 'PR_SCHED_CORE_CREATE',
        'PR_SCHED_CORE_SHARE_TO', 'PR_SCHED_CORE_SHARE_FROM'], []),
 'pr_sched_core_pidtype': ('PIDTYPE_???', None, 'ENUM', ['PIDTYPE_PID=0', 'PIDTYPE_TGID=1', 'PIDTYPE_PGID=2',
        'PIDTYPE_SID=3'], []),
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
 'socket_level': ('SOL_??', None, 'ENUM', ['SOL_IP=0', 'SOL_SOCKET', 'SOL_TCP=6', 'SOL_UDP=17',
        'SOL_IPV6=41', 'SOL_ICMPV6=58', 'SOL_RAW', 'SOL_PACKET', 'SOL_NETLINK', 'SOL_ALG', 'SOL_TLS=282'], []),
 'socket_option': ('SO_???', None, 'ENUM', ['SO_DEBUG', 'SO_REUSEADDR', 'SO_TYPE', 'SO_ERROR',
        'SO_DONTROUTE', 'SO_BROADCAST', 'SO_SNDBUF', 'SO_RCVBUF', 'SO_KEEPALIVE', 'SO_OOBINLINE',
        'SO_NO_CHECK', 'SO_PRIORITY', 'SO_LINGER', 'SO_BSDCOMPAT', 'SO_REUSEPORT', 'SO_PASSCRED',
        'SO_PEERCRED', 'SO_RCVLOWAT', 'SO_SNDLOWAT', 'SO_RCVTIMEO_OLD=20', 'SO_SNDTIMEO_OLD=21',
        'SO_BINDTODEVICE', 'SO_ATTACH_FILTER', 'SO_DETACH_FILTER', 'SO_PEERNAME', 'SO_TIMESTAMP_OLD=29',
        'SO_ACCEPTCONN', 'SO_PEERSEC', 'SO_SNDBUFFORCE', 'SO_RCVBUFFORCE', 'SO_PASSSEC', 'SO_MARK',
        'SO_PROTOCOL', 'SO_DOMAIN', 'SO_RXQ_OVFL', 'SO_PEEK_OFF', 'SO_BUSY_POLL', 'SO_INCOMING_CPU',
        'SO_PEERGROUPS', 'SO_ZEROCOPY', 'SO_COOKIE', 'SO_SECURITY_AUTHENTICATION',
        'SO_SECURITY_ENCRYPTION_TRANSPORT', 'SO_SECURITY_ENCRYPTION_NETWORK', 'SO_TIMESTAMPNS_OLD=35',
        'SO_TIMESTAMPING_OLD=37', 'SO_WIFI_STATUS', 'SO_NOFCS', 'SO_LOCK_FILTER', 'SO_SELECT_ERR_QUEUE',
        'SO_MAX_PACING_RATE', 'SO_BPF_EXTENSIONS', 'SO_ATTACH_BPF', 'SO_ATTACH_REUSEPORT_CBPF',
        'SO_ATTACH_REUSEPORT_EBPF', 'SO_CNX_ADVICE', 'SO_MEMINFO', 'SO_INCOMING_NAPI_ID', 'SO_TXTIME',
        'SO_BINDTOIFINDEX', 'SO_TIMESTAMP_NEW=63', 'SO_TIMESTAMPNS_NEW=64', 'SO_TIMESTAMPING_NEW=65',
        'SO_RCVTIMEO_NEW=66', 'SO_SNDTIMEO_NEW=67', 'SO_DETACH_REUSEPORT_BPF=68', 'SO_PREFER_BUSY_POLL=69',
        'SO_BUSY_POLL_BUDGET=70', 'SO_NETNS_COOKIE=71', 'SO_BUF_LOCK=72', 'SO_RESERVE_MEM=73', 'SO_TXREHASH=74',
        'SO_RCVMARK=75'], []),
 # The option names of the other levels (getsockopt/setsockopt pick the table by level).
 'sock_ip_option': ('IP_???', None, 'ENUM', ['IP_TOS', 'IP_TTL', 'IP_HDRINCL', 'IP_OPTIONS', 'IP_ROUTER_ALERT',
        'IP_RECVOPTS', 'IP_RETOPTS', 'IP_PKTINFO', 'IP_PKTOPTIONS', 'IP_MTU_DISCOVER', 'IP_RECVERR', 'IP_RECVTTL',
        'IP_RECVTOS', 'IP_MTU', 'IP_FREEBIND', 'IP_IPSEC_POLICY', 'IP_XFRM_POLICY', 'IP_PASSSEC', 'IP_TRANSPARENT',
        'IP_ORIGDSTADDR', 'IP_MINTTL', 'IP_NODEFRAG', 'IP_CHECKSUM', 'IP_BIND_ADDRESS_NO_PORT', 'IP_RECVFRAGSIZE',
        'IP_RECVERR_RFC4884', 'IP_MULTICAST_IF', 'IP_MULTICAST_TTL', 'IP_MULTICAST_LOOP', 'IP_ADD_MEMBERSHIP',
        'IP_DROP_MEMBERSHIP', 'IP_UNBLOCK_SOURCE', 'IP_BLOCK_SOURCE', 'IP_ADD_SOURCE_MEMBERSHIP',
        'IP_DROP_SOURCE_MEMBERSHIP', 'IP_MSFILTER', 'MCAST_JOIN_GROUP', 'MCAST_BLOCK_SOURCE', 'MCAST_UNBLOCK_SOURCE',
        'MCAST_LEAVE_GROUP', 'MCAST_JOIN_SOURCE_GROUP', 'MCAST_LEAVE_SOURCE_GROUP', 'MCAST_MSFILTER',
        'IP_MULTICAST_ALL', 'IP_UNICAST_IF'], []),
 'sock_ipv6_option': ('IPV6_???', None, 'ENUM', ['IPV6_ADDRFORM', 'IPV6_2292PKTINFO', 'IPV6_2292HOPOPTS',
        'IPV6_2292DSTOPTS', 'IPV6_2292RTHDR', 'IPV6_2292PKTOPTIONS', 'IPV6_CHECKSUM', 'IPV6_2292HOPLIMIT',
        'IPV6_NEXTHOP', 'IPV6_AUTHHDR=10', 'IPV6_FLOWINFO=11', 'IPV6_UNICAST_HOPS', 'IPV6_MULTICAST_IF',
        'IPV6_MULTICAST_HOPS', 'IPV6_MULTICAST_LOOP', 'IPV6_ADD_MEMBERSHIP', 'IPV6_DROP_MEMBERSHIP',
        'IPV6_ROUTER_ALERT', 'IPV6_MTU_DISCOVER', 'IPV6_MTU', 'IPV6_RECVERR', 'IPV6_V6ONLY', 'IPV6_JOIN_ANYCAST',
        'IPV6_LEAVE_ANYCAST', 'IPV6_MULTICAST_ALL=29', 'IPV6_ROUTER_ALERT_ISOLATE=30', 'IPV6_RECVERR_RFC4884=31',
        'IPV6_FLOWLABEL_MGR=32', 'IPV6_FLOWINFO_SEND=33', 'IPV6_IPSEC_POLICY', 'IPV6_XFRM_POLICY',
        'IPV6_HDRINCL=36', 'IPV6_RECVPKTINFO', 'IPV6_PKTINFO', 'IPV6_RECVHOPLIMIT', 'IPV6_HOPLIMIT',
        'IPV6_RECVHOPOPTS', 'IPV6_HOPOPTS', 'IPV6_RTHDRDSTOPTS', 'IPV6_RECVRTHDR', 'IPV6_RTHDR',
        'IPV6_RECVDSTOPTS', 'IPV6_DSTOPTS', 'IPV6_RECVPATHMTU', 'IPV6_PATHMTU', 'IPV6_DONTFRAG',
        'IPV6_USE_MIN_MTU=63', 'IPV6_RECVTCLASS', 'IPV6_TCLASS', 'IPV6_AUTOFLOWLABEL=70',
        'IPV6_ADDR_PREFERENCES=72', 'IPV6_MINHOPCOUNT=73', 'IPV6_ORIGDSTADDR=74', 'IPV6_TRANSPARENT=75',
        'IPV6_UNICAST_IF=76', 'IPV6_RECVFRAGSIZE=77', 'IPV6_FREEBIND=78'], []),
 'sock_tcp_option': ('TCP_???', None, 'ENUM', ['TCP_NODELAY', 'TCP_MAXSEG', 'TCP_CORK', 'TCP_KEEPIDLE',
        'TCP_KEEPINTVL', 'TCP_KEEPCNT', 'TCP_SYNCNT', 'TCP_LINGER2', 'TCP_DEFER_ACCEPT', 'TCP_WINDOW_CLAMP',
        'TCP_INFO', 'TCP_QUICKACK', 'TCP_CONGESTION', 'TCP_MD5SIG', 'TCP_COOKIE_TRANSACTIONS=15',
        'TCP_THIN_LINEAR_TIMEOUTS', 'TCP_THIN_DUPACK', 'TCP_USER_TIMEOUT', 'TCP_REPAIR', 'TCP_REPAIR_QUEUE',
        'TCP_QUEUE_SEQ', 'TCP_REPAIR_OPTIONS', 'TCP_FASTOPEN', 'TCP_TIMESTAMP', 'TCP_NOTSENT_LOWAT', 'TCP_CC_INFO',
        'TCP_SAVE_SYN', 'TCP_SAVED_SYN', 'TCP_REPAIR_WINDOW', 'TCP_FASTOPEN_CONNECT', 'TCP_ULP', 'TCP_MD5SIG_EXT',
        'TCP_FASTOPEN_KEY', 'TCP_FASTOPEN_NO_COOKIE', 'TCP_ZEROCOPY_RECEIVE', 'TCP_INQ', 'TCP_TX_DELAY'], []),
 'sock_udp_option': ('UDP_???', None, 'ENUM', ['UDP_CORK', 'UDP_ENCAP', 'UDP_NO_CHECK6_TX', 'UDP_NO_CHECK6_RX',
        'UDP_SEGMENT', 'UDP_GRO'], []),
 'msg_flags': ('MSG_???', '0', None, [], ['MSG_OOB', 'MSG_PEEK', 'MSG_DONTROUTE', 'MSG_CTRUNC', 'MSG_PROXY',
        'MSG_TRUNC', 'MSG_DONTWAIT', 'MSG_EOR', 'MSG_WAITALL', 'MSG_FIN', 'MSG_SYN', 'MSG_CONFIRM', 'MSG_RST',
        'MSG_ERRQUEUE', 'MSG_NOSIGNAL', 'MSG_MORE', 'MSG_WAITFORONE', 'MSG_BATCH', 'MSG_ZEROCOPY',
        'MSG_FASTOPEN', 'MSG_CMSG_CLOEXEC']),
 'shutdown_how': ('SHUT_???', None, 'ENUM', ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR'], []),
 'sigprocmask_how': ('SIG_???', None, 'ENUM', ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'], []),
 'sa_flags': ('SA_???', '0', None, [], ['SA_RESTORER=0x04000000', 'SA_ONSTACK', 'SA_RESTART', 'SA_INTERRUPT',
        'SA_NODEFER', 'SA_RESETHAND', 'SA_SIGINFO', 'SA_NOCLDSTOP', 'SA_NOCLDWAIT']),
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
 'priority_which': ('PRIO_???', None, 'ENUM', ['PRIO_PROCESS', 'PRIO_PGRP', 'PRIO_USER'], []),
 'sigev_notify': ('SIGEV_???', None, 'ENUM', ['SIGEV_SIGNAL', 'SIGEV_NONE', 'SIGEV_THREAD', 'SIGEV_THREAD_ID'], []),
 'open_resolve': ('RESOLVE_???', '0', None, [], ['RESOLVE_NO_XDEV=0x01', 'RESOLVE_NO_MAGICLINKS=0x02',
        'RESOLVE_NO_SYMLINKS=0x04', 'RESOLVE_BENEATH=0x08', 'RESOLVE_IN_ROOT=0x10', 'RESOLVE_CACHED=0x20']),
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
 'fallocate_mode': ('FALLOC_FL_???', '0', None, [], ['FALLOC_FL_KEEP_SIZE', 'FALLOC_FL_PUNCH_HOLE',
        'FALLOC_FL_NO_HIDE_STALE', 'FALLOC_FL_COLLAPSE_RANGE', 'FALLOC_FL_ZERO_RANGE', 'FALLOC_FL_INSERT_RANGE',
        'FALLOC_FL_UNSHARE_RANGE']),
 'splice_flags': ('SPLICE_F_???', '0', None, [], ['SPLICE_F_MOVE', 'SPLICE_F_NONBLOCK', 'SPLICE_F_MORE',
        'SPLICE_F_GIFT']),
 'rseq_flags': ('RSEQ_FLAG_???', '0', None, [], ['RSEQ_FLAG_UNREGISTER']),
 'membarrier_cmd': ('MEMBARRIER_CMD_???', None, 'ENUM', ['MEMBARRIER_CMD_QUERY', 'MEMBARRIER_CMD_GLOBAL',
        'MEMBARRIER_CMD_GLOBAL_EXPEDITED', 'MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED',
        'MEMBARRIER_CMD_PRIVATE_EXPEDITED', 'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED',
        'MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE', 'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE',
        'MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ', 'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ'], []),
 # The execution domain is the low byte (PER_MASK); the values of linux/personality.h that
 # add flags to it (PER_SVR4 = 1|STICKY_TIMEOUTS|MMAP_PAGE_ZERO) are masked to that byte.
 'personality': ('PER_???', None, 'PER_MASK', ['PER_LINUX', 'PER_SVR4', 'PER_SVR3', 'PER_OSR5',
        'PER_WYSEV386', 'PER_ISCR4', 'PER_BSD', 'PER_XENIX', 'PER_LINUX32', 'PER_IRIX32', 'PER_IRIXN32',
        'PER_IRIX64', 'PER_RISCOS', 'PER_SOLARIS', 'PER_UW7', 'PER_OSF4', 'PER_HPUX'],
        ['UNAME26', 'ADDR_NO_RANDOMIZE', 'FDPIC_FUNCPTRS', 'MMAP_PAGE_ZERO', 'ADDR_COMPAT_LAYOUT',
         'READ_IMPLIES_EXEC', 'ADDR_LIMIT_32BIT', 'SHORT_INODE', 'WHOLE_SECONDS', 'STICKY_TIMEOUTS',
         'ADDR_LIMIT_3GB']),
 # quotactl's cmd is QCMD(subcommand, type): the subcommand above SUBCMDSHIFT, the type below.
 'quotactl_cmd': ('Q_???', None, 'ENUM', ['Q_SYNC', 'Q_QUOTAON', 'Q_QUOTAOFF', 'Q_GETFMT', 'Q_GETINFO',
        'Q_SETINFO', 'Q_GETQUOTA', 'Q_SETQUOTA', 'Q_GETNEXTQUOTA', 'Q_XQUOTAON', 'Q_XQUOTAOFF', 'Q_XGETQUOTA',
        'Q_XSETQLIM', 'Q_XGETQSTAT', 'Q_XQUOTARM', 'Q_XQUOTASYNC', 'Q_XGETQSTATV', 'Q_XGETNEXTQUOTA'], []),
 'quota_type': ('???QUOTA', None, 'ENUM', ['USRQUOTA', 'GRPQUOTA', 'PRJQUOTA'], []),
 'reboot_cmd': ('LINUX_REBOOT_CMD_???', None, 'ENUM', ['LINUX_REBOOT_CMD_RESTART', 'LINUX_REBOOT_CMD_HALT',
        'LINUX_REBOOT_CMD_CAD_ON', 'LINUX_REBOOT_CMD_CAD_OFF', 'LINUX_REBOOT_CMD_POWER_OFF',
        'LINUX_REBOOT_CMD_RESTART2', 'LINUX_REBOOT_CMD_SW_SUSPEND', 'LINUX_REBOOT_CMD_KEXEC'], []),
 'reboot_magic': ('LINUX_REBOOT_MAGIC_???', None, 'ENUM', ['LINUX_REBOOT_MAGIC1', 'LINUX_REBOOT_MAGIC2',
        'LINUX_REBOOT_MAGIC2A', 'LINUX_REBOOT_MAGIC2B', 'LINUX_REBOOT_MAGIC2C'], []),
 'bpf_cmd': ('BPF_???', None, 'ENUM', ['BPF_MAP_CREATE', 'BPF_MAP_LOOKUP_ELEM', 'BPF_MAP_UPDATE_ELEM',
        'BPF_MAP_DELETE_ELEM', 'BPF_MAP_GET_NEXT_KEY', 'BPF_PROG_LOAD', 'BPF_OBJ_PIN', 'BPF_OBJ_GET',
        'BPF_PROG_ATTACH', 'BPF_PROG_DETACH', 'BPF_PROG_TEST_RUN', 'BPF_PROG_GET_NEXT_ID', 'BPF_MAP_GET_NEXT_ID',
        'BPF_PROG_GET_FD_BY_ID', 'BPF_MAP_GET_FD_BY_ID', 'BPF_OBJ_GET_INFO_BY_FD', 'BPF_PROG_QUERY',
        'BPF_RAW_TRACEPOINT_OPEN', 'BPF_BTF_LOAD', 'BPF_BTF_GET_FD_BY_ID', 'BPF_TASK_FD_QUERY',
        'BPF_MAP_LOOKUP_AND_DELETE_ELEM', 'BPF_MAP_FREEZE', 'BPF_BTF_GET_NEXT_ID', 'BPF_MAP_LOOKUP_BATCH',
        'BPF_MAP_LOOKUP_AND_DELETE_BATCH', 'BPF_MAP_UPDATE_BATCH', 'BPF_MAP_DELETE_BATCH', 'BPF_LINK_CREATE',
        'BPF_LINK_UPDATE', 'BPF_LINK_GET_FD_BY_ID', 'BPF_LINK_GET_NEXT_ID', 'BPF_ENABLE_STATS', 'BPF_ITER_CREATE',
        'BPF_LINK_DETACH', 'BPF_PROG_BIND_MAP'], []),
 'keyctl_op': ('KEYCTL_???', None, 'ENUM', ['KEYCTL_GET_KEYRING_ID', 'KEYCTL_JOIN_SESSION_KEYRING',
        'KEYCTL_UPDATE', 'KEYCTL_REVOKE', 'KEYCTL_CHOWN', 'KEYCTL_SETPERM', 'KEYCTL_DESCRIBE', 'KEYCTL_CLEAR',
        'KEYCTL_LINK', 'KEYCTL_UNLINK', 'KEYCTL_SEARCH', 'KEYCTL_READ', 'KEYCTL_INSTANTIATE', 'KEYCTL_NEGATE',
        'KEYCTL_SET_REQKEY_KEYRING', 'KEYCTL_SET_TIMEOUT', 'KEYCTL_ASSUME_AUTHORITY', 'KEYCTL_GET_SECURITY',
        'KEYCTL_SESSION_TO_PARENT', 'KEYCTL_REJECT', 'KEYCTL_INSTANTIATE_IOV', 'KEYCTL_INVALIDATE',
        'KEYCTL_GET_PERSISTENT', 'KEYCTL_DH_COMPUTE', 'KEYCTL_PKEY_QUERY', 'KEYCTL_PKEY_ENCRYPT',
        'KEYCTL_PKEY_DECRYPT', 'KEYCTL_PKEY_SIGN', 'KEYCTL_PKEY_VERIFY', 'KEYCTL_RESTRICT_KEYRING',
        'KEYCTL_MOVE', 'KEYCTL_CAPABILITIES', 'KEYCTL_WATCH_KEY'], []),
 # keyctl's arguments (decode/key.hpp). Key serials and KEY_REQKEY_DEFL_* are negative C
 # ints: their values here are sign-extended to 64 bits. The permission bits are in
 # keyutils.h, not in the kernel's uapi headers, hence the literals.
 'key_spec': (None, None, 'ENUM', ['KEY_SPEC_THREAD_KEYRING', 'KEY_SPEC_PROCESS_KEYRING',
        'KEY_SPEC_SESSION_KEYRING', 'KEY_SPEC_USER_KEYRING', 'KEY_SPEC_USER_SESSION_KEYRING',
        'KEY_SPEC_GROUP_KEYRING', 'KEY_SPEC_REQKEY_AUTH_KEY', 'KEY_SPEC_REQUESTOR_KEYRING'], []),
 'key_reqkey_defl': ('KEY_REQKEY_DEFL_???', None, 'ENUM', ['KEY_REQKEY_DEFL_NO_CHANGE',
        'KEY_REQKEY_DEFL_DEFAULT', 'KEY_REQKEY_DEFL_THREAD_KEYRING', 'KEY_REQKEY_DEFL_PROCESS_KEYRING',
        'KEY_REQKEY_DEFL_SESSION_KEYRING', 'KEY_REQKEY_DEFL_USER_KEYRING',
        'KEY_REQKEY_DEFL_USER_SESSION_KEYRING', 'KEY_REQKEY_DEFL_GROUP_KEYRING',
        'KEY_REQKEY_DEFL_REQUESTOR_KEYRING'], []),
 'key_perm': ('KEY_???', '0', None, [], ['KEY_POS_VIEW=0x01000000', 'KEY_POS_READ=0x02000000',
        'KEY_POS_WRITE=0x04000000', 'KEY_POS_SEARCH=0x08000000', 'KEY_POS_LINK=0x10000000',
        'KEY_POS_SETATTR=0x20000000', 'KEY_USR_VIEW=0x00010000', 'KEY_USR_READ=0x00020000',
        'KEY_USR_WRITE=0x00040000', 'KEY_USR_SEARCH=0x00080000', 'KEY_USR_LINK=0x00100000',
        'KEY_USR_SETATTR=0x00200000', 'KEY_GRP_VIEW=0x00000100', 'KEY_GRP_READ=0x00000200',
        'KEY_GRP_WRITE=0x00000400', 'KEY_GRP_SEARCH=0x00000800', 'KEY_GRP_LINK=0x00001000',
        'KEY_GRP_SETATTR=0x00002000', 'KEY_OTH_VIEW=0x00000001', 'KEY_OTH_READ=0x00000002',
        'KEY_OTH_WRITE=0x00000004', 'KEY_OTH_SEARCH=0x00000008', 'KEY_OTH_LINK=0x00000010',
        'KEY_OTH_SETATTR=0x00000020']),
 'keyctl_move_flags': ('KEYCTL_MOVE_???', '0', None, [], ['KEYCTL_MOVE_EXCL']),
 'keyctl_caps0': ('KEYCTL_CAPS0_???', '0', None, [], ['KEYCTL_CAPS0_CAPABILITIES',
        'KEYCTL_CAPS0_PERSISTENT_KEYRINGS', 'KEYCTL_CAPS0_DIFFIE_HELLMAN', 'KEYCTL_CAPS0_PUBLIC_KEY',
        'KEYCTL_CAPS0_BIG_KEY', 'KEYCTL_CAPS0_INVALIDATE', 'KEYCTL_CAPS0_RESTRICT_KEYRING',
        'KEYCTL_CAPS0_MOVE']),
 'keyctl_caps1': ('KEYCTL_CAPS1_???', '0', None, [], ['KEYCTL_CAPS1_NS_KEYRING_NAME',
        'KEYCTL_CAPS1_NS_KEY_TAG', 'KEYCTL_CAPS1_NOTIFICATIONS']),
 # No exported header names these (the kernel's include/linux/syslog.h is internal), so the
 # values are literals; strace prints them as `10 /* SYSLOG_ACTION_SIZE_BUFFER */`.
 'syslog_type': ('SYSLOG_ACTION_???', None, 'ENUM', ['SYSLOG_ACTION_CLOSE=0', 'SYSLOG_ACTION_OPEN=1',
        'SYSLOG_ACTION_READ=2', 'SYSLOG_ACTION_READ_ALL=3', 'SYSLOG_ACTION_READ_CLEAR=4', 'SYSLOG_ACTION_CLEAR=5',
        'SYSLOG_ACTION_CONSOLE_OFF=6', 'SYSLOG_ACTION_CONSOLE_ON=7', 'SYSLOG_ACTION_CONSOLE_LEVEL=8',
        'SYSLOG_ACTION_SIZE_UNREAD=9', 'SYSLOG_ACTION_SIZE_BUFFER=10'], [], 'decimal'),
}



def header_names(spec):
    """Returns the names a 'header:REGEX' spec stands for: every `#define NAME <number>` of
    /usr/include/<header> whose NAME matches REGEX, in the header's order."""
    header, pattern = spec.split(':', 1)
    with open(os.path.join('/usr/include', header)) as f:
        text = f.read()
    return [m.group(1) for m in re.finditer(r'^#define\s+(\w+)\s+\(?(?:0x[0-9a-fA-F]+|\d+)\b', text, re.M)
            if re.fullmatch(pattern, m.group(1))]


# Filesystem magics that linux/magic.h lacks (other filesystems' own headers, out-of-tree
# ones), as strace names them; checked against any header that defines them.
FS_MAGIC_EXTRA = [
    'Z3FOLD_MAGIC=0x33', 'DEVFS_SUPER_MAGIC=0x1373', 'EXT_SUPER_MAGIC=0x137d', 'MINIX_SUPER_MAGIC2=0x138f',
    'MINIX2_SUPER_MAGIC2=0x2478', 'HFS_SUPER_MAGIC=0x4244', 'HFSPLUS_SUPER_MAGIC=0x482b',
    'EXOFS_SUPER_MAGIC=0x5df5', 'ROMFS_MAGIC=0x7275', 'EXT2_OLD_SUPER_MAGIC=0xef51', 'UFS_MAGIC=0x11954',
    'GFS2_MAGIC=0x1161970', 'XIAFS_SUPER_MAGIC=0x12fd16d', 'XENIX_SUPER_MAGIC=0x12ff7b4',
    'SYSV4_SUPER_MAGIC=0x12ff7b5', 'SYSV2_SUPER_MAGIC=0x12ff7b6', 'COH_SUPER_MAGIC=0x12ff7b7',
    'SHMFS_SUPER_MAGIC=0x2011994', 'BALLOON_KVM_MAGIC=0x13661366', 'BFS_MAGIC=0x1badface',
    'UBIFS_SUPER_MAGIC=0x24051905', 'ZFS_SUPER_MAGIC=0x2fc12fc1', 'JFS_SUPER_MAGIC=0x3153464a',
    'BEFS_SUPER_MAGIC=0x42465331', 'CRAMFS_MAGIC_WEND=0x453dcd28', 'GPFS_SUPER_MAGIC=0x47504653',
    'NTFS_SB_MAGIC=0x5346544e', 'UFS_CIGAM=0x54190100', 'VZFS_SUPER_MAGIC=0x565a4653',
    'ZSMALLOC_MAGIC=0x58295829', 'AUFS_SUPER_MAGIC=0x61756673', 'CONFIGFS_MAGIC=0x62656570',
    'FUSE_CTL_SUPER_MAGIC=0x65735543', 'VXFS_SUPER_MAGIC=0xa501fcf5', 'PPC_CMM_MAGIC=0xc7571590',
    'LOGFS_MAGIC=0xc97e8168', 'EROFS_SUPER_MAGIC_V1=0xe0f5e1e2']

# A field list given as 'header:REGEX' is read from that header (the names it defines).
SCANNED = {name: spec[3] for name, spec in SETS.items() if isinstance(spec[3], str)}
for _name, _spec in SCANNED.items():
    _extra = FS_MAGIC_EXTRA if _name == 'fs_magic' else []
    SETS[_name] = SETS[_name][:3] + (header_names(_spec) + _extra,) + SETS[_name][4:]

# ioctl requests: every request these kernel headers define (as _IO/_IOR/_IOW/_IOWR, or a
# number of at least 0x100 for the old tty, socket and block ones) under a name the
# header's pattern matches, as strace's ioctl tables are built from the kernel's headers. A
# third program computes them with only kernel headers (linux/fs.h clashes with glibc's
# sys/mount.h). Requests that share a value print as "A or B", as strace prints them.
IOCTL_HEADERS = [
    ('asm-generic/ioctls.h', r'(TC|TIOC|FIO)\w+'), ('linux/fs.h', r'(FS_IOC|FS_IOC32|BLK|FI|FS)\w+'),
    ('linux/sockios.h', r'SIOC\w+'), ('linux/loop.h', r'LOOP_\w+'), ('linux/random.h', r'RND\w+'),
    ('linux/nsfs.h', r'NS_\w+'), ('linux/perf_event.h', r'PERF_EVENT_IOC_\w+'),
    ('linux/seccomp.h', r'SECCOMP_IOCTL_\w+'), ('linux/userfaultfd.h', r'UFFDIO_\w+'), ('linux/vt.h', r'VT_\w+'),
    ('linux/kd.h', r'(KD|GIO|PIO|KIOC)\w+'), ('linux/rtc.h', r'RTC_\w+'), ('linux/watchdog.h', r'WDIOC_\w+'),
    ('linux/if_tun.h', r'TUN\w+'), ('linux/fscrypt.h', r'FS_IOC_\w+'), ('linux/fsverity.h', r'FS_IOC_\w+'),
    ('linux/cdrom.h', r'CDROM\w+'), ('linux/fd.h', r'FD\w+'), ('linux/hdreg.h', r'HDIO_\w+'),
    ('linux/blkzoned.h', r'BLK\w+'), ('linux/ptp_clock.h', r'PTP_\w+'), ('linux/gpio.h', r'GPIO\w+'),
]
# The headers whose requests are plain numbers (the others' numbers are flags and sizes).
IOCTL_NUMERIC = {'asm-generic/ioctls.h', 'linux/sockios.h', 'linux/loop.h', 'linux/vt.h', 'linux/kd.h',
                 'linux/cdrom.h', 'linux/hdreg.h'}


def ioctl_names():
    """Returns the ioctl request names IOCTL_HEADERS define, in header order, once each."""
    names = []
    for header, pattern in IOCTL_HEADERS:
        with open(os.path.join('/usr/include', header)) as f:
            text = f.read()
        for m in re.finditer(r'^#define\s+(\w+)\s+(_IO[RW]*\s*\(|0x[0-9a-fA-F]+\b|\d+\b)', text, re.M):
            name, value = m.group(1), m.group(2)
            if not re.fullmatch(pattern, name) or name in names:
                continue
            if not value.startswith('_IO') and (header not in IOCTL_NUMERIC or int(value, 0) < 0x100):
                continue  # a mode, flag or size of the header, not a request
            names.append(name)
    return names


def ioctl_values(d):
    """Returns [(value, name)] of ioctl_names() and the hand list of SETS['ioctl_request'],
    sorted by value, then name."""
    names = ioctl_names()
    headers = ['asm/termbits.h', 'linux/fiemap.h', 'linux/blktrace_api.h', 'linux/serial.h']  # the structs' types
    prog = ['#include <stdio.h>'] + ['#include <%s>' % h for h in headers + [h for h, _ in IOCTL_HEADERS]]
    prog.append('int main(void) {')
    # A name the headers define only in a comment or an #if 0 block is skipped.
    prog += [f'#ifdef {n}\n  printf("0x%llx {n}\\n", (unsigned long long)({n}));\n#endif' for n in names]
    prog.append('  return 0; }')
    r = compile_and_run(d, 'ioctl', '\n'.join(prog))
    pairs = set()
    for line in r.stdout.splitlines():
        v, n = line.split()
        pairs.add((int(v, 16) & 0xffffffff, n))
    return pairs


# Literals checked by a second program that includes only the kernel's headers: struct
# termios2 clashes with glibc's termios.h, and glibc defines O_LARGEFILE as 0 on 64-bit
# while the kernel (and strace) use the asm-generic value.
CHECK_APART = {n: ['asm/termbits.h', 'asm/ioctls.h'] for n in ('TCGETS2', 'TCSETS2', 'TCSETSW2', 'TCSETSF2')}
CHECK_APART['O_LARGEFILE'] = ['asm/fcntl.h']

# flag_set enumerators that share another set's table.
ALIASES = {'clock_flags': 'timer_flags'}


def split(n):
    return n.split('=', 1) if '=' in n else (n, None)


def checkval(prog, name, lit):
    """Appends the C lines that fail the program when the headers define `name` as another value."""
    prog.append(f'#ifdef {name}')
    prog.append(f'  if ((unsigned long long)({name}) != (unsigned long long)({lit})) {{')
    prog.append(f'    fprintf(stderr, "{name} is %#llx in the headers, {lit} in gen_xlat.py\\n",'
                f' (unsigned long long)({name}));')
    prog.append('    bad = 1;')
    prog.append('  }')
    prog.append('#endif')


def c_programs():
    """Returns the program that prints every value, and the one that checks CHECK_APART."""
    apart_headers = sorted({h for hs in CHECK_APART.values() for h in hs})
    apart = ['#include <stdio.h>'] + ['#include <%s>' % h for h in apart_headers]
    apart += ['static int bad;', 'int main(void) {']
    prog = [HEADERS, 'static int bad;', 'int main(void) {']
    for set_name, spec in SETS.items():
        mask = spec[2]
        for part, names in (('field', spec[3]), ('bits', spec[4])):
            prog.append(f'  printf("%s %s\\n", "{set_name}", "{part}");')
            for n in names:
                name, lit = split(n)
                val = lit if lit is not None else name
                if part == 'field' and mask not in (None, 'ENUM'):
                    val = f'({val}) & ({mask})'
                if lit is not None:
                    # #checkval: a literal must agree with the headers that define the name.
                    checkval(apart if name in CHECK_APART else prog, name, lit)
                prog.append(f'  printf("  0x%llx %s\\n", (unsigned long long)({val}), "{name}");')
        if mask not in (None, 'ENUM'):
            prog.append(f'  printf("%s mask 0x%llx\\n", "{set_name}", (unsigned long long)({mask}));')
    prog.append('  return bad; }')
    apart.append('  return bad; }')
    return '\n'.join(prog), '\n'.join(apart)


def compile_and_run(d, name, source):
    src = os.path.join(d, name + '.c')
    with open(src, 'w') as f:
        f.write(source)
    cc = subprocess.run(['gcc', '-o', os.path.join(d, name), src], capture_output=True, text=True)
    if cc.returncode != 0:
        raise GeneratorError('the C program does not compile:\n' + cc.stderr)
    r = subprocess.run([os.path.join(d, name)], capture_output=True, text=True)
    if r.returncode != 0:
        raise GeneratorError('values disagree with the headers:\n' + r.stderr)
    return r


def read_values():
    prog, apart = c_programs()
    with tempfile.TemporaryDirectory() as d:
        compile_and_run(d, 'apart', apart)
        r = compile_and_run(d, 'gen', prog)
        ioctls = ioctl_values(d)
    values, masks, cur = {}, {}, None
    for line in r.stdout.splitlines():
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
    return values, masks, ioctls


def generate():
    with open(os.path.join(INCLUDE, 'sys', 'arg.hpp')) as f:
        flag_sets = read_enum(f.read(), 'flag_set')
    missing = [s for s in flag_sets[1:] if s not in SETS and ALIASES.get(s) not in SETS]
    if flag_sets[0] != 'none':
        raise GeneratorError('flag_set must start with none')
    if missing:
        raise GeneratorError('no table for flag_set %s: add it to SETS in scripts/format/gen_xlat.py'
                             % ', '.join(missing))
    values, masks, ioctls = read_values()
    o = ['// Defines the x86-64 values of the symbolic names the formatter prints and the table of',
         '// every flag set. Generated by scripts/format/gen_xlat.py from the C and kernel headers;',
         '// do not edit by hand.', '// clang-format off', '#pragma once', '', '#include <array>',
         '#include <cstddef>', '#include <cstdint>', '', '#include <snare/format/detail/xlat.hpp>',
         '#include <snare/sys/arg.hpp>', '', 'namespace snare::format::detail {', '']
    for set_name, spec in SETS.items():
        unknown, zero, mask, field, bits = spec[:5]
        style = spec[5] if len(spec) > 5 else None
        if set_name in SCANNED:  # names that share a value: the header's first one
            seen = set()
            values[(set_name, 'field')] = [e for e in values[(set_name, 'field')]
                                           if e[0] not in seen and not seen.add(e[0])]
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
        dec = ', true' if style == 'decimal' else ''
        o.append(f'inline constexpr xlat {set_name}_xlat{{{fld}, {m}, {bts}, {z}, {unk}{dec}}};')
        o.append('')
    # Every ioctl request, the hand list's names included, sorted for a binary search.
    ioctls |= {(v & 0xffffffff, n) for v, n in values[('ioctl_request', 'field')]}
    o.append('/// Names every ioctl request of the kernel headers, sorted by value, then name.')
    o.append('inline constexpr xlat_entry ioctl_names[] = {')
    for v, n in sorted(ioctls):
        o.append(f'    {{0x{v:x}, "{n}"}},')
    o.append('};')
    o.append('')
    o.append('/// Holds the table of each flag_set, indexed by its value (none has no table).')
    o.append(f'inline constexpr std::array<const xlat*, {len(flag_sets)}> xlat_by_set = {{{{')
    o.append('    nullptr,  // none')
    for s in flag_sets[1:]:
        o.append(f'    &{ALIASES.get(s, s)}_xlat,  // {s}')
    o.append('}};')
    o.append('')
    o.append('/// Returns the table of flag set `s`; nullptr only for flag_set::none.')
    o.append('constexpr const xlat* xlat_for(sys::flag_set s) noexcept {')
    o.append('  auto i = static_cast<std::size_t>(s);')
    o.append('  return i < xlat_by_set.size() ? xlat_by_set[i] : nullptr;')
    o.append('}')
    o.append('')
    o.append('}  // namespace snare::format::detail')
    return {OUTPUT: '\n'.join(o) + '\n'}


if __name__ == '__main__':
    sys.exit(run(__file__, __doc__, generate))
