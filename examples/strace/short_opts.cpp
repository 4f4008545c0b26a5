// Defines what each of snare-strace's short options does to the options (strace's meanings
// and messages); the long options that name a short one come here too.
#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "options.hpp"

namespace strace {

namespace {

bool to_unsigned(std::string_view text, unsigned long& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

// -O's argument: seconds, as a decimal number with an optional unit (s, ms, us, ns).
bool parse_overhead(std::string_view text, std::uint64_t& ns) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || errno != 0 || v < 0 || !std::isfinite(v)) return false;
  std::string_view unit(end);
  double scale = 1e3;  // microseconds without a suffix, as strace's parse_ts
  if (unit == "s")
    scale = 1e9;
  else if (unit == "ms")
    scale = 1e6;
  else if (unit == "us")
    scale = 1e3;
  else if (unit == "ns")
    scale = 1;
  else if (!unit.empty())
    return false;
  ns = static_cast<std::uint64_t>(v * scale);
  return true;
}

bool interruptible(std::string_view text, int& out) {
  static constexpr std::string_view names[] = {"anywhere", "waiting", "never", "never_tstp"};
  for (int k = 0; k < 4; ++k) {
    if (text == names[k] || (text.size() == 1 && text[0] == '1' + k)) {
      out = k + 1;
      return true;
    }
  }
  if (text == "always") return out = 1, true;  // strace's other name for "anywhere"
  return false;
}

// -U's columns from a comma-separated list of strace's column names; the name is added
// last when missing, as strace does.
bool parse_summary_columns(std::string_view list, options& o, std::string& error) {
  std::vector<summary_column> cols;
  for (;;) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    auto c = summary_column_named(item);
    if (!c || *c == summary_column::none) {
      error = "unknown column name: '" + std::string(item) + "'";
      return false;
    }
    if (std::find(cols.begin(), cols.end(), *c) != cols.end()) {
      error = "call summary column has been provided more than once: '" + std::string(item) +
              "' (-U option residual: '" + std::string(list) + "')";
      return false;
    }
    cols.push_back(*c);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (std::find(cols.begin(), cols.end(), summary_column::name) == cols.end())
    cols.push_back(summary_column::name);
  o.summary_columns = std::move(cols);
  return true;
}

}  // namespace

std::optional<summary_column> summary_column_named(std::string_view name) {
  using c = summary_column;
  static constexpr std::pair<std::string_view, summary_column> names[] = {{"time", c::time_percent},
                                                                          {"time_percent", c::time_percent},
                                                                          {"time-percent", c::time_percent},
                                                                          {"time_total", c::time_total},
                                                                          {"time-total", c::time_total},
                                                                          {"total_time", c::time_total},
                                                                          {"total-time", c::time_total},
                                                                          {"min_time", c::time_min},
                                                                          {"min-time", c::time_min},
                                                                          {"shortest", c::time_min},
                                                                          {"time_min", c::time_min},
                                                                          {"time-min", c::time_min},
                                                                          {"longest", c::time_max},
                                                                          {"max_time", c::time_max},
                                                                          {"max-time", c::time_max},
                                                                          {"time_max", c::time_max},
                                                                          {"time-max", c::time_max},
                                                                          {"avg_time", c::time_avg},
                                                                          {"avg-time", c::time_avg},
                                                                          {"time_avg", c::time_avg},
                                                                          {"time-avg", c::time_avg},
                                                                          {"calls", c::calls},
                                                                          {"count", c::calls},
                                                                          {"error", c::errors},
                                                                          {"errors", c::errors},
                                                                          {"name", c::name},
                                                                          {"syscall", c::name},
                                                                          {"syscall_name", c::name},
                                                                          {"syscall-name", c::name},
                                                                          {"none", c::none},
                                                                          {"nothing", c::none}};
  for (auto& [n, col] : names)
    if (n == name) return col;
  return std::nullopt;
}

bool apply_short(char c, std::optional<std::string_view> value, options& o, std::string& error) {
  auto invalid = [&] {
    error = std::string("invalid -") + c + " argument: '" + std::string(*value) + "'";
    return false;
  };
  auto& [t_count, q_count, x_count, y_count] = o.repeats;
  switch (c) {
    case 'a': {
      unsigned long n = 0;
      if (!to_unsigned(*value, n) || n > 0x7fffffff) return invalid();
      o.align = n;
      return true;
    }
    case 'A':
      o.append = true;
      return true;
    case 'b':
      if (*value != "execve") {
        error = "Syscall '" + std::string(*value) + "' for -b isn't supported";
        return false;
      }
      o.detach_on_execve = true;
      return true;
    case 'c':
    case 'C':
      if ((c == 'c' && o.summary_and_trace) || (c == 'C' && o.summary)) {
        error = "-c/--summary-only and -C/--summary are mutually exclusive";
        return false;
      }
      (c == 'c' ? o.summary : o.summary_and_trace) = true;
      return true;
    case 'D':
      ++o.daemonize;
      return true;
    case 'e':
      return parse_expression(*value, o, error);
    case 'i':
      o.instruction_pointer = true;
      return true;
    case 'I':
      if (!interruptible(*value, o.interruptible)) return invalid();
      return true;
    case 'k':
      o.stack_trace = true;
      return true;
    case 'n':
      o.syscall_numbers = true;
      return true;
    case 'o':
      o.output_file = std::string(*value);
      return true;
    case 'O':
      if (!parse_overhead(*value, o.overhead_ns)) return invalid();
      return true;
    case 'P':
      o.paths.emplace_back(*value);
      return true;
    case 'd':
      o.debug = true;
      return true;
    case 'q':
      ++q_count;
      o.quiet_given = true;
      o.quiet = q_count == 1   ? quiet_attach | quiet_personality
                : q_count == 2 ? quiet_attach | quiet_personality | quiet_exit
                               : quiet_attach | quiet_exit | quiet_path_resolution | quiet_personality |
                                     quiet_thread_execve;
      return true;
    case 'r':
      o.relative_timestamps = true;
      return true;
    case 's': {
      unsigned long n = 0;
      if (!to_unsigned(*value, n) || n > 0x3fffffff) return invalid();
      o.string_limit = n;
      return true;
    }
    case 'S':
      if (auto c = summary_column_named(*value)) {
        // strace sorts the percentage column as the total time.
        o.sort_by = *c == summary_column::time_percent ? summary_column::time_total : *c;
        return true;
      }
      error = "invalid sortby: '" + std::string(*value) + "'";
      return false;
    case 't':
      ++t_count;
      o.timestamps = t_count >= 3 ? 2 : 1;
      o.timestamps_digits = t_count >= 2 ? 6 : 0;
      return true;
    case 'T':
      o.syscall_times = true;
      return true;
    case 'U':
      return parse_summary_columns(*value, o, error);
    case 'v':
      o.verbose = true;
      o.abbrev_calls.reset();
      return true;
    case 'w':
      o.summary_wall = true;
      return true;
    case 'x':
      x_count = x_count < 2 ? x_count + 1 : 2;
      o.hex_strings = x_count;
      return true;
    case 'X':
      if (*value == "abbrev") return o.xlat = xlat_style::abbrev, true;
      if (*value == "raw") return o.xlat = xlat_style::raw, true;
      if (*value == "verbose") return o.xlat = xlat_style::verbose, true;
      return invalid();
    case 'y':
      ++y_count;
      o.fd_paths = true;
      if (y_count >= 2) o.fd_details = decode_fd_all & ~unsigned{decode_fd_path};  // -yy: every detail
      return true;
    case 'z':
      o.status = status_successful;
      return true;
    case 'Z':
      o.status = status_failed;
      return true;
    case 'p': {
      // A list as strace takes it: -p "$(pidof prog)" (spaces), -p "$(pgrep prog)" (newlines).
      std::string_view v = *value;
      for (;;) {
        const std::size_t cut = v.find_first_of("\n\t ,");
        const std::string_view word = v.substr(0, cut);
        int pid = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), pid);
        if (ec != std::errc{} || end != word.data() + word.size() || pid <= 0) {
          error = "Invalid process id: '" + std::string(word) + "'";
          return false;
        }
        if (pid == ::getpid()) {
          error = "I'm sorry, I can't let you do that, Dave.";
          return false;
        }
        o.attach_pids.push_back(pid);
        if (cut == std::string_view::npos) break;
        v.remove_prefix(cut + 1);
      }
      return true;
    }
    case 'u': {
      // strace -u: the user's uid, its primary group and its supplementary groups (initgroups).
      std::string name(*value);
      passwd pw{}, *found = nullptr;
      std::vector<char> buf(16384);
      if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
        error = "cannot find user '" + name + "'";
        return false;
      }
      options::run_as who;
      who.uid = pw.pw_uid;
      who.gid = pw.pw_gid;
      int n = 64;
      std::vector<gid_t> groups(static_cast<std::size_t>(n));
      while (::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &n) < 0)
        groups.resize(static_cast<std::size_t>(n));
      groups.resize(static_cast<std::size_t>(n));
      who.groups.assign(groups.begin(), groups.end());
      o.user = std::move(who);
      return true;
    }
    case 'E': {
      std::string_view v = *value;
      auto eq = v.find('=');
      if (eq == 0 || v.empty()) return invalid();
      if (eq == std::string_view::npos)
        o.env.emplace_back(std::string(v), std::nullopt);
      else
        o.env.emplace_back(std::string(v.substr(0, eq)), std::string(v.substr(eq + 1)));
      return true;
    }
    case 'Y':  // --decode-pids=comm, which replaces the set
      o.pid_comm = true;
      o.pidns = false;
      return true;
    default:
      error = std::string("invalid option -- '") + c + "'";
      return false;
  }
}

}  // namespace strace
