// Defines snare-chaos: runs a command while making its reads and writes short and
// interrupting them with EINTR on purpose, from a seeded generator, to shake out code that
// assumes a read fills its buffer or a write takes all its bytes.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include <snare/backend/ptrace.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

namespace sys = snare::sys;

/// The tool: each read/write (and pread64/pwrite64) on a pipe, socket or terminal (every
/// fd with --all-fds) is, with some probability, cut to a random shorter length or failed
/// with EINTR before it runs. Regular files are left alone by default: the kernel never
/// makes their reads short, so code (the dynamic loader first) rightly relies on that.
struct chaos {
  // The call and fd this thread last saw disturbed: the same call on the same fd (the
  // guest's retry, or the read of the rest) then runs as asked, so a guest that retries
  // always progresses, even at 100%.
  struct last_disturbed {
    long nr = -1;
    int fd = -1;
  };
  using thread_state = last_disturbed;
  std::mt19937_64 rng{1};
  unsigned percent = 30;  // how often a call is disturbed
  bool shorten = true, interrupt = true, all_fds = false, verbose = false;
  unsigned long short_reads = 0, short_writes = 0, interrupts = 0;

  // Disturbs the call or not: cuts its count (counted in `shortened`) or fails it (EINTR).
  template <class Call, class G>
  void disturb(Call& c, G& g, unsigned long& shortened) {
    if (!all_fds) {
      struct stat st {};
      std::string link = "/proc/" + std::to_string(g.pid()) + "/fd/" + std::to_string(c.fd());
      if (::stat(link.c_str(), &st) != 0 ||
          !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
        return;
    }
    auto& last = g.thread_state();
    bool retry = last.nr == Call::number && last.fd == c.fd();
    last = {};
    if (retry || rng() % 100 >= percent) return;
    last = {Call::number, c.fd()};
    bool can_shorten = shorten && c.count() > 1;
    if (interrupt && (!can_shorten || rng() % 3 == 0)) {
      ++interrupts;
      if (verbose)
        std::fprintf(stderr, "snare-chaos: %d %s(%d, ...) -> EINTR\n", g.tid(), Call::name().data(), c.fd());
      return g.fail(EINTR);
    }
    if (!can_shorten) return;
    std::size_t asked = c.count();
    // Mostly small cuts, so a short read is shorter than what a pipe holds.
    std::size_t limit = std::min<std::size_t>(asked - 1, std::size_t{1} << (rng() % 12));
    c.set_count(1 + rng() % limit);  // changed arguments reach the guest's call
    if (verbose)
      std::fprintf(stderr, "snare-chaos: %d %s(%d, ..., %zu) -> count %zu\n", g.tid(), Call::name().data(),
                   c.fd(), asked, c.count());
    ++shortened;
  }
  template <class G>
  void on(sys::read& c, G& g) {
    disturb(c, g, short_reads);
  }
  template <class G>
  void on(sys::pread64& c, G& g) {
    disturb(c, g, short_reads);
  }
  template <class G>
  void on(sys::write& c, G& g) {
    disturb(c, g, short_writes);
  }
  template <class G>
  void on(sys::pwrite64& c, G& g) {
    disturb(c, g, short_writes);
  }
};

constexpr const char* usage =
    "Usage: snare-chaos [--seed=N] [--percent=P] [--no-short] [--no-eintr] [--all-fds] [-v] PROG [ARGS]\n"
    "Runs PROG while P% (default 30) of its read, pread64, write and pwrite64 calls on\n"
    "pipes, sockets and terminals (on every fd with --all-fds) are cut short (a random\n"
    "count below the one asked) or fail with EINTR. The same seed\n"
    "(default 1) gives the same choices for the same sequence of calls. Prints what it did\n"
    "on stderr at the end (and each disturbance as it happens with -v).\n"
    "Exit status: PROG's, 127 when it cannot run, 2 on a bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  chaos tool;
  std::uint64_t seed = 1;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    char* end = nullptr;
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a.starts_with("--seed=")) {
      seed = std::strtoull(argv[i] + 7, &end, 10);
    } else if (a.starts_with("--percent=")) {
      tool.percent = static_cast<unsigned>(std::strtoul(argv[i] + 10, &end, 10));
      if (tool.percent > 100) end = nullptr;
    } else if (a == "--no-short") {
      tool.shorten = false;
      continue;
    } else if (a == "-v") {
      tool.verbose = true;
      continue;
    } else if (a == "--all-fds") {
      tool.all_fds = true;
      continue;
    } else if (a == "--no-eintr") {
      tool.interrupt = false;
      continue;
    } else if (a == "--") {
      ++i;
      break;
    }
    if (!end || *end != '\0') {
      std::fprintf(stderr, "snare-chaos: bad option '%s'\nTry 'snare-chaos --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "snare-chaos: no command given\nTry 'snare-chaos --help'.\n");
    return 2;
  }
  tool.rng.seed(seed);
  int code = snare::run<snare::backend::ptrace>(tool, std::span<const char* const>(argv + i, argc - i));
  std::fprintf(stderr, "snare-chaos: %lu short reads, %lu short writes, %lu EINTR (seed %llu)\n",
               tool.short_reads, tool.short_writes, tool.interrupts, static_cast<unsigned long long>(seed));
  return code;
}
