// Defines the seccomp-BPF program of the seccomp_notify backend: subscribed x86-64 syscalls
// go to the listener (RET_USER_NOTIF), everything else stays in the kernel (RET_ALLOW).
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace snare::detail::seccomp {

/// x86-64 marks x32 syscalls with this bit in the number.
inline constexpr std::uint32_t x32_syscall_bit = 0x40000000u;

/// Says what the program does with the syscalls it is not asked about.
struct filter_spec {
  /// Sends every native syscall to the listener (a tool that sees everything, like strace).
  bool notify_all = false;
  /// Syscall numbers to send to the listener (native x86-64 numbers; any order, repeats ok).
  std::span<const long> numbers{};
};

/// Builds the program. Layout, all jumps short (classic BPF jumps are 8-bit):
///   arch != x86-64 -> ERRNO(ENOSYS)   (int 0x80 cannot sneak past the subscription)
///   nr has the x32 bit -> ERRNO(ENOSYS)
///   per range [lo, hi] of sorted numbers: nr > hi ? next : nr >= lo ? NOTIFY : ALLOW
///   ALLOW
/// The i386 and x32 ABIs are refused outright rather than mapped: a guest using them gets
/// ENOSYS for every syscall, so none of its calls escapes the tool.
inline std::vector<sock_filter> build_filter(const filter_spec& spec) {
  std::vector<sock_filter> p;
  auto stmt = [&](std::uint16_t code, std::uint32_t k) { p.push_back(BPF_STMT(code, k)); };
  auto jump = [&](std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
    p.push_back(BPF_JUMP(code, k, jt, jf));
  };
  const std::uint32_t enosys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);

  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch));
  jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  stmt(BPF_RET | BPF_K, enosys);
  stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
  jump(BPF_JMP | BPF_JGE | BPF_K, x32_syscall_bit, 0, 1);
  stmt(BPF_RET | BPF_K, enosys);

  if (spec.notify_all) {
    stmt(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    return p;
  }

  std::vector<long> nrs(spec.numbers.begin(), spec.numbers.end());
  std::erase_if(nrs, [](long n) { return n < 0 || n >= static_cast<long>(x32_syscall_bit); });
  std::sort(nrs.begin(), nrs.end());
  nrs.erase(std::unique(nrs.begin(), nrs.end()), nrs.end());
  for (std::size_t i = 0; i < nrs.size();) {
    std::size_t j = i;
    while (j + 1 < nrs.size() && nrs[j + 1] == nrs[j] + 1) ++j;
    const auto lo = static_cast<std::uint32_t>(nrs[i]);
    const auto hi = static_cast<std::uint32_t>(nrs[j]);
    jump(BPF_JMP | BPF_JGT | BPF_K, hi, 3, 0);  // above this range: try the next one
    jump(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 1);  // below it: below every later range too
    stmt(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    i = j + 1;
  }
  stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  return p;
}

}  // namespace snare::detail::seccomp
