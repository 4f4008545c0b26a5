// Defines strace::page_cache: a memory_ref that reads guest memory a page at a time and
// serves later reads of those pages from its copy, for the length of one stop.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>

#include "session.hpp"

namespace strace {

/// A cache of up to four guest pages in front of a memory_ref, as strace's ucopy.c keeps
/// one: a call's strings and arrays cost one process_vm_readv per page they touch, not one
/// per string (strace's umovestr_cached tests count them). It lives for one stop (an entry
/// or an exit), while the guest thread cannot run; a write through it empties it. A read of
/// more than four pages, or of a page that cannot be read whole, goes straight through, so
/// results and errors are the uncached ones.
class page_cache {
 public:
  explicit page_cache(memory_ref under) noexcept : under_(under) {}
  page_cache(const page_cache&) = delete;
  page_cache& operator=(const page_cache&) = delete;

  /// Returns a memory_ref reading through the cache (valid while the cache lives).
  memory_ref ref() noexcept {
    memory_ref m{this, [](void* s, std::uint64_t a, std::span<std::byte> o) noexcept {
                   return static_cast<page_cache*>(s)->read(a, o);
                 }};
    if (under_.write_fn != nullptr)
      m.write_fn = [](void* s, std::uint64_t a, std::span<const std::byte> in) noexcept {
        auto* c = static_cast<page_cache*>(s);
        c->used_ = 0;  // the guest's memory changes: forget every page
        return c->under_.write_bytes(a, in);
      };
    return m;
  }

 private:
  static constexpr std::size_t slots = 4;
  static constexpr std::uint64_t no_page = 1;  // never a page's (aligned) start

  static std::size_t page_size() noexcept {
    static const std::size_t size = [] {
      long n = ::sysconf(_SC_PAGESIZE);
      return n > 0 ? static_cast<std::size_t>(n) : std::size_t{4096};
    }();
    return size;
  }

  // Returns the slot holding the page at `start`, reading it on first use; -1 when it
  // cannot be read whole.
  int page_at(std::uint64_t start) noexcept {
    for (std::size_t i = 0; i < used_; ++i)
      if (start_[i] == start) return static_cast<int>(i);
    const std::size_t page = page_size();
    if (!bytes_) {
      bytes_.reset(new (std::nothrow) std::byte[slots * page]);
      if (!bytes_) return -1;
    }
    const std::size_t i = used_ < slots ? used_++ : (next_++ % slots);
    auto n = under_.read_bytes(start, std::span<std::byte>(bytes_.get() + i * page, page));
    if (!n || *n != page) {
      start_[i] = no_page;  // its bytes were overwritten: it holds no page now
      return -1;
    }
    start_[i] = start;
    return static_cast<int>(i);
  }

  snare::result<std::size_t> read(std::uint64_t address, std::span<std::byte> out) noexcept {
    const std::size_t page = page_size();
    if (out.empty()) return under_.read_bytes(address, out);
    const std::uint64_t end = address + out.size();
    const std::uint64_t first = address & ~std::uint64_t(page - 1);
    if (end < address || (end - 1 - first) / page >= slots) return under_.read_bytes(address, out);
    std::size_t done = 0;
    for (std::uint64_t p = first; p < end; p += page) {
      const int slot = page_at(p);
      if (slot < 0) {
        // A page that cannot be read whole: the rest as the uncached read gives it.
        if (done == 0) return under_.read_bytes(address, out);
        auto more = under_.read_bytes(address + done, out.subspan(done));
        return more ? done + *more : done;
      }
      const std::uint64_t from = std::max(address, p), to = std::min(end, p + page);
      std::memcpy(out.data() + done, bytes_.get() + static_cast<std::size_t>(slot) * page + (from - p),
                  static_cast<std::size_t>(to - from));
      done += static_cast<std::size_t>(to - from);
    }
    return done;
  }

  memory_ref under_;
  std::unique_ptr<std::byte[]> bytes_;  // slots pages, allocated at the first read
  std::array<std::uint64_t, slots> start_{};
  std::size_t used_ = 0, next_ = 0;
};

}  // namespace strace
