// Defines the in-guest tool object's private heap. A hook can run inside the guest's own
// malloc (malloc -> mmap trapped -> handler): a handler that allocated from the guest's heap
// would then wait for the arena lock its own thread holds. So the tool object (built with
// -static-libstdc++ and every symbol but its anchor local: snare_add_in_guest_tool) defines
// its own malloc family over this heap (SNARE_IN_GUEST_TOOL expands the definitions), and
// its operator new, std::string, containers... allocate here, never from the guest's.
//
// The heap: one reserved range of 4 GiB (MAP_NORESERVE) cut into 32 classes of 128 MiB;
// class k holds blocks of 16 << k bytes at multiples of their size (so a pointer's class is
// its offset / 128 MiB and blocks are aligned to their size up to the page); each class has
// a bump pointer (lock-free) and a free list (under one spin lock owned by a thread id).
// A handler re-entered by a signal while its thread holds the lock allocates from the bump
// pointer only and leaks what it frees. Memory not from this heap (strdup inside glibc) is
// handed back to the process's own free (found by name: glibc's, ASan's, an interposed
// one). Until enable() (and in the tracer, which dlopen()s the same object to run global
// calls) every function forwards to the process's own.
#pragma once

#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

extern "C" {
void* __libc_malloc(std::size_t) noexcept;  // NOLINT: glibc's own entry points
void __libc_free(void*) noexcept;
void* __libc_calloc(std::size_t, std::size_t) noexcept;
void* __libc_realloc(void*, std::size_t) noexcept;
void* __libc_memalign(std::size_t, std::size_t) noexcept;
}

namespace snare::detail::in_guest::heap {

/// The process's own malloc family (the guest's allocator, or the tracer's: glibc's, ASan's,
/// an interposed one), found by name once: what the object forwards to until enable(), and
/// where blocks it did not make go back (strdup inside glibc allocates with it). The
/// object's own functions are local, so the lookup never finds them; glibc's __libc_* when
/// the lookup fails.
struct forward {
  void* (*malloc)(std::size_t) = __libc_malloc;
  void (*free)(void*) = __libc_free;
  void* (*calloc)(std::size_t, std::size_t) = __libc_calloc;
  void* (*realloc)(void*, std::size_t) = __libc_realloc;
  void* (*memalign)(std::size_t, std::size_t) = __libc_memalign;
  void* (*new_)(std::size_t) = nullptr;  // the process's operator new and delete (null: malloc, free)
  void (*delete_)(void*) = nullptr;
};
template <class F>
inline void find_next(F& f, const char* name) noexcept {
  if (void* p = ::dlsym(RTLD_DEFAULT, name)) f = reinterpret_cast<F>(p);
}
inline const forward& next() noexcept {
  static const forward f = [] {
    forward r;
    find_next(r.malloc, "malloc");
    find_next(r.free, "free");
    find_next(r.calloc, "calloc");
    find_next(r.realloc, "realloc");
    find_next(r.memalign, "memalign");
    find_next(r.new_, "_Znwm");      // operator new(std::size_t)
    find_next(r.delete_, "_ZdlPv");  // operator delete(void*)
    return r;
  }();
  return f;
}

inline constexpr std::size_t class_count = 32;
inline constexpr std::size_t class_span = std::size_t{128} << 20;  // bytes of address space per class
inline constexpr std::size_t min_block = 16;

struct free_block {
  free_block* next;
};

struct state {
  std::uintptr_t base = 0;  // 0: not enabled, forward to glibc
  std::atomic<std::uintptr_t> bump[class_count]{};
  free_block* free_list[class_count]{};
  std::atomic<long> owner{0};  // the thread id holding the lock, 0 when free
};
inline state the_heap{};

struct thread_flags {
  long tid = 0;
  bool holds_for_fork = false;
};
[[gnu::tls_model("initial-exec")]] inline thread_local thread_flags flags{};

inline long my_tid() noexcept {
  if (flags.tid == 0) flags.tid = ::syscall(SYS_gettid);
  return flags.tid;
}

/// Switches the heap on in this process (the guest side's start); false when the range
/// cannot be reserved (the object then keeps forwarding to glibc).
inline bool enable() noexcept {
  if (the_heap.base != 0) return true;
  void* p = ::mmap(nullptr, class_count * class_span, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  const auto b = reinterpret_cast<std::uintptr_t>(p);
  // Each class's range starts at a multiple of its block size (up to a page) already: the
  // range is page-aligned and 128 MiB is a multiple of every block size.
  for (std::size_t k = 0; k < class_count; ++k)
    the_heap.bump[k].store(b + k * class_span, std::memory_order_relaxed);
  the_heap.base = b;
  return true;
}

/// Says whether `p` is a block of this heap.
inline bool owns(const void* p) noexcept {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  return the_heap.base != 0 && a >= the_heap.base && a < the_heap.base + class_count * class_span;
}

inline std::size_t class_of_size(std::size_t n) noexcept {
  std::size_t k = 0;
  while ((min_block << k) < n) ++k;
  return k;
}
inline std::size_t class_of_block(const void* p) noexcept {
  return (reinterpret_cast<std::uintptr_t>(p) - the_heap.base) / class_span;
}

// Takes the lock; false when this thread holds it already (a signal handler's hook).
inline bool lock() noexcept {
  const long me = my_tid();
  long expected = 0;
  while (!the_heap.owner.compare_exchange_weak(expected, me, std::memory_order_acquire)) {
    if (expected == me) return false;
    expected = 0;
    ::syscall(SYS_sched_yield);
  }
  return true;
}
inline void unlock() noexcept { the_heap.owner.store(0, std::memory_order_release); }

inline void* from_bump(std::size_t k) noexcept {
  const std::size_t size = min_block << k;
  const std::uintptr_t limit = the_heap.base + (k + 1) * class_span;
  std::uintptr_t at = the_heap.bump[k].fetch_add(size, std::memory_order_relaxed);
  if (at + size > limit) return nullptr;
  return reinterpret_cast<void*>(at);
}

/// malloc over the heap (glibc's until enabled).
inline void* allocate(std::size_t n) noexcept {
  if (the_heap.base == 0) return next().malloc(n);
  const std::size_t k = class_of_size(n == 0 ? 1 : n);
  if (k >= class_count) {
    errno = ENOMEM;
    return nullptr;
  }
  void* p = nullptr;
  if (lock()) {
    if (free_block* b = the_heap.free_list[k]) {
      the_heap.free_list[k] = b->next;
      p = b;
    }
    unlock();
  }
  if (p == nullptr) p = from_bump(k);
  if (p == nullptr) errno = ENOMEM;
  return p;
}

/// free over the heap; glibc's blocks go back to glibc.
inline void release(void* p) noexcept {
  if (p == nullptr) return;
  if (!owns(p)) return next().free(p);
  const std::size_t k = class_of_block(p);
  if (!lock()) return;  // re-entered while this thread holds the lock: leak it
  auto* b = static_cast<free_block*>(p);
  b->next = the_heap.free_list[k];
  the_heap.free_list[k] = b;
  unlock();
}

inline std::size_t usable_size(const void* p) noexcept { return min_block << class_of_block(p); }

inline void* allocate_zeroed(std::size_t count, std::size_t size) noexcept {
  if (the_heap.base == 0) return next().calloc(count, size);
  std::size_t n = 0;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  void* p = allocate(n);
  if (p) std::memset(p, 0, n);
  return p;
}

inline void* reallocate(void* p, std::size_t n) noexcept {
  if (p == nullptr) return allocate(n);
  if (!owns(p)) return next().realloc(p, n);
  if (n == 0) {
    release(p);
    return nullptr;
  }
  const std::size_t have = usable_size(p);
  if (n <= have) return p;
  void* q = allocate(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, have);
  release(p);
  return q;
}

inline void* allocate_aligned(std::size_t align, std::size_t n) noexcept {
  if (the_heap.base == 0) return next().memalign(align, n);
  if (align == 0 || (align & (align - 1)) != 0 || align > 4096) {
    errno = EINVAL;
    return nullptr;
  }
  return allocate(n < align ? align : n);  // a block is aligned to its size (up to a page)
}

/// operator new over the heap; the process's own operator new until enabled (in the tracer,
/// so that what the object's code allocates there is what the tracer's delete expects).
inline void* new_block(std::size_t n) {
  if (the_heap.base == 0 && next().new_ != nullptr) return next().new_(n);
  void* p = allocate(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
/// operator delete over the heap; blocks it did not make go to the process's own.
inline void delete_block(void* p) noexcept {
  if (p == nullptr) return;
  if (!owns(p) && next().delete_ != nullptr) return next().delete_(p);
  release(p);
}

/// Before a fork made by this thread's guest call: hold the lock, so that the child's copy
/// of the heap is consistent (as pthread_atfork's prepare).
inline void lock_for_fork() noexcept {
  if (the_heap.base == 0 || flags.holds_for_fork) return;
  flags.holds_for_fork = lock();
}
/// In the parent after that fork.
inline void unlock_after_fork() noexcept {
  if (!flags.holds_for_fork) return;
  flags.holds_for_fork = false;
  unlock();
}
/// In the child of a fork (its first code): its own id, and the lock its copy holds let go.
/// A vfork child shares the parent's heap and lock, and its parent thread held nothing.
inline void after_fork_in_child() noexcept {
  flags.tid = 0;
  if (!flags.holds_for_fork) return;
  flags.holds_for_fork = false;
  unlock();
}

}  // namespace snare::detail::in_guest::heap

/// Defines the tool object's malloc family over the private heap: expanded by
/// SNARE_IN_GUEST_TOOL (the object's symbols are local: its own code, and its static
/// libstdc++, call these; the guest's code never does).
#define SNARE_IN_GUEST_HEAP_DEFINITIONS                                                                     \
  extern "C" void* malloc(std::size_t n) noexcept { return ::snare::detail::in_guest::heap::allocate(n); }  \
  extern "C" void free(void* p) noexcept { ::snare::detail::in_guest::heap::release(p); }                   \
  void* operator new(std::size_t n) { return ::snare::detail::in_guest::heap::new_block(n); }               \
  void* operator new[](std::size_t n) { return ::snare::detail::in_guest::heap::new_block(n); }             \
  void operator delete(void* p) noexcept { ::snare::detail::in_guest::heap::delete_block(p); }              \
  void operator delete[](void* p) noexcept { ::snare::detail::in_guest::heap::delete_block(p); }            \
  void operator delete(void* p, std::size_t) noexcept { ::snare::detail::in_guest::heap::delete_block(p); } \
  void operator delete[](void* p, std::size_t) noexcept {                                                   \
    ::snare::detail::in_guest::heap::delete_block(p);                                                       \
  }                                                                                                         \
  extern "C" void* calloc(std::size_t c, std::size_t n) noexcept {                                          \
    return ::snare::detail::in_guest::heap::allocate_zeroed(c, n);                                          \
  }                                                                                                         \
  extern "C" void* realloc(void* p, std::size_t n) noexcept {                                               \
    return ::snare::detail::in_guest::heap::reallocate(p, n);                                               \
  }                                                                                                         \
  extern "C" void* aligned_alloc(std::size_t a, std::size_t n) noexcept {                                   \
    return ::snare::detail::in_guest::heap::allocate_aligned(a, n);                                         \
  }                                                                                                         \
  extern "C" void* memalign(std::size_t a, std::size_t n) noexcept {                                        \
    return ::snare::detail::in_guest::heap::allocate_aligned(a, n);                                         \
  }                                                                                                         \
  extern "C" int posix_memalign(void** out, std::size_t a, std::size_t n) noexcept {                        \
    if (a < sizeof(void*)) a = sizeof(void*);                                                               \
    void* p = ::snare::detail::in_guest::heap::allocate_aligned(a, n);                                      \
    if (p == nullptr) return errno;                                                                         \
    *out = p;                                                                                               \
    return 0;                                                                                               \
  }                                                                                                         \
  static_assert(true, "")
