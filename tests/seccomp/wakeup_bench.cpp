// Defines seccomp_wakeup_bench: measures the per-syscall round trip of the seccomp-notify
// loop on a getppid loop, with and without SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, pinned to one
// CPU and free. A measurement tool, not a test: it prints figures, it asserts nothing.
//
// Usage: seccomp_wakeup_bench <guest> [iterations] [repeats]
// Loops: "raw" blocks in SECCOMP_IOCTL_NOTIF_RECV (the cheapest possible supervisor);
// "session" is snare's own loop (poll on the listener and the pidfds, then RECV, SEND).
// Figures are ns per trapped syscall: (traced run - untraced run) / iterations, the best of
// `repeats` runs, interleaved (off, on, off, on, ...) so that a change in machine load hits
// both settings alike. Two clocks: wall time, and CPU time (supervisor + guest, user + sys,
// from getrusage), which waiting for a busy CPU does not inflate.
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <snare/backend/seccomp_notify/detail/session.hpp>

#include "filter.hpp"

namespace sc = snare::detail::seccomp;
using clk = std::chrono::steady_clock;

namespace {

enum class loop { untraced, raw, session };

struct cost {
  double wall_ns;
  double cpu_ns;
};

double cpu_ns_now() {
  rusage self{}, kids{};
  ::getrusage(RUSAGE_SELF, &self);
  ::getrusage(RUSAGE_CHILDREN, &kids);
  auto ns = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_usec) * 1e3;
  };
  return ns(self.ru_utime) + ns(self.ru_stime) + ns(kids.ru_utime) + ns(kids.ru_stime);
}

cost run_once(const char* guest, long iterations, loop how, bool sync) {
  std::string n = std::to_string(iterations);
  const char* argv[] = {guest, "getppid", n.c_str(), nullptr};
  std::vector<long> nrs;
  if (how != loop::untraced) nrs.push_back(SYS_getppid);
  auto program = snare::test::notify_filter(nrs);
  double c0 = cpu_ns_now();
  auto t0 = clk::now();
  auto g = sc::spawn_guest(argv, program, nullptr, -1, /*child_may_yield=*/true);
  if (!g) {
    std::fprintf(stderr, "spawn failed: %s\n", std::make_error_code(g.error()).message().c_str());
    std::exit(1);
  }
  if (how == loop::raw) {
    pid_t pid = g->pid;
    int fd = g->listener.get();
    if (sync && !sc::notif_set_sync_wakeup(fd)) std::fprintf(stderr, "SYNC_WAKE_UP not available\n");
    seccomp_notif req{};
    seccomp_notif_resp resp{};
    while (sc::notif_recv(fd, req)) {
      resp = {};
      resp.id = req.id;
      resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      (void)sc::notif_send(fd, resp);
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
  } else {
    sc::session s(std::move(*g), {sync});
    while (true) {
      auto e = s.next();
      if (!e || e->kind == sc::event_kind::guest_exit) break;
      if (e->kind == sc::event_kind::syscall) (void)s.respond_continue(e->notif);
    }
  }
  return {std::chrono::duration<double, std::nano>(clk::now() - t0).count(), cpu_ns_now() - c0};
}

void set_cpus(bool pinned) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (pinned) {
    CPU_SET(0, &set);
  } else {
    for (int c = 0; c < CPU_SETSIZE; ++c) CPU_SET(c, &set);
  }
  ::sched_setaffinity(0, sizeof set, &set);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <guest> [iterations] [repeats]\n", argv[0]);
    return 2;
  }
  const char* guest = argv[1];
  long iterations = argc > 2 ? std::atol(argv[2]) : 100000;
  int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  std::printf(
      "| placement | loop | wall, SYNC_WAKE_UP off | wall, on | CPU, off | CPU, on |\n"
      "|---|---|---|---|---|---|\n");
  for (bool pinned : {true, false}) {
    set_cpus(pinned);
    for (loop how : {loop::raw, loop::session}) {
      cost base{1e300, 1e300}, off{1e300, 1e300}, on{1e300, 1e300};
      auto keep_min = [](cost& m, cost c) {
        m.wall_ns = std::min(m.wall_ns, c.wall_ns);
        m.cpu_ns = std::min(m.cpu_ns, c.cpu_ns);
      };
      for (int r = 0; r < repeats; ++r) {
        keep_min(base, run_once(guest, iterations, loop::untraced, false));
        keep_min(off, run_once(guest, iterations, how, false));
        keep_min(on, run_once(guest, iterations, how, true));
      }
      auto per = [&](double v, double b) { return (v - b) / static_cast<double>(iterations); };
      std::printf("| %s | %s | %.0f ns | %.0f ns | %.0f ns | %.0f ns |\n", pinned ? "pinned (1 CPU)" : "free",
                  how == loop::raw ? "raw" : "session", per(off.wall_ns, base.wall_ns),
                  per(on.wall_ns, base.wall_ns), per(off.cpu_ns, base.cpu_ns), per(on.cpu_ns, base.cpu_ns));
      std::fflush(stdout);
    }
  }
  return 0;
}
