// Defines a program that makes a fixed list of system calls, formats each one with snare
// from its own memory (self_memory; entry before the call, exit after it, fd paths with a
// third argument -y) and writes the lines to the file named by argv[1].
// strace_compare_test runs it under the real strace and checks each line against strace's.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/videodev2.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <snare/format.hpp>
#include <snare/sys/x86_64.hpp>

namespace {

std::vector<std::string> lines;

// Opens a pseudo-terminal's two ends (the tty ioctls need a terminal); -1 when there is none.
int open_pty(int& master) {
  master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return -1;
  const char* name = ::ptsname(master);
  return name ? ::open(name, O_RDWR | O_NOCTTY) : -1;
}

bool show_fd_paths = false;
bool verbose = false;  // -v: only the calls whose verbose form snare prints (uname, getrusage)

// Formats the call the way a tracer does: the entry before the call, the exit after it.
template <class... A>
long traced(long nr, A... a) {
  std::uint64_t regs[6] = {static_cast<std::uint64_t>(a)...};
  snare::sys::raw_args args{};
  for (std::size_t i = 0; i < sizeof...(A); ++i) args[i] = regs[i];
  const snare::sys::syscall_desc& desc = *snare::sys::x86_64::descriptor(nr);
  auto mem = snare::format::self_memory();
  snare::format::proc_fd_resolver fds(::getpid());
  snare::format::options opts;
  opts.align_column = 40;  // strace's default -a
  opts.show_fd_paths = show_fd_paths;
  opts.verbose = verbose;
  std::string line;
  snare::format::entry_state state;  // in-out values from entry to exit ([110 => 2])
  bool ok = static_cast<bool>(snare::format::format_entry(line, desc, args, mem, opts, fds, &state));
  long ret = ::syscall(nr, a...);
  std::int64_t raw = ret == -1 ? -static_cast<std::int64_t>(errno) : ret;
  ok = ok && snare::format::format_exit(line, desc, args, raw, mem, opts, fds, &state);
  if (ok) lines.push_back(std::move(line));
  return ret;
}

template <class T>
std::uint64_t p(T* ptr) {
  return reinterpret_cast<std::uint64_t>(ptr);
}

// bpf (decode/bpf*.hpp) and perf_event_open (decode/perf.hpp). Whether the kernel allows
// them here or not, strace and snare see the same calls; with -v the map's info struct and
// the program's instructions too.
void bpf_and_perf_calls() {
  union bpf_attr map {};
  map.map_type = BPF_MAP_TYPE_ARRAY;
  map.key_size = 4;
  map.value_size = 8;
  map.max_entries = 1;
  std::strcpy(map.map_name, "snare_map");
  long mfd = traced(SYS_bpf, BPF_MAP_CREATE, p(&map), 72);
  union bpf_attr next {};
  traced(SYS_bpf, BPF_MAP_GET_NEXT_ID, p(&next), 12);
  if (mfd >= 0) {
    bpf_map_info mi{};
    union bpf_attr info {};
    info.info.bpf_fd = static_cast<std::uint32_t>(mfd);
    info.info.info_len = sizeof mi;
    info.info.info = p(&mi);
    traced(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, p(&info), 16);
    traced(SYS_close, mfd);
  }
  const bpf_insn insns[2] = {{0xb7, 0, 0, 0, 0}, {0x95, 0, 0, 0, 0}};  // r0 = 0; exit
  union bpf_attr prog {};
  prog.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  prog.insn_cnt = 2;
  prog.insns = p(insns);
  prog.license = p("GPL");
  long pfd = traced(SYS_bpf, BPF_PROG_LOAD, p(&prog), 128);
  if (pfd >= 0) traced(SYS_close, pfd);
  perf_event_attr pe{};
  pe.type = PERF_TYPE_SOFTWARE;
  pe.size = 128;  // PERF_ATTR_SIZE_VER7: strace 6.1's struct, whatever the host header's
  pe.config = PERF_COUNT_SW_DUMMY;
  pe.disabled = 1;
  pe.exclude_kernel = 1;
  long efd = traced(SYS_perf_event_open, p(&pe), 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
  if (efd >= 0) traced(SYS_close, efd);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) return 2;
  show_fd_paths = argc == 4 && std::string(argv[3]) == "-y";
  verbose = argc == 4 && std::string(argv[3]) == "-v";
  if (verbose) {
    utsname vu{};
    traced(SYS_uname, p(&vu));
    rusage ru{};
    traced(SYS_getrusage, RUSAGE_SELF, p(&ru));
    int vmaster = -1, vpts = open_pty(vmaster);
    unsigned char vtio[64] = {};
    if (vpts >= 0) traced(SYS_ioctl, vpts, TCGETS, p(vtio));
    traced(SYS_getrusage, RUSAGE_CHILDREN, p(&ru));
    bpf_and_perf_calls();
    FILE* out = std::fopen(argv[1], "w");
    if (out == nullptr) return 1;
    for (const auto& l : lines) std::fprintf(out, "%s\n", l.c_str());
    std::fclose(out);
    return 0;
  }
  const char* file = argv[2];  // a file with known content
  char buf[4096];
  struct stat st {};
  long fd = traced(SYS_openat, AT_FDCWD, p(file), O_RDONLY | O_CLOEXEC);
  traced(SYS_read, fd, p(buf), sizeof buf);
  traced(SYS_lseek, fd, 0, SEEK_SET);
  traced(SYS_pread64, fd, p(buf), 7, 3);
  traced(SYS_fstat, fd, p(&st));
  traced(SYS_newfstatat, AT_FDCWD, p(file), p(&st), 0);
  traced(SYS_newfstatat, AT_FDCWD, p("/dev/null"), p(&st), AT_SYMLINK_NOFOLLOW);
  traced(SYS_fcntl, fd, F_GETFD);
  traced(SYS_fcntl, fd, F_GETFL);
  traced(SYS_close, fd);
  traced(SYS_close, 12345);
  traced(SYS_openat, AT_FDCWD, p("/nonexistent/x"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  traced(SYS_openat, AT_FDCWD, 24, O_RDONLY);
  long null = traced(SYS_openat, AT_FDCWD, p("/dev/null"), O_WRONLY);
  const char weird[] =
      "a\tb\"c\\d\n\x01\x7f\x80\xff"
      "1\0012\0end";
  traced(SYS_write, null, p(weird), sizeof weird);
  traced(SYS_write, null, 16, 5);
  iovec iov[2] = {{const_cast<char*>("hello"), 5}, {const_cast<char*>(" world\n"), 7}};
  traced(SYS_writev, null, p(iov), 2);
  void* m = reinterpret_cast<void*>(
      traced(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  traced(SYS_mprotect, p(m), 4096, PROT_NONE);
  traced(SYS_munmap, p(m), 8192);
  std::uint64_t set = (1u << (SIGINT - 1)) | (1u << (SIGTERM - 1)), old = 0;
  traced(SYS_rt_sigprocmask, SIG_BLOCK, p(&set), p(&old), 8);
  traced(SYS_rt_sigprocmask, SIG_SETMASK, p(&old), 0, 8);
  snare::arch::x86_64::kernel_sigaction oact{};
  traced(SYS_rt_sigaction, SIGQUIT, 0, p(&oact), 8);
  rlimit rl{};
  traced(SYS_prlimit64, 0, RLIMIT_STACK, 0, p(&rl));
  traced(SYS_getrlimit, RLIMIT_NOFILE, p(&rl));
  utsname u{};
  traced(SYS_uname, p(&u));
  int fds[2];
  traced(SYS_pipe2, p(fds), O_CLOEXEC);
  timespec ts{0, 1000};
  traced(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, p(&ts), 0);
  traced(SYS_clock_gettime, CLOCK_MONOTONIC, p(&ts));
  long s = traced(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(1);
  sin.sin_addr.s_addr = inet_addr("127.0.0.1");
  traced(SYS_connect, s, p(&sin), sizeof sin);
  long us = traced(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::strcpy(sun.sun_path, "/nonexistent/socket");
  traced(SYS_connect, us, p(&sun), sizeof sun);
  traced(SYS_kill, 999999, SIGTERM);
  // ptrace(2) on a pid that is not a tracee (ESRCH): the arguments as strace shows them.
  traced(SYS_ptrace, PTRACE_SETOPTIONS, 999999, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
  traced(SYS_ptrace, PTRACE_CONT, 999999, 0, SIGUSR1);
  siginfo_t psi{};
  psi.si_signo = SIGSEGV;
  psi.si_code = SEGV_MAPERR;
  psi.si_addr = reinterpret_cast<void*>(0x1000);
  traced(SYS_ptrace, PTRACE_SETSIGINFO, 999999, 0, p(&psi));
  std::uint64_t pregs[27] = {};
  iovec piov{pregs, 16};
  traced(SYS_ptrace, PTRACE_GETREGSET, 999999, 1 /* NT_PRSTATUS */, p(&piov));
  traced(SYS_ptrace, PTRACE_SETREGSET, 999999, 2 /* NT_FPREGSET */, p(&piov));
  traced(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, 999999, 88, 0);
  std::uint64_t pword = 0;
  traced(SYS_ptrace, PTRACE_PEEKUSER, 999999, 8 * 10 /* 8*RAX */, p(&pword));
  traced(SYS_ptrace, PTRACE_POKEUSER, 999999, 848 + 8 /* u_debugreg[1] */, 0);
  traced(SYS_access, p(file), R_OK | W_OK);
  traced(SYS_umask, 022);
  traced(SYS_umask, 022);
  traced(SYS_getpid);
  struct statx sx {};
  traced(SYS_statx, AT_FDCWD, p(file), 0, STATX_BASIC_STATS, p(&sx));
  snare::arch::x86_64::kernel_sigaction act{0x1234, 0x04000000 | SA_RESTART, 0x5678, 1u << (SIGTERM - 1)};
  traced(SYS_rt_sigaction, SIGUSR1, p(&act), 0, 8);
  pollfd pfd[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
  traced(SYS_poll, p(pfd), 2, 0);
  long ep = traced(SYS_epoll_create1, EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.fd = 5;
  traced(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fds[0], p(&ev));
  long dir = traced(SYS_openat, AT_FDCWD, p("/"), O_RDONLY | O_DIRECTORY);
  traced(SYS_getdents64, dir, p(buf), sizeof buf);
  long dir2 = traced(SYS_openat, AT_FDCWD, p("/tmp"), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY);
  traced(SYS_close, dir2);
  // File times with their dates (strace prints them in local time, as the helper does).
  timespec times[2] = {{1577934245, 123456789}, {0, UTIME_OMIT}};
  traced(SYS_utimensat, AT_FDCWD, p(file), p(times), 0);
  timeval tv[2] = {{1, 2}, {1700000000, 999999}};
  traced(SYS_utimes, p(file), p(tv));
  // keyctl: serials by name, permissions, a text buffer filled at exit; whatever the host
  // allows (a container may refuse keyctl: the failure prints the same way).
  traced(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0);
  traced(SYS_keyctl, KEYCTL_SETPERM, 12345, 0x01010000);
  traced(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_USER_KEYRING, p(buf), sizeof buf);
  traced(SYS_keyctl, 9999, 1, 2, 3, 4);
  pid_t child = ::fork();
  if (child == 0) ::_exit(3);
  int status = 0;
  traced(SYS_wait4, child, p(&status), 0, 0);
  traced(SYS_futex, p(&status), FUTEX_WAKE_PRIVATE, 1);
  // A WNOHANG wait4 that reaps nothing stores nothing: strace prints the addresses.
  pid_t sleeper = ::fork();
  if (sleeper == 0) {
    ::pause();
    ::_exit(0);
  }
  rusage child_ru{};
  traced(SYS_wait4, sleeper, p(&status), WNOHANG, p(&child_ru));
  ::kill(sleeper, SIGKILL);
  ::waitpid(sleeper, nullptr, 0);

  // int arguments are the low 32 bits of their register (garbage above them is ignored).
  traced(SYS_alarm, 0xffffffff0000002aULL);
  traced(SYS_alarm, 0);
  traced(SYS_getgroups, 0xffffffff00000000ULL, 0);
  traced(SYS_getgroups, ~0ULL, 0);
  traced(SYS_poll, 0, 0, 0xffffffff00000000ULL);
  traced(SYS_readv, 0, 0, ~0ULL);
  traced(SYS_getpriority, PRIO_PROCESS, 0xffffffff00000000ULL);
  traced(SYS_sethostname, 0, 0xffffffff0000003fULL);
  traced(SYS_ioprio_get, 1, 0);
  traced(SYS_ioprio_get, 0xdeadfacefa57beefULL, 0xbadc0dedda7a1057ULL);
  // A string that runs into an unmapped page before its NUL prints as its address.
  auto* page =
      static_cast<char*>(::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ::munmap(page + 4096, 4096);
  std::memset(page + 4090, 'a', 6);
  traced(SYS_chdir, p(page + 4090));
  std::memset(page + 4040, 'b', 56);
  traced(SYS_chdir, p(page + 4040));
  traced(SYS_fgetxattr, fd, p(page + 4063), 0, 0);
  traced(SYS_fgetxattr, fd, p(page + 4064), 0, 0);

  // fcntl's commands with their structs and results; statfs; faccessat2's AT_EACCESS.
  long lf = traced(SYS_openat, AT_FDCWD, p(file), O_RDWR);
  struct flock fl {};
  fl.l_type = F_RDLCK;
  fl.l_len = 16;
  traced(SYS_fcntl, lf, F_SETLK, p(&fl));
  traced(SYS_fcntl, lf, F_GETLK, p(&fl));
  traced(SYS_fcntl, lf, F_OFD_GETLK, p(&fl));
  traced(SYS_fcntl, lf, F_SETFD, FD_CLOEXEC);
  traced(SYS_fcntl, lf, F_GETFD);
  traced(SYS_fcntl, lf, F_DUPFD_CLOEXEC, 100);
  traced(SYS_fcntl, lf, F_GETLEASE);
  traced(SYS_fcntl, lf, F_GETSIG);
  traced(SYS_fcntl, lf, F_SETSIG, SIGHUP);
  traced(SYS_fcntl, lf, F_GETSIG);
  traced(SYS_fcntl, lf, F_GETOWN);
  struct statfs sfs {};
  traced(SYS_statfs, p("/proc/self/status"), p(&sfs));
  traced(SYS_fstatfs, lf, p(&sfs));
  traced(SYS_faccessat2, AT_FDCWD, p(file), R_OK, AT_EACCESS);
  snare::arch::x86_64::kernel_sigaction act2{
      0x1234, 0x04000000 | SA_ONSTACK | SA_RESTART | SA_SIGINFO | SA_NODEFER, 0x5678, 0};
  traced(SYS_rt_sigaction, SIGUSR2, p(&act2), 0, 8);

  // prctl: options by name, their arguments, what the call stores, named results.
  traced(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
  traced(SYS_prctl, PR_SET_NAME, p("snare-helper"), 0, 0, 0);
  char comm[16] = {};
  traced(SYS_prctl, PR_GET_NAME, p(comm), 0, 0, 0);
  int deathsig = -1;
  traced(SYS_prctl, PR_GET_PDEATHSIG, p(&deathsig), 0, 0, 0);
  traced(SYS_prctl, PR_CAPBSET_READ, 21, 0, 0, 0);
  traced(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
  traced(SYS_prctl, PR_GET_TSC, p(&deathsig), 0, 0, 0);
  traced(SYS_prctl, PR_GET_CHILD_SUBREAPER, p(&deathsig), 0, 0, 0);
  traced(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  traced(SYS_prctl, PR_MCE_KILL_GET, 0, 0, 0, 0);
  traced(SYS_prctl, 0xdeadbeef, 1, 2, 3, 4);

  // ioctl requests by name (a regular file refuses them: strace prints the argument as is;
  // requests strace decodes itself, such as NS_GET_USERNS with no argument, are not here).
  std::uint64_t size64 = 0;
  traced(SYS_ioctl, lf, 0x80081272, p(&size64));  // BLKGETSIZE64
  traced(SYS_ioctl, lf, 0x4c05, p(&size64));      // LOOP_GET_STATUS64
  traced(SYS_ioctl, lf, 0x8008dead, p(&size64));  // no name: _IOC(...)

  // btrfs requests on a regular file (ENOTTY): the arguments strace prints at entry, the
  // address of a read-only request's after the failure.
  btrfs_ioctl_vol_args_v2 bv{};
  bv.fd = 2, bv.flags = BTRFS_SUBVOL_RDONLY | 8;
  std::strcpy(bv.name, "subvol");
  traced(SYS_ioctl, lf, BTRFS_IOC_SNAP_CREATE_V2, p(&bv));
  btrfs_ioctl_defrag_range_args bd{};
  bd.len = ~0ull, bd.flags = BTRFS_DEFRAG_RANGE_COMPRESS, bd.compress_type = 2;
  traced(SYS_ioctl, lf, BTRFS_IOC_DEFRAG_RANGE, p(&bd));
  btrfs_ioctl_search_args bs{};
  bs.key.tree_id = BTRFS_FS_TREE_OBJECTID, bs.key.min_objectid = 256, bs.key.max_objectid = ~0ull;
  bs.key.max_offset = ~0ull, bs.key.max_type = ~0u, bs.key.nr_items = 10;
  traced(SYS_ioctl, lf, BTRFS_IOC_TREE_SEARCH, p(&bs));
  btrfs_ioctl_feature_flags bf[2]{};
  bf[0].incompat_flags = BTRFS_FEATURE_INCOMPAT_NO_HOLES | (1ull << 40);
  traced(SYS_ioctl, lf, BTRFS_IOC_SET_FEATURES, p(bf));
  traced(SYS_ioctl, lf, BTRFS_IOC_GET_FEATURES, p(bf));
  traced(SYS_ioctl, lf, BTRFS_IOC_SYNC, 0);
  traced(SYS_ioctl, lf, BTRFS_IOC_BALANCE_CTL, 1);

  // V4L2 requests on a regular file (ENOTTY): what strace prints at entry, what it prints
  // at exit after a failure (the extended controls again, their error index).
  v4l2_format vf{};
  vf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  vf.fmt.pix.width = 640;
  vf.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
  vf.fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
  traced(SYS_ioctl, lf, VIDIOC_S_FMT, p(&vf));
  traced(SYS_ioctl, lf, VIDIOC_G_FMT, p(&vf));
  v4l2_clip clip{};
  clip.c = {-1, 2, 3, 4};
  vf = {};
  vf.type = V4L2_BUF_TYPE_VIDEO_OVERLAY;
  vf.fmt.win.clips = &clip;
  vf.fmt.win.clipcount = 1;
  vf.fmt.win.global_alpha = 9;
  traced(SYS_ioctl, lf, VIDIOC_TRY_FMT, p(&vf));
  vf.type = 0x77;  // no union member: the type alone
  traced(SYS_ioctl, lf, VIDIOC_S_FMT, p(&vf));
  v4l2_buffer vb{};
  vb.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  vb.index = 3;
  traced(SYS_ioctl, lf, VIDIOC_QBUF, p(&vb));
  traced(SYS_ioctl, lf, VIDIOC_DQBUF, p(&vb));
  v4l2_control vc{V4L2_CID_BRIGHTNESS, -5};
  traced(SYS_ioctl, lf, VIDIOC_S_CTRL, p(&vc));
  v4l2_queryctrl vq{};
  vq.id = V4L2_CTRL_FLAG_NEXT_CTRL | (V4L2_CTRL_CLASS_CAMERA + 0x9ff);
  traced(SYS_ioctl, lf, VIDIOC_QUERYCTRL, p(&vq));
  v4l2_ext_control vx[2]{};
  vx[0].id = V4L2_CID_CONTRAST;
  vx[0].value = 3;
  vx[1].id = V4L2_CID_HUE;
  vx[1].size = 4;
  char vs[] = "abcd";
  vx[1].string = vs;
  v4l2_ext_controls vxs{};
  vxs.ctrl_class = V4L2_CTRL_CLASS_USER;
  vxs.count = 2;
  vxs.controls = vx;
  traced(SYS_ioctl, lf, VIDIOC_S_EXT_CTRLS, p(&vxs));
  traced(SYS_ioctl, lf, VIDIOC_G_EXT_CTRLS, p(&vxs));
  v4l2_streamparm vp{};
  vp.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  vp.parm.output.timeperframe = {1, 25};
  traced(SYS_ioctl, lf, VIDIOC_S_PARM, p(&vp));
  v4l2_tuner vt{};
  std::memcpy(vt.name, "FM", 3);
  vt.type = V4L2_TUNER_RADIO;
  traced(SYS_ioctl, lf, VIDIOC_S_TUNER, p(&vt));
  v4l2_frmivalenum vi{};
  vi.pixel_format = V4L2_PIX_FMT_MJPEG;
  vi.width = 320;
  traced(SYS_ioctl, lf, VIDIOC_ENUM_FRAMEINTERVALS, p(&vi));
  v4l2_create_buffers vcb{};
  vcb.count = 2;
  vcb.memory = V4L2_MEMORY_MMAP;
  vcb.format.type = V4L2_BUF_TYPE_SDR_OUTPUT;
  vcb.format.fmt.sdr.pixelformat = V4L2_SDR_FMT_CU8;
  traced(SYS_ioctl, lf, VIDIOC_CREATE_BUFS, p(&vcb));

  // The tty ioctls on a pseudo-terminal: termios, winsize, ints, no argument.
  int master = -1, pts = open_pty(master);
  if (pts >= 0) {
    unsigned char tio[64] = {};  // the kernel's struct termios is 36 bytes
    traced(SYS_ioctl, pts, TCGETS, p(tio));
    traced(SYS_ioctl, pts, TCSETS, p(tio));
    struct winsize ws {};
    ws.ws_row = 24;
    ws.ws_col = 80;
    traced(SYS_ioctl, pts, TIOCSWINSZ, p(&ws));
    traced(SYS_ioctl, pts, TIOCGWINSZ, p(&ws));
    int n = 0;
    traced(SYS_ioctl, pts, FIONREAD, p(&n));
    traced(SYS_ioctl, master, TIOCGPTN, p(&n));
    n = 1;
    traced(SYS_ioctl, pts, FIONBIO, p(&n));
    traced(SYS_ioctl, pts, FIOCLEX);
    traced(SYS_ioctl, pts, TCFLSH, TCIFLUSH);
  }

  // Socket option names by level (an AF_UNIX socket refuses TCP's and IP's options).
  int optval = 0;
  socklen_t optlen = sizeof optval;
  traced(SYS_getsockopt, us, IPPROTO_TCP, 1, p(&optval), p(&optlen));  // TCP_NODELAY
  traced(SYS_getsockopt, us, IPPROTO_IP, 2, p(&optval), p(&optlen));   // IP_TTL
  traced(SYS_setsockopt, us, IPPROTO_TCP, 2, 0, 0);                    // TCP_MAXSEG
  traced(SYS_setsockopt, us, IPPROTO_IPV6, 26, 0, 0);                  // IPV6_V6ONLY
  traced(SYS_setsockopt, us, 0x1234, 7, 0, 0);                         // no such level

  // openat2's struct open_how; timer_create's struct sigevent and the id stored at exit.
  std::uint64_t how[3] = {O_RDONLY | O_CLOEXEC, 0, 0x08};  // RESOLVE_BENEATH
  long o2 = traced(SYS_openat2, AT_FDCWD, p(file), p(how), sizeof how);
  traced(SYS_close, o2);
  struct sigevent sev {};
  sev.sigev_notify = SIGEV_NONE;
  sev.sigev_value.sival_ptr = &sev;
  int timer = -1;
  traced(SYS_timer_create, CLOCK_MONOTONIC, p(&sev), p(&timer));
  traced(SYS_timer_delete, timer);

  // Modes: st_mode names the sticky and set-id bits; a mode argument is plain octal.
  traced(SYS_newfstatat, AT_FDCWD, p("/tmp"), p(&st), 0);
  traced(SYS_chmod, p(file), 02640);
  traced(SYS_newfstatat, AT_FDCWD, p(file), p(&st), 0);
  traced(SYS_chmod, p(file), 0640);

  // Value-result lengths: [in => out] when the call changed them.
  sockaddr_un name{};
  socklen_t namelen = sizeof name;
  traced(SYS_getsockname, us, p(&name), p(&namelen));
  namelen = 1;
  traced(SYS_getsockname, us, p(&name), p(&namelen));
  traced(SYS_getsockname, 12345, p(&name), p(&namelen));
  sockaddr_in sin2{};
  socklen_t sinlen = sizeof sin2;
  traced(SYS_getsockname, s, p(&sin2), p(&sinlen));
  bpf_and_perf_calls();

  FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) return 1;
  for (const auto& l : lines) std::fprintf(out, "%s\n", l.c_str());
  std::fclose(out);
  return 0;
}
