// Defines the guest address space of one micro-VM: host mappings at fixed low addresses that
// are also the guest's physical and virtual addresses (identity), the page allocator behind
// the guest's mmap, and the emulation of brk/mmap/munmap/mprotect/mremap/madvise.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <span>
#include <vector>

#include <snare/result.hpp>

namespace snare::backend::hypercall_detail {

inline constexpr std::uint64_t page_size = 4096;
constexpr std::uint64_t page_up(std::uint64_t v) noexcept { return (v + page_size - 1) & ~(page_size - 1); }
constexpr std::uint64_t page_down(std::uint64_t v) noexcept { return v & ~(page_size - 1); }

/// The host range in which the VM places the guest's memory. Below 2 GiB so that it is
/// application memory even under AddressSanitizer (whose shadow starts at 0x7fff8000), and
/// inside the 4 GiB the guest page tables map.
inline constexpr std::uint64_t window_lo = 0x400000;
inline constexpr std::uint64_t window_hi = 0x7FF00000;

/// Maps fresh zeroed, read-write, lazily backed memory at exactly [addr, addr+size) if that
/// range is free in the host process. Errors: EEXIST when something is mapped there.
inline result<void> reserve_at(std::uint64_t addr, std::uint64_t size) noexcept {
  void* p = ::mmap(reinterpret_cast<void*>(addr), size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) return result<void>::from_errno(errno);
  if (reinterpret_cast<std::uint64_t>(p) != addr) {  // kernels before 4.17 treat it as a hint
    ::munmap(p, size);
    return std::errc::file_exists;
  }
  return {};
}

/// Reserves `size` bytes at the first free `align`-aligned address of the window.
/// Errors: ENOMEM when the window has no such hole.
inline result<std::uint64_t> reserve_anywhere(std::uint64_t size, std::uint64_t align) noexcept {
  // One VM at a time picks its place, so two VMs created by two threads do not race.
  static std::mutex m;
  std::lock_guard lock(m);
  for (std::uint64_t a = 0x10000000; a + size <= window_hi; a += align)
    if (reserve_at(a, size)) return a;
  return std::errc::not_enough_memory;
}

/// One host mapping that is also guest memory (a KVM memory slot).
struct region {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  bool contains(std::uint64_t a, std::uint64_t len) const noexcept {
    return a >= start && a <= end && len <= end - a;
  }
};

/// Owns the guest's memory: the image region (ELF segments + brk heap) and the arena
/// (guest kernel, mmap area, stack), and emulates the memory syscalls over them. Guest
/// protections are not enforced (all guest memory is read-write-execute); mprotect succeeds.
class address_space {
 public:
  static constexpr std::uint64_t kernel_size = 0x10000;

  address_space() = default;
  address_space(const address_space&) = delete;
  address_space& operator=(const address_space&) = delete;
  ~address_space() {
    for (auto& r : regions_)
      if (r.end > r.start) ::munmap(reinterpret_cast<void*>(r.start), r.end - r.start);
  }

  /// Takes ownership of the image region [start, end) whose heap starts at `brk_start`.
  void set_image(std::uint64_t start, std::uint64_t end, std::uint64_t brk_start) noexcept {
    regions_[0] = {start, end};
    brk_start_ = brk_ = brk_start;
  }
  /// Takes ownership of the arena [start, end), `stack_size` of it at the top for the stack.
  void set_arena(std::uint64_t start, std::uint64_t end, std::uint64_t stack_size) {
    regions_[1] = {start, end};
    mmap_lo_ = start + kernel_size + page_size;  // a guard page after the kernel area
    mmap_hi_ = end - stack_size - page_size;     // and one below the stack
    stack_lo_ = end - stack_size;
    used_.assign((mmap_hi_ - mmap_lo_) / page_size, false);
    search_from_ = used_.size();
  }

  const region& image() const noexcept { return regions_[0]; }
  const region& arena() const noexcept { return regions_[1]; }
  std::uint64_t kernel_base() const noexcept { return regions_[1].start; }
  std::uint64_t stack_top() const noexcept { return regions_[1].end; }
  std::uint64_t stack_low() const noexcept { return stack_lo_; }
  std::uint64_t brk() const noexcept { return brk_; }

  /// Says whether [a, a+len) lies entirely in guest memory.
  bool contains(std::uint64_t a, std::uint64_t len) const noexcept {
    return regions_[0].contains(a, len) || regions_[1].contains(a, len);
  }
  /// Returns the host pointer for guest address `a` (the same number), or nullptr when
  /// [a, a+len) is not guest memory.
  std::uint8_t* host(std::uint64_t a, std::uint64_t len) const noexcept {
    return contains(a, len) ? reinterpret_cast<std::uint8_t*>(a) : nullptr;
  }
  /// Reads up to out.size() bytes at `a`: the count read, or bad_address when `a` is not
  /// guest memory. Stops at the end of the region that holds `a`.
  result<std::size_t> read_bytes(std::uint64_t a, std::span<std::byte> out) const noexcept {
    // The null page is never guest memory; saying so also lets GCC see memcpy's source is non-null.
    if (a == 0) return std::errc::bad_address;
    for (auto& r : regions_)
      if (r.contains(a, 1)) {
        std::size_t n = std::min<std::uint64_t>(out.size(), r.end - a);
        std::memcpy(out.data(), reinterpret_cast<const void*>(a), n);
        return n;
      }
    return std::errc::bad_address;
  }
  /// Writes `in` at `a`; bad_address unless all of it is guest memory.
  result<std::size_t> write_bytes(std::uint64_t a, std::span<const std::byte> in) noexcept {
    if (!contains(a, in.size())) return std::errc::bad_address;
    std::memcpy(reinterpret_cast<void*>(a), in.data(), in.size());
    return in.size();
  }

  /// Emulates brk(2): moves the break inside the image region, returns the break.
  long do_brk(std::uint64_t want) noexcept {
    if (want < brk_start_ || want > regions_[0].end) return static_cast<long>(brk_);
    if (want < brk_) {  // give the pages back so that growing again reads zeros
      std::uint64_t from = page_up(want);
      if (page_up(brk_) > from) ::madvise(reinterpret_cast<void*>(from), page_up(brk_) - from, MADV_DONTNEED);
    }
    brk_ = want;
    return static_cast<long>(brk_);
  }

  /// Emulates mmap(2) inside the arena (or MAP_FIXED inside any guest memory).
  long do_mmap(std::uint64_t addr, std::uint64_t len, std::uint64_t prot, std::uint64_t flags,
               std::uint64_t fd, std::uint64_t off) noexcept {
    (void)prot;
    if (len == 0 || (off & (page_size - 1)) != 0) return -EINVAL;
    len = page_up(len);
    if (len > mmap_hi_ - mmap_lo_) return -ENOMEM;
    bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    if (fixed) {
      if ((addr & (page_size - 1)) != 0) return -EINVAL;
      if (!contains(addr, len)) return -ENOMEM;
      if ((flags & MAP_FIXED_NOREPLACE) && !range_free(addr, len)) return -EEXIST;
    } else {
      auto found = find_free(len);
      if (!found) return -ENOMEM;
      addr = *found;
    }
    bool anonymous = (flags & MAP_ANONYMOUS) != 0;
    if (anonymous) {
      // Free arena pages are always fresh zero pages (munmap restores them), so a new
      // anonymous mapping there needs no host call. A fixed one over used memory does.
      if (fixed && !range_free(addr, len)) {
        if (!remap_anonymous(addr, len)) return -ENOMEM;
      }
    } else {
      int share = (flags & MAP_SHARED) ? MAP_SHARED : MAP_PRIVATE;
      void* p = ::mmap(reinterpret_cast<void*>(addr), len, PROT_READ | PROT_WRITE, share | MAP_FIXED,
                       static_cast<int>(fd), static_cast<off_t>(off));
      if (p == MAP_FAILED && errno == EACCES)  // a read-only fd shared: the guest only reads it
        p = ::mmap(reinterpret_cast<void*>(addr), len, PROT_READ, share | MAP_FIXED, static_cast<int>(fd),
                   static_cast<off_t>(off));
      if (p == MAP_FAILED) {
        int err = errno;
        remap_anonymous(addr, len);  // MAP_FIXED may have dropped what was there: keep it backed
        return -err;
      }
    }
    mark(addr, len, true);
    return static_cast<long>(addr);
  }

  /// Emulates munmap(2): the range becomes fresh zeroed memory again, free for mmap.
  long do_munmap(std::uint64_t addr, std::uint64_t len) noexcept {
    if ((addr & (page_size - 1)) != 0 || len == 0) return -EINVAL;
    len = page_up(len);
    if (!contains(addr, len)) return 0;  // like Linux: unmapping nothing succeeds
    if (!remap_anonymous(addr, len)) return -ENOMEM;
    mark(addr, len, false);
    return 0;
  }

  /// Emulates mprotect(2): succeeds on guest memory, which stays read-write-execute.
  long do_mprotect(std::uint64_t addr, std::uint64_t len) const noexcept {
    if ((addr & (page_size - 1)) != 0) return -EINVAL;
    return contains(addr, page_up(len)) ? 0 : -ENOMEM;
  }

  /// Emulates madvise(2): MADV_DONTNEED/MADV_FREE zero the range as Linux does; other
  /// advice succeeds without effect.
  long do_madvise(std::uint64_t addr, std::uint64_t len, std::uint64_t advice) noexcept {
    if ((addr & (page_size - 1)) != 0) return -EINVAL;
    if (!contains(addr, page_up(len))) return -ENOMEM;
    if (advice == MADV_DONTNEED || advice == MADV_FREE)
      if (::madvise(reinterpret_cast<void*>(addr), page_up(len), MADV_DONTNEED) != 0) return -errno;
    return 0;
  }

  /// Emulates mremap(2) for arena mappings: shrink in place, grow in place when the pages
  /// after are free, else move (copy) when MREMAP_MAYMOVE allows it.
  long do_mremap(std::uint64_t old_addr, std::uint64_t old_len, std::uint64_t new_len,
                 std::uint64_t flags) noexcept {
    if ((old_addr & (page_size - 1)) != 0 || new_len == 0) return -EINVAL;
    if (flags & ~std::uint64_t{MREMAP_MAYMOVE}) return -EINVAL;  // MREMAP_FIXED/DONTUNMAP unsupported
    old_len = page_up(old_len);
    new_len = page_up(new_len);
    if (!in_mmap_area(old_addr, old_len)) return -EFAULT;
    if (new_len <= old_len) {
      if (new_len < old_len) do_munmap(old_addr + new_len, old_len - new_len);
      return static_cast<long>(old_addr);
    }
    if (in_mmap_area(old_addr, new_len) && range_free(old_addr + old_len, new_len - old_len)) {
      mark(old_addr + old_len, new_len - old_len, true);
      return static_cast<long>(old_addr);
    }
    if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
    auto to = find_free(new_len);
    if (!to) return -ENOMEM;
    std::memcpy(reinterpret_cast<void*>(*to), reinterpret_cast<const void*>(old_addr), old_len);
    mark(*to, new_len, true);
    do_munmap(old_addr, old_len);
    return static_cast<long>(*to);
  }

 private:
  bool in_mmap_area(std::uint64_t a, std::uint64_t len) const noexcept {
    return a >= mmap_lo_ && a <= mmap_hi_ && len <= mmap_hi_ - a;
  }
  std::size_t index(std::uint64_t a) const noexcept { return (a - mmap_lo_) / page_size; }
  bool range_free(std::uint64_t a, std::uint64_t len) const noexcept {
    if (!in_mmap_area(a, len)) return false;
    for (std::size_t i = index(a), e = index(a + len); i < e; ++i)
      if (used_[i]) return false;
    return true;
  }
  void mark(std::uint64_t a, std::uint64_t len, bool used) noexcept {
    // Only the mmap area is tracked; fixed maps into the image or stack need no bookkeeping.
    std::uint64_t lo = std::max(a, mmap_lo_), hi = std::min(a + len, mmap_hi_);
    for (std::uint64_t p = lo; p < hi; p += page_size) used_[index(p)] = used;
    if (!used && hi > lo) search_from_ = std::max(search_from_, index(hi));
  }
  // Top-down first fit, as Linux places mmaps below the stack.
  result<std::uint64_t> find_free(std::uint64_t len) noexcept {
    std::size_t need = len / page_size;
    for (int pass = 0; pass < 2; ++pass) {
      std::size_t run = 0;
      for (std::size_t i = pass == 0 ? search_from_ : used_.size(); i-- > 0;) {
        run = used_[i] ? 0 : run + 1;
        if (run == need) {
          search_from_ = i;
          return mmap_lo_ + i * page_size;
        }
      }
    }
    return std::errc::not_enough_memory;
  }
  static bool remap_anonymous(std::uint64_t addr, std::uint64_t len) noexcept {
    void* p = ::mmap(reinterpret_cast<void*>(addr), len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    return p != MAP_FAILED;
  }

  region regions_[2]{};
  std::uint64_t brk_start_ = 0, brk_ = 0;
  std::uint64_t mmap_lo_ = 0, mmap_hi_ = 0, stack_lo_ = 0;
  std::vector<bool> used_;
  std::size_t search_from_ = 0;
};

}  // namespace snare::backend::hypercall_detail
