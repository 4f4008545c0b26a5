// Defines strace::session's output side: the files (-o, -ff, -A), the line prefix (pids,
// timestamps, -r, -n, -i), -P path matching, -e raw= lines, -k stacks and the -c/-C summary
// table (-S, -O). The -e read=/write= hex dumps are in dumpio.cpp.
#include <errno.h>  // program_invocation_name: the name strace prefixes its messages with
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <fstream>

#include <snare/format/format.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/x86_64.hpp>

#include "session.hpp"

namespace strace {
namespace {

// strace's umovestr diagnostic on stderr: a string ran into unreadable memory before its NUL
// (the line then shows the string's address).
void report_short_string(std::uint64_t address, std::size_t nread, std::size_t wanted,
                         std::errc error) noexcept {
  std::fprintf(stderr, "%s: umovestr: short read (%zu < %zu) @%#" PRIx64 ": %s\n", program_invocation_name,
               nread, wanted, address, std::strerror(static_cast<int>(error)));
}

namespace x64 = snare::sys::x86_64;

// Reads the NUL-terminated string at `addr` (at most PATH_MAX bytes); false when unreadable.
bool read_path(memory_ref mem, std::uint64_t addr, std::string& out) {
  out.clear();
  if (addr == 0) return false;
  char chunk[256];
  while (out.size() < PATH_MAX) {
    std::size_t want = std::min<std::size_t>(sizeof chunk, 4096 - ((addr + out.size()) & 4095));
    auto got = mem.read_bytes(addr + out.size(), std::as_writable_bytes(std::span(chunk, want)));
    if (!got || *got == 0) return !out.empty();
    for (std::size_t i = 0; i < *got; ++i) {
      if (chunk[i] == '\0') return true;
      out.push_back(chunk[i]);
    }
  }
  return true;
}

std::string fd_path(pid_t pid, std::int64_t fd) {
  if (fd < 0) return {};
  char link[64], buf[PATH_MAX];
  std::snprintf(link, sizeof link, "/proc/%d/fd/%d", pid, static_cast<int>(fd));
  ssize_t n = ::readlink(link, buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

std::uint64_t now(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

// Appends ".ddd": the first `digits` (0-9; none for 0) decimal digits of a nanosecond count.
void append_fraction(std::string& out, std::uint64_t ns, int digits) {
  digits = std::clamp(digits, 0, 9);
  if (digits == 0) return;
  std::string frac = std::to_string(ns % 1000000000u);
  frac.insert(0, 9 - frac.size(), '0');
  out += '.';
  out.append(frac, 0, static_cast<std::size_t>(digits));
}

bool session::open() {
  fo_.string_limit = opts_.string_limit;
  fo_.show_fd_paths = opts_.fd_paths;
  fo_.show_socket_details = (opts_.fd_details & decode_fd_socket) != 0;
  fo_.show_device_numbers = (opts_.fd_details & decode_fd_dev) != 0;
  fo_.show_pidfd_pids = (opts_.fd_details & decode_fd_pidfd) != 0;
  fo_.align_column = opts_.align;
  fo_.verbose = false;
  fo_.hex_strings = opts_.hex_strings;
  fo_.kvm_vcpu_exit = opts_.kvm_vcpu;
  fo_.xlat = opts_.xlat;
  fo_.on_short_string = report_short_string;
  fo_verbose_ = fo_;
  fo_verbose_.verbose = true;
  fo_addrs_ = fo_;  // -e verbose= leaves the call out: its structures as addresses
  fo_addrs_.decode_structs = false;
  fo_verbose_addrs_ = fo_verbose_;
  fo_verbose_addrs_.decode_structs = false;
  for (auto& p : opts_.paths) {
    resolved_paths_.push_back(p);
    char real[PATH_MAX];
    if (::realpath(p.c_str(), real) && p != real) {
      resolved_paths_.emplace_back(real);
      if (!(opts_.quiet & quiet_path_resolution))
        std::fprintf(stderr, "%s: Requested path \"%s\" resolved into \"%s\"\n", program_invocation_name,
                     p.c_str(), real);
    }
  }
  if (opts_.output_file.empty()) {
    out_ = stderr;
    return true;
  }
  if (opts_.output_separately) return true;  // one file per thread, opened at its first line
  if (opts_.output_file[0] == '|' || opts_.output_file[0] == '!') {
    // -o '|CMD' / -o '!CMD': the trace is CMD's standard input (sh -c CMD, strace's
    // strace_popen), line-buffered; the guest does not inherit the pipe (popen's "e").
    out_ = open_pipe(opts_.output_file.c_str() + 1, pipe_cmd_);
    if (!out_) {
      std::fprintf(stderr, "%s: Can't execute '/bin/sh': %s\n", program_invocation_name,
                   std::strerror(errno));
      return false;
    }
    std::setvbuf(out_, nullptr, _IOLBF, 0);
    own_out_ = true;
    return true;
  }
  out_ = std::fopen(opts_.output_file.c_str(), opts_.append ? "ae" : "we");
  if (!out_) {
    std::fprintf(stderr, "%s: Can't fopen '%s': %s\n", program_invocation_name, opts_.output_file.c_str(),
                 std::strerror(errno));
    return false;
  }
  own_out_ = true;
  return true;
}

std::FILE* session::file_for(pid_t tid) {
  if (!opts_.output_separately) return out_;
  auto it = files_.find(tid);
  if (it != files_.end()) return it->second;
  std::string name = opts_.output_file + "." + std::to_string(tid);
  std::FILE* f = std::fopen(name.c_str(), opts_.append ? "ae" : "we");
  if (!f) {
    std::fprintf(stderr, "%s: Can't fopen '%s': %s\n", program_invocation_name, name.c_str(),
                 std::strerror(errno));
    f = stderr;
  }
  files_.emplace(tid, f);
  return f;
}

void session::write(pid_t tid, const std::string& s) {
  if (cut_off()) return;
  std::FILE* f = file_for(tid);
  std::fwrite(s.data(), 1, s.size(), f);
  if (f == out_ && !s.empty()) partial_ = s.back() != '\n';
  if (f == stderr || flush_each_write_) std::fflush(f);
}

void session::interrupt_open_line(pid_t tid) {
  if (opts_.output_separately) {
    auto it = open_lines_.find(tid);
    if (it == open_lines_.end()) return;
    open_lines_.erase(it);
    write(tid, " <unfinished ...>\n");
    return;
  }
  if (!open_) return;
  write(open_tid_, " <unfinished ...>\n");
  open_ = nullptr;
  open_tid_ = -1;
}

std::string session::prefix(pid_t tid, const thread_info* t) {
  std::string s;
  char buf[64];
  // With -o and -f (or -p of more than one task) every line names its thread ("1234  "); on
  // stderr, only while more than one thread is traced ("[pid  1234] "), as strace does;
  // -ff's files name none.
  // With -Y the id is followed by the thread's comm, unpadded: "1234<sh> ", "[pid  1234<sh>] ".
  if (opts_.output_separately) {
  } else if (!opts_.output_file.empty() && (opts_.follow_forks || several_attached_)) {
    std::snprintf(buf, sizeof buf, "%d", tid);
    s += buf;
    if (!pids_.append_comm(tid, s)) s.append(s.size() < 5 ? 5 - s.size() : 0, ' ');
    s += ' ';
  } else if (live_threads_ > 1) {
    std::snprintf(buf, sizeof buf, "[pid %5d", tid);
    s += buf;
    pids_.append_comm(tid, s);
    s += "] ";
  }
  if (opts_.timestamps > 0) {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    std::size_t n = 0;
    if (opts_.timestamps == 2) {
      n = static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ts.tv_sec)));
    } else {
      tm local{};
      ::localtime_r(&ts.tv_sec, &local);
      n = ::strftime(buf, sizeof buf, "%H:%M:%S", &local);
    }
    s.append(buf, n);
    append_fraction(s, static_cast<std::uint64_t>(ts.tv_nsec), opts_.timestamps_digits);
    s += ' ';
  }
  if (opts_.relative_timestamps) {
    std::uint64_t ns = now(CLOCK_MONOTONIC);
    if (last_line_ns_ == 0) last_line_ns_ = ns;
    std::uint64_t d = ns - last_line_ns_;
    last_line_ns_ = ns;
    std::snprintf(buf, sizeof buf, "%s%6" PRIu64, opts_.timestamps ? "(+" : "", d / 1000000000u);
    s += buf;
    append_fraction(s, d, opts_.relative_digits);
    s += opts_.timestamps ? ") " : " ";
  }
  if (opts_.syscall_numbers) {
    long nr = t ? t->nr : -1;
    if (!t) {
      auto it = last_nr_.find(tid);
      if (it != last_nr_.end()) nr = it->second;
    }
    if (nr >= 0)
      std::snprintf(buf, sizeof buf, "[%4ld] ", nr);
    else
      std::snprintf(buf, sizeof buf, "[?] ");
    s += buf;
  }
  if (opts_.instruction_pointer) {
    const std::uint64_t ip = t ? t->ip : signal_ip_;
    if (ip)
      std::snprintf(buf, sizeof buf, "[%016" PRIx64 "] ", ip);
    else
      std::snprintf(buf, sizeof buf, "[????????????????] ");
    s += buf;
  }
  return s;
}

const snare::format::options& session::format_options(long nr) {
  bool abbrev = nr >= 0 && static_cast<std::size_t>(nr) < max_nr &&
                opts_.abbrev_calls.test(static_cast<std::size_t>(nr));
  bool decode = nr < 0 || static_cast<std::size_t>(nr) >= max_nr ||
                opts_.verbose_calls.test(static_cast<std::size_t>(nr));
  if (!decode) return abbrev ? fo_addrs_ : fo_verbose_addrs_;
  return abbrev ? fo_ : fo_verbose_;
}

bool session::touches_paths(pid_t pid, long nr, const raw_args& args, memory_ref mem) {
  const auto* d = x64::descriptor(nr);
  if (!d) return false;
  auto matches = [&](const std::string& path) {
    return std::find(resolved_paths_.begin(), resolved_paths_.end(), path) != resolved_paths_.end();
  };
  auto fd_matches = [&](std::int32_t fd) { return matches(fd_path(pid, fd)); };
  std::string path;
  // strace's pathtrace.c: select's sets and poll's array name fds in memory.
  if (nr == x64::select::number || nr == x64::pselect6::number) {
    auto nfds = static_cast<std::int32_t>(args[0]);
    if (nfds <= 0) return false;
    nfds = std::min(nfds, 1024 * 1024);
    std::size_t bytes = (static_cast<std::size_t>(nfds) + 63) / 64 * 8;
    for (std::size_t i = 1; i <= 3; ++i) {
      if (args[i] == 0 || !read_all(mem, args[i], bytes, path)) continue;
      for (std::int32_t fd = 0; fd < nfds; ++fd)
        if (((static_cast<unsigned char>(path[static_cast<std::size_t>(fd) / 8]) >> (fd % 8)) & 1) &&
            fd_matches(fd))
          return true;
    }
    return false;
  }
  if (nr == x64::poll::number || nr == x64::ppoll::number) {
    std::uint64_t n = std::min<std::uint64_t>(static_cast<std::uint32_t>(args[1]), 1024 * 1024);
    for (std::uint64_t k = 0; k < n; ++k) {
      if (!read_all(mem, args[0] + 8 * k, 8, path)) break;  // struct pollfd: fd first
      std::int32_t fd;
      std::memcpy(&fd, path.data(), sizeof fd);
      if (fd_matches(fd)) return true;
    }
    return false;
  }
  if (nr == x64::fsconfig::number) {
    // strace's pathtrace: fsconfig's fd is a filesystem context, not a file; only the
    // value's path and the aux fd of the commands that take them count.
    auto cmd = static_cast<std::uint32_t>(args[1]);
    bool aux_fd = cmd == 3 || cmd == 4 || cmd == 5;  // FSCONFIG_SET_PATH, _PATH_EMPTY, _FD
    if (aux_fd && matches(fd_path(pid, static_cast<std::int32_t>(args[4])))) return true;
    return (cmd == 3 || cmd == 4) && read_path(mem, args[3], path) && matches(path);
  }
  for (std::size_t i = 0; i < d->nargs && i < 6; ++i) {
    switch (d->args[i].kind) {
      case snare::sys::arg_kind::path:
        if (read_path(mem, args[i], path) && matches(path)) return true;
        break;
      case snare::sys::arg_kind::fd:
      case snare::sys::arg_kind::dirfd:
        if (matches(fd_path(pid, static_cast<std::int32_t>(args[i])))) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

void session::format_raw(std::string& line, long nr, const raw_args& args, bool with_result, long ret) {
  const auto* d = x64::descriptor(nr);
  char buf[40];
  if (d)
    line.append(d->name);
  else
    line += "syscall_" + std::to_string(nr);
  line += '(';
  std::size_t n = d ? d->nargs : 6;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) line += ", ";
    std::snprintf(buf, sizeof buf, "%#" PRIx64, args[i]);
    line += buf;
  }
  if (!with_result) return;
  line += ')';
  auto nl = line.rfind('\n');
  std::size_t col = nl == std::string::npos ? line.size() : line.size() - nl - 1;
  line.append(col < opts_.align ? opts_.align - col : 1, ' ');
  if (ret < 0 && ret >= -4095) {
    int e = static_cast<int>(-ret);
    auto name = snare::format::errno_name(e);
    if (name.empty())
      line += "= -1 (errno " + std::to_string(e) + ")";
    else
      line += "= -1 " + std::string(name) + " (" + std::strerror(e) + ")";
  } else {
    std::snprintf(buf, sizeof buf, "= %#lx", static_cast<unsigned long>(ret));
    line += buf;
  }
}

void session::print_stack(pid_t pid, pid_t tid, const std::vector<snare::frame>& frames) {
  // Each frame names its file and the offset in it, from the process's mappings.
  struct mapping {
    std::uint64_t start, end, offset;
    std::string path;
  };
  std::vector<mapping> maps;
  std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
  for (std::string l; std::getline(in, l);) {
    mapping m{};
    char perms[8];
    unsigned long long s = 0, e = 0, off = 0;
    int pos = 0;
    if (std::sscanf(l.c_str(), "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &pos) < 4) continue;
    m.start = s, m.end = e, m.offset = off;
    std::string rest = l.substr(static_cast<std::size_t>(pos));
    rest.erase(0, rest.find_first_not_of(' '));
    m.path = rest;
    maps.push_back(std::move(m));
  }
  std::string out;
  char buf[64];
  for (const auto& f : frames) {
    const mapping* m = nullptr;
    for (const auto& x : maps)
      if (f.ip >= x.start && f.ip < x.end) m = &x;
    if (!m || m->path.empty()) {
      std::snprintf(buf, sizeof buf, " > backtracing_error [0x%" PRIx64 "]\n", f.ip);
      out += buf;
      continue;
    }
    out += " > " + m->path + "(";
    if (!f.symbol.empty()) {
      out += f.symbol;
      std::snprintf(buf, sizeof buf, "+0x%" PRIx64, f.offset);
      out += buf;
    }
    std::snprintf(buf, sizeof buf, ") [0x%" PRIx64 "]\n", f.ip - m->start + m->offset);
    out += buf;
  }
  write(tid, out);
}

// The -c table as strace's count.c lays it out: the -U columns, each as wide as its header or
// its widest value; times in seconds, usecs/call, blank error counts of 0; sorted by -S.
void session::print_summary() {
  using col = summary_column;
  struct row {
    std::string name;
    stat_row s;
  };
  std::vector<row> rows;
  stat_row total;
  total.min_ns = ~std::uint64_t{0};
  std::uint64_t widest_min = 0, widest_avg = 0;
  for (std::size_t i = 0; i < stats_.size(); ++i) {
    if (stats_[i].calls == 0) continue;
    const stat_row& s = stats_[i];
    rows.push_back(
        {i < max_nr ? std::string(x64::name_of(static_cast<long>(i))) : std::string("unknown"), s});
    total.calls += s.calls;
    total.errors += s.errors;
    total.ns += s.ns;
    total.min_ns = std::min(total.min_ns, s.min_ns);
    total.max_ns = std::max(total.max_ns, s.max_ns);
    widest_min = std::max(widest_min, s.min_ns);
    widest_avg = std::max(widest_avg, s.ns / s.calls);
  }
  if (rows.empty()) total.min_ns = 0;
  auto by = [](auto key, bool ascending = false) {
    return [key, ascending](const row& a, const row& b) {
      return ascending ? key(a) < key(b) : key(a) > key(b);
    };
  };
  switch (opts_.sort_by) {
    case col::time_percent:
    case col::time_total:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.ns; }));
      break;
    case col::time_min:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.min_ns; }));
      break;
    case col::time_max:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.max_ns; }));
      break;
    case col::time_avg:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.ns / r.s.calls; }));
      break;
    case col::calls:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.calls; }));
      break;
    case col::errors:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.s.errors; }));
      break;
    case col::name:
      std::stable_sort(rows.begin(), rows.end(), by([](const row& r) { return r.name; }, true));
      break;
    case col::none:
      break;
  }
  auto secs = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e9; };
  auto chars = [](const char* fmt, auto v) {
    return static_cast<std::size_t>(std::snprintf(nullptr, 0, fmt, v));
  };
  std::size_t name_width = 16;
  for (auto& r : rows) name_width = std::max(name_width, r.name.size() + 1);
  struct column {
    const char* header;
    std::size_t width;
    bool left;
  };
  auto describe = [&](col c) -> column {
    switch (c) {
      case col::time_percent:
        return {"% time", 6, false};
      case col::time_total:
        return {"seconds", std::max<std::size_t>(11, chars("%.6f", secs(total.ns))), false};
      case col::time_min:
        return {"shortest", std::max<std::size_t>(8, chars("%" PRIu64 ".000000", widest_min / 1'000'000'000)),
                false};
      case col::time_max:
        return {"longest",
                std::max<std::size_t>(7, chars("%" PRIu64 ".000000", total.max_ns / 1'000'000'000)), false};
      case col::time_avg:
        return {"usecs/call", std::max<std::size_t>(11, chars("%" PRIu64, widest_avg / 1000)), false};
      case col::calls:
        return {"calls", std::max<std::size_t>(9, chars("%" PRIu64, total.calls)), false};
      case col::errors:
        return {"errors", std::max<std::size_t>(9, chars("%" PRIu64, total.errors)), false};
      case col::name:
      case col::none:
        break;
    }
    return {"syscall", name_width, true};
  };
  const auto& cols = opts_.summary_columns;
  std::FILE* out = opts_.output_separately || !out_ ? stderr : out_;
  auto cell = [&](std::size_t i, const std::string& text) {
    column d = describe(cols[i]);
    if (i) std::fputc(' ', out);
    const bool last = i + 1 == cols.size();
    const int w = static_cast<int>(d.width);
    if (d.left && last)
      std::fputs(text.c_str(), out);
    else
      std::fprintf(out, d.left ? "%-*s" : "%*s", w, text.c_str());
  };
  auto fmt = [](const char* f, auto v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return std::string(b);
  };
  auto print_row = [&](const stat_row& s, const std::string& name, double pct) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      switch (cols[i]) {
        case col::time_percent:
          cell(i, fmt("%.2f", pct));
          break;
        case col::time_total:
          cell(i, fmt("%.6f", secs(s.ns)));
          break;
        case col::time_min:
          cell(i, fmt("%.6f", secs(s.min_ns)));
          break;
        case col::time_max:
          cell(i, fmt("%.6f", secs(s.max_ns)));
          break;
        case col::time_avg:
          cell(i, fmt("%" PRIu64, s.calls ? s.ns / s.calls / 1000 : 0));
          break;
        case col::calls:
          cell(i, fmt("%" PRIu64, s.calls));
          break;
        case col::errors:
          cell(i, s.errors ? fmt("%" PRIu64, s.errors) : std::string());
          break;
        case col::name:
        case col::none:
          cell(i, name);
          break;
      }
    }
    std::fputc('\n', out);
  };
  auto dashes = [&] {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i) std::fputc(' ', out);
      std::fputs(std::string(describe(cols[i]).width, '-').c_str(), out);
    }
    std::fputc('\n', out);
  };
  for (std::size_t i = 0; i < cols.size(); ++i) cell(i, describe(cols[i]).header);
  std::fputc('\n', out);
  dashes();
  for (auto& r : rows)
    print_row(r.s, r.name,
              total.ns && r.s.ns ? 100.0 * static_cast<double>(r.s.ns) / static_cast<double>(total.ns) : 0.0);
  dashes();
  print_row(total, "total", 100.0);
}

}  // namespace strace
