// Declares --tips: the tip snare-strace prints to stderr when the run ends (strace 6.1's
// --tips[=[[id:]ID][,[format:]FORMAT]]).
#pragma once

#include <cstdio>
#include <string_view>

namespace strace {

/// How much of the tip --tips prints: nothing, the bubble and the ostrich's head
/// (compact, the default of --tips), or the whole ostrich (full).
enum class tips_format { none, compact, full };

/// What --tips asked for: the format and the tip (-1: one chosen at random at each run;
/// N: tip N modulo the number of tips, as strace).
struct tips_choice {
  tips_format format = tips_format::none;
  int id = -1;
};

/// Applies --tips's value to `out` (comma-separated tokens: [id:]N, [id:]random,
/// [format:]none|compact|full, case-insensitive, as strace's parse_tips_arg); an empty
/// value turns the tips on. Returns false, leaving `out` unchanged, on an unknown token.
bool parse_tips(std::string_view text, tips_choice& out);

/// Prints the chosen tip to `to` in strace's layout; nothing when the format is none.
void print_tip(const tips_choice& choice, std::FILE* to);

}  // namespace strace
