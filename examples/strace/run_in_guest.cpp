// Defines strace::run_in_guest: snare-strace on the in_guest backend. The guests format
// their calls in strace::in_guest_tool (snare-strace-in-guest.so, preloaded) and append each
// line to their thread's ring (line_rings.hpp, a memfd made here); a thread of this tracer
// drains the rings every 20 ms, or when a guest rings because a ring is half full, and hands
// the lines to the session in the order of their sequence numbers. Lines that came by
// g.global().call are handled after every ring is drained, as are the ends the tracer tells.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <snare/backend/in_guest.hpp>
#include <snare/tracer.hpp>

#include "in_guest_tool.hpp"
#include "run_on.hpp"

namespace strace {

namespace {

/// The line rings: a memfd the guests open by /proc/TRACER/fd/N, mapped here. Empty (no
/// region) when it cannot be made: the guests then send every line by a global call.
class ring_region {
 public:
  ring_region() {
    fd_ = ::memfd_create("snare-strace-lines", MFD_CLOEXEC);
    if (fd_ < 0) return;
    void* p = MAP_FAILED;
    if (::ftruncate(fd_, sizeof(rings::region)) == 0)
      p = ::mmap(nullptr, sizeof(rings::region), PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    r_ = ::new (p) rings::region;  // the data stays untouched: the memfd's pages are made as used
    r_->tracer_pid = ::getpid();
    r_->magic = rings::region::magic_value;
  }
  ~ring_region() {
    if (r_) ::munmap(r_, sizeof(rings::region));
    if (fd_ >= 0) ::close(fd_);
  }
  ring_region(const ring_region&) = delete;
  ring_region& operator=(const ring_region&) = delete;
  rings::region* get() const noexcept { return r_; }
  std::string path() const {
    return r_ ? "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd_) : std::string();
  }

 private:
  int fd_ = -1;
  rings::region* r_ = nullptr;
};

/// Receives the guests' messages: from the rings (the drainer thread, and before each other
/// message) and by global calls (the thread that serves them); one at a time.
class in_guest_sink {
 public:
  /// times_digits: -T's digits (-1: no -T), for an execve's line, timed here from the
  /// guest's clock at its start and at its new image's start.
  in_guest_sink(session& s, rings::region* r, int times_digits) : s_(s), r_(r), times_digits_(times_digits) {}
  ~in_guest_sink() { stop(); }

  static void deliver(void* self, const guest_message& m) {
    auto* me = static_cast<in_guest_sink*>(self);
    std::lock_guard<std::mutex> l(me->m_);
    me->drain_all();
    me->on(m);
  }

  /// Starts draining the rings from a thread of its own.
  void start() {
    if (r_ == nullptr) return;
    // The drainer takes no signal: they are the tracer's (a SIGCHLD taken by this thread
    // would be lost to the engine's wait), so it starts with every signal blocked.
    sigset_t all, old;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);
    drainer_ = std::thread([this] { drain_loop(); });
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  /// Stops the drainer and drains what is left (the run is over: every guest is gone).
  void stop() {
    if (drainer_.joinable()) {
      stopping_.store(true);
      r_->doorbell.fetch_add(1);
      rings::futex(r_->doorbell, FUTEX_WAKE, 1);
      drainer_.join();
    }
    std::lock_guard<std::mutex> l(m_);
    drain_all();
  }

 private:
  void drain_loop() {
    while (!stopping_.load()) {
      const std::uint32_t rung = r_->doorbell.load(std::memory_order_seq_cst);
      r_->drainer_sleeping.store(1, std::memory_order_seq_cst);
      if (r_->doorbell.load(std::memory_order_seq_cst) == rung && !stopping_.load()) {
        const timespec interval{0, 20'000'000};
        rings::futex(r_->doorbell, FUTEX_WAIT, rung, &interval);
      }
      r_->drainer_sleeping.store(0, std::memory_order_seq_cst);
      std::lock_guard<std::mutex> l(m_);
      drain_all();
    }
  }

  struct drained {
    std::uint64_t seq;
    std::size_t at, len;  // in text_
    guest_message::kind k;
    std::int32_t pid, tid, status;
    std::uint32_t pad_at;
    std::uint64_t ns;
  };

  // Drains every ring, then hands the records to the session by sequence number. A ring
  // whose thread is gone (checked before draining it, so nothing it published is missed)
  // is free again afterwards.
  void drain_all() {
    if (r_ == nullptr) return;
    batch_.clear();
    text_.clear();
    for (std::size_t i = 0; i < rings::ring_count; ++i) {
      const pid_t owner = r_->owner[i].load(std::memory_order_acquire);
      if (owner == 0) continue;
      const bool gone = ::kill(owner, 0) != 0 && errno == ESRCH;
      rings::drain(*r_, static_cast<int>(i), [&](const rings::record& rec, std::string_view text) {
        batch_.push_back({rec.seq, text_.size(), text.size(), static_cast<guest_message::kind>(rec.kind),
                          rec.pid, rec.tid, rec.status, rec.pad_at, rec.ns});
        text_.append(text);
      });
      if (gone) r_->owner[i].store(0, std::memory_order_release);
    }
    std::sort(batch_.begin(), batch_.end(), [](const drained& a, const drained& b) { return a.seq < b.seq; });
    for (const auto& d : batch_)
      handle(d.k, d.pid, d.tid, d.status, d.pad_at, std::string_view(text_).substr(d.at, d.len), d.ns);
  }

  struct pending {
    pid_t tid = 0;
    std::string text;
    std::uint32_t pad = 0;
    std::uint64_t ns = 0;  // -T: the guest's clock at the execve's start
  };

  void on(const guest_message& m) {
    // A text longer than one message comes in parts of the same thread, in order.
    std::string& part = parts_[m.tid];
    part.append(m.text, m.len);
    if (!m.last) return;
    std::string text = std::move(part);
    parts_.erase(m.tid);
    handle(m.k, m.pid, m.tid, m.status, m.pad_at, text, m.ns);
  }

  void handle(guest_message::kind kind, pid_t pid, pid_t tid, int status, std::uint32_t pad_at,
              std::string_view text, std::uint64_t ns) {
    using k = guest_message::kind;
    switch (kind) {
      case k::call: {
        // A call after an execve of this thread: the execve failed and its line is this one.
        auto it = execs_.find(pid);
        if (it != execs_.end() && it->second.tid == tid) execs_.erase(it);
        s_.guest_line(tid, text, pad_at, false);
        break;
      }
      case k::exec_pending:
        execs_[pid] = {tid, std::string(text), pad_at, ns};
        break;
      case k::exec:
        if (auto it = execs_.find(pid); it != execs_.end()) {
          // The kernel gives the new image the process's pid as its thread's id.
          if (times_digits_ >= 0 && ns >= it->second.ns)
            in_guest_tool::append_time(it->second.text, ns - it->second.ns, times_digits_);
          s_.guest_line(it->second.tid, it->second.text, it->second.pad, false);
          execs_.erase(it);
        }
        break;
      case k::no_return:
        s_.guest_line(tid, text, std::string::npos, true);
        break;
      case k::thread_start:
        s_.guest_thread_start(pid, tid);
        break;
      case k::thread_exit:
        s_.guest_thread_exit(pid, tid, status);
        break;
      case k::process_exit:
        execs_.erase(pid);
        s_.guest_process_exit(pid, status);
        break;
    }
  }

  session& s_;
  rings::region* r_;
  int times_digits_;
  std::mutex m_;
  std::thread drainer_;
  std::atomic<bool> stopping_{false};
  std::vector<drained> batch_;
  std::string text_;
  std::map<pid_t, std::string> parts_;
  std::map<pid_t, pending> execs_;
};

/// The tool object: SNARE_IN_GUEST_OBJECT, else snare-strace-in-guest.so next to this
/// executable, else ../lib/snare/ from it (an installed snare-strace), as snare-count.
std::string in_guest_object() {
  if (const char* e = std::getenv("SNARE_IN_GUEST_OBJECT"); e && *e) return e;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "snare-strace-in-guest.so";
  std::string dir(self, static_cast<std::size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  std::string here = dir + "/snare-strace-in-guest.so";
  if (::access(here.c_str(), R_OK) == 0) return here;
  return dir + "/../lib/snare/snare-strace-in-guest.so";
}

}  // namespace

snare::exit_status run_in_guest(const nr_set& trace, session& s, const options& o) {
  guest_config c;
  c.trace = trace;
  c.abbrev = o.abbrev_calls;
  c.follow_forks = o.follow_forks;
  c.times_digits = o.syscall_times ? o.syscall_times_digits : -1;
  c.fo.string_limit = o.string_limit;
  c.fo.show_fd_paths = o.fd_paths;
  c.fo.show_socket_details = (o.fd_details & decode_fd_socket) != 0;
  c.fo.show_device_numbers = (o.fd_details & decode_fd_dev) != 0;
  c.fo.show_pidfd_pids = (o.fd_details & decode_fd_pidfd) != 0;
  c.fo.hex_strings = o.hex_strings;
  c.fo.xlat = o.xlat;
  ring_region region;
  c.rings = region.path();
  in_guest_tool t;
  t.config_text = c.to_string();
  const std::string object = in_guest_object();
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  ro.stop = s.stop_source();
  ro.in_guest_object = object.c_str();
  s.set_exits_observed(true);
  in_guest_sink sink(s, region.get(), c.times_digits);
  in_guest_global::next = {&sink, &in_guest_sink::deliver};
  snare::tracer<snare::backend::in_guest, in_guest_tool> tracer(t, ro);
  sink.start();
  if (o.env.empty() && !o.user)
    tracer.run(o.command);
  else
    tracer.run(command_of(o));
  sink.stop();
  return tracer.status();
}

}  // namespace strace
