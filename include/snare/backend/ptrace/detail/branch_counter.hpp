// Defines the per-thread counters of retired conditional branches behind the ptrace engine's
// precise timers (guest::set_timer_precise, guest::read_clock): a clock that is never reset,
// and a sampling counter whose overflow signals the thread. The events and skid margins per
// CPU are those rr and Reverie use (rr's PerfCounters_x86.h); perf_event_open(2) gives the
// overflow signal (F_SETOWN_EX with F_OWNER_TID, F_SETSIG: si_code POLL_IN, si_fd the counter).
#pragma once

#include <cpuid.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

#include <snare/detail/unique_fd.hpp>
#include <snare/result.hpp>

namespace snare::backend::ptrace_detail {

/// The raw PMU event that counts retired conditional branches on this CPU, and how many of
/// them an overflow signal may come late (its skid), so that the timer's signal is asked
/// for that many early and the rest single-stepped.
struct branch_event {
  std::uint64_t raw_config = 0;   ///< perf_event_attr.config for PERF_TYPE_RAW
  std::uint64_t skid_margin = 0;  ///< conditional branches
};

/// Returns this CPU's conditional-branch event, or nullopt for a CPU not in the table (rr's
/// and Reverie's: Intel family 6 BR_INST_RETIRED.CONDITIONAL 0x5101c4; AMD families 17h,
/// 19h and 1Ah "retired conditional branches" 0x5100d1, whose skid is far larger).
inline std::optional<branch_event> conditional_branch_event() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(0, &a, &b, &c, &d) == 0) return std::nullopt;
  const bool intel = b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;  // "GenuineIntel"
  const bool amd = b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163;    // "AuthenticAMD"
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return std::nullopt;
  unsigned family = (a >> 8) & 0xf;
  if (family == 0xf) family += (a >> 20) & 0xff;
  const unsigned model = ((a >> 4) & 0xf) | (((a >> 16) & 0xf) << 4);
  if (intel && family == 6) {
    const bool newer = model == 0x9a || model == 0x8f;  // Alder Lake, Sapphire Rapids
    return branch_event{0x5101c4, newer ? 125u : 100u};
  }
  if (amd && (family == 0x17 || family == 0x19 || family == 0x1a)) return branch_event{0x5100d1, 10000};
  return std::nullopt;
}

/// The two counters of one guest thread (user mode only): `clock` counts from when they were
/// opened and is never reset; `timer` is reset and given a period at each arm, and its
/// overflow sends `signal` to the thread (queued by the kernel as si_code POLL_IN, si_fd).
class branch_counters {
 public:
  /// Opens both for thread `tid`. Errors: not_supported for a CPU without a known event or a
  /// host without a PMU (perf_event_open's ENOENT, EOPNOTSUPP, ENODEV), permission_denied
  /// (perf_event_paranoid), else perf_event_open's or fcntl's errno.
  static result<branch_counters> open(pid_t tid, int signal) noexcept {
    auto event = conditional_branch_event();
    if (!event) return std::errc::not_supported;
    branch_counters c;
    c.event_ = *event;
    auto clock = open_one(tid, event->raw_config, 0);
    if (!clock) return clock.error();
    c.clock_.reset(*clock);
    // Sampling: a period is needed to open it; the real one is set at each arm.
    auto timer = open_one(tid, event->raw_config, ~std::uint64_t{0} >> 1);
    if (!timer) return timer.error();
    c.timer_.reset(*timer);
    f_owner_ex owner{F_OWNER_TID, tid};
    if (::fcntl(c.timer_.get(), F_SETOWN_EX, &owner) != 0 || ::fcntl(c.timer_.get(), F_SETSIG, signal) != 0 ||
        ::fcntl(c.timer_.get(), F_SETFL, O_ASYNC) != 0)
      return result<branch_counters>::from_errno(errno);
    return c;
  }

  /// Returns the conditional branches the thread retired since the counters were opened.
  result<std::uint64_t> read() const noexcept {
    std::uint64_t v = 0;
    if (::read(clock_.get(), &v, sizeof v) != static_cast<ssize_t>(sizeof v)) return std::errc::io_error;
    return v;
  }

  /// Makes the timer signal the thread after `period` (> 0) more conditional branches.
  result<void> arm(std::uint64_t period) noexcept {
    if (::ioctl(timer_.get(), PERF_EVENT_IOC_DISABLE, 0) != 0 ||
        ::ioctl(timer_.get(), PERF_EVENT_IOC_RESET, 0) != 0 ||
        ::ioctl(timer_.get(), PERF_EVENT_IOC_PERIOD, &period) != 0 ||
        ::ioctl(timer_.get(), PERF_EVENT_IOC_ENABLE, 0) != 0)
      return result<void>::from_errno(errno);
    return {};
  }
  /// Stops the timer's signals (the clock goes on).
  void disarm() noexcept { (void)::ioctl(timer_.get(), PERF_EVENT_IOC_DISABLE, 0); }

  /// The timer's descriptor, as the overflow signal names it in si_fd.
  int timer_fd() const noexcept { return timer_.get(); }
  std::uint64_t skid_margin() const noexcept { return event_.skid_margin; }

 private:
  static result<int> open_one(pid_t tid, std::uint64_t config, std::uint64_t period) noexcept {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_RAW;
    attr.config = config;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.pinned = 1;  // never multiplexed: a count scaled by time would not be exact
    attr.sample_period = period;
    attr.disabled = period != 0 ? 1 : 0;  // the clock counts at once; the timer when armed
    attr.wakeup_events = 1;
    long fd = ::syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno == ENOENT || errno == EOPNOTSUPP || errno == ENODEV) return std::errc::not_supported;
    return result<int>::from_errno(errno);
  }

  branch_event event_{};
  snare::detail::unique_fd clock_, timer_;
};

}  // namespace snare::backend::ptrace_detail
