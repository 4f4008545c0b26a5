// Tests of snare-strace --backend=in-guest: real commands traced with -f give the same
// lines as on ptrace for the calls after the tool object's constructor (pids, addresses,
// random bytes and the environment's size normalised), the guest's output and exit status
// unchanged; what the backend cannot do is refused.
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <snare/backend/in_guest.hpp>
#include <snare/host.hpp>

#include "../../examples/strace/line_rings.hpp"
#include "guests.hpp"
#include "skip.hpp"
#include "strace_run.hpp"

namespace {

using namespace snare::test::strace_run;

void require_in_guest() {
  for (const auto& gap : snare::missing_host_features<snare::backend::in_guest>()) {
    std::string why = "the in_guest backend cannot run here: " + gap.reason;
    snare::test::skip(why.c_str());
  }
}

/// One process's calls, keyed by its place in the run: 0 the root, then the processes in
/// the order their parents' clone/fork/vfork returned them (deterministic for a shell).
using by_process = std::map<int, std::vector<std::string>>;

/// Splits a `-f -o` trace ("PID  line") by process, joins strace's "<unfinished ...>" and
/// "<... X resumed>" halves, and normalises what differs between runs: pids (named by
/// their place), addresses, random bytes, the environment's size (in_guest adds
/// LD_PRELOAD), the tracer's pid and the column padding. "+++" lines are kept; "---" lines (signals, which
/// in_guest cannot see) are dropped.
by_process normalise(const std::vector<std::string>& lines) {
  static const std::regex line_re(R"(^(\d+) +(.*)$)");
  static const std::regex child_re(R"(^(clone|clone3|fork|vfork)\(.*\) += (\d+)$)");
  std::map<std::string, int> place;
  int children = 0;
  std::map<std::string, std::string> open;  // pid -> the unfinished entry
  std::vector<std::pair<std::string, std::string>> calls;
  for (const auto& l : lines) {
    std::smatch m;
    if (!std::regex_match(l, m, line_re)) continue;
    std::string pid = m[1], text = m[2];
    if (!place.count(pid)) place[pid] = place.empty() ? 0 : -1;
    if (text.ends_with(" <unfinished ...>")) {
      open[pid] = text.substr(0, text.size() - 17);
      continue;
    }
    static const std::regex resumed(R"(^<\.\.\. [a-z_0-9]+ resumed>(.*)$)");
    std::smatch r;
    if (std::regex_match(text, r, resumed) && open.count(pid)) {
      text = open[pid] + std::string(r[1]);
      open.erase(pid);
    }
    if (text.starts_with("---")) continue;
    // -T's times go before the child's pid is read from `clone(...) = PID <0.000100>`: else
    // every child falls in one place, its lines interleaved by timing (a flaky comparison).
    text = std::regex_replace(text, std::regex(R"( <\d+\.\d+>$)"), "");
    std::smatch c;
    if (std::regex_match(text, c, child_re)) {
      std::string child = c[2];
      if (!place.count(child) || place[child] < 0) place[child] = ++children;
    }
    calls.emplace_back(pid, text);
  }
  // Renumber the places in the order the children were returned.
  by_process out;
  for (auto& [pid, text] : calls) {
    for (auto& [p, n] : place)
      text = std::regex_replace(text, std::regex("\\b" + p + "\\b"), "P" + std::to_string(n));
    text = std::regex_replace(text, std::regex("0x[0-9a-f]{5,}"), "ADDR");
    text = std::regex_replace(text, std::regex(R"(/\* \d+ vars \*/)"), "/* N vars */");
    text = std::regex_replace(text, std::regex(R"(^getrandom\("[^"]*")"), "getrandom(BYTES");
    text = std::regex_replace(text, std::regex(R"(\) +=)"), ") =");
    // The root's parent is snare-strace itself.
    text = std::regex_replace(text, std::regex(R"(^getppid\(\) = \d+$)"), "getppid() = TRACER");
    out[place[pid]].push_back(text);
  }
  return out;
}

/// Says whether `part` is `whole` with some lines left out, in order; else names the first
/// line of `part` not found.
std::string subsequence_miss(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
  std::size_t j = 0;
  for (const auto& l : part) {
    while (j < whole.size() && whole[j] != l) ++j;
    if (j == whole.size()) return l;
    ++j;
  }
  return {};
}

/// Traces `cmd` with -f on ptrace and in_guest and compares them per process.
void compare_with_ptrace(const std::vector<std::string>& cmd, const std::vector<std::string>& must_see) {
  require_in_guest();
  std::vector<std::string> pt_args = {"-f"}, ig_args = {"-f", "--backend=in-guest"};
  pt_args.insert(pt_args.end(), cmd.begin(), cmd.end());
  ig_args.insert(ig_args.end(), cmd.begin(), cmd.end());
  auto pt = run_traced(pt_args);
  auto ig = run_traced(ig_args);
  INFO("ptrace trace:\n"
       << pt.trace << "\nin_guest trace:\n"
       << ig.trace << "\nin_guest stderr:\n"
       << ig.r.err);
  REQUIRE(pt.r.code == 0);
  CHECK(ig.r.code == pt.r.code);
  CHECK(ig.r.out == pt.r.out);  // the guest's output unchanged
  auto p = normalise(pt.lines), g = normalise(ig.lines);
  CHECK(g.size() == p.size());  // every process is seen
  for (auto& [place, calls] : g) {
    INFO("process P" << place);
    REQUIRE(p.count(place));
    // The constructor runs after the loader and the libraries' relocation: what comes
    // after it is the ptrace trace with its beginning left out.
    CHECK(subsequence_miss(calls, p[place]) == "");
    CHECK(calls.size() * 2 > p[place].size() / 2);  // most of the process is seen
  }
  for (const auto& l : must_see) {
    INFO("expected line: " << l);
    bool found = false;
    for (auto& [place, calls] : g)
      for (auto& c : calls) found = found || c == l;
    CHECK(found);
  }
}

}  // namespace

TEST_CASE("strace in_guest: ls / gives ptrace's lines after the constructor") {
  compare_with_ptrace({"ls", "/"}, {"exit_group(0) = ?", "+++ exited with 0 +++"});
}

TEST_CASE("strace in_guest: an sh pipeline, its children and their exec, as on ptrace") {
  compare_with_ptrace(
      {"sh", "-c", "echo a | cat"},
      {R"(write(1, "a\n", 2) = 2)", R"(execve("/usr/bin/cat", ["cat"], ADDR /* N vars */) = 0)"});
}

TEST_CASE("strace in_guest: a call of an atexit handler is formatted after the thread's destructors") {
  // Issue 18: glibc's exit() runs the thread_local destructors before the atexit handlers,
  // and basename's close_stdout writes there; the formatter's buffer, grown by bash's read
  // and destroyed, was written again and broke the tool's heap (basename died by SIGSEGV).
  if (::access("/bin/bash", X_OK) != 0) snare::test::skip("no /bin/bash");
  std::string file = snare::test::temp_path("word");
  { std::ofstream(file) << "hello\n"; }
  compare_with_ptrace(
      {"-e", "trace=read,write,close", "bash", "-c", "read v < " + file + "; basename /root/$v"},
      {R"(write(1, "hello\n", 6) = 6)", "+++ exited with 0 +++"});
  ::unlink(file.c_str());
}

TEST_CASE("strace in_guest: the exit status and a death by a signal come through") {
  require_in_guest();
  auto t = run_traced({"--backend=in-guest", "sh", "-c", "exit 3"});
  CHECK(t.r.code == 3);
  CHECK(count_matching(t.lines, R"(^exit_group\(3\) += \?$)") == 1);
  CHECK(count_matching(t.lines, R"(^\+\+\+ exited with 3 \+\+\+$)") == 1);
  auto k = run_traced({"--backend=in-guest", "-f", "sh", "-c", "kill -TERM $$"});
  CHECK(k.r.signal == SIGTERM);
  CHECK(count_matching(k.lines, R"(\+\+\+ killed by SIGTERM \+\+\+$)") == 1);
}

TEST_CASE("strace in_guest: a static executable is refused with 127") {
  require_in_guest();
  auto t = run_traced({"--backend=in-guest", snare::test::static_guest_path("write")});
  CHECK(t.r.code == 127);
  CHECK(t.r.err.find("static") != std::string::npos);
}

TEST_CASE("strace in_guest: a child that execs a static executable runs on untraced, and the user is told") {
  require_in_guest();
  const std::string stat = snare::test::static_guest_path("write");
  auto t = run_traced({"--backend=in-guest", "-f", "sh", "-c", stat + "; exit 5"});
  CHECK(t.r.code == 5);  // the child ran (natively) and the shell went on
  CHECK(t.r.err.find("execs '" + stat + "', a static executable") != std::string::npos);
  CHECK(t.r.err.find("it runs on untraced") != std::string::npos);
  // A dynamic child is traced, and nothing is said.
  auto d = run_traced({"--backend=in-guest", "-f", "sh", "-c", "/bin/true; exit 5"});
  CHECK(d.r.code == 5);
  CHECK(d.r.err.find("untraced") == std::string::npos);
}

TEST_CASE("strace in_guest: options that need what the backend lacks are refused") {
  for (std::vector<std::string> opt : {std::vector<std::string>{"-k"},
                                       {"-i"},
                                       {"-e", "signal=none"},
                                       {"-c"},
                                       {"-e", "inject=getpid:error=EPERM"},
                                       {"-yy"},
                                       {"-Y"},
                                       {"--decode-pids=pidns"}}) {
    std::vector<std::string> argv = {strace_bin, "--backend=in-guest"};
    argv.insert(argv.end(), opt.begin(), opt.end());
    argv.push_back("true");
    auto r = run_command(argv);
    INFO(opt.front() << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("in-guest") != std::string::npos);
  }
}

TEST_CASE("strace in_guest: a line longer than one message comes whole, as on ptrace") {
  require_in_guest();
  // 9000 NULs at -s 20000: a write line of about 18 KB ("\0" each), sent in three parts.
  std::vector<std::string> cmd = {"-f",   "-s", "20000", "-e",       "trace=write",
                                  "head", "-c", "9000",  "/dev/zero"};
  auto pt = run_traced(cmd);
  cmd.insert(cmd.begin(), "--backend=in-guest");
  auto ig = run_traced(cmd);
  REQUIRE(pt.r.code == 0);
  CHECK(ig.r.code == 0);
  CHECK(ig.r.out == pt.r.out);
  auto p = normalise(pt.lines), g = normalise(ig.lines);
  REQUIRE(g[0].size() >= 1);
  CHECK(g[0].front().size() > 2 * 7936);
  CHECK(g[0] == p[0]);
}

TEST_CASE(
    "strace in_guest: a thread's ring keeps every line in order through wraps, a full ring and a SIGKILL") {
  namespace rings = strace::rings;
  void* p = ::mmap(nullptr, sizeof(rings::region), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  REQUIRE(p != MAP_FAILED);
  auto* r = ::new (p) rings::region;
  r->tracer_pid = ::getpid();
  r->magic = rings::region::magic_value;
  // 20000 records of 40 to 340 bytes (about 4 MB through a 64 KiB ring): the producer waits
  // for the drainer many times, then kills itself with records still unread.
  constexpr int n = 20000;
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const pid_t self = ::getpid();
    const int ring = rings::claim(*r, self);
    if (ring < 0) ::_exit(1);
    std::string text;
    for (int i = 0; i < n; ++i) {
      text = std::to_string(i) + ":" + std::string(static_cast<std::size_t>(i % 300), 'x');
      if (!rings::append(*r, ring, 1, self, self, 0, 0, text)) ::_exit(2);
    }
    // Too large for a ring: refused, nothing written.
    if (rings::append(*r, ring, 1, self, self, 0, 0, std::string(rings::max_record, 'y'))) ::_exit(3);
    ::raise(SIGKILL);
    ::_exit(4);
  }
  std::vector<std::string> got;
  std::uint64_t last_seq = 0;
  bool in_order = true;
  int status = 0;
  auto drain_once = [&] {
    for (std::size_t i = 0; i < rings::ring_count; ++i) {
      const pid_t owner = r->owner[i].load();
      if (owner == 0) continue;
      const bool gone = ::kill(owner, 0) != 0 && errno == ESRCH;
      rings::drain(*r, static_cast<int>(i), [&](const rings::record& rec, std::string_view text) {
        in_order = in_order && (got.empty() || rec.seq > last_seq);
        last_seq = rec.seq;
        got.emplace_back(text);
      });
      if (gone) r->owner[i].store(0);
    }
  };
  while (::waitpid(child, &status, WNOHANG) == 0) {
    drain_once();
    ::usleep(1000);
  }
  drain_once();  // what the dead process left
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(in_order);
  REQUIRE(got.size() == static_cast<std::size_t>(n));
  bool all = true;
  for (int i = 0; i < n; ++i)
    all = all && got[static_cast<std::size_t>(i)] ==
                     std::to_string(i) + ":" + std::string(static_cast<std::size_t>(i % 300), 'x');
  CHECK(all);
  // Its ring is free again.
  bool freed = true;
  for (std::size_t i = 0; i < rings::ring_count; ++i) freed = freed && r->owner[i].load() == 0;
  CHECK(freed);
  ::munmap(p, sizeof(rings::region));
}

TEST_CASE("strace in_guest: a guest's many lines all come, and those before a SIGKILL too") {
  require_in_guest();
  // 3000 one-byte reads and writes: about 300 KB of lines, several times a thread's ring.
  auto t = run_traced({"--backend=in-guest", "-e", "trace=read,write", "dd", "if=/dev/zero", "of=/dev/null",
                       "bs=1", "count=3000", "status=none"});
  CHECK(t.r.code == 0);
  CHECK(count_matching(t.lines, R"(^read\(0, "\\0", 1\) += 1$)") == 3000);
  CHECK(count_matching(t.lines, R"(^write\(1, "\\0", 1\) += 1$)") == 3000);
  auto k = run_traced({"--backend=in-guest", "-f", "sh", "-c", "echo before; kill -KILL $$"});
  CHECK(k.r.signal == SIGKILL);
  CHECK(count_matching(k.lines, R"(write\(1, "before\\n", 7\) += 7$)") == 1);
  CHECK(count_matching(k.lines, R"(\+\+\+ killed by SIGKILL \+\+\+$)") == 1);
}

TEST_CASE("strace in_guest: a buffer unmapped or made unreadable after a read is EFAULT, not a fault") {
  require_in_guest();
  // The guest's formatter reads again without a syscall the pages a read found readable;
  // munmap and mprotect must make it ask the kernel again (natively: EFAULT).
  std::string script = snare::test::temp_path("fault.py");
  {
    std::ofstream(script) << R"(import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
for undo in ("munmap", "mprotect"):
    p = libc.mmap(None, 4096, 3, 0x22, -1, 0)
    ctypes.memmove(p, b"abcd", 4)
    r1 = libc.write(2, p, 4)
    if undo == "munmap":
        libc.munmap(p, 4096)
    else:
        libc.mprotect(p, 4096, 0)
    r2 = libc.write(2, p, 4)
    os.write(1, ("%s %d %d\n" % (undo, r1, r2)).encode())
)";
  }
  auto t = run_traced({"--backend=in-guest", "-e", "trace=write", "python3", script});
  ::unlink(script.c_str());
  CHECK(t.r.code == 0);
  CHECK(t.r.out == "munmap 4 -1\nmprotect 4 -1\n");
  CHECK(count_matching(t.lines, R"(^write\(2, "abcd", 4\) += 4$)") == 2);
  CHECK(count_matching(t.lines, R"(^write\(2, 0x[0-9a-f]+, 4\) += -1 EFAULT \(Bad address\)$)") == 2);
}

TEST_CASE("strace in_guest: a shared file mapping cut short after a read is EFAULT, not SIGBUS") {
  require_in_guest();
  // The page stays mapped (ftruncate changes no mapping), but reading it is SIGBUS in user
  // space: the formatter must not read it directly, the kernel's write gives EFAULT.
  std::string script = snare::test::temp_path("bus.py");
  std::string data = snare::test::temp_path("bus.data");
  {
    std::ofstream(script) << R"(import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, b"abcd" * 1024)
p = libc.mmap(None, 4096, 1, 1, fd, 0)
r1 = libc.write(2, p, 4)
os.ftruncate(fd, 0)
r2 = libc.write(2, p, 4)
os.write(1, ("%d %d\n" % (r1, r2)).encode())
)";
  }
  auto t = run_traced({"--backend=in-guest", "-e", "trace=write", "python3", script, data});
  ::unlink(script.c_str());
  ::unlink(data.c_str());
  CHECK(t.r.code == 0);
  CHECK(t.r.out == "4 -1\n");
  CHECK(count_matching(t.lines, R"(^write\(2, "abcd", 4\) += 4$)") == 1);
  CHECK(count_matching(t.lines, R"(^write\(2, 0x[0-9a-f]+, 4\) += -1 EFAULT \(Bad address\)$)") == 1);
}

TEST_CASE("strace in_guest: -T times each call in the guest, lines otherwise as on ptrace") {
  compare_with_ptrace({"-T", "sh", "-c", "echo a | cat"}, {R"(write(1, "a\n", 2) = 2)"});
  auto t = run_traced({"--backend=in-guest", "-T", "-f", "sh", "-c", "echo a | cat"});
  std::size_t calls = 0, timed = 0;
  for (const auto& l : t.lines) {
    if (l.find(") ") == std::string::npos || l.find(" = ") == std::string::npos || l.ends_with("= ?"))
      continue;
    ++calls;
    timed += std::regex_search(l, std::regex(R"(= .* <\d+\.\d{6}>$)")) ? 1 : 0;
  }
  CHECK(calls > 20);
  CHECK(timed == calls);
  CHECK(count_matching(t.lines, R"(= \? <)") == 0);  // exit_group(0) = ? has no time
}

TEST_CASE("strace in_guest: a failed execve prints its whole line") {
  require_in_guest();
  auto t =
      run_traced({"--backend=in-guest", "-f", "-e", "trace=execve", "sh", "-c", "/nonexistent/x; exit 0"});
  CHECK(t.r.code == 0);
  CHECK(
      count_matching(
          t.lines,
          R"(execve\("/nonexistent/x", \["/nonexistent/x"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += -1 ENOENT)") ==
      1);
}
