// Defines bench_in_guest: the in-guest runtime's floors, measured in one process (SUD is on
// for the whole binary once installed, so it is not part of bench_micro):
//   native       getppid run from the runtime's own code (untrapped_syscall): the same
//                instruction the guest would execute natively;
//   sud_trap     getppid from a site the runtime never rewrites (a syscall instruction in a
//                writable page): SUD's SIGSYS, a no-op hook, the call, rt_sigreturn;
//   rewritten    getppid from a site in this binary's text, rewritten into `call *%rax` at its
//                first trap: page 0's sled, the trampoline (xsave/xrstor), a no-op hook.
// Run: bench_in_guest [--benchmark_repetitions=5 ...]; docs/in_guest.md has the figures.
#include <sys/mman.h>
#include <sys/syscall.h>

#include <benchmark/benchmark.h>
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

void BM_native_getppid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ig::untrapped_syscall(SYS_getppid));
}
BENCHMARK(BM_native_getppid);

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
  auto r = ig::install(h);
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
