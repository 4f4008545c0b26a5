// Defines snare::runtime_subscription: a set of syscalls chosen at run time (names, strace's
// classes such as %file, numbers), which a tool hands the engine at start to narrow its
// compile-time subscription; and how the two combine (snare::narrow_subscription).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <snare/arch/native.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/native.hpp>
#include <snare/sys/syscall_set.hpp>

namespace snare {

/// Returns the class bits (sys::class_file, ...) that strace's class name `name` stands for:
/// %file %process %network (or %net) %signal %ipc %desc %memory %creds %clock %%stat
/// %%statfs (strace(1), -e trace=); 0 for any other name.
constexpr std::uint16_t syscall_class_named(std::string_view name) noexcept {
  struct entry {
    std::string_view name;
    std::uint16_t bits;
  };
  constexpr entry classes[] = {
      {"%file", sys::class_file},   {"%process", sys::class_process}, {"%network", sys::class_network},
      {"%net", sys::class_network}, {"%signal", sys::class_signal},   {"%ipc", sys::class_ipc},
      {"%desc", sys::class_desc},   {"%memory", sys::class_memory},   {"%creds", sys::class_creds},
      {"%clock", sys::class_clock}, {"%%stat", sys::class_stat},      {"%%statfs", sys::class_statfs},
  };
  for (const entry& e : classes)
    if (e.name == name) return e.bits;
  return 0;
}

/// A subscription chosen at run time: the syscall numbers (of the architecture snare is
/// compiled for) whose entries stop the guest. A tool opts in by defining
///   snare::runtime_subscription runtime_subscription() const;   // read once, at start
/// The engine then builds its BPF program from this set when the run starts instead of at
/// compile time, and only these calls reach the handlers. The set must lie within what the
/// tool's handlers can receive (its compile-time subscription; a generic handler receives
/// every call), else the run fails to start with std::invalid_argument.
class runtime_subscription {
 public:
  /// Creates the empty subscription: no call stops the guest.
  runtime_subscription() noexcept = default;
  /// Creates the subscription to the numbers of `calls`.
  explicit runtime_subscription(const syscall_set& calls) noexcept : calls_(calls) {}
  /// Returns the subscription to every syscall number, known or not.
  static runtime_subscription everything() noexcept {
    return runtime_subscription(syscall_set::everything());
  }

  /// Parses a comma-separated list of items, each a syscall name of Arch ("openat"), one of
  /// strace's class names (syscall_class_named: "%file"), a number (decimal, below
  /// max_syscall_number: "59") or "all" (every syscall). Returns std::nullopt and sets
  /// `error` ("unknown syscall 'opnat' in \"opnat,read\": neither a syscall of x86_64, a
  /// class such as %file, nor a number below 1024") for an item it does not know, or an
  /// empty list.
  template <class Arch = arch::native>
  static std::optional<runtime_subscription> parse(std::string_view text, std::string& error) {
    runtime_subscription s;
    bool any = false;
    for (std::string_view rest = text;;) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      if (!item.empty()) {
        any = true;
        if (!s.add<Arch>(item)) {
          error = "unknown syscall '" + std::string(item) + "' in \"" + std::string(text) +
                  "\": neither a syscall of " + std::string(Arch::name) +
                  ", a class such as %file, nor a number below " + std::to_string(max_syscall_number);
          return std::nullopt;
        }
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!any) {
      error = "empty syscall list \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    return s;
  }
  /// Parses as parse(text, error) does; throws std::invalid_argument("snare: " + error).
  template <class Arch = arch::native>
  static runtime_subscription parse(std::string_view text) {
    std::string error;
    auto s = parse<Arch>(text, error);
    if (!s) throw std::invalid_argument("snare: " + error);
    return *s;
  }

  /// Adds syscall `nr` (ignored when out of 0 .. max_syscall_number - 1).
  runtime_subscription& add(long nr) noexcept {
    calls_.add(nr);
    return *this;
  }
  /// Adds the numbers of `calls`.
  runtime_subscription& add(const syscall_set& calls) noexcept {
    calls_ = calls_ | calls;
    return *this;
  }
  /// Adds the calls of Arch that belong to any class of `classes` (sys::class_file | ...).
  template <class Arch = arch::native>
  runtime_subscription& add_classes(std::uint16_t classes) noexcept {
    for (const sys::syscall_desc& d : sys::table<Arch>::descriptors)
      if (d.number >= 0 && (d.classes & classes) != 0) calls_.add(d.number);
    return *this;
  }
  /// Adds one item as parse() reads it (a name of Arch, a class, a number or "all");
  /// returns false, adding nothing, when it is none of them.
  template <class Arch = arch::native>
  bool add(std::string_view item) noexcept {
    if (item == "all") {
      calls_ = syscall_set::everything();
      return true;
    }
    if (item.starts_with('%')) {
      const std::uint16_t bits = syscall_class_named(item);
      if (bits == 0) return false;
      add_classes<Arch>(bits);
      return true;
    }
    if (const long nr = sys::number_of<Arch>(item); nr >= 0) {
      calls_.add(nr);
      return true;
    }
    long nr = 0;
    for (char c : item) {
      if (c < '0' || c > '9') return false;
      nr = nr * 10 + (c - '0');
      if (nr >= max_syscall_number) return false;
    }
    calls_.add(nr);
    return true;
  }

  /// Returns the numbers subscribed to.
  const syscall_set& calls() const noexcept { return calls_; }
  /// Returns whether `nr` is subscribed to.
  bool contains(long nr) const noexcept { return calls_.contains(nr); }
  friend bool operator==(const runtime_subscription&, const runtime_subscription&) = default;

 private:
  syscall_set calls_;
};

/// Says whether Tool chooses its subscription at run time: it defines
/// `runtime_subscription()` returning a snare::runtime_subscription (read once at start).
template <class Tool>
concept has_runtime_subscription = requires(Tool& t) {
  { t.runtime_subscription() } -> std::convertible_to<runtime_subscription>;
};

/// Returns the subscription of a run: `bound` (the tool's compile-time subscription: what its
/// handlers can receive) narrowed to the entries of `chosen`; exits stay those of `bound`
/// among them. Throws std::invalid_argument naming the calls of `chosen` outside `bound`
/// (up to eight, by Arch's names) when `chosen` is not within it.
template <class Arch = arch::native>
subscription_info narrow_subscription(const subscription_info& bound, const runtime_subscription& chosen) {
  const syscall_set& calls = chosen.calls();
  std::string outside;
  int count = 0;
  if (calls.is_everything() && !bound.entry.is_everything()) {
    outside = "every syscall";
    count = 1;
  } else if (!calls.is_everything()) {
    for (long nr = 0; nr < max_syscall_number; ++nr) {
      if (!calls.contains(nr) || bound.entry.contains(nr)) continue;
      if (++count > 8) continue;
      if (!outside.empty()) outside += ", ";
      const std::string_view name = sys::name_of<Arch>(nr);
      outside += name.empty() ? std::to_string(nr) : std::string(name);
    }
  }
  if (count > 0) {
    if (count > 8) outside += ", ... (" + std::to_string(count) + " calls)";
    throw std::invalid_argument(
        "snare: the run-time subscription names calls the tool has no handler for: " + outside +
        " (subscribe within the tool's handlers, or give it a generic one)");
  }
  subscription_info s;
  s.entry = calls & bound.entry;
  s.exit = bound.exit & s.entry;
  return s;
}

}  // namespace snare
