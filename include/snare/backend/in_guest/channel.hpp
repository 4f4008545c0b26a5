// Defines the in-guest backend's message channel: one file in a directory of its own on
// /dev/shm (tmpfs), next to the symbolic link to the tool object that the guest preloads, so
// that every guest process finds it from the path its object was loaded by (dladdr), even
// after an execve that dropped the environment (the runtime puts LD_PRELOAD back), and maps
// it at load (the fd closed at once: a guest that closes every fd keeps it). The tracer serves it. It carries
// g.global().call requests (the offset of a thunk in the tool's shared object and the function object's
// bytes; the tracer runs the thunk from its own dlopen() of the same object on the run's global state) and
// the table of guest processes. The guest waits on a process-shared futex; neither side makes a syscall while
// the other is busy answering (both spin briefly, then sleep, and wake only a sleeper).
#pragma once

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include <snare/guest/handle.hpp>
#include <snare/result.hpp>

namespace snare::detail::in_guest {

/// The names in a run's directory: the channel, and the link to the tool object.
inline constexpr const char* channel_file = "channel";
inline constexpr const char* object_link = "tool.so";

/// The largest function object and result a global call carries (bytes).
inline constexpr std::size_t max_call_bytes = 8192;
/// The thunk offset that marks a notice rather than a global call: the function object's
/// bytes are a line of text for the user, which the tracer writes to its stderr.
inline constexpr std::uint64_t notice_offset = ~std::uint64_t{0};
/// The processes the table holds; later ones are served but not tracked.
inline constexpr std::size_t max_processes = 8192;

/// A thunk in the tool's shared object: runs the function object at `f` on the global
/// state at `state`, for `from`, and writes its result at `ret`. Returns 0, or 1 when the
/// function threw.
using global_thunk = int (*)(void* state, const void* f, const global_caller* from, void* ret) noexcept;

/// A guest process the channel knows: its id, and whether it told its own end.
struct process_slot {
  std::atomic<int> pid{0};
  std::atomic<int> told_end{0};  // 1: the guest's exit_group was seen by its own handlers
  std::atomic<int> threads{0};   // threads told started and not yet told ended
};

/// The shared page set. Made by the tracer (init), mapped by each guest process at load.
struct channel_page {
  static constexpr std::uint32_t magic_value = 0x736e6967;  // "snig"
  std::uint32_t magic = 0;
  pid_t tracer_pid = 0;
  std::atomic<int> root_pid{0};
  pthread_mutex_t lock;  // robust, process-shared: one request at a time
  std::atomic<std::uint32_t> request_seq{0};
  std::atomic<std::uint32_t> response_seq{0};
  std::atomic<std::uint32_t> server_sleeping{0};
  std::atomic<std::uint32_t> client_sleeping{0};
  std::atomic<std::uint32_t> stopping{0};
  std::uint64_t thunk_offset = 0;  // from the object's load base
  global_caller from{};
  std::uint32_t f_size = 0, ret_size = 0;
  std::int32_t status = 0;               // the thunk's: 0, 1 (threw), 2 (no such thunk)
  std::atomic<std::uint64_t> served{0};  // requests answered (statistics, tests)
  alignas(64) unsigned char f[max_call_bytes];
  alignas(64) unsigned char ret[max_call_bytes];
  std::uint32_t config_size = 0;  // the tool's configuration (Tool::in_guest_config())
  char config[max_call_bytes];
  std::atomic<std::uint32_t> process_count{0};
  process_slot processes[max_processes];
  std::uint32_t follow_forks = 1;       // run_options::follow_forks: 0, only the root is traced
  std::atomic<std::uint32_t> threw{0};  // 1: a handler threw in the guest; its what() follows
  char thrown[1024] = {};
  char tool_name[256] = {};  // typeid(Tool).name() of the tracer's tool (an object of several picks it)
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the channel needs lock-free atomics shared between processes");

inline long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t val,
                  const timespec* t = nullptr) noexcept {
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, val, t, nullptr, 0);
}

/// Waits until `word` differs from `old`: spins `spins` times, then sleeps on the futex
/// with `sleeping` raised (the other side wakes only a sleeper), `slice` at a time, asking
/// `go_on()` between slices. Returns false when go_on() said stop.
template <class GoOn>
bool wait_change(std::atomic<std::uint32_t>& word, std::uint32_t old, std::atomic<std::uint32_t>& sleeping,
                 int spins, GoOn&& go_on) noexcept {
  for (int i = 0; i < spins; ++i) {
    if (word.load(std::memory_order_acquire) != old) return true;
    __builtin_ia32_pause();
  }
  const timespec slice{0, 100'000'000};
  while (word.load(std::memory_order_acquire) == old) {
    sleeping.store(1, std::memory_order_seq_cst);
    if (word.load(std::memory_order_seq_cst) == old) futex(word, FUTEX_WAIT, old, &slice);
    sleeping.store(0, std::memory_order_relaxed);
    if (word.load(std::memory_order_acquire) == old && !go_on()) return false;
  }
  return true;
}

/// Wakes a sleeper on `word` when `sleeping` says there is one.
inline void wake(std::atomic<std::uint32_t>& word, std::atomic<std::uint32_t>& sleeping) noexcept {
  if (sleeping.load(std::memory_order_seq_cst) != 0) futex(word, FUTEX_WAKE, 1);
}

/// Maps the channel next to the object loaded from `object_path` (guest side). Returns null
/// when there is none (the tracer's own dlopen, a process outside any run, a run over).
inline channel_page* map_channel(const char* object_path) noexcept {
  char path[4096];
  const char* slash = std::strrchr(object_path, '/');
  if (slash == nullptr) return nullptr;
  const std::size_t dir = static_cast<std::size_t>(slash - object_path) + 1;
  const std::size_t name = std::strlen(channel_file);
  if (dir + name + 1 > sizeof path) return nullptr;
  std::memcpy(path, object_path, dir);
  std::memcpy(path + dir, channel_file, name + 1);
  int fd = ::open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return nullptr;
  void* p = ::mmap(nullptr, sizeof(channel_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return nullptr;
  auto* page = static_cast<channel_page*>(p);
  // A channel left behind by a tracer that died: nobody would answer.
  if (page->magic != channel_page::magic_value || (::kill(page->tracer_pid, 0) != 0 && errno == ESRCH)) {
    ::munmap(p, sizeof(channel_page));
    return nullptr;
  }
  return page;
}

/// Adds `pid` to the process table (once); returns false when it already was there (an
/// exec of a known process) or the table is full.
inline bool add_process(channel_page& c, pid_t pid) noexcept {
  const std::uint32_t n = std::min<std::uint32_t>(c.process_count.load(std::memory_order_acquire),
                                                  static_cast<std::uint32_t>(max_processes));
  for (std::uint32_t i = 0; i < n; ++i)
    if (c.processes[i].pid.load(std::memory_order_acquire) == pid) return false;
  const std::uint32_t i = c.process_count.fetch_add(1, std::memory_order_acq_rel);
  if (i >= max_processes) return false;
  c.processes[i].told_end.store(0, std::memory_order_relaxed);
  c.processes[i].pid.store(pid, std::memory_order_release);
  return true;
}

/// Finds `pid` in the process table (null when absent).
inline process_slot* find_process(channel_page& c, pid_t pid) noexcept {
  const std::uint32_t n = std::min<std::uint32_t>(c.process_count.load(std::memory_order_acquire),
                                                  static_cast<std::uint32_t>(max_processes));
  for (std::uint32_t i = n; i-- > 0;)
    if (c.processes[i].pid.load(std::memory_order_acquire) == pid) return &c.processes[i];
  return nullptr;
}

/// Sends one global call from the guest and waits for its answer: `offset` of the thunk,
/// the function object's bytes, the result copied to `ret`. Returns the thunk's status
/// (0 ok, 1 threw, 2 unknown thunk), or -1 when the tracer is gone.
inline int call_tracer(channel_page& c, std::uint64_t offset, const void* f, std::size_t f_size, void* ret,
                       std::size_t ret_size, global_caller from) noexcept {
  int r = ::pthread_mutex_lock(&c.lock);
  if (r == EOWNERDEAD)
    ::pthread_mutex_consistent(&c.lock);  // its holder died mid-call: the slot is ours
  else if (r != 0)
    return -1;
  c.thunk_offset = offset;
  c.from = from;
  c.f_size = static_cast<std::uint32_t>(f_size);
  c.ret_size = static_cast<std::uint32_t>(ret_size);
  std::memcpy(c.f, f, f_size);
  const std::uint32_t answered = c.response_seq.load(std::memory_order_acquire);
  c.request_seq.fetch_add(1, std::memory_order_seq_cst);
  wake(c.request_seq, c.server_sleeping);
  const pid_t tracer = c.tracer_pid;
  bool ok = wait_change(c.response_seq, answered, c.client_sleeping, 4000,
                        [&] { return ::kill(tracer, 0) == 0 || errno != ESRCH; });
  int status = ok ? c.status : -1;
  if (ok && ret_size != 0) std::memcpy(ret, c.ret, ret_size);
  ::pthread_mutex_unlock(&c.lock);
  return status;
}

}  // namespace snare::detail::in_guest
