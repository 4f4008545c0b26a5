// Defines bench_in_guest: the in-guest runtime's floors, measured in one process (SUD is on
// for the whole binary once installed, so it is not part of bench_micro):
//   native       getppid with SUD off for this thread for the loop: the native call;
//   allowed_range  getppid from the runtime's own code (untrapped_syscall) with SUD on: never
//                trapped, but the kernel takes its slower syscall-work path (it checks SUD on
//                every call), which every row below pays too; allowed_range_getpid the same for
//                getpid (the floor of rewritten_unsubscribed);
//   sud_trap     getppid from a site the runtime never rewrites (a syscall instruction in a
//                writable page): SUD's SIGSYS, a no-op hook, the call, rt_sigreturn;
//   rewritten    getppid from a site in this binary's text, rewritten into `call *%rax` at its
//                first trap: page 0's sled, the trampoline (xsave/xrstor), a no-op hook;
//   rewritten_unsubscribed  getpid, which install_options::interest leaves out, from a
//                rewritten site: the sled and `syscall; ret` in the runtime, no hook (compare
//                with native_getpid).
// Run: bench_in_guest [--benchmark_repetitions=5 ...]; docs/in_guest.md has the figures.
#include <sys/mman.h>
#include <sys/syscall.h>

#include <benchmark/benchmark.h>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <snare/backend/in_guest/runtime/runtime.hpp>

namespace {

namespace ig = snare::in_guest;

ig::install_report report;
long (*unrewritable)() = nullptr;

bool noop_enter(ig::syscall_frame&) noexcept { return true; }
void noop_exit(ig::syscall_frame&) noexcept {}

// A getppid site in this binary's (read-only, executable) text.
[[gnu::noinline]] long text_getppid() {
  long r;
  asm volatile("syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
  return r;
}

// A getpid site in this binary's text.
[[gnu::noinline]] long text_getpid() {
  long r;
  asm volatile("syscall" : "=a"(r) : "a"(SYS_getpid) : "rcx", "r11", "memory");
  return r;
}

// Sites of their own for the native rows (run with SUD off, so never trapped nor rewritten).
// The `nop` keeps them from being folded with text_getppid/text_getpid (GCC's identical code
// folding at -O2 did, which made the native rows depend on running before the rewritten ones).
[[gnu::noinline]] long native_getppid() {
  long r;
  asm volatile("nop; syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
  return r;
}
[[gnu::noinline]] long native_getpid() {
  long r;
  asm volatile("nop; syscall" : "=a"(r) : "a"(SYS_getpid) : "rcx", "r11", "memory");
  return r;
}

// SUD off for this thread while it lives (the native rows), then on again as install() left it.
struct sud_off {
  sud_off() { ig::untrapped_syscall(SYS_prctl, 59 /* PR_SET_SYSCALL_USER_DISPATCH */, 0 /* OFF */, 0, 0, 0); }
  ~sud_off() {
    if (!report.sud) return;
    snare::in_guest::detail::enable_sud();  // (internal: this benchmark is the runtime's own)
    snare::in_guest::detail::tls.selector = snare::in_guest::detail::selector_block;
  }
};

void BM_native_getppid(benchmark::State& state) {
  sud_off off;
  for (auto _ : state) benchmark::DoNotOptimize(native_getppid());
}
BENCHMARK(BM_native_getppid);

void BM_native_getpid(benchmark::State& state) {
  sud_off off;
  for (auto _ : state) benchmark::DoNotOptimize(native_getpid());
}
BENCHMARK(BM_native_getpid);

void BM_allowed_range_getppid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ig::untrapped_syscall(SYS_getppid));
}
BENCHMARK(BM_allowed_range_getppid);

void BM_allowed_range_getpid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ig::untrapped_syscall(SYS_getpid));
}
BENCHMARK(BM_allowed_range_getpid);

void BM_sud_trap_getppid(benchmark::State& state) {
  if (!report.sud || unrewritable == nullptr) {
    state.SkipWithError("SUD is not installed here");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(unrewritable());
  state.counters["sud_traps"] = static_cast<double>(ig::stats().sud_traps);
}
BENCHMARK(BM_sud_trap_getppid);

void BM_rewritten_getppid(benchmark::State& state) {
  if (!report.rewriting) {
    state.SkipWithError(report.sud ? report.why_not_rewriting : "SUD is not installed here");
    return;
  }
  text_getppid();  // the first call traps and rewrites the site
  long before = ig::stats().sud_traps;
  for (auto _ : state) benchmark::DoNotOptimize(text_getppid());
  state.counters["traps_in_loop"] = static_cast<double>(ig::stats().sud_traps - before);
}
BENCHMARK(BM_rewritten_getppid);

void BM_rewritten_unsubscribed_getpid(benchmark::State& state) {
  if (!report.rewriting) {
    state.SkipWithError(report.sud ? report.why_not_rewriting : "SUD is not installed here");
    return;
  }
  text_getpid();  // the first call traps and rewrites the site
  long before = ig::stats().sud_traps, through_hooks = ig::stats().rewritten_calls;
  for (auto _ : state) benchmark::DoNotOptimize(text_getpid());
  state.counters["traps_in_loop"] = static_cast<double>(ig::stats().sud_traps - before);
  state.counters["hooked_in_loop"] = static_cast<double>(ig::stats().rewritten_calls - through_hooks);
}
BENCHMARK(BM_rewritten_unsubscribed_getpid);

}  // namespace

int main(int argc, char** argv) {
  // `mov $110, %eax; syscall; ret` in an RW+X page: SUD traps it, the runtime never rewrites
  // a writable mapping.
  void* page = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page != MAP_FAILED) {
    const unsigned char code[] = {0xb8, SYS_getppid, 0, 0, 0, 0x0f, 0x05, 0xc3};
    std::memcpy(page, code, sizeof code);
    unrewritable = reinterpret_cast<long (*)()>(page);
  }
  ig::hooks h;
  h.enter = noop_enter;
  h.exit = noop_exit;
  static std::uint64_t every_call_but_getpid[8];
  for (auto& w : every_call_but_getpid) w = ~std::uint64_t{0};
  every_call_but_getpid[SYS_getpid / 64] &= ~(std::uint64_t{1} << (SYS_getpid % 64));
  ig::install_options o;
  o.interest = every_call_but_getpid;
  auto r = ig::install(h, o);
  if (r) {
    report = *r;
  } else {
    std::fprintf(stderr, "bench_in_guest: install failed: %s\n", std::strerror(r.error_number()));
  }
  if (r && !report.rewriting)
    std::fprintf(stderr, "bench_in_guest: not rewriting: %s\n", report.why_not_rewriting);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
