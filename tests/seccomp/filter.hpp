// Defines snare::test::notify_filter: the product's own seccomp program (snare/bpf/filter.hpp)
// for a run-time list of syscall numbers, trapping them to the listener, as the mechanism
// tests and the wake-up measurement hand it to spawn_guest.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <vector>

#include <snare/bpf/filter.hpp>
#include <snare/subscription/subscription.hpp>

namespace snare::test {

/// Returns the program that sends `numbers` to the listener and allows every other call.
inline std::vector<sock_filter> notify_filter(const std::vector<long>& numbers) {
  syscall_set set;
  for (long n : numbers) set.add(n);
  auto p = bpf::build_filter(set, SECCOMP_RET_USER_NOTIF);
  return {p.code.begin(), p.code.begin() + static_cast<std::ptrdiff_t>(p.size)};
}

}  // namespace snare::test
