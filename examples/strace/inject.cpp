// Defines snare-strace's -e inject= and -e fault= parser: strace's token grammar (the
// syntax strace 6.1 accepts and the message it gives for the rest) and what snare-strace
// does with each token.
#include <string.h>   // sigabbrev_np
#include <strings.h>  // strncasecmp

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>

#include <snare/format/format.hpp>
#include <snare/sys/x86_64.hpp>

#include "options.hpp"

namespace strace {
namespace {

bool parse_decimal(std::string_view text, unsigned long max, unsigned long& out) {
  if (text.empty() || text.size() > 20) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned long>(c - '0');
    if (out > max) return false;
  }
  return true;
}

// error=: a number 1..4095 or an errno name (strace's string_to_uint_upto, then its names).
int parse_error_code(std::string_view text) {
  unsigned long n = 0;
  if (parse_decimal(text, 4095, n)) return static_cast<int>(n);
  if (text.empty()) return 0;
  // Names in any case (`error=einval`), as strace's find_errno_by_name.
  std::string name(text);
  for (int e = 1; e < 4096; ++e) {
    auto known = snare::format::errno_name(e);
    if (!known.empty() && known.size() == name.size() &&
        ::strncasecmp(known.data(), name.c_str(), name.size()) == 0)
      return e;
  }
  return 0;
}

// retval=: any value of a kernel long, in C's notations (decimal, 0x hex, 0 octal), as
// strace's strtoull.
bool parse_retval(std::string_view text, long& out) {
  if (text.empty()) return false;
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (end == s.c_str() || *end != '\0' || errno == ERANGE) return false;
  out = static_cast<long>(v);
  return true;
}

// signal=: a number 1..64 or a name with or without SIG, any case (strace's sigstr_to_uint).
int parse_signal(std::string_view text) {
  unsigned long n = 0;
  if (parse_decimal(text, 64, n)) return static_cast<int>(n);
  if (text.size() > 3 && ::strncasecmp(text.data(), "SIG", 3) == 0) text.remove_prefix(3);
  std::string name(text);
  for (int sig = 1; sig < SIGRTMIN; ++sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    if (abbrev && ::strcasecmp(abbrev, name.c_str()) == 0) return sig;
  }
  return 0;
}

// syscall=: the name of a call without side effects, the only ones strace substitutes (its
// TRACE_PURE flag on x86_64: the get*id calls, getpgrp).
long parse_pure_call(std::string_view text) {
  static constexpr std::string_view pure[] = {"getpid",  "getppid", "gettid",  "getuid",
                                              "geteuid", "getgid",  "getegid", "getpgrp"};
  bool is_pure = false;
  for (auto p : pure) is_pure |= p == text;
  if (!is_pure) return -1;
  for (long nr = 0; nr < static_cast<long>(max_nr); ++nr)
    if (auto* d = snare::sys::x86_64::descriptor(nr); d && d->name == text) return nr;
  return -1;
}

// delay_enter=/delay_exit=: a non-negative number (integer or decimal) with an optional
// unit s, ms, us or ns, microseconds without one (strace's parse_ts); `ns` gets it.
bool parse_delay(std::string_view text, std::uint64_t& ns) {
  std::size_t i = 0;
  bool digits = false, dot = false;
  if (i < text.size() && text[i] == '+') ++i;
  std::uint64_t whole = 0, frac = 0, frac_scale = 1;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (!dot && whole < (1ull << 40))
        whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
      else if (dot && frac_scale < 1000000000ull)
        frac = frac * 10 + static_cast<std::uint64_t>(c - '0'), frac_scale *= 10;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits) return false;
  auto unit = text.substr(i);
  std::uint64_t scale = 0;  // ns per unit
  if (unit.empty() || unit == "us")
    scale = 1000;
  else if (unit == "s")
    scale = 1000000000;
  else if (unit == "ms")
    scale = 1000000;
  else if (unit == "ns")
    scale = 1;
  else
    return false;
  ns = whole * scale + frac * scale / frac_scale;
  return true;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// poke_enter=/poke_exit=: @argN=HEX[,@argN=HEX]..., N 1..7, HEX an even number (2..2048)
// of hex digits, each argument once (strace's parse_poke_token).
bool parse_poke(std::string_view text, std::vector<inject_rule::poke_item>& items) {
  if (text.empty()) return false;
  unsigned seen = 0;
  while (true) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    if (!item.empty()) {
      if (!item.starts_with("@arg") || item.size() < 6 || item[4] < '1' || item[4] > '7' || item[5] != '=')
        return false;
      unsigned bit = 1u << (item[4] - '0');
      if (seen & bit) return false;
      seen |= bit;
      auto data = item.substr(6);
      if (data.empty() || data.size() % 2 != 0 || data.size() > 2048) return false;
      for (char c : data)
        if (!is_hex(c)) return false;
      inject_rule::poke_item poke;
      poke.arg = static_cast<unsigned>(item[4] - '0');
      for (std::size_t k = 0; k < data.size(); k += 2)
        poke.data.push_back(
            static_cast<unsigned char>(std::stoul(std::string(data.substr(k, 2)), nullptr, 16)));
      items.push_back(std::move(poke));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return seen != 0;
}

// Applies one token of an inject/fault expression to `rule`; false when strace rejects it.
bool parse_token(std::string_view token, bool fault, inject_rule& rule, bool& has_error, bool& has_signal,
                 bool& has_delay_enter, bool& has_delay_exit, bool& has_poke_enter, bool& has_poke_exit) {
  auto value = [&](std::string_view key) { return token.substr(key.size()); };
  if (token.starts_with("when=")) return parse_when(value("when="), rule);
  if (token.starts_with("error=")) {
    if (has_error) return false;
    int e = parse_error_code(value("error="));
    if (e < 1) return false;
    rule.value = -e;
    rule.is_error = true;
    return has_error = true;
  }
  if (token.starts_with("syscall=")) {
    if (rule.substitute >= 0) return false;
    rule.substitute = parse_pure_call(value("syscall="));
    return rule.substitute >= 0;
  }
  if (fault) return false;  // fault= takes error= and when= (and syscall=) only
  if (token.starts_with("retval=")) {
    if (has_error) return false;
    long v = 0;
    if (!parse_retval(value("retval="), v)) return false;
    rule.value = v;
    rule.is_error = false;
    return has_error = true;
  }
  if (token.starts_with("signal=")) {
    if (has_signal) return false;
    rule.signal = parse_signal(value("signal="));
    return has_signal = rule.signal > 0;
  }
  auto once = [&](bool& given, bool ok) {
    if (given || !ok) return false;
    return given = true;
  };
  if (token.starts_with("delay_enter="))
    return once(has_delay_enter, parse_delay(value("delay_enter="), rule.delay_enter_ns));
  if (token.starts_with("delay_exit="))
    return once(has_delay_exit, parse_delay(value("delay_exit="), rule.delay_exit_ns));
  if (token.starts_with("poke_enter="))
    return once(has_poke_enter, parse_poke(value("poke_enter="), rule.poke_enter));
  if (token.starts_with("poke_exit="))
    return once(has_poke_exit, parse_poke(value("poke_exit="), rule.poke_exit));
  return false;
}

}  // namespace

bool parse_inject(std::string_view text, bool fault, options& o, std::string& error) {
  const std::string invalid =
      std::string("invalid ") + (fault ? "fault" : "inject") + " argument '" + std::string(text) + "'";
  auto colon = text.find(':');
  std::string_view set_text = text.substr(0, colon);
  inject_rule rule;
  bool has_error = false, has_signal = false, de = false, dx = false, pe = false, px = false;
  // The tokens come first, as strace checks them before the set; empty ones are skipped.
  for (auto rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
       !rest.empty();) {
    auto next = rest.find(':');
    auto token = rest.substr(0, next);
    if (!token.empty() && !parse_token(token, fault, rule, has_error, has_signal, de, dx, pe, px)) {
      error = invalid;
      return false;
    }
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  rule.delay = de || dx;
  rule.delay_enter = de;
  rule.delay_exit = dx;
  rule.poke = pe || px;
  if (!has_error) {
    if (fault) {
      rule.value = -ENOSYS;  // fault='s default
      rule.is_error = true;
    } else if (!has_signal && !rule.delay && !rule.poke) {
      error = invalid;  // inject= needs an action
      return false;
    } else {
      rule.has_result = false;
    }
  }
  auto set = parse_set(set_text, error);
  if (!set) return false;
  rule.calls = *set;
  // A rule for no call (fault=none) changes nothing; a later rule wins for the calls it names.
  if (rule.calls.any()) o.injects.push_back(rule);
  return true;
}

}  // namespace strace
