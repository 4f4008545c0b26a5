// Defines the gdbserver's monitor commands (gdb's `monitor CMD`, the qRcmd packet): snare's own
// commands, whose text goes to gdb's console.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include <snare/arch/x86_64.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/ptrace/backtrace.hpp>
#include <snare/format/format.hpp>
#include <snare/format/process_memory.hpp>
#include <snare/sys/call.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/syscall_set.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::gdb::detail {

// A thread's last calls (those the tool subscribes to: no other call stops), oldest first.
class call_history {
 public:
  static constexpr std::size_t kept = 32;

  struct call {
    long nr = -1;
    sys::raw_args args{};
    std::optional<long> ret;  // none until the call returned (or when it never does)
  };

  void add(long nr, const sys::raw_args& args) {
    calls_.push_back({nr, args, std::nullopt});
    if (calls_.size() > kept) calls_.pop_front();
  }
  // The last call returned `ret`.
  void returned(long ret) noexcept {
    if (!calls_.empty() && !calls_.back().ret) calls_.back().ret = ret;
  }
  const std::deque<call>& calls() const noexcept { return calls_; }

 private:
  std::deque<call> calls_;
};

// Appends `calls` as snare-strace prints them (snare::format), one a line, reading the
// memory they point to from process `pid` now (after the calls: a buffer shows what it holds
// now). A call with no result yet ends in `<unfinished ...>`, as in strace.
inline void append_calls(std::string& text, pid_t pid, const call_history& calls) {
  format::process_memory mem(pid);
  for (const auto& c : calls.calls()) {
    const sys::syscall_desc* desc = sys::descriptor<arch::x86_64>(c.nr);
    if (desc == nullptr) {
      char line[64];
      std::snprintf(line, sizeof line, "syscall_%ld(...)", c.nr);
      text += line;
      if (c.ret) text += " = " + std::to_string(*c.ret);
    } else if (c.ret) {
      (void)format::format_call(text, *desc, c.args, *c.ret, mem);
    } else {
      (void)format::format_entry(text, *desc, c.args, mem);
      (void)format::unfinished(text);
    }
    text += '\n';
  }
}

// Appends thread `tid`'s stack (it is stopped), one frame a line: `#0  0x... in add+12`.
inline void append_backtrace(std::string& text, pid_t tid) {
  auto frames = backend::ptrace_detail::unwind(tid, 64);
  if (!frames) {
    text += "snare: no backtrace of thread " + std::to_string(tid) + ": " +
            std::make_error_code(frames.error()).message() + "\n";
    return;
  }
  std::size_t n = 0;
  for (const auto& f : *frames) {
    char line[96];
    std::snprintf(line, sizeof line, "#%-2zu 0x%016llx in ", n++, static_cast<unsigned long long>(f.ip));
    text += line;
    text += f.symbol.empty() ? std::string("??") : f.symbol + "+" + std::to_string(f.offset);
    text += '\n';
  }
}

// Appends the names of the calls in `calls` (numbers for those without one), space-separated.
inline void append_call_names(std::string& text, const syscall_set& calls) {
  bool first = true;
  for (long nr = 0; nr < max_syscall_number; ++nr) {
    if (!calls.contains(nr)) continue;
    if (!first) text += ' ';
    first = false;
    auto name = sys::x86_64::name_of(nr);
    text += name.empty() ? std::to_string(nr) : std::string(name);
  }
}

// Returns the text `monitor <command>` prints for the guest that `engine` runs, `caught` being
// the last set gdb asked to catch (null: none yet; gdb takes its catchpoints out at each stop
// and puts them back when it resumes); an unknown command gets a line that says so.
template <class Engine>
std::string monitor_text(Engine& engine, std::string_view command, const syscall_set* caught, pid_t pid,
                         pid_t tid, const call_history* calls) {
  std::string text;
  if (command == "help") {
    text =
        "snare gdbserver monitor commands:\n"
        "  monitor help          this list\n"
        "  monitor subscription  the syscalls that stop the guest for the tool's handlers, and\n"
        "                        which of those gdb's `catch syscall` stops at\n"
        "  monitor syscalls      the current thread's last calls (of those), as snare-strace\n"
        "                        prints them\n"
        "  monitor backtrace     the current thread's stack, unwound by snare (libunwind)\n";
  } else if (command == "syscalls") {
    text = "thread " + std::to_string(tid) + ", its last calls the tool subscribes to (at most " +
           std::to_string(call_history::kept) + "), oldest first:\n";
    if (calls == nullptr || calls->calls().empty())
      text += "none\n";
    else
      append_calls(text, pid, *calls);
  } else if (command == "backtrace") {
    append_backtrace(text, tid);
  } else if (command == "subscription") {
    const auto& entry = engine.subscription.entry;
    if (entry.is_everything()) {
      text = "every syscall\n";
    } else if (entry.empty()) {
      text = "no syscall: the tool handles none\n";
    } else {
      append_call_names(text, entry);
      text += '\n';
    }
    // What gdb's `catch syscall` stops at: only calls of the subscription stop the guest.
    if (caught != nullptr) {
      syscall_set stop, never;
      for (long nr = 0; nr < max_syscall_number; ++nr) {
        if (!caught->contains(nr)) continue;
        (entry.contains(nr) ? stop : never).add(nr);
      }
      text += "gdb's catch syscall stops at: ";
      if (caught->is_everything() && entry.is_everything())
        text += "every syscall";
      else if (stop.empty())
        text += "none";
      append_call_names(text, stop);
      text += '\n';
      if (!never.empty() && !caught->is_everything()) {
        text += "not subscribed, so never caught: ";
        append_call_names(text, never);
        text += '\n';
      }
    }
  } else {
    text = "snare: unknown monitor command '" + std::string(command) + "' (monitor help lists them)\n";
  }
  return text;
}

}  // namespace snare::gdb::detail
