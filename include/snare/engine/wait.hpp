// Defines snare::engine::waiters: the handlers suspended in wait_until (guest/handle.hpp),
// woken when their condition holds. An engine tests them after each event it serves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <system_error>
#include <vector>

#include <snare/result.hpp>

namespace snare::engine {

/// The threads whose handler waits. Thread has `wait_condition waiting`, `bool dead` and the
/// fiber its handlers run on, `worker`.
template <class Thread>
class waiters {
 public:
  /// Suspends t's handler, which must be running on t.worker now, until `c` holds (wake) or
  /// t ends. Errors: operation_not_supported off the fiber, no_such_process when t ended.
  result<void> wait(Thread& t, decltype(Thread::waiting) c) noexcept {
    if (t.dead) return std::errc::no_such_process;
    if (!t.worker.running()) return std::errc::operation_not_supported;
    t.waiting = c;
    add(t);
    t.worker.suspend();
    if (t.dead) return std::errc::no_such_process;
    return {};
  }

  /// Adds t, whose `waiting` is set.
  void add(Thread& t) { list_.push_back(&t); }
  /// Removes t (it ends).
  void remove(Thread& t) noexcept { list_.erase(std::remove(list_.begin(), list_.end(), &t), list_.end()); }
  bool empty() const noexcept { return list_.empty(); }
  std::size_t size() const noexcept { return list_.size(); }
  void clear() noexcept { list_.clear(); }

  /// Ends every handler still suspended on a thread of `records` (waiting, or in an injected
  /// call): each thread is marked dead and its job resumed until done, before the fibers go
  /// (a job left suspended in a noexcept function would terminate). For the end of a run.
  template <class Records>
  void end_all(const Records& records) noexcept {
    clear();
    records.for_each_thread([](Thread& t) {
      t.dead = true;
      try {
        while (t.worker.busy()) t.worker.resume();
      } catch (...) {
      }
    });
  }

  /// Calls resume(t) for each waiting thread whose condition holds or which died, taking it
  /// off the list first; again until none does, since a resumed handler may make another's
  /// condition hold.
  template <class Resume>
  void wake(Resume&& resume) {
    for (bool again = true; again && !list_.empty();) {
      again = false;
      for (std::size_t i = 0; i < list_.size();) {
        Thread* t = list_[i];
        if (t->dead || t->waiting()) {
          list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(i));
          t->waiting = {};
          resume(*t);
          again = true;
        } else {
          ++i;
        }
      }
    }
  }

 private:
  std::vector<Thread*> list_;
};

}  // namespace snare::engine
