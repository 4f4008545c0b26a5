// Defines the guest-memory microbenchmarks: reading 8 bytes, a 64-byte C string and a 4 KiB
// block from a live, ptrace-stopped child process through each kernel path a backend can
// use (process_vm_readv, pread of /proc/<pid>/mem, PTRACE_PEEKDATA word by word), and
// through snare's typed reads (snare::read, snare::read_cstr) over process_vm_readv, and
// through the seccomp_notify backend's reader (process_vm_readv plus the NOTIF_ID_VALID check
// that makes a read safe against pid reuse) on a guest blocked in a pending notification.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <snare/memory.hpp>
#include <snare/result.hpp>

#if __has_include(<snare/backend/seccomp_notify/detail/memory.hpp>)
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cstddef>
#include <snare/backend/seccomp_notify/detail/memory.hpp>
#define SNARE_BENCH_HAVE_NOTIF_MEMORY 1
#endif
#include <span>

namespace {

// The child's memory holds this block at the same address as in the parent (fork).
alignas(4096) char g_block[8192];

// A child stopped under ptrace, so that every read path may read it, killed at exit.
class stopped_child {
 public:
  static stopped_child& get() {
    static stopped_child c;
    return c;
  }
  pid_t pid() const noexcept { return pid_; }
  int mem_fd() const noexcept { return mem_fd_; }
  bool ok() const noexcept { return pid_ > 0 && mem_fd_ >= 0; }

 private:
  stopped_child() {
    for (std::size_t i = 0; i < sizeof g_block; ++i) g_block[i] = static_cast<char>('a' + i % 26);
    g_block[64] = 0;  // the C string at g_block is 64 bytes long
    pid_ = fork();
    if (pid_ == 0) {
      ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
      raise(SIGSTOP);
      _exit(0);
    }
    int status;
    if (pid_ < 0 || waitpid(pid_, &status, 0) != pid_ || !WIFSTOPPED(status)) {
      pid_ = -1;
      return;
    }
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/mem", pid_);
    mem_fd_ = open(path, O_RDONLY | O_CLOEXEC);
  }
  ~stopped_child() {
    if (mem_fd_ >= 0) close(mem_fd_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid_ = -1;
  int mem_fd_ = -1;
};

// A snare::guest_memory over process_vm_readv: what a backend's handle does underneath.
struct vm_readv_memory {
  pid_t pid;
  snare::result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    iovec l{out.data(), out.size()};
    iovec r{reinterpret_cast<void*>(address), out.size()};
    ssize_t n = process_vm_readv(pid, &l, 1, &r, 1, 0);
    if (n < 0) return snare::result<std::size_t>::from_errno(errno == EFAULT ? EFAULT : errno);
    return static_cast<std::size_t>(n);
  }
};
static_assert(snare::guest_memory<vm_readv_memory>);

const auto address = reinterpret_cast<std::uint64_t>(&g_block[0]);

bool ready(benchmark::State& state) {
  if (stopped_child::get().ok()) return true;
  state.SkipWithError("cannot start a ptrace-stopped child");
  return false;
}

void BM_memory_process_vm_readv(benchmark::State& state) {
  if (!ready(state)) return;
  const auto size = static_cast<std::size_t>(state.range(0));
  std::array<char, 4096> buf;
  iovec l{buf.data(), size};
  iovec r{&g_block[0], size};
  for (auto _ : state) {
    ssize_t n = process_vm_readv(stopped_child::get().pid(), &l, 1, &r, 1, 0);
    benchmark::DoNotOptimize(n);
    if (n != static_cast<ssize_t>(size)) state.SkipWithError("short read");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_memory_process_vm_readv)->Arg(8)->Arg(64)->Arg(4096);

void BM_memory_proc_pid_mem(benchmark::State& state) {
  if (!ready(state)) return;
  const auto size = static_cast<std::size_t>(state.range(0));
  std::array<char, 4096> buf;
  for (auto _ : state) {
    ssize_t n = pread(stopped_child::get().mem_fd(), buf.data(), size, static_cast<off_t>(address));
    benchmark::DoNotOptimize(n);
    if (n != static_cast<ssize_t>(size)) state.SkipWithError("short read");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_memory_proc_pid_mem)->Arg(8)->Arg(64)->Arg(4096);

void BM_memory_ptrace_peekdata(benchmark::State& state) {
  if (!ready(state)) return;
  const auto size = static_cast<std::size_t>(state.range(0));
  std::array<long, 512> buf;
  for (auto _ : state) {
    for (std::size_t i = 0; i < size / sizeof(long); ++i) {
      errno = 0;
      buf[i] = ptrace(PTRACE_PEEKDATA, stopped_child::get().pid(), address + i * sizeof(long), nullptr);
    }
    benchmark::DoNotOptimize(buf);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_memory_ptrace_peekdata)->Arg(8)->Arg(64)->Arg(4096);

void BM_memory_snare_read_u64(benchmark::State& state) {
  if (!ready(state)) return;
  vm_readv_memory m{stopped_child::get().pid()};
  for (auto _ : state) {
    auto v = snare::read(m, snare::guest_ptr<std::uint64_t>{address});
    benchmark::DoNotOptimize(v);
  }
  state.SetLabel("snare::read<uint64_t> over process_vm_readv");
}
BENCHMARK(BM_memory_snare_read_u64);

void BM_memory_snare_read_cstr(benchmark::State& state) {
  if (!ready(state)) return;
  vm_readv_memory m{stopped_child::get().pid()};
  for (auto _ : state) {
    auto s = snare::read_cstr(m, snare::guest_cstr{address});
    if (!s || s->size() != 64) state.SkipWithError("wrong string");
    benchmark::DoNotOptimize(s);
  }
  state.SetLabel("snare::read_cstr of a 64-byte string over process_vm_readv");
}
BENCHMARK(BM_memory_snare_read_cstr);

#ifdef SNARE_BENCH_HAVE_NOTIF_MEMORY
// A child blocked in getppid, trapped by a seccomp user-notification filter, whose
// notification the parent has received and not answered: the state in which the
// seccomp_notify backend reads guest memory.
class pending_notification {
 public:
  static pending_notification& get() {
    static pending_notification p;
    return p;
  }
  bool ok() const noexcept { return listener_ >= 0 && id_ != 0; }
  int listener() const noexcept { return listener_; }
  std::uint64_t id() const noexcept { return id_; }
  pid_t pid() const noexcept { return pid_; }

 private:
  pending_notification() {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      sock_filter f[] = {
          BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
          BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      };
      sock_fprog prog{static_cast<unsigned short>(sizeof f / sizeof f[0]), f};
      prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
      int l = static_cast<int>(
          syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog));
      if (write(fds[1], &l, sizeof l) != sizeof l) _exit(1);
      syscall(SYS_getppid);  // blocks until the parent answers
      _exit(0);
    }
    close(fds[1]);
    int child_fd = -1;
    bool got = pid_ > 0 && read(fds[0], &child_fd, sizeof child_fd) == sizeof child_fd && child_fd >= 0;
    close(fds[0]);
    if (!got) return;
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0) return;
    listener_ = static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, child_fd, 0));
    close(pidfd);
    if (listener_ < 0) return;
    seccomp_notif req{};
    if (ioctl(listener_, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) return;
    id_ = req.id;
  }
  ~pending_notification() {
    if (ok()) {
      seccomp_notif_resp resp{};
      resp.id = id_;
      resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      ioctl(listener_, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
    if (listener_ >= 0) close(listener_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid_ = -1;
  int listener_ = -1;
  std::uint64_t id_ = 0;
};

void BM_memory_snare_notif_memory(benchmark::State& state) {
  auto& p = pending_notification::get();
  if (!p.ok()) {
    state.SkipWithError("cannot set up a pending seccomp notification");
    return;
  }
  const auto size = static_cast<std::size_t>(state.range(0));
  snare::detail::seccomp::notif_memory m(p.listener(), p.id(), p.pid());
  std::array<std::byte, 4096> buf;
  for (auto _ : state) {
    auto n = m.read_bytes(address, std::span<std::byte>(buf.data(), size));
    if (!n || *n != size) state.SkipWithError("short read");
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.SetLabel("seccomp_notify backend: process_vm_readv + NOTIF_ID_VALID");
}
BENCHMARK(BM_memory_snare_notif_memory)->Arg(8)->Arg(64)->Arg(4096);
#endif

}  // namespace
