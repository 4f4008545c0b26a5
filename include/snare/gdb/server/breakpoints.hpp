// Defines the gdbserver's software breakpoints (Z0/z0): int3 bytes written into guest memory,
// the bytes they replaced kept so that gdb reads and writes memory as if they were not there
// (gdbserver's shadow).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <system_error>

#include <snare/backend/ptrace/memory.hpp>
#include <snare/result.hpp>

namespace snare::gdb::detail {

// The inserted breakpoints of one process, by address.
class breakpoint_table {
 public:
  static constexpr std::byte int3{0xcc};

  bool contains(std::uint64_t address) const noexcept { return saved_.count(address) != 0; }
  bool empty() const noexcept { return saved_.empty(); }

  // Writes an int3 at `address` through thread `tid`; inserting one twice is a no-op.
  // Errors: bad_address when the byte cannot be read or written.
  result<void> insert(pid_t tid, std::uint64_t address) {
    if (contains(address)) return {};
    std::byte saved{};
    auto n = backend::ptrace_detail::read_memory(tid, address, std::span(&saved, 1));
    if (!n || *n != 1 || !backend::ptrace_detail::write_memory(tid, address, std::span(&int3, 1)))
      return std::errc::bad_address;
    saved_[address] = saved;
    return {};
  }

  // Puts back the byte at `address`; a breakpoint not inserted is a no-op. Errors:
  // bad_address when the write fails (the breakpoint is forgotten all the same).
  result<void> remove(pid_t tid, std::uint64_t address) {
    auto it = saved_.find(address);
    if (it == saved_.end()) return {};
    auto n = backend::ptrace_detail::write_memory(tid, address, std::span(&it->second, 1));
    saved_.erase(it);
    if (!n) return std::errc::bad_address;
    return {};
  }

  // Replaces the int3s in `bytes`, read from guest address `at`, with the bytes they replaced.
  void shadow(std::uint64_t at, std::span<std::byte> bytes) const noexcept {
    for (auto& [addr, saved] : saved_)
      if (addr >= at && addr < at + bytes.size()) bytes[addr - at] = saved;
  }

  // Makes `bytes`, about to be written at guest address `at`, keep the int3s: a write over a
  // breakpoint changes the byte it restores.
  void mask(std::uint64_t at, std::span<std::byte> bytes) noexcept {
    for (auto& [addr, saved] : saved_)
      if (addr >= at && addr < at + bytes.size()) {
        saved = bytes[addr - at];
        bytes[addr - at] = int3;
      }
  }

  // Writes the replaced bytes into process `pid`'s memory (a forked child's copy, which keeps
  // the table's breakpoints otherwise); the table is unchanged.
  void write_originals(pid_t pid) const {
    for (auto& [addr, saved] : saved_)
      (void)backend::ptrace_detail::write_memory(pid, addr, std::span(&saved, 1));
  }

  // Forgets every breakpoint without writing (the process exec'd: they went with its image).
  void forget() noexcept { saved_.clear(); }

  // Takes every breakpoint out of process `pid` and forgets them (detach).
  void clear(pid_t pid) {
    write_originals(pid);
    saved_.clear();
  }

 private:
  std::map<std::uint64_t, std::byte> saved_;  // address -> the byte the int3 replaced
};

}  // namespace snare::gdb::detail
