// Defines seccomp_wakeup_bench: measures the per-syscall round trip of the seccomp-notify
// loop on a getppid loop, with and without SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, pinned to one
// CPU and free. A measurement tool, not a test: it prints figures, it asserts nothing.
//
// Usage: seccomp_wakeup_bench <guest> [iterations] [repeats]
// Loops: "raw" blocks in SECCOMP_IOCTL_NOTIF_RECV (the cheapest possible supervisor);
// "session" is snare's own loop (poll on the listener and the pidfds, then RECV, SEND).
// Figures are ns per trapped syscall: (traced run - untraced run) / iterations, best of
// `repeats` runs.
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <snare/backend/seccomp_notify/detail/filter.hpp>
#include <snare/backend/seccomp_notify/detail/session.hpp>

namespace sc = snare::detail::seccomp;
using clk = std::chrono::steady_clock;

namespace {

enum class loop { untraced, raw, session };

double run_once(const char* guest, long iterations, loop how, bool sync) {
  std::string n = std::to_string(iterations);
  const char* argv[] = {guest, "getppid", n.c_str(), nullptr};
  std::vector<long> nrs;
  if (how != loop::untraced) nrs.push_back(SYS_getppid);
  auto program = sc::build_filter({false, nrs});
  auto t0 = clk::now();
  auto g = sc::spawn_guest(argv, program);
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
  return std::chrono::duration<double, std::nano>(clk::now() - t0).count();
}

double best(const char* guest, long iterations, int repeats, loop how, bool sync) {
  double b = 1e300;
  for (int i = 0; i < repeats; ++i) b = std::min(b, run_once(guest, iterations, how, sync));
  return b;
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
      "| placement | loop | SYNC_WAKE_UP off (ns/call) | SYNC_WAKE_UP on (ns/call) |\n|---|---|---|---|\n");
  for (bool pinned : {true, false}) {
    set_cpus(pinned);
    double base = best(guest, iterations, repeats, loop::untraced, false);
    for (loop how : {loop::raw, loop::session}) {
      double off = (best(guest, iterations, repeats, how, false) - base) / static_cast<double>(iterations);
      double on = (best(guest, iterations, repeats, how, true) - base) / static_cast<double>(iterations);
      std::printf("| %s | %s | %.0f | %.0f |\n", pinned ? "pinned (1 CPU)" : "free",
                  how == loop::raw ? "raw" : "session", off, on);
    }
  }
  return 0;
}
