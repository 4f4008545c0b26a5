// The test preload: installs the in-guest runtime's hooks in whatever program loads it
// (LD_PRELOAD) and counts the calls it sees, per number, per thread and per process.
// Environment:
//   SNARE_IG_COUNTS=<file>: each process appends a line when it exits or execs, and each thread
//     when it ends by SYS_exit: "pid= why=<exit|exec|thread_exit> total= tids=<threads that
//     made calls> starts=<thread starts>/<process starts> getppid= rewriting=<0|1> traps=
//     rewritten_calls= sites= nested=<calls by guest handlers that interrupted a hook> getuid=
//     why_not=<why not rewriting>", written with untrapped calls.
//   SNARE_IG_GETPPID=<n>: getppid returns n (the exit hook rewrites the result).
//   SNARE_IG_REWRITE=0: SUD only.
//   SNARE_IG_ALARM_IN_GETPID: the enter hook of getpid sends SIGALRM to its own thread.
//   SNARE_IG_HOOK_CALLS_GETUID: the enter hook of getppid calls libc's getuid().
//   SNARE_IG_INTEREST=<n>,<n>...: only these numbers reach the hooks (install_options::interest).
//   SNARE_IG_CLOBBER: the enter and exit hooks of getppid clobber every vector register the CPU
//     has (xmm/ymm/zmm0-31, k0-7), MXCSR and the x87 control word, as any handler may.
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <snare/backend/in_guest/runtime/runtime.hpp>

namespace {

namespace ig = snare::in_guest;

std::atomic<long> counts[512];
std::atomic<long> total;
std::atomic<long> tids[64];  // distinct thread ids that made a call
std::atomic<long> thread_starts, process_starts;
long getppid_value = -1;
char counts_path[1024];
bool rewriting = false;
const char* why_not = "";
bool alarm_in_getpid = false;
bool hook_calls_getuid = false;
bool clobber = false;
thread_local int in_hook = 0;
std::atomic<long> nested;

void note_tid() noexcept {
  long tid = ig::untrapped_syscall(SYS_gettid);
  for (auto& t : tids) {
    long cur = t.load(std::memory_order_relaxed);
    if (cur == tid) return;
    if (cur == 0 && t.compare_exchange_strong(cur, tid)) return;
    if (cur == tid) return;
  }
}

void reset_for_child() noexcept {
  for (auto& c : counts) c.store(0);
  for (auto& t : tids) t.store(0);
  nested.store(0);
  total.store(0);
  thread_starts.store(0);
}

// Appends this process's line to SNARE_IG_COUNTS with untrapped calls only.
void report(const char* why) noexcept {
  if (counts_path[0] == '\0') return;
  long n = 0;
  for (auto& t : tids) n += t.load() != 0;
  char line[512];
  auto st = ig::stats();
  int len = std::snprintf(
      line, sizeof line,
      "pid=%ld why=%s total=%ld tids=%ld starts=%ld/%ld getppid=%ld rewriting=%d traps=%ld "
      "rewritten_calls=%ld sites=%ld nested=%ld getuid=%ld why_not=%s\n",
      ig::untrapped_syscall(SYS_getpid), why, total.load(), n, thread_starts.load(), process_starts.load(),
      counts[SYS_getppid].load(), rewriting ? 1 : 0, st.sud_traps, st.rewritten_calls, st.sites_rewritten,
      nested.load(), counts[SYS_getuid].load(), why_not);
  long fd = ig::untrapped_syscall(SYS_openat, AT_FDCWD, reinterpret_cast<long>(counts_path),
                                  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ig::untrapped_syscall(SYS_write, fd, reinterpret_cast<long>(line), len);
  ig::untrapped_syscall(SYS_close, fd);
}

// All ones in every vector register, MXCSR rounding down, x87 single precision.
void clobber_sse() noexcept {
  unsigned mxcsr = 0x3f80;
  unsigned short fcw = 0x07f;
  asm volatile(
      "pcmpeqd %%xmm0, %%xmm0\n pcmpeqd %%xmm1, %%xmm1\n pcmpeqd %%xmm2, %%xmm2\n pcmpeqd %%xmm3, %%xmm3\n"
      "pcmpeqd %%xmm4, %%xmm4\n pcmpeqd %%xmm5, %%xmm5\n pcmpeqd %%xmm6, %%xmm6\n pcmpeqd %%xmm7, %%xmm7\n"
      "pcmpeqd %%xmm8, %%xmm8\n pcmpeqd %%xmm9, %%xmm9\n pcmpeqd %%xmm10, %%xmm10\n pcmpeqd %%xmm11, "
      "%%xmm11\n"
      "pcmpeqd %%xmm12, %%xmm12\n pcmpeqd %%xmm13, %%xmm13\n pcmpeqd %%xmm14, %%xmm14\n"
      "pcmpeqd %%xmm15, %%xmm15\n ldmxcsr %0\n fldcw %1\n"
      :
      : "m"(mxcsr), "m"(fcw)
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
        "xmm12", "xmm13", "xmm14", "xmm15");
}
[[gnu::target("avx2")]] void clobber_avx() noexcept {
  asm volatile(
      "vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n vpcmpeqd %%ymm1, %%ymm1, %%ymm1\n vpcmpeqd %%ymm2, %%ymm2, %%ymm2\n"
      "vpcmpeqd %%ymm3, %%ymm3, %%ymm3\n vpcmpeqd %%ymm4, %%ymm4, %%ymm4\n vpcmpeqd %%ymm5, %%ymm5, %%ymm5\n"
      "vpcmpeqd %%ymm6, %%ymm6, %%ymm6\n vpcmpeqd %%ymm7, %%ymm7, %%ymm7\n vpcmpeqd %%ymm8, %%ymm8, %%ymm8\n"
      "vpcmpeqd %%ymm9, %%ymm9, %%ymm9\n vpcmpeqd %%ymm10, %%ymm10, %%ymm10\n vpcmpeqd %%ymm11, %%ymm11, "
      "%%ymm11\n"
      "vpcmpeqd %%ymm12, %%ymm12, %%ymm12\n vpcmpeqd %%ymm13, %%ymm13, %%ymm13\n"
      "vpcmpeqd %%ymm14, %%ymm14, %%ymm14\n vpcmpeqd %%ymm15, %%ymm15, %%ymm15\n" ::
          : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
            "xmm12", "xmm13", "xmm14", "xmm15");
}
#define SNARE_IG_Z(n) "vpternlogd $0xff, %%zmm" #n ", %%zmm" #n ", %%zmm" #n "\n"
[[gnu::target("avx512f,avx512bw")]] void clobber_avx512() noexcept {
  asm volatile(SNARE_IG_Z(0) SNARE_IG_Z(1) SNARE_IG_Z(2) SNARE_IG_Z(3) SNARE_IG_Z(4) SNARE_IG_Z(5) SNARE_IG_Z(6)
                   SNARE_IG_Z(7) SNARE_IG_Z(8) SNARE_IG_Z(9) SNARE_IG_Z(10) SNARE_IG_Z(11) SNARE_IG_Z(12)
                       SNARE_IG_Z(13) SNARE_IG_Z(14) SNARE_IG_Z(15) SNARE_IG_Z(16) SNARE_IG_Z(17) SNARE_IG_Z(18)
                           SNARE_IG_Z(19) SNARE_IG_Z(20) SNARE_IG_Z(21) SNARE_IG_Z(22) SNARE_IG_Z(23)
                               SNARE_IG_Z(24) SNARE_IG_Z(25) SNARE_IG_Z(26) SNARE_IG_Z(27) SNARE_IG_Z(28)
                                   SNARE_IG_Z(29) SNARE_IG_Z(30) SNARE_IG_Z(31)
               "kxnorq %%k0, %%k0, %%k0\n kxnorq %%k1, %%k1, %%k1\n kxnorq %%k2, %%k2, %%k2\n"
               "kxnorq %%k3, %%k3, %%k3\n kxnorq %%k4, %%k4, %%k4\n kxnorq %%k5, %%k5, %%k5\n"
               "kxnorq %%k6, %%k6, %%k6\n kxnorq %%k7, %%k7, %%k7\n" ::
                   : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                     "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20",
                     "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30",
                     "xmm31", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
}
void clobber_vectors() noexcept {
  clobber_sse();
  if (__builtin_cpu_supports("avx2")) clobber_avx();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) clobber_avx512();
}

bool on_enter(ig::syscall_frame& f) noexcept {
  if (in_hook > 0) nested.fetch_add(1, std::memory_order_relaxed);  // a guest handler interrupted a hook
  ++in_hook;
  if (f.nr >= 0 && f.nr < 512) counts[f.nr].fetch_add(1, std::memory_order_relaxed);
  total.fetch_add(1, std::memory_order_relaxed);
  note_tid();
  if (f.nr == SYS_exit_group) report("exit");
  if (f.nr == SYS_exit) report("thread_exit");  // a thread's end, or a clone() child's
  if (f.nr == SYS_execve || f.nr == SYS_execveat) report("exec");
  if (f.nr == SYS_getppid && hook_calls_getuid) getuid();  // through libc: never seen by the hooks
  if (f.nr == SYS_getppid && clobber) clobber_vectors();
  if (f.nr == SYS_write && static_cast<int>(f.args[0]) == -77) {  // guest.c's copy mode
    char buf[64];
    unsigned long n = std::min<unsigned long>(static_cast<unsigned long>(f.args[2]), sizeof buf);
    long r = ig::copy_from_guest(buf, reinterpret_cast<const void*>(f.args[1]), n);
    f.ret = r == 0 ? static_cast<long>(n) : r;
    --in_hook;
    return false;
  }
  if (f.nr == SYS_getpid && alarm_in_getpid) {
    // SIGALRM to this thread from inside the hook: the kernel delivers it as tgkill returns,
    // so the guest's handler runs while this hook runs.
    ig::untrapped_syscall(SYS_tgkill, ig::untrapped_syscall(SYS_getpid), ig::untrapped_syscall(SYS_gettid),
                          SIGALRM);
  }
  --in_hook;
  return true;
}

void on_exit(ig::syscall_frame& f) noexcept {
  if (f.nr == SYS_getppid && clobber) clobber_vectors();
  if (f.nr == SYS_getppid && getppid_value >= 0) f.ret = getppid_value;
}

void on_thread_start() noexcept { thread_starts.fetch_add(1); }
void on_process_start() noexcept {
  reset_for_child();
  process_starts.store(1);
}

[[gnu::constructor]] void start() {
  if (const char* p = std::getenv("SNARE_IG_COUNTS")) std::snprintf(counts_path, sizeof counts_path, "%s", p);
  if (const char* v = std::getenv("SNARE_IG_GETPPID")) getppid_value = std::atol(v);
  alarm_in_getpid = std::getenv("SNARE_IG_ALARM_IN_GETPID") != nullptr;
  hook_calls_getuid = std::getenv("SNARE_IG_HOOK_CALLS_GETUID") != nullptr;
  clobber = std::getenv("SNARE_IG_CLOBBER") != nullptr;
  __builtin_cpu_init();  // clobber_vectors() may run before libgcc's own constructor
  ig::install_options o;
  if (const char* r = std::getenv("SNARE_IG_REWRITE")) o.rewrite = std::strcmp(r, "0") != 0;
  static std::uint64_t interest[8];
  if (const char* list = std::getenv("SNARE_IG_INTEREST")) {
    for (const char* p = list; *p != '\0';) {
      char* end = nullptr;
      long nr = std::strtol(p, &end, 10);
      if (end == p) break;
      if (nr >= 0 && nr < 512) interest[nr / 64] |= std::uint64_t{1} << (nr % 64);
      p = *end == ',' ? end + 1 : end;
    }
    o.interest = interest;
  }
  ig::hooks h;
  h.enter = on_enter;
  h.exit = on_exit;
  h.thread_start = on_thread_start;
  h.process_start = on_process_start;
  auto r = ig::install(h, o);
  if (!r) {
    std::fprintf(stderr, "snare in_guest test preload: install failed: %s\n",
                 std::strerror(r.error_number()));
    return;
  }
  rewriting = r->rewriting;
  why_not = r->why_not_rewriting;
}

}  // namespace
