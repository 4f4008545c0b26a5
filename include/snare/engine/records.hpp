// Defines the records every backend keeps of its guest: one per process and one per thread,
// each with the tool's state for it, and the table that holds them by id. A backend adds its
// own fields by deriving from the records (ptrace: the fiber, registers and stop
// bookkeeping); the table does the bookkeeping every backend needs the same way: a process
// record lives while one of its threads does, an exec from a non-leader thread moves that
// thread to the leader's id (execve(2): "all threads other than the calling thread are
// destroyed ... the calling thread takes the thread ID of the thread group leader").
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

#include <snare/engine/detail/proc.hpp>
#include <snare/tool/state.hpp>

namespace snare::engine {

/// Builds `child` from `parent` where State says how (snare::from_parent); else leaves it.
template <class State>
void inherit_state(State& child, const State& parent) {
  if constexpr (inherits_from_parent<State>) child = State(from_parent, parent);
}

/// One guest process: its id, its threads still recorded, and the tool's process state.
template <class Tool>
struct process_record {
  pid_t pid = -1;
  int threads = 0;       ///< thread records of this process in the table
  bool started = false;  ///< on_process_start was told
  bool daemon = false;   ///< the run need not wait for it (guest daemonize; its children too)
  process_state_t<Tool> state{};
};

/// One guest thread: its id, its process, and the tool's thread state. A backend's own
/// thread record derives from it.
template <class Tool, class Process = process_record<Tool>>
struct thread_record {
  pid_t tid = -1;
  Process* proc = nullptr;
  bool started = false;  ///< on_thread_start was told
  thread_state_t<Tool> state{};
};

/// The run's thread and process records by id. Thread must derive from thread_record<Tool,
/// Process> and Process from process_record<Tool>. Records are never moved in memory while
/// in the table (handles keep pointers to them).
template <class Thread, class Process>
class records {
 public:
  /// Records thread `tid` of process `tgid` (recording the process too when new), built
  /// from `args`; `new_process` is called with the process record when it was created.
  /// A record already held under `tid` is replaced (use find first to keep it).
  template <class OnNewProcess, class... Args>
  Thread& add(pid_t tid, pid_t tgid, OnNewProcess&& new_process, Args&&... args) {
    auto& pp = procs_[tgid];
    const bool created = !pp;
    if (created) {
      pp = std::make_unique<Process>();
      pp->pid = tgid;
    }
    auto rec = std::make_unique<Thread>(std::forward<Args>(args)...);
    rec->tid = tid;
    rec->proc = pp.get();
    ++pp->threads;
    Thread& ref = *rec;
    if (auto old = threads_.find(tid); old != threads_.end()) release(std::move(old->second));
    threads_[tid] = std::move(rec);
    if (created) new_process(*pp);
    return ref;
  }
  Thread& add(pid_t tid, pid_t tgid) {
    return add(tid, tgid, [](Process&) {});
  }

  /// Records thread `tid` of process `tgid` as add() does, created by thread `parent`: its
  /// state, and its process's when this makes a new process, are built from the parent's
  /// where the state type says how (snare::from_parent, tool/state.hpp).
  template <class OnNewProcess, class... Args>
  Thread& add_child(const Thread& parent, pid_t tid, pid_t tgid, OnNewProcess&& new_process, Args&&... args) {
    const auto* parent_process = parent.proc;
    Thread& child = add(
        tid, tgid,
        [&](Process& p) {
          if (parent_process != nullptr) {
            inherit_state(p.state, parent_process->state);
            p.daemon = parent_process->daemon;
          }
          new_process(p);
        },
        std::forward<Args>(args)...);
    inherit_state(child.state, parent.state);
    return child;
  }

  /// Returns thread `tid`'s record, or nullptr.
  Thread* find(pid_t tid) const noexcept {
    auto it = threads_.find(tid);
    return it == threads_.end() ? nullptr : it->second.get();
  }
  /// Returns process `tgid`'s record, or nullptr.
  Process* find_process(pid_t tgid) const noexcept {
    auto it = procs_.find(tgid);
    return it == procs_.end() ? nullptr : it->second.get();
  }

  /// Returns the parent of process `tgid` when it is a recorded process (proc(5) PPid: an
  /// orphan's reaper is not), nullopt otherwise (snare::guest_base::ppid).
  std::optional<pid_t> recorded_parent(pid_t tgid) const noexcept {
    auto ids = snare::detail::read_task_ids(tgid);
    if (!ids || find_process(ids->ppid) == nullptr) return std::nullopt;
    return ids->ppid;
  }

  /// Takes thread `tid`'s record out of the table (empty when there is none). Its process
  /// record stays while the returned record lives; release() ends both.
  std::unique_ptr<Thread> take(pid_t tid) {
    auto it = threads_.find(tid);
    if (it == threads_.end()) return nullptr;
    auto rec = std::move(it->second);
    threads_.erase(it);
    return rec;
  }

  /// Ends a record taken out of the table: its process record goes with its last thread.
  void release(std::unique_ptr<Thread> rec) noexcept {
    if (!rec) return;
    Process* p = rec->proc;
    rec.reset();
    if (p != nullptr && --p->threads <= 0) procs_.erase(p->pid);
  }

  /// Removes thread `tid`'s record (and its process record with its last thread).
  void erase(pid_t tid) noexcept { release(take(tid)); }

  /// After a successful exec by thread `former` of the process led by `leader`: moves
  /// `former`'s record to the leader's id and returns the old leader's record, taken out of
  /// the table (empty when there was none). Nothing changes when `former` is not recorded.
  std::unique_ptr<Thread> move_to_leader(pid_t former, pid_t leader) {
    auto execing = take(former);
    if (!execing) return nullptr;
    auto old_leader = take(leader);
    execing->tid = leader;
    threads_[leader] = std::move(execing);
    return old_leader;
  }

  /// Returns whether processes are recorded and every one is a daemon (the run then ends:
  /// Reverie's daemonize).
  bool only_daemons() const noexcept {
    if (procs_.empty()) return false;
    for (auto& [pid, p] : procs_)
      if (!p->daemon) return false;
    return true;
  }

  /// Returns whether no thread is recorded.
  bool empty() const noexcept { return threads_.empty(); }
  /// Calls f(Thread&) for every recorded thread (f must not add or remove records).
  template <class F>
  void for_each_thread(F&& f) const {
    for (auto& [tid, t] : threads_) f(*t);
  }
  /// Calls f(Process&) for every recorded process (f must not add or remove records).
  template <class F>
  void for_each_process(F&& f) const {
    for (auto& [pid, p] : procs_) f(*p);
  }
  /// Removes every record.
  void clear() noexcept {
    threads_.clear();
    procs_.clear();
  }

 private:
  std::unordered_map<pid_t, std::unique_ptr<Thread>> threads_;
  std::unordered_map<pid_t, std::unique_ptr<Process>> procs_;
};

}  // namespace snare::engine
