// Defines snare::action and snare::signal_action: what a handler's return value does to a
// syscall or a signal (proceed, suppress with a value, fail with an errno; deliver, drop, replace).
// Part of the tool model: see snare/tool.hpp.
#pragma once

#include <cstdint>

namespace snare {

/// What happens to a syscall after its entry handler returns.
class action {
 public:
  enum class kind : std::uint8_t { proceed, suppress };
  constexpr action() noexcept = default;
  /// Returns the kind of action.
  constexpr kind what() const noexcept { return kind_; }
  /// Returns the value the guest sees for a suppressed call.
  constexpr long value() const noexcept { return value_; }
  friend constexpr action proceed() noexcept;
  friend constexpr action suppress(long value) noexcept;
  friend constexpr bool operator==(action, action) = default;

 private:
  constexpr action(kind k, long v) noexcept : kind_(k), value_(v) {}
  kind kind_ = kind::proceed;
  long value_ = 0;
};

/// Returns the action that lets the call run (the default).
constexpr action proceed() noexcept { return {}; }
/// Returns the action that skips the call; the guest sees `value` as its return value.
constexpr action suppress(long value) noexcept { return {action::kind::suppress, value}; }
/// Returns the action that skips the call; the guest sees -err (errno `err`).
constexpr action fail(int err) noexcept { return suppress(-static_cast<long>(err)); }

/// What happens to a signal after on_signal returns.
class signal_action {
 public:
  constexpr signal_action() noexcept = default;
  /// Returns the signal delivered to the guest; 0 when the signal is suppressed.
  constexpr int signal() const noexcept { return sig_; }
  constexpr bool keeps_original() const noexcept { return sig_ == -1; }
  friend constexpr signal_action deliver() noexcept;
  friend constexpr signal_action suppress_signal() noexcept;
  friend constexpr signal_action replace_signal(int sig) noexcept;
  friend constexpr bool operator==(signal_action, signal_action) = default;

 private:
  constexpr explicit signal_action(int s) noexcept : sig_(s) {}
  int sig_ = -1;  // -1: deliver the original
};

/// Returns the signal action that delivers the signal unchanged (the default).
constexpr signal_action deliver() noexcept { return signal_action{}; }
/// Returns the signal action that drops the signal.
constexpr signal_action suppress_signal() noexcept { return signal_action{0}; }
/// Returns the signal action that delivers `sig` instead.
constexpr signal_action replace_signal(int sig) noexcept { return signal_action{sig}; }

}  // namespace snare
