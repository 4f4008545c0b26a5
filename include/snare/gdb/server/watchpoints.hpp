// Defines the gdbserver's hardware breakpoints and watchpoints (Z1, Z2, Z4): the x86 debug
// registers DR0-DR3 and DR7 of every thread of the debugged process, written with
// PTRACE_POKEUSER (struct user's u_debugreg), and DR6 read back to tell which one fired.
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <system_error>

#include <snare/result.hpp>

namespace snare::gdb::detail {

// The four debug-register slots of one process, the same in each of its threads.
class watchpoint_table {
 public:
  // What a slot watches (gdb's Z types): 1 an instruction, 2 writes, 4 reads and writes.
  // x86 has no read-only watchpoint: Z3 is not served (gdb then uses an access one).
  struct slot {
    bool used = false;
    unsigned type = 0;
    std::uint64_t address = 0;
    std::uint64_t length = 0;
  };
  // What fired at a thread's SIGTRAP: the slot's type and address.
  struct hit {
    unsigned type = 0;
    std::uint64_t address = 0;
  };

  // Returns whether gdb's Z `type` is one of the table's (1, 2, 4).
  static bool serves(unsigned type) noexcept { return type == 1 || type == 2 || type == 4; }

  // Takes a slot for `type` at `address`, `length` bytes (1, 2, 4 or 8, aligned to itself; 1
  // for an instruction). Errors: invalid_argument for a length or alignment x86 cannot
  // watch, no_space_on_device when the four slots are taken. Threads get it at sync().
  result<void> insert(unsigned type, std::uint64_t address, std::uint64_t length) noexcept {
    if (type == 1) length = 1;
    if ((length != 1 && length != 2 && length != 4 && length != 8) || (address & (length - 1)) != 0)
      return std::errc::invalid_argument;
    for (auto& s : slots_)
      if (s.used && s.type == type && s.address == address && s.length == length) return {};
    for (auto& s : slots_) {
      if (s.used) continue;
      s = {true, type, address, length};
      ++generation_;
      return {};
    }
    return std::errc::no_space_on_device;
  }

  // Frees the slot for `type` at `address` (none: a no-op).
  void remove(unsigned type, std::uint64_t address) noexcept {
    for (auto& s : slots_)
      if (s.used && s.type == type && s.address == address) {
        s = {};
        ++generation_;
      }
  }

  // Frees every slot (detach): threads get it at sync().
  void clear() noexcept {
    for (auto& s : slots_) s = {};
    ++generation_;
  }

  bool empty() const noexcept {
    for (const auto& s : slots_)
      if (s.used) return false;
    return true;
  }

  // Writes the slots into thread `tid`'s debug registers (it is stopped) unless it has them
  // already: new threads start with none (the kernel does not copy them at clone). Errors:
  // the errno of PTRACE_POKEUSER (the hypervisor or kernel refused).
  result<void> sync(pid_t tid) noexcept {
    auto it = synced_.find(tid);
    if (it != synced_.end() && it->second == generation_) return {};
    if (it == synced_.end() && empty()) return {};  // it has none, and none are wanted
    // DR7 off first: an address change never meets an enabled slot.
    if (::ptrace(PTRACE_POKEUSER, tid, offset(7), 0) != 0) return result<void>::from_errno(errno);
    unsigned long dr7 = 0;
    for (unsigned i = 0; i < slots_.size(); ++i) {
      const slot& s = slots_[i];
      if (!s.used) continue;
      if (::ptrace(PTRACE_POKEUSER, tid, offset(i), s.address) != 0) return result<void>::from_errno(errno);
      // Intel SDM vol. 3, 18.2.4 "Debug Control Register (DR7)": L<i> at bit 2i, R/W<i> at
      // 16 + 4i (00 execute, 01 write, 11 read or write), LEN<i> at 18 + 4i (00 one byte,
      // 01 two, 11 four, 10 eight).
      const unsigned long rw = s.type == 1 ? 0 : s.type == 2 ? 1 : 3;
      const unsigned long len = s.length == 1 ? 0 : s.length == 2 ? 1 : s.length == 8 ? 2 : 3;
      dr7 |= 1ul << (2 * i) | rw << (16 + 4 * i) | len << (18 + 4 * i);
    }
    if (dr7 != 0 && ::ptrace(PTRACE_POKEUSER, tid, offset(7), dr7) != 0)
      return result<void>::from_errno(errno);
    synced_[tid] = generation_;
    return {};
  }

  // Returns what fired in thread `tid`, at a SIGTRAP, from DR6's B0-B3 (then cleared, as the
  // CPU does not); nothing when none did. `stale` tells a trap of a slot freed since (another
  // thread's stop had gdb delete it while this one's trap was held): no signal for the guest.
  std::optional<hit> fired(pid_t tid, bool& stale) noexcept {
    stale = false;
    if (synced_.empty()) return std::nullopt;  // no thread ever had a debug register set
    errno = 0;
    const long dr6 = ::ptrace(PTRACE_PEEKUSER, tid, offset(6), 0);
    if (errno != 0 || (dr6 & 0xf) == 0) return std::nullopt;
    (void)::ptrace(PTRACE_POKEUSER, tid, offset(6), 0);
    for (unsigned i = 0; i < slots_.size(); ++i)
      if (((dr6 >> i) & 1) != 0 && slots_[i].used) return hit{slots_[i].type, slots_[i].address};
    stale = true;
    return std::nullopt;
  }

 private:
  static std::size_t offset(unsigned n) noexcept {
    return offsetof(struct user, u_debugreg) + n * sizeof(long);
  }

  std::array<slot, 4> slots_{};
  unsigned generation_ = 0;           // bumped at each change
  std::map<pid_t, unsigned> synced_;  // the generation each thread has
};

}  // namespace snare::gdb::detail
