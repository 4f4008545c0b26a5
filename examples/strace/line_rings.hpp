// Defines strace::rings: the shared memory through which snare-strace's in-guest tool
// hands its lines to the tracer without a round trip. One single-producer ring per guest
// thread (claimed at its first line, taken back by the tracer once the thread is gone and its
// ring drained), a sequence number per record from one counter shared by every guest (the
// tracer prints what it drains in that order: a thread's lines in their order, the threads'
// interleaving as the calls ended), and a doorbell the tracer sleeps on between its periodic
// drains. A record is published by one release store of the ring's head after it is whole,
// so a guest killed while writing one loses only that record, and the tracer still reads
// every earlier one. A full ring makes its thread wait for the tracer (never a dropped line).
#pragma once

#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace strace::rings {

/// The rings (guest threads that hold one at a time; a thread that finds none free sends
/// its lines through g.global().call), and each ring's bytes (a power of two).
inline constexpr std::size_t ring_count = 512;
inline constexpr std::size_t ring_bytes = 64 * 1024;
/// A record larger than this goes through g.global().call instead (after the ring's lines).
inline constexpr std::size_t max_record = ring_bytes / 4;

/// One record's header; the text follows it, the record padded to 8 bytes. `size` 0 marks
/// the ring's end: the next record is at the ring's start.
struct record {
  std::uint32_t size;  ///< header and text, padded (bytes)
  std::uint8_t kind;   ///< strace::guest_message::kind
  std::uint8_t unused[3];
  std::uint64_t seq;  ///< from region::seq at publication
  std::int32_t pid, tid, status;
  std::uint32_t pad_at;
  std::uint32_t len;  ///< text bytes
  std::uint32_t unused2;
  std::uint64_t ns;  ///< the guest's CLOCK_MONOTONIC when it matters (-T: an execve's start), else 0
};
static_assert(sizeof(record) == 48);

/// A ring's counters, one cache line each side (the producer writes head, the tracer tail).
struct ring_control {
  alignas(64) std::atomic<std::uint64_t> head{0};  ///< bytes published (monotonic)
  alignas(64) std::atomic<std::uint64_t> tail{0};  ///< bytes drained (monotonic)
  std::atomic<std::uint32_t> tail_word{0};         ///< low bits of tail: the futex a full ring waits on
  std::atomic<std::uint32_t> waiting{0};           ///< the producer sleeps on tail_word
};

/// The shared region, made by the tracer (a memfd) and mapped by every guest process.
struct region {
  static constexpr std::uint64_t magic_value = 0x73747261636572ULL;  // "stracer"
  std::uint64_t magic = 0;
  pid_t tracer_pid = 0;
  alignas(64) std::atomic<std::uint64_t> seq{0};
  alignas(64) std::atomic<std::uint32_t> doorbell{0};
  std::atomic<std::uint32_t> drainer_sleeping{0};
  alignas(64) std::atomic<pid_t> owner[ring_count];  ///< the thread that holds the ring (0: free)
  ring_control control[ring_count];
  alignas(4096) unsigned char data[ring_count][ring_bytes];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<pid_t>::is_always_lock_free);

inline long futex(std::atomic<std::uint32_t>& w, int op, std::uint32_t v,
                  const timespec* t = nullptr) noexcept {
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&w), op, v, t, nullptr, 0);
}

/// Wakes the tracer's drainer if it sleeps (one producer wakes it: the flag is taken).
inline void ring_doorbell(region& r) noexcept {
  r.doorbell.fetch_add(1, std::memory_order_seq_cst);
  if (r.drainer_sleeping.exchange(0, std::memory_order_seq_cst) != 0) futex(r.doorbell, FUTEX_WAKE, 1);
}

/// Claims a ring for thread `tid`: the one it already holds (its process's image before an
/// exec wrote there), else a free one. Returns its index, or -1 when every ring is taken.
inline int claim(region& r, pid_t tid) noexcept {
  for (std::size_t i = 0; i < ring_count; ++i)
    if (r.owner[i].load(std::memory_order_acquire) == tid) return static_cast<int>(i);
  for (std::size_t i = 0; i < ring_count; ++i) {
    pid_t free = 0;
    if (r.owner[i].load(std::memory_order_relaxed) == 0 &&
        r.owner[i].compare_exchange_strong(free, tid, std::memory_order_acq_rel))
      return static_cast<int>(i);
  }
  return -1;
}

/// Appends one record to ring `i` (its owner thread only; not reentrant: the caller keeps
/// a signal handler's calls out while it appends). Waits while the ring is full. Returns
/// false, having written nothing, when the record is too large for a ring or the tracer is
/// gone: the caller sends it another way.
inline bool append(region& r, int i, std::uint8_t kind, std::int32_t pid, std::int32_t tid,
                   std::int32_t status, std::uint32_t pad_at, std::string_view text,
                   std::uint64_t ns = 0) noexcept {
  const std::size_t need = (sizeof(record) + text.size() + 7) & ~std::size_t{7};
  if (need > max_record) return false;
  ring_control& c = r.control[i];
  unsigned char* data = r.data[i];
  std::uint64_t h = c.head.load(std::memory_order_relaxed);
  std::size_t off = static_cast<std::size_t>(h % ring_bytes);
  const std::size_t to_end = ring_bytes - off;
  const std::size_t total = need + (to_end < need ? to_end : 0);
  while (h + total - c.tail.load(std::memory_order_acquire) > ring_bytes) {
    // Full: ask the tracer to drain, and sleep until it moved the tail (a slice at a time,
    // so that a tracer that died is noticed).
    const std::uint32_t seen = c.tail_word.load(std::memory_order_acquire);
    c.waiting.store(1, std::memory_order_seq_cst);
    ring_doorbell(r);
    if (h + total - c.tail.load(std::memory_order_seq_cst) > ring_bytes) {
      const timespec slice{0, 50'000'000};
      if (futex(c.tail_word, FUTEX_WAIT, seen, &slice) != 0 && errno == ETIMEDOUT &&
          ::kill(r.tracer_pid, 0) != 0 && errno == ESRCH) {
        c.waiting.store(0, std::memory_order_relaxed);
        return false;
      }
    }
    c.waiting.store(0, std::memory_order_relaxed);
  }
  if (to_end < need) {
    std::uint32_t end_mark = 0;
    std::memcpy(data + off, &end_mark, sizeof end_mark);
    h += to_end;
    off = 0;
  }
  record rec{};
  rec.size = static_cast<std::uint32_t>(need);
  rec.kind = kind;
  rec.pid = pid;
  rec.tid = tid;
  rec.status = status;
  rec.pad_at = pad_at;
  rec.len = static_cast<std::uint32_t>(text.size());
  rec.ns = ns;
  if (!text.empty()) std::memcpy(data + off + sizeof(record), text.data(), text.size());
  rec.seq = r.seq.fetch_add(1, std::memory_order_relaxed);
  std::memcpy(data + off, &rec, sizeof rec);
  c.head.store(h + need, std::memory_order_release);
  // Half full: wake a sleeping drainer now rather than at its next interval, so that a
  // busy thread seldom meets a full ring.
  if (h + need - c.tail.load(std::memory_order_relaxed) > ring_bytes / 2 &&
      r.drainer_sleeping.load(std::memory_order_relaxed) != 0)
    ring_doorbell(r);
  return true;
}

/// Reads every record published in ring `i` (the tracer, one drainer at a time), calling
/// `f(const record&, std::string_view text)` for each, then frees their room and wakes a
/// producer that waits for it.
template <class F>
void drain(region& r, int i, F&& f) {
  ring_control& c = r.control[i];
  const unsigned char* data = r.data[i];
  std::uint64_t t = c.tail.load(std::memory_order_relaxed);
  const std::uint64_t h = c.head.load(std::memory_order_acquire);
  if (t == h) return;
  while (t < h) {
    const std::size_t off = static_cast<std::size_t>(t % ring_bytes);
    record rec;
    std::memcpy(&rec.size, data + off, sizeof rec.size);
    if (rec.size == 0) {  // the ring's end
      t += ring_bytes - off;
      continue;
    }
    std::memcpy(&rec, data + off, sizeof rec);
    // A record the guest could not have written (a guest that scribbled on the region):
    // stop reading this ring rather than run off it.
    if (rec.size < sizeof(record) || rec.size > ring_bytes - off || rec.len > rec.size - sizeof(record)) {
      t = h;
      break;
    }
    f(rec, std::string_view(reinterpret_cast<const char*>(data + off + sizeof(record)), rec.len));
    t += rec.size;
  }
  c.tail.store(t, std::memory_order_release);
  c.tail_word.store(static_cast<std::uint32_t>(t), std::memory_order_seq_cst);
  if (c.waiting.load(std::memory_order_seq_cst) != 0) futex(c.tail_word, FUTEX_WAKE, 1);
}

}  // namespace strace::rings
