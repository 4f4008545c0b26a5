// Defines the gdbserver's monitor commands (gdb's `monitor CMD`, the qRcmd packet): snare's own
// commands, whose text goes to gdb's console.
#pragma once

#include <string>
#include <string_view>

#include <snare/backend/ptrace.hpp>
#include <snare/sys/syscall_set.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::gdb::detail {

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
std::string monitor_text(Engine& engine, std::string_view command, const syscall_set* caught) {
  std::string text;
  if (command == "help") {
    text =
        "snare gdbserver monitor commands:\n"
        "  monitor help          this list\n"
        "  monitor subscription  the syscalls that stop the guest for the tool's handlers, and\n"
        "                        which of those gdb's `catch syscall` stops at\n";
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
