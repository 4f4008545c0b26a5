// Defines the seccomp-BPF program built from a syscall_set as a constexpr array: arch check
// (foreign ABIs refused), x32 refusal, then a binary search over the subscribed numbers
// returning the trap action (RET_TRACE, RET_USER_NOTIF) for them and RET_ALLOW otherwise.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include <snare/arch/native.hpp>
#include <snare/subscription/subscription.hpp>

namespace snare::bpf {

/// clone's CLONE_UNTRACED flag (<linux/sched.h>): a child made with it gets no tracer.
inline constexpr std::uint32_t clone_untraced = 0x00800000u;

/// Room for the longest program: 1024 singleton numbers take about 3.4 instructions each.
inline constexpr std::size_t max_program_size = 4096;

/// A built filter: `size` instructions in `code`.
struct program {
  std::array<sock_filter, max_program_size> code{};
  std::size_t size = 0;
  /// Returns the program as the kernel wants it (points into this object).
  sock_fprog fprog() const noexcept {
    return sock_fprog{static_cast<unsigned short>(size), const_cast<sock_filter*>(code.data())};
  }
};

namespace detail {

struct range {
  std::uint32_t lo, hi;
};

constexpr sock_filter stmt(std::uint16_t code, std::uint32_t k) noexcept {
  return sock_filter{code, 0, 0, k};
}
constexpr sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) noexcept {
  return sock_filter{code, jt, jf, k};
}

// Emits a search over ranges [a, b) that returns `trap` for a number in them and ALLOW
// otherwise. Leaves of up to three ranges keep every conditional jump short (< 256); inner
// nodes jump over their left subtree with an unconditional JA (32-bit offset).
constexpr void emit(program& p, const range* r, std::size_t a, std::size_t b, std::uint32_t trap) noexcept {
  if (b - a <= 3) {
    std::size_t k = b - a;
    std::size_t start = p.size;
    std::size_t allow = start + 2 * k, trace = allow + 1;
    for (std::size_t i = a; i < b; ++i) {
      std::size_t at = p.size;
      // nr < lo: below every remaining range (sorted) -> ALLOW.
      p.code[p.size++] =
          jump(BPF_JMP | BPF_JGE | BPF_K, r[i].lo, 0, static_cast<std::uint8_t>(allow - (at + 1)));
      // nr > hi: try the next range (or fall into ALLOW after the last); else TRAP.
      p.code[p.size++] =
          jump(BPF_JMP | BPF_JGT | BPF_K, r[i].hi, 0, static_cast<std::uint8_t>(trace - (at + 2)));
    }
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, trap);
    return;
  }
  std::size_t mid = a + (b - a) / 2;
  std::size_t node = p.size;
  p.code[p.size++] = jump(BPF_JMP | BPF_JGE | BPF_K, r[mid].lo, 0, 1);
  std::size_t ja = p.size++;
  emit(p, r, a, mid, trap);
  p.code[ja] = detail::stmt(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(p.size - (ja + 1)));
  (void)node;
  emit(p, r, mid, b, trap);
}

}  // namespace detail

/// Builds the filter for Arch (its audit arch and, where it has one, its x32 bit come from
/// snare/arch/): calls in `set` return `trap` (SECCOMP_RET_TRACE or SECCOMP_RET_USER_NOTIF),
/// others RET_ALLOW. Calls of a foreign ABI (int 0x80 from a 64-bit x86 process:
/// AUDIT_ARCH_I386) and x32 calls are refused with ENOSYS, so a tool's subscription cannot
/// be bypassed through them. With `untraced_clone` >= 0 (that arch's clone number), a clone
/// whose flags hold CLONE_UNTRACED returns `trap` too, whatever `set` says, so that the
/// engine can keep the child traced (clone3's flags are in memory, out of BPF's reach:
/// put clone3 in `set` for that).
template <class Arch = arch::native>
constexpr program build_filter(const syscall_set& set, std::uint32_t trap,
                               long untraced_clone = -1) noexcept {
  program p;
  // seccomp_data: int nr at offset 0, u32 arch at offset 4.
  p.code[p.size++] = detail::stmt(BPF_LD | BPF_W | BPF_ABS, 4);
  p.code[p.size++] = detail::jump(BPF_JMP | BPF_JEQ | BPF_K, Arch::audit_arch, 1, 0);
  p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  p.code[p.size++] = detail::stmt(BPF_LD | BPF_W | BPF_ABS, 0);
  if constexpr (requires { Arch::x32_syscall_bit; }) {
    p.code[p.size++] =
        detail::jump(BPF_JMP | BPF_JGE | BPF_K, static_cast<std::uint32_t>(Arch::x32_syscall_bit), 0, 1);
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  }
  if (untraced_clone >= 0 && !set.contains(untraced_clone)) {
    // clone's first argument (low 32 bits at offset 16) holds its flags.
    p.code[p.size++] =
        detail::jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(untraced_clone), 0, 3);
    p.code[p.size++] = detail::stmt(BPF_LD | BPF_W | BPF_ABS, 16);
    p.code[p.size++] = detail::jump(BPF_JMP | BPF_JSET | BPF_K, clone_untraced, 0, 1);
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, trap);
    p.code[p.size++] = detail::stmt(BPF_LD | BPF_W | BPF_ABS, 0);
  }
  if (set.is_everything()) {
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, trap);
    return p;
  }
  std::array<detail::range, max_syscall_number> ranges{};
  std::size_t n = 0;
  for (long nr = 0; nr < max_syscall_number; ++nr) {
    if (!set.contains(nr)) continue;
    auto u = static_cast<std::uint32_t>(nr);
    if (n > 0 && ranges[n - 1].hi + 1 == u)
      ranges[n - 1].hi = u;
    else
      ranges[n++] = {u, u};
  }
  if (n == 0) {
    p.code[p.size++] = detail::stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return p;
  }
  detail::emit(p, ranges.data(), 0, n, trap);
  return p;
}

/// Runs `p` over (nr, arch, low 32 bits of the first argument) as the kernel would, for
/// tests; returns the action.
constexpr std::uint32_t evaluate(const program& p, std::uint32_t nr, std::uint32_t arch,
                                 std::uint32_t arg0 = 0) noexcept {
  std::uint32_t acc = 0;
  std::size_t pc = 0;
  while (pc < p.size) {
    const sock_filter& f = p.code[pc];
    switch (f.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        acc = f.k == 0 ? nr : f.k == 4 ? arch : f.k == 16 ? arg0 : 0;
        ++pc;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += 1 + (acc == f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += 1 + (acc >= f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += 1 + ((acc & f.k) != 0 ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += 1 + (acc > f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JA:
        pc += 1 + f.k;
        break;
      case BPF_RET | BPF_K:
        return f.k;
      default:
        return 0xffffffffu;
    }
  }
  return 0xffffffffu;
}

}  // namespace snare::bpf
