// Defines snare::auxv_table: a process's auxiliary vector (the (type, value) pairs the kernel
// puts above the environment at exec: AT_RANDOM, AT_SYSINFO_EHDR, AT_PHDR, ...) and how a
// backend reads it from /proc/<pid>/auxv.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/result.hpp>

namespace snare {

/// One entry of an auxiliary vector: its type (AT_* of <elf.h>) and value.
struct auxv_entry {
  std::uint64_t type = AT_NULL;
  std::uint64_t value = 0;
  friend constexpr bool operator==(const auxv_entry&, const auxv_entry&) = default;
};

/// A process's auxiliary vector, in the kernel's order, without the closing AT_NULL
/// (getauxval(3); the types are <elf.h>'s AT_*).
struct auxv_table {
  std::vector<auxv_entry> entries;

  /// Returns the value of the first entry of `type`, nullopt when there is none (as
  /// getauxval(3) reports ENOENT).
  std::optional<std::uint64_t> get(std::uint64_t type) const noexcept {
    for (const auto& e : entries)
      if (e.type == type) return e.value;
    return std::nullopt;
  }

  /// Parses the raw vector (native-endian 64-bit pairs, as /proc/<pid>/auxv gives it); stops
  /// at AT_NULL or at the end of the bytes.
  static auxv_table parse(std::span<const std::byte> raw) {
    auxv_table t;
    for (std::size_t at = 0; at + 16 <= raw.size(); at += 16) {
      auxv_entry e;
      std::memcpy(&e.type, raw.data() + at, 8);
      std::memcpy(&e.value, raw.data() + at + 8, 8);
      if (e.type == AT_NULL) break;
      t.entries.push_back(e);
    }
    return t;
  }
};

namespace detail {

/// Reads process `pid`'s auxiliary vector from /proc/<pid>/auxv (proc(5)). Errors:
/// no_such_process when the process is gone; permission_denied when the caller may not read it.
inline result<auxv_table> read_process_auxv(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/auxv", pid);
  unique_fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return errno == ENOENT ? std::errc::no_such_process : std::errc(errno);
  std::vector<std::byte> raw(512);  // 64-bit x86 has about 20 entries: 320 bytes
  std::size_t have = 0;
  for (;;) {
    if (have == raw.size()) raw.resize(raw.size() * 2);
    auto n = retry_eintr([&] { return ::read(fd.get(), raw.data() + have, raw.size() - have); });
    if (n < 0) return errno == ESRCH ? std::errc::no_such_process : std::errc(errno);
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  // A process that has exited (a zombie) reads as empty.
  if (have == 0) return std::errc::no_such_process;
  return auxv_table::parse(std::span(raw.data(), have));
}

}  // namespace detail
}  // namespace snare
