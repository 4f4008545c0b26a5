// Defines --tips: a usage tip printed to stderr when the run ends, in the speech bubble
// beside the ostrich that strace 6.1 draws (its layout is what strace's own tests check:
// tests/strace--tips.test; the tips' words are snare-strace's own).
#include <sys/time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tips.hpp"

namespace strace {

namespace {

// The ostrich, line by line (strace's strauss.c; tests/strace--tips.exp holds the same).
// Line 0 is empty: the bubble's first line sits beside line 1.
constexpr std::string_view ostrich[] = {
    "",
    "     ____",
    "    /    \\",
    "   |-. .-.|",
    "   (_@)(_@)",
    "   .---_  \\",
    "  /..   \\_/",
    "  |__.-^ /",
    "      }  |",
    "     |   [",
    "     [  ]",
    "    ]   |",
    "    |   [",
    "    [  ]",
    "   /   |        __",
    "  \\|   |/     _/ /_",
    " \\ |   |//___/__/__/_",
    "\\\\  \\ /  //    -____/_",
    "//   \"   \\\\      \\___.-",
    " //     \\\\  __.----._/_",
    "/ '/|||\\` .-         __>",
    "[        /         __.-",
    "[        [           }",
    "\\        \\          /",
    " \"-._____ \\.____.--\"",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    {  } {  }",
    "    |  | |  |",
    "    |  | |  |",
    "    |  | |  |",
    "    /  { |  |",
    " .-\"   / [   -._",
    "/___/ /   \\ \\___\"-.",
    "    -\"     \"-",
};
constexpr std::size_t ostrich_lines = std::size(ostrich);

// At most this many lines of text per tip; each line at most `text_width` characters.
constexpr std::size_t max_tip_lines = 13;
constexpr int text_width = 44;

// The tips, in snare-strace's words: options of strace that snare-strace shares, and what
// snare adds. Empty strings end a tip early.
constexpr std::string_view tips[][max_tip_lines] = {
    {"snare-strace reads strace's options: the", "manual page of strace describes most of",
     "them, and docs/man/snare-strace.1 says", "where snare-strace differs."},
    {"-e trace=%file traces every call that takes", "a file name; %process, %network, %signal,",
     "%ipc, %desc and %memory name other classes", "of calls."},
    {"-o '|grep open' sends the trace through a", "command instead of into a file, so the",
     "traced program's own stderr stays apart."},
    {"-f follows forks and threads; with -o FILE,", "-ff writes one file per thread, FILE.TID."},
    {"-y prints the path behind each descriptor;", "-yy adds the addresses of sockets and the",
     "numbers of devices."},
    {"-c counts calls, errors and time per call", "and prints a table when the trace ends;",
     "-C prints the trace too, and -S sorts the", "table by another column."},
    {"-e inject=openat:error=ENOENT:when=2 makes", "the second openat fail with ENOENT, to see",
     "how a program copes with the failure."},
    {"-P /etc/passwd shows only the calls that", "touch that path, whatever their fd or name."},
    {"-z prints only the calls that succeeded,", "-Z only those that failed: useful to find",
     "which file a program looked for in vain."},
    {"Only the calls in the trace set stop the", "guest: snare installs a seccomp filter, so",
     "a narrow -e trace= costs little time."},
    {"--backend=seccomp runs without ptrace, by", "seccomp user notifications; --host lists",
     "what the running kernel offers each", "backend."},
    {"-Y (--decode-pids=comm) shows the command", "name next to each pid."},
    {"-T shows how long each call took; -r the", "time since the previous call began; -tt",
     "the time of day in microseconds."},
    {"-s 256 shows more of each string and", "buffer (32 bytes by default); -v prints",
     "structures in full."},
};
constexpr std::size_t tip_count = std::size(tips);

// The bubble's frame: its top, its bottom, and what stands left and right of each line of
// text (the right side draws the arrow to the ostrich's beak on lines 2 to 5).
constexpr std::string_view frame_top = "  ______________________________________________    ";
constexpr std::string_view frame_bottom = " \\______________________________________________/   ";
constexpr std::string_view frame_left[] = {" / ", " | "};
constexpr std::string_view frame_right[] = {" \\   ", " |   ", " \\   ", "  \\  ",
                                            "  _\\ ", " /   ", " |   "};

std::string_view art(std::size_t i) { return ostrich[std::min(i, ostrich_lines - 1)]; }

// Writes the parts side by side as one line.
void put(std::FILE* f, std::initializer_list<std::string_view> parts) {
  for (auto p : parts)
    if (!p.empty()) std::fwrite(p.data(), 1, p.size(), f);  // an empty view's data() may be null
  std::fputc('\n', f);
}

// Every line of every tip fits the bubble.
consteval bool tips_fit() {
  for (std::size_t i = 0; i < tip_count; ++i)
    for (std::size_t j = 0; j < max_tip_lines; ++j)
      if (tips[i][j].size() > static_cast<std::size_t>(text_width)) return false;
  return true;
}
static_assert(tips_fit(), "a line of a tip is wider than the bubble (44 characters)");

}  // namespace

bool parse_tips(std::string_view text, tips_choice& out) {
  tips_choice t = out;
  if (t.format == tips_format::none) t.format = tips_format::compact;
  auto lower_is = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y;
           });
  };
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view token = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (token.empty()) continue;  // strace's strtok_r skips empty tokens
    bool id_ok = true, format_ok = true;
    if (token.size() >= 3 && lower_is(token.substr(0, 3), "id:"))
      token.remove_prefix(3), format_ok = false;
    else if (token.size() >= 7 && lower_is(token.substr(0, 7), "format:"))
      token.remove_prefix(7), id_ok = false;
    if (id_ok && lower_is(token, "random")) {
      t.id = -1;
      continue;
    }
    if (id_ok && !token.empty() && token.size() <= 9 &&
        std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      t.id = std::atoi(std::string(token).c_str());
      continue;
    }
    if (format_ok && lower_is(token, "none")) {
      t.format = tips_format::none;
      continue;
    }
    if (format_ok && lower_is(token, "compact")) {
      t.format = tips_format::compact;
      continue;
    }
    if (format_ok && lower_is(token, "full")) {
      t.format = tips_format::full;
      continue;
    }
    return false;
  }
  out = t;
  return true;
}

void print_tip(const tips_choice& choice, std::FILE* to) {
  if (choice.format == tips_format::none) return;
  std::size_t id = 0;
  if (choice.id < 0) {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    // A different tip from run to run: seeded by the clock's microseconds.
    id = static_cast<std::size_t>(tv.tv_sec ^ tv.tv_usec);
  } else {
    id = static_cast<std::size_t>(choice.id);
  }
  const auto& tip = tips[id % tip_count];
  const std::string_view blank(
      "                                                                                ");
  const std::string_view pad = blank.substr(0, text_width);
  put(to, {frame_top, art(1)});
  put(to, {frame_left[0], pad, frame_right[0], art(2)});
  std::size_t i = 0;
  // The bubble has room for the arrow (six lines) whatever the tip's length.
  for (; i < max_tip_lines && (!tip[i].empty() || i < std::size(frame_right) - 1); ++i) {
    std::string_view text = tip[i].substr(0, text_width);
    put(to, {frame_left[std::min<std::size_t>(i + 1, 1)], text, pad.substr(text.size()),
             frame_right[std::min(i + 1, std::size(frame_right) - 1)], art(3 + i)});
  }
  put(to, {frame_bottom, art(3 + i)});
  const std::string_view under = blank.substr(0, frame_top.size());
  do {
    put(to, {under, art(4 + i)});
  } while (choice.format == tips_format::full && 4 + ++i < ostrich_lines);
}

}  // namespace strace
