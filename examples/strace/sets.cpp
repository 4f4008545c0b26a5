// Defines the parsers of snare-strace's sets and rules: trace sets (names, numbers, classes,
// /regex, ?name), signal, status, quiet, decode-fds and fd sets, and the when= expression
// of inject and fault rules.
#include <regex.h>
#include <signal.h>
#include <string.h>

#include <cctype>
#include <charconv>
#include <string>

#include <snare/subscription/runtime.hpp>
#include <snare/sys/i386.hpp>
#include <snare/sys/x86_64.hpp>

#include "options.hpp"

namespace strace {
namespace {

namespace sys = snare::sys;

// Removes the leading `!`s of a set; returns whether they negate it (an odd count).
bool take_negation(std::string_view& text) {
  bool negate = false;
  while (!text.empty() && text.front() == '!') {
    negate = !negate;
    text.remove_prefix(1);
  }
  return negate;
}

struct class_name {
  std::string_view name;
  std::uint16_t bits;
};
// strace's legacy spellings of its classes, without the %.
constexpr class_name legacy_class_names[] = {
    {"file", sys::class_file},     {"process", sys::class_process}, {"network", sys::class_network},
    {"signal", sys::class_signal}, {"ipc", sys::class_ipc},         {"desc", sys::class_desc},
    {"memory", sys::class_memory},
};

struct named_calls {
  std::string_view name;
  std::initializer_list<std::string_view> calls;
};
// The classes snare's table has no bit for: strace's lists for x86_64.
const named_calls listed_classes[] = {
    {"%pure", {"getpid", "getuid", "getgid", "geteuid", "getegid", "getppid", "getpgrp", "gettid"}},
    {"%stat", {"stat"}},
    {"%lstat", {"lstat"}},
    {"%fstat", {"fstat", "newfstatat"}},
    {"%statfs", {"statfs"}},
    {"%fstatfs", {"fstatfs"}},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

// The class bits strace's class name `word` stands for (any case: %file, %FILE, file), 0
// for none: snare's names (snare::syscall_class_named), then the legacy spellings.
std::uint16_t class_bits(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::uint16_t bits = snare::syscall_class_named(lower); bits != 0) return bits;
  for (auto& c : legacy_class_names)
    if (c.name == lower) return c.bits;
  return 0;
}

bool parse_unsigned(std::string_view text, unsigned long& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

// Splits `text` at commas, skipping empty items as strace's strtok does; calls f(item)
// until it returns false. Returns whether there was an item.
template <class F>
bool for_each_item(std::string_view text, F f, bool& ok) {
  bool any = false;
  ok = true;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (!item.empty()) {
      any = true;
      if (!f(item)) {
        ok = false;
        return any;
      }
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return any;
}

// strace's generic token sets (status=, quiet=, decode-fds=): `!` inverts, all, none,
// names from `names` (bit values); "invalid WHAT 'TOKEN'" otherwise.
std::optional<unsigned> parse_named_bits(std::string_view text, std::string_view what,
                                         std::initializer_list<std::pair<std::string_view, unsigned>> names,
                                         unsigned all, std::string& error) {
  const bool negate = take_negation(text);
  unsigned bits = 0;
  if (text == "all") {
    bits = all;
  } else if (text != "none") {
    bool ok = true;
    std::string_view bad;
    bool any = for_each_item(
        text,
        [&](std::string_view item) {
          for (auto& [n, v] : names)
            if (n == item) return bits |= v, true;
          bad = item;
          return false;
        },
        ok);
    if (!ok || !any) {
      error = "invalid " + std::string(what) + " '" + std::string(ok ? text : bad) + "'";
      return std::nullopt;
    }
  }
  return negate ? all & ~bits : bits;
}

}  // namespace

nr_set all_known() {
  nr_set s;
  for (std::size_t nr = 0; nr < max_nr; ++nr)
    if (sys::x86_64::descriptor(static_cast<long>(nr))) s.set(nr);
  return s;
}

std::optional<nr_set> parse_set_element(std::string_view word) {
  if (word == "all") return all_known();
  if (word == "none") return nr_set{};
  nr_set s;
  if (!word.empty() && word.front() == '/') {
    // A POSIX extended regular expression matched against every name.
    std::string re(word.substr(1));
    regex_t preg;
    if (::regcomp(&preg, re.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return std::nullopt;
    bool found = false;
    for (std::size_t nr = 0; nr < max_nr; ++nr) {
      auto* d = sys::x86_64::descriptor(static_cast<long>(nr));
      if (!d) continue;
      std::string name(d->name);
      if (::regexec(&preg, name.c_str(), 0, nullptr, 0) == 0) s.set(nr), found = true;
    }
    // strace also matches the names of the other x86 ABIs (i386, x32).
    for (long nr = 0; nr < 512 && !found; ++nr) {
      auto* d = sys::i386::descriptor(nr);
      if (!d) continue;
      std::string name(d->name);
      found = ::regexec(&preg, name.c_str(), 0, nullptr, 0) == 0;
    }
    ::regfree(&preg);
    return found ? std::optional<nr_set>(s) : std::nullopt;
  }
  if (std::uint16_t bits = class_bits(word); bits != 0) {
    for (std::size_t nr = 0; nr < max_nr; ++nr) {
      auto* d = sys::x86_64::descriptor(static_cast<long>(nr));
      if (d && (d->classes & bits)) s.set(nr);
    }
    return s;
  }
  for (auto& c : listed_classes) {
    if (!iequals(c.name, word)) continue;
    for (auto name : c.calls)
      if (long nr = sys::x86_64::number_of(name); nr >= 0) s.set(static_cast<std::size_t>(nr));
    return s;
  }
  // name@64 names this ABI's call; name@32 and name@x32 the other ABIs' (never traced here).
  if (auto at = word.find('@'); at != std::string_view::npos) {
    auto pers = word.substr(at + 1);
    auto name = word.substr(0, at);
    if (pers == "64") return parse_set_element(name);
    if (pers == "32") return sys::i386::number_of(name) >= 0 ? std::optional<nr_set>(s) : std::nullopt;
    if (pers == "x32") return sys::x86_64::number_of(name) >= 0 ? std::optional<nr_set>(s) : std::nullopt;
    return std::nullopt;
  }
  long nr = sys::x86_64::number_of(word);
  if (nr < 0) {
    unsigned long n = 0;
    if (parse_unsigned(word, n)) {
      if (n >= max_nr || !sys::x86_64::descriptor(static_cast<long>(n))) return std::nullopt;
      nr = static_cast<long>(n);
    } else if (sys::i386::number_of(word) >= 0) {
      return s;  // a call of the i386 ABI only (mmap2): strace accepts it; nothing to trace here
    } else {
      return std::nullopt;
    }
  }
  s.set(static_cast<std::size_t>(nr));
  return s;
}

std::optional<nr_set> parse_set(std::string_view text, std::string& error) {
  const bool negate = take_negation(text);
  nr_set s;
  if (text == "none" || text == "all") {
    s = *parse_set_element(text);
  } else {
    bool ok = true;
    std::string_view bad = text;
    bool any = for_each_item(
        text,
        [&](std::string_view word) {
          bool optional = false;
          while (!word.empty() && word.front() == '?') optional = true, word.remove_prefix(1);
          auto part = parse_set_element(word);
          if (part) {
            s |= *part;
            return true;
          }
          if (optional) return true;
          bad = word;
          return false;
        },
        ok);
    if (!ok || !any) {
      error = "invalid system call '" + std::string(bad) + "'";
      return std::nullopt;
    }
  }
  if (negate) s = all_known() & ~s;
  return s;
}

std::optional<sig_set> parse_signal_set(std::string_view text, std::string& error) {
  const bool negate = take_negation(text);
  sig_set all;
  for (int sig = 1; sig < NSIG && sig < 128; ++sig) all.set(static_cast<std::size_t>(sig));
  sig_set s;
  if (text == "all") {
    s = all;
  } else if (text != "none") {
    bool ok = true;
    std::string_view bad = text;
    bool any = for_each_item(
        text,
        [&](std::string_view word) {
          unsigned long n = 0;
          if (parse_unsigned(word, n)) {
            if (n == 0 || n >= 128) return bad = word, false;
            s.set(n);
            return true;
          }
          std::string_view name = word;
          if (name.size() > 3 && iequals(name.substr(0, 3), "SIG")) name.remove_prefix(3);
          for (int sig = 1; sig < SIGRTMIN; ++sig) {
            const char* abbrev = ::sigabbrev_np(sig);
            if (abbrev && iequals(name, abbrev)) return s.set(static_cast<std::size_t>(sig)), true;
          }
          bad = word;
          return false;
        },
        ok);
    if (!ok || !any) {
      error = "invalid signal '" + std::string(bad) + "'";
      return std::nullopt;
    }
  }
  return negate ? all & ~s : s;
}

std::optional<unsigned> parse_status_set(std::string_view text, std::string& error) {
  return parse_named_bits(text, "status",
                          {{"successful", status_successful},
                           {"failed", status_failed},
                           {"unfinished", status_unfinished},
                           {"unavailable", status_unavailable},
                           {"detached", status_detached}},
                          status_all, error);
}

std::optional<unsigned> parse_quiet_set(std::string_view text, std::string& error) {
  return parse_named_bits(
      text, "quiet",
      {{"attach", quiet_attach},
       {"exit", quiet_exit},
       {"exits", quiet_exit},
       {"path-resolution", quiet_path_resolution},
       {"personality", quiet_personality},
       {"superseded", quiet_superseded},
       {"thread-execve", quiet_thread_execve}},
      quiet_attach | quiet_exit | quiet_path_resolution | quiet_personality | quiet_thread_execve, error);
}

std::optional<unsigned> parse_decode_fds_set(std::string_view text, std::string& error) {
  return parse_named_bits(text, "decode-fds",
                          {{"path", decode_fd_path},
                           {"socket", decode_fd_socket},
                           {"dev", decode_fd_dev},
                           {"pidfd", decode_fd_pidfd}},
                          decode_fd_all, error);
}

std::optional<fd_set> parse_fd_set(std::string_view text, std::string_view what, std::string& error) {
  const std::string_view whole = text;  // a set of no item is named whole, its `!` too
  const bool negate = take_negation(text);
  fd_set s;
  if (text == "all") {
    s.set();
  } else if (text != "none") {
    bool ok = true;
    std::string_view bad = text;
    bool any = for_each_item(
        text,
        [&](std::string_view word) {
          unsigned long n = 0;
          if (!parse_unsigned(word, n) || n > 0x7fffffff) return bad = word, false;  // an int, as strace's
          s.set(n);
          return true;
        },
        ok);
    if (!any) bad = whole;
    if (!ok || !any) {
      error = "invalid descriptor '" + std::string(bad) + "'";
      (void)what;
      return std::nullopt;
    }
  }
  if (negate) s.flip();
  return s;
}

bool parse_when(std::string_view text, inject_rule& rule) {
  // first[..last][+[step]]
  std::string_view step_part;
  bool has_plus = false;
  if (auto plus = text.find('+'); plus != std::string_view::npos) {
    has_plus = true;
    step_part = text.substr(plus + 1);
    text = text.substr(0, plus);
  }
  std::string_view first_part = text, last_part;
  bool has_range = false;
  if (auto dots = text.find(".."); dots != std::string_view::npos) {
    has_range = true;
    first_part = text.substr(0, dots);
    last_part = text.substr(dots + 2);
  }
  unsigned long first = 0, last = ~0u, step = 0;
  if (!parse_unsigned(first_part, first) || first == 0 || first > 65535) return false;
  // 65535 is strace's "no last invocation": a range ends below it.
  if (has_range && (!parse_unsigned(last_part, last) || last < first || last >= 65535)) return false;
  if (has_plus) {
    if (step_part.empty())
      step = 1;
    else if (!parse_unsigned(step_part, step) || step == 0 || step > 65535)
      return false;
  } else if (has_range) {
    step = 1;  // N..L: every invocation in the range
  }
  rule.first = static_cast<unsigned>(first);
  rule.last = static_cast<unsigned>(last);
  rule.step = static_cast<unsigned>(step);
  return true;
}

}  // namespace strace
