// Defines bench_in_guest_floor.so: the in-guest mechanism's floors, measured by
// benchmarks/compare on the same workloads and in the same run as the snare_in_guest rows.
// Preloaded into the workload (LD_PRELOAD), with no snare tool and no tracer process:
//   SNARE_BENCH_IG_FLOOR=sud        Syscall User Dispatch on for the main thread with an allowed
//     range covering every address: no call traps and the kernel reads no selector, but every
//     call takes its syscall-work path (syscall_trace_enter -> syscall_user_dispatch, and
//     syscall_exit_work): the least SUD costs, the floor under every in_guest row (the
//     runtime's `syscall; ret` and its own calls are inside its allowed range too).
//   SNARE_BENCH_IG_FLOOR=sud_selector  the same with no allowed range and the selector at ALLOW:
//     the kernel also reads the selector byte from user memory at every call, as it does for
//     every call outside the range (the guest's calls before their site is rewritten).
//   SNARE_BENCH_IG_FLOOR=rewritten  the in-guest runtime alone (runtime/runtime.hpp) with a
//     no-op enter and exit hook on getppid, the only number in install_options::interest:
//     a getppid from a rewritten site runs page 0's sled, the trampoline and the two hooks;
//     other numbers `syscall; ret`. The floor under snare_in_guest_noop (which adds the
//     agent's dispatch to a tool's handler) and, on other calls, under snare_in_guest_none.
// Only the main thread and what it runs: a `sud` floor is not inherited by threads (the kernel
// clears SUD in a new thread), the `rewritten` one is (the runtime turns it on in each).
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <snare/backend/in_guest/runtime/runtime.hpp>

namespace {

namespace ig = snare::in_guest;

char selector = 0;  // SYSCALL_DISPATCH_FILTER_ALLOW, never changed

bool noop_enter(ig::syscall_frame&) noexcept { return true; }
void noop_exit(ig::syscall_frame&) noexcept {}

[[gnu::constructor]] void start() {
  const char* mode = std::getenv("SNARE_BENCH_IG_FLOOR");
  if (mode == nullptr) return;
  const bool selector_read = std::strcmp(mode, "sud_selector") == 0;
  if (selector_read || std::strcmp(mode, "sud") == 0) {
    // PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, offset 0 and a length of 0 (no range:
    // the selector decides) or ~0 (every ip is in the range; the kernel accepts it with offset
    // 0, kernel/entry/syscall_user_dispatch.c).
    unsigned long len = selector_read ? 0UL : ~0UL;
    if (::prctl(59, 1, 0, len, &selector) != 0) {
      std::perror("bench_in_guest_floor: prctl(PR_SET_SYSCALL_USER_DISPATCH)");
      std::_Exit(127);
    }
    return;
  }
  if (std::strcmp(mode, "rewritten") == 0) {
    static std::uint64_t interest[8];
    interest[SYS_getppid / 64] |= std::uint64_t{1} << (SYS_getppid % 64);
    ig::hooks h;
    h.enter = noop_enter;
    h.exit = noop_exit;
    ig::install_options o;
    o.interest = interest;
    auto r = ig::install(h, o);
    if (!r || !r->rewriting) {
      std::fprintf(stderr, "bench_in_guest_floor: %s\n",
                   !r ? std::strerror(r.error_number()) : r->why_not_rewriting);
      std::_Exit(127);
    }
    return;
  }
  std::fprintf(stderr,
               "bench_in_guest_floor: SNARE_BENCH_IG_FLOOR=%s: expected sud, sud_selector or rewritten\n",
               mode);
  std::_Exit(127);
}

}  // namespace
