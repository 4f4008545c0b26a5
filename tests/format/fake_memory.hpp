// Defines the helpers the formatter tests share: fake_memory (a guest_memory over a map of
// address -> bytes, with holes that read as bad addresses), fake_fds (an fd_resolver over
// a map) and desc(name) for the x86-64 table's descriptors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <snare/format.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::test {

/// AT_FDCWD as a raw argument (openat(2)): -100 in a 64-bit register.
inline constexpr std::uint64_t at_fdcwd = static_cast<std::uint64_t>(-100);

/// Default options with the -X style `s` (strace's -X raw|abbrev|verbose).
inline snare::format::options style(snare::format::xlat_style s) {
  snare::format::options o;
  o.xlat = s;
  return o;
}
/// The options of `-X raw` and `-X verbose`.
inline const snare::format::options raw = style(snare::format::xlat_style::raw);
inline const snare::format::options verbose = style(snare::format::xlat_style::verbose);
/// The options of strace's `-v`: structures printed whole (`verbose` above is -X's).
inline const snare::format::options v_option = [] {
  snare::format::options o;
  o.verbose = true;
  return o;
}();

/// Guest memory made of separate regions; anything outside them is unmapped.
class fake_memory {
 public:
  /// Reads what is mapped at `address`, stopping at the end of its region.
  result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    ++reads_;
    auto it = regions_.upper_bound(address);
    if (it == regions_.begin()) return std::errc::bad_address;
    --it;
    std::uint64_t offset = address - it->first;
    if (offset >= it->second.size()) return std::errc::bad_address;
    std::size_t n = std::min<std::size_t>(out.size(), it->second.size() - offset);
    std::memcpy(out.data(), it->second.data() + offset, n);
    return n;
  }

  /// Maps `bytes` at `address`.
  void put_bytes(std::uint64_t address, const void* bytes, std::size_t n) {
    auto* p = static_cast<const unsigned char*>(bytes);
    regions_[address] = std::vector<unsigned char>(p, p + n);
  }
  /// Maps the characters of `s` at `address`, with a NUL after them unless `nul` is false.
  void put_string(std::uint64_t address, std::string_view s, bool nul = true) {
    std::string copy(s);
    put_bytes(address, copy.c_str(), copy.size() + (nul ? 1 : 0));
  }
  /// Maps the object representation of `v` at `address`.
  template <class T>
  void put(std::uint64_t address, const T& v) {
    put_bytes(address, &v, sizeof v);
  }
  /// Returns how many reads were made (a formatter that reads nothing for plain calls).
  std::size_t reads() const { return reads_; }

 private:
  std::map<std::uint64_t, std::vector<unsigned char>> regions_;
  std::size_t reads_ = 0;
};

/// Names fds from a map, as a tracer's resolver would from /proc/<pid>/fd.
struct fake_fds {
  std::map<int, std::string> paths;
  bool append_fd_path(int fd, std::string& out) const noexcept {
    auto it = paths.find(fd);
    if (it == paths.end()) return false;
    out.append(it->second);
    return true;
  }
};

/// Returns the x86-64 descriptor of the syscall called `name` (the test fails loudly when
/// the table has no such call).
inline const sys::syscall_desc& desc(std::string_view name) {
  const sys::syscall_desc* d = sys::x86_64::descriptor(sys::x86_64::number_of(name));
  if (d == nullptr) throw std::runtime_error("no syscall named " + std::string(name));
  return *d;
}

/// Formats one completed call and returns the line.
template <class M, class R = format::no_fd_paths>
std::string call(std::string_view name, sys::raw_args args, std::int64_t ret, M& mem,
                 const format::options& o = {}, R fds = {}) {
  std::string out;
  auto r = format::format_call(out, desc(name), args, ret, mem, o, fds);
  if (!r) throw std::runtime_error("format_call failed");
  return out;
}

}  // namespace snare::test
