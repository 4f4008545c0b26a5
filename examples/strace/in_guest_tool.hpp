// Defines strace::in_guest_tool, snare-strace's tool on the in_guest backend: it runs in the
// guest (built into snare-strace-in-guest.so), formats each traced call there, and appends the
// text to its thread's ring in memory shared with the tracer (line_rings.hpp; no syscall while
// the ring has room), where strace::in_guest_sink (run_in_guest.cpp) drains it and hands it to
// the session that prefixes and writes it. What the rings cannot carry (a line over 16 KiB, a
// thread that finds no free ring, a run without the region) goes through g.global().call. The
// same header is compiled into the tracer (which only needs the types and the configuration).
#pragma once

#include <sys/syscall.h>
#include <sys/types.h>

#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <bitset>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>

#include <snare/backend/in_guest/runtime/hooks.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/entry_state.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/format/options.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>

#include "line_rings.hpp"

namespace strace {

/// One message from a guest to the tracer: a trivially copyable value under 8 KiB (the
/// in_guest channel's limit for g.global().call), so a text longer than `text` goes as
/// several messages of the same thread, `last` on the final one.
struct guest_message {
  enum class kind : std::uint8_t {
    call,          ///< a whole call line (text: the call, pad_at: where " = " is aligned)
    exec_pending,  ///< an execve's line as it reads if it succeeds, kept until `exec`
    exec,          ///< the process's new image started: the kept execve line is printed
    no_return,     ///< exit/exit_group: text is the call, printed with " = ?"
    thread_start,
    thread_exit,   ///< a thread other than by exit_group ended; status: its exit code
    process_exit,  ///< status: the wait status (exited or killed)
  };
  kind k = kind::call;
  bool last = true;
  std::int32_t pid = 0, tid = 0, status = 0;
  std::uint32_t pad_at = 0;  ///< offset in the whole text of the one space before "= "
  std::uint32_t len = 0;
  std::uint64_t ns = 0;  ///< -T: the guest's CLOCK_MONOTONIC at an execve's start and its new image's start
  static constexpr std::size_t capacity = 7936;
  char text[capacity];
};

/// The run's global state: where the tracer receives messages (the thunk the guest names
/// runs in the tracer and calls `deliver`). The tracer makes a fresh global state at each
/// run, so it takes its values from `next` (set by the tracer before run; the object's own
/// copy of `next`, in the guest, is never read).
struct in_guest_target {
  void* sink;
  void (*deliver)(void* sink, const guest_message& m);
};
struct in_guest_global {
  using deliver_fn = void (*)(void* sink, const guest_message& m);
  static inline in_guest_target next{nullptr, nullptr};
  void* sink = next.sink;
  deliver_fn deliver = next.deliver;
};

/// What the guest needs of snare-strace's options, as a configuration string (at most
/// 8 KiB): `key=value` words separated by spaces; sets as hex bitmaps of syscall numbers.
struct guest_config {
  static constexpr std::size_t max_nr = 512;  // strace::max_nr: the sets of options.hpp
  std::bitset<max_nr> trace, abbrev;
  snare::format::options fo;
  bool follow_forks = false;
  int times_digits = -1;  ///< -T: the digits of the call's time (-1: no -T)
  std::string rings;      ///< the path the guests open the tracer's line rings by (none: global calls)

  std::string to_string() const {
    std::string s = "s=" + std::to_string(fo.string_limit) + " y=" + std::to_string(fo.show_fd_paths) +
                    " ys=" + std::to_string(fo.show_socket_details) +
                    " yd=" + std::to_string(fo.show_device_numbers) +
                    " yp=" + std::to_string(fo.show_pidfd_pids) + " x=" + std::to_string(fo.hex_strings) +
                    " X=" + std::to_string(static_cast<int>(fo.xlat)) + " f=" + std::to_string(follow_forks);
    s += " t=" + trace.to_string() + " ab=" + abbrev.to_string();
    s += " T=" + std::to_string(times_digits);
    if (!rings.empty()) s += " r=" + rings;
    return s;
  }
  /// Parses what to_string made; unknown words are ignored.
  static guest_config parse(std::string_view s) {
    guest_config c;
    while (!s.empty()) {
      auto sp = s.find(' ');
      std::string_view w = s.substr(0, sp);
      s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
      auto eq = w.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view k = w.substr(0, eq), v = w.substr(eq + 1);
      long n = 0;
      std::from_chars(v.data(), v.data() + v.size(), n);
      if (k == "s")
        c.fo.string_limit = static_cast<std::size_t>(n);
      else if (k == "y")
        c.fo.show_fd_paths = n != 0;
      else if (k == "ys")
        c.fo.show_socket_details = n != 0;
      else if (k == "yd")
        c.fo.show_device_numbers = n != 0;
      else if (k == "yp")
        c.fo.show_pidfd_pids = n != 0;
      else if (k == "x")
        c.fo.hex_strings = static_cast<int>(n);
      else if (k == "X")
        c.fo.xlat = static_cast<snare::format::xlat_style>(n);
      else if (k == "f")
        c.follow_forks = n != 0;
      else if (k == "t" && v.size() == max_nr)
        c.trace = std::bitset<max_nr>(std::string(v));
      else if (k == "ab" && v.size() == max_nr)
        c.abbrev = std::bitset<max_nr>(std::string(v));
      else if (k == "T")
        c.times_digits = static_cast<int>(n);
      else if (k == "r")
        c.rings = std::string(v);
    }
    return c;
  }
};

/// The guest's fd names (-y): proc_fd_resolver without its socket and device details
/// (-yy), whose sock_diag buffers are 64 KiB of thread-local storage, more than the static
/// TLS a preloaded object may take (so -yy is refused on in_guest).
class guest_fd_resolver {
 public:
  explicit guest_fd_resolver(pid_t pid) noexcept : r_(pid) {}
  bool append_fd_path(int fd, std::string& out) const noexcept { return r_.append_fd_path(fd, out); }
  int netlink_protocol(int fd) const noexcept { return r_.netlink_protocol(fd); }
  bool fd_path_deleted(int fd, std::string_view path) const noexcept { return r_.fd_path_deleted(fd, path); }
  pid_t pid() const noexcept { return r_.pid(); }

 private:
  snare::format::proc_fd_resolver r_;
};

/// snare-strace's tool in the guest. Every call reaches `on` as snare::unknown_call (one
/// instantiation for all); the entry's text is made at entry (in-arguments as they were),
/// the whole line appended to the thread's ring at exit as one record, so lines of different
/// threads never cut one another and a call costs no round trip to the tracer.
struct in_guest_tool {
  using syscall_table = snare::call_list<>;
  /// Pages of the process's memory that a read through the handle (process_vm_readv)
  /// found readable, since the process last ran a call that changes mappings: read again
  /// with memcpy, no syscall. Per thread, emptied when map_generation moved.
  struct readable_pages {
    static constexpr std::size_t ways = 32;
    std::uint64_t page[ways] = {};  // page number + 1, at page % ways; 0: empty
    std::uint64_t generation = 0;
  };
  struct thread_state {
    bool in_call = false;
    long nr = -1;
    snare::sys::raw_args args{};
    std::string line;  // the entry's text
    std::string out;   // the whole line (kept: its room is reused)
    snare::format::entry_state inout;
    snare::sys::syscall_desc unknown{};  // the stand-in descriptor of an unknown number
    char unknown_name[32] = {};
    // A message is on its way: the calls the channel makes are the tool's own. They are
    // trapped when the agent tells a start from its constructor with interception on; a
    // handler sending then would wait for the channel its own thread holds.
    bool sending = false;
    int ring = -2;  // the thread's ring in the region (-2: not claimed yet, -1: none free)
    readable_pages readable;
    std::uint64_t start_ns = 0;  // -T: when the call started (CLOCK_MONOTONIC, the vDSO's)
  };
  struct process_state {};
  using global_state = in_guest_global;

  guest_config cfg;
  std::string config_text;  // the tracer's: what in_guest_config() returns

  std::string in_guest_config() const { return config_text; }
  static in_guest_tool in_guest_make(std::string_view config) {
    in_guest_tool t;
    t.cfg = guest_config::parse(config);
    t.verbose_ = t.cfg.fo;
    t.verbose_.verbose = true;
    if (!t.cfg.rings.empty()) guest_rings = map_rings(t.cfg.rings);
    return t;
  }

  /// The tracer's line rings as this guest process mapped them (inherited by a fork; mapped
  /// again by each new image), or null: lines then go through g.global().call.
  static inline rings::region* guest_rings = nullptr;

  /// Moved by every call of this process that can take a page away or make it unreadable,
  /// at its entry and again at its exit: every thread's readable_pages are then forgotten.
  static inline std::atomic<std::uint64_t> map_generation{0};
  static constexpr bool changes_mappings(long nr) noexcept {
    switch (nr) {
      case SYS_munmap:
      case SYS_mremap:
      case SYS_mprotect:
      case SYS_pkey_mprotect:
      case SYS_madvise:
      case SYS_process_madvise:
      case SYS_mmap:  // MAP_FIXED replaces pages, maybe with PROT_NONE ones
      case SYS_brk:
      case SYS_shmat:
      case SYS_shmdt:
      case SYS_remap_file_pages:
        return true;
      default:
        return false;
    }
  }

  template <class G>
  snare::action on(snare::unknown_call c, G& g) {
    if (copy_known_pages && changes_mappings(c.number))
      map_generation.fetch_add(1, std::memory_order_acq_rel);
    auto& t = g.thread_state();
    t.in_call = false;
    if (t.sending) return snare::proceed();
    const long nr = c.number;
    if (nr == SYS_exit_group) return snare::proceed();  // told by on_process_exit, before this
    if (nr < 0 || static_cast<std::size_t>(nr) >= guest_config::max_nr ||
        !cfg.trace.test(static_cast<std::size_t>(nr)))
      return snare::proceed();
    mem<G> m{&g};
    t.nr = nr;
    for (std::size_t i = 0; i < 6; ++i) t.args[i] = c.args[i];
    t.line.clear();
    t.inout = {};
    const auto& fo = options_for(nr);
    (void)snare::format::format_entry(t.line, desc_of(t, nr), t.args, m, fo, guest_fd_resolver(g.pid()),
                                      &t.inout);
    if (nr == SYS_exit) {
      send(g, guest_message::kind::no_return, t.line, 0, 0);
      send(g, guest_message::kind::thread_exit, {}, 0, static_cast<int>(t.args[0] & 0xff));
      return snare::proceed();
    }
    t.in_call = true;
    if (nr == SYS_execve || nr == SYS_execveat) {
      // A successful exec never returns here: its line is sent now as it will read, and the
      // new image says `exec`.
      // A failed one returns: its exit formats from the entry's text again (kept here,
      // since finish() consumes it).
      std::uint32_t pad = 0;
      std::string entry = t.line;
      const auto inout = t.inout;
      const std::string& whole = finish(t, 0, m, g.pid(), pad);
      if (cfg.times_digits >= 0) t.start_ns = now_ns();
      send(g, guest_message::kind::exec_pending, whole, pad, 0, t.start_ns);
      t.line = std::move(entry);
      t.inout = inout;
    }
    if (cfg.times_digits >= 0) t.start_ns = now_ns();
    return snare::proceed();
  }
  template <class G>
  void on_exit(snare::unknown_call c, long ret, G& g) {
    if (copy_known_pages && changes_mappings(c.number))
      map_generation.fetch_add(1, std::memory_order_acq_rel);
    auto& t = g.thread_state();
    if (!t.in_call) return;
    t.in_call = false;
    const std::uint64_t end_ns = cfg.times_digits >= 0 ? now_ns() : 0;
    mem<G> m{&g};
    std::uint32_t pad = 0;
    std::string& whole = finish(t, ret, m, g.pid(), pad);
    if (cfg.times_digits >= 0) append_time(whole, end_ns - t.start_ns, cfg.times_digits);
    send(g, guest_message::kind::call, whole, pad, 0);
  }

  /// Returns CLOCK_MONOTONIC in nanoseconds (the vDSO's: no syscall).
  static std::uint64_t now_ns() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
  }
  /// Appends -T's " <S.fff>" for `ns` with `digits` (0-9) digits after the second, as strace.
  static void append_time(std::string& out, std::uint64_t ns, int digits) {
    out += " <" + std::to_string(ns / 1000000000u);
    digits = std::clamp(digits, 0, 9);
    if (digits != 0) {
      std::string frac = std::to_string(ns % 1000000000u);
      frac.insert(0, 9 - frac.size(), '0');
      out += '.';
      out.append(frac, 0, static_cast<std::size_t>(digits));
    }
    out += '>';
  }
  template <class G>
  void on_thread_start(G& g) {
    send(g, guest_message::kind::thread_start, {}, 0, 0);
    warm(g);
  }
  // The new image of a known process (the run's root too: the tracer forked it): its
  // kept execve line, and its thread's start when the tracer has not seen it yet.
  template <class G>
  void on_exec(G& g) {
    send(g, guest_message::kind::exec, {}, 0, 0, cfg.times_digits >= 0 ? now_ns() : 0);
    send(g, guest_message::kind::thread_start, {}, 0, 0);
    warm(g);
  }
  // In the guest: exit_group is about to run (status: its code << 8), and the line is the
  // call's own; told by the tracer or a reaping parent: a death by a signal.
  template <class G>
  void on_process_exit(int status, G& g) {
    if (WIFEXITED(status)) {
      std::string line = "exit_group(" + std::to_string(WEXITSTATUS(status));
      if (cfg.trace.test(SYS_exit_group)) send(g, guest_message::kind::no_return, line, 0, 0);
    }
    send(g, guest_message::kind::process_exit, {}, 0, status);
  }

 private:
  // The formatter's per-thread buffer registers its destructor through glibc's calloc at
  // its first use: done at the thread's start, where it holds no glibc lock, not inside a
  // call the guest makes from malloc (getrandom in malloc's first use did crash). The
  // calls that calloc makes then (the first malloc's getrandom and brk, trapped since the
  // agent tells starts with interception on) are the tool's: not printed.
  template <class G>
  static void warm(G& g) {
    auto& t = g.thread_state();
    t.sending = true;
    (void)snare::format::detail::scratch();
    t.sending = false;
  }

  /// Whether `mem` reads a page an earlier process_vm_readv found readable (no mapping
  /// change since) with the runtime's copy_from_guest instead of a syscall. The page may still
  /// fault (another thread of the guest unmapped it during this call, or a shared file mapping
  /// was cut short by an ftruncate, which changes no mapping): the copy's fault resumes with
  /// EFAULT and the read is asked of process_vm_readv again, as is one the runtime declines
  /// (the thread blocks SIGSEGV or SIGBUS). Off: every read a process_vm_readv; `tar cf
  /// /dev/null /usr/include` costs about 2.1x native CPU with it, 3.5x without
  /// (docs/tools/snare-strace.md).
  static constexpr bool copy_known_pages = true;

  // A guest_memory over the handle. The handle reads with process_vm_readv on the process
  // itself (a bad pointer is EFAULT, never a fault in the guest), about a third of the
  // guest's time when it traces everything (perf, tar). With copy_known_pages, a range
  // within one or two pages that such a read found readable, with no mapping change since,
  // is read by the runtime's fault-safe copy (copy_known_pages).
  template <class G>
  struct mem {
    G* g;
    static constexpr unsigned page_shift = 12;
    snare::result<std::size_t> read_bytes(std::uint64_t a, std::span<std::byte> out) noexcept {
      if constexpr (!copy_known_pages) {
        return g->read_bytes(a, out);
      } else {
        auto& c = g->thread_state().readable;
        const std::uint64_t gen = map_generation.load(std::memory_order_acquire);
        if (c.generation != gen) {
          c = readable_pages{};
          c.generation = gen;
        }
        const std::uint64_t n = out.size();
        const bool small = n != 0 && a + n > a && ((a + n - 1) >> page_shift) - (a >> page_shift) < 2;
        const std::uint64_t first = a >> page_shift, last = small ? (a + n - 1) >> page_shift : first;
        auto known = [&](std::uint64_t p) { return c.page[p % readable_pages::ways] == p + 1; };
        if (small && known(first) && known(last) &&
            snare::in_guest::copy_from_guest(
                out.data(), reinterpret_cast<const void*>(static_cast<std::uintptr_t>(a)), n) == 0)
          return static_cast<std::size_t>(n);
        auto r = g->read_bytes(a, out);
        if (small && r && *r == n && map_generation.load(std::memory_order_acquire) == gen) {
          c.page[first % readable_pages::ways] = first + 1;
          c.page[last % readable_pages::ways] = last + 1;
        }
        return r;
      }
    }
  };

  // -e abbrev=: the calls whose structures are abbreviated (all by default); -v: none.
  const snare::format::options& options_for(long nr) const {
    return cfg.abbrev.test(static_cast<std::size_t>(nr)) ? cfg.fo : verbose_;
  }
  snare::format::options verbose_{};

  static const snare::sys::syscall_desc& desc_of(thread_state& t, long nr) {
    if (auto* d = snare::sys::x86_64::descriptor(nr)) return *d;
    // As strace prints an unknown number: syscall_0x1c8(args in hex).
    std::string n = "syscall_0x";
    char hex[20];
    auto r = std::to_chars(hex, hex + sizeof hex, static_cast<unsigned long>(nr), 16);
    n.append(hex, r.ptr);
    std::memcpy(t.unknown_name, n.c_str(), std::min(n.size() + 1, sizeof t.unknown_name));
    t.unknown = snare::sys::syscall_desc{};
    t.unknown.number = nr;
    t.unknown.name = t.unknown_name;
    t.unknown.nargs = 6;
    for (auto& a : t.unknown.args) a.kind = snare::sys::arg_kind::hex;
    return t.unknown;
  }

  // The whole line for result `ret` (in t.out), with one space before "= " at `pad`: only
  // the tracer knows the prefix the -a column counts from. Formatted once, aligned to a
  // column far right (pad_column), so that the one space before "= " is found where the
  // padding starts and the padding taken out. A line whose call reaches that column has
  // its ") = " at or past it (then one space, no padding), so any ") = " from the column on
  // sends the line the two-pass way: formatted again without alignment to compare (its
  // memory read twice), as is a line with a newline.
  static constexpr std::size_t pad_column = 1024;
  template <class M>
  std::string& finish(thread_state& t, long ret, M& m, pid_t pid, std::uint32_t& pad) {
    snare::format::options fo = options_for(t.nr);
    fo.align_column = pad_column;
    std::string& a = t.out;
    a.assign(t.line);
    const std::size_t entry_end = t.line.size();
    const bool newline_before = std::memchr(a.data(), '\n', a.size()) != nullptr;
    (void)snare::format::format_exit(a, desc_of(t, t.nr), t.args, ret, m, fo, guest_fd_resolver(pid),
                                     &t.inout);
    pad = 0xffffffffu;
    if (!newline_before && a.size() > pad_column + 1 && a[pad_column] == '=' && a[pad_column + 1] == ' ' &&
        a[pad_column - 1] == ' ' && a.find(") = ", pad_column - 1) == std::string::npos) {
      // The padding: the first ") " after the entry's text followed by spaces only up to the
      // column (a ") " inside the exit's arguments has the call's own ')' after it).
      static const std::string spaces(pad_column, ' ');
      std::size_t i = a.find(") ", entry_end);
      while (i != std::string::npos && i + 1 < pad_column &&
             std::memcmp(a.data() + i + 1, spaces.data(), pad_column - i - 1) != 0)
        i = a.find(") ", i + 1);
      if (i != std::string::npos && i + 1 < pad_column &&
          std::memchr(a.data() + entry_end, '\n', i - entry_end + 1) == nullptr &&
          std::memchr(a.data() + pad_column, '\n', a.size() - pad_column) == nullptr) {
        a.erase(i + 2, pad_column - i - 2);
        pad = static_cast<std::uint32_t>(i + 1);
        t.line.clear();
        t.inout = {};
        return a;
      }
    }
    // The two-pass way: a: X + " = R", b: X + "   ...= R": they part after X's one space
    // (memory changed between the two reads: no alignment, one space stays).
    fo.align_column = 0;
    a.assign(t.line);
    (void)snare::format::format_exit(a, desc_of(t, t.nr), t.args, ret, m, fo, guest_fd_resolver(pid),
                                     &t.inout);
    fo.align_column = a.size() + 2;
    std::string b = t.line;
    (void)snare::format::format_exit(b, desc_of(t, t.nr), t.args, ret, m, fo, guest_fd_resolver(pid),
                                     &t.inout);
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    pad = i > 0 && i < a.size() && a[i - 1] == ' ' ? static_cast<std::uint32_t>(i - 1) : 0xffffffffu;
    t.line.clear();
    t.inout = {};
    return a;
  }

  // Maps the region at `path` (/proc/TRACER/fd/N: the tracer's memfd). Null when it cannot
  // (another user's tracer, a guest in another mount namespace): global calls then.
  static rings::region* map_rings(const std::string& path) noexcept {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return nullptr;
    void* p = ::mmap(nullptr, sizeof(rings::region), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return nullptr;
    auto* r = static_cast<rings::region*>(p);
    if (r->magic != rings::region::magic_value) {
      ::munmap(p, sizeof(rings::region));
      return nullptr;
    }
    return r;
  }

  // Appends the message to the thread's ring; falls back to a global call (which the tracer
  // serves after draining every ring, so the thread's order holds) when it cannot.
  template <class G>
  static void send(G& g, guest_message::kind k, std::string_view text, std::uint32_t pad, int status,
                   std::uint64_t ns = 0) {
    if constexpr (requires {
                    g.thread_state();
                    g.tid();
                  }) {
      if (guest_rings != nullptr) {
        auto& t = g.thread_state();
        const pid_t pid = g.pid(), tid = g.tid() > 0 ? g.tid() : pid;
        t.sending = true;
        if (t.ring == -2) t.ring = rings::claim(*guest_rings, tid);
        const bool sent = t.ring >= 0 && rings::append(*guest_rings, t.ring, static_cast<std::uint8_t>(k),
                                                       pid, tid, status, pad, text, ns);
        t.sending = false;
        if (sent) return;
      }
    }
    send_call(g, k, text, pad, status, ns);
  }

  template <class G>
  static void send_call(G& g, guest_message::kind k, std::string_view text, std::uint32_t pad, int status,
                        std::uint64_t ns) {
    guest_message m;
    m.ns = ns;
    m.k = k;
    m.pid = g.pid();
    m.tid = m.pid;
    if constexpr (requires { g.tid(); }) m.tid = g.tid() > 0 ? g.tid() : g.pid();
    m.status = status;
    m.pad_at = pad;
    bool* sending = nullptr;
    if constexpr (requires { g.thread_state(); }) sending = &g.thread_state().sending;
    if (sending) *sending = true;
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(text.size() - at, guest_message::capacity);
      if (n != 0) std::memcpy(m.text, text.data() + at, n);  // an empty line's text may be null
      m.len = static_cast<std::uint32_t>(n);
      at += n;
      m.last = at == text.size();
      g.global().call([m](in_guest_global& s) {
        if (s.deliver) s.deliver(s.sink, m);
      });
    } while (at < text.size());
    if (sending) *sending = false;
  }
};

}  // namespace strace
