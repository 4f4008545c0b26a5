// Defines the gdbserver's monitor commands (gdb's `monitor CMD`, the qRcmd packet): snare's own
// commands, whose text goes to gdb's console.
#pragma once

#include <string>
#include <string_view>

#include <snare/backend/ptrace.hpp>
#include <snare/sys/x86_64.hpp>

namespace snare::gdb::detail {

// Returns the text `monitor <command>` prints for the guest that `engine` runs; an unknown
// command gets a line that says so.
template <class Engine>
std::string monitor_text(Engine& engine, std::string_view command) {
  std::string text;
  if (command == "help") {
    text =
        "snare gdbserver monitor commands:\n"
        "  monitor help          this list\n"
        "  monitor subscription  the syscalls that stop the guest for the tool's handlers\n";
  } else if (command == "subscription") {
    const auto& entry = engine.subscription.entry;
    if (entry.is_everything()) {
      text = "every syscall\n";
    } else if (entry.empty()) {
      text = "no syscall: the tool handles none\n";
    } else {
      for (long nr = 0; nr < max_syscall_number; ++nr) {
        if (!entry.contains(nr)) continue;
        auto name = sys::x86_64::name_of(nr);
        text += name.empty() ? std::to_string(nr) : std::string(name);
        text += ' ';
      }
      text.back() = '\n';
    }
  } else {
    text = "snare: unknown monitor command '" + std::string(command) + "' (monitor help lists them)\n";
  }
  return text;
}

}  // namespace snare::gdb::detail
