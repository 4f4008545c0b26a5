// Defines the strace-like formatter's entry points: format_entry, format_exit,
// format_call, the <unfinished ...> / <... resumed> markers and errno naming.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <snare/format/detail/printer.hpp>
#include <snare/format/entry_state.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/options.hpp>
#include <snare/memory.hpp>
#include <snare/result.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>

namespace snare::format {

/// Appends the start of a call as strace prints it at syscall entry: `read(3, ` (the
/// arguments the kernel reads; out-arguments wait for the exit) or `close(3` when every
/// argument is an input. Finish the line with format_exit, or with unfinished() when
/// another line must be printed first. Reads guest memory through `mem` (an unreadable
/// pointer prints as its address) and, with options::show_fd_paths, names fds through
/// `fds`. Returns not_enough_memory only when `out` cannot grow.
/// With `state`, it saves the in-out values format_exit shows next to their new ones.
template <guest_memory M, fd_resolver R = no_fd_paths>
result<void> format_entry(std::string& out, const sys::syscall_desc& desc, const sys::raw_args& args, M& mem,
                          const options& opts = {}, R&& fds = R{}, entry_state* state = nullptr) noexcept {
  detail::xlat_style_scope style(opts.xlat);
  try {
    detail::printer<M, std::remove_reference_t<R>>(out, desc, args, mem, opts, fds).entry(state);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends the rest of a call after format_entry: the arguments filled in by the call
/// (buffers cut to the return value), `)` and ` = ` with the result: `= 3`, `= 0x7f...`
/// for addresses, `= -1 ENOENT (No such file or directory)` for -4095..-1, `= ? ERESTARTSYS
/// (...)` for restarts, `= ?` for calls that do not return. `args` are the entry's
/// registers; `state`, the one format_entry filled for this call (or null). Returns
/// not_enough_memory only when `out` cannot grow.
template <guest_memory M, fd_resolver R = no_fd_paths>
result<void> format_exit(std::string& out, const sys::syscall_desc& desc, const sys::raw_args& args,
                         std::int64_t retval, M& mem, const options& opts = {}, R&& fds = R{},
                         const entry_state* state = nullptr) noexcept {
  detail::xlat_style_scope style(opts.xlat);
  try {
    auto nl = out.find_last_of('\n');
    std::size_t line_start = nl == std::string::npos ? 0 : nl + 1;
    detail::printer<M, std::remove_reference_t<R>>(out, desc, args, mem, opts, fds, nullptr, state)
        .exit(retval, line_start);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends one completed call as one strace line (without newline):
/// `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`. Memory is read once, after
/// the call, so in-arguments show their values at that time.
template <guest_memory M, fd_resolver R = no_fd_paths>
result<void> format_call(std::string& out, const sys::syscall_desc& desc, const sys::raw_args& args,
                         std::int64_t retval, M& mem, const options& opts = {}, R&& fds = R{}) noexcept {
  detail::xlat_style_scope style(opts.xlat);
  try {
    auto nl = out.find_last_of('\n');  // -a counts from the line's start, its prefix too
    std::size_t line_start = nl == std::string::npos ? 0 : nl + 1;
    entry_state state;  // the in-out values, read after the call like the rest
    detail::printer<M, std::remove_reference_t<R>> p(out, desc, args, mem, opts, fds, nullptr, &state);
    p.entry(&state);
    p.exit(retval, line_start);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Formats a typed call (any snare::sys::typed_call) through its descriptor, with the
/// syscall's decoder chosen at compile time.
template <sys::typed_call C, guest_memory M, fd_resolver R = no_fd_paths>
result<void> format_call(std::string& out, const C& call, std::int64_t retval, M& mem,
                         const options& opts = {}, R&& fds = R{}) noexcept {
  using printer = detail::printer<M, std::remove_reference_t<R>>;
  static constexpr auto hooks = detail::hooks_of<printer, detail::decoder<C::desc.id>>();
  detail::xlat_style_scope style(opts.xlat);
  try {
    auto nl = out.find_last_of('\n');  // -a counts from the line's start, its prefix too
    std::size_t line_start = nl == std::string::npos ? 0 : nl + 1;
    entry_state state;
    printer p(out, C::desc, call.raw_args(), mem, opts, fds, &hooks, &state);
    p.entry(&state);
    p.exit(retval, line_start);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends ` <unfinished ...>`, which ends an entry line that another line interrupts.
inline result<void> unfinished(std::string& out) noexcept {
  try {
    out.append(" <unfinished ...>");
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends `<... read resumed>`, which starts the line format_exit completes after an
/// unfinished entry.
inline result<void> resumed(std::string& out, const sys::syscall_desc& desc) noexcept {
  try {
    out.append("<... ");
    out.append(desc.name);
    out.append(" resumed>");
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends a siginfo_t as strace prints it, `{si_signo=SIGCHLD, si_code=CLD_EXITED,
/// si_pid=123, si_uid=0, si_status=0, si_utime=0, si_stime=0}`, from the 128 bytes the
/// kernel reports (PTRACE_GETSIGINFO, a signalfd read); shorter input is zero-padded.
/// `style` is strace's -X: `{si_signo=17, si_code=1, ...}` with raw. `pid_note(out, pid)`,
/// when given, appends what follows each si_pid (a tool's `/* 12 in strace's PID NS */`).
inline result<void> format_siginfo(std::string& out, std::span<const std::byte> info,
                                   xlat_style style = xlat_style::abbrev,
                                   const std::function<void(std::string&, int)>& pid_note = {}) noexcept {
  detail::xlat_style_scope scope(style);
  sys::abi::siginfo si{};
  std::memcpy(&si, info.data(), std::min(info.size(), sizeof si));
  try {
    if (pid_note)
      detail::put_siginfo(out, si, [&](std::int32_t pid) { pid_note(out, pid); });
    else
      detail::put_siginfo(out, si);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends the line strace prints for a delivered signal, without newline:
/// `--- SIGCHLD {si_signo=SIGCHLD, ...} ---`; `style` (-X) applies to the siginfo, the
/// signal after `---` is always named.
inline result<void> format_signal(std::string& out, std::span<const std::byte> info,
                                  xlat_style style = xlat_style::abbrev) noexcept {
  sys::abi::siginfo si{};
  std::memcpy(&si, info.data(), std::min(info.size(), sizeof si));
  try {
    out.append("--- ");
    {
      detail::xlat_style_scope named(xlat_style::abbrev);
      detail::put_signal(out, si.si_signo);
    }
    detail::xlat_style_scope scope(style);
    out.push_back(' ');
    detail::put_siginfo(out, si);
    out.append(" ---");
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Appends signal `sig` as strace names it: SIGTERM, SIGIO (not glibc's SIGPOLL for 29),
/// SIGRT_3, or the number when it has no name.
inline result<void> format_signal_name(std::string& out, int sig) noexcept {
  try {
    detail::put_signal(out, sig);
  } catch (...) {
    return std::errc::not_enough_memory;
  }
  return {};
}

/// Returns the symbolic name of errno value `err` as strace prints it ("ENOENT",
/// "ERESTARTSYS"), or an empty view when it has none.
inline std::string_view errno_name(int err) noexcept { return detail::errno_info(err).name; }

/// Returns the message strace prints for errno value `err` ("No such file or
/// directory"), or an empty view when it has none.
inline std::string_view errno_message(int err) noexcept { return detail::errno_info(err).message; }

}  // namespace snare::format
