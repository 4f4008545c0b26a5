// Defines the formatter's per-syscall customisation point, decoder<call_id>, and the table
// of hooks the printer looks up by a descriptor's call_id (strace's SYS_FUNC(name), chosen
// at compile time instead of by name at run time).
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include <snare/sys/arg.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// Changes how one syscall prints. Specialise it for a sys::call_id in a topic header under
/// decode/ (as strace's open.c, fcntl.c, ...); the primary template changes nothing. Every
/// member is optional, each a template over the printer P (see printer.hpp):
///   `static std::size_t shown_args(const P&, std::size_t n)`: how many of the n arguments
///       strace shows (open without O_CREAT shows no mode).
///   `static bool at_exit(const P&, std::size_t i)`: whether argument i is printed at exit.
///   `static bool put_arg(P&, std::size_t i, bool exit)`: prints argument i, or returns
///       false to let the table-driven printing do it.
///   `static void put_args(P&, bool exit)`: prints the whole argument list (clone).
///   `static void put_return(P&)`: prints a successful result (the value and any comment).
///   `static constexpr bool hex_buffers`: buffers print as \xNN escapes (getrandom).
template <sys::call_id Id>
struct decoder {};

/// A decoder that prints argument Arg with `Put(printer, value)` (a function object over
/// the printer and the argument's register) and leaves the others to the table.
template <std::size_t Arg, auto Put>
struct arg_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != Arg) return false;
    Put(p, p.arg(i));
    return true;
  }
};

/// Holds the hooks of one decoder as plain function pointers (null: the default).
template <class P>
struct hooks {
  std::size_t (*shown_args)(const P&, std::size_t) = nullptr;
  bool (*at_exit)(const P&, std::size_t) = nullptr;
  bool (*put_arg)(P&, std::size_t, bool) = nullptr;
  void (*put_args)(P&, bool) = nullptr;
  void (*put_return)(P&) = nullptr;
  bool hex_buffers = false;
};

/// Returns the hooks decoder D defines, for printer P.
template <class P, class D>
constexpr hooks<P> hooks_of() noexcept {
  hooks<P> h;
  if constexpr (requires(const P& p) { D::shown_args(p, std::size_t{}); })
    h.shown_args = &D::template shown_args<P>;
  if constexpr (requires(const P& p) { D::at_exit(p, std::size_t{}); }) h.at_exit = &D::template at_exit<P>;
  if constexpr (requires(P & p) { D::put_arg(p, std::size_t{}, true); }) h.put_arg = &D::template put_arg<P>;
  if constexpr (requires(P & p) { D::put_args(p, true); }) h.put_args = &D::template put_args<P>;
  if constexpr (requires(P & p) { D::put_return(p); }) h.put_return = &D::template put_return<P>;
  if constexpr (requires { D::hex_buffers; }) h.hex_buffers = D::hex_buffers;
  return h;
}

template <class P, std::size_t... I>
constexpr std::array<hooks<P>, sizeof...(I)> make_hook_table(std::index_sequence<I...>) noexcept {
  return {{hooks_of<P, decoder<static_cast<sys::call_id>(I)>>()...}};
}

/// Holds the hooks of every call_id, indexed by its value: one load per formatted call.
template <class P>
inline constexpr auto hook_table = make_hook_table<P>(std::make_index_sequence<sys::call_id_count>{});

template <class P>
inline constexpr hooks<P> no_hooks{};

/// Returns the hooks of the syscall `id` (the defaults for an id out of range).
template <class P>
constexpr const hooks<P>& hooks_for(sys::call_id id) noexcept {
  auto i = static_cast<std::size_t>(id);
  return i < hook_table<P>.size() ? hook_table<P>[i] : no_hooks<P>;
}

}  // namespace snare::format::detail
