// Defines the formatter's reusable per-thread byte buffer, which guest strings and buffers
// are read into (no allocation per call once it has grown), and the per-thread objects that
// stay usable after the thread's thread_local destructors ran.
#pragma once

#include <new>
#include <string>

namespace snare::format::detail {

/// The storage of one lasting_thread_local<T>: trivially destructible, so it lives as long
/// as its thread, whatever destructors have run.
template <class T>
struct lasting_slot {
  alignas(T) unsigned char bytes[sizeof(T)];
  bool live;
};
template <class T>
inline constinit thread_local lasting_slot<T> lasting_slot_of{};

/// Destroys the thread's T at the thread's end (one per thread, built with its first T).
template <class T>
struct lasting_guard {
  lasting_guard() = default;
  lasting_guard(const lasting_guard&) = delete;
  lasting_guard& operator=(const lasting_guard&) = delete;
  ~lasting_guard() {
    auto& s = lasting_slot_of<T>;
    if (!s.live) return;
    s.live = false;
    std::launder(reinterpret_cast<T*>(s.bytes))->~T();
  }
};

/// Returns this thread's T (default-constructed at its first use), usable even after the
/// thread's thread_local destructors ran: glibc's exit() runs them before the atexit
/// handlers, whose calls an in-guest tool still formats (basename's close_stdout flushing
/// stdout: a plain thread_local buffer, destroyed, was written again and broke the free
/// list of the tool's heap, issue 18). A T wanted after that is built anew and never
/// destroyed: at most one per thread, the main thread's reachable until exit_group.
template <class T>
T& lasting_thread_local() {
  auto& s = lasting_slot_of<T>;
  if (!s.live) {
    ::new (static_cast<void*>(s.bytes)) T();
    s.live = true;
    thread_local lasting_guard<T> guard;  // built once per thread: registers the destruction
    (void)guard;
  }
  return *std::launder(reinterpret_cast<T*>(s.bytes));
}

/// Returns the reusable byte buffer of this thread.
inline std::string& scratch() { return lasting_thread_local<std::string>(); }

}  // namespace snare::format::detail
